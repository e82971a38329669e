/*
 * A source file as the loaders see it: its bytes converted to UTF-8 (a file
 * in another declared charset is converted once, on load), and an index of
 * line starts so that any byte offset turns into a 1-based line and a
 * 1-based column counted in characters, as editors count them.
 */
#ifndef SL_TEXT_SOURCE_H
#define SL_TEXT_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "syndlint/syndlint.h"

typedef struct sl_source {
    char *path;    /* owned; as given by the caller */
    char *data;    /* owned; UTF-8, NUL-terminated */
    size_t len;    /* bytes in data, without the NUL */
    size_t *lines; /* owned; byte offset of each line start; lines[0] == 0 */
    size_t nlines;
} sl_source;

/* Takes ownership of `data` (malloc'd, `len` bytes plus a NUL) and builds
 * the line index. A "\r\n" or a lone "\r" ends a line, like "\n". */
sl_status sl_source_init(sl_source *src, const char *path, char *data, size_t len);
void sl_source_clear(sl_source *src);

/* Line and column (both 1-based; the column counts UTF-8 characters) of the
 * byte at `off`. An offset past the end maps to the end. */
void sl_source_position(const sl_source *src, size_t off, unsigned *line, unsigned *col);

#endif
