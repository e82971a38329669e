/*
 * A scanner's JIT-compiled regexes. A ruleset holds its patterns compiled
 * but not JIT-compiled: most patterns never run on a given corpus (the
 * prefilter rules them out), and the JIT is a third of loading the default
 * packs. Each scanner JIT-compiles a private copy of a pattern the first
 * time it runs one, so the ruleset stays read-only and shared, and every
 * later match of the pattern in that scanner runs the JIT code.
 */
#ifndef SL_EVAL_JITCACHE_H
#define SL_EVAL_JITCACHE_H

#include <stddef.h>

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

typedef struct sl_jit_entry sl_jit_entry;

typedef struct sl_jit_cache {
    sl_jit_entry *v; /* owned: open addressing by code pointer; cap a power of two */
    size_t n, cap;
} sl_jit_cache;

#define SL_JIT_CACHE_INIT                                                                          \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/* What to match `code` with: its JIT-compiled copy, made on the first call
 * for `code` and kept in the cache; `code` itself when `jit` is zero, when
 * the platform has no JIT or when the copy cannot be made (the interpreter
 * gives the same answers). Never NULL for a non-NULL `code`. */
const pcre2_code *sl_jit_cache_get(sl_jit_cache *c, const pcre2_code *code, int jit);

/* Frees the copies and the table; the cache is empty and reusable. */
void sl_jit_cache_clear(sl_jit_cache *c);

#endif
