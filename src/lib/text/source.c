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

void sl_source_position(const sl_source *src, size_t off, unsigned *line, unsigned *col)
{
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
    for (size_t i = src->lines[lo]; i < off; i++)
        if (((unsigned char)src->data[i] & 0xC0) != 0x80)
            c++;
    *line = (unsigned)(lo + 1);
    *col = c;
}
