/*
 * A lexer over XML source for the feed loaders: tags, comments, CDATA,
 * processing instructions and declarations, with their byte offsets;
 * character data decoded with a map to the source; and feed detection by
 * root element and namespace. It never builds a tree and never expands an
 * entity: libxml2 parses, this only says where things are written.
 */
#include "input/feed_xmlscan.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "input/entities.h"
#include "input/feed.h"
#include "input/loadutil.h"

#define NS_ATOM "http://www.w3.org/2005/Atom"
#define NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_G2 "http://iptc.org/std/nar/2006-10-01/"

int sl_xml_starts(const char *s, size_t len, size_t p, const char *lit)
{
    size_t n = strlen(lit);
    return len - p >= n && memcmp(s + p, lit, n) == 0;
}

/* Index of `lit` at or after `from`, or `len`. */
size_t sl_xml_find(const char *s, size_t len, size_t from, const char *lit)
{
    const char *p = from < len ? sl_input_find(s + from, len - from, lit, strlen(lit)) : NULL;
    return p ? (size_t)(p - s) : len;
}

/* Past a "<!DOCTYPE ...>" (or other "<!" declaration) at p, its internal
 * subset, quoted strings and comments included. */
static size_t skip_decl(const char *s, size_t len, size_t p)
{
    int depth = 0;
    char quote = 0;
    for (size_t q = p + 2; q < len; q++) {
        char c = s[q];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (sl_xml_starts(s, len, q, "<!--")) {
            q = sl_xml_find(s, len, q + 4, "-->") + 2;
        } else if (c == '[') {
            depth++;
        } else if (c == ']') {
            depth--;
        } else if (c == '>' && depth <= 0) {
            return q + 1;
        }
    }
    return len;
}

/* Past the markup that is no element at p ('<' there): a comment, CDATA,
 * a processing instruction, a declaration. Returns p when it is a tag. */
size_t sl_xml_skip_other(const char *s, size_t len, size_t p)
{
    if (sl_xml_starts(s, len, p, "<!--"))
        return sl_xml_find(s, len, p + 4, "-->") + 3;
    if (sl_xml_starts(s, len, p, "<![CDATA["))
        return sl_xml_find(s, len, p + 9, "]]>") + 3;
    if (sl_xml_starts(s, len, p, "<?"))
        return sl_xml_find(s, len, p + 2, "?>") + 2;
    if (sl_xml_starts(s, len, p, "<!"))
        return skip_decl(s, len, p);
    return p;
}

/* The next tag at or after p. */
int sl_xml_next_tag(const char *s, size_t len, size_t p, sl_xtag *t)
{
    t->kind = SL_XT_NONE;
    while (p < len) {
        const char *lt = memchr(s + p, '<', len - p);
        if (!lt)
            break;
        p = (size_t)(lt - s);
        size_t q = sl_xml_skip_other(s, len, p);
        if (q != p) {
            p = q > len ? len : q;
            continue;
        }
        q = p + 1;
        int end = q < len && s[q] == '/';
        q += (size_t)end;
        t->start = p;
        t->name = q;
        while (q < len && !isspace((unsigned char)s[q]) && s[q] != '>' && s[q] != '/')
            q++;
        t->nlen = q - t->name;
        char quote = 0;
        for (; q < len; q++) {
            if (quote) {
                if (s[q] == quote)
                    quote = 0;
            } else if (s[q] == '"' || s[q] == '\'') {
                quote = s[q];
            } else if (s[q] == '>') {
                break;
            }
        }
        if (q >= len)
            break;
        t->end = q + 1;
        t->kind = end ? SL_XT_END : s[q - 1] == '/' ? SL_XT_EMPTY : SL_XT_START;
        return t->kind;
    }
    return SL_XT_NONE;
}

/* 1 when the prolog (the markup before the root element) has a doctype
 * declaring an entity. */
size_t sl_xml_declares_entities(const char *s, size_t len)
{
    size_t p = 0;
    while (p < len) {
        const char *lt = memchr(s + p, '<', len - p);
        if (!lt)
            return 0;
        p = (size_t)(lt - s);
        if (sl_xml_starts(s, len, p, "<!--") || sl_xml_starts(s, len, p, "<?")) {
            p = sl_xml_skip_other(s, len, p);
            continue;
        }
        if (!sl_xml_starts(s, len, p, "<!"))
            return 0; /* the root element: the prolog is over */
        size_t e = skip_decl(s, len, p);
        const char *ent = sl_input_find(s + p, e - p, "<!ENTITY", 8);
        if (ent)
            return (size_t)(ent - s) + 1;
        p = e;
    }
    return 0;
}

/* Content end of an element whose content sl_xml_starts at x->cstart. */
/* --------------------------------------------------------------- decoding */

void sl_xml_content_end(const char *s, size_t len, size_t cstart, size_t *cend, size_t *end)
{
    sl_xtag t;
    size_t p = cstart;
    int depth = 0;
    *cend = *end = len;
    while (sl_xml_next_tag(s, len, p, &t) != SL_XT_NONE) {
        p = t.end;
        if (t.kind == SL_XT_START) {
            depth++;
        } else if (t.kind == SL_XT_END) {
            if (depth == 0) {
                *cend = t.start;
                *end = t.end;
                return;
            }
            depth--;
        }
    }
}

/* Decodes the reference at s[0] == '&': the five XML entities, character
 * references, and (for feeds whose external DTD, not loaded, would have
 * declared them) HTML's named entities. Returns the bytes consumed, or 0
 * when the '&' is kept literally. */
size_t sl_xml_decode_ref(const char *s, size_t n, char out[8], size_t *outlen)
{
    static const char *const xml_names[] = {"lt", "gt", "amp", "quot", "apos"};
    static const char xml_chars[] = "<>&\"'";
    *outlen = 0;
    size_t semi = 1;
    while (semi < n && semi < 40 && s[semi] != ';' && s[semi] != '&' && s[semi] != '<')
        semi++;
    if (semi >= n || s[semi] != ';' || semi == 1)
        return 0;
    if (s[1] == '#') {
        int hex = s[2] == 'x';
        unsigned long v = 0;
        size_t p = hex ? 3 : 2;
        if (p == semi)
            return 0;
        for (; p < semi; p++) {
            int d = isdigit((unsigned char)s[p])           ? s[p] - '0'
                    : hex && isxdigit((unsigned char)s[p]) ? tolower((unsigned char)s[p]) - 'a' + 10
                                                           : -1;
            if (d < 0)
                return 0;
            v = v * (hex ? 16 : 10) + (unsigned long)d;
            if (v > 0x10FFFF)
                return 0;
        }
        *outlen = sl_input_put_utf8(v, out);
        return semi + 1;
    }
    char name[40];
    memcpy(name, s + 1, semi - 1);
    name[semi - 1] = '\0';
    for (size_t i = 0; i < sizeof xml_names / sizeof xml_names[0]; i++)
        if (strcmp(name, xml_names[i]) == 0) {
            out[0] = xml_chars[i];
            *outlen = 1;
            return semi + 1;
        }
    const char *v = sl_html_entity(name, semi - 1);
    if (!v)
        return 0;
    *outlen = strlen(v);
    memcpy(out, v, *outlen);
    return semi + 1;
}

/* In a metadata value, a tag between two words stands for a separator: a
 * comma and a space, or a space after punctuation, unless the text that
 * follows starts with a space or punctuation of its own. */
static sl_status put_sep(sl_field *f, char next, size_t at, int *pending)
{
    if (!*pending)
        return SL_OK;
    *pending = 0;
    if (isspace((unsigned char)next) || strchr(",;:.|/)]", next))
        return SL_OK;
    return strchr(",;:|/([&-", f->text[f->len - 1]) ? sl_field_append_at(f, " ", 1, at)
                                                    : sl_field_append_at(f, ", ", 2, at);
}

/* Appends the character data of source [a, b) to f: references decoded,
 * CDATA unwrapped, "\r\n" and "\r" as "\n", and markup (child tags,
 * comments, processing instructions) left out; with `words`, element tags
 * between words as separators (put_sep). */
static sl_status decode(const char *s, size_t a, size_t b, sl_field *f, int words)
{
    sl_status st = SL_OK;
    size_t run = a, p = a;
    int pending = 0;
    while (st == SL_OK && p < b) {
        char ch = s[p];
        if (ch != '<' && ch != '&' && ch != '\r') {
            p++;
            continue;
        }
        if (p > run && (st = put_sep(f, s[run], run, &pending)) == SL_OK)
            st = sl_field_append_span(f, s + run, p - run, run);
        if (st != SL_OK)
            break;
        if (ch == '<') {
            if (sl_xml_starts(s, b, p, "<![CDATA[")) {
                size_t e = sl_xml_find(s, b, p + 9, "]]>");
                if (e > p + 9)
                    st = put_sep(f, s[p + 9], p + 9, &pending);
                if (st == SL_OK)
                    st = sl_input_append_lines(f, s, p + 9, e);
                p = e + 3;
            } else {
                size_t q = sl_xml_skip_other(s, b, p);
                if (q == p) {
                    sl_xtag t;
                    q = sl_xml_next_tag(s, b, p, &t) != SL_XT_NONE ? t.end : b;
                    pending |= words && f->len && !isspace((unsigned char)f->text[f->len - 1]);
                }
                p = q;
            }
        } else if (ch == '&') {
            char out[8];
            size_t olen, used = sl_xml_decode_ref(s + p, b - p, out, &olen);
            if (used) {
                if (olen && (st = put_sep(f, out[0], p, &pending)) == SL_OK)
                    st = sl_field_append_at(f, out, olen, p);
                p += used;
            } else {
                if ((st = put_sep(f, s[p], p, &pending)) == SL_OK)
                    st = sl_field_append_span(f, s + p, 1, p);
                p++;
            }
        } else {
            pending = 0;
            st = sl_field_append_at(f, "\n", 1, p);
            p += p + 1 < b && s[p + 1] == '\n' ? 2 : 1;
        }
        run = p;
    }
    if (st == SL_OK && run < b && p >= b && (st = put_sep(f, s[run], run, &pending)) == SL_OK)
        st = sl_field_append_span(f, s + run, b - run, run);
    return st;
}

sl_status sl_xml_decode_text(const char *s, size_t a, size_t b, sl_field *f)
{
    return decode(s, a, b, f, 0);
}

sl_status sl_xml_decode_words(const char *s, size_t a, size_t b, sl_field *f)
{
    return decode(s, a, b, f, 1);
}

/* ------------------------------------------------------------- detection */

sl_input_type sl_feed_detect_xml(const char *s, size_t n)
{
    size_t p = 0;
    sl_xtag t;
    /* Skip the prolog: the first tag is the root. */
    while (p < n) {
        const char *lt = memchr(s + p, '<', n - p);
        if (!lt)
            return SL_INPUT_AUTO;
        p = (size_t)(lt - s);
        size_t q = sl_xml_skip_other(s, n, p);
        if (q == p)
            break;
        p = q;
    }
    if (p >= n || sl_xml_next_tag(s, n, p, &t) == SL_XT_NONE || t.kind == SL_XT_END) {
        /* The root tag may be cut off by the sniff window: judge its name. */
        t.name = p + 1;
        t.nlen = 0;
        while (t.name + t.nlen < n && !isspace((unsigned char)s[t.name + t.nlen]) &&
               s[t.name + t.nlen] != '>' && s[t.name + t.nlen] != '/')
            t.nlen++;
        t.end = n;
    }
    const char *name = s + t.name, *colon = memchr(name, ':', t.nlen);
    const char *local = colon ? colon + 1 : name;
    size_t ll = t.nlen - (size_t)(local - name);
    size_t plen = colon ? (size_t)(colon - name) : 0;
    /* The namespace the root's prefix (or the default) is bound to. */
    char ns[128] = "";
    size_t q = t.name + t.nlen;
    sl_tag_attr a;
    while (sl_input_next_attr(s, t.end, &q, &a)) {
        const char *an = s + a.name;
        int bind = colon ? a.name_len == 6 + plen && memcmp(an, "xmlns:", 6) == 0 &&
                               memcmp(an + 6, name, plen) == 0
                         : a.name_len == 5 && memcmp(an, "xmlns", 5) == 0;
        if (bind && a.value_len < sizeof ns) {
            memcpy(ns, s + a.value, a.value_len);
            ns[a.value_len] = '\0';
        }
    }
#define LOCAL_IS(lit) (ll == strlen(lit) && memcmp(local, lit, ll) == 0)
    if (LOCAL_IS("rss") || (LOCAL_IS("RDF") && strcmp(ns, NS_RDF) == 0))
        return SL_INPUT_RSS;
    if ((LOCAL_IS("feed") || LOCAL_IS("entry")) && strcmp(ns, NS_ATOM) == 0)
        return SL_INPUT_ATOM;
    if (LOCAL_IS("nitf"))
        return SL_INPUT_NITF;
    if ((LOCAL_IS("newsMessage") || LOCAL_IS("newsItem") || LOCAL_IS("packageItem")) &&
        (!ns[0] || strcmp(ns, NS_G2) == 0))
        return SL_INPUT_NEWSML;
#undef LOCAL_IS
    return SL_INPUT_AUTO;
}
