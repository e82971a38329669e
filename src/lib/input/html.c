/*
 * The HTML loader: a page's fields, every byte mapped to where it is
 * written in the source.
 *
 * Design note. html_tree.c reads the page and reports, in document
 * order, which elements open and close and where each run of text lies;
 * this file decides which field each run feeds and decodes it into that
 * field, a literal byte mapping to itself and a character reference to
 * its '&'. The page is read once. Which text is the article's is known
 * only at the end (the region depends on which <article> holds an <h1>
 * and how much text each holds), so visible text and block breaks are
 * kept as a list of source spans, each with the number of the open or
 * close event it came after, and go to body or chrome once the region is
 * chosen: a span is the region's when it lies between the region's open
 * and close events. Every other field is filled as the page is read.
 *
 * What goes where:
 *   title  <title>; else <meta property="og:title">; else the first <h1>;
 *          else a JSON-LD headline
 *   body   visible text of the article region (the first <article> holding
 *          the <h1>, else <main>, else the element marked
 *          itemprop="articleBody", else the largest <article> if it holds
 *          an eighth of the page's visible text, else an element with
 *          role="main", else <body>; a marked body or a largest article
 *          starts at the first <h1> outside furniture when that is close
 *          above it), block
 *          elements giving line breaks; never the text of head, script,
 *          style, noscript, template, iframe, svg, math, pre or code
 *   chrome visible text outside the article region, and inside it the
 *          page furniture that is not the article: <nav>, <aside> and the
 *          ARIA landmarks navigation, banner, contentinfo, complementary
 *          and search, plus <header>/<footer> not inside an <article>,
 *          <main>, <section>, <aside> or <nav>, outside an <article> an
 *          element whose id or class names a sidebar, site header or
 *          footer or cookie banner ("sidebar", "right-sidebar",
 *          "site-header", "masthead", ...; "header", "footer", "menu" as
 *          an id) on pages built of divs, and anywhere readers' comments
 *          and related-story lists (an id or class "comments",
 *          "disqus_thread", "jp-relatedposts", "related", ...). A
 *          site header's "Subscribe" link or a newsletter box is normal
 *          page furniture, while the same words in the article are a
 *          leak, so rules choose between the two.
 *          Hidden elements (the hidden attribute, aria-hidden="true", an
 *          inline display:none or visibility:hidden, a <dialog> without
 *          its open attribute, and on an AMP page a subscriptions-section=
 *          "content-not-granted" or a subscriptions-dialog) feed neither:
 *          a meter counter a paywall script has not shown yet is not on
 *          the page, and AMP's paywall is the publisher's own, shown only
 *          to readers without access.
 *   code   text of pre and code elements, one block per line
 *   raw    source markup of the article region
 *   page   the whole source
 * Line ends are unified to "\n" in every field, as in the other loaders;
 * control characters other than tab and line ends are dropped.
 *   meta   <meta name|property|itemprop content>, JSON-LD (jsonld.c)
 */
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input/entities.h"
#include "input/html_tree.h"
#include "input/input.h"
#include "input/jsonld.h"
#include "input/loadutil.h"
#include "util/diag.h"
#include "util/swar.h"

/* The largest <article> is the region only when it holds at least
 * 1/LARGEST_SHARE of the page's visible text. */
#define LARGEST_SHARE 8

/* How much text (bytes) may stand between a headline and the story region
 * below it for the region to start at the headline. */
#define HEADLINE_GAP 1500

/* How much text (bytes) may stand between one element marked
 * itemprop="articleBody" and the next for both to be the story: a live
 * blog marks each update's text, with only its time and headline between. */
#define UPDATE_GAP 1500

/* An element the region may be: which one, the source it spans, and the
 * open and close events that bound it. */
typedef struct landmark {
    size_t ordinal, open, close;
    int set;
    size_t open_ev, close_ev;
    size_t open_text; /* html_ctx.text_total where it opens */
} landmark;

/* Visible text, or a block break, waiting for the region to be known. */
typedef struct vis_span {
    uint32_t start, end; /* source text; a break: end is the cursor */
    uint32_t ev;         /* the event it came in or after (html_ctx.ev) */
    uint8_t kind;        /* VIS_TEXT, VIS_TEXT_RAW or VIS_BREAK */
    uint8_t furniture;   /* inside page furniture: chrome wherever it is */
    uint8_t in_article;  /* inside an <article> (a card, when none is the story) */
    uint32_t furn_ev;    /* with furniture: the open event of its outermost element */
} vis_span;

enum { VIS_TEXT, VIS_TEXT_RAW, VIS_BREAK };

typedef struct html_ctx {
    const sl_source *src;
    int part; /* the markup is all story (sl_load_html_part) */
    int amp;  /* an AMP document (<html amp> or <html ⚡>) */
    const char *s;
    sl_document *doc;
    /* Numbers the open and close events: an open gets the next number, a
     * close the next and moves one past it, so that what comes in an
     * element's open and close events, and between them, is numbered from
     * its open to its close, and nothing else is. */
    size_t ev;
    size_t cand_ev; /* the last event that opened or closed a landmark */
    /* landmarks */
    size_t h1s;          /* <h1> elements opened so far */
    size_t text_total;   /* bytes of text read so far */
    size_t vis_total;    /* bytes of it that are visible (body or chrome) */
    size_t teaser_homes; /* open <aside> and <nav> */
    landmark with_h1, main_el, largest, role_main, body;
    landmark h1_mark;       /* the first <h1> outside page furniture, <aside> and <nav> */
    landmark article_body;  /* the first itemprop="articleBody" outside teaser homes, up to
                             * the last of those that follow it closely (a live blog's
                             * updates) */
    size_t body_close_text; /* text_total where article_body closes */
    size_t body_next;       /* ordinal of the next articleBody, when it may extend it; 0: none */
    size_t largest_len;
    size_t articles_len; /* text in outermost <article>s outside furniture */
    size_t narticles;    /* those <article>s */
    size_t art_ps;       /* <p>s in the outermost <article> open or last closed */
    size_t largest_ps;   /* <p>s in the largest <article> */
    size_t first_h1;
    int have_h1;
    /* fields */
    landmark region;
    vis_span *vis; /* owned: visible text in order, nvis of cap */
    size_t nvis, vis_cap;
    size_t cursor; /* just past the last text read */
    sl_field scratch, value;
    sl_field title_tag, og_title, h1, headline;
    int title_seen;
    int jsonld;          /* the open script is JSON-LD */
    unsigned skip;       /* depth inside elements whose text is not visible */
    unsigned in_article; /* depth inside any <article> */
    /* Depth inside <main>, <section>, <aside> or <nav>: a <header> or
     * <footer> there is that element's, not the site's (HTML-AAM maps
     * header and footer to banner and contentinfo only outside article,
     * aside, main, nav and section). */
    unsigned in_sectioning;
    unsigned furniture; /* depth inside nav/aside/landmarks (chrome even in the region) */
    size_t furn_ev;     /* the open event of the outermost furniture element */
    int furn_header;    /* ... which is a <header> */
    /* A <header> the site's by its place but holding the story's headline:
     * on a page of divs, "<header><h1>Metro fares to rise</h1><p>By PTI</p>
     * </header>" heads the story. Its open event, when one holds an <h1>. */
    size_t header_h1_ev;
    int header_h1;
    size_t header_nav_ev;            /* the open event of a <header> that holds a <nav>, a site's */
    unsigned code;                   /* depth inside pre/code */
    unsigned title;                  /* depth inside the first <title> */
    unsigned in_h1;                  /* depth inside the first <h1> */
    size_t script_start, script_end; /* the open script's text */
} html_ctx;

/* ------------------------------------------------------------- references */

/* Decodes the reference at s[0] == '&': "&#...;" and "&#x...;" (the ';'
 * optional; a value that is no XML character gives nothing), and "&name;"
 * for every name the HTML standard lists (the ';' required, so "&amp" and
 * "&copy2024" stay as written). Returns the bytes consumed, 0 when the '&'
 * is literal; *outlen may be 0 for a dropped reference. */
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
    while (p < n && p <= SL_ENTITY_NAME_MAX && isalnum((unsigned char)s[p]))
        p++;
    if (p == 1 || p >= n || s[p] != ';')
        return 0;
    const char *v = sl_html_entity(s + 1, p - 1);
    if (!v)
        return 0;
    *outlen = strlen(v);
    memcpy(out, v, *outlen);
    return p + 1;
}

/* ------------------------------------------------------------------- text */

/* Nonzero when one of the eight bytes at p is below 0x20, or is '&' and
 * references are decoded (raw zero). */
static inline int special8(const char *p, int raw)
{
    uint64_t w = sl_swar_load(p);
    return (sl_swar_below(w, 0x20) | (raw ? 0 : sl_swar_has(w, '&'))) != 0;
}

/* Appends source [start, end) to f: references decoded unless `raw`, a
 * "\r\n" or lone "\r" as one "\n" mapped to the '\r', other control
 * characters (but tab and "\n") dropped. */
static sl_status emit(const html_ctx *c, sl_field *f, size_t start, size_t end, int raw)
{
    const char *s = c->s;
    sl_status st = SL_OK;
    size_t p = start;
    while (p < end && st == SL_OK) {
        size_t q = p;
        for (;;) {
            /* Eight bytes at a time while none is a control or a '&'
             * (tab and "\n", which are kept, stop it too). */
            while (end - q >= 8 && !special8(s + q, raw))
                q += 8;
            if (q >= end)
                break;
            unsigned char ch = (unsigned char)s[q];
            if (ch < 0x20 ? ch != '\t' && ch != '\n' : ch == '&' && !raw)
                break;
            q++;
        }
        if (q > p && (st = sl_field_append_span(f, s + p, q - p, p)) != SL_OK)
            break;
        if (q >= end)
            break;
        if (s[q] == '\r') {
            st = sl_field_append_at(f, "\n", 1, q);
            q += q + 1 < end && s[q + 1] == '\n' ? 2 : 1;
        } else if (s[q] == '&') {
            char dec[8];
            size_t dl, el = decode_ref(s + q, end - q, dec, &dl);
            if (el == 0) {
                st = sl_field_append_span(f, s + q, 1, q);
                q++;
            } else {
                if (dl)
                    st = sl_field_append_at(f, dec, dl, q);
                q += el;
            }
        } else {
            q++;
        }
        p = q;
    }
    return st;
}

/* ------------------------------------------------------------- attributes */

enum {
    A_ROLE = 1u << 0,
    A_HIDDEN = 1u << 1,
    A_ARIA_HIDDEN = 1u << 2,
    A_STYLE = 1u << 3,
    A_TYPE = 1u << 4,
    A_CONTENT = 1u << 5,
    A_NAME = 1u << 6,
    A_PROPERTY = 1u << 7,
    A_ITEMPROP = 1u << 8,
    A_ID = 1u << 9,
    A_CLASS = 1u << 10,
    A_OPEN = 1u << 11,
    A_SHADOWROOTMODE = 1u << 12,
    A_SHADOWROOT = 1u << 13,
    A_SUBS_SECTION = 1u << 14,
    A_SUBS_DIALOG = 1u << 15,
    A_AMP = 1u << 16,
    A_AMP_BOLT = 1u << 17,
    A_COUNT = 18
};

/* The attributes of one start tag the loader reads; of duplicates, the
 * first counts, as in browsers. */
typedef struct attrs {
    sl_tag_attr at[A_COUNT];
    unsigned have;
} attrs;

static void read_attrs(const html_ctx *c, const sl_html_tag *t, attrs *a)
{
    static const struct {
        const char *name;
        size_t len;
    } names[A_COUNT] = {{"role", 4},
                        {"hidden", 6},
                        {"aria-hidden", 11},
                        {"style", 5},
                        {"type", 4},
                        {"content", 7},
                        {"name", 4},
                        {"property", 8},
                        {"itemprop", 8},
                        {"id", 2},
                        {"class", 5},
                        {"open", 4},
                        {"shadowrootmode", 14},
                        {"shadowroot", 10},
                        {"subscriptions-section", 21},
                        {"subscriptions-dialog", 20},
                        {"amp", 3},
                        {"\xE2\x9A\xA1", 3}};
    a->have = 0;
    if (!t)
        return;
    size_t p = t->attrs;
    sl_tag_attr x;
    while (sl_input_next_attr(c->s, c->src->len, &p, &x)) {
        for (unsigned i = 0; i < A_COUNT; i++) {
            if (x.name_len == names[i].len &&
                sl_input_ci_equal(c->s + x.name, names[i].name, x.name_len)) {
                if (!(a->have & (1u << i))) {
                    a->at[i] = x;
                    a->have |= 1u << i;
                }
                break;
            }
        }
    }
}

static unsigned bit_index(unsigned bit)
{
    unsigned i = 0;
    while (!(bit & 1u)) {
        bit >>= 1;
        i++;
    }
    return i;
}

/* The decoded value of attribute `bit`, in c->scratch ("" when absent),
 * or NULL when out of memory. */
static const char *attr_value(html_ctx *c, const attrs *a, unsigned bit)
{
    sl_field_reset(&c->scratch);
    if (a->have & bit) {
        const sl_tag_attr *x = &a->at[bit_index(bit)];
        if (emit(c, &c->scratch, x->value, x->value + x->value_len, 0) != SL_OK)
            return NULL;
    }
    return c->scratch.text ? c->scratch.text : "";
}

static int attr_is(html_ctx *c, const attrs *a, unsigned bit, const char *const *set, size_t n)
{
    if (!(a->have & bit))
        return 0;
    const char *v = attr_value(c, a, bit);
    for (size_t i = 0; v && i < n; i++)
        if (strcasecmp(v, set[i]) == 0)
            return 1;
    return 0;
}

/* Page furniture wherever it stands; header and footer only outside an
 * <article>, where they are the site's, not the story's. */
static const char *const furniture_roles[] = {"banner", "complementary", "contentinfo",
                                              "navigation", "search"};

/* The names a page without landmarks gives its sidebar, header, footer and
 * cookie banner, as an id or a class, whole: not "elementor-widget-
 * container", which page builders wrap the story in, nor "widget" alone,
 * which Blogger gives the block of its posts ("widget Blog"), nor "header"
 * as a class, which a story's own heading block may carry. */
static const char *const furniture_names[] = {
    "sidebar",       "widget-area",   "right-sidebar", "left-sidebar",
    "sidebar-right", "sidebar-left",  "main-sidebar",  "td-main-sidebar",
    "col-sidebar",   "site-header",   "site-footer",   "masthead",
    "navbar",        "cookie-banner", "cookie-notice", "cookie-consent"};

/* As an id only (one per page, the site's): the header, footer and menu
 * of a page built of divs. */
static const char *const furniture_ids[] = {"header", "footer", "menu", "nav", "navigation"};

/* The names readers' comments (WordPress classic and block themes, Drupal,
 * Disqus) and related-story lists (Jetpack, YARPP, Contextual Related
 * Posts, tagDiv, "Read next", "Also read") go by, whole: they are never the
 * story, even where a theme puts them inside its <article>, and a related
 * story's teaser carries that story's dateline. */
static const char *const comment_names[] = {
    "comments",          "comments-area", "comment-list",     "commentlist",
    "wp-block-comments", "disqus_thread", "comment-respond",  "related",
    "related-posts",     "relatedposts",  "related-articles", "related-stories",
    "jp-relatedposts",   "yarpp-related", "crp_related",      "td_block_related_posts",
    "read-next",         "also-read"};

/* An <aside> named so holds the story's own words, set apart on the page:
 * a pull quote or a fact box is text of the article (a placeholder or a
 * paywall prompt left in it is the story's), not the site's. */
static const char *const story_aside_names[] = {
    "pullquote", "pull-quote", "pull_quote", "pullout",  "quote",      "blockquote",
    "factbox",   "fact-box",   "key-facts",  "keyfacts", "fast-facts", "highlights"};

/* Nonzero when attribute `bit` (an id, or a class list) holds one of the
 * n names as a whole token, in any case. Read from the source as written:
 * names hold no character references. */
static int names_one_of(const html_ctx *c, const attrs *a, unsigned bit, const char *const *names,
                        size_t nnames)
{
    if (!(a->have & bit))
        return 0;
    const sl_tag_attr *x = &a->at[bit_index(bit)];
    const char *v = c->s + x->value, *end = v + x->value_len;
    while (v < end) {
        while (v < end && isspace((unsigned char)*v))
            v++;
        const char *t = v;
        while (v < end && !isspace((unsigned char)*v))
            v++;
        size_t n = (size_t)(v - t);
        for (size_t i = 0; n && i < nnames; i++)
            if (strlen(names[i]) == n && sl_input_ci_equal(t, names[i], n))
                return 1;
    }
    return 0;
}

/* An element the tree builder does not know, by its name in any case. */
static int is_named(const html_ctx *c, const sl_html_el *el, const char *name)
{
    size_t n = strlen(name);
    return el->kind == SL_HK_OTHER && el->name_len == n &&
           sl_input_ci_equal(c->s + el->name, name, n);
}

static int sidebar_kind(const html_ctx *c, const sl_html_el *el)
{
    switch (el->kind) {
    case SL_HK_DIV:
    case SL_HK_UL:
    case SL_HK_OL:
    case SL_HK_TD:
        return 1;
    case SL_HK_OTHER:
        return is_named(c, el, "section");
    default:
        return 0;
    }
}

/* main, section, aside, nav: see html_ctx.in_sectioning. */
static int sectioning(const html_ctx *c, const sl_html_el *el)
{
    return el->kind == SL_HK_MAIN || el->kind == SL_HK_ASIDE || el->kind == SL_HK_NAV ||
           is_named(c, el, "section");
}

static int is_furniture(html_ctx *c, const sl_html_el *el, const attrs *a)
{
    size_t nsa = sizeof story_aside_names / sizeof *story_aside_names;
    if (el->kind == SL_HK_ASIDE)
        return !names_one_of(c, a, A_CLASS, story_aside_names, nsa) &&
               !names_one_of(c, a, A_ID, story_aside_names, nsa);
    if (el->kind == SL_HK_NAV)
        return 1;
    if (!c->in_article && !c->in_sectioning &&
        (el->kind == SL_HK_HEADER || el->kind == SL_HK_FOOTER))
        return 1;
    /* A sidebar is the site's wherever it stands outside an <article>:
     * pages built of divs put their promotions and "most read" lists there,
     * beside the story, in the region a page without landmarks has. Only
     * the containers a sidebar is made of are asked (div, section, list,
     * table cell), not every inline element. */
    size_t nf = sizeof furniture_names / sizeof *furniture_names;
    size_t ni = sizeof furniture_ids / sizeof *furniture_ids;
    if (!c->in_article && sidebar_kind(c, el) &&
        (names_one_of(c, a, A_ID, furniture_names, nf) ||
         names_one_of(c, a, A_CLASS, furniture_names, nf) ||
         names_one_of(c, a, A_ID, furniture_ids, ni)))
        return 1;
    size_t ncm = sizeof comment_names / sizeof *comment_names;
    if (sidebar_kind(c, el) && (names_one_of(c, a, A_ID, comment_names, ncm) ||
                                names_one_of(c, a, A_CLASS, comment_names, ncm)))
        return 1;
    return attr_is(c, a, A_ROLE, furniture_roles, sizeof furniture_roles / sizeof *furniture_roles);
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

static int is_invisible(html_ctx *c, const sl_html_el *el, const attrs *a)
{
    static const char *const yes[] = {"true"};
    if (a->have & A_HIDDEN)
        return 1;
    /* A <dialog> is shown only with its open attribute (a paywall's meter
     * modal waits closed until a script opens it). */
    if (is_named(c, el, "dialog") && !(a->have & A_OPEN))
        return 1;
    if (attr_is(c, a, A_ARIA_HIDDEN, yes, 1))
        return 1;
    /* On an AMP page, a subscriptions section marked content-not-granted,
     * and the subscriptions dialog, are the publisher's declared paywall,
     * which the AMP runtime shows only to readers without access; the
     * article is in the section marked content (paywall.amp-subscriptions
     * warns of the markup). Anywhere else nothing hides them: the same
     * markup copied into a page or a feed item shows its text to every
     * reader. */
    static const char *const not_granted[] = {"content-not-granted"};
    if (c->amp && (attr_is(c, a, A_SUBS_SECTION, not_granted, 1) || (a->have & A_SUBS_DIALOG)))
        return 1;
    if (!(a->have & A_STYLE))
        return 0;
    const char *style = attr_value(c, a, A_STYLE);
    return style && style_hides(style);
}

static int is_jsonld(html_ctx *c, const attrs *a)
{
    if (!(a->have & A_TYPE))
        return 0;
    const char *t = attr_value(c, a, A_TYPE);
    for (; t && *t; t++)
        if (strlen(t) >= 7 && sl_input_ci_equal(t, "ld+json", 7))
            return 1;
    return 0;
}

/* ------------------------------------------------------------------- meta */

static sl_status add_meta(html_ctx *c, const attrs *a)
{
    static const unsigned keys[] = {A_NAME, A_PROPERTY, A_ITEMPROP};
    unsigned key = 0;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0] && !key; i++)
        if (a->have & keys[i])
            key = keys[i];
    if (!key || !(a->have & A_CONTENT))
        return SL_OK;
    const sl_tag_attr *cv = &a->at[bit_index(A_CONTENT)];
    sl_field_reset(&c->value);
    sl_status st = emit(c, &c->value, cv->value, cv->value + cv->value_len, 0);
    if (st != SL_OK || c->value.len == 0)
        return st;
    const char *name = attr_value(c, a, key);
    if (!name)
        return SL_ENOMEM;
    if (!*name)
        return SL_OK;
    sl_field *f;
    if ((st = sl_document_add_meta(c->doc, name, &f)) != SL_OK)
        return st;
    st = sl_input_copy_field(f, &c->value, 0, c->value.len);
    if (st == SL_OK && c->og_title.len == 0 && strcasecmp(name, "og:title") == 0)
        st = sl_input_copy_field(&c->og_title, f, 0, f->len);
    return st;
}

static sl_status add_jsonld(html_ctx *c)
{
    if (c->script_start == (size_t)-1)
        return SL_OK;
    size_t n = c->script_end - c->script_start;
    char *json = malloc(n + 1);
    if (!json)
        return SL_ENOMEM;
    memcpy(json, c->s + c->script_start, n);
    json[n] = '\0';
    sl_status st =
        sl_jsonld_read(c->src, c->script_start, c->script_end, json, c->doc, &c->headline);
    free(json);
    return st;
}

/* -------------------------------------------------------------- landmarks */

static void mark_open(html_ctx *c, landmark *l, const sl_html_el *el)
{
    size_t ev = c->ev;
    if (!l->set) {
        c->cand_ev = ev;
        l->set = 1;
        l->ordinal = el->ordinal;
        l->open = el->open;
        l->close = el->open;
        l->open_ev = ev;
        l->close_ev = SIZE_MAX;
        l->open_text = c->text_total;
    }
}

static void mark_close(html_ctx *c, landmark *l, const sl_html_el *el, size_t end)
{
    size_t ev = c->ev;
    if (l->set && l->ordinal == el->ordinal) {
        c->cand_ev = ev;
        l->close = end;
        l->close_ev = ev;
    }
}

static void landmarks_open(html_ctx *c, sl_html_el *el, const attrs *a)
{
    switch (el->kind) {
    case SL_HK_P:
        c->art_ps += c->in_article != 0;
        break;
    case SL_HK_ARTICLE:
        if (!c->in_article)
            c->art_ps = 0;
        /* Articles inside nav or aside are teasers, never the region. */
        if (!c->teaser_homes) {
            el->mark[0] = 1;
            el->mark[1] = c->h1s;
            el->mark[2] = c->text_total;
            el->mark[3] = c->ev;
            c->cand_ev = c->ev;
        }
        break;
    case SL_HK_ASIDE:
    case SL_HK_NAV:
        c->teaser_homes++;
        break;
    case SL_HK_MAIN:
        mark_open(c, &c->main_el, el);
        break;
    case SL_HK_BODY:
        mark_open(c, &c->body, el);
        break;
    case SL_HK_H1:
        c->h1s++;
        if (!c->have_h1) {
            c->have_h1 = 1;
            c->first_h1 = el->ordinal;
        }
        /* Not a site's logo in its header, nor a teaser's title. */
        if (!c->teaser_homes && !c->furniture)
            mark_open(c, &c->h1_mark, el);
        break;
    default:
        break;
    }
    static const char *const main_role[] = {"main"};
    if (!c->role_main.set && attr_is(c, a, A_ROLE, main_role, 1))
        mark_open(c, &c->role_main, el);
    /* schema.org microdata names the story's text itself; news pages that
     * wrap only their teaser cards in <article> still mark it. */
    static const char *const body_prop[] = {"articleBody"};
    if (!c->teaser_homes && attr_is(c, a, A_ITEMPROP, body_prop, 1)) {
        if (!c->article_body.set)
            mark_open(c, &c->article_body, el);
        else if (c->article_body.close_ev != SIZE_MAX && !c->body_next &&
                 c->text_total - c->body_close_text <= UPDATE_GAP)
            c->body_next = el->ordinal;
    }
}

static void landmarks_close(html_ctx *c, sl_html_el *el, size_t end)
{
    if (el->kind == SL_HK_ASIDE || el->kind == SL_HK_NAV)
        c->teaser_homes--;
    if (el->mark[0]) {
        size_t len = c->text_total - el->mark[2];
        landmark l = {el->ordinal, el->open, end, 1, el->mark[3], c->ev, el->mark[2]};
        c->cand_ev = c->ev;
        if (c->in_article == 1 && !c->furniture) {
            c->articles_len += len;
            c->narticles++;
        }
        if (c->h1s > el->mark[1] && (!c->with_h1.set || el->ordinal < c->with_h1.ordinal))
            c->with_h1 = l;
        if (!c->largest.set || len > c->largest_len ||
            (len == c->largest_len && el->ordinal < c->largest.ordinal)) {
            c->largest = l;
            c->largest_len = len;
            c->largest_ps = c->art_ps;
        }
    }
    mark_close(c, &c->main_el, el, end);
    mark_close(c, &c->role_main, el, end);
    mark_close(c, &c->article_body, el, end);
    if (c->body_next && c->body_next == el->ordinal) {
        /* The next update: the region runs on to its end. */
        c->cand_ev = c->ev;
        c->article_body.close = end;
        c->article_body.close_ev = c->ev;
        c->body_next = 0;
    }
    if (c->article_body.set && c->article_body.close_ev == c->ev)
        c->body_close_text = c->text_total;
    mark_close(c, &c->body, el, end);
}

/* ----------------------------------------------------------------- fields */

/* Keeps visible text, or a block break at the cursor, for body or chrome. */
static sl_status visible(html_ctx *c, int kind, size_t start, size_t end)
{
    uint8_t furniture = c->furniture != 0, in_article = c->in_article != 0;
    uint32_t furn_ev = furniture ? (uint32_t)c->furn_ev : 0;
    /* A break right after a break that goes where it goes adds nothing
     * (sl_field_break): the same furniture, and no landmark opened or
     * closed between them, which is what could set a region's edge
     * there. Pages of short blocks have two breaks for each. */
    if (kind == VIS_BREAK && c->nvis) {
        const vis_span *last = &c->vis[c->nvis - 1];
        if (last->kind == VIS_BREAK && last->furniture == furniture && last->furn_ev == furn_ev &&
            last->in_article == in_article && last->ev > c->cand_ev)
            return SL_OK;
    }
    if (c->ev > UINT32_MAX)
        return SL_ELIMIT;
    if (c->nvis == c->vis_cap) {
        size_t cap = c->vis_cap ? 2 * c->vis_cap : 256;
        vis_span *v = realloc(c->vis, cap * sizeof *v);
        if (!v)
            return SL_ENOMEM;
        c->vis = v;
        c->vis_cap = cap;
    }
    c->vis[c->nvis++] = (vis_span){(uint32_t)start, (uint32_t)end, (uint32_t)c->ev, (uint8_t)kind,
                                   furniture,       in_article,    furn_ev};
    return SL_OK;
}

/* Visible text goes to the body when it lies in the region (or there is
 * none) outside page furniture, else to chrome; block breaks the same.
 * With `cards` (no <article> was the story), articles are the cards
 * around it and go to chrome too. */
/* Words in f, runs of other than spaces. */
static size_t words(const sl_field *f)
{
    size_t n = 0;
    for (size_t i = 0; i < f->len; i++)
        n += !isspace((unsigned char)f->text[i]) &&
             (i == 0 || isspace((unsigned char)f->text[i - 1]));
    return n;
}

static sl_status place_visible(html_ctx *c, int cards, int story_header)
{
    const landmark *r = &c->region;
    sl_status st = SL_OK;
    for (size_t i = 0; i < c->nvis && st == SL_OK; i++) {
        const vis_span *v = &c->vis[i];
        int in_region = r->set && v->ev >= r->open_ev && v->ev <= r->close_ev;
        int furniture = v->furniture && !(story_header && v->furn_ev == c->header_h1_ev);
        int story = c->part || ((in_region || !r->set) && !furniture && !(cards && v->in_article));
        sl_field *dest = story ? &c->doc->body : &c->doc->chrome;
        st = v->kind == VIS_BREAK ? sl_field_break(dest, v->end)
                                  : emit(c, dest, v->start, v->end, v->kind == VIS_TEXT_RAW);
    }
    return st;
}

static sl_status enter(html_ctx *c, const sl_html_el *el, const attrs *a)
{
    sl_document *d = c->doc;
    sl_status st = SL_OK;
    if (!c->part && el->kind == SL_HK_HTML && (a->have & (A_AMP | A_AMP_BOLT)))
        c->amp = 1;
    if (el->kind == SL_HK_ARTICLE)
        c->in_article++;
    if (c->furniture) {
        c->furniture++;
    } else if (is_furniture(c, el, a)) {
        c->furniture = 1;
        c->furn_ev = c->ev;
        c->furn_header = el->kind == SL_HK_HEADER;
    }
    if (el->kind == SL_HK_H1 && c->furniture && c->furn_header && !c->header_h1) {
        c->header_h1 = 1;
        c->header_h1_ev = c->furn_ev;
    }
    if (el->kind == SL_HK_NAV && c->furniture > 1 && c->furn_header)
        c->header_nav_ev = c->furn_ev;
    if (sectioning(c, el))
        c->in_sectioning++;
    /* A <template> is never shown, except a declarative shadow root, which
     * browsers render in place of its host's children. */
    int shadow_root = (a->have & (A_SHADOWROOTMODE | A_SHADOWROOT)) && is_named(c, el, "template");
    if (c->skip || ((el->flags & SL_HF_HIDDEN) && !shadow_root) || is_invisible(c, el, a))
        c->skip++;
    if ((el->flags & SL_HF_CODE) && c->code++ == 0 &&
        (st = sl_field_break(&d->code, c->cursor)) != SL_OK)
        return st;
    if (el->kind == SL_HK_TITLE && !c->title_seen) {
        c->title_seen = 1;
        c->title = 1;
    } else if (c->title) {
        c->title++;
    }
    if ((c->have_h1 && el->ordinal == c->first_h1) || c->in_h1)
        c->in_h1++;
    if (el->kind == SL_HK_SCRIPT) {
        c->script_start = (size_t)-1;
        c->jsonld = is_jsonld(c, a);
    }
    if (!c->skip && (el->flags & SL_HF_BLOCK) &&
        (st = visible(c, VIS_BREAK, 0, c->cursor)) != SL_OK)
        return st;
    if (el->kind == SL_HK_META)
        st = add_meta(c, a);
    return st;
}

static sl_status leave(html_ctx *c, const sl_html_el *el)
{
    sl_status st = SL_OK;
    if (!c->skip && (el->flags & SL_HF_BLOCK) &&
        (st = visible(c, VIS_BREAK, 0, c->cursor)) != SL_OK)
        return st;
    if (el->kind == SL_HK_SCRIPT && c->jsonld) {
        c->jsonld = 0;
        if ((st = add_jsonld(c)) != SL_OK)
            return st;
    }
    if (c->skip)
        c->skip--;
    if (c->furniture)
        c->furniture--;
    if (c->in_article && el->kind == SL_HK_ARTICLE)
        c->in_article--;
    if (c->in_sectioning && sectioning(c, el))
        c->in_sectioning--;
    if ((el->flags & SL_HF_CODE) && c->code && --c->code == 0)
        st = sl_field_break(&c->doc->code, c->cursor);
    if (c->title)
        c->title--;
    if (c->in_h1)
        c->in_h1--;
    return st;
}

static sl_status text_run(html_ctx *c, const sl_html_el *parent, size_t start, size_t end, int raw)
{
    sl_status st = SL_OK;
    if (parent && parent->kind == SL_HK_SCRIPT) {
        if (c->script_start == (size_t)-1)
            c->script_start = start;
        c->script_end = end;
    }
    if (c->title)
        st = emit(c, &c->title_tag, start, end, raw);
    else if (c->code && !c->skip)
        st = emit(c, &c->doc->code, start, end, raw);
    else if (!c->skip) {
        st = visible(c, raw ? VIS_TEXT_RAW : VIS_TEXT, start, end);
        c->vis_total += end - start;
    }
    if (st == SL_OK && c->in_h1 && !c->skip)
        st = emit(c, &c->h1, start, end, raw);
    c->cursor = end;
    return st;
}

/* ---------------------------------------------------------------- visitor */

static sl_status on_open(void *ctx, sl_html_el *el, const sl_html_tag *t)
{
    html_ctx *c = ctx;
    attrs a;
    c->ev++;
    read_attrs(c, t, &a);
    landmarks_open(c, el, &a);
    return enter(c, el, &a);
}

static sl_status on_close(void *ctx, sl_html_el *el, size_t end)
{
    html_ctx *c = ctx;
    c->ev++;
    landmarks_close(c, el, end);
    sl_status st = leave(c, el);
    c->ev++;
    return st;
}

static sl_status on_text(void *ctx, const sl_html_el *parent, size_t start, size_t end, int raw)
{
    html_ctx *c = ctx;
    c->text_total += end - start;
    return text_run(c, parent, start, end, raw);
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

static sl_status load_html(const sl_source *src, sl_doclist *docs, sl_diag *diag, int part)
{
    html_ctx c;
    memset(&c, 0, sizeof c);
    c.src = src;
    c.part = part;
    c.s = src->data;
    c.script_start = (size_t)-1;
    sl_html_visitor v = {&c, on_open, on_close, on_text};
    sl_status st = sl_doclist_add(docs, src->path, &c.doc);
    if (st != SL_OK)
        goto cleanup;
    if (src->len > INT_MAX) {
        st = sl_diag_set(diag, SL_ELIMIT, NULL, 0, 0, NULL, "HTML file too large (%zu bytes)",
                         src->len);
        goto cleanup;
    }
    st = sl_input_source_text(&c.doc->page, src->data, 0, src->len);
    if (st != SL_OK)
        goto cleanup;
    if ((st = sl_html_parse(src->data, src->len, &v)) != SL_OK)
        goto cleanup;
    /* Real pages hold many <article> elements (teaser cards, related
     * stories), so the region is the first article holding an <h1>; else
     * <main>; else the element marked itemprop="articleBody" (a page whose
     * only articles are the cards beside the story); else the largest
     * article, when it holds a fair share of the page's visible text (a
     * page builder that leaves the story outside any article still makes
     * its related-post cards articles); else role="main"; else <body>. */
    /* The page's one <article>, paragraphs under a heading, is the story
     * however long the lists beside it ("Latest", teasers in divs); a
     * lone card is a link and a line. */
    int story_sized = c.largest.set && (c.largest_len * LARGEST_SHARE >= c.vis_total ||
                                        (c.narticles == 1 && c.largest_ps >= 2));
    c.region = c.with_h1.set        ? c.with_h1
               : c.main_el.set      ? c.main_el
               : c.article_body.set ? c.article_body
               : story_sized        ? c.largest
               : c.role_main.set    ? c.role_main
                                    : c.body;
    /* A story marked by itemprop="articleBody", or an <article> that holds
     * only its paragraphs, starts at its headline when that is close above
     * it: the byline, standfirst and lead caption between are the story's
     * (NDTV-like and Arc XP templates). */
    int narrow = !c.with_h1.set && !c.main_el.set &&
                 (c.article_body.set || (story_sized && c.region.ordinal == c.largest.ordinal));
    if (narrow && c.h1_mark.set && c.h1_mark.open_ev < c.region.open_ev &&
        c.region.open_text - c.h1_mark.open_text <= HEADLINE_GAP) {
        c.region.open = c.h1_mark.open;
        c.region.open_ev = c.h1_mark.open_ev;
    }
    /* When <article>s are there but none is the story (nor holds the
     * <h1>, nor is inside <main> or articleBody's region), they are the
     * teaser cards beside it. */
    /* Unless together they hold half the page's text: then they are the
     * story in pieces, a live blog's updates. */
    int cards = c.largest.set && !story_sized && !c.with_h1.set && !c.main_el.set &&
                !c.article_body.set && c.articles_len * 2 < c.vis_total;
    /* A site-placed <header> holding the page's only <h1>, one of several
     * words, and no menu heads the story; a site's header has its logo, its
     * name in a word or three, and its <nav>. */
    int story_header = c.header_h1 && !c.h1_mark.set && c.h1s == 1 && words(&c.h1) >= 4 &&
                       c.header_nav_ev != c.header_h1_ev;
    if ((st = place_visible(&c, cards, story_header)) != SL_OK)
        goto cleanup;
    if (c.region.set && !part)
        st = sl_input_source_text(&c.doc->raw, src->data, c.region.open, c.region.close);
    else
        c.doc->raw_is_page = 1;
    if (st == SL_OK)
        st = choose_title(&c);
cleanup:
    free(c.vis);
    sl_field_clear(&c.scratch);
    sl_field_clear(&c.value);
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

sl_status sl_load_html(const sl_source *src, sl_doclist *docs, sl_diag *diag)
{
    return load_html(src, docs, diag, 0);
}

sl_status sl_load_html_part(const sl_source *src, sl_doclist *docs, sl_diag *diag)
{
    return load_html(src, docs, diag, 1);
}
