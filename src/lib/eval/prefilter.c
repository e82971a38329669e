/*
 * The literal prefilter (see prefilter.h).
 *
 * Design notes:
 *   - The automaton is a full DFA: every (state, byte class) has its next
 *     state, so the scan is one table load per byte with no failure-link
 *     loop. Bytes that occur in no literal share class 0, and an ASCII
 *     letter shares the class of its lower-case form, which is how letters
 *     match caselessly at no cost; so does "\n" the class of ' ', since
 *     literals write the whitespace of normalized text as a space. With the default packs that is a
 * few thousand states by under a hundred classes: a table of a few MB, built once per profile and
 * shared.
 *   - A transition entry holds the row offset of the next state (state *
 *     nclasses) so the scan needs no multiply, and its top bit says that
 *     the state ends some literal (itself or through a suffix): only then
 *     does the scan leave its tight loop.
 *   - Literals are deduplicated; each keeps the list of pattern slots that
 *     asked for it, since many patterns share literals such as "(reuters)".
 *   - Automata are made for each field alone and for the sets of fields a
 *     loader makes from one text (a plain-text file's body, page and raw
 *     markup). A set whose literals are as many as half of all gets the
 *     automaton of all fields, which scans as fast and covers every
 *     pattern, and so does any set not listed; identical ones are built
 *     once. With the default packs that leaves four small automata (the
 *     markup's, the navigation's, the metadata's, and an empty one for
 *     code) beside the one of all fields, about 0.2 ms to build.
 *   - Slots keep one numbering across the automata, so a pattern's slots
 *     are the same whichever automaton scanned the text; a scan resets
 *     only the slots of the patterns it covers.
 */
#include "eval/prefilter.h"

#include <stdlib.h>
#include <string.h>

#include "rules/literals.h"

#define HAS_OUT 0x80000000u
#define LANES 4      /* interleaved scans of one text */
#define LANE_MIN 256 /* bytes a lane must have to be worth it */

typedef struct lit_ref {
    const char *text; /* borrowed from the pattern */
    uint32_t slot;    /* pattern slot, 1-based */
    unsigned fields;  /* the pattern's SL_PF_* fields */
} lit_ref;

/* One automaton, for the patterns matched in some set of fields. */
typedef struct pf_dfa {
    size_t nlits;
    uint32_t *lit_len;   /* nlits */
    uint32_t *lit_first; /* nlits + 1: slots of literal i are slots[lit_first[i]..] */
    uint32_t *slots;     /* 0-based pattern indices */
    size_t nstates, ncls;
    /* Row offset to state number without a division, which costs more than
     * the rest of a step: ncls = odd << cls_shift, and a row offset is a
     * multiple of ncls, so (row >> cls_shift) * cls_inv, cls_inv the
     * inverse of odd modulo 2^32, is exact. */
    unsigned cls_shift;
    uint32_t cls_inv;
    size_t maxlen; /* of the longest literal */
    uint8_t cls[256];
    uint32_t *delta;  /* nstates * ncls: row offset of the next state | HAS_OUT */
    int32_t *out_lit; /* nstates: literal ending here, or -1 */
    uint32_t *dlink;  /* nstates: nearest proper suffix state ending a literal; 0: none */
    uint32_t *init;   /* ninit: the 0-based slots of the patterns it covers */
    size_t ninit;
} pf_dfa;

/* The sets of fields that may get an automaton of their own; the first,
 * all fields, serves every other set. */
static const unsigned field_sets[] = {SL_PF_ALL,
                                      SL_PF_TITLE,
                                      SL_PF_BODY,
                                      SL_PF_CODE,
                                      SL_PF_RAW,
                                      SL_PF_PAGE,
                                      SL_PF_CHROME,
                                      SL_PF_META,
                                      SL_PF_BODY | SL_PF_PAGE,
                                      SL_PF_RAW | SL_PF_PAGE,
                                      SL_PF_BODY | SL_PF_RAW | SL_PF_PAGE};
#define NSETS (sizeof field_sets / sizeof *field_sets)

struct sl_prefilter {
    size_t nslots;
    size_t maxlits; /* of any automaton: the hit table's literal part */
    pf_dfa dfa[NSETS];
    size_t ndfa;
    uint8_t pick[SL_PF_ALL + 1]; /* set of fields -> its automaton in dfa */
};

unsigned sl_prefilter_field(sl_scope_kind kind)
{
    switch (kind) {
    case SL_SCOPE_TITLE:
        return SL_PF_TITLE;
    case SL_SCOPE_BODY:
    case SL_SCOPE_LEAD:
    case SL_SCOPE_TAIL:
        return SL_PF_BODY;
    case SL_SCOPE_CODE:
        return SL_PF_CODE;
    case SL_SCOPE_RAW:
        return SL_PF_RAW;
    case SL_SCOPE_PAGE:
        return SL_PF_PAGE;
    case SL_SCOPE_CHROME:
        return SL_PF_CHROME;
    case SL_SCOPE_META:
        return SL_PF_META;
    }
    return SL_PF_ALL;
}

static unsigned scopes_fields(const sl_scope *scopes, size_t n)
{
    unsigned f = 0;
    for (size_t i = 0; i < n; i++)
        f |= sl_prefilter_field(scopes[i].kind);
    /* No scope: the pattern is never matched; all fields keep it simple. */
    return f ? f : SL_PF_ALL;
}

/* ------------------------------------------------------------ collecting */

typedef struct collect {
    lit_ref *refs;
    size_t n, cap;
    size_t nslots;
    int slow; /* the rule being collected has an item without literals */
} collect;

/* Nonzero when set k of `ls` holds only single characters that every
 * tag is made of. */
static int markup_set(const sl_litsets *ls, size_t k)
{
    for (size_t i = k ? ls->set_end[k - 1] : 0; i < ls->set_end[k]; i++) {
        const char *v = ls->lits[i];
        if (!v[0] || v[1] || !strchr("<>=\"'/", v[0]))
            return 0;
    }
    return 1;
}

/* A pattern matched in markup (raw, page) drops the sets after its first
 * that hold only "<", "=" and the like: literals.c keeps them because
 * they are rare in prose, but markup has one every few bytes, so there
 * they would stop the scan at every tag and rule out nothing the first set
 * has not. Dropping a requirement only lets the regex run more often. */
static void drop_markup_sets(sl_pattern *pat, unsigned fields)
{
    sl_litsets *ls = &pat->lits;
    if (!(fields & (SL_PF_RAW | SL_PF_PAGE)))
        return;
    size_t keep = ls->nsets;
    while (keep > 1 && markup_set(ls, keep - 1))
        keep--;
    for (size_t i = ls->set_end[keep - 1]; i < ls->nlits; i++)
        free(ls->lits[i]);
    ls->nlits = ls->set_end[keep - 1];
    ls->nsets = keep;
}

static sl_status add_pattern(collect *c, sl_pattern *pat, unsigned fields)
{
    pat->pf_slot = 0;
    pat->pf_fields = fields;
    if (!pat->code || pat->lits.nsets == 0)
        return SL_OK;
    drop_markup_sets(pat, fields);
    pat->pf_slot = c->nslots + 1;
    c->nslots += pat->lits.nsets;
    for (size_t i = 0, k = 0; i < pat->lits.nlits; i++) {
        while (i >= pat->lits.set_end[k])
            k++;
        if (c->n == c->cap) {
            size_t cap = c->cap ? 2 * c->cap : 64;
            lit_ref *r = realloc(c->refs, cap * sizeof *r);
            if (!r)
                return SL_ENOMEM;
            c->refs = r;
            c->cap = cap;
        }
        c->refs[c->n].text = pat->lits.lits[i];
        c->refs[c->n].slot = (uint32_t)(pat->pf_slot + k);
        c->refs[c->n].fields = fields;
        c->n++;
    }
    return SL_OK;
}

/* Nonzero when every scope is one named metadata field (meta.source, not
 * meta.*): a document has at most a few such values, each a line, so a
 * regex over them costs about what looking its literals up would. */
static int named_meta_only(const sl_scope *scopes, size_t nscopes)
{
    for (size_t i = 0; i < nscopes; i++)
        if (scopes[i].kind != SL_SCOPE_META || strcmp(scopes[i].meta, "*") == 0)
            return 0;
    return nscopes > 0;
}

/* sl_pattern_fn: a pattern's literals into the collection; an item or a
 * condition with none makes its rule slow, unless it reads only named
 * metadata fields. */
static sl_status collect_pattern(void *user, const sl_rule *r, sl_pattern *pat,
                                 sl_pattern_role role, const sl_scope *scopes, size_t nscopes)
{
    collect *c = user;
    (void)r;
    sl_status st = add_pattern(c, pat, scopes_fields(scopes, nscopes));
    /* Items and condition patterns run on every document in scope; an
     * exception only where an item matched. */
    if ((role == SL_PATTERN_ITEM || role == SL_PATTERN_COND) && pat->code && !pat->pf_slot &&
        !named_meta_only(scopes, nscopes))
        c->slow = 1;
    return st;
}

static int ref_cmp(const void *a, const void *b)
{
    const lit_ref *x = a, *y = b;
    int r = strcmp(x->text, y->text);
    if (r)
        return r;
    return x->slot < y->slot ? -1 : x->slot > y->slot;
}

/* ------------------------------------------------------------ building */

/* The slots an automaton writes: those of every literal it holds, which
 * are all the slots of their patterns, as each set has a literal. */
static sl_status list_slots(pf_dfa *pf, const lit_ref *refs, size_t nrefs, size_t nslots_all)
{
    unsigned char *seen = calloc(nslots_all + 1, 1);
    pf->init = malloc((nrefs + 1) * sizeof *pf->init);
    if (!seen || !pf->init) {
        free(seen);
        return SL_ENOMEM;
    }
    for (size_t i = 0; i < nrefs; i++)
        if (!seen[refs[i].slot - 1]) {
            seen[refs[i].slot - 1] = 1;
            pf->init[pf->ninit++] = refs[i].slot - 1;
        }
    free(seen);
    return SL_OK;
}

static sl_status build_automaton(pf_dfa *pf, const lit_ref *refs, size_t nrefs, size_t nslots_all)
{
    sl_status st = SL_ENOMEM;
    uint32_t *queue = NULL, *fail = NULL, *tree = NULL;
    /* Literals, in sorted order, with their slot lists. */
    pf->lit_len = calloc(nrefs + 1, sizeof *pf->lit_len);
    pf->lit_first = calloc(nrefs + 1, sizeof *pf->lit_first);
    pf->slots = calloc(nrefs + 1, sizeof *pf->slots);
    if (!pf->lit_len || !pf->lit_first || !pf->slots)
        goto cleanup;
    size_t nslots = 0;
    for (size_t i = 0; i < nrefs; i++) {
        if (i == 0 || strcmp(refs[i].text, refs[i - 1].text) != 0) {
            pf->lit_first[pf->nlits] = (uint32_t)nslots;
            pf->lit_len[pf->nlits] = (uint32_t)strlen(refs[i].text);
            if (pf->lit_len[pf->nlits] > pf->maxlen)
                pf->maxlen = pf->lit_len[pf->nlits];
            pf->nlits++;
        } else if (refs[i].slot == refs[i - 1].slot) {
            continue;
        }
        pf->slots[nslots++] = refs[i].slot - 1;
    }
    pf->lit_first[pf->nlits] = (uint32_t)nslots;
    if ((st = list_slots(pf, refs, nrefs, nslots_all)) != SL_OK)
        goto cleanup;
    st = SL_ENOMEM;

    /* Byte classes. */
    memset(pf->cls, 0, sizeof pf->cls);
    pf->ncls = 1;
    for (size_t i = 0; i < nrefs; i++)
        for (const unsigned char *s = (const unsigned char *)refs[i].text; *s; s++)
            if (!pf->cls[*s])
                pf->cls[*s] = (uint8_t)pf->ncls++;
    for (int c = 'A'; c <= 'Z'; c++)
        pf->cls[c] = pf->cls[c - 'A' + 'a'];
    /* Literals write a line break as a space (rules/literals.h). */
    pf->cls['\n'] = pf->cls[' '];

    /* The trie, in the dense table. The literals are sorted, so each adds
     * the states past its longest common prefix with the one before: the
     * table is allocated for exactly those. The sum over all literals'
     * lengths, several times more, made the table a few MB to clear. A
     * prefix is compared by class; literals equal by class that the byte
     * order does not put side by side are counted twice, which only
     * leaves room unused: a literal never adds more states than that. */
    size_t maxstates = 1;
    for (size_t i = 0, prev = 0; i < nrefs; i++) {
        if (i > 0 && strcmp(refs[i].text, refs[i - 1].text) == 0)
            continue;
        const unsigned char *a = (const unsigned char *)refs[i].text;
        const unsigned char *b = (const unsigned char *)refs[prev].text;
        size_t lcp = 0;
        while (i > 0 && a[lcp] && b[lcp] && pf->cls[a[lcp]] == pf->cls[b[lcp]])
            lcp++;
        maxstates += strlen(refs[i].text) - lcp;
        prev = i;
    }
    if (maxstates * pf->ncls >= HAS_OUT) {
        st = SL_ELIMIT;
        goto cleanup;
    }
    pf->delta = calloc(maxstates * pf->ncls, sizeof *pf->delta);
    pf->out_lit = malloc(maxstates * sizeof *pf->out_lit);
    pf->dlink = calloc(maxstates, sizeof *pf->dlink);
    fail = calloc(maxstates, sizeof *fail);
    queue = malloc(maxstates * sizeof *queue);
    /* The trie's edges as lists, so that filling a row visits only its
     * children: a state's first child, its next sibling, the class of the
     * edge into it. */
    tree = calloc(3 * maxstates, sizeof *tree);
    if (!pf->delta || !pf->out_lit || !pf->dlink || !fail || !queue || !tree)
        goto cleanup;
    uint32_t *kid = tree, *sib = tree + maxstates, *ecls = tree + 2 * maxstates;
    for (size_t i = 0; i < maxstates; i++)
        pf->out_lit[i] = -1;
    pf->nstates = 1;
    size_t li = 0;
    for (size_t i = 0; i < nrefs; i++) {
        if (i > 0 && strcmp(refs[i].text, refs[i - 1].text) == 0)
            continue;
        uint32_t s = 0;
        for (const unsigned char *p = (const unsigned char *)refs[i].text; *p; p++) {
            uint32_t c = pf->cls[*p], *t = &pf->delta[s * pf->ncls + c];
            if (!*t) {
                *t = (uint32_t)pf->nstates++;
                ecls[*t] = c;
                sib[*t] = kid[s];
                kid[s] = *t;
            }
            s = *t;
        }
        pf->out_lit[s] = (int32_t)li++;
    }

    /* Failure links breadth-first: a state's row is its failure state's,
     * which is already complete, with its own children put back. Entries
     * hold state numbers until the final pass. */
    size_t head = 0, tail = 0;
    for (uint32_t v = kid[0]; v; v = sib[v])
        queue[tail++] = v;
    while (head < tail) {
        uint32_t s = queue[head++];
        uint32_t f = fail[s];
        pf->dlink[s] = pf->out_lit[f] >= 0 ? f : pf->dlink[f];
        uint32_t *row = &pf->delta[s * pf->ncls];
        const uint32_t *frow = &pf->delta[f * pf->ncls];
        memcpy(row, frow, pf->ncls * sizeof *row);
        for (uint32_t v = kid[s]; v; v = sib[v]) {
            fail[v] = frow[ecls[v]];
            row[ecls[v]] = v;
            queue[tail++] = v;
        }
    }
    pf->cls_shift = 0;
    while (!((pf->ncls >> pf->cls_shift) & 1))
        pf->cls_shift++;
    uint32_t odd = (uint32_t)(pf->ncls >> pf->cls_shift), inv = odd;
    for (int k = 0; k < 5; k++) /* Newton: each round doubles the bits that are right */
        inv *= 2u - odd * inv;
    pf->cls_inv = inv;
    /* Each state's entry once, then one lookup a cell: the table has
     * nclasses times as many cells as there are states. `fail` is free. */
    uint32_t *entry = fail;
    for (size_t t = 0; t < pf->nstates; t++)
        entry[t] = (uint32_t)(t * pf->ncls) | (pf->out_lit[t] >= 0 || pf->dlink[t] ? HAS_OUT : 0);
    uint32_t *cell = pf->delta;
    for (size_t i = 0, n = pf->nstates * pf->ncls; i < n; i++)
        cell[i] = entry[cell[i]];
    st = SL_OK;
cleanup:
    free(queue);
    free(fail);
    free(tree);
    return st;
}

size_t sl_prefilter_slots(const sl_prefilter *pf)
{
    /* The list of literals that occurred is uint32_t, two to an entry. */
    return pf ? pf->nslots + pf->maxlits + (pf->maxlits + 1) / 2 : 0;
}

void sl_prefilter_stats(const sl_prefilter *pf, unsigned fields, size_t *nliterals, size_t *nstates,
                        size_t *nclasses)
{
    const pf_dfa *d = pf ? &pf->dfa[pf->pick[fields & SL_PF_ALL]] : NULL;
    *nliterals = d ? d->nlits : 0;
    *nstates = d ? d->nstates : 0;
    *nclasses = d ? d->ncls : 0;
}

static void dfa_free(pf_dfa *d)
{
    free(d->lit_len);
    free(d->lit_first);
    free(d->slots);
    free(d->delta);
    free(d->out_lit);
    free(d->dlink);
    free(d->init);
}

void sl_prefilter_free(sl_prefilter *pf)
{
    if (!pf)
        return;
    for (size_t i = 0; i < pf->ndfa; i++)
        dfa_free(&pf->dfa[i]);
    free(pf);
}

/* Nonzero when sets of fields a and b hold the same literal references. */
static int same_refs(const lit_ref *refs, size_t n, unsigned a, unsigned b)
{
    for (size_t i = 0; i < n; i++)
        if (!(refs[i].fields & a) != !(refs[i].fields & b))
            return 0;
    return 1;
}

static sl_status build_sets(sl_prefilter *pf, const lit_ref *refs, size_t nrefs)
{
    sl_status st = SL_OK;
    lit_ref *sub = malloc((nrefs + 1) * sizeof *sub);
    if (!sub)
        return SL_ENOMEM;
    uint8_t built[NSETS];
    for (size_t i = 0; i < NSETS && st == SL_OK; i++) {
        unsigned f = field_sets[i];
        size_t n = 0;
        for (size_t k = 0; k < nrefs; k++)
            if (refs[k].fields & f)
                sub[n++] = refs[k];
        size_t j = 0;
        while (j < i && !same_refs(refs, nrefs, f, field_sets[j]))
            j++;
        if (j < i) {
            built[i] = built[j];
        } else if (i > 0 && 2 * n >= nrefs) {
            /* As large as half of all: the automaton of all fields scans as
             * fast, and one fewer to build is a shorter start. */
            built[i] = 0;
        } else {
            built[i] = (uint8_t)pf->ndfa;
            st = build_automaton(&pf->dfa[pf->ndfa++], sub, n, pf->nslots);
            if (pf->dfa[built[i]].nlits > pf->maxlits)
                pf->maxlits = pf->dfa[built[i]].nlits;
        }
        pf->pick[f] = built[i];
    }
    free(sub);
    return st;
}

sl_status sl_prefilter_build(sl_profile *p)
{
    sl_status st = SL_OK;
    collect c = {0};
    sl_prefilter *pf = NULL;
    for (size_t i = 0; i < p->nrules && st == SL_OK; i++) {
        sl_rule *r = &p->rules[i];
        c.slow = 0;
        st = sl_rule_each_pattern(r, collect_pattern, &c);
        r->info.slow = c.slow;
    }
    if (st != SL_OK)
        goto cleanup;
    pf = calloc(1, sizeof *pf);
    if (!pf) {
        st = SL_ENOMEM;
        goto cleanup;
    }
    pf->nslots = c.nslots;
    if (c.n)
        qsort(c.refs, c.n, sizeof *c.refs, ref_cmp);
    if ((st = build_sets(pf, c.refs, c.n)) != SL_OK)
        goto cleanup;
    sl_prefilter_free(p->pf);
    p->pf = pf;
    pf = NULL;
cleanup:
    sl_prefilter_free(pf);
    free(c.refs);
    return st;
}

/* ------------------------------------------------------------ scanning */

/* The literals' part of a hit table during a scan: an entry per literal,
 * zero until it occurs, and the list of those that occurred, so that a
 * text where few of the hundreds of literals occur costs few steps to
 * fold. */
typedef struct lit_hits {
    sl_pf_hit *hit; /* nlits */
    uint32_t *seen; /* nseen literals, in the order of their first occurrence */
    uint32_t nseen;
} lit_hits;

/* An occurrence is recorded for its literal; the literals' hits go to
 * their patterns' slots once the scan is over (fold_literals), since
 * common literals occur many times and are shared by several patterns. */
static void report(const pf_dfa *pf, uint32_t state, uint32_t end, lit_hits *lits)
{
    for (uint32_t s = state; s; s = pf->dlink[s]) {
        int32_t lit = pf->out_lit[s];
        if (lit < 0)
            continue;
        sl_pf_hit *h = &lits->hit[lit];
        uint32_t start1 = end - pf->lit_len[lit] + 1;
        if (!h->max_start1) {
            lits->seen[lits->nseen++] = (uint32_t)lit;
            h->min_end = end;
            h->max_start1 = start1;
            continue;
        }
        if (end < h->min_end)
            h->min_end = end;
        if (start1 > h->max_start1)
            h->max_start1 = start1;
    }
}

static void fold_literals(const pf_dfa *pf, sl_pf_hit *hits, const lit_hits *lits)
{
    for (uint32_t i = 0; i < lits->nseen; i++) {
        uint32_t lit = lits->seen[i];
        const sl_pf_hit *l = &lits->hit[lit];
        for (uint32_t k = pf->lit_first[lit]; k < pf->lit_first[lit + 1]; k++) {
            sl_pf_hit *h = &hits[pf->slots[k]];
            if (l->min_end < h->min_end)
                h->min_end = l->min_end;
            if (l->max_start1 > h->max_start1)
                h->max_start1 = l->max_start1;
        }
    }
}

static inline uint32_t state_of(const pf_dfa *pf, uint32_t row)
{
    return (row >> pf->cls_shift) * pf->cls_inv;
}

/* Runs the automaton from row `row` over s[from, to); returns the row. */
static uint32_t scan_range(const pf_dfa *pf, const unsigned char *s, size_t from, size_t to,
                           uint32_t row, lit_hits *hits)
{
    const uint32_t *delta = pf->delta;
    const uint8_t *cls = pf->cls;
    for (size_t i = from; i < to; i++) {
        row = delta[row + cls[s[i]]];
        if (row & HAS_OUT) {
            row &= ~HAS_OUT;
            report(pf, state_of(pf, row), (uint32_t)(i + 1), hits);
        }
    }
    return row;
}

#define STEP(k)                                                                                    \
    do {                                                                                           \
        r##k = delta[r##k + cls[s[at[k] + i]]];                                                    \
        if (r##k & HAS_OUT) {                                                                      \
            r##k &= ~HAS_OUT;                                                                      \
            report(pf, state_of(pf, r##k), (uint32_t)(at[k] + i + 1), &lits);                      \
        }                                                                                          \
    } while (0)

void sl_prefilter_scan_lanes(const sl_prefilter *set, unsigned fields, const char *text, size_t len,
                             sl_pf_hit *out, int lanes)
{
    const pf_dfa *pf = &set->dfa[set->pick[fields & SL_PF_ALL]];
    for (size_t i = 0; i < pf->ninit; i++) {
        out[pf->init[i]].min_end = UINT32_MAX;
        out[pf->init[i]].max_start1 = 0;
    }
    if (pf->nlits == 0)
        return;
    /* The literals' entries follow the slots', then room for their list
     * (sl_prefilter_slots). */
    lit_hits lits = {out + set->nslots, (uint32_t *)(out + set->nslots + set->maxlits), 0};
    memset(lits.hit, 0, pf->nlits * sizeof *lits.hit);
    const unsigned char *s = (const unsigned char *)text;
    size_t ov = pf->maxlen ? pf->maxlen - 1 : 0;
    size_t chunk = len / LANES;
    if (lanes < LANES || chunk < LANE_MIN || chunk <= ov) {
        scan_range(pf, s, 0, len, 0, &lits);
        fold_literals(pf, out, &lits);
        return;
    }
    /* Four lanes, each a quarter of the text, step together: a DFA step
     * waits on the load of the step before, and four independent chains
     * keep the core busy during that wait. Lane k > 0 starts `ov` bytes
     * (the longest literal less one) before its quarter, from the start
     * state, so every occurrence ending in its quarter is found there; an
     * occurrence seen by two lanes only repeats a hit, which changes
     * nothing. */
    size_t at[LANES], to[LANES];
    for (int k = 0; k < LANES; k++) {
        at[k] = k ? (size_t)k * chunk - ov : 0;
        to[k] = k == LANES - 1 ? len : (size_t)(k + 1) * chunk;
    }
    const uint32_t *delta = pf->delta;
    const uint8_t *cls = pf->cls;
    uint32_t r0 = 0, r1 = 0, r2 = 0, r3 = 0;
    for (size_t i = 0; i < chunk; i++) {
        STEP(0);
        STEP(1);
        STEP(2);
        STEP(3);
    }
    /* Lane 0 is exactly `chunk` long; the others finish alone. */
    scan_range(pf, s, at[1] + chunk, to[1], r1, &lits);
    scan_range(pf, s, at[2] + chunk, to[2], r2, &lits);
    scan_range(pf, s, at[3] + chunk, to[3], r3, &lits);
    fold_literals(pf, out, &lits);
    (void)r0;
}

void sl_prefilter_scan(const sl_prefilter *pf, unsigned fields, const char *text, size_t len,
                       sl_pf_hit *hits)
{
    sl_prefilter_scan_lanes(pf, fields, text, len, hits, LANES);
}
