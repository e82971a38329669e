/*
 * The HTML loader: libxml2's HTML parser for structure, and an aligner for
 * positions.
 *
 * Design note. Rules report findings at a line and column of the file,
 * but libxml2 hands out decoded text nodes without byte offsets (only a
 * rough line number). So the loader walks the tree in document order and
 * keeps a cursor into the source: for each text node it looks for the
 * place from the cursor where the node's text is written, skipping markup
 * (tags, comments, doctype, processing instructions), then walks source
 * and node together. Equal bytes map one to one; a character reference or
 * named entity maps all the bytes it decodes to to its '&'; a '\r' or a
 * control character the parser dropped is skipped; markup inside a text
 * run (a stray end tag the parser ignored) is skipped too. On success the
 * cursor moves past the text. When a node cannot be aligned (the parser
 * moved or rewrote it), its bytes all map to the start of the line libxml2
 * reports for it and the cursor stays put, so one odd node does not
 * misplace the rest.
 *
 * Script and style text is aligned as well, though it feeds no field: the
 * cursor must get past it, and its '<' and '&' are literal.
 *
 * What goes where:
 *   title  <title>; else <meta property="og:title">; else the first <h1>;
 *          else a JSON-LD headline
 *   body   visible text of the article region (the first <article>, else
 *          <main>, else an element with role="main", else <body>), block
 *          elements giving line breaks; never the text of head, script,
 *          style, noscript, template, svg, pre or code
 *   chrome visible text outside the article region, and inside it the
 *          page furniture that is not the article: <nav>, <aside> and the
 *          ARIA landmarks navigation, banner, contentinfo, complementary
 *          and search, plus <header>/<footer> not inside an <article>. A
 *          site header's "Subscribe" link or a newsletter box is normal
 *          page furniture, while the same words in the article are a
 *          leak, so rules choose between the two.
 *          Hidden elements (the hidden attribute, aria-hidden="true", an
 *          inline display:none or visibility:hidden) feed neither: a meter
 *          counter a paywall script has not shown yet is not on the page.
 *   code   text of pre and code elements, one block per line
 *   raw    source markup of the article region
 *   page   the whole source
 * Line ends are unified to "\n" in every field, as in the other loaders.
 *   meta   <meta name|property|itemprop content>, JSON-LD (jsonld.c)
 */
#include <ctype.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input/input.h"
#include "input/jsonld.h"
#include "input/loadutil.h"
#include "util/diag.h"

/* How far past the cursor a text node is looked for: bounded so that a
 * node the parser invented costs linear time, not a scan of the file. */
#define ALIGN_WINDOW 65536

typedef struct html_ctx {
    const sl_source *src;
    sl_document *doc;
    sl_status st;
    size_t cursor;     /* just past the last aligned text */
    size_t tag_cursor; /* just past the last start tag found (meta, region) */
    size_t node_start; /* where the last aligned node's text began */
    sl_field scratch;  /* the current node's text, mapped */
    sl_field title_tag, og_title, h1, headline;
    xmlNodePtr region;
    xmlNodePtr first_h1;
    int title_seen;
    unsigned skip;       /* depth inside elements whose text is not visible */
    unsigned in_region;  /* depth inside the article region */
    unsigned in_article; /* depth inside any <article> */
    unsigned furniture;  /* depth inside nav/aside/landmarks (chrome even in the region) */
    unsigned code;       /* depth inside pre/code */
    unsigned title;      /* depth inside the first <title> */
    unsigned in_h1;      /* depth inside the first <h1> */
    size_t script_start; /* start of the current JSON-LD script text */
} html_ctx;

/* ------------------------------------------------------------ element sets */

/* Binary search: every set below is sorted (strcmp order), since every
 * element of every page is looked up in several of them. */
static int name_in(const xmlChar *name, const char *const *set, size_t n)
{
    if (!name)
        return 0;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp((const char *)name, set[mid]);
        if (c == 0)
            return 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

#define IN_SET(name, set) name_in((name), (set), sizeof(set) / sizeof((set)[0]))

static const char *const block_elements[] = {
    "address",    "article", "aside",   "blockquote", "body",  "br",     "button",   "caption",
    "center",     "dd",      "details", "dialog",     "div",   "dl",     "dt",       "fieldset",
    "figcaption", "figure",  "footer",  "form",       "h1",    "h2",     "h3",       "h4",
    "h5",         "h6",      "header",  "hgroup",     "hr",    "html",   "iframe",   "legend",
    "li",         "main",    "menu",    "nav",        "ol",    "option", "p",        "pre",
    "section",    "select",  "summary", "table",      "tbody", "td",     "textarea", "tfoot",
    "th",         "thead",   "title",   "tr",         "ul"};

static const char *const hidden_elements[] = {"head",  "math", "noscript", "script",
                                              "style", "svg",  "template"};

static const char *const code_elements[] = {"code", "pre"};

/* Page furniture wherever it stands; header and footer only outside an
 * <article>, where they are the site's, not the story's. */
static const char *const furniture_elements[] = {"aside", "nav"};
static const char *const furniture_roles[] = {"banner", "complementary", "contentinfo",
                                              "navigation", "search"};

static int attr_is(xmlNodePtr el, const char *name, const char *const *set, size_t n)
{
    xmlChar *v = xmlGetProp(el, (const xmlChar *)name);
    int hit = 0;
    for (size_t i = 0; v && i < n && !hit; i++)
        hit = strcasecmp((const char *)v, set[i]) == 0;
    xmlFree(v);
    return hit;
}

static int is_furniture(const html_ctx *c, xmlNodePtr el)
{
    const xmlChar *name = el->name;
    if (IN_SET(name, furniture_elements))
        return 1;
    if (!c->in_article && (xmlStrEqual(name, (const xmlChar *)"header") ||
                           xmlStrEqual(name, (const xmlChar *)"footer")))
        return 1;
    return attr_is(el, "role", furniture_roles, sizeof furniture_roles / sizeof furniture_roles[0]);
}

/* An inline style that hides the element; spaces and case do not matter. */
static int style_hides(const char *style)
{
    char flat[256];
    size_t n = 0;
    for (const char *p = style; *p && n + 1 < sizeof flat; p++)
        if (!isspace((unsigned char)*p))
            flat[n++] = (char)tolower((unsigned char)*p);
    flat[n] = '\0';
    return strstr(flat, "display:none") || strstr(flat, "visibility:hidden");
}

static int is_invisible(xmlNodePtr el)
{
    static const char *const yes[] = {"true"};
    if (xmlHasProp(el, (const xmlChar *)"hidden"))
        return 1;
    if (attr_is(el, "aria-hidden", yes, 1))
        return 1;
    xmlChar *style = xmlGetProp(el, (const xmlChar *)"style");
    int hidden = style && style_hides((const char *)style);
    xmlFree(style);
    return hidden;
}

/* Visible text goes to body or chrome; block boundaries break the same. */
static sl_field *visible_dest(html_ctx *c)
{
    return (c->in_region || !c->region) && !c->furniture ? &c->doc->body : &c->doc->chrome;
}

/* Elements whose content the parser keeps verbatim: no entities, no tags. */
static const char *const rawtext_elements[] = {"plaintext", "script", "style", "xmp"};

/* ------------------------------------------------------------- references */

/* Decodes the reference at s[0] == '&' as libxml2's HTML parser does:
 * "&#...;" and "&#x...;" (the ';' optional; a value that is no XML
 * character gives nothing), and "&name;" through htmlEntityLookup (the ';'
 * required). Returns the bytes consumed, 0 when the '&' is literal;
 * *outlen may be 0 for a dropped reference. */
static size_t decode_ref(const char *s, size_t n, char out[8], size_t *outlen)
{
    *outlen = 0;
    if (n < 2)
        return 0;
    if (s[1] == '#') {
        size_t p = 2;
        int hex = p < n && (s[p] == 'x' || s[p] == 'X');
        if (hex)
            p++;
        unsigned long v = 0;
        while (p < n && (hex ? isxdigit((unsigned char)s[p]) : isdigit((unsigned char)s[p]))) {
            unsigned d = isdigit((unsigned char)s[p])
                             ? (unsigned)(s[p] - '0')
                             : (unsigned)(tolower((unsigned char)s[p]) - 'a' + 10);
            v = v * (hex ? 16 : 10) + d;
            if (v > 0x110000)
                v = 0x110000;
            p++;
        }
        if (p < n && s[p] == ';')
            p++;
        int is_char = v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) ||
                      (v >= 0xE000 && v <= 0xFFFD) || (v >= 0x10000 && v <= 0x10FFFF);
        if (is_char)
            *outlen = sl_input_put_utf8(v, out);
        return p;
    }
    size_t p = 1;
    char name[32];
    while (p < n && p - 1 < sizeof name - 1 && isalnum((unsigned char)s[p])) {
        name[p - 1] = s[p];
        p++;
    }
    if (p == 1 || p >= n || s[p] != ';')
        return 0;
    name[p - 1] = '\0';
    const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
    if (!e)
        return 0;
    *outlen = sl_input_put_utf8(e->value, out);
    return p + 1;
}

/* ------------------------------------------------------------------ markup */

/* Length of "<name" at s[q] matching `name` (ci) and followed by a tag
 * delimiter, or 0. `end_tag` looks for "</name" instead. */
static size_t tag_name_at(const char *s, size_t len, size_t q, const char *name, int end_tag)
{
    size_t p = q + 1 + (end_tag ? 1 : 0), n = strlen(name);
    if (p > len || len - p < n || s[q] != '<' || (end_tag && s[q + 1] != '/'))
        return 0;
    if (!sl_input_ci_equal(s + p, name, n))
        return 0;
    p += n;
    if (p < len && !isspace((unsigned char)s[p]) && s[p] != '>' && s[p] != '/')
        return 0;
    return p - q;
}

static size_t find_str(const char *s, size_t len, size_t from, const char *lit)
{
    size_t n = strlen(lit);
    for (size_t i = from; i + n <= len; i++)
        if (s[i] == lit[0] && memcmp(s + i, lit, n) == 0)
            return i;
    return len;
}

/* If markup starts at s[q] == '<', returns the offset just past it;
 * otherwise returns q. */
static size_t skip_markup(const char *s, size_t len, size_t q)
{
    if (q + 1 >= len)
        return q;
    char c = s[q + 1];
    size_t e;
    if (c == '!') {
        if (len - q >= 4 && memcmp(s + q, "<!--", 4) == 0)
            e = find_str(s, len, q + 4, "-->") + 3;
        else if (len - q >= 9 && memcmp(s + q, "<![CDATA[", 9) == 0)
            e = find_str(s, len, q + 9, "]]>") + 3;
        else
            e = find_str(s, len, q + 2, ">") + 1;
        return e > len ? len : e;
    }
    if (c == '?' || (c == '/' && q + 2 < len && isalpha((unsigned char)s[q + 2]))) {
        e = find_str(s, len, q + 2, ">") + 1;
        return e > len ? len : e;
    }
    if (!isalpha((unsigned char)c))
        return q;
    size_t p = q + 1;
    while (p < len && !isspace((unsigned char)s[p]) && s[p] != '>' && s[p] != '/')
        p++;
    sl_tag_attr a;
    while (sl_input_next_attr(s, len, &p, &a))
        ;
    return p < len ? p + 1 : len;
}

/* --------------------------------------------------------------- aligning */

static void field_reset(sl_field *f)
{
    f->len = 0;
    if (f->text)
        f->text[0] = '\0';
}

/* Matches node text t[0, n) against source [pos, limit) and appends it,
 * mapped, to `out`. Returns 1 and sets *end past the last source byte
 * used on success; 0 when the text is not written at pos (out then holds
 * garbage: reset it). A '\r' of the text becomes "\n", or nothing when a
 * '\n' follows, as in the other loaders. */
static int align_at(html_ctx *c, size_t pos, size_t limit, const char *t, size_t n, int raw,
                    sl_field *out, size_t *end)
{
    const char *s = c->src->data;
    size_t i = 0, q = pos;
    while (i < n) {
        if (q >= limit)
            return 0;
        unsigned char sc = (unsigned char)s[q];
        if (sc == '&' && !raw) {
            char dec[8];
            size_t dl, el = decode_ref(s + q, limit - q, dec, &dl);
            if (el && dl == 0) {
                q += el;
                continue;
            }
            if (el && dl <= n - i && memcmp(t + i, dec, dl) == 0) {
                if ((c->st = sl_field_append_at(out, dec, dl, q)) != SL_OK)
                    return 0;
                i += dl;
                q += el;
                continue;
            }
        }
        if (sc == '\r' && (t[i] == '\r' || t[i] == '\n')) {
            /* One "\n" per line end, mapped to the '\r' as in the other
             * loaders, whether or not the parser kept the '\r'. */
            if ((c->st = sl_field_append_at(out, "\n", 1, q)) != SL_OK)
                return 0;
            int src_lf = q + 1 < limit && s[q + 1] == '\n';
            if (t[i++] == '\r' && i < n && t[i] == '\n' && src_lf) {
                i++;
                q++;
            } else if (t[i - 1] == '\n' && src_lf) {
                q++;
            }
            q++;
            continue;
        }
        if (sc == (unsigned char)t[i]) {
            size_t r = 1;
            while (i + r < n && q + r < limit && s[q + r] == t[i + r] && s[q + r] != '\r' &&
                   (raw || s[q + r] != '&'))
                r++;
            if ((c->st = sl_field_append_span(out, t + i, r, q)) != SL_OK)
                return 0;
            i += r;
            q += r;
            continue;
        }
        if (sc == '\r' || (sc < 0x20 && sc != '\t' && sc != '\n')) {
            q++;
            continue;
        }
        if (sc == '<' && !raw) {
            size_t e = skip_markup(s, limit, q);
            if (e != q) {
                q = e;
                continue;
            }
        }
        return 0;
    }
    *end = q;
    return 1;
}

/* Source offset of the start of libxml2's line for `node`. */
static size_t line_offset(const html_ctx *c, xmlNodePtr node)
{
    long line = xmlGetLineNo(node);
    if (line <= 0)
        return c->cursor;
    if ((size_t)line > c->src->nlines)
        line = (long)c->src->nlines;
    return c->src->lines[line - 1];
}

/* Aligns one text node into c->scratch (see the design note). */
static void align_node(html_ctx *c, xmlNodePtr node, const char *t, size_t n, int raw)
{
    const char *s = c->src->data;
    size_t len = c->src->len, q = c->cursor, end, tried = 0;
    int blank = sl_input_is_blank(t, n);
    field_reset(&c->scratch);
    while (q < len && tried < ALIGN_WINDOW) {
        if (s[q] == '<') {
            /* Text may itself start with '<' (script, a literal "< b"). */
            if (t[0] == '<' && align_at(c, q, len, t, n, raw, &c->scratch, &end))
                goto found;
            if (c->st != SL_OK)
                return;
            field_reset(&c->scratch);
            size_t e = skip_markup(s, len, q);
            if (e != q) {
                q = e;
                continue;
            }
        }
        if (align_at(c, q, len, t, n, raw, &c->scratch, &end))
            goto found;
        if (c->st != SL_OK)
            return;
        field_reset(&c->scratch);
        /* Whitespace between tags belongs right here or nowhere: looking
         * further would only find some later, unrelated whitespace. */
        if (blank && !isspace((unsigned char)s[q]))
            break;
        q++;
        tried++;
    }
    size_t at = line_offset(c, node);
    c->node_start = at;
    for (size_t i = 0; i < n && c->st == SL_OK; i++) {
        if (t[i] == '\r' && i + 1 < n && t[i + 1] == '\n')
            continue;
        c->st = sl_field_append_at(&c->scratch, t[i] == '\r' ? "\n" : t + i, 1, at);
    }
    return;
found:
    c->node_start = q;
    c->cursor = end;
}

/* ------------------------------------------------------------- start tags */

/* Does the source tag whose attributes start at *p carry exactly el's
 * attributes? On a match, *content_at/_len give the "content" value. */
static int tag_matches(html_ctx *c, xmlNodePtr el, size_t *p, size_t *cv, size_t *cvlen)
{
    const char *s = c->src->data;
    size_t len = c->src->len, nattr = 0, nprops = 0, end;
    int ok = 1;
    sl_tag_attr a;
    for (xmlAttrPtr pr = el->properties; pr; pr = pr->next)
        nprops++;
    sl_tag_attr seen[32];
    *cv = *cvlen = 0;
    while (sl_input_next_attr(s, len, p, &a)) {
        /* The parser keeps the first of duplicate attributes: so do we. */
        int dup = 0;
        for (size_t i = 0; i < nattr && i < 32 && !dup; i++)
            dup = seen[i].name_len == a.name_len &&
                  strncasecmp(s + seen[i].name, s + a.name, a.name_len) == 0;
        if (dup)
            continue;
        if (nattr < 32)
            seen[nattr] = a;
        nattr++;
        if (!ok || a.name_len >= 64)
            continue;
        char name[64];
        for (size_t i = 0; i < a.name_len; i++)
            name[i] = (char)tolower((unsigned char)s[a.name + i]);
        name[a.name_len] = '\0';
        xmlChar *v = xmlGetProp(el, (const xmlChar *)name);
        if (!v) {
            ok = 0;
            continue;
        }
        /* Values are compared decoded: the tag must say what the node says. */
        size_t vn = strlen((const char *)v);
        field_reset(&c->scratch);
        if (vn && (!align_at(c, a.value, a.value + a.value_len, (const char *)v, vn, 0, &c->scratch,
                             &end) ||
                   end != a.value + a.value_len))
            ok = 0;
        if (strcmp(name, "content") == 0) {
            *cv = a.value;
            *cvlen = a.value_len;
        }
        xmlFree(v);
    }
    return ok && nattr == nprops;
}

/* Offset of el's start tag in [from, from + window), or (size_t)-1. The
 * tag's attributes must carry el's values, so that one <meta> is not taken
 * for the one before it. The window keeps a tag that is not in the source
 * as written (an implied element) from costing a scan of the file. */
static size_t find_start_tag(html_ctx *c, xmlNodePtr el, size_t from, size_t window, size_t *cv,
                             size_t *cvlen)
{
    const char *s = c->src->data, *name = (const char *)el->name;
    size_t len = c->src->len;
    if (window < len - from)
        len = from + window;
    for (size_t q = from; q < len && c->st == SL_OK; q++) {
        if (s[q] != '<')
            continue;
        size_t k = tag_name_at(s, len, q, name, 0);
        if (!k) {
            if (q + 3 < len && memcmp(s + q, "<!--", 4) == 0)
                q = skip_markup(s, len, q) - 1;
            continue;
        }
        size_t p = q + k;
        if (tag_matches(c, el, &p, cv, cvlen)) {
            c->tag_cursor = p;
            return q;
        }
    }
    return (size_t)-1;
}

/* End of the element whose start tag is at `start`: past its matching end
 * tag, counting nested elements of the same name; the end of the file
 * when it is never closed. */
static size_t element_end(const html_ctx *c, const char *name, size_t start)
{
    const char *s = c->src->data;
    size_t len = c->src->len, depth = 0;
    size_t q = start;
    while (q < len) {
        if (s[q] != '<') {
            q++;
            continue;
        }
        if (tag_name_at(s, len, q, name, 1)) {
            size_t e = skip_markup(s, len, q);
            if (--depth == 0)
                return e;
            q = e;
        } else if (tag_name_at(s, len, q, name, 0)) {
            size_t e = skip_markup(s, len, q);
            if (!(e >= 2 && s[e - 2] == '/'))
                depth++;
            q = e;
        } else if (tag_name_at(s, len, q, "script", 0) || tag_name_at(s, len, q, "style", 0)) {
            /* Their text is not markup: "</article>" in a script string
             * closes nothing. */
            const char *raw = tag_name_at(s, len, q, "script", 0) ? "</script" : "</style";
            size_t e = find_str(s, len, skip_markup(s, len, q), raw);
            q = e < len ? skip_markup(s, len, e) : len;
        } else {
            size_t e = skip_markup(s, len, q);
            q = e == q ? q + 1 : e;
        }
        if (depth == 0)
            return q;
    }
    return len;
}

static void enter_region(html_ctx *c, xmlNodePtr el)
{
    size_t cv, cvlen, from = c->cursor > c->tag_cursor ? c->cursor : c->tag_cursor;
    size_t start = find_start_tag(c, el, from, c->src->len, &cv, &cvlen), end = c->src->len;
    if (start == (size_t)-1)
        start = c->cursor; /* an implied <body>: from where its content begins */
    else
        end = element_end(c, (const char *)el->name, start);
    if (c->st == SL_OK)
        c->st = sl_input_append_lines(&c->doc->raw, c->src->data, start, end);
}

/* ------------------------------------------------------------------- meta */

static sl_status add_meta(html_ctx *c, xmlNodePtr el)
{
    static const char *const keys[] = {"name", "property", "itemprop"};
    xmlChar *key = NULL, *content = xmlGetProp(el, (const xmlChar *)"content");
    for (size_t i = 0; content && !key && i < sizeof keys / sizeof keys[0]; i++)
        key = xmlGetProp(el, (const xmlChar *)keys[i]);
    sl_status st = SL_OK;
    if (!key || !content || !*key || !*content)
        goto cleanup;
    size_t cv, cvlen, from = c->cursor > c->tag_cursor ? c->cursor : c->tag_cursor;
    size_t tag = find_start_tag(c, el, from, ALIGN_WINDOW, &cv, &cvlen);
    if ((st = c->st) != SL_OK)
        goto cleanup;
    size_t n = strlen((const char *)content), end;
    sl_field *f;
    if ((st = sl_document_add_meta(c->doc, (const char *)key, &f)) != SL_OK)
        goto cleanup;
    field_reset(&c->scratch);
    if (tag == (size_t)-1 ||
        !align_at(c, cv, cv + cvlen, (const char *)content, n, 0, &c->scratch, &end)) {
        if ((st = c->st) != SL_OK)
            goto cleanup;
        field_reset(&c->scratch);
        st = sl_field_append_at(&c->scratch, (const char *)content, n,
                                tag == (size_t)-1 ? line_offset(c, el) : cv);
    }
    if (st == SL_OK)
        st = sl_input_copy_field(f, &c->scratch, 0, c->scratch.len);
    if (st == SL_OK && c->og_title.len == 0 && strcasecmp((const char *)key, "og:title") == 0)
        st = sl_input_copy_field(&c->og_title, f, 0, f->len);
cleanup:
    xmlFree(key);
    xmlFree(content);
    return st;
}

static int is_jsonld_script(xmlNodePtr el)
{
    if (strcmp((const char *)el->name, "script") != 0)
        return 0;
    xmlChar *type = xmlGetProp(el, (const xmlChar *)"type");
    int yes = 0;
    for (const char *t = (const char *)type; t && *t && !yes; t++)
        yes = strlen(t) >= 7 && sl_input_ci_equal(t, "ld+json", 7);
    xmlFree(type);
    return yes;
}

static sl_status add_jsonld(html_ctx *c, xmlNodePtr el)
{
    xmlChar *json = xmlNodeGetContent(el);
    if (!json)
        return SL_OK;
    size_t start = c->script_start == (size_t)-1 ? line_offset(c, el) : c->script_start;
    sl_status st = sl_jsonld_read(c->src, start, c->cursor > start ? c->cursor : start,
                                  (const char *)json, c->doc, &c->headline);
    xmlFree(json);
    return st;
}

/* ------------------------------------------------------------------- walk */

static void enter(html_ctx *c, xmlNodePtr el)
{
    const xmlChar *name = el->name;
    sl_document *d = c->doc;
    if (el == c->region)
        enter_region(c, el);
    if (el == c->region || c->in_region)
        c->in_region++;
    if (xmlStrEqual(name, (const xmlChar *)"article"))
        c->in_article++;
    if (c->furniture || is_furniture(c, el))
        c->furniture++;
    if (c->skip || IN_SET(name, hidden_elements) || is_invisible(el))
        c->skip++;
    if (IN_SET(name, code_elements) && c->code++ == 0 && c->st == SL_OK)
        c->st = sl_field_break(&d->code, c->cursor);
    if (xmlStrEqual(name, (const xmlChar *)"title") && !c->title_seen) {
        c->title_seen = 1;
        c->title = 1;
    } else if (c->title) {
        c->title++;
    }
    if (el == c->first_h1 || c->in_h1)
        c->in_h1++;
    if (xmlStrEqual(name, (const xmlChar *)"script"))
        c->script_start = (size_t)-1;
    if (c->st == SL_OK && !c->skip && IN_SET(name, block_elements))
        c->st = sl_field_break(visible_dest(c), c->cursor);
    if (c->st == SL_OK && xmlStrEqual(name, (const xmlChar *)"meta"))
        c->st = add_meta(c, el);
}

static void leave(html_ctx *c, xmlNodePtr el)
{
    const xmlChar *name = el->name;
    if (c->st == SL_OK && !c->skip && IN_SET(name, block_elements))
        c->st = sl_field_break(visible_dest(c), c->cursor);
    if (c->st == SL_OK && is_jsonld_script(el))
        c->st = add_jsonld(c, el);
    if (c->skip)
        c->skip--;
    if (c->furniture)
        c->furniture--;
    if (c->in_article && xmlStrEqual(name, (const xmlChar *)"article"))
        c->in_article--;
    if (c->in_region)
        c->in_region--;
    if (IN_SET(name, code_elements) && c->code && --c->code == 0 && c->st == SL_OK)
        c->st = sl_field_break(&c->doc->code, c->cursor);
    if (c->title)
        c->title--;
    if (c->in_h1)
        c->in_h1--;
}

static void text(html_ctx *c, xmlNodePtr node)
{
    const char *t = (const char *)node->content;
    if (!t || !*t)
        return;
    xmlNodePtr parent = node->parent;
    int raw = node->type == XML_CDATA_SECTION_NODE || (parent && parent->type == XML_ELEMENT_NODE &&
                                                       IN_SET(parent->name, rawtext_elements));
    align_node(c, node, t, strlen(t), raw);
    if (c->st != SL_OK)
        return;
    if (parent && parent->type == XML_ELEMENT_NODE &&
        xmlStrEqual(parent->name, (const xmlChar *)"script") && c->script_start == (size_t)-1)
        c->script_start = c->node_start;
    sl_field *dest = NULL;
    if (c->title)
        dest = &c->title_tag;
    else if (c->skip)
        dest = NULL;
    else if (c->code)
        dest = &c->doc->code;
    else
        dest = visible_dest(c);
    if (dest)
        c->st = sl_input_copy_field(dest, &c->scratch, 0, c->scratch.len);
    if (c->st == SL_OK && c->in_h1 && !c->skip)
        c->st = sl_input_copy_field(&c->h1, &c->scratch, 0, c->scratch.len);
}

static void walk(html_ctx *c, xmlDocPtr doc)
{
    xmlNodePtr n = doc->children;
    while (n && c->st == SL_OK) {
        if (n->type == XML_ELEMENT_NODE) {
            enter(c, n);
            if (n->children) {
                n = n->children;
                continue;
            }
            leave(c, n);
        } else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            text(c, n);
        }
        /* Next in document order, leaving every element we climb out of. */
        while (n && !n->next) {
            n = n->parent;
            if (!n || n->type != XML_ELEMENT_NODE) {
                n = NULL;
                break;
            }
            leave(c, n);
        }
        if (n)
            n = n->next;
    }
}

static int has_ancestor(xmlNodePtr n, const char *const *names, size_t count)
{
    for (n = n->parent; n && n->type == XML_ELEMENT_NODE; n = n->parent)
        if (name_in(n->name, names, count))
            return 1;
    return 0;
}

static int contains_element(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr k = n->children; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE &&
            (xmlStrEqual(k->name, (const xmlChar *)name) || contains_element(k, name)))
            return 1;
    return 0;
}

static size_t text_length(xmlNodePtr n)
{
    xmlChar *t = xmlNodeGetContent(n);
    size_t len = t ? strlen((const char *)t) : 0;
    xmlFree(t);
    return len;
}

/* The article region, and the first <h1> (a title candidate). Real pages
 * hold many <article> elements (teaser cards, related stories), so the
 * region is the first article holding an <h1>; else <main>; else the
 * largest article; else role="main"; else <body>. Articles inside nav or
 * aside are teasers, never the region. */
#define MAX_ARTICLES 256
static void find_landmarks(html_ctx *c, xmlDocPtr doc)
{
    static const char *const teaser_homes[] = {"aside", "nav"};
    xmlNodePtr articles[MAX_ARTICLES];
    size_t narticles = 0;
    xmlNodePtr main_el = NULL, role_main = NULL, body = NULL;
    xmlNodePtr n = doc->children;
    while (n) {
        if (n->type == XML_ELEMENT_NODE) {
            const char *name = (const char *)n->name;
            if (strcmp(name, "article") == 0 && narticles < MAX_ARTICLES &&
                !has_ancestor(n, teaser_homes, 2))
                articles[narticles++] = n;
            else if (!main_el && strcmp(name, "main") == 0)
                main_el = n;
            else if (!body && strcmp(name, "body") == 0)
                body = n;
            else if (!c->first_h1 && strcmp(name, "h1") == 0)
                c->first_h1 = n;
            if (!role_main) {
                xmlChar *role = xmlGetProp(n, (const xmlChar *)"role");
                if (role && strcasecmp((const char *)role, "main") == 0)
                    role_main = n;
                xmlFree(role);
            }
            if (n->children) {
                n = n->children;
                continue;
            }
        }
        while (n && !n->next) {
            n = n->parent;
            if (n && n->type != XML_ELEMENT_NODE)
                n = NULL;
        }
        if (n)
            n = n->next;
    }
    xmlNodePtr with_h1 = NULL, largest = NULL;
    size_t best = 0;
    for (size_t i = 0; i < narticles; i++) {
        if (!with_h1 && contains_element(articles[i], "h1"))
            with_h1 = articles[i];
        size_t len = text_length(articles[i]);
        if (!largest || len > best) {
            largest = articles[i];
            best = len;
        }
    }
    c->region = with_h1     ? with_h1
                : main_el   ? main_el
                : largest   ? largest
                : role_main ? role_main
                            : body;
}

/* The title by precedence; each candidate must hold more than whitespace. */
static sl_status choose_title(html_ctx *c)
{
    sl_field *cands[] = {&c->title_tag, &c->og_title, &c->h1, &c->headline};
    for (size_t i = 0; i < sizeof cands / sizeof cands[0]; i++)
        if (!sl_input_is_blank(cands[i]->text ? cands[i]->text : "", cands[i]->len))
            return sl_input_copy_field(&c->doc->title, cands[i], 0, cands[i]->len);
    return SL_OK;
}

sl_status sl_load_html(const sl_source *src, sl_doclist *docs, sl_diag *diag)
{
    html_ctx c;
    memset(&c, 0, sizeof c);
    c.src = src;
    c.script_start = (size_t)-1;
    xmlDocPtr doc = NULL;
    sl_status st = sl_doclist_add(docs, src->path, &c.doc);
    if (st != SL_OK)
        goto cleanup;
    if (src->len > INT_MAX) {
        st = sl_diag_set(diag, SL_ELIMIT, NULL, 0, 0, NULL, "HTML file too large (%zu bytes)",
                         src->len);
        goto cleanup;
    }
    st = sl_input_append_lines(&c.doc->page, src->data, 0, src->len);
    if (st != SL_OK)
        goto cleanup;
    /* The source is UTF-8 already (converted on load): IGNORE_ENC keeps a
     * stale <meta charset> from making libxml2 convert it a second time.
     * COMPACT keeps short text nodes inside the node (fewer allocations);
     * the tree is only read. */
    doc = htmlReadMemory(src->data, (int)src->len, src->path, "UTF-8",
                         HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                             HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC | HTML_PARSE_COMPACT);
    if (!doc) {
        /* Nothing parsed out of a non-empty file: scan its text as is
         * rather than let it pass unread. */
        st = sl_input_append_lines(&c.doc->body, src->data, 0, src->len);
        c.doc->raw_is_page = 1;
        goto cleanup;
    }
    find_landmarks(&c, doc);
    walk(&c, doc);
    st = c.st;
    if (st == SL_OK && !c.region)
        c.doc->raw_is_page = 1;
    if (st == SL_OK)
        st = choose_title(&c);
cleanup:
    if (doc)
        xmlFreeDoc(doc);
    sl_field_clear(&c.scratch);
    sl_field_clear(&c.title_tag);
    sl_field_clear(&c.og_title);
    sl_field_clear(&c.h1);
    sl_field_clear(&c.headline);
    if (st == SL_ENOMEM)
        return sl_diag_set(diag, st, NULL, 0, 0, NULL, "out of memory loading HTML");
    if (st != SL_OK && diag && !diag->message[0])
        sl_diag_set(diag, st, NULL, 0, 0, NULL, "HTML input too large");
    return st;
}
