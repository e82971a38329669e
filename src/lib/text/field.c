#include "text/field.h"

#include <stdlib.h>
#include <string.h>

/* Copies the borrowed field's bytes into buffers of its own, with room
 * for `cap` bytes. */
static sl_status own(sl_field *f, size_t cap)
{
    char *t = malloc(cap);
    uint32_t *m = malloc(cap * sizeof *m);
    if (!t || !m) {
        free(t);
        free(m);
        return SL_ENOMEM;
    }
    memcpy(t, f->text, f->len);
    t[f->len] = '\0';
    for (size_t i = 0; i <= f->len; i++)
        m[i] = f->base + (uint32_t)i;
    f->text = t;
    f->src = m;
    f->cap = cap;
    f->base = 0;
    f->borrowed = 0;
    return SL_OK;
}

sl_status sl_field_reserve(sl_field *f, size_t extra)
{
    if (f->len + extra + 1 <= f->cap)
        return SL_OK;
    /* Offsets and lengths are kept in 32 bits. */
    if (extra >= UINT32_MAX || f->len + extra >= UINT32_MAX)
        return SL_ELIMIT;
    /* Small to start: a page may hold thousands of short fields (meta
     * values), each also normalized, and a field costs five bytes a byte.
     * A field that grows again is a long one being built piece by piece:
     * it skips to 256, as many reallocations as it had before. */
    size_t cap = !f->cap ? 16 : f->cap < 256 ? 256 : f->cap;
    while (cap < f->len + extra + 1)
        cap *= 2;
    if (f->borrowed)
        return own(f, cap);
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

sl_status sl_field_borrow(sl_field *f, const char *s, size_t n, size_t src_off)
{
    if (n >= UINT32_MAX || src_off >= UINT32_MAX - n)
        return SL_ELIMIT;
    sl_field_clear(f);
    if (n == 0)
        return SL_OK;
    f->text = (char *)s;
    f->len = n;
    f->base = (uint32_t)src_off;
    f->borrowed = 1;
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

int sl_field_equal(const sl_field *a, const sl_field *b)
{
    if (a->len != b->len)
        return 0;
    if (a->len == 0)
        return 1;
    if (memcmp(a->text, b->text, a->len) != 0)
        return 0;
    if (!a->borrowed && !b->borrowed)
        return memcmp(a->src, b->src, (a->len + 1) * sizeof *a->src) == 0;
    for (size_t i = 0; i <= a->len; i++)
        if (sl_field_offset(a, i) != sl_field_offset(b, i))
            return 0;
    return 1;
}

void sl_field_move(sl_field *to, sl_field *from)
{
    sl_field_clear(to);
    *to = *from;
    memset(from, 0, sizeof *from);
}

void sl_field_reset(sl_field *f)
{
    if (f->borrowed) {
        memset(f, 0, sizeof *f);
        return;
    }
    f->len = 0;
    if (f->text)
        f->text[0] = '\0';
}

void sl_field_clear(sl_field *f)
{
    if (!f)
        return;
    if (!f->borrowed)
        free(f->text);
    free(f->src);
    memset(f, 0, sizeof *f);
}
