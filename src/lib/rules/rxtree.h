/*
 * A PCRE2 pattern as a tree of character sets (rxtree.c), for analyses of
 * a regex's shape such as redos.c. Only what decides which texts match,
 * and in how many ways, is kept: sets of characters, sequences,
 * alternatives, repeats and atomic groups. Anchors and look-arounds match
 * nothing here. A pattern using what the tree cannot express
 * (backreferences, recursion, conditionals, backtracking verbs) is not
 * parsed at all.
 */
#ifndef SL_RULES_RXTREE_H
#define SL_RULES_RXTREE_H

#include <stddef.h>
#include <stdint.h>

#include "syndlint/syndlint.h"

/* A set of characters: exact on ASCII, one bit per Unicode general
 * category (utf8proc's numbering) beyond it, so two sets "overlap" when
 * they share an ASCII character or a category. */
typedef struct sl_cset {
    uint64_t lo, hi; /* code points 0-63, 64-127 */
    uint32_t cats;
} sl_cset;

static inline int sl_cset_overlap(const sl_cset *a, const sl_cset *b)
{
    return (a->lo & b->lo) || (a->hi & b->hi) || (a->cats & b->cats);
}

static inline void sl_cset_union(sl_cset *s, const sl_cset *t)
{
    s->lo |= t->lo;
    s->hi |= t->hi;
    s->cats |= t->cats;
}

static inline int sl_cset_empty(const sl_cset *s)
{
    return !s->lo && !s->hi && !s->cats;
}

enum {
    SL_RX_SET,   /* one character of `set` */
    SL_RX_SEQ,   /* kids in turn */
    SL_RX_ALT,   /* one of the kids */
    SL_RX_REP,   /* kids[0], min to max times */
    SL_RX_EMPTY, /* nothing: an anchor, a look-around, an option setting */
    SL_RX_ATOM   /* kids[0] as an atomic group (or possessive repeat): no giving back */
};

typedef struct sl_rxnode {
    int kind;
    sl_cset set; /* SL_RX_SET */
    int *kids;   /* owned; SL_RX_SEQ, SL_RX_ALT; SL_RX_REP and SL_RX_ATOM: one */
    size_t nkids, capkids;
    long min, max;     /* SL_RX_REP; max -1: no bound */
    size_t start, end; /* SL_RX_REP: its bytes in the pattern, quantifier included */
} sl_rxnode;

typedef struct sl_rxtree {
    const char *rx;   /* borrowed: the pattern */
    sl_rxnode *nodes; /* owned; kids are indices into it */
    size_t n, cap;
    int root; /* -1 when the pattern was not parsed */
} sl_rxtree;

/* Limits of the tree; a pattern past them is not parsed. */
enum { SL_RX_MAX_NODES = 16000, SL_RX_MAX_DEPTH = 200 };

/* Parses `rx` (`len` bytes, UTF-8; UTF and UCP mode, PCRE2_CASELESS when
 * `caseless`) into *out. On SL_OK, out->root is -1 when the pattern uses
 * what the tree cannot express or is too large; SL_ENOMEM when out of
 * memory. `rx` is borrowed for the tree's life. Clear it with
 * sl_rxtree_clear in every case. */
sl_status sl_rxtree_parse(const char *rx, size_t len, int caseless, sl_rxtree *out);
void sl_rxtree_clear(sl_rxtree *t);

#endif
