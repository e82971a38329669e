/*
 * Required literals of a regex, for the prefilter (eval/prefilter.h).
 *
 * PCRE2 tells only a pattern's first and last code unit; the prefilter
 * needs more: sets of strings such that every match of the regex contains
 * at least one string of each set. sl_regex_literals derives such sets from the regex
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

/* Most requirement sets kept per regex. */
#define SL_LITERAL_SETS 4

/* The requirements of a regex: every match contains one string of each
 * set. Set k is lits[k ? set_end[k - 1] : 0 .. set_end[k]), best (longest
 * shortest string) first. */
typedef struct sl_litsets {
    char **lits; /* owned: nlits malloc'd, NUL-terminated strings */
    size_t nlits;
    size_t nsets; /* 0: no usable literal, the regex always runs */
    size_t set_end[SL_LITERAL_SETS];
} sl_litsets;

/* Extracts the required literal sets of the regex `rx` (`len` bytes,
 * PCRE2 syntax in UTF mode) into *out, which the caller owns and clears
 * with sl_litsets_clear. The sets hold for matches in normalized text
 * (text/normalize.h), the only text the engine matches: there a \s, \h,
 * \v or \R, and a run of them, is one ' ' or one "\n", so "with\s+inputs"
 * gives the one string "with inputs". Every string is ASCII-lowercased,
 * has its line breaks written as spaces and is cut to its first 16 bytes:
 * the prefilter compares ASCII letters caselessly, ' ' and '\n' alike and
 * every other byte exactly, which is a superset of what PCRE2 matches
 * there (see literals.c). SL_ENOMEM (with *out empty) is the only
 * failure. */
sl_status sl_regex_literals(const char *rx, size_t len, sl_litsets *out);

/* Frees the strings and empties *ls; an empty one is fine. */
void sl_litsets_clear(sl_litsets *ls);

#endif
