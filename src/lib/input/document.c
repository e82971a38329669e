#include "input/document.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

sl_status sl_doclist_add(sl_doclist *l, const char *id, sl_document **out)
{
    if (l->ndocs == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 4;
        sl_document *p = realloc(l->docs, cap * sizeof *p);
        if (!p)
            return SL_ENOMEM;
        l->docs = p;
        l->cap = cap;
    }
    sl_document *d = &l->docs[l->ndocs];
    memset(d, 0, sizeof *d);
    d->id = sl_strdup(id);
    if (!d->id)
        return SL_ENOMEM;
    l->ndocs++;
    *out = d;
    return SL_OK;
}

void sl_doclist_clear(sl_doclist *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->ndocs; i++)
        sl_document_clear(&l->docs[i]);
    free(l->docs);
    memset(l, 0, sizeof *l);
}

sl_status sl_document_add_meta(sl_document *d, const char *name, sl_field **out)
{
    if (d->nmeta == d->meta_cap) {
        size_t cap = d->meta_cap ? 2 * d->meta_cap : 8;
        sl_meta *p = realloc(d->meta, cap * sizeof *p);
        if (!p)
            return SL_ENOMEM;
        d->meta = p;
        d->meta_cap = cap;
    }
    sl_meta *m = &d->meta[d->nmeta];
    memset(m, 0, sizeof *m);
    m->name = sl_strdup(name);
    if (!m->name)
        return SL_ENOMEM;
    for (char *p = m->name; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    d->nmeta++;
    *out = &m->value;
    return SL_OK;
}

void sl_document_clear(sl_document *d)
{
    if (!d)
        return;
    free(d->id);
    sl_field_clear(&d->title);
    sl_field_clear(&d->body);
    sl_field_clear(&d->chrome);
    sl_field_clear(&d->code);
    sl_field_clear(&d->raw);
    sl_field_clear(&d->page);
    for (size_t i = 0; i < d->nmeta; i++) {
        free(d->meta[i].name);
        sl_field_clear(&d->meta[i].value);
    }
    free(d->meta);
    free(d->error);
    memset(d, 0, sizeof *d);
}

const sl_field *sl_document_page(const sl_document *d)
{
    return d->page_is_body ? &d->body : &d->page;
}

const sl_field *sl_document_raw(const sl_document *d)
{
    return d->raw_is_page ? sl_document_page(d) : &d->raw;
}
