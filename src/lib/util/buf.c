#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sl_status sl_buf_reserve(sl_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return SL_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) {
        if (cap > ((size_t)-1) / 2)
            return SL_ENOMEM;
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p)
        return SL_ENOMEM;
    b->data = p;
    b->cap = cap;
    return SL_OK;
}

sl_status sl_buf_append(sl_buf *b, const char *s, size_t n)
{
    if (sl_buf_reserve(b, n) != SL_OK)
        return SL_ENOMEM;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return SL_OK;
}

sl_status sl_buf_puts(sl_buf *b, const char *s)
{
    return sl_buf_append(b, s, strlen(s));
}

sl_status sl_buf_putc(sl_buf *b, char c)
{
    return sl_buf_append(b, &c, 1);
}

sl_status sl_buf_printf(sl_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    sl_status st = SL_EINVAL;
    if (n < 0)
        goto out;
    st = sl_buf_reserve(b, (size_t)n);
    if (st != SL_OK)
        goto out;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    b->len += (size_t)n;
out:
    va_end(ap2);
    return st;
}

char *sl_buf_steal(sl_buf *b)
{
    char *p = b->data;
    if (!p)
        p = calloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void sl_buf_free(sl_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *sl_strdup(const char *s)
{
    return s ? sl_strndup(s, strlen(s)) : NULL;
}

char *sl_strndup(const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}
