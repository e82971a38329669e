/*
 * The literal prefilter: one pass over a text tells which patterns of a
 * profile can possibly match it, and where.
 *
 * At load, every pattern's required literals (rules/literals.h) go into
 * Aho-Corasick automata, compiled to dense DFAs over byte classes with
 * ASCII letters folded. A field is scanned for the literals of the
 * patterns matched in it: an article's markup, which only a few vendor
 * rules read, is not stopped at every `<` and `=` that the template rules
 * look for in the visible text.
 *
 * Scanning a normalized field records, for each set of literals, the end
 * of the first occurrence of any of its literals and the start of the
 * last one. A pattern has a slot per required set (rules/literals.h); when
 * the literals of any one of its sets do not occur inside a view
 * [start, end), it cannot match there: every match of the regex contains
 * one literal of each set, inside the match. Patterns without literals
 * have no slot and always run.
 *
 * The automata are immutable and shared by every scanner thread; the hit
 * tables are per field of a document, owned by the evaluation.
 */
#ifndef SL_EVAL_PREFILTER_H
#define SL_EVAL_PREFILTER_H

#include <stddef.h>
#include <stdint.h>

#include "rules/ruleset.h"

typedef struct sl_prefilter sl_prefilter;

/* The fields a pattern is matched in, one bit each (a scope's field:
 * lead and tail are the body's; every metadata value is SL_PF_META). */
enum {
    SL_PF_TITLE = 1u << 0,
    SL_PF_BODY = 1u << 1,
    SL_PF_CODE = 1u << 2,
    SL_PF_RAW = 1u << 3,
    SL_PF_PAGE = 1u << 4,
    SL_PF_CHROME = 1u << 5,
    SL_PF_META = 1u << 6,
    SL_PF_ALL = (1u << 7) - 1
};

/* The field bit of a scope kind. */
unsigned sl_prefilter_field(sl_scope_kind kind);

/* Where a pattern's literals occur in one field. */
typedef struct sl_pf_hit {
    uint32_t min_end;    /* end of the earliest-ending occurrence; UINT32_MAX: none */
    uint32_t max_start1; /* 1 + start of the latest-starting occurrence; 0: none */
} sl_pf_hit;

/* Builds p->pf from the literals of every pattern of `p` (rule items,
 * exceptions, conditions), numbers their slots (pat->pf_slot), records
 * the fields each is matched in (pat->pf_fields), and marks rules with an
 * item or a match condition that has no literal as slow (rule.info.slow). */
sl_status sl_prefilter_build(sl_profile *p);
void sl_prefilter_free(sl_prefilter *pf);

/* The length of a hit table: one entry per pattern slot, then one per
 * literal, where the scan keeps its occurrences, then room for the list of
 * the literals that occurred. */
size_t sl_prefilter_slots(const sl_prefilter *pf);
/* Size of the automaton that scans a text of `fields`, for the tests and
 * the benchmark notes. */
void sl_prefilter_stats(const sl_prefilter *pf, unsigned fields, size_t *nliterals, size_t *nstates,
                        size_t *nclasses);

/* Scans text[0..len) (len < UINT32_MAX), a text the views of `fields`
 * read, and fills `hits`, which has sl_prefilter_slots() entries; entry
 * slot - 1 is the slot's. Only the entries of patterns matched in one of
 * `fields` are written (sl_prefilter_covers); the others are left as they
 * were and mean nothing. */
void sl_prefilter_scan(const sl_prefilter *pf, unsigned fields, const char *text, size_t len,
                       sl_pf_hit *hits);
/* The same with at most `lanes` interleaved scans (1: one pass from the
 * start, the reference the tests compare the interleaved scan with). */
void sl_prefilter_scan_lanes(const sl_prefilter *pf, unsigned fields, const char *text, size_t len,
                             sl_pf_hit *hits, int lanes);

/* Nonzero when hits of a scan for `fields` hold the entries of `pat`. */
static inline int sl_prefilter_covers(const sl_pattern *pat, unsigned fields)
{
    return (pat->pf_fields & fields) != 0;
}

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

/* The last offset at which a match of `pat` (pat->pf_slot nonzero) can
 * start, `end` at most. The required literals come from the text a match
 * consumes, never from a look-around, so a match starts at or before the
 * last occurrence of every set (\K only reports a later start). For
 * pcre2_set_offset_limit. */
static inline size_t sl_prefilter_last_start(const sl_pf_hit *hits, const sl_pattern *pat,
                                             size_t end)
{
    for (size_t k = 0; k < pat->lits.nsets; k++) {
        size_t start1 = hits[pat->pf_slot - 1 + k].max_start1;
        if (start1 > 0 && start1 - 1 < end)
            end = start1 - 1;
    }
    return end;
}

#endif
