/*
 * Input type detection.
 *
 * Content decides first, because files arrive with the wrong extension
 * (feeds saved as .txt, pages fetched with no extension at all): a file
 * whose first markup is a doctype or a common HTML element is HTML. The
 * extension decides otherwise. One exception: Markdown often starts with
 * raw HTML (a centred <div>, a <p> with a logo), so a .md file becomes
 * HTML only on a strong signal, a doctype or an <html> element. Feeds are
 * recognised first, by root element and namespace (XML) or keys (JSON):
 * an RSS file saved as .txt is still a feed.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "input/charset.h"
#include "input/feed.h"
#include "input/input.h"
#include "input/loadutil.h"

#define SNIFF_BYTES 1024
#define FEED_SNIFF_BYTES 8192

/* Copies the first bytes of the file into `out` as ASCII: the BOM is
 * dropped and UTF-16/32 text is narrowed to one byte per character (a
 * character outside ASCII becomes '?'), so one sniffer serves every
 * encoding a BOM can announce. */
static size_t sniff_prefix(const char *data, size_t len, char *out, size_t cap)
{
    const char *cs;
    size_t bom = sl_charset_bom(data, len, &cs);
    size_t unit = 1, low = 0;
    if (cs && strcmp(cs, "UTF-16LE") == 0)
        unit = 2;
    else if (cs && strcmp(cs, "UTF-16BE") == 0)
        unit = 2, low = 1;
    else if (cs && strcmp(cs, "UTF-32LE") == 0)
        unit = 4;
    else if (cs && strcmp(cs, "UTF-32BE") == 0)
        unit = 4, low = 3;
    size_t n = 0;
    if (unit == 1) {
        n = len - bom < cap ? len - bom : cap;
        const unsigned char *in = (const unsigned char *)data + bom;
        for (size_t i = 0; i < n; i++) /* branch-free: vectorized */
            out[i] = (char)(in[i] < 0x80 ? in[i] : '?');
        return n;
    }
    for (size_t i = bom; i + unit <= len && n < cap; i += unit) {
        int ascii = 1;
        for (size_t k = 0; k < unit; k++)
            if (k != low && data[i + k] != 0)
                ascii = 0;
        unsigned char c = (unsigned char)data[i + low];
        out[n++] = (char)(ascii && c < 0x80 ? c : '?');
    }
    return n;
}

static const char *const html_elements[] = {
    "html", "head",   "body",   "article", "div",    "p",      "meta",       "title", "section",
    "main", "span",   "h1",     "h2",      "h3",     "h4",     "h5",         "h6",    "table",
    "ul",   "ol",     "header", "nav",     "footer", "script", "style",      "link",  "a",
    "img",  "br",     "figure", "aside",   "form",   "iframe", "blockquote", "pre",   "noscript",
    "base", "center", "font",   "strong",  "em",     "b",      "i"};

/* 1 when s[0, n) starts (after whitespace, comments and an XML prolog)
 * with HTML markup; *strong is set when that markup is a doctype or an
 * <html> element. */
static int looks_like_html(const char *s, size_t n, int *strong)
{
    size_t i = 0;
    *strong = 0;
    for (;;) {
        while (i < n && isspace((unsigned char)s[i]))
            i++;
        if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
            const char *e = NULL;
            for (size_t j = i + 4; j + 3 <= n; j++)
                if (memcmp(s + j, "-->", 3) == 0) {
                    e = s + j;
                    break;
                }
            if (!e)
                return 0;
            i = (size_t)(e - s) + 3;
            continue;
        }
        if (n - i >= 5 && memcmp(s + i, "<?xml", 5) == 0) {
            while (i + 1 < n && !(s[i] == '?' && s[i + 1] == '>'))
                i++;
            i += 2;
            if (i > n)
                return 0;
            continue;
        }
        break;
    }
    if (n - i >= 14 && sl_input_ci_equal(s + i, "<!doctype html", 14) &&
        (n - i == 14 || isspace((unsigned char)s[i + 14]) || s[i + 14] == '>')) {
        *strong = 1;
        return 1;
    }
    if (i >= n || s[i] != '<')
        return 0;
    size_t name = ++i;
    while (i < n && isalnum((unsigned char)s[i]))
        i++;
    size_t nlen = i - name;
    if (nlen == 0 || (i < n && !isspace((unsigned char)s[i]) && s[i] != '>' && s[i] != '/'))
        return 0;
    for (size_t k = 0; k < sizeof html_elements / sizeof html_elements[0]; k++) {
        const char *e = html_elements[k];
        if (strlen(e) == nlen && sl_input_ci_equal(s + name, e, nlen)) {
            *strong = strcmp(e, "html") == 0;
            return 1;
        }
    }
    return 0;
}

static int has_extension(const char *path, const char *ext)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return 0;
    size_t n = strlen(ext);
    return strlen(dot + 1) == n && sl_input_ci_equal(dot + 1, ext, n);
}

static sl_input_type type_from_extension(const char *path)
{
    static const char *const html[] = {"html", "htm", "xhtml", "shtml"};
    static const char *const md[] = {"md", "markdown", "mdown", "mkd"};
    if (!path)
        return SL_INPUT_AUTO;
    for (size_t i = 0; i < sizeof html / sizeof html[0]; i++)
        if (has_extension(path, html[i]))
            return SL_INPUT_HTML;
    for (size_t i = 0; i < sizeof md / sizeof md[0]; i++)
        if (has_extension(path, md[i]))
            return SL_INPUT_MARKDOWN;
    return SL_INPUT_AUTO;
}

/* A feed that some other output comes before: a PHP warning printed
 * ahead of a WordPress feed ("<br />\n<b>Warning</b>: ... <?xml ...?>
 * <rss"). Read as the feed it is, the XML parser then says where the
 * stray output makes it unreadable, as a feed reader would refuse it;
 * read as the HTML it starts with, it would pass with no item checked. */
static sl_input_type feed_after_output(const char *s, size_t n)
{
    const char *decl = n > 5 ? sl_input_find(s + 1, n - 1, "<?xml", 5) : NULL;
    if (!decl)
        return SL_INPUT_AUTO;
    size_t at = (size_t)(decl - s);
    sl_input_type t = sl_feed_detect_xml(decl, n - at);
    return t >= SL_INPUT_RSS && t <= SL_INPUT_NEWSML ? t : SL_INPUT_AUTO;
}

sl_input_type sl_input_detect(const char *path, const char *data, size_t len)
{
    int strong = 0;
    /* Feeds by their root element and namespace, or their JSON keys; the
     * root tag of a feed with many namespaces can run past the HTML sniff
     * window, so XML gets a longer look. */
    char xsniff[FEED_SNIFF_BYTES];
    size_t xn = data ? sniff_prefix(data, len, xsniff, sizeof xsniff) : 0;
    const char *sniff = xsniff;
    size_t n = xn < SNIFF_BYTES ? xn : SNIFF_BYTES;
    sl_input_type feed = sl_feed_detect_xml(xsniff, xn);
    if (feed == SL_INPUT_AUTO)
        feed = sl_feed_detect_json(path, xsniff, xn);
    if (feed != SL_INPUT_AUTO)
        return feed;
    int html = looks_like_html(sniff, n, &strong);
    /* Markup that is no whole page (a doctype or <html> would make it one)
     * may be output printed ahead of a feed. */
    if (html && !strong && (feed = feed_after_output(xsniff, xn)) != SL_INPUT_AUTO)
        return feed;
    sl_input_type ext = type_from_extension(path);
    if (html && (ext != SL_INPUT_MARKDOWN || strong))
        return SL_INPUT_HTML;
    return ext != SL_INPUT_AUTO ? ext : SL_INPUT_TEXT;
}

/* What a file that is no feed holds, for the message: an HTML page (with
 * its title), XML with its root element, JSON or text. *kind is 'h', 'x',
 * 'j' or 't', and for XML *root is its root's local name. */
static void describe(const char *s, size_t n, char *out, size_t cap, char *kind, char *root,
                     size_t rcap)
{
    int strong;
    *root = '\0';
    if (looks_like_html(s, n, &strong)) {
        *kind = 'h';
        const char *t = sl_input_find(s, n, "<title>", 7);
        const char *e = t ? sl_input_find(t + 7, n - (size_t)(t + 7 - s), "</title>", 8) : NULL;
        size_t tl = e ? (size_t)(e - (t + 7)) : 0;
        if (tl && tl <= 80)
            snprintf(out, cap, "an HTML page titled \"%.*s\"", (int)tl, t + 7);
        else
            snprintf(out, cap, "an HTML page");
        return;
    }
    size_t i = 0;
    while (i < n && isspace((unsigned char)s[i]))
        i++;
    if (i < n && (s[i] == '{' || s[i] == '[')) {
        *kind = 'j';
        snprintf(out, cap, "JSON with no items or article fields");
        return;
    }
    /* XML: the first element after the prolog, comments and doctype. */
    *kind = 't';
    snprintf(out, cap, "no feed");
    for (size_t p = i; p + 1 < n; p++) {
        if (s[p] != '<')
            continue;
        if (s[p + 1] == '?' || s[p + 1] == '!')
            continue;
        size_t a = p + 1, b = a;
        while (b < n && b - a < 40 && (isalnum((unsigned char)s[b]) || strchr(":_-.", s[b])))
            b++;
        if (b > a && (b == n || isspace((unsigned char)s[b]) || s[b] == '>' || s[b] == '/')) {
            *kind = 'x';
            snprintf(out, cap, "XML whose root element is <%.*s>", (int)(b - a), s + a);
            const char *colon = memchr(s + a, ':', b - a);
            size_t l = colon ? (size_t)(colon + 1 - (s + a)) : 0;
            snprintf(root, rcap, "%.*s", (int)(b - a - l), s + a + l);
        }
        break;
    }
}

/* Nonzero when the JSON at s names an error at its top level, as an API
 * answers a request it refused ({"error": ...}, {"errors": [...]},
 * {"fault": ...}). */
static int json_error(const char *s, size_t n)
{
    static const char *const keys[] = {"\"error\"", "\"errors\"", "\"fault\"", "\"Error\""};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *k = sl_input_find(s, n, keys[i], strlen(keys[i]));
        if (!k)
            continue;
        /* A key of the outer object, not of one nested in it ({"data":
         * {"error": null}}): one bracket open where it stands. Brackets in
         * strings before it may miscount; the answer is a message. */
        long depth = 0;
        for (const char *j = s; j < k; j++)
            depth += *j == '{' || *j == '[' ? 1 : *j == '}' || *j == ']' ? -1 : 0;
        if (depth == 1)
            return 1;
    }
    return 0;
}

int sl_input_not_a_feed(const char *path, const char *data, size_t len, sl_input_type type,
                        char *why, size_t cap)
{
    /* Names no other kind of file has, and the two that many have. */
    static const char *const feed_ext[] = {"rss", "atom", "rdf", "nitf", "newsml"};
    if (!path || sl_input_is_feed(type))
        return 0;
    const char *ext = NULL;
    for (size_t i = 0; i < sizeof feed_ext / sizeof feed_ext[0] && !ext; i++)
        if (has_extension(path, feed_ext[i]))
            ext = feed_ext[i];
    int xml = has_extension(path, "xml"), json = has_extension(path, "json");
    if (!ext && !xml && !json)
        return 0;
    char sniff[SNIFF_BYTES], what[160], kind, root[48];
    size_t n = sniff_prefix(data, len, sniff, sizeof sniff);
    describe(sniff, n, what, sizeof what, &kind, root, sizeof root);
    if (!ext) {
        /* A .xml or .json file may be any data, read as text as before;
         * only what a server answers in place of a feed is said to be so:
         * an HTML page, an XML error document, a JSON error. */
        static const char *const errors[] = {"Error",         "error", "Errors", "errors",
                                             "ErrorResponse", "Fault", "fault",  "Exception"};
        int answer = kind == 'h';
        for (size_t i = 0; i < sizeof errors / sizeof errors[0] && kind == 'x' && !answer; i++)
            answer = strcmp(root, errors[i]) == 0;
        if (kind == 'j' && json_error(sniff, n)) {
            answer = 1;
            snprintf(what, sizeof what, "JSON that reports an error, and no items");
        }
        if (!answer)
            return 0;
        ext = xml ? "xml" : "json";
    }
    snprintf(why, cap,
             "a .%s file that is not a feed syndlint reads (RSS, Atom, NITF, NewsML-G2, JSON "
             "Feed, ninjs, JSON Lines): it holds %s",
             ext, what);
    return 1;
}
