/*
 * The JSON feed loader: JSON Feed 1.x, IPTC ninjs (1.x, 2.x and 3.x names)
 * and JSON Lines, one document per item.
 *
 * Design note. jansson parses and validates, but gives no positions. So a
 * small scanner walks the source itself: it finds each item's extent (an
 * element of JSON Feed's "items", a ninjs object or array element, a JSON
 * Lines line) and each member's key and value inside it, and decodes
 * string values with a map from every decoded byte to the source byte that
 * wrote it (an escape such as \u00e9 or \n maps to its backslash). jansson
 * checks each item before it is read, so a malformed item is reported with
 * jansson's message at its place in the file, and the scanner only ever
 * walks well-formed JSON. Only one item is ever decoded at a time: memory
 * follows the largest item, not the feed.
 *
 * Keys are matched without regard to case (ninjs 3.x writes copyrightHolder
 * where 1.x wrote copyrightholder). What goes where:
 *   id      "id", else "guid", else "uri"
 *   title   "title", "headline", else the first of "headlines"[].value
 *   body    "content_html", "body_html", "html" as HTML; else
 *           "content_text", "body_text", "body" as text; else ninjs 2+
 *           "bodies"[] (HTML when its contenttype says so)
 *   meta    "authors"[].name and "author"(.name) as author; "byline", "by",
 *           "copyrightholder", "copyrightnotice", "usageterms", "located",
 *           "infosources"[].name (infosource), "summary", "url", and any
 *           other string member by its key; JSON Lines' "meta" object, each
 *           member by its key (a string or an array of strings)
 * A JSON Feed item without authors has the feed's (JSON Feed 1.1).
 */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/feed.h"
#include "input/feed_xmlscan.h"
#include "input/loadutil.h"
#include "util/buf.h"
#include "util/diag.h"

#define JSONFEED_MARK "jsonfeed.org/version"
/* A walk over the whole feed releases the pages behind it this often. */
#define PASS_STEP ((size_t)1 << 20)

typedef struct json_ctx {
    const sl_source *src;
    const char *s;
    size_t len;
    sl_input_type type;
    sl_doc_sink sink;
    void *user;
    size_t nitems;
    sl_field tmp;
    size_t feed_authors, feed_authors_end; /* JSON Feed top-level "authors" */
} json_ctx;

/* ---------------------------------------------------------------- scanner */

static size_t skip_ws(const char *s, size_t len, size_t p)
{
    while (p < len && (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' || s[p] == '\r'))
        p++;
    return p;
}

/* Past the string whose '"' is at p, or `len` when unterminated. */
static size_t skip_string(const char *s, size_t len, size_t p)
{
    for (p++; p < len; p++) {
        if (s[p] == '\\')
            p++;
        else if (s[p] == '"')
            return p + 1;
    }
    return len;
}

/* Past the value at p (no validation: jansson has checked the item, or
 * the caller only needs an extent); p itself when there is no value. With
 * a `pager`, the source's pages behind are released as the walk goes: for
 * the walks over a whole feed (its extent, its top-level members). *open
 * (when asked) is set when an object or array is still open at `len`. */
static size_t skip_value_open(const char *s, size_t len, size_t p, const sl_source *pager,
                              int *open)
{
    if (open)
        *open = 0;
    if (p >= len)
        return p;
    if (s[p] == '"')
        return skip_string(s, len, p);
    if (s[p] == '{' || s[p] == '[') {
        size_t depth = 0, done = p;
        for (; p < len; p++) {
            if (pager && p - done >= PASS_STEP) {
                sl_source_release(pager, done, p);
                done = p;
            }
            char c = s[p];
            if (c == '"') {
                p = skip_string(s, len, p) - 1;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (--depth == 0)
                    return p + 1;
            }
        }
        if (open)
            *open = 1;
        return len;
    }
    while (p < len && !strchr(",}] \t\r\n", s[p]))
        p++;
    return p;
}

static size_t skip_value_in(const char *s, size_t len, size_t p, const sl_source *pager)
{
    return skip_value_open(s, len, p, pager, NULL);
}

static size_t skip_value(const char *s, size_t len, size_t p)
{
    return skip_value_in(s, len, p, NULL);
}

/* One member of an object: its key's raw bytes (inside the quotes) and
 * its value's extent. */
typedef struct jmember {
    size_t key, klen, val, vend;
} jmember;

/* The next member of the object being read at *p (just past its '{' or
 * a previous member). Returns 1 with the member, 0 at the object's '}',
 * and -1 where what stands is not a comma and a member, with *p there:
 * jansson checks each item, but not what lies between items or around
 * them ("[{...},,{...}]" would otherwise end the array early and pass). */
static int next_member_in(const char *s, size_t len, size_t *p, jmember *m, const sl_source *pager)
{
    int first = s[*p - 1] == '{';
    size_t q = skip_ws(s, len, *p);
    if (q < len && s[q] == '}')
        return 0;
    if (!first) {
        if (q >= len || s[q] != ',') {
            *p = q;
            return -1;
        }
        q = skip_ws(s, len, q + 1);
    }
    if (q >= len || s[q] != '"') {
        *p = q;
        return -1;
    }
    m->key = q + 1;
    size_t e = skip_string(s, len, q);
    m->klen = e - 1 - m->key;
    q = skip_ws(s, len, e);
    if (q >= len || s[q] != ':') {
        *p = q;
        return -1;
    }
    m->val = skip_ws(s, len, q + 1);
    if (m->val >= len || strchr(",:}]", s[m->val])) {
        *p = m->val;
        return -1;
    }
    m->vend = skip_value_in(s, len, m->val, pager);
    *p = m->vend;
    return 1;
}

static int next_member(const char *s, size_t len, size_t *p, jmember *m)
{
    return next_member_in(s, len, p, m, NULL);
}

/* The next element of the array being read at *p (just past its '[' or a
 * previous element): 1 with its extent, 0 at the array's ']', -1 where
 * what stands is not a comma and a value, with *p there. */
static int next_element(const char *s, size_t len, size_t *p, size_t *val, size_t *vend)
{
    int first = s[*p - 1] == '[';
    size_t q = skip_ws(s, len, *p);
    if (q < len && s[q] == ']')
        return 0;
    if (!first) {
        if (q >= len || s[q] != ',') {
            *p = q;
            return -1;
        }
        q = skip_ws(s, len, q + 1);
    }
    if (q >= len || strchr(",:}]", s[q])) {
        *p = q;
        return -1;
    }
    *val = q;
    *vend = skip_value(s, len, q);
    *p = *vend;
    return 1;
}

static int key_is(const json_ctx *c, const jmember *m, const char *lit)
{
    return m->klen == strlen(lit) && sl_input_ci_equal(c->s + m->key, lit, m->klen);
}

/* The member `key` of the object at o: 1, else 0, or -1 where the object
 * is malformed (*where). */
static int member_at(const json_ctx *c, size_t o, const char *key, jmember *out,
                     const sl_source *pager, size_t *where)
{
    size_t p = o + 1;
    jmember m;
    int r;
    while ((r = next_member_in(c->s, c->len, &p, &m, pager)) > 0)
        if (key_is(c, &m, key)) {
            *out = m;
            return 1;
        }
    *where = p;
    return r;
}

/* The member `key` of the object at o (an item jansson has checked), or 0. */
static int member_in(const json_ctx *c, size_t o, const char *key, jmember *out,
                     const sl_source *pager)
{
    size_t where;
    return member_at(c, o, key, out, pager, &where) > 0;
}

static int member(const json_ctx *c, size_t o, const char *key, jmember *out)
{
    return member_in(c, o, key, out, NULL);
}

/* ---------------------------------------------------------------- strings */

static long hex4(const char *s, size_t len, size_t p)
{
    if (p + 4 > len)
        return -1;
    long v = 0;
    for (size_t i = p; i < p + 4; i++) {
        int c = tolower((unsigned char)s[i]);
        if (!isxdigit(c))
            return -1;
        v = v * 16 + (isdigit(c) ? c - '0' : c - 'a' + 10);
    }
    return v;
}

/* Appends the decoded string value at [v, vend) (quotes included) to f;
 * a number or literal is appended as written. Anything else adds nothing. */
static sl_status decode_value(const json_ctx *c, size_t v, size_t vend, sl_field *f)
{
    const char *s = c->s;
    if (v >= vend || s[v] == '{' || s[v] == '[' || s[v] == 'n')
        return SL_OK;
    if (s[v] != '"')
        return sl_field_append_span(f, s + v, vend - v, v);
    sl_status st = SL_OK;
    size_t end = vend - 1, run = v + 1, p = v + 1;
    while (st == SL_OK && p < end) {
        if (s[p] != '\\') {
            p++;
            continue;
        }
        if (p > run)
            st = sl_field_append_span(f, s + run, p - run, run);
        char out[8];
        size_t olen = 1, used = 2;
        char e = p + 1 < end ? s[p + 1] : '\\';
        switch (e) {
        case 'n':
            out[0] = '\n';
            break;
        case 't':
            out[0] = '\t';
            break;
        case 'r':
            out[0] = '\n';
            break; /* line ends unified, as elsewhere */
        case 'b':
            out[0] = '\b';
            break;
        case 'f':
            out[0] = '\f';
            break;
        case 'u': {
            long cp = hex4(s, end, p + 2);
            used = 6;
            if (cp >= 0xD800 && cp < 0xDC00 && p + 12 <= end && s[p + 6] == '\\' &&
                s[p + 7] == 'u') {
                long lo = hex4(s, end, p + 8);
                if (lo >= 0xDC00 && lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    used = 12;
                }
            }
            olen = cp < 0 || (cp >= 0xD800 && cp < 0xE000)
                       ? sl_input_put_utf8(0xFFFD, out)
                       : sl_input_put_utf8((unsigned long)cp, out);
            break;
        }
        default:
            out[0] = e;
            break;
        }
        /* "\r\n" written as two escapes is one line end. */
        if (e == 'r' && p + 3 < end && s[p + 2] == '\\' && s[p + 3] == 'n')
            used = 4;
        if (st == SL_OK)
            st = sl_field_append_at(f, out, olen, p);
        p += used;
        run = p;
    }
    if (st == SL_OK && run < end)
        st = sl_field_append_span(f, s + run, end - run, run);
    return st;
}

/* ------------------------------------------------------------------ items */

static sl_status value_meta(json_ctx *c, sl_document *d, const char *name, size_t v, size_t vend)
{
    sl_field_reset(&c->tmp);
    sl_status st = decode_value(c, v, vend, &c->tmp);
    return st == SL_OK ? sl_feed_add_meta(d, name, &c->tmp) : st;
}

/* A string, an array of strings, an object's "name" (or "value"), or an
 * array of such objects: one meta value each. */
static sl_status party_meta(json_ctx *c, sl_document *d, const char *name, size_t v, size_t vend)
{
    const char *s = c->s;
    if (v >= vend)
        return SL_OK;
    if (s[v] == '{') {
        jmember m;
        if (member(c, v, "name", &m) || member(c, v, "value", &m))
            return value_meta(c, d, name, m.val, m.vend);
        return SL_OK;
    }
    if (s[v] == '[') {
        size_t p = v + 1, ev, ee;
        sl_status st = SL_OK;
        while (st == SL_OK && next_element(s, vend, &p, &ev, &ee) > 0)
            st = party_meta(c, d, name, ev, ee);
        return st;
    }
    return value_meta(c, d, name, v, vend);
}

/* Lower-cased key, NUL-terminated, or "" when it is too long to be a name. */
static void key_name(const json_ctx *c, const jmember *m, char *out, size_t cap)
{
    out[0] = '\0';
    if (m->klen == 0 || m->klen >= cap)
        return;
    for (size_t i = 0; i < m->klen; i++) {
        char ch = c->s[m->key + i];
        if (ch == '\\' || ch == '"')
            return;
        out[i] = (char)tolower((unsigned char)ch);
    }
    out[m->klen] = '\0';
}

typedef struct item_parts {
    jmember id, guid, uri, title, headlines, html, text, bodies, authors, meta;
    int has_id, has_guid, has_uri, has_title, has_headlines, has_html, has_text, has_bodies,
        has_authors, has_meta;
} item_parts;

static const char *const html_keys[] = {"content_html", "body_html", "html"};
static const char *const text_keys[] = {"content_text", "body_text", "body"};
/* Read into fields, not kept as meta under their own name. */
static const char *const structural[] = {
    "id",           "guid",      "uri",     "title",        "headline",    "headlines",
    "content_html", "body_html", "html",    "content_text", "body_text",   "body",
    "bodies",       "authors",   "author",  "meta",         "infosources", "version",
    "items",        "type",      "$schema", "associations"};

static int in_list(const json_ctx *c, const jmember *m, const char *const *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (key_is(c, m, l[i]))
            return 1;
    return 0;
}

#define IN_LIST(c, m, l) in_list((c), (m), (l), sizeof(l) / sizeof((l)[0]))

static sl_status item_body(json_ctx *c, sl_document *d, const item_parts *ip)
{
    const char *s = c->s;
    sl_status st = SL_OK;
    sl_field_reset(&c->tmp);
    if (ip->has_html) {
        st = decode_value(c, ip->html.val, ip->html.vend, &c->tmp);
        return st == SL_OK ? sl_feed_add_html(d, &c->tmp, &d->title) : st;
    }
    if (ip->has_text) {
        st = decode_value(c, ip->text.val, ip->text.vend, &c->tmp);
        return st == SL_OK ? sl_input_copy_field(&d->body, &c->tmp, 0, c->tmp.len) : st;
    }
    if (!ip->has_bodies || s[ip->bodies.val] != '[')
        return SL_OK;
    size_t p = ip->bodies.val + 1, ev, ee;
    while (st == SL_OK && next_element(s, ip->bodies.vend, &p, &ev, &ee) > 0) {
        jmember v, ct;
        if (s[ev] != '{' || !member(c, ev, "value", &v))
            continue;
        int html = 0;
        if (member(c, ev, "contenttype", &ct) || member(c, ev, "contentType", &ct))
            html = sl_input_find(s + ct.val, ct.vend - ct.val, "html", 4) != NULL;
        sl_field_reset(&c->tmp);
        st = decode_value(c, v.val, v.vend, &c->tmp);
        if (st == SL_OK && html)
            st = sl_feed_add_html(d, &c->tmp, &d->title);
        else if (st == SL_OK && c->tmp.len) {
            st = sl_field_break(&d->body, sl_field_offset(&c->tmp, 0));
            if (st == SL_OK)
                st = sl_input_copy_field(&d->body, &c->tmp, 0, c->tmp.len);
        }
    }
    return st;
}

/* The captions of one ninjs association, the object at o. */
static sl_status association_caption(json_ctx *c, sl_document *d, size_t o)
{
    jmember m;
    sl_status st = SL_OK;
    if (member(c, o, "description_text", &m) && c->s[m.val] == '"')
        st = value_meta(c, d, "caption", m.val, m.vend);
    if (st == SL_OK && member(c, o, "headline", &m) && c->s[m.val] == '"')
        st = value_meta(c, d, "caption", m.val, m.vend);
    return st;
}

/* ninjs associations (a story's photos and videos, an object of objects
 * in 1.x, an array in 2.x and 3.x): the captions a reader sees under them,
 * "description_text" and "headline", as meta.caption. Their credits are
 * the photo's, not the story's, and are left alone. */
static sl_status association_captions(json_ctx *c, sl_document *d, size_t v, size_t vend)
{
    const char *s = c->s;
    sl_status st = SL_OK;
    size_t p = v + 1;
    if (s[v] == '{') {
        jmember a;
        while (st == SL_OK && next_member(s, vend, &p, &a) > 0)
            if (s[a.val] == '{')
                st = association_caption(c, d, a.val);
    } else if (s[v] == '[') {
        size_t ev, ee;
        while (st == SL_OK && next_element(s, vend, &p, &ev, &ee) > 0)
            if (s[ev] == '{')
                st = association_caption(c, d, ev);
    }
    return st;
}

/* Keeps the first member of a kind. */
static void take(jmember *to, int *flag, const jmember *m)
{
    if (!*flag) {
        *to = *m;
        *flag = 1;
    }
}

/* Builds the document of the object at [o, oend) and sends it. */
static sl_status emit_object(json_ctx *c, size_t o, size_t oend, const char *prefix, size_t n)
{
    const char *s = c->s;
    sl_document d;
    memset(&d, 0, sizeof d);
    item_parts ip;
    memset(&ip, 0, sizeof ip);
    sl_status st = sl_input_append_lines(&d.page, s, o, oend);
    size_t p = o + 1;
    jmember m;
    char name[64];
    while (st == SL_OK && next_member(s, oend, &p, &m) > 0) {
        if (key_is(c, &m, "id"))
            take(&ip.id, &ip.has_id, &m);
        else if (key_is(c, &m, "guid"))
            take(&ip.guid, &ip.has_guid, &m);
        else if (key_is(c, &m, "uri"))
            take(&ip.uri, &ip.has_uri, &m);
        else if (key_is(c, &m, "title") || key_is(c, &m, "headline"))
            take(&ip.title, &ip.has_title, &m);
        else if (key_is(c, &m, "headlines"))
            take(&ip.headlines, &ip.has_headlines, &m);
        else if (IN_LIST(c, &m, html_keys) && s[m.val] == '"')
            take(&ip.html, &ip.has_html, &m);
        else if (IN_LIST(c, &m, text_keys) && s[m.val] == '"')
            take(&ip.text, &ip.has_text, &m);
        else if (key_is(c, &m, "bodies"))
            take(&ip.bodies, &ip.has_bodies, &m);
        else if (key_is(c, &m, "meta") && s[m.val] == '{')
            take(&ip.meta, &ip.has_meta, &m);
        if (key_is(c, &m, "authors") || key_is(c, &m, "author")) {
            ip.has_authors = 1;
            st = party_meta(c, &d, "author", m.val, m.vend);
        } else if (key_is(c, &m, "infosources")) {
            st = party_meta(c, &d, "infosource", m.val, m.vend);
        } else if (key_is(c, &m, "associations")) {
            st = association_captions(c, &d, m.val, m.vend);
        } else if (!IN_LIST(c, &m, structural) && s[m.val] != '{') {
            key_name(c, &m, name, sizeof name);
            if (name[0])
                st = party_meta(c, &d, name, m.val, m.vend);
        }
    }
    const jmember *key = ip.has_id ? &ip.id : ip.has_guid ? &ip.guid : ip.has_uri ? &ip.uri : NULL;
    sl_field_reset(&c->tmp);
    if (st == SL_OK && key)
        st = decode_value(c, key->val, key->vend, &c->tmp);
    if (st == SL_OK)
        st = sl_feed_set_id(&d, c->src->path, c->tmp.text, c->tmp.len, prefix, n);
    if (st == SL_OK && ip.has_title) {
        sl_field_reset(&c->tmp);
        st = decode_value(c, ip.title.val, ip.title.vend, &c->tmp);
        if (st == SL_OK)
            st = sl_feed_copy_trimmed(&d.title, &c->tmp);
    } else if (st == SL_OK && ip.has_headlines && s[ip.headlines.val] == '[') {
        size_t q = ip.headlines.val + 1, ev, ee;
        jmember v;
        if (next_element(s, ip.headlines.vend, &q, &ev, &ee) > 0 && s[ev] == '{' &&
            member(c, ev, "value", &v)) {
            sl_field_reset(&c->tmp);
            st = decode_value(c, v.val, v.vend, &c->tmp);
            if (st == SL_OK)
                st = sl_feed_copy_trimmed(&d.title, &c->tmp);
        }
    }
    if (st == SL_OK)
        st = item_body(c, &d, &ip);
    if (st == SL_OK && ip.has_meta) {
        size_t q = ip.meta.val + 1;
        while (st == SL_OK && next_member(s, ip.meta.vend, &q, &m) > 0) {
            key_name(c, &m, name, sizeof name);
            if (name[0])
                st = party_meta(c, &d, name, m.val, m.vend);
        }
    }
    if (st == SL_OK && !ip.has_authors && c->feed_authors_end)
        st = party_meta(c, &d, "author", c->feed_authors, c->feed_authors_end);
    if (st == SL_OK && !d.raw.len)
        d.raw_is_page = 1;
    if (st == SL_OK)
        st = c->sink(c->user, c->src, &d);
    sl_document_clear(&d);
    return st;
}

/* jansson's verdict on [a, b): 1 when it is one valid JSON object, else 0
 * with `msg` saying what is wrong and where in the file. */
static int check_item(json_ctx *c, size_t a, size_t b, char *msg, size_t cap)
{
    json_error_t err;
    json_t *v = json_loadb(c->s + a, b - a, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    int ok = v && json_is_object(v);
    if (!ok) {
        unsigned line, col;
        size_t at = v ? a : a + (err.position > 0 ? (size_t)err.position - 1 : 0);
        sl_source_position(c->src, at < c->len ? at : c->len, &line, &col);
        snprintf(msg, cap, "malformed JSON at line %u, column %u: %s", line, col,
                 v ? "an item must be an object" : err.text);
    }
    json_decref(v);
    return ok;
}

/* Says where the structure around the items breaks: at p, a byte that is
 * not the comma, bracket or member that should stand there. */
static void unexpected(const json_ctx *c, size_t p, char *msg, size_t cap)
{
    unsigned line, col;
    sl_source_position(c->src, p < c->len ? p : c->len, &line, &col);
    if (p >= c->len)
        snprintf(msg, cap, "malformed JSON at line %u, column %u: unexpected end of input", line,
                 col);
    else if ((unsigned char)c->s[p] >= 0x20 && (unsigned char)c->s[p] < 0x7f)
        snprintf(msg, cap, "malformed JSON at line %u, column %u: unexpected '%c'", line, col,
                 c->s[p]);
    else
        snprintf(msg, cap, "malformed JSON at line %u, column %u: unexpected byte 0x%02x", line,
                 col, (unsigned char)c->s[p]);
}

/* A break in the feed: the items before it stand, the file notes it. */
static sl_status broken(json_ctx *c, const char *msg, char *note, size_t cap, sl_diag *diag)
{
    if (c->nitems == 0)
        return sl_diag_set(diag, SL_EINPUT, NULL, 0, 0, NULL, "%s", msg);
    snprintf(note, cap, "%s (%zu item%s read before it)", msg, c->nitems,
             c->nitems == 1 ? "" : "s");
    return sl_feed_emit_error(c->src, note, c->sink, c->user);
}

/* The items of the array at [a, b): each checked, then sent. */
static sl_status array_items(json_ctx *c, size_t a, size_t b, char *note, size_t cap, sl_diag *diag)
{
    char msg[512];
    size_t p = a + 1, ev, ee;
    sl_status st = SL_OK;
    int r;
    while (st == SL_OK && (r = next_element(c->s, b, &p, &ev, &ee)) != 0) {
        if (r < 0) {
            unexpected(c, p, msg, sizeof msg);
            return broken(c, msg, note, cap, diag);
        }
        sl_source_advance(c->src, ev);
        if (!check_item(c, ev, ee, msg, sizeof msg))
            return broken(c, msg, note, cap, diag);
        c->nitems++;
        st = emit_object(c, ev, ee, "item", c->nitems);
    }
    return st;
}

static sl_status load_lines(json_ctx *c)
{
    char msg[512];
    sl_status st = SL_OK;
    size_t line = 0;
    for (size_t p = 0; st == SL_OK && p < c->len;) {
        const char *nl = memchr(c->s + p, '\n', c->len - p);
        size_t e = nl ? (size_t)(nl - c->s) : c->len;
        line++;
        size_t a = skip_ws(c->s, e, p);
        sl_source_advance(c->src, p);
        if (a < e) {
            c->nitems++;
            if (check_item(c, a, e, msg, sizeof msg)) {
                st = emit_object(c, a, e, "line", line);
            } else {
                /* Lines are independent: one bad line is one ERROR item. */
                sl_document d;
                memset(&d, 0, sizeof d);
                st = sl_feed_set_id(&d, c->src->path, NULL, 0, "line", line);
                if (st == SL_OK && !(d.error = sl_strdup(msg)))
                    st = SL_ENOMEM;
                if (st == SL_OK)
                    st = c->sink(c->user, c->src, &d);
                sl_document_clear(&d);
            }
        }
        p = e + 1;
    }
    return st;
}

sl_status sl_load_feed_json(const sl_source *src, sl_input_type type, sl_doc_sink sink, void *user,
                            char *note, size_t cap, sl_diag *diag)
{
    json_ctx c;
    memset(&c, 0, sizeof c);
    c.src = src;
    c.s = src->data;
    c.len = src->len;
    c.type = type;
    c.sink = sink;
    c.user = user;
    note[0] = '\0';
    sl_status st = SL_OK;
    char msg[512];
    if (type == SL_INPUT_JSONL) {
        st = load_lines(&c);
        goto cleanup;
    }
    size_t a = skip_ws(c.s, c.len, 0);
    int open = 0;
    size_t b = skip_value_open(c.s, c.len, a, src, &open);
    char close = a < c.len && c.s[a] == '[' ? ']' : '}';
    char cut[160] = "";
    int framed = a < c.len && (c.s[a] == '{' || c.s[a] == '[');
    if (!framed || open || c.s[b - 1] != close) {
        unsigned line, col;
        sl_source_position(src, b < c.len ? b : c.len, &line, &col);
        snprintf(cut, sizeof cut, "malformed JSON at line %u, column %u: unterminated %s", line,
                 col, framed && c.s[a] == '[' ? "array" : "object");
    }
    /* A feed cut off in transfer still has its whole items before the cut:
     * they are read, as an XML feed's are, and the break is the file's
     * error. Anything else that does not close is only an error. */
    int feed_cut = framed && open && (c.s[a] == '[' || type == SL_INPUT_JSONFEED);
    if (cut[0] && !feed_cut) {
        st = sl_diag_set(diag, SL_EINPUT, NULL, 0, 0, NULL, "%s", cut);
        goto cleanup;
    }
    if (c.s[a] == '[') {
        st = array_items(&c, a, b, note, cap, diag);
    } else if (type == SL_INPUT_JSONFEED) {
        jmember items, authors;
        size_t where = 0;
        int has_items = member_at(&c, a, "items", &items, src, &where);
        if (has_items < 0) {
            /* The feed's own members are walked, not checked by jansson. */
            if (feed_cut && where >= c.len)
                snprintf(msg, sizeof msg, "%s", cut);
            else
                unexpected(&c, where, msg, sizeof msg);
            st = sl_diag_set(diag, SL_EINPUT, NULL, 0, 0, NULL, "%s", msg);
            goto cleanup;
        }
        if (member_in(&c, a, "authors", &authors, src) ||
            member_in(&c, a, "author", &authors, src)) {
            c.feed_authors = authors.val;
            c.feed_authors_end = authors.vend;
        }
        if (!has_items || c.s[items.val] != '[') {
            st = sl_diag_set(diag, SL_EINPUT, NULL, 0, 0, NULL, "JSON Feed without an items array");
            goto cleanup;
        }
        st = array_items(&c, items.val, items.vend, note, cap, diag);
    } else if (!check_item(&c, a, b, msg, sizeof msg)) {
        st = sl_diag_set(diag, SL_EINPUT, NULL, 0, 0, NULL, "%s", msg);
    } else {
        c.nitems = 1;
        st = emit_object(&c, a, b, "item", 1);
    }
    if (st == SL_OK && !note[0] && feed_cut)
        st = broken(&c, cut, note, cap, diag);
    if (st == SL_OK && !note[0] && skip_ws(c.s, c.len, b) < c.len) {
        unsigned line, col;
        sl_source_position(src, skip_ws(c.s, c.len, b), &line, &col);
        snprintf(msg, sizeof msg, "malformed JSON at line %u, column %u: text after the end", line,
                 col);
        st = broken(&c, msg, note, cap, diag);
    }
cleanup:
    sl_field_clear(&c.tmp);
    if (st == SL_ENOMEM)
        sl_diag_set(diag, st, NULL, 0, 0, NULL, "out of memory loading feed");
    return st;
}

/* ------------------------------------------------------------- detection */

static int has_ext(const char *path, const char *ext)
{
    if (!path)
        return 0;
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    return dot && (!slash || dot > slash) && strlen(dot + 1) == strlen(ext) &&
           sl_input_ci_equal(dot + 1, ext, strlen(ext));
}

static int mentions(const char *s, size_t n, const char *lit)
{
    return sl_input_find(s, n, lit, strlen(lit)) != NULL;
}

/* Does the object or array at s[a] start as JSON does? Template syntax
 * opens with the same brackets ("{% extends %}", "{{headline}}",
 * "[% INCLUDE %]") but is none: after '{' JSON has a key or '}', after
 * '[' a value or ']'. A sniff that ends first gets the benefit of the
 * doubt. */
static int json_start(const char *s, size_t n, size_t a)
{
    size_t b = skip_ws(s, n, a + 1);
    if (b >= n)
        return 1;
    char c = s[b];
    if (s[a] == '{')
        return c == '"' || c == '}';
    return c == '{' || c == '[' || c == '"' || c == ']' || c == '-' || (c >= '0' && c <= '9') ||
           c == 't' || c == 'f' || c == 'n';
}

sl_input_type sl_feed_detect_json(const char *path, const char *s, size_t n)
{
    size_t a = skip_ws(s, n, 0);
    if (a >= n || (s[a] != '{' && s[a] != '['))
        return SL_INPUT_AUTO;
    if (has_ext(path, "jsonl") || has_ext(path, "ndjson"))
        return SL_INPUT_JSONL;
    if (!json_start(s, n, a))
        return SL_INPUT_AUTO;
    if (s[a] == '{' && mentions(s, n, JSONFEED_MARK))
        return SL_INPUT_JSONFEED;
    /* JSON Lines: a whole object on the first line, another after it. */
    const char *nl = memchr(s + a, '\n', n - a);
    if (s[a] == '{' && nl) {
        size_t e = skip_value(s, (size_t)(nl - s), a);
        size_t next = skip_ws(s, n, (size_t)(nl - s));
        if (e <= (size_t)(nl - s) && s[e - 1] == '}' &&
            skip_ws(s, (size_t)(nl - s), e) == (size_t)(nl - s) && next < n && s[next] == '{' &&
            json_start(s, n, next))
            return SL_INPUT_JSONL;
    }
    static const char *const ninjs_keys[] = {
        "\"headline\"", "\"headlines\"", "\"body_text\"",      "\"body_html\"",
        "\"bodies\"",   "\"byline\"",    "\"versioncreated\"", "\"versionCreated\""};
    if (mentions(s, n, "ninjs"))
        return SL_INPUT_NINJS;
    if (mentions(s, n, "\"uri\""))
        for (size_t i = 0; i < sizeof ninjs_keys / sizeof ninjs_keys[0]; i++)
            if (mentions(s, n, ninjs_keys[i]))
                return SL_INPUT_NINJS;
    /* Articles in a JSON array or one object with a body (the JSON Lines
     * shape in one file) read as ninjs does. */
    if ((has_ext(path, "json")) && (mentions(s, n, "\"body\"") || mentions(s, n, "\"html\"")))
        return SL_INPUT_NINJS;
    return SL_INPUT_AUTO;
}
