/*
 * A ruleset's shared JIT-compiled regexes (see jitcache.h).
 *
 * Design notes:
 *   - Keyed by the address of the compiled pattern, which the ruleset owns
 *     and never moves: no numbering of patterns is needed, and a probe and
 *     its full regex are two keys.
 *   - Open addressing in a table sized once, at least twice the number of
 *     regexes, so it never grows and a search always meets an empty slot:
 *     threads claim a slot's key with a compare-and-swap and publish the
 *     copy with another, and nothing is ever moved or removed while
 *     scanners run. No lock is taken on the match path.
 *   - Two threads that want the same regex at once may both compile it;
 *     the first to publish wins and the other frees its copy. That costs
 *     one compile, rarely, where a lock would cost every lookup.
 *   - A regex whose copy or JIT compile fails is published as FAILED, "use
 *     the interpreter", so it is not tried again at every match.
 */
#include "eval/jitcache.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct jit_slot {
    _Atomic(const pcre2_code *) code; /* the ruleset's; NULL: empty slot */
    _Atomic(pcre2_code *) jit;        /* owned copy; NULL: not yet; FAILED: none */
} jit_slot;

struct sl_jit_table {
    jit_slot *v; /* cap slots, cap a power of two */
    size_t cap;
    atomic_size_t n; /* keys claimed */
    size_t max;      /* keys allowed: the ncodes of sl_jit_table_new */
    char failed;     /* its address stands for FAILED; never read */
};

#define FAILED(t) ((pcre2_code *)(void *)&(t)->failed)

static size_t slot_of(const pcre2_code *code, size_t cap)
{
    uint64_t h = (uint64_t)(uintptr_t)code * 0x9E3779B97F4A7C15u;
    return (size_t)(h >> 32) & (cap - 1);
}

sl_status sl_jit_table_new(size_t ncodes, sl_jit_table **out)
{
    *out = NULL;
    sl_jit_table *t = calloc(1, sizeof *t);
    if (!t)
        return SL_ENOMEM;
    size_t cap = 16;
    while (cap < 2 * ncodes + 1)
        cap *= 2;
    t->v = calloc(cap, sizeof *t->v);
    if (!t->v) {
        free(t);
        return SL_ENOMEM;
    }
    for (size_t i = 0; i < cap; i++) {
        atomic_init(&t->v[i].code, NULL);
        atomic_init(&t->v[i].jit, NULL);
    }
    t->cap = cap;
    t->max = ncodes;
    atomic_init(&t->n, 0);
    *out = t;
    return SL_OK;
}

/* The slot whose key is `code`, claimed here if no slot has it yet; NULL
 * when the table already holds its `max` regexes. */
static jit_slot *find_or_claim(sl_jit_table *t, const pcre2_code *code)
{
    size_t k = slot_of(code, t->cap);
    for (size_t probes = 0; probes < t->cap; probes++, k = (k + 1) & (t->cap - 1)) {
        jit_slot *s = &t->v[k];
        const pcre2_code *key = atomic_load_explicit(&s->code, memory_order_acquire);
        if (key == code)
            return s;
        if (key)
            continue;
        /* Empty: a new key, unless the table holds `max` already, which
         * only regexes of another ruleset could make it. Counted once
         * claimed: several threads may want the same new regex at once,
         * and all but one find it claimed, never the table full. When
         * full, this slot may have been empty only when loaded, the key
         * claimed since: the search goes on for it, claiming nothing. */
        if (atomic_load(&t->n) >= t->max) {
            if (atomic_load_explicit(&s->code, memory_order_acquire) == code)
                return s;
            continue;
        }
        const pcre2_code *expected = NULL;
        if (atomic_compare_exchange_strong(&s->code, &expected, code)) {
            atomic_fetch_add(&t->n, 1);
            return s;
        }
        if (expected == code) /* another thread claimed it for the same regex */
            return s;
    }
    return NULL;
}

const pcre2_code *sl_jit_table_get(sl_jit_table *t, const pcre2_code *code, int jit)
{
    if (!jit || !code || !t)
        return code;
    jit_slot *s = find_or_claim(t, code);
    if (!s)
        return code;
    pcre2_code *have = atomic_load_explicit(&s->jit, memory_order_acquire);
    if (!have) {
        pcre2_code *copy = pcre2_code_copy(code);
        if (copy && pcre2_jit_compile(copy, PCRE2_JIT_COMPLETE) != 0) {
            pcre2_code_free(copy);
            copy = NULL;
        }
        pcre2_code *mine = copy ? copy : FAILED(t);
        if (atomic_compare_exchange_strong(&s->jit, &have, mine)) {
            have = mine;
        } else if (copy) {
            /* Another thread published first: its copy is as good. */
            pcre2_code_free(copy);
        }
    }
    return have == FAILED(t) ? code : have;
}

size_t sl_jit_table_count(const sl_jit_table *t)
{
    size_t n = 0;
    for (size_t i = 0; t && i < t->cap; i++)
        n += atomic_load(&t->v[i].jit) != NULL;
    return n;
}

void sl_jit_table_free(sl_jit_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->cap; i++) {
        pcre2_code *c = atomic_load(&t->v[i].jit);
        if (c != FAILED(t))
            pcre2_code_free(c);
    }
    free(t->v);
    free(t);
}
