#include "text/source.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

sl_status sl_source_init(sl_source *src, const char *path, char *data, size_t len)
{
    memset(src, 0, sizeof *src);
    src->data = data;
    src->len = len;
    src->path = sl_strdup(path ? path : "-");
    size_t cap = 64, n = 0;
    size_t *lines = malloc(cap * sizeof *lines);
    if (!src->path || !lines) {
        free(lines);
        return SL_ENOMEM;
    }
    lines[n++] = 0;
    for (size_t i = 0; i < len; i++) {
        char c = data[i];
        if (c != '\n' && c != '\r')
            continue;
        if (c == '\r' && i + 1 < len && data[i + 1] == '\n')
            i++;
        if (n == cap) {
            size_t *p = realloc(lines, 2 * cap * sizeof *lines);
            if (!p) {
                free(lines);
                return SL_ENOMEM;
            }
            lines = p;
            cap *= 2;
        }
        lines[n++] = i + 1;
    }
    src->lines = lines;
    src->nlines = n;
    return SL_OK;
}

void sl_source_clear(sl_source *src)
{
    if (!src)
        return;
    free(src->path);
    free(src->data);
    free(src->lines);
    memset(src, 0, sizeof *src);
}

/* Bytes in the character at p (n > 0 bytes left). Ill-formed UTF-8 counts
 * as editors and normalization show it: one U+FFFD per maximal ill-formed
 * subpart (a truncated sequence is one character, a stray byte is one). */
static size_t char_len(const unsigned char *p, size_t n)
{
    unsigned char c = p[0], lo = 0x80, hi = 0xBF;
    if (c < 0xC2 || c > 0xF4)
        return 1;
    size_t need = c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    if (c == 0xE0)
        lo = 0xA0; /* overlong */
    else if (c == 0xED)
        hi = 0x9F; /* surrogates */
    else if (c == 0xF0)
        lo = 0x90; /* overlong */
    else if (c == 0xF4)
        hi = 0x8F; /* past U+10FFFF */
    for (size_t i = 1; i <= need; i++) {
        if (i >= n || p[i] < lo || p[i] > hi)
            return i;
        lo = 0x80;
        hi = 0xBF;
    }
    return need + 1;
}

void sl_source_position(const sl_source *src, size_t off, unsigned *line, unsigned *col)
{
    if (!src->lines) { /* never initialized, or init failed */
        *line = 1;
        *col = 1;
        return;
    }
    if (off > src->len)
        off = src->len;
    size_t lo = 0, hi = src->nlines;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (src->lines[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    unsigned c = 1;
    size_t i = src->lines[lo];
    while (i < off) {
        size_t k = char_len((const unsigned char *)src->data + i, src->len - i);
        if (i + k > off)
            break; /* inside a character: that character's column */
        i += k;
        c++;
    }
    *line = (unsigned)(lo + 1);
    *col = c;
}
