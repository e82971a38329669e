/*
 * Required literals of a regex, for the prefilter (eval/prefilter.h).
 *
 * PCRE2 tells only a pattern's first and last code unit; the prefilter
 * needs more: a set of strings such that every match of the regex contains
 * at least one of them. sl_regex_literals derives such a set from the regex
 * source for the shapes rules are written in (literal runs, alternations,
 * groups, small classes, bounded repeats) and gives up, returning no set,
 * on anything it does not fully understand. Giving up is always safe: a
 * pattern without literals simply runs on every text.
 */
#ifndef SL_RULES_LITERALS_H
#define SL_RULES_LITERALS_H

#include <stddef.h>

#include "syndlint/syndlint.h"

/* Literals shorter than this are kept (they are still correct) but make a
 * pattern "weak": it runs often. */
#define SL_LITERAL_WEAK_LEN 3

/* Extracts the required literals of the regex `rx` (`len` bytes, PCRE2
 * syntax in UTF mode). On SL_OK, *out is a malloc'd array of *nout
 * malloc'd, NUL-terminated strings, owned by the caller (free with
 * sl_literals_free); *nout is 0 and *out NULL when the regex has no usable
 * literal. Every string is ASCII-lowercased: the prefilter compares ASCII
 * letters caselessly and every other byte exactly, which is a superset of
 * what PCRE2 matches once text is NFKC-normalized (see literals.c).
 * SL_ENOMEM is the only failure. */
sl_status sl_regex_literals(const char *rx, size_t len, char ***out, size_t *nout);

void sl_literals_free(char **lits, size_t n);

#endif
