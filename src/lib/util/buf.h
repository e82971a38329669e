/*
 * Growable byte buffers. A buffer owns its bytes and keeps them
 * NUL-terminated so they can be used as C strings at any time.
 */
#ifndef SL_UTIL_BUF_H
#define SL_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "syndlint/syndlint.h"

typedef struct sl_buf {
    char *data; /* owned; NULL until the first append */
    size_t len;
    size_t cap;
} sl_buf;

#define SL_BUF_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

sl_status sl_buf_reserve(sl_buf *b, size_t extra);
sl_status sl_buf_append(sl_buf *b, const char *s, size_t n);
sl_status sl_buf_puts(sl_buf *b, const char *s);
sl_status sl_buf_putc(sl_buf *b, char c);
sl_status sl_buf_printf(sl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the bytes to the caller (who frees them) and resets the buffer.
 * Never returns NULL unless out of memory: an empty buffer gives "". */
char *sl_buf_steal(sl_buf *b);
void sl_buf_free(sl_buf *b);

/* strdup that tolerates NULL (returns NULL). */
char *sl_strdup(const char *s);
char *sl_strndup(const char *s, size_t n);

#endif
