/*
 * Charset handling private to the loaders: byte-order marks, the charset an
 * HTML page declares, and the binary-content check. Conversion itself is
 * sl_to_utf8 (input.h).
 */
#ifndef SL_INPUT_CHARSET_H
#define SL_INPUT_CHARSET_H

#include <stddef.h>

#include "syndlint/syndlint.h"

/* Length of the byte-order mark at the start of `data` (0 when there is
 * none). When there is one, *charset is set to a static iconv name
 * ("UTF-8", "UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"); otherwise it
 * is set to NULL. */
size_t sl_charset_bom(const char *data, size_t len, const char **charset);

/* Looks for the charset an HTML page declares in its first 1024 bytes: a
 * <meta charset=...>, a <meta http-equiv="Content-Type" content="...;
 * charset=...">, or an XML prolog's encoding="...". Writes the label,
 * lower-cased and NUL-terminated, to `out` (`cap` bytes) and returns 1;
 * returns 0 when the page declares nothing usable. */
int sl_charset_sniff_html(const char *data, size_t len, char *out, size_t cap);

/* Nonzero when `name` is a label of UTF-8 ("utf-8", "utf8", any case). */
int sl_charset_is_utf8(const char *name);

/* Nonzero when `label` names a charset of one byte a character (the
 * windows-125x, ISO-8859 and KOI8 families, ASCII, Mac Roman). */
int sl_charset_single_byte(const char *label);

/* SL_EINPUT with a reason in diag ("binary file (NUL byte at offset 12)")
 * when the first 8 KiB of `data` look binary: a NUL byte, or more than one
 * byte in ten a control character other than tab, newline, vertical tab,
 * form feed, carriage return or escape. Call it only for data without a
 * UTF-16/32 byte-order mark, where NUL bytes are ordinary. */
sl_status sl_charset_check_binary(const char *data, size_t len, sl_diag *diag);

/* Checks the UTF-8 sequences of s[0, n) that start in [from, stop): returns
 * the offset of the first byte sl_to_utf8 would replace (a NUL, or a byte
 * of an ill-formed sequence), which is below `stop`, or the offset just past
 * the last sequence checked (stop or up to 3 bytes beyond it) when there is
 * none. A whole-file check goes stop by stop. */
size_t sl_charset_utf8_scan(const char *s, size_t n, size_t from, size_t stop);

#endif
