/*
 * Rule dependencies.
 *
 * A rule depends on every rule its when/unless conditions or {rule: ID}
 * items name. The engine evaluates rules once each, in p->order, reading
 * the outcomes of rules already run, so the order must put dependencies
 * first; among independent rules it keeps load order so that reports are
 * stable. A depth-first search in load order, emitting a rule after its
 * dependencies (post-order), gives exactly that, and finds cycles on the
 * way: meeting a rule that is still on the path closes one.
 *
 * The search keeps its own stack rather than recursing: a long chain of
 * rules must not exhaust the C stack.
 */
#include <stdlib.h>
#include <string.h>

#include "rules/loader.h"
#include "util/buf.h"
#include "util/diag.h"

int sl_profile_find(const sl_profile *p, const char *id)
{
    if (!p || !id)
        return -1;
    for (size_t i = 0; i < p->nrules; i++)
        if (p->rules[i].id && strcmp(p->rules[i].id, id) == 0)
            return (int)i;
    return -1;
}

static int ref_cmp(const void *a, const void *b)
{
    const sl_ref *x = a, *y = b;
    if (x->rule != y->rule)
        return x->rule < y->rule ? -1 : 1;
    /* Keep the parser's order within a rule: the slot addresses are not
     * ordered, so compare line and column, which are. */
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return x->col < y->col ? -1 : x->col > y->col;
}

/* Index of a close match for a helpful message. */
static const char *suggest_rule(const sl_profile *p, const char *name)
{
    const char *best = NULL;
    const char *one[1];
    for (size_t i = 0; i < p->nrules; i++) {
        one[0] = p->rules[i].id;
        if (sl_suggest(name, one, 1)) {
            best = p->rules[i].id;
            break;
        }
    }
    return best;
}

static sl_status cycle_error(const sl_profile *p, const size_t *stack, size_t depth, size_t from,
                             sl_diag *diag)
{
    /* The cycle is the path from `from` to the top, back to `from`. */
    size_t k = 0;
    while (k < depth && stack[k] != from)
        k++;
    sl_buf b = SL_BUF_INIT;
    for (size_t i = k; i < depth; i++)
        sl_buf_printf(&b, "%s -> ", p->rules[stack[i]].id);
    sl_buf_puts(&b, p->rules[from].id);
    const sl_rule *r = &p->rules[from];
    sl_status st = sl_diag_set(diag, SL_ERULE, r->file, r->line, r->col, r->id,
                               "cycle between rules: %s", b.data ? b.data : "");
    sl_buf_free(&b);
    return st;
}

sl_status sl_graph_resolve(sl_build *b, sl_diag *diag)
{
    sl_profile *p = b->p;
    size_t n = p->nrules;
    sl_status st = SL_OK;
    size_t *first = NULL, *deps = NULL, *stack = NULL, *next = NULL, *order = NULL;
    unsigned char *state = NULL; /* 0 new, 1 on the path, 2 done */

    for (size_t i = 0; i < b->nrefs; i++) {
        sl_ref *r = &b->refs[i];
        int idx = sl_profile_find(p, r->name);
        if (idx < 0) {
            const sl_rule *from = &p->rules[r->rule];
            const char *s = suggest_rule(p, r->name);
            char sug[160] = "";
            if (s)
                snprintf(sug, sizeof sug, " (did you mean '%s'?)", s);
            if (strcmp(r->what, "rule") == 0)
                return sl_diag_set(diag, SL_ERULE, from->file, r->line, r->col, from->id,
                                   "{rule: %s} names an unknown rule%s", r->name, sug);
            return sl_diag_set(diag, SL_ERULE, from->file, r->line, r->col, from->id,
                               "'%s' names unknown rule '%s'%s", r->what, r->name, sug);
        }
        *r->slot = idx;
    }

    /* Adjacency in compressed form: deps[first[i] .. first[i+1]). */
    if (b->nrefs)
        qsort(b->refs, b->nrefs, sizeof *b->refs, ref_cmp);
    first = calloc(n + 1, sizeof *first);
    deps = malloc((b->nrefs ? b->nrefs : 1) * sizeof *deps);
    stack = malloc((n ? n : 1) * sizeof *stack);
    next = calloc(n ? n : 1, sizeof *next);
    order = malloc((n ? n : 1) * sizeof *order);
    state = calloc(n ? n : 1, 1);
    if (!first || !deps || !stack || !next || !order || !state) {
        st = SL_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < b->nrefs; i++) {
        first[b->refs[i].rule + 1]++;
        deps[i] = (size_t)*b->refs[i].slot;
    }
    for (size_t i = 0; i < n; i++)
        first[i + 1] += first[i];

    size_t norder = 0;
    for (size_t root = 0; root < n; root++) {
        if (state[root])
            continue;
        size_t depth = 0;
        stack[depth++] = root;
        state[root] = 1;
        next[root] = first[root];
        while (depth) {
            size_t u = stack[depth - 1];
            if (next[u] < first[u + 1]) {
                size_t v = deps[next[u]++];
                if (state[v] == 1) {
                    st = cycle_error(p, stack, depth, v, diag);
                    goto cleanup;
                }
                if (state[v] == 0) {
                    state[v] = 1;
                    next[v] = first[v];
                    stack[depth++] = v;
                }
                continue;
            }
            state[u] = 2;
            order[norder++] = u;
            depth--;
        }
    }
    free(p->order);
    p->order = order;
    order = NULL;
cleanup:
    free(first);
    free(deps);
    free(stack);
    free(next);
    free(order);
    free(state);
    return st;
}
