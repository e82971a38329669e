/*
 * sl_ruleset_load: the driver of the rule loader, and the public accessors.
 *
 * Steps, each failing with one placed message:
 *   1. the config (if any) into an sl_config;
 *   2. every pack file named anywhere (rule_paths, the config, each
 *      profile, or "default") opened once and its header checked; the same
 *      file named twice is loaded once (compared by real path);
 *   3. the categories declared by all those packs collected, so a rule may
 *      use a category declared by any loaded pack;
 *   4. per profile (0 = the project's, then one per config profile): the
 *      rules of its packs parsed and compiled with its parameters, the
 *      config's severities/disables/enables applied (the project's, then
 *      the profile's), references resolved and the order computed.
 * Whatever fails, everything built so far is released before returning.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "eval/jitcache.h"
#include "eval/prefilter.h"
#include "rules/loader.h"
#include "rules/redos.h"
#include "util/buf.h"
#include "util/diag.h"

static const char *const builtin_categories[] = {"placeholder", "paywall", "attribution",
                                                 "disclaimer"};

typedef struct loader {
    const sl_ruleset_options *opt;
    sl_config cfg;
    sl_pack *packs;
    char **keys; /* real path of packs[i], for de-duplication */
    size_t npacks, cap;
    sl_strlist cats; /* built-in and declared categories */
    sl_diag *diag;
    sl_pool *pool; /* owned: the threads of the parallel steps; NULL: none */
} loader;

typedef struct packset {
    size_t *idx;
    size_t n;
} packset;

/* ------------------------------------------------------------ freeing */

static void profile_clear(sl_profile *p)
{
    free(p->name);
    for (size_t i = 0; i < p->nglobs; i++)
        free(p->globs[i]);
    free(p->globs);
    for (size_t i = 0; i < p->nrules; i++)
        sl_rule_clear(&p->rules[i]);
    free(p->rules);
    free(p->order);
    sl_prefilter_free(p->pf);
}

void sl_ruleset_free(sl_ruleset *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->nprofiles; i++)
        profile_clear(&rs->profiles[i]);
    free(rs->profiles);
    sl_ruleset_warnings_clear(rs);
    sl_jit_table_free(rs->jits);
    free(rs);
}

/* sl_pattern_fn: counts the compiled regexes, probes included. */
static sl_status count_codes(void *user, const sl_rule *r, sl_pattern *pat, sl_pattern_role role,
                             const sl_scope *scopes, size_t nscopes)
{
    size_t *n = user;
    (void)r, (void)role, (void)scopes, (void)nscopes;
    *n += (pat->code != NULL) + (pat->probe != NULL);
    return SL_OK;
}

/* The table of JIT-compiled copies the scanners share, with room for
 * every regex of every profile. */
static sl_status make_jit_table(sl_ruleset *rs)
{
    size_t n = 0;
    for (size_t i = 0; i < rs->nprofiles; i++)
        for (size_t k = 0; k < rs->profiles[i].nrules; k++)
            sl_rule_each_pattern(&rs->profiles[i].rules[k], count_codes, &n);
    return sl_jit_table_new(n, &rs->jits);
}

static void loader_clear(loader *ld)
{
    for (size_t i = 0; i < ld->npacks; i++) {
        sl_pack_clear(&ld->packs[i]);
        free(ld->keys[i]);
    }
    free(ld->packs);
    free(ld->keys);
    sl_strlist_clear(&ld->cats);
    sl_config_clear(&ld->cfg);
    sl_pool_free(ld->pool);
}

/* ------------------------------------------------------------ packs */

/* Packs to open, one item each. */
typedef struct open_work {
    loader *ld;
    size_t first;      /* packs[first..] are to be opened */
    const char **path; /* as named, per pack from `first` */
    sl_status *st;     /* per pack from `first` */
    sl_diag *diag;     /* per pack from `first` */
} open_work;

/* sl_pool_fn: opens pack i. */
static void open_one(void *arg, size_t i)
{
    open_work *w = arg;
    w->st[i] = sl_pack_open(w->path[i], &w->ld->packs[w->first + i], &w->diag[i]);
}

/* Opens packs[first..npacks) from `path` on the loader's threads (the
 * YAML of the default packs is the longest serial step of loading them
 * otherwise); the error is the first pack's in `path` order, as one
 * thread would have met it. */
static sl_status open_new(loader *ld, size_t first, const char **path)
{
    size_t n = ld->npacks - first;
    if (n == 0)
        return SL_OK;
    sl_status ret = SL_OK;
    open_work w = {ld, first, path, calloc(n, sizeof *w.st), calloc(n, sizeof *w.diag)};
    if (!w.st || !w.diag) {
        ret = SL_ENOMEM;
        goto cleanup;
    }
    sl_pool_for(ld->pool, n, open_one, &w);
    for (size_t i = 0; i < n && ret == SL_OK; i++)
        if ((ret = w.st[i]) != SL_OK && ld->diag)
            *ld->diag = w.diag[i];
cleanup:
    free(w.st);
    free(w.diag);
    return ret;
}

/* Opens (or finds already open) each file of `paths`, appending its index
 * to `set` unless the set has it already. */
static sl_status open_packs(loader *ld, const sl_strlist *paths, packset *set)
{
    sl_status st = SL_OK;
    size_t first = ld->npacks;
    const char **path = calloc(paths->n ? paths->n : 1, sizeof *path);
    if (!path)
        return SL_ENOMEM;
    for (size_t i = 0; i < paths->n; i++) {
        char real[PATH_MAX];
        const char *key = realpath(paths->items[i], real) ? real : paths->items[i];
        size_t k = 0;
        while (k < ld->npacks && strcmp(ld->keys[k], key) != 0)
            k++;
        if (k == ld->npacks) {
            if (ld->npacks == ld->cap) {
                size_t cap = ld->cap ? ld->cap * 2 : 8;
                sl_pack *p = realloc(ld->packs, cap * sizeof *p);
                if (!p) {
                    st = SL_ENOMEM;
                    goto cleanup;
                }
                ld->packs = p;
                char **ks = realloc(ld->keys, cap * sizeof *ks);
                if (!ks) {
                    st = SL_ENOMEM;
                    goto cleanup;
                }
                ld->keys = ks;
                ld->cap = cap;
            }
            if (!(ld->keys[k] = sl_strdup(key))) {
                st = SL_ENOMEM;
                goto cleanup;
            }
            memset(&ld->packs[k], 0, sizeof ld->packs[k]);
            path[k - first] = paths->items[i];
            ld->npacks++;
        }
        size_t j = 0;
        while (j < set->n && set->idx[j] != k)
            j++;
        if (j < set->n)
            continue;
        size_t *idx = realloc(set->idx, (set->n + 1) * sizeof *idx);
        if (!idx) {
            st = SL_ENOMEM;
            goto cleanup;
        }
        set->idx = idx;
        set->idx[set->n++] = k;
    }
    if ((st = open_new(ld, first, path)) != SL_OK)
        goto cleanup;
    /* Categories in the order the packs are named. */
    for (size_t k = first; k < ld->npacks; k++) {
        const sl_pack *pk = &ld->packs[k];
        for (size_t c = 0; c < pk->ncategories; c++) {
            size_t j = 0;
            while (j < ld->cats.n && strcmp(ld->cats.items[j], pk->categories[c]) != 0)
                j++;
            if (j == ld->cats.n && (st = sl_strlist_push(&ld->cats, pk->categories[c])) != SL_OK)
                goto cleanup;
        }
    }
cleanup:
    free(path);
    return st;
}

static sl_status project_paths(loader *ld, sl_strlist *out)
{
    const sl_ruleset_options *opt = ld->opt;
    sl_status st = SL_OK;
    for (size_t i = 0; i < opt->nrule_paths && st == SL_OK; i++)
        st = sl_paths_expand(opt->rule_paths[i], out, NULL, 0, 0, ld->diag);
    const sl_config *cfg = ld->cfg.path ? &ld->cfg : NULL;
    for (size_t i = 0; i < ld->cfg.o.npacks && st == SL_OK; i++)
        st = sl_pack_resolve(cfg, &ld->cfg.o.packs[i], opt->data_dir, out, ld->diag);
    if (st == SL_OK && !opt->nrule_paths && !ld->cfg.o.npacks && !opt->no_default_packs) {
        sl_nameref def = {(char *)"default", 0, 0};
        st = sl_pack_resolve(NULL, &def, opt->data_dir, out, ld->diag);
    }
    return st;
}

/* ------------------------------------------------------------ overrides */

static int is_category(const loader *ld, const char *name)
{
    for (size_t i = 0; i < ld->cats.n; i++)
        if (strcmp(ld->cats.items[i], name) == 0)
            return 1;
    return 0;
}

/* A name in enable/disable/severity: a rule (returns its index), a
 * category (returns -2), or an error. */
static sl_status classify(const loader *ld, const sl_profile *p, const char *key, const char *name,
                          unsigned line, unsigned col, int *out)
{
    int idx = sl_profile_find(p, name);
    if (idx >= 0) {
        *out = idx;
        return SL_OK;
    }
    if (is_category(ld, name)) {
        *out = -2;
        return SL_OK;
    }
    const char *best = sl_suggest(name, (const char *const *)ld->cats.items, ld->cats.n);
    for (size_t i = 0; !best && i < p->nrules; i++) {
        const char *one[1] = {p->rules[i].id};
        best = sl_suggest(name, one, 1);
    }
    char sug[160] = "";
    if (best)
        snprintf(sug, sizeof sug, " (did you mean '%s'?)", best);
    return sl_diag_set(ld->diag, SL_ERULE, ld->cfg.path, line, col, NULL,
                       "'%s' names unknown rule or category '%s'%s", key, name, sug);
}

static sl_status set_enabled(const loader *ld, sl_profile *p, const char *key,
                             const sl_nameref *refs, size_t n, int on)
{
    for (size_t i = 0; i < n; i++) {
        int idx = -1;
        sl_status st = classify(ld, p, key, refs[i].name, refs[i].line, refs[i].col, &idx);
        if (st != SL_OK)
            return st;
        for (size_t r = 0; r < p->nrules; r++)
            if ((int)r == idx || (idx == -2 && strcmp(p->rules[r].category, refs[i].name) == 0))
                p->rules[r].enabled = on;
    }
    return SL_OK;
}

static sl_status apply_overrides(const loader *ld, sl_profile *p, const sl_overrides *o)
{
    sl_status st;
    /* Categories first, then rule ids, whatever order they are written in:
     * the more specific setting wins. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < o->nsev; i++) {
            int idx = -1;
            if ((st = classify(ld, p, "severity", o->sev[i].name, o->sev[i].line, o->sev[i].col,
                               &idx)) != SL_OK)
                return st;
            if ((pass == 0) != (idx == -2))
                continue;
            for (size_t r = 0; r < p->nrules; r++) {
                sl_rule *rule = &p->rules[r];
                if (rule->check == SL_CHECK_DETECT)
                    continue; /* never reports, so has no severity */
                if ((int)r == idx || (idx == -2 && strcmp(rule->category, o->sev[i].name) == 0))
                    rule->severity = o->sev[i].sev;
            }
        }
    }
    if ((st = set_enabled(ld, p, "disable", o->disable, o->ndisable, 0)) != SL_OK)
        return st;
    return set_enabled(ld, p, "enable", o->enable, o->nenable, 1);
}

static void fill_info(sl_rule *r)
{
    static const char *const checks[] = {"forbid", "require", "detect"};
    sl_rule_info *in = &r->info;
    in->id = r->id;
    in->category = r->category;
    in->check = checks[r->check];
    in->message = r->message ? r->message : "";
    in->description = r->description;
    in->file = r->file;
    in->line = r->line;
    in->severity = r->severity;
    in->enabled = r->enabled;
    in->nfail_examples = r->nfail;
    in->npass_examples = r->npass;
}

/* Builds rs->profiles[pi]; `prof` is the config profile (NULL for 0). */
static sl_status build_profile(loader *ld, sl_profile *p, const packset *project,
                               const packset *extra, const sl_cfg_profile *prof)
{
    sl_status st = SL_OK;
    sl_build b;
    memset(&b, 0, sizeof b);
    b.p = p;
    b.categories = (const char *const *)ld->cats.items;
    b.ncategories = ld->cats.n;
    if (prof)
        b.params.layers[b.params.n++] = &prof->o.params;
    b.params.layers[b.params.n++] = &ld->cfg.o.params;
    b.params.no_jit = ld->opt->no_jit;
    if (!(p->name = sl_strdup(prof ? prof->name : "default"))) {
        st = SL_ENOMEM;
        goto cleanup;
    }
    if (prof && prof->nglobs) {
        p->globs = calloc(prof->nglobs, sizeof *p->globs);
        if (!p->globs) {
            st = SL_ENOMEM;
            goto cleanup;
        }
        for (size_t i = 0; i < prof->nglobs; i++, p->nglobs++)
            if (!(p->globs[i] = sl_strdup(prof->globs[i]))) {
                st = SL_ENOMEM;
                goto cleanup;
            }
    }
    for (int part = 0; part < 2; part++) {
        const packset *set = part ? extra : project;
        for (size_t i = 0; set && i < set->n; i++) {
            size_t k = set->idx[i];
            if (part) {
                /* A profile naming a project pack again adds nothing. */
                size_t j = 0;
                while (j < project->n && project->idx[j] != k)
                    j++;
                if (j < project->n)
                    continue;
            }
            if ((st = sl_pack_rules(&ld->packs[k], &b, ld->diag)) != SL_OK)
                goto cleanup;
        }
    }
    if ((st = apply_overrides(ld, p, &ld->cfg.o)) != SL_OK)
        goto cleanup;
    if (prof && (st = apply_overrides(ld, p, &prof->o)) != SL_OK)
        goto cleanup;
    if ((st = sl_graph_resolve(&b, ld->diag)) != SL_OK)
        goto cleanup;
    for (size_t i = 0; i < p->nrules; i++)
        fill_info(&p->rules[i]);
    if ((st = sl_profile_finish(p, ld->pool, ld->diag)) != SL_OK)
        goto cleanup;
    if ((st = sl_prefilter_build(p)) != SL_OK)
        goto cleanup;
cleanup:
    sl_build_clear(&b);
    return st;
}

sl_status sl_ruleset_load(const sl_ruleset_options *opt, sl_ruleset **out, sl_diag *diag)
{
    if (out)
        *out = NULL;
    if (!opt || !out)
        return sl_diag_set(diag, SL_EINVAL, NULL, 0, 0, NULL, "sl_ruleset_load: missing argument");
    if (diag)
        diag->message[0] = '\0';
    /* Without a data directory, the default packs are the installed ones. */
    sl_ruleset_options local = *opt;
    if (!local.data_dir)
        local.data_dir = SL_DATADIR "/rules";
    opt = &local;
    loader ld;
    memset(&ld, 0, sizeof ld);
    ld.opt = opt;
    ld.diag = diag;
    sl_strlist paths = {0};
    packset project = {0};
    packset *extra = NULL;
    sl_ruleset *rs = NULL;
    /* The threads of the parallel steps, started first: a new thread may
     * wait a millisecond for its core (util/pool.h), which the steps
     * before the first parallel one hide. */
    sl_status st = sl_pool_new(opt->jobs > 1 ? opt->jobs - 1 : 0, &ld.pool);
    if (st != SL_OK)
        goto cleanup;

    for (size_t i = 0; i < sizeof builtin_categories / sizeof builtin_categories[0]; i++)
        if ((st = sl_strlist_push(&ld.cats, builtin_categories[i])) != SL_OK)
            goto cleanup;
    if (opt->config_path && (st = sl_config_parse(opt->config_path, &ld.cfg, diag)) != SL_OK)
        goto cleanup;
    if ((st = project_paths(&ld, &paths)) != SL_OK ||
        (st = open_packs(&ld, &paths, &project)) != SL_OK)
        goto cleanup;
    if (ld.cfg.nprofiles && !(extra = calloc(ld.cfg.nprofiles, sizeof *extra))) {
        st = SL_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < ld.cfg.nprofiles; i++) {
        const sl_cfg_profile *cp = &ld.cfg.profiles[i];
        sl_strlist_clear(&paths);
        for (size_t j = 0; j < cp->o.npacks && st == SL_OK; j++)
            st = sl_pack_resolve(&ld.cfg, &cp->o.packs[j], opt->data_dir, &paths, diag);
        if (st != SL_OK || (st = open_packs(&ld, &paths, &extra[i])) != SL_OK)
            goto cleanup;
    }

    rs = calloc(1, sizeof *rs);
    if (!rs || !(rs->profiles = calloc(1 + ld.cfg.nprofiles, sizeof *rs->profiles))) {
        st = SL_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i <= ld.cfg.nprofiles; i++) {
        rs->nprofiles++;
        st = build_profile(&ld, &rs->profiles[i], &project, i ? &extra[i - 1] : NULL,
                           i ? &ld.cfg.profiles[i - 1] : NULL);
        if (st != SL_OK)
            goto cleanup;
    }
    if ((st = sl_ruleset_collect_warnings(rs)) != SL_OK || (st = make_jit_table(rs)) != SL_OK)
        goto cleanup;
    *out = rs;
    rs = NULL;
cleanup:
    if (st == SL_ENOMEM && diag && !diag->message[0])
        sl_diag_set(diag, SL_ENOMEM, opt->config_path, 0, 0, NULL, "out of memory loading rules");
    sl_ruleset_free(rs);
    for (size_t i = 0; extra && i < ld.cfg.nprofiles; i++)
        free(extra[i].idx);
    free(extra);
    free(project.idx);
    sl_strlist_clear(&paths);
    loader_clear(&ld);
    return st;
}

/* ------------------------------------------------------------ accessors */

static sl_status cond_each_pattern(const sl_rule *r, sl_cond *c, sl_pattern_fn fn, void *user)
{
    sl_status st = SL_OK;
    if (!c)
        return SL_OK;
    if (c->kind == SL_COND_MATCH)
        st = fn(user, r, &c->pat, SL_PATTERN_COND, c->scopes, c->nscopes);
    for (size_t i = 0; i < c->nkids && st == SL_OK; i++)
        st = cond_each_pattern(r, &c->kids[i], fn, user);
    return st;
}

sl_status sl_rule_each_pattern(sl_rule *r, sl_pattern_fn fn, void *user)
{
    sl_status st = SL_OK;
    for (size_t k = 0; k < r->npatterns && st == SL_OK; k++)
        st = fn(user, r, &r->patterns[k], SL_PATTERN_ITEM, r->scopes, r->nscopes);
    for (size_t k = 0; k < r->nexceptions && st == SL_OK; k++)
        st = fn(user, r, &r->exceptions[k], SL_PATTERN_EXCEPTION, r->scopes, r->nscopes);
    if (st == SL_OK)
        st = cond_each_pattern(r, r->when, fn, user);
    if (st == SL_OK)
        st = cond_each_pattern(r, r->unless, fn, user);
    return st;
}

const sl_profile *sl_ruleset_profile_for(const sl_ruleset *rs, const char *path)
{
    if (!rs || !rs->nprofiles)
        return NULL;
    for (size_t i = 1; path && i < rs->nprofiles; i++)
        for (size_t g = 0; g < rs->profiles[i].nglobs; g++)
            if (sl_glob_match(rs->profiles[i].globs[g], path))
                return &rs->profiles[i];
    return &rs->profiles[0];
}

size_t sl_ruleset_rule_count(const sl_ruleset *rs)
{
    return rs && rs->nprofiles ? rs->profiles[0].nrules : 0;
}

const sl_rule_info *sl_ruleset_rule(const sl_ruleset *rs, size_t i)
{
    if (!rs || !rs->nprofiles || i >= rs->profiles[0].nrules)
        return NULL;
    return &rs->profiles[0].rules[i].info;
}

/* ------------------------------------------------------------ explain */

static void put_quoted(FILE *out, const char *s)
{
    fputc('"', out);
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(out, "\\%c", *s);
        else if (*s == '\n')
            fputs("\\n", out);
        else
            fputc(*s, out);
    }
    fputc('"', out);
}

static void put_pattern(FILE *out, const sl_profile *p, const sl_pattern *pat)
{
    if (pat->rule_ref >= 0 || !pat->code) {
        fprintf(out, "rule %s", pat->rule_ref >= 0 ? p->rules[pat->rule_ref].id : pat->text);
        return;
    }
    fputs(pat->is_regex ? "regex " : "literal ", out);
    put_quoted(out, pat->text);
    fprintf(out, " (%s%s)", pat->ignore_case ? "ignore case" : "case-sensitive",
            pat->whole_word ? ", whole word" : "");
}

/* What the prefilter looks for before a listed pattern's regex runs. */
static void put_prefilter(FILE *out, const sl_pattern *pat)
{
    if (pat->rule_ref >= 0 || !pat->code)
        return;
    const sl_litsets *ls = &pat->lits;
    if (ls->nsets == 0) {
        fputs("\n        prefilter: no literal: slow, runs on every text in scope", out);
        return;
    }
    /* ("a" | "b") & "c": one of each set must be in the text. */
    fputs("\n        prefilter: ", out);
    for (size_t k = 0, i = 0; k < ls->nsets; k++) {
        size_t n = ls->set_end[k] - i;
        fputs(k ? " & " : "", out);
        fputs(n > 1 && ls->nsets > 1 ? "(" : "", out);
        for (size_t j = 0; i < ls->set_end[k]; i++, j++) {
            fputs(j ? " | " : "", out);
            put_quoted(out, ls->lits[i]);
        }
        fputs(n > 1 && ls->nsets > 1 ? ")" : "", out);
    }
}

/* The part of a regex run where only whether it matches counts (a detect
 * rule without exceptions, a require rule): rules/probe.h. */
static void put_probe(FILE *out, const sl_rule *r, const sl_pattern *pat)
{
    int exists = r->check == SL_CHECK_REQUIRE || (r->check == SL_CHECK_DETECT && !r->nexceptions);
    if (!pat->probe_text || !exists)
        return;
    fputs("\n        runs as: ", out);
    put_quoted(out, pat->probe_text);
    fputs(" (its leading optional part cannot change whether it matches)", out);
}

/* Why a listed pattern's regex can backtrack catastrophically. */
static void put_backtrack(FILE *out, const sl_pattern *pat)
{
    if (pat->backtrack)
        fprintf(out, "\n        warning: can backtrack catastrophically: %s", pat->backtrack);
}

static void put_scopes(FILE *out, const sl_scope *sc, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%s", i ? ", " : "", sc[i].name);
}

/* The prefilter of each match condition in c, in order: a condition runs
 * on every document, so one without a literal is as slow as such an item. */
static void put_cond_prefilters(FILE *out, const sl_cond *c)
{
    if (c->kind == SL_COND_MATCH)
        put_prefilter(out, &c->pat);
    for (size_t i = 0; i < c->nkids; i++)
        put_cond_prefilters(out, &c->kids[i]);
}

static void put_cond(FILE *out, const sl_profile *p, const sl_cond *c)
{
    switch (c->kind) {
    case SL_COND_RULE:
        fputs(c->rule >= 0 ? p->rules[c->rule].id : "?", out);
        break;
    case SL_COND_MATCH:
        fputs("match ", out);
        put_pattern(out, p, &c->pat);
        fputs(" in ", out);
        put_scopes(out, c->scopes, c->nscopes);
        break;
    case SL_COND_NOT:
        fputs("not (", out);
        put_cond(out, p, &c->kids[0]);
        fputc(')', out);
        break;
    case SL_COND_ALL:
    case SL_COND_ANY:
        fputs(c->kind == SL_COND_ALL ? "all of (" : "any of (", out);
        for (size_t i = 0; i < c->nkids; i++) {
            if (i)
                fputs(", ", out);
            put_cond(out, p, &c->kids[i]);
        }
        fputc(')', out);
        break;
    }
}

static void put_example(FILE *out, const sl_example *e)
{
    const char *sep = "";
    static const char *const names[] = {"title", "body", "html", "markdown"};
    const char *vals[] = {e->title, e->body, e->html, e->markdown};
    for (size_t i = 0; i < 4; i++) {
        if (!vals[i])
            continue;
        fprintf(out, "%s%s: ", sep, names[i]);
        put_quoted(out, vals[i]);
        sep = ", ";
    }
    for (size_t i = 0; i < e->nmeta; i++) {
        fprintf(out, "%smeta.%s: ", sep, e->meta_names[i]);
        put_quoted(out, e->meta_values[i]);
        sep = ", ";
    }
    fputc('\n', out);
}

sl_status sl_ruleset_explain(const sl_ruleset *rs, const char *id, FILE *out)
{
    if (!rs || !id || !out || !rs->nprofiles)
        return SL_EINVAL;
    const sl_profile *p = &rs->profiles[0];
    int idx = sl_profile_find(p, id);
    if (idx < 0)
        return SL_ENOTFOUND;
    const sl_rule *r = &p->rules[idx];
    fprintf(out, "%s\n", r->id);
    fprintf(out, "  category:    %s\n", r->category);
    fprintf(out, "  check:       %s\n", r->info.check);
    if (r->check != SL_CHECK_DETECT)
        fprintf(out, "  severity:    %s\n", sl_severity_name(r->severity));
    fprintf(out, "  enabled:     %s\n", r->enabled ? "yes" : "no");
    fprintf(out, "  defined at:  %s:%u\n", r->file, r->line);
    fprintf(out, "  description: %s\n", r->description);
    if (r->message)
        fprintf(out, "  message:     %s\n", r->message);
    fputs("  scope:       ", out);
    put_scopes(out, r->scopes, r->nscopes);
    fputc('\n', out);
    fprintf(out, "  %s:\n", r->info.check);
    for (size_t i = 0; i < r->npatterns; i++) {
        fputs("    - ", out);
        put_pattern(out, p, &r->patterns[i]);
        put_prefilter(out, &r->patterns[i]);
        put_probe(out, r, &r->patterns[i]);
        put_backtrack(out, &r->patterns[i]);
        fputc('\n', out);
    }
    if (r->nexceptions) {
        fputs("  exceptions:\n", out);
        for (size_t i = 0; i < r->nexceptions; i++) {
            fputs("    - ", out);
            put_pattern(out, p, &r->exceptions[i]);
            put_prefilter(out, &r->exceptions[i]);
            put_backtrack(out, &r->exceptions[i]);
            fputc('\n', out);
        }
    }
    if (r->when) {
        fputs("  when:        ", out);
        put_cond(out, p, r->when);
        put_cond_prefilters(out, r->when);
        fputc('\n', out);
    }
    if (r->unless) {
        fputs("  unless:      ", out);
        put_cond(out, p, r->unless);
        put_cond_prefilters(out, r->unless);
        fputc('\n', out);
    }
    for (int pass = 0; pass < 2; pass++) {
        const sl_example *ex = pass ? r->pass_examples : r->fail_examples;
        size_t n = pass ? r->npass : r->nfail;
        if (!n)
            continue;
        fprintf(out, "  %s examples:\n", pass ? "pass" : "fail");
        for (size_t i = 0; i < n; i++) {
            fprintf(out, "    %zu. ", i + 1);
            put_example(out, &ex[i]);
        }
    }
    return ferror(out) ? SL_EIO : SL_OK;
}
