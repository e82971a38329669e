/*
 * A field is a piece of a document's text (its title, body, one meta value,
 * ...) together with an offset map: for every byte of text, the byte offset
 * in the sl_source it came from. Loaders build fields; normalization turns
 * one field into another, composing the maps, so that a match anywhere can
 * always be reported at its line and column in the source file.
 */
#ifndef SL_TEXT_FIELD_H
#define SL_TEXT_FIELD_H

#include <stddef.h>
#include <stdint.h>

#include "syndlint/syndlint.h"

typedef struct sl_field {
    char *text;    /* owned; UTF-8, NUL-terminated; may be NULL when empty */
    uint32_t *src; /* owned; src[i] is the source offset of text[i]; len + 1
                      entries, the last being the offset just past the text */
    size_t len;
    size_t cap;
} sl_field;

#define SL_FIELD_INIT                                                                              \
    {                                                                                              \
        NULL, NULL, 0, 0                                                                           \
    }

/* Makes room for `extra` more bytes of text (and their map entries) plus
 * the terminating NUL, for writers that fill text and src directly. */
sl_status sl_field_reserve(sl_field *f, size_t extra);
/* Appends `n` bytes copied verbatim from the source: byte i maps to
 * `src_off + i`. */
sl_status sl_field_append_span(sl_field *f, const char *s, size_t n, size_t src_off);
/* Appends `n` bytes that all stand for the source byte at `src_off` (a
 * decoded entity, a block-boundary newline, ...). */
sl_status sl_field_append_at(sl_field *f, const char *s, size_t n, size_t src_off);
/* Appends "\n" unless the field is empty or already ends with one. */
sl_status sl_field_break(sl_field *f, size_t src_off);
/* Source offset of text byte `i` (i may equal len). */
size_t sl_field_offset(const sl_field *f, size_t i);
/* Moves the contents of `from` into `to` (freeing what `to` held). */
void sl_field_move(sl_field *to, sl_field *from);
/* Empties the field, keeping its memory for the next text. */
void sl_field_reset(sl_field *f);
void sl_field_clear(sl_field *f);

#endif
