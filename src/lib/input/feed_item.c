/*
 * Helpers shared by the feed loaders: HTML carried inside an item, trimmed
 * copies, meta values and ids.
 *
 * Embedded HTML. An item's HTML is first decoded out of its container
 * (XML entities and CDATA, or a JSON string's escapes) into a field whose
 * map says, for each byte of markup, which feed byte it came from. The
 * markup is then loaded as an HTML file of its own, and each byte of the
 * resulting body, code and raw, which maps to an offset in that markup, is
 * mapped once more through the decoding map: a finding in the body of an
 * escaped <description> lands on the feed byte that spelled it ("&lt;p&gt;"
 * maps every decoded byte of "<p>" to its '&', so a finding's column is
 * that of the reference that produced it).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/feed.h"
#include "input/loadutil.h"
#include "util/buf.h"

/* Appends `f` to `to`, each byte's offset o taken through `map` (o is a
 * byte of map's text; offsets past the end map to the end). */
static sl_status compose(sl_field *to, const sl_field *f, const sl_field *map)
{
    sl_status st = SL_OK;
    size_t i = 0;
    while (st == SL_OK && i < f->len) {
        size_t o = sl_field_offset(f, i);
        size_t m = sl_field_offset(map, o < map->len ? o : map->len);
        /* Runs that step by one in both maps stay one span. */
        size_t j = i + 1;
        if (o < map->len) {
            size_t in_f = sl_field_span(f, i, f->len) - i;
            size_t in_map = sl_field_span(map, o, map->len) - o;
            j = i + (in_f < in_map ? in_f : in_map);
        }
        if (j - i == 1)
            st = sl_field_append_at(to, f->text + i, 1, m);
        else
            st = sl_field_append_span(to, f->text + i, j - i, m);
        i = j;
    }
    return st;
}

sl_status sl_feed_add_html(sl_document *doc, const sl_field *html, sl_field *title)
{
    sl_status st = SL_OK;
    sl_source tmp;
    memset(&tmp, 0, sizeof tmp);
    sl_doclist dl = {0};
    sl_diag diag = {{0}};
    if (!html->len || sl_input_is_blank(html->text, html->len))
        return SL_OK;
    char *copy = malloc(html->len + 1);
    if (!copy)
        return SL_ENOMEM;
    memcpy(copy, html->text, html->len);
    copy[html->len] = '\0';
    st = sl_source_init(&tmp, "item.html", copy, html->len);
    if (st != SL_OK)
        goto cleanup;
    st = sl_load_html_part(&tmp, &dl, &diag);
    if (st != SL_OK || dl.ndocs == 0)
        goto cleanup;
    const sl_document *h = &dl.docs[0];
    /* An item has no site around it: all of its visible text is body,
     * its <aside> or <footer> included, and its raw markup is all of it
     * (the loader left raw to stand for the page). */
    sl_field *dst[] = {&doc->body, &doc->code, &doc->raw};
    const sl_field *from[] = {&h->body, &h->code, sl_document_raw(h)};
    for (size_t k = 0; st == SL_OK && k < 3; k++) {
        if (!from[k]->len)
            continue;
        st = sl_field_break(dst[k], sl_field_offset(html, 0));
        if (st == SL_OK)
            st = compose(dst[k], from[k], html);
    }
    if (st == SL_OK && title && !title->len && h->title.len) {
        sl_field t = SL_FIELD_INIT;
        st = compose(&t, &h->title, html);
        if (st == SL_OK)
            st = sl_feed_copy_trimmed(title, &t);
        sl_field_clear(&t);
    }
cleanup:
    sl_doclist_clear(&dl);
    sl_source_clear(&tmp);
    return st;
}

sl_status sl_feed_copy_trimmed(sl_field *to, const sl_field *from)
{
    size_t s = 0, e = from->len;
    while (s < e && isspace((unsigned char)from->text[s]))
        s++;
    while (e > s && isspace((unsigned char)from->text[e - 1]))
        e--;
    return e > s ? sl_input_copy_field(to, from, s, e - s) : SL_OK;
}

sl_status sl_feed_add_meta(sl_document *doc, const char *name, const sl_field *value)
{
    if (!value->len || sl_input_is_blank(value->text, value->len))
        return SL_OK;
    sl_field *f;
    sl_status st = sl_document_add_meta(doc, name, &f);
    return st == SL_OK ? sl_feed_copy_trimmed(f, value) : st;
}

sl_status sl_feed_set_id(sl_document *doc, const char *path, const char *key, size_t klen,
                         const char *prefix, size_t n)
{
    sl_buf b = {0};
    sl_status st;
    while (key && klen && isspace((unsigned char)*key))
        key++, klen--;
    while (key && klen && isspace((unsigned char)key[klen - 1]))
        klen--;
    st = sl_buf_puts(&b, path);
    if (st == SL_OK)
        st = sl_buf_putc(&b, '#');
    if (st == SL_OK && key && klen) {
        /* An id is one line in every report: line ends become spaces. */
        for (size_t i = 0; st == SL_OK && i < klen; i++)
            st = sl_buf_putc(&b, key[i] == '\n' || key[i] == '\r' ? ' ' : key[i]);
    } else if (st == SL_OK) {
        st = sl_buf_printf(&b, "%s-%zu", prefix, n);
    }
    if (st != SL_OK) {
        sl_buf_free(&b);
        return st;
    }
    free(doc->id);
    doc->id = sl_buf_steal(&b);
    return doc->id ? SL_OK : SL_ENOMEM;
}

sl_status sl_feed_emit_error(const sl_source *src, const char *message, sl_doc_sink sink,
                             void *user)
{
    sl_document d;
    memset(&d, 0, sizeof d);
    sl_status st = sl_feed_set_id(&d, src->path, "parse-error", 11, NULL, 0);
    if (st == SL_OK) {
        d.error = sl_strdup(message);
        st = d.error ? sink(user, src, &d) : SL_ENOMEM;
    }
    sl_document_clear(&d);
    return st;
}
