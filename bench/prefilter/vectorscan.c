/*
 * The literal prefilter against Vectorscan, on the same literals and the
 * same texts, in the same run.
 *
 * Loads the default packs, takes every literal the prefilter holds (the
 * required literals of every pattern), compiles them into a Vectorscan
 * literal database (hs_compile_lit_multi, caseless, block mode), and
 * times, over the normalized text of every file named on stdin, the
 * prefilter's automaton (sl_prefilter_scan, all fields) against hs_scan
 * with a callback that keeps what the prefilter keeps: for each literal
 * the end of its first occurrence and the start of its last. Both answers
 * are then folded into the patterns' slots and compared: they must agree
 * on every slot of every file. Prints the median of --runs runs of each.
 *
 * Built and run by run.sh against BUILD/libsyndlint_internal.a (the
 * internal API is not exported by the shared library).
 *
 * usage: vectorscan RULES_DIR RUNS < FILE_LIST
 */
#include <hs/hs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eval/prefilter.h"
#include "rules/ruleset.h"
#include "text/normalize.h"

typedef struct lit {
    const char *s;
    uint32_t min_end, max_start1;
} lit;

static lit *lits;
static size_t nlits;

static int lit_cmp(const void *a, const void *b)
{
    return strcmp(((const lit *)a)->s, ((const lit *)b)->s);
}

static size_t lit_id(const char *s)
{
    lit key = {s, 0, 0};
    lit *l = bsearch(&key, lits, nlits, sizeof *lits, lit_cmp);
    return l ? (size_t)(l - lits) : SIZE_MAX;
}

static void add_lits(const sl_pattern *pat)
{
    if (!pat->pf_slot)
        return;
    for (size_t i = 0; i < pat->lits.nlits; i++) {
        lits = realloc(lits, (nlits + 1) * sizeof *lits);
        lits[nlits++] = (lit){pat->lits.lits[i], 0, 0};
    }
}

/* Every pattern of the profile with prefilter slots, in one list. */
static const sl_pattern **pats;
static size_t npats;

/* sl_pattern_fn: every pattern with prefilter slots, and its literals. */
static sl_status add_pattern(void *user, const sl_rule *r, sl_pattern *pat, sl_pattern_role role,
                             const sl_scope *scopes, size_t nscopes)
{
    (void)user;
    (void)r;
    (void)role;
    (void)scopes;
    (void)nscopes;
    if (!pat->pf_slot)
        return SL_OK;
    pats = realloc(pats, (npats + 1) * sizeof *pats);
    pats[npats++] = pat;
    add_lits(pat);
    return SL_OK;
}

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
                    unsigned int flags, void *ctx)
{
    (void)from;
    (void)flags;
    (void)ctx;
    lit *l = &lits[id];
    uint32_t end = (uint32_t)to, start1 = end - (uint32_t)strlen(l->s) + 1;
    if (end < l->min_end)
        l->min_end = end;
    if (start1 > l->max_start1)
        l->max_start1 = start1;
    return 0;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, dbl_cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: vectorscan RULES_DIR RUNS < FILE_LIST\n");
        return 2;
    }
    int runs = atoi(argv[2]);
    if (runs < 1 || runs > 99)
        runs = 5;
    sl_ruleset_options o = {0};
    o.data_dir = argv[1];
    sl_ruleset *rs = NULL;
    sl_diag d = {{0}};
    if (sl_ruleset_load(&o, &rs, &d) != SL_OK) {
        fprintf(stderr, "vectorscan: %s\n", d.message);
        return 1;
    }
    sl_profile *p = &rs->profiles[0];
    for (size_t i = 0; i < p->nrules; i++)
        sl_rule_each_pattern(&p->rules[i], add_pattern, NULL);
    qsort(lits, nlits, sizeof *lits, lit_cmp);
    size_t u = 0;
    for (size_t i = 0; i < nlits; i++)
        if (u == 0 || strcmp(lits[i].s, lits[u - 1].s) != 0)
            lits[u++] = lits[i];
    nlits = u;

    const char **exprs = malloc(nlits * sizeof *exprs);
    unsigned *flags = malloc(nlits * sizeof *flags), *ids = malloc(nlits * sizeof *ids);
    size_t *lens = malloc(nlits * sizeof *lens);
    for (size_t i = 0; i < nlits; i++) {
        exprs[i] = lits[i].s;
        lens[i] = strlen(lits[i].s);
        flags[i] = HS_FLAG_CASELESS;
        ids[i] = (unsigned)i;
    }
    hs_database_t *db = NULL;
    hs_compile_error_t *err = NULL;
    double t0 = now();
    if (hs_compile_lit_multi(exprs, flags, ids, lens, (unsigned)nlits, HS_MODE_BLOCK, NULL, &db,
                             &err) != HS_SUCCESS) {
        fprintf(stderr, "vectorscan: %s\n", err->message);
        return 1;
    }
    double compile_ms = (now() - t0) * 1e3;
    hs_scratch_t *scratch = NULL;
    if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS)
        return 1;

    /* The texts, normalized as the engine scans them. */
    char line[4096];
    char **texts = NULL;
    size_t *tlens = NULL, ntexts = 0, total = 0;
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = '\0';
        FILE *f = fopen(line, "rb");
        if (!f)
            continue;
        static char buf[1 << 22];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        char *out = NULL;
        size_t olen = 0;
        if (sl_normalize_string(buf, n, &out, &olen) != SL_OK)
            return 1;
        /* Line breaks as spaces: the prefilter takes them for one another
         * (its hits are the same either way), a Vectorscan literal
         * database cannot. */
        for (size_t k = 0; k < olen; k++)
            if (out[k] == '\n')
                out[k] = ' ';
        texts = realloc(texts, (ntexts + 1) * sizeof *texts);
        tlens = realloc(tlens, (ntexts + 1) * sizeof *tlens);
        texts[ntexts] = out;
        tlens[ntexts++] = olen;
        total += olen;
    }
    size_t nslots = sl_prefilter_slots(p->pf);
    sl_pf_hit *dfa = malloc(nslots * sizeof *dfa), *vs = malloc(nslots * sizeof *vs);
    double *t_dfa = malloc((size_t)runs * sizeof *t_dfa),
           *t_vs = malloc((size_t)runs * sizeof *t_vs);
    for (int r = 0; r < runs; r++) {
        double a = now();
        for (size_t i = 0; i < ntexts; i++)
            sl_prefilter_scan(p->pf, SL_PF_ALL, texts[i], tlens[i], dfa);
        double b = now();
        for (size_t i = 0; i < ntexts; i++) {
            for (size_t k = 0; k < nlits; k++) {
                lits[k].min_end = UINT32_MAX;
                lits[k].max_start1 = 0;
            }
            hs_scan(db, texts[i], (unsigned)tlens[i], 0, scratch, on_match, NULL);
        }
        double c = now();
        t_dfa[r] = b - a;
        t_vs[r] = c - b;
    }

    /* Both answers, per slot, on every text. */
    size_t compared = 0, differ = 0;
    for (size_t i = 0; i < ntexts; i++) {
        sl_prefilter_scan(p->pf, SL_PF_ALL, texts[i], tlens[i], dfa);
        for (size_t k = 0; k < nlits; k++) {
            lits[k].min_end = UINT32_MAX;
            lits[k].max_start1 = 0;
        }
        hs_scan(db, texts[i], (unsigned)tlens[i], 0, scratch, on_match, NULL);
        for (size_t q = 0; q < npats; q++) {
            const sl_pattern *pat = pats[q];
            for (size_t k = 0, li = 0; k < pat->lits.nsets; k++) {
                sl_pf_hit h = {UINT32_MAX, 0};
                for (; li < pat->lits.set_end[k]; li++) {
                    const lit *l = &lits[lit_id(pat->lits.lits[li])];
                    if (l->min_end < h.min_end)
                        h.min_end = l->min_end;
                    if (l->max_start1 > h.max_start1)
                        h.max_start1 = l->max_start1;
                }
                vs[pat->pf_slot - 1 + k] = h;
                const sl_pf_hit *x = &dfa[pat->pf_slot - 1 + k];
                differ += x->min_end != h.min_end || x->max_start1 != h.max_start1;
                compared++;
            }
        }
    }
    double md = median(t_dfa, runs), mv = median(t_vs, runs);
    printf("%zu texts, %.1f MB normalized, %zu literals, %d runs\n", ntexts, (double)total / 1e6,
           nlits, runs);
    printf("prefilter automaton  %8.1f ms  %7.1f MB/s\n", md * 1e3, (double)total / md / 1e6);
    printf("vectorscan           %8.1f ms  %7.1f MB/s  (database compiled in %.1f ms)\n", mv * 1e3,
           (double)total / mv / 1e6, compile_ms);
    printf("vectorscan / automaton time: %.2fx\n", mv / md);
    printf("slots compared: %zu, differing: %zu\n", compared, differ);
    hs_free_scratch(scratch);
    hs_free_database(db);
    sl_ruleset_free(rs);
    return differ != 0;
}
