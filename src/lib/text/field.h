/*
 * A field is a piece of a document's text (its title, body, one meta value,
 * ...) together with an offset map: for every byte of text, the byte offset
 * in the sl_source it came from. Loaders build fields; normalization turns
 * one field into another, composing the maps, so that a match anywhere can
 * always be reported at its line and column in the source file.
 *
 * A field that is a stretch of the source as it is (a plain-text file's
 * body, an HTML page's markup) may borrow the source's bytes instead
 * (sl_field_borrow): its map is then base + i, held without an array, so
 * the loader copies nothing and normalization reads the source directly.
 * Appending to a borrowed field first makes it an owned copy.
 */
#ifndef SL_TEXT_FIELD_H
#define SL_TEXT_FIELD_H

#include <stddef.h>
#include <stdint.h>

#include "syndlint/syndlint.h"

typedef struct sl_field {
    char *text;    /* UTF-8; may be NULL when empty. Owned and NUL-terminated,
                      or in a borrowed field the source's bytes, borrowed
                      and not terminated: read text[0, len) only */
    uint32_t *src; /* owned; src[i] is the source offset of text[i]; len + 1
                      entries, the last being the offset just past the text.
                      NULL in a borrowed field: text[i] is at base + i */
    size_t len;
    size_t cap;    /* 0 in a borrowed field */
    uint32_t base; /* in a borrowed field, the source offset of text[0] */
    unsigned char borrowed;
} sl_field;

#define SL_FIELD_INIT                                                                              \
    {                                                                                              \
        NULL, NULL, 0, 0, 0, 0                                                                     \
    }

/* Makes room for `extra` more bytes of text (and their map entries) plus
 * the terminating NUL, for writers that fill text and src directly. A
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
/* Source offset of text byte `i` (i may equal len). */
static inline size_t sl_field_offset(const sl_field *f, size_t i)
{
    if (i > f->len)
        i = f->len;
    if (f->borrowed)
        return f->base + i;
    return f->src ? f->src[i] : 0;
}
/* Nonzero when a and b hold the same text from the same source offsets,
 * whether borrowed or owned. */
int sl_field_equal(const sl_field *a, const sl_field *b);
/* Moves the contents of `from` into `to` (freeing what `to` held). */
void sl_field_move(sl_field *to, sl_field *from);
/* Empties the field, keeping its memory for the next text. */
void sl_field_reset(sl_field *f);
void sl_field_clear(sl_field *f);

#endif
