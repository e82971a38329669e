/*
 * A scanner's JIT-compiled regexes (see jitcache.h).
 *
 * Design notes:
 *   - Keyed by the address of the compiled pattern, which the ruleset owns
 *     and never moves: no numbering of patterns is needed, and a probe and
 *     its full regex are two keys.
 *   - A pattern whose copy or JIT compile fails is remembered as "use the
 *     interpreter", so it is not tried again at every match.
 */
#include "eval/jitcache.h"

#include <stdint.h>
#include <stdlib.h>

struct sl_jit_entry {
    const pcre2_code *code; /* the ruleset's; NULL: empty slot */
    pcre2_code *jit;        /* owned: the JIT-compiled copy; NULL: use `code` */
};

static size_t slot_of(const pcre2_code *code, size_t cap)
{
    uint64_t h = (uint64_t)(uintptr_t)code * 0x9E3779B97F4A7C15u;
    return (size_t)(h >> 32) & (cap - 1);
}

/* Doubles the table (from 64), keeping every entry. */
static int grow(sl_jit_cache *c)
{
    size_t cap = c->cap ? 2 * c->cap : 64;
    sl_jit_entry *v = calloc(cap, sizeof *v);
    if (!v)
        return 0;
    for (size_t i = 0; i < c->cap; i++) {
        if (!c->v[i].code)
            continue;
        size_t k = slot_of(c->v[i].code, cap);
        while (v[k].code)
            k = (k + 1) & (cap - 1);
        v[k] = c->v[i];
    }
    free(c->v);
    c->v = v;
    c->cap = cap;
    return 1;
}

const pcre2_code *sl_jit_cache_get(sl_jit_cache *c, const pcre2_code *code, int jit)
{
    if (!jit || !code)
        return code;
    if (c->cap) {
        for (size_t k = slot_of(code, c->cap);; k = (k + 1) & (c->cap - 1)) {
            if (c->v[k].code == code)
                return c->v[k].jit ? c->v[k].jit : code;
            if (!c->v[k].code)
                break;
        }
    }
    /* Kept at most half full, so a search always meets an empty slot. */
    if (2 * (c->n + 1) > c->cap && !grow(c))
        return code;
    pcre2_code *copy = pcre2_code_copy(code);
    if (copy && pcre2_jit_compile(copy, PCRE2_JIT_COMPLETE) != 0) {
        pcre2_code_free(copy);
        copy = NULL;
    }
    size_t k = slot_of(code, c->cap);
    while (c->v[k].code)
        k = (k + 1) & (c->cap - 1);
    c->v[k].code = code;
    c->v[k].jit = copy;
    c->n++;
    return copy ? copy : code;
}

void sl_jit_cache_clear(sl_jit_cache *c)
{
    for (size_t i = 0; i < c->cap; i++)
        pcre2_code_free(c->v[i].jit);
    free(c->v);
    c->v = NULL;
    c->n = c->cap = 0;
}
