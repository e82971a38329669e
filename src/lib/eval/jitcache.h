/*
 * A ruleset's JIT-compiled regexes, shared by its scanners. A ruleset
 * holds its patterns compiled but not JIT-compiled: most patterns never
 * run on a given corpus (the prefilter rules them out), and the JIT is a
 * third of loading the default packs. The first scanner to run a pattern
 * JIT-compiles a private copy and publishes it in the table; every later
 * match of the pattern, in any scanner, runs that copy. The patterns
 * themselves stay read-only, and no scanner compiles what another already
 * has (with two threads, each used to compile nearly every pattern).
 */
#ifndef SL_EVAL_JITCACHE_H
#define SL_EVAL_JITCACHE_H

#include <stddef.h>

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

#include "syndlint/syndlint.h"

typedef struct sl_jit_table sl_jit_table;

/* A table for up to `ncodes` distinct regexes, in *out (owned by the
 * caller; free with sl_jit_table_free). SL_ENOMEM. */
sl_status sl_jit_table_new(size_t ncodes, sl_jit_table **out);

/* What to match `code` with: its JIT-compiled copy, made on the first call
 * for `code` from any thread and kept in the table; `code` itself when
 * `jit` is zero, when the platform has no JIT, when the copy cannot be
 * made (the interpreter gives the same answers) or when the table already
 * holds `ncodes` regexes. Never NULL for a non-NULL `code`. Safe to call
 * from several threads at once; `code` must outlive the table. */
const pcre2_code *sl_jit_table_get(sl_jit_table *t, const pcre2_code *code, int jit);

/* The regexes the table holds a copy (or a failed attempt) for. */
size_t sl_jit_table_count(const sl_jit_table *t);

/* Frees the copies and the table; NULL is allowed. No thread may be using
 * a copy. */
void sl_jit_table_free(sl_jit_table *t);

#endif
