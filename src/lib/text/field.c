#include "text/field.h"

#include <stdlib.h>
#include <string.h>

sl_status sl_field_reserve(sl_field *f, size_t extra)
{
    if (f->len + extra + 1 <= f->cap)
        return SL_OK;
    /* Offsets and lengths are kept in 32 bits. */
    if (extra >= UINT32_MAX || f->len + extra >= UINT32_MAX)
        return SL_ELIMIT;
    size_t cap = f->cap ? f->cap : 256;
    while (cap < f->len + extra + 1)
        cap *= 2;
    char *t = realloc(f->text, cap);
    if (!t)
        return SL_ENOMEM;
    f->text = t;
    uint32_t *m = realloc(f->src, cap * sizeof *m);
    if (!m)
        return SL_ENOMEM;
    f->src = m;
    f->cap = cap;
    return SL_OK;
}

static sl_status field_append(sl_field *f, const char *s, size_t n, size_t src_off, int spread)
{
    sl_status st = sl_field_reserve(f, n);
    if (st != SL_OK)
        return st;
    memcpy(f->text + f->len, s, n);
    for (size_t i = 0; i < n; i++)
        f->src[f->len + i] = (uint32_t)(src_off + (spread ? i : 0));
    f->len += n;
    f->text[f->len] = '\0';
    f->src[f->len] = (uint32_t)(src_off + (spread ? n : 1));
    return SL_OK;
}

sl_status sl_field_append_span(sl_field *f, const char *s, size_t n, size_t src_off)
{
    return field_append(f, s, n, src_off, 1);
}

sl_status sl_field_append_at(sl_field *f, const char *s, size_t n, size_t src_off)
{
    return field_append(f, s, n, src_off, 0);
}

sl_status sl_field_break(sl_field *f, size_t src_off)
{
    if (f->len == 0 || f->text[f->len - 1] == '\n')
        return SL_OK;
    return sl_field_append_at(f, "\n", 1, src_off);
}

size_t sl_field_offset(const sl_field *f, size_t i)
{
    if (!f->src)
        return 0;
    if (i > f->len)
        i = f->len;
    return f->src[i];
}

void sl_field_move(sl_field *to, sl_field *from)
{
    sl_field_clear(to);
    *to = *from;
    memset(from, 0, sizeof *from);
}

void sl_field_reset(sl_field *f)
{
    f->len = 0;
    if (f->text)
        f->text[0] = '\0';
}

void sl_field_clear(sl_field *f)
{
    if (!f)
        return;
    free(f->text);
    free(f->src);
    memset(f, 0, sizeof *f);
}
