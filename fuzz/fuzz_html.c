/* Fuzzes the HTML tree builder and loader. Invariants checked, beyond no
 * crash, leak or hang: the builder closes every element it opens, last
 * opened first, never before it opened nor past the end; the stack never
 * outgrows SL_HTML_MAX_DEPTH; text runs come in order, do not overlap and
 * lie inside the input. Every byte of every field the loader builds is
 * the source byte it maps to, or was decoded from the reference or line
 * end written there (JSON-LD values: inside the source). */
#include <stdlib.h>
#include <string.h>

#include "input/html_tree.h"
#include "input/input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct checker {
    size_t len;
    size_t open[SL_HTML_MAX_DEPTH + 1]; /* ordinals of the open elements */
    size_t depth;
    size_t opened, closed;
    size_t text_end;
} checker;

static sl_status on_open(void *ctx, sl_html_el *el, const sl_html_tag *tag)
{
    checker *c = ctx;
    if (el->open > c->len || el->ordinal != c->opened++ || c->depth > SL_HTML_MAX_DEPTH)
        abort();
    if (tag && (tag->start != el->open || tag->end <= tag->start || tag->end > c->len))
        abort();
    c->open[c->depth++] = el->ordinal;
    return SL_OK;
}

static sl_status on_close(void *ctx, sl_html_el *el, size_t end)
{
    checker *c = ctx;
    if (!c->depth || c->open[c->depth - 1] != el->ordinal || end < el->open || end > c->len)
        abort();
    c->depth--;
    c->closed++;
    return SL_OK;
}

static sl_status on_text(void *ctx, const sl_html_el *parent, size_t start, size_t end, int raw)
{
    (void)parent;
    (void)raw;
    checker *c = ctx;
    if (start >= end || start < c->text_end || end > c->len)
        abort();
    c->text_end = end;
    return SL_OK;
}

/* `exact`: each byte is its source byte, or comes from a reference or a
 * line end there, or is a block break. JSON-LD values (the title may be
 * one) map to their key when written with escapes, so those are only
 * checked to map inside the source. */
static void check_field(const sl_field *f, const sl_source *src, int exact)
{
    for (size_t i = 0; i < f->len; i++) {
        size_t at = sl_field_offset(f, i);
        if (at > src->len)
            abort();
        /* A break may map just past the last text, at the very end. */
        char s = at < src->len ? src->data[at] : '\0';
        if (exact && f->text[i] != s && s != '&' && s != '\r' && f->text[i] != '\n')
            abort();
    }
    /* A borrowed field is the source's bytes themselves, not terminated. */
    if (f->borrowed && (f->text < src->data || f->text + f->len > src->data + src->len))
        abort();
    if (f->text && !f->borrowed && f->text[f->len] != '\0')
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static checker c;
    memset(&c, 0, sizeof c);
    c.len = size;
    sl_html_visitor v = {&c, on_open, on_close, on_text};
    if (sl_html_parse((const char *)data, size, &v) != SL_OK || c.depth || c.opened != c.closed)
        abort();

    sl_source src;
    sl_doclist docs = {0};
    sl_diag diag;
    sl_status st =
        sl_input_load("a.html", (const char *)data, size, SL_INPUT_HTML, &src, &docs, &diag);
    if (st == SL_OK) {
        for (size_t i = 0; i < docs.ndocs; i++) {
            const sl_document *d = &docs.docs[i];
            const sl_field *fs[] = {&d->body, &d->chrome, &d->code, &d->raw, &d->page};
            for (size_t k = 0; k < sizeof fs / sizeof fs[0]; k++)
                check_field(fs[k], &src, 1);
            check_field(&d->title, &src, 0);
            for (size_t k = 0; k < d->nmeta; k++)
                check_field(&d->meta[k].value, &src, 0);
        }
        sl_source_clear(&src);
    }
    sl_doclist_clear(&docs);
    return 0;
}
