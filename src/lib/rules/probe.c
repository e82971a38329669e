/*
 * The existence probe of a regex (probe.h).
 *
 * Why leaving the part out is exact: let the regex be Q R, where every
 * top-level item of Q may repeat zero times and R cannot match the empty
 * string. A non-empty match of Q R ends with a match of R, which is
 * non-empty; assertions look at the subject, not at where the match
 * started, so R matches there on its own. A match of R is a match of Q R
 * with every item of Q taken zero times, which backtracking always reaches
 * (the items are not atomic or possessive: those are ATOM nodes, where the
 * walk stops). Backreferences, recursion and verbs, which could tie R to
 * Q, leave the pattern unparsed (rxtree.h), and then nothing is left out.
 * The engine ignores empty matches, hence "non-empty".
 */
#include "rules/probe.h"

/* The least number of characters node `i` matches, capped at 2: only
 * "none" matters here. */
static long min_len(const sl_rxtree *t, int i, int depth)
{
    const sl_rxnode *n = &t->nodes[i];
    if (depth > SL_RX_MAX_DEPTH)
        return 0;
    switch (n->kind) {
    case SL_RX_SET:
        return 1;
    case SL_RX_SEQ: {
        long sum = 0;
        for (size_t k = 0; k < n->nkids && sum < 2; k++)
            sum += min_len(t, n->kids[k], depth + 1);
        return sum < 2 ? sum : 2;
    }
    case SL_RX_ALT: {
        long least = 2;
        for (size_t k = 0; k < n->nkids && least > 0; k++) {
            long m = min_len(t, n->kids[k], depth + 1);
            if (m < least)
                least = m;
        }
        return n->nkids ? least : 0;
    }
    case SL_RX_REP: {
        long m = n->min == 0 ? 0 : min_len(t, n->kids[0], depth + 1);
        return m == 0 ? 0 : (n->min > 1 || m > 1) ? 2 : 1;
    }
    case SL_RX_ATOM:
        return min_len(t, n->kids[0], depth + 1);
    default:
        return 0;
    }
}

sl_status sl_regex_probe_start(const char *rx, size_t len, int caseless, size_t *start)
{
    sl_rxtree t;
    *start = 0;
    sl_status st = sl_rxtree_parse(rx, len, caseless, &t);
    if (st == SL_OK)
        *start = sl_rxtree_probe_start(&t, len);
    sl_rxtree_clear(&t);
    return st;
}

size_t sl_rxtree_probe_start(const sl_rxtree *t, size_t len)
{
    if (t->root < 0)
        return 0;
    /* The top level: one alternative, a sequence. */
    const sl_rxnode *alt = &t->nodes[t->root];
    if (alt->kind != SL_RX_ALT || alt->nkids != 1)
        return 0;
    const sl_rxnode *seq = &t->nodes[alt->kids[0]];
    if (seq->kind != SL_RX_SEQ)
        return 0;
    size_t k = 0, cut = 0;
    while (k < seq->nkids && t->nodes[seq->kids[k]].kind == SL_RX_REP &&
           t->nodes[seq->kids[k]].min == 0) {
        cut = t->nodes[seq->kids[k]].end;
        k++;
    }
    if (k == 0 || k == seq->nkids)
        return 0;
    /* R: what follows, which must not match the empty string. */
    long rest = 0;
    for (size_t j = k; j < seq->nkids && rest == 0; j++)
        rest += min_len(t, seq->kids[j], 1);
    return rest > 0 && cut < len ? cut : 0;
}
