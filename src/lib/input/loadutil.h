/*
 * Small helpers shared by the loaders (text, Markdown, HTML, charset
 * sniffing). Nothing here allocates except through the sl_field it is
 * given.
 */
#ifndef SL_INPUT_LOADUTIL_H
#define SL_INPUT_LOADUTIL_H

#include <stddef.h>

#include "text/field.h"

/* Appends bytes [i, i+n) of `from` to `dst`, keeping each byte's source
 * offset (runs of consecutive offsets become one span). */
sl_status sl_input_copy_field(sl_field *dst, const sl_field *from, size_t i, size_t n);

/* Appends source bytes data[start, end) to `f` with line ends unified: a
 * "\r\n" or a lone "\r" becomes one "\n" mapped to the '\r'. */
sl_status sl_input_append_lines(sl_field *f, const char *data, size_t start, size_t end);
/* Makes the empty field `f` source bytes data[start, end) with line ends
 * unified, as sl_input_append_lines would; without a "\r" among them, by
 * borrowing them (sl_field_borrow): `data` must outlive the field. */
sl_status sl_input_source_text(sl_field *f, const char *data, size_t start, size_t end);

/* Nonzero when s[0, n) holds only ASCII whitespace (or nothing). */
int sl_input_is_blank(const char *s, size_t n);

/* Writes code point `cp` as UTF-8 into out (4 bytes of room) and returns
 * its length; a value that is not a Unicode scalar (a surrogate, past
 * U+10FFFF) is written as U+FFFD. */
size_t sl_input_put_utf8(unsigned long cp, char *out);

/* Number of UTF-8 characters in s[0, n) (continuation bytes not counted). */
size_t sl_input_utf8_count(const char *s, size_t n);

/* First occurrence of needle[0, m) in hay[0, n), or NULL (memmem, which
 * glibc declares only under _GNU_SOURCE). */
const char *sl_input_find(const char *hay, size_t n, const char *needle, size_t m);

/* ASCII case-insensitive comparison of `n` bytes of `s` with the
 * lower-case literal `lit` (which must be at least n bytes). */
int sl_input_ci_equal(const char *s, const char *lit, size_t n);

/* One attribute of a start tag as it appears in the source. Offsets are
 * absolute positions in the scanned buffer; value_len is 0 and has_value 0
 * for a bare attribute. */
typedef struct sl_tag_attr {
    size_t name, name_len;
    size_t value, value_len;
    int has_value;
} sl_tag_attr;

/* Reads the next attribute of a start tag, starting at *pos (just after the
 * tag name or a previous attribute) and never reading at or past `len`.
 * Returns 1 and advances *pos past the attribute; returns 0 at the tag's
 * end, leaving *pos on the '>' (or at `len` when the tag is unterminated).
 * A quoted value may hold '>'. */
int sl_input_next_attr(const char *s, size_t len, size_t *pos, sl_tag_attr *a);

#endif
