/*
 * Normalization for matching. Rules are written in plain ASCII punctuation
 * and single spaces; published text is not. Before matching, a field's text
 * is folded so that "You’ve reached" matches "You've reached" and
 * "Sub\u200Bscribe" matches "Subscribe", while the offset map keeps every
 * byte traceable to its place in the source.
 *
 * Applied per character:
 *   - NFKC compatibility folding (utf8proc), so ligatures, full-width forms
 *     and compatibility spaces become their plain forms;
 *   - default-ignorable characters (zero-width space/joiners, soft hyphen,
 *     BOM, ...) removed;
 *   - single quotes/primes to ', double quotes to ", dashes and minus to -;
 *   - every other space separator and tab to ' ', runs collapsed to one;
 *   - line breaks kept as a single "\n" (block boundaries matter to rules
 *     anchored at a line start); spaces around a "\n" dropped; runs of
 *     blank lines collapsed into one "\n";
 *   - control characters other than "\n" dropped.
 * Case is not folded: patterns match caselessly through PCRE2 when asked.
 */
#ifndef SL_TEXT_NORMALIZE_H
#define SL_TEXT_NORMALIZE_H

#include "text/field.h"

/* Builds `out` (which must be empty) from `in`; sl_field_offset(out, i) is
 * the source offset of the input byte that output byte i came from. */
sl_status sl_normalize(const sl_field *in, sl_field *out);

/* The same folding over a plain string (patterns, examples): *out is
 * malloc'd. */
sl_status sl_normalize_string(const char *s, size_t len, char **out, size_t *outlen);

#endif
