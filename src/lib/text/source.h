/*
 * A source file as the loaders see it: its bytes in UTF-8 (a file in
 * another declared charset is converted once, on load), and the means to
 * turn any byte offset into a 1-based line and a 1-based column counted in
 * characters, as editors count them.
 *
 * Two kinds of source. An indexed source (sl_source_init) holds an index
 * of every line start: a text, Markdown or HTML file is one document. The
 * index is built up front, or with SL_SOURCE_LAZY when first needed: the
 * text and Markdown loaders walk the lines (sl_source_index), while an
 * HTML page needs lines only for the positions of its findings. A streamed source (the
 * SL_SOURCE_STREAM flag; the feeds) builds no index: positions are worked
 * out when asked, from a window that starts where the loader says it is
 * (sl_source_advance, at each item) and indexes only the lines it has
 * been asked about, plus a mark every 64 KiB behind it for the rare
 * position asked before it (an item inheriting the feed's author). So the
 * memory of a streamed source follows its largest item, not the feed; with
 * SL_SOURCE_PAGEABLE it also gives back the pages of a mapped file behind
 * the window.
 */
#ifndef SL_TEXT_SOURCE_H
#define SL_TEXT_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "syndlint/syndlint.h"

typedef struct sl_source_stream sl_source_stream;

typedef struct sl_source {
    char *path;               /* owned; as given by the caller */
    const char *data;         /* UTF-8, NUL at data[len]; owned unless SL_SOURCE_BORROWED */
    size_t len;               /* bytes in data, without the NUL; below UINT32_MAX */
    uint32_t *lines;          /* owned; an indexed source's line starts (lines[0] == 0);
                                 NULL for a streamed source, and for a lazy one until
                                 built (sl_source_index) */
    size_t nlines;            /* 0 for a streamed source */
    char *owned;              /* owned; what sl_source_clear frees (data's buffer), or NULL */
    sl_source_stream *stream; /* owned; a streamed source's window, else NULL */
    /* The last position asked (line 0: none), where the next walk may start
     * from: a cache, like a lazy index. */
    size_t near_off, near_line, near_col;
} sl_source;

enum {
    /* `data` stays the caller's: it must outlive the source, unchanged. */
    SL_SOURCE_BORROWED = 1,
    /* No line index: positions from a window moved by sl_source_advance. */
    SL_SOURCE_STREAM = 2,
    /* With STREAM and BORROWED: `data` lies in a read-only private mapping
     * of a file (MAP_PRIVATE), whose pages behind the window are released
     * (madvise MADV_DONTNEED); touched again, they are read back from the
     * file. Never for other memory: anonymous pages would come back zero. */
    SL_SOURCE_PAGEABLE = 4,
    /* Without STREAM: the line index is built when first needed (a
     * position asked, sl_source_index), not by init. */
    SL_SOURCE_LAZY = 8
};

/* Takes ownership of `data` (malloc'd, `len` bytes plus a NUL) and builds
 * the line index. A "\r\n" or a lone "\r" ends a line, like "\n". On
 * failure `data` is still the source's: sl_source_clear frees it. */
sl_status sl_source_init(sl_source *src, const char *path, char *data, size_t len);

/* As sl_source_init, with `flags` (SL_SOURCE_*): without BORROWED the
 * source takes ownership of `data` (malloc'd) as sl_source_init does.
 * SL_ELIMIT when len >= UINT32_MAX. */
sl_status sl_source_init_with(sl_source *src, const char *path, const char *data, size_t len,
                              int flags);

void sl_source_clear(sl_source *src);

/* Builds the line index of an indexed source if it has none yet (see
 * SL_SOURCE_LAZY), for loaders that read src->lines. The source is
 * logically const: only this cache changes. SL_ENOMEM when it cannot be
 * built; positions are then worked out without it, never wrong. */
sl_status sl_source_index(const sl_source *src);

/* Line and column (both 1-based; the column counts UTF-8 characters) of the
 * byte at `off`. An offset past the end maps to the end. On a streamed
 * source the window's index grows as positions are asked (the source is
 * logically const: only its cache changes); out of memory, the position is
 * worked out without the index, never wrong. */
void sl_source_position(const sl_source *src, size_t off, unsigned *line, unsigned *col);

/* The offset of the start of 1-based line `line`: 1 and *off set when the
 * source has that line, else 0. */
int sl_source_line_start(const sl_source *src, size_t line, size_t *off);

/* Tells a streamed source that the loader has moved on to `off` (an item's
 * start): the window starts there, its index and the pages of a pageable
 * source before it are released. Positions before it stay available, only
 * slower. No effect on an indexed source, nor backwards. */
void sl_source_advance(const sl_source *src, size_t off);

/* Releases the resident pages of a pageable source that hold bytes
 * data[from, to), all but the page holding byte `to`: for a pass over the
 * whole file, which releases the bytes behind it as it goes. Nothing for
 * other sources. */
void sl_source_release(const sl_source *src, size_t from, size_t to);

/* Releases the resident pages wholly inside [lo, hi) of a read-only
 * private file mapping (MADV_DONTNEED). Only for such memory (see
 * SL_SOURCE_PAGEABLE). */
void sl_mapped_release(const char *lo, const char *hi);

#endif
