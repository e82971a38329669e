/*
 * A field is a piece of a document's text (its title, body, one meta value,
 * ...) together with an offset map: for every byte of text, the byte offset
 * in the sl_source it came from. Loaders build fields; normalization turns
 * one field into another, composing the maps, so that a match anywhere can
 * always be reported at its line and column in the source file.
 *
 * The map is held as runs: a stretch of bytes whose offsets step by one
 * (text copied from the source), or that all stand for one source
 * character (a decoded entity, a folded character), is one entry. Maps are
 * written for every text scanned and read only at a finding; an array of
 * four bytes a byte cost more to write than the text.
 *
 * A field that is a stretch of the source as it is (a plain-text file's
 * body, an HTML page's markup) may borrow the source's bytes instead
 * (sl_field_borrow): its map is then base + i, held without runs, so the
 * loader copies nothing and normalization reads the source directly.
 * Appending to a borrowed field first makes it an owned copy.
 */
#ifndef SL_TEXT_FIELD_H
#define SL_TEXT_FIELD_H

#include <stddef.h>
#include <stdint.h>

#include "syndlint/syndlint.h"

/* One run of a field's map: text[at...] maps to off, off + 1, ... up to
 * the next run's `at` (or the end of the text), or, with SL_RUN_FIXED set
 * in `at`, every byte of it to `off`. */
typedef struct sl_field_run {
    uint32_t at;
    uint32_t off;
} sl_field_run;
#define SL_RUN_FIXED 0x80000000u

typedef struct sl_field {
    char *text; /* UTF-8; may be NULL when empty. Owned and NUL-terminated,
                   or in a borrowed field the source's bytes, borrowed
                   and not terminated: read text[0, len) only */
    size_t len;
    size_t cap;         /* 0 in a borrowed field */
    sl_field_run *runs; /* owned; nruns, ascending by `at`, the first at 0
                           when len > 0. NULL in a borrowed field */
    size_t nruns, runcap;
    uint32_t end;  /* the source offset just past the text (owned field) */
    uint32_t base; /* in a borrowed field, the source offset of text[0] */
    unsigned char borrowed;
} sl_field;

#define SL_FIELD_INIT                                                                              \
    {                                                                                              \
        NULL, 0, 0, NULL, 0, 0, 0, 0, 0                                                            \
    }

/* Makes room for `extra` more bytes of text plus the terminating NUL, for
 * writers that fill text directly and add its runs (sl_field_add_run). A
 * borrowed field becomes an owned copy first. */
sl_status sl_field_reserve(sl_field *f, size_t extra);
/* Makes the empty field `f` the `n` source bytes at `s`, byte i being at
 * source offset src_off + i, without copying them: `s` must outlive the
 * field's use. */
sl_status sl_field_borrow(sl_field *f, const char *s, size_t n, size_t src_off);
/* Appends `n` bytes copied verbatim from the source: byte i maps to
 * `src_off + i`. */
sl_status sl_field_append_span(sl_field *f, const char *s, size_t n, size_t src_off);
/* Appends `n` bytes that all stand for the source byte at `src_off` (a
 * decoded entity, a block-boundary newline, ...). */
sl_status sl_field_append_at(sl_field *f, const char *s, size_t n, size_t src_off);
/* Appends "\n" unless the field is empty or already ends with one. */
sl_status sl_field_break(sl_field *f, size_t src_off);
/* Appends a run (sl_field_add_run) that does not join the last one. */
sl_status sl_field_push_run(sl_field *f, size_t at, uint32_t off, int spread);
/* Adds the map of `n` (> 0) bytes from text index `at` (the end of the
 * text they are being appended to): they map to off, off + 1, ...
 * (spread) or all to `off`. A run that continues the last one joins it:
 * the common case, checked here without a call. */
static inline sl_status sl_field_add_run(sl_field *f, size_t at, size_t n, uint32_t off, int spread)
{
    if (n == 1)
        spread = 1; /* the same either way, and it may join the last run */
    if (spread && f->nruns) {
        const sl_field_run *last = &f->runs[f->nruns - 1];
        if (!(last->at & SL_RUN_FIXED) && last->off + ((uint32_t)at - last->at) == off)
            return SL_OK;
    }
    return sl_field_push_run(f, at, off, spread);
}
/* Source offset of text byte `i` of an owned field (i <= len). */
size_t sl_field_run_offset(const sl_field *f, size_t i);
/* Source offset of text byte `i` (i may equal len). */
static inline size_t sl_field_offset(const sl_field *f, size_t i)
{
    if (i > f->len)
        i = f->len;
    if (f->borrowed)
        return f->base + i;
    return sl_field_run_offset(f, i);
}
/* The end (at most `end`) of the stretch from byte i < end whose offsets
 * step by one: text[i, result) maps to offset(i), offset(i) + 1, ... */
size_t sl_field_span(const sl_field *f, size_t i, size_t end);
/* Nonzero when a and b hold the same text from the same source offsets,
 * whether borrowed or owned. */
int sl_field_equal(const sl_field *a, const sl_field *b);
/* Moves the contents of `from` into `to` (freeing what `to` held). */
void sl_field_move(sl_field *to, sl_field *from);
/* Empties the field, keeping its memory for the next text. */
void sl_field_reset(sl_field *f);
void sl_field_clear(sl_field *f);

#endif
