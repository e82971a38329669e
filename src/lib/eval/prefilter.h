/*
 * The literal prefilter: one pass over a text tells which patterns of a
 * profile can possibly match it, and where.
 *
 * At load, every pattern's required literals (rules/literals.h) go into
 * one Aho-Corasick automaton per profile, compiled to a dense DFA over
 * byte classes with ASCII letters folded. Scanning a normalized field
 * records, for each set of literals, the end of the first occurrence of
 * any of its literals and the start of the last one. A pattern has a slot
 * per required set (rules/literals.h); when the literals of any one of its
 * sets do not occur inside a view [start, end), it cannot match there:
 * every match of the regex contains one literal of each set, inside the
 * match. Patterns without literals have no slot and always run.
 *
 * The automaton is immutable and shared by every scanner thread; the hit
 * tables are per field of a document, owned by the evaluation.
 */
#ifndef SL_EVAL_PREFILTER_H
#define SL_EVAL_PREFILTER_H

#include <stddef.h>
#include <stdint.h>

#include "rules/ruleset.h"

typedef struct sl_prefilter sl_prefilter;

/* Where a pattern's literals occur in one field. */
typedef struct sl_pf_hit {
    uint32_t min_end;    /* end of the earliest-ending occurrence; UINT32_MAX: none */
    uint32_t max_start1; /* 1 + start of the latest-starting occurrence; 0: none */
} sl_pf_hit;

/* Builds p->pf from the literals of every pattern of `p` (rule items,
 * exceptions, conditions), numbers their slots (pat->pf_slot), and marks
 * rules with an item that has no literal as slow (rule.info.slow). */
sl_status sl_prefilter_build(sl_profile *p);
void sl_prefilter_free(sl_prefilter *pf);

/* The length of a hit table: one entry per pattern slot, then one per
 * literal, where the scan keeps its occurrences. */
size_t sl_prefilter_slots(const sl_prefilter *pf);
/* Automaton size, for explain and the benchmark notes. */
void sl_prefilter_stats(const sl_prefilter *pf, size_t *nliterals, size_t *nstates,
                        size_t *nclasses);

/* Scans text[0..len) (len < UINT32_MAX) and fills `hits`, which has
 * sl_prefilter_slots() entries and is overwritten; entry slot - 1 is the
 * slot's. */
void sl_prefilter_scan(const sl_prefilter *pf, const char *text, size_t len, sl_pf_hit *hits);
/* The same with at most `lanes` interleaved scans (1: one pass from the
 * start, the reference the tests compare the interleaved scan with). */
void sl_prefilter_scan_lanes(const sl_prefilter *pf, const char *text, size_t len, sl_pf_hit *hits,
                             int lanes);

/* Zero when the literal set in `slot` (1-based) has no occurrence lying
 * within [start, end). */
static inline int sl_prefilter_may(const sl_pf_hit *hits, size_t slot, size_t start, size_t end)
{
    const sl_pf_hit *h = &hits[slot - 1];
    return h->min_end <= end && h->max_start1 > start;
}

/* Zero when some required set of `pat` (pat->pf_slot nonzero) has no
 * occurrence within [start, end): the pattern cannot match there. */
static inline int sl_prefilter_may_pattern(const sl_pf_hit *hits, const sl_pattern *pat,
                                           size_t start, size_t end)
{
    for (size_t k = 0; k < pat->lits.nsets; k++)
        if (!sl_prefilter_may(hits, pat->pf_slot + k, start, end))
            return 0;
    return 1;
}

#endif
