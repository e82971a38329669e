/*
 * JSON-LD article metadata. Publishers put the byline, the publisher and
 * the paywall flag (isAccessibleForFree) in JSON-LD more reliably than in
 * <meta> tags, and wire credit often only there (sourceOrganization).
 *
 * jansson gives values, not positions, so each value is mapped by finding
 * its text in the script source after its key; a value written with JSON
 * escapes ("\u00e9", "\/") is not found verbatim and maps, whole, to the
 * key (or to the script's start). Rules report a line, so that is close
 * enough; the value text itself is always exact.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input/jsonld.h"
#include "input/loadutil.h"

#define JSONLD_MAX_DEPTH 16

/* How far past its key (or the value before it) a value is looked for. */
#define VALUE_WINDOW ((size_t)64 << 10)

typedef struct jsonld_ctx {
    const sl_source *src;
    size_t start, end;
    sl_document *doc;
    sl_field *headline;
    /* Where the last value found under key `last_key` ended: the values of
     * an array are written in order, so each search starts there. */
    const char *last_key;
    size_t last_end;
} jsonld_ctx;

/* Nonzero when `base` ends with `suffix`. */
static int ends_with(const char *base, const char *suffix)
{
    size_t n = strlen(base), m = strlen(suffix);
    return n >= m && strcmp(base + n - m, suffix) == 0;
}

/* Article, NewsArticle and their schema.org subtypes (ReportageNewsArticle,
 * BackgroundNewsArticle, OpinionNewsArticle, ...), BlogPosting and
 * LiveBlogPosting, the live pages breaking news is published as. */
static int is_article_type(const json_t *t)
{
    if (json_is_array(t)) {
        size_t i;
        json_t *v;
        json_array_foreach(t, i, v) if (is_article_type(v)) return 1;
        return 0;
    }
    const char *s = json_string_value(t);
    if (!s)
        return 0;
    /* Compacted IRIs ("schema:NewsArticle", "http://schema.org/Article")
     * name the same types. */
    const char *base = strrchr(s, '/');
    base = base ? base + 1 : s;
    const char *colon = strrchr(base, ':');
    base = colon ? colon + 1 : base;
    return ends_with(base, "Article") || ends_with(base, "BlogPosting");
}

/* Source offset where `key` is written ("\"key\""), searching from the
 * script's start; the script's start when it is not there. */
static size_t key_offset(const jsonld_ctx *c, const char *key)
{
    char quoted[64];
    size_t n = strlen(key);
    if (n + 2 >= sizeof quoted)
        return c->start;
    quoted[0] = '"';
    memcpy(quoted + 1, key, n);
    quoted[n + 1] = '"';
    const char *hit = sl_input_find(c->src->data + c->start, c->end - c->start, quoted, n + 2);
    return hit ? (size_t)(hit - c->src->data) : c->start;
}

/* `value` in the script from `from` on, no further than VALUE_WINDOW: a
 * value found nowhere near (written with escapes) is not searched for to
 * the end of the script, which for thousands of them would take n^2. */
static const char *find_near(const jsonld_ctx *c, size_t from, const char *value, size_t n)
{
    size_t span = c->end - from;
    if (span > VALUE_WINDOW + n)
        span = VALUE_WINDOW + n;
    return sl_input_find(c->src->data + from, span, value, n);
}

/* Adds meta `name` = `value`, mapped as the file note says. */
static sl_status add_value(jsonld_ctx *c, const char *name, const char *key, const char *value,
                           sl_field **out)
{
    size_t n = strlen(value);
    sl_field *f;
    if (out)
        *out = NULL;
    if (n == 0)
        return SL_OK;
    sl_status st = sl_document_add_meta(c->doc, name, &f);
    if (st != SL_OK)
        return st;
    size_t at = key_offset(c, key), from = at;
    if (c->last_key && strcmp(c->last_key, key) == 0 && c->last_end > from)
        from = c->last_end;
    const char *hit = find_near(c, from, value, n);
    if (!hit && from != at)
        hit = find_near(c, at, value, n);
    if (hit) {
        st = sl_field_append_span(f, value, n, (size_t)(hit - c->src->data));
        c->last_key = key;
        c->last_end = (size_t)(hit - c->src->data) + n;
    } else {
        st = sl_field_append_at(f, value, n, at);
    }
    if (out)
        *out = f;
    return st;
}

/* A name-bearing value: a string, an object's "name", or an array of
 * those, each giving one meta value. */
static sl_status add_names(jsonld_ctx *c, const char *name, const char *key, const json_t *v,
                           int depth)
{
    if (depth > JSONLD_MAX_DEPTH)
        return SL_OK;
    if (json_is_string(v))
        return add_value(c, name, key, json_string_value(v), NULL);
    if (json_is_object(v)) {
        const char *s = json_string_value(json_object_get(v, "name"));
        return s ? add_value(c, name, key, s, NULL) : SL_OK;
    }
    if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item)
        {
            sl_status st = add_names(c, name, key, item, depth + 1);
            if (st != SL_OK)
                return st;
        }
    }
    return SL_OK;
}

static sl_status read_article(jsonld_ctx *c, const json_t *o)
{
    sl_status st = add_names(c, "author", "author", json_object_get(o, "author"), 0);
    if (st == SL_OK)
        st = add_names(c, "publisher", "publisher", json_object_get(o, "publisher"), 0);
    static const char *const credits[] = {"sourceOrganization", "copyrightHolder", "creditText"};
    for (size_t i = 0; st == SL_OK && i < sizeof credits / sizeof credits[0]; i++)
        st = add_names(c, "credit", credits[i], json_object_get(o, credits[i]), 0);

    const json_t *free_ = json_object_get(o, "isAccessibleForFree");
    if (st == SL_OK && free_) {
        const char *v = NULL;
        if (json_is_boolean(free_))
            v = json_is_true(free_) ? "true" : "false";
        else if (json_is_string(free_))
            v = strcasecmp(json_string_value(free_), "true") == 0    ? "true"
                : strcasecmp(json_string_value(free_), "false") == 0 ? "false"
                                                                     : NULL;
        if (v)
            st = add_value(c, "isaccessibleforfree", "isAccessibleForFree", v, NULL);
    }

    const char *headline = json_string_value(json_object_get(o, "headline"));
    sl_field *f = NULL;
    if (st == SL_OK && headline)
        st = add_value(c, "headline", "headline", headline, &f);
    if (st == SL_OK && f && c->headline->len == 0)
        st = sl_input_copy_field(c->headline, f, 0, f->len);
    return st;
}

static sl_status visit(jsonld_ctx *c, const json_t *v, int depth)
{
    if (depth > JSONLD_MAX_DEPTH)
        return SL_OK;
    if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item)
        {
            sl_status st = visit(c, item, depth + 1);
            if (st != SL_OK)
                return st;
        }
        return SL_OK;
    }
    if (!json_is_object(v))
        return SL_OK;
    sl_status st = SL_OK;
    if (is_article_type(json_object_get(v, "@type")))
        st = read_article(c, v);
    /* A @graph holds the page's nodes; a WebPage names its article as its
     * mainEntity. */
    static const char *const inner[] = {"@graph", "mainEntity"};
    for (size_t i = 0; st == SL_OK && i < sizeof inner / sizeof inner[0]; i++) {
        const json_t *sub = json_object_get(v, inner[i]);
        if (sub)
            st = visit(c, sub, depth + 1);
    }
    return st;
}

/* A copy of `json` with the control characters written raw inside its
 * strings (a line break in an articleBody, which JSON forbids and pages
 * still carry) turned into spaces; NULL when there is none or no memory. */
static char *relax_strings(const char *json)
{
    size_t n = strlen(json), changed = 0;
    char *copy = malloc(n + 1);
    if (!copy)
        return NULL;
    int in_str = 0;
    for (size_t i = 0; i <= n; i++) {
        char ch = json[i];
        copy[i] = ch;
        if (!in_str) {
            in_str = ch == '"';
        } else if (ch == '\\' && i + 1 < n) {
            i++;
            copy[i] = json[i];
        } else if (ch == '"') {
            in_str = 0;
        } else if ((unsigned char)ch < 0x20 && ch != '\0') {
            copy[i] = ' ';
            changed++;
        }
    }
    if (!changed) {
        free(copy);
        return NULL;
    }
    return copy;
}

sl_status sl_jsonld_read(const sl_source *src, size_t start, size_t end, const char *json,
                         sl_document *d, sl_field *headline)
{
    jsonld_ctx c = {src, start, end < start ? start : end, d, headline, NULL, 0};
    json_error_t err;
    /* JSON_ALLOW_NUL is not given: a NUL cannot reach here anyway, the
     * source is sanitized on load. */
    json_t *root = json_loads(json, JSON_DECODE_ANY, &err);
    if (!root) {
        /* Raw control characters in strings are the common defect of
         * hand-built JSON-LD; their values are still meant. */
        char *relaxed = relax_strings(json);
        if (relaxed)
            root = json_loads(relaxed, JSON_DECODE_ANY, &err);
        free(relaxed);
    }
    if (!root)
        return SL_OK;
    sl_status st = visit(&c, root, 0);
    json_decref(root);
    return st;
}
