/*
 * Regexes that can backtrack catastrophically, found at load time.
 *
 * PCRE2 backtracks: when a repeated part of a regex can match one stretch
 * of text in more than one way, a text that then fails to match makes it
 * try every way, and there are exponentially many: (a+)+, (a|aa)+,
 * (\w+\s?)*, (.*)*, (x+x+)+y on a long run of the repeated text. The match
 * limit stops such a search (the document is ERROR), but the rule is
 * broken all the same, so it is warned about when it is loaded.
 *
 * In automata terms such a regex has an NFA with exponential degree of
 * ambiguity: some state has two different paths back to itself that read
 * the same text. That can be decided on the position (Glushkov) automaton,
 * whose states are the regex's character-matching atoms (Weber and Seidl's
 * criterion, as used by ReDoS checkers such as rxxr): within one strongly
 * connected component of the automaton, look for
 *   - two distinct transitions between the same two states: a loop nested
 *     in another over the same atoms, as in (a+)+ or (\w+\s?)*;
 *   - in the product of the component with itself (pairs of states moving
 *     on a common character), a strongly connected component holding both
 *     a pair (p, p) and a pair (p, q), p != q: two different ways round
 *     that read the same characters, as in (a|aa)+ or (x+x+)+.
 *
 * What is approximated, so that a warning is seldom false and the common
 * shapes are always found:
 *   - character sets are compared exactly on ASCII and by Unicode general
 *     category beyond it (two letters of one category count as the same);
 *   - anchors, \b and look-arounds are left out: they can only take
 *     ambiguity away, so a rare warning may be one they prevent;
 *   - an atomic group or a possessive quantifier never gives back what it
 *     matched: it counts as one atom, which is what makes (\w++\s?)* safe;
 *   - a bounded repeat {n,m} with m <= 16 is unrolled into at most two
 *     copies, which keeps any ambiguity it adds (a{1,2} inside a loop)
 *     while its own backtracking stays polynomial; a larger bound counts
 *     as a loop;
 *   - polynomial backtracking (\s*\s*$, .*.*=) is not reported: it makes a
 *     long text slow, not a short one hopeless;
 *   - a regex with backreferences, recursion, conditionals or backtracking
 *     verbs, or too large to analyse, gets no warning.
 */
#include "rules/redos.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rxtree.h"
#include "util/buf.h"

/* Beyond these the regex is not analysed (no warning). */
enum {
    MAX_POSITIONS = 4000,
    MAX_EDGES = 200000,
    MAX_UNROLLED = 16,
    MAX_PRODUCT = 250000,
    MAX_PRODUCT_STEPS = 20000000
};

/* ------------------------------------------------------------ the automaton */

typedef struct ilist {
    int *v;
    size_t n, cap;
} ilist;

typedef struct frag {
    int nullable;
    ilist first, last;
} frag;

typedef struct edge {
    int from, to;
    int rep; /* the SL_RX_REP node whose loop made it; -1 for none */
} edge;

typedef struct nfa {
    const sl_rxtree *p;
    sl_cset *pos; /* per position */
    size_t npos, cappos;
    edge *edges;
    size_t nedges, capedges;
    int over; /* past a size limit: no analysis */
    int nomem;
} nfa;

static int il_push(nfa *a, ilist *l, int x)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 4;
        int *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            a->nomem = 1;
            return 0;
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = x;
    return 1;
}

static void il_append(nfa *a, ilist *to, const ilist *from)
{
    for (size_t i = 0; i < from->n && !a->nomem; i++)
        il_push(a, to, from->v[i]);
}

static void frag_clear(frag *f)
{
    free(f->first.v);
    free(f->last.v);
    memset(f, 0, sizeof *f);
}

static int new_pos(nfa *a, const sl_cset *s)
{
    if (a->npos >= MAX_POSITIONS) {
        a->over = 1;
        return -1;
    }
    if (a->npos == a->cappos) {
        size_t cap = a->cappos ? 2 * a->cappos : 64;
        sl_cset *v = realloc(a->pos, cap * sizeof *v);
        if (!v) {
            a->nomem = 1;
            return -1;
        }
        a->pos = v;
        a->cappos = cap;
    }
    a->pos[a->npos] = *s;
    return (int)a->npos++;
}

static void link_all(nfa *a, const ilist *from, const ilist *to, int rep)
{
    for (size_t i = 0; i < from->n; i++)
        for (size_t j = 0; j < to->n; j++) {
            if (a->nedges >= MAX_EDGES) {
                a->over = 1;
                return;
            }
            if (a->nedges == a->capedges) {
                size_t cap = a->capedges ? 2 * a->capedges : 64;
                edge *e = realloc(a->edges, cap * sizeof *e);
                if (!e) {
                    a->nomem = 1;
                    return;
                }
                a->edges = e;
                a->capedges = cap;
            }
            a->edges[a->nedges++] = (edge){from->v[i], to->v[j], rep};
        }
}

/* The union of every set under node k, and whether it can match empty:
 * an atomic group as one atom. */
static void collapse(const sl_rxtree *p, int k, sl_cset *s, int *nullable)
{
    const sl_rxnode *x = &p->nodes[k];
    switch (x->kind) {
    case SL_RX_SET:
        sl_cset_union(s, &x->set);
        *nullable = 0;
        return;
    case SL_RX_EMPTY:
        *nullable = 1;
        return;
    case SL_RX_REP:
    case SL_RX_ATOM: {
        int n = 1;
        collapse(p, x->kids[0], s, &n);
        *nullable = n || (x->kind == SL_RX_REP && x->min == 0);
        return;
    }
    case SL_RX_SEQ:
    case SL_RX_ALT: {
        int all = 1, any = x->nkids == 0;
        for (size_t i = 0; i < x->nkids; i++) {
            int n = 1;
            collapse(p, x->kids[i], s, &n);
            all &= n;
            any |= n;
        }
        *nullable = x->kind == SL_RX_SEQ ? all : any;
        return;
    }
    }
}

/* Glushkov's construction: positions, first and last sets, and follow
 * edges (loop edges tagged with their repeat). */
static void build(nfa *a, int k, frag *out, unsigned depth)
{
    const sl_rxnode *x = &a->p->nodes[k];
    memset(out, 0, sizeof *out);
    out->nullable = 1;
    if (a->over || a->nomem || depth > 2 * SL_RX_MAX_DEPTH + 8) {
        a->over = 1;
        return;
    }
    switch (x->kind) {
    case SL_RX_EMPTY:
        return;
    case SL_RX_SET: {
        int pos = new_pos(a, &x->set);
        if (pos < 0)
            return;
        out->nullable = 0;
        il_push(a, &out->first, pos);
        il_push(a, &out->last, pos);
        return;
    }
    case SL_RX_ATOM: {
        sl_cset s = {0, 0, 0};
        int n = 1;
        collapse(a->p, x->kids[0], &s, &n);
        if (sl_cset_empty(&s))
            return;
        int pos = new_pos(a, &s);
        if (pos < 0)
            return;
        out->nullable = n;
        il_push(a, &out->first, pos);
        il_push(a, &out->last, pos);
        return;
    }
    case SL_RX_SEQ:
        for (size_t i = 0; i < x->nkids; i++) {
            frag f;
            build(a, x->kids[i], &f, depth + 1);
            link_all(a, &out->last, &f.first, -1);
            if (out->nullable)
                il_append(a, &out->first, &f.first);
            if (f.nullable) {
                il_append(a, &out->last, &f.last);
            } else {
                out->last.n = 0;
                il_append(a, &out->last, &f.last);
            }
            out->nullable &= f.nullable;
            frag_clear(&f);
        }
        return;
    case SL_RX_ALT:
        out->nullable = x->nkids == 0;
        for (size_t i = 0; i < x->nkids; i++) {
            frag f;
            build(a, x->kids[i], &f, depth + 1);
            il_append(a, &out->first, &f.first);
            il_append(a, &out->last, &f.last);
            out->nullable |= f.nullable;
            frag_clear(&f);
        }
        return;
    case SL_RX_REP:
        if (x->max == 0)
            return;
        if (x->max < 0 || x->max > MAX_UNROLLED) {
            build(a, x->kids[0], out, depth + 1);
            link_all(a, &out->last, &out->first, k);
            out->nullable |= x->min == 0;
        } else if (x->max == 1) {
            build(a, x->kids[0], out, depth + 1);
            out->nullable |= x->min == 0;
        } else {
            /* Two copies: the first needed when min >= 1, the second when
             * min >= 2. */
            frag c1, c2;
            build(a, x->kids[0], &c1, depth + 1);
            build(a, x->kids[0], &c2, depth + 1);
            c1.nullable |= x->min < 1;
            c2.nullable |= x->min < 2;
            link_all(a, &c1.last, &c2.first, -1);
            out->nullable = c1.nullable && c2.nullable;
            il_append(a, &out->first, &c1.first);
            if (c1.nullable)
                il_append(a, &out->first, &c2.first);
            il_append(a, &out->last, &c2.last);
            if (c2.nullable)
                il_append(a, &out->last, &c1.last);
            frag_clear(&c1);
            frag_clear(&c2);
        }
        return;
    }
}

/* ------------------------------------------------------------ components */

/* Tarjan's strongly connected components over a graph given by a
 * successor function, without recursion. comp[v] receives the component
 * number; returns the number of components, or -1 when out of memory or
 * past `budget` steps. */
typedef int (*succ_fn)(void *g, size_t v, size_t *iter, size_t *out);

static long scc(void *g, size_t nv, succ_fn succ, size_t *comp, size_t budget)
{
    long ncomp = 0;
    size_t *index = malloc(nv * sizeof *index), *low = malloc(nv * sizeof *low);
    size_t *stack = malloc(nv * sizeof *stack), *call = malloc(nv * sizeof *call);
    size_t *iter = malloc(nv * sizeof *iter);
    unsigned char *on = calloc(nv ? nv : 1, 1);
    if (!index || !low || !stack || !call || !iter || !on) {
        ncomp = -1;
        goto out;
    }
    const size_t UNSEEN = (size_t)-1;
    for (size_t v = 0; v < nv; v++)
        index[v] = UNSEEN;
    size_t next = 0, sp = 0, steps = 0;
    for (size_t root = 0; root < nv && ncomp >= 0; root++) {
        if (index[root] != UNSEEN)
            continue;
        size_t depth = 0;
        call[depth++] = root;
        index[root] = low[root] = next++;
        iter[root] = 0;
        stack[sp++] = root;
        on[root] = 1;
        while (depth) {
            size_t v = call[depth - 1], w;
            if (++steps > budget) {
                ncomp = -1;
                break;
            }
            if (succ(g, v, &iter[v], &w)) {
                if (index[w] == UNSEEN) {
                    index[w] = low[w] = next++;
                    iter[w] = 0;
                    stack[sp++] = w;
                    on[w] = 1;
                    call[depth++] = w;
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            if (low[v] == index[v]) {
                size_t w2;
                do {
                    w2 = stack[--sp];
                    on[w2] = 0;
                    comp[w2] = (size_t)ncomp;
                } while (w2 != v);
                ncomp++;
            }
            depth--;
            if (depth && low[v] < low[call[depth - 1]])
                low[call[depth - 1]] = low[v];
        }
    }
out:
    free(index);
    free(low);
    free(stack);
    free(call);
    free(iter);
    free(on);
    return ncomp;
}

/* The automaton's graph: successors through the edges sorted by source. */
typedef struct graph {
    const nfa *a;
    size_t *start; /* npos + 1 offsets into the sorted edges */
    edge *sorted;
} graph;

static int nfa_succ(void *g, size_t v, size_t *iter, size_t *out)
{
    const graph *gr = g;
    size_t i = gr->start[v] + *iter;
    if (i >= gr->start[v + 1])
        return 0;
    (*iter)++;
    *out = (size_t)gr->sorted[i].to;
    return 1;
}

/* The product of one component with itself: pair (p, q) is node
 * p * n + q over the component's local numbering. */
typedef struct product {
    size_t n;
    const size_t *out_start; /* n + 1 offsets */
    const int *out_to;       /* local targets */
    const sl_cset *set;      /* per local state */
} product;

static int prod_succ(void *g, size_t v, size_t *iter, size_t *out)
{
    const product *pr = g;
    size_t p = v / pr->n, q = v % pr->n;
    size_t dp = pr->out_start[p + 1] - pr->out_start[p];
    size_t dq = pr->out_start[q + 1] - pr->out_start[q];
    while (*iter < dp * dq) {
        size_t i = *iter / dq, j = *iter % dq;
        (*iter)++;
        int p2 = pr->out_to[pr->out_start[p] + i], q2 = pr->out_to[pr->out_start[q] + j];
        if (sl_cset_overlap(&pr->set[p2], &pr->set[q2])) {
            *out = (size_t)p2 * pr->n + (size_t)q2;
            return 1;
        }
    }
    return 0;
}

static int edge_cmp(const void *x, const void *y)
{
    const edge *a = x, *b = y;
    if (a->from != b->from)
        return a->from < b->from ? -1 : 1;
    if (a->to != b->to)
        return a->to < b->to ? -1 : 1;
    return 0;
}

/* Whether the component `c` (members listed in `members`, n of them) is
 * ambiguous in the exponential sense. -1: out of memory; -2: too big. */
static int component_eda(const graph *gr, const size_t *comp, size_t c, const size_t *members,
                         size_t n)
{
    const nfa *a = gr->a;
    /* Two transitions between the same states (sorted: adjacent). */
    for (size_t m = 0; m < n; m++) {
        size_t v = members[m];
        for (size_t i = gr->start[v]; i + 1 < gr->start[v + 1]; i++)
            if (gr->sorted[i].to == gr->sorted[i + 1].to && comp[gr->sorted[i].to] == c)
                return 1;
    }
    if (n < 2)
        return 0;
    if (n * n > MAX_PRODUCT)
        return -2;
    int rc = -1;
    size_t *local = malloc(a->npos * sizeof *local);
    size_t *out_start = calloc(n + 1, sizeof *out_start);
    int *out_to = NULL;
    sl_cset *set = malloc(n * sizeof *set);
    size_t *pcomp = malloc(n * n * sizeof *pcomp);
    unsigned char *diag = NULL, *offd = NULL;
    if (!local || !out_start || !set || !pcomp)
        goto out;
    for (size_t m = 0; m < n; m++) {
        local[members[m]] = m;
        set[m] = a->pos[members[m]];
    }
    size_t ne = 0;
    for (size_t m = 0; m < n; m++) {
        size_t v = members[m];
        for (size_t i = gr->start[v]; i < gr->start[v + 1]; i++)
            ne += comp[gr->sorted[i].to] == c;
        out_start[m + 1] = ne;
    }
    out_to = malloc((ne ? ne : 1) * sizeof *out_to);
    if (!out_to)
        goto out;
    for (size_t m = 0, k = 0; m < n; m++) {
        size_t v = members[m];
        for (size_t i = gr->start[v]; i < gr->start[v + 1]; i++)
            if (comp[gr->sorted[i].to] == c)
                out_to[k++] = (int)local[gr->sorted[i].to];
    }
    product pr = {n, out_start, out_to, set};
    long np = scc(&pr, n * n, prod_succ, pcomp, MAX_PRODUCT_STEPS);
    if (np < 0) {
        rc = -2;
        goto out;
    }
    diag = calloc((size_t)np ? (size_t)np : 1, 1);
    offd = calloc((size_t)np ? (size_t)np : 1, 1);
    if (!diag || !offd)
        goto out;
    for (size_t p = 0; p < n; p++)
        for (size_t q = 0; q < n; q++) {
            if (p == q)
                diag[pcomp[p * n + q]] = 1;
            else
                offd[pcomp[p * n + q]] = 1;
        }
    rc = 0;
    /* A pair (p, q), p != q, in the component of a (p', p') that it can
     * also be reached from and return to: a component of the product of
     * one node has no cycle, so a pair's component holding both kinds is
     * always a real cycle through both. */
    for (long k = 0; k < np && !rc; k++)
        rc = diag[k] && offd[k];
out:
    free(local);
    free(out_start);
    free(out_to);
    free(set);
    free(pcomp);
    free(diag);
    free(offd);
    return rc;
}

/* The outermost repeat whose loop is inside component c. */
static int culprit(const sl_rxtree *p, const graph *gr, const size_t *comp, size_t c)
{
    int best = -1;
    size_t best_len = 0;
    const nfa *a = gr->a;
    for (size_t i = 0; i < a->nedges; i++) {
        const edge *e = &gr->sorted[i];
        if (e->rep < 0 || comp[e->from] != c || comp[e->to] != c)
            continue;
        const sl_rxnode *x = &p->nodes[e->rep];
        if (best < 0 || x->end - x->start > best_len) {
            best = e->rep;
            best_len = x->end - x->start;
        }
    }
    return best;
}

static char *explain(const sl_rxtree *p, int rep)
{
    const sl_rxnode *x = &p->nodes[rep];
    sl_buf b = SL_BUF_INIT;
    size_t n = x->end - x->start;
    int cut = n > 60;
    if (cut)
        n = 57;
    /* Keep it one line, and whole characters. */
    while (cut && n > 0 && ((unsigned char)p->rx[x->start + n] & 0xC0) == 0x80)
        n--;
    sl_buf_putc(&b, '\'');
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)p->rx[x->start + i];
        sl_buf_putc(&b, ch < 0x20 || ch == 0x7f ? ' ' : (char)ch);
    }
    sl_buf_puts(&b, cut ? "...'" : "'");
    sl_buf_printf(&b,
                  " at offset %zu repeats a part that can match the same text in several ways "
                  "(nested or overlapping quantifiers), so a near match takes exponential time; "
                  "make the part unambiguous, possessive (a++) or atomic (?>...)",
                  x->start);
    return sl_buf_steal(&b);
}

sl_status sl_regex_backtrack_risk(const char *rx, size_t len, int caseless, char **why)
{
    sl_rxtree t;
    *why = NULL;
    sl_status st = sl_rxtree_parse(rx, len, caseless, &t);
    if (st == SL_OK)
        st = sl_rxtree_backtrack_risk(&t, why);
    sl_rxtree_clear(&t);
    return st;
}

/* Nonzero when every loop of the regex (an unbounded repeat, or one the
 * automaton keeps as a loop) repeats a single position, a character set
 * or an atomic group: then each cycle of the automaton is one position's
 * own transition, made by one loop, and no component has a second way
 * round. Most regexes of the packs are like this (\s+ between words), and
 * a walk of the tree costs far less than the automaton. Nodes the root
 * does not reach only make the answer 0. */
static int loops_are_single(const sl_rxtree *p)
{
    for (size_t i = 0; i < p->n; i++) {
        const sl_rxnode *x = &p->nodes[i];
        if (x->kind != SL_RX_REP || (x->max >= 0 && x->max <= MAX_UNROLLED))
            continue;
        int body = p->nodes[x->kids[0]].kind;
        if (body != SL_RX_SET && body != SL_RX_ATOM)
            return 0;
    }
    return 1;
}

sl_status sl_rxtree_backtrack_risk(const sl_rxtree *p, char **why)
{
    *why = NULL;
    if (p->root >= 0 && loops_are_single(p))
        return SL_OK;
    nfa a;
    memset(&a, 0, sizeof a);
    a.p = p;
    graph gr = {&a, NULL, NULL};
    size_t *comp = NULL, *members = NULL;
    frag root;
    memset(&root, 0, sizeof root);
    sl_status st = SL_OK;
    if (p->root < 0)
        goto cleanup; /* not modelled: no warning */
    build(&a, p->root, &root, 0);
    if (a.nomem) {
        st = SL_ENOMEM;
        goto cleanup;
    }
    if (a.over || a.npos == 0)
        goto cleanup;
    gr.start = calloc(a.npos + 1, sizeof *gr.start);
    gr.sorted = malloc((a.nedges ? a.nedges : 1) * sizeof *gr.sorted);
    comp = malloc(a.npos * sizeof *comp);
    members = malloc(a.npos * sizeof *members);
    if (!gr.start || !gr.sorted || !comp || !members) {
        st = SL_ENOMEM;
        goto cleanup;
    }
    if (a.nedges)
        memcpy(gr.sorted, a.edges, a.nedges * sizeof *gr.sorted);
    qsort(gr.sorted, a.nedges, sizeof *gr.sorted, edge_cmp);
    for (size_t i = 0; i < a.nedges; i++)
        gr.start[gr.sorted[i].from + 1]++;
    for (size_t v = 0; v < a.npos; v++)
        gr.start[v + 1] += gr.start[v];
    long ncomp = scc(&gr, a.npos, nfa_succ, comp, (size_t)-1);
    if (ncomp < 0) {
        st = SL_ENOMEM;
        goto cleanup;
    }
    /* Positions grouped by component (a counting sort), each component's
     * members contiguous in `order`. */
    size_t *cstart = calloc((size_t)ncomp + 1, sizeof *cstart);
    if (!cstart) {
        st = SL_ENOMEM;
        goto cleanup;
    }
    for (size_t v = 0; v < a.npos; v++)
        cstart[comp[v] + 1]++;
    for (long c = 0; c < ncomp; c++)
        cstart[c + 1] += cstart[c];
    for (size_t v = 0; v < a.npos; v++)
        members[cstart[comp[v]]++] = v;
    for (long c = ncomp; c > 0; c--)
        cstart[c] = cstart[c - 1];
    cstart[0] = 0;
    for (long c = 0; c < ncomp && !*why && st == SL_OK; c++) {
        size_t n = cstart[c + 1] - cstart[c];
        const size_t *mem = members + cstart[c];
        /* Only a component with a cycle can repeat. */
        int cyclic = n > 1;
        for (size_t i = gr.start[mem[0]]; !cyclic && i < gr.start[mem[0] + 1]; i++)
            cyclic = (size_t)gr.sorted[i].to == mem[0];
        if (!cyclic)
            continue;
        int rc = component_eda(&gr, comp, (size_t)c, mem, n);
        if (rc == -1) {
            st = SL_ENOMEM;
        } else if (rc == 1) {
            int rep = culprit(p, &gr, comp, (size_t)c);
            if (rep >= 0 && !(*why = explain(p, rep)))
                st = SL_ENOMEM;
        }
    }
    free(cstart);
cleanup:
    frag_clear(&root);
    free(a.pos);
    free(a.edges);
    free(gr.start);
    free(gr.sorted);
    free(comp);
    free(members);
    return st;
}

/* ------------------------------------------------------------ the ruleset's warnings */

static sl_status add_warning(sl_ruleset *rs, const sl_rule *r, const sl_pattern *pat)
{
    sl_buf b = SL_BUF_INIT;
    if (sl_buf_printf(&b, "%s:%u:%u: rule '%s': regex can backtrack catastrophically: %s", r->file,
                      pat->line, pat->col, r->id, pat->backtrack) != SL_OK) {
        sl_buf_free(&b);
        return SL_ENOMEM;
    }
    for (size_t i = 0; i < rs->nwarnings; i++)
        if (strcmp(rs->warnings[i], b.data) == 0) {
            sl_buf_free(&b);
            return SL_OK;
        }
    char **w = realloc(rs->warnings, (rs->nwarnings + 1) * sizeof *w);
    if (!w) {
        sl_buf_free(&b);
        return SL_ENOMEM;
    }
    rs->warnings = w;
    rs->warnings[rs->nwarnings++] = sl_buf_steal(&b);
    return SL_OK;
}

/* sl_pattern_fn: a pattern that can backtrack catastrophically is named. */
static sl_status pattern_warning(void *user, const sl_rule *r, sl_pattern *pat,
                                 sl_pattern_role role, const sl_scope *scopes, size_t nscopes)
{
    (void)role;
    (void)scopes;
    (void)nscopes;
    return pat->backtrack ? add_warning(user, r, pat) : SL_OK;
}

sl_status sl_ruleset_collect_warnings(sl_ruleset *rs)
{
    sl_status st = SL_OK;
    for (size_t pi = 0; pi < rs->nprofiles && st == SL_OK; pi++) {
        sl_profile *p = &rs->profiles[pi];
        for (size_t ri = 0; ri < p->nrules && st == SL_OK; ri++)
            st = sl_rule_each_pattern(&p->rules[ri], pattern_warning, rs);
    }
    return st;
}

void sl_ruleset_warnings_clear(sl_ruleset *rs)
{
    for (size_t i = 0; i < rs->nwarnings; i++)
        free(rs->warnings[i]);
    free(rs->warnings);
    rs->warnings = NULL;
    rs->nwarnings = 0;
}

size_t sl_ruleset_warning_count(const sl_ruleset *rs)
{
    return rs ? rs->nwarnings : 0;
}

const char *sl_ruleset_warning(const sl_ruleset *rs, size_t i)
{
    return rs && i < rs->nwarnings ? rs->warnings[i] : NULL;
}
