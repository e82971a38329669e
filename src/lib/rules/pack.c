/*
 * One rule pack: its header (name, params, declared categories) and its
 * rules.
 *
 * The header is read once per file (sl_pack_open). The rules are read once
 * per profile (sl_pack_rules), straight from the kept YAML document, because
 * each profile compiles them with its own parameters; the validation is the
 * same every time, so an error is always found while building profile 0,
 * unless it sits in a pack that only a profile loads.
 *
 * Checks follow the order a reader would fix them in: the shape of the rule
 * mapping and its keys first, then the id (so that later messages can name
 * the rule), then each value. The first problem wins; every message names
 * file, line and column of the offending node.
 */
#include <stdlib.h>
#include <string.h>

#include "rules/literals.h"
#include "rules/loader.h"
#include "util/buf.h"
#include "util/diag.h"

static const char *const builtin_categories[] = {"placeholder", "paywall", "attribution",
                                                 "disclaimer"};

static const char *const pack_keys[] = {"pack",   "description", "categories",
                                        "params", "rules",       NULL};
static const char *const rule_keys[] = {
    "id",          "category",   "severity", "message",    "description", "scope",
    "forbid",      "require",    "detect",   "exceptions", "when",        "unless",
    "ignore_case", "whole_word", "enabled",  "examples",   NULL};
static const char *const pattern_keys[] = {"literal",     "regex",      "rule",
                                           "ignore_case", "whole_word", NULL};
static const char *const cond_keys[] = {"rule", "match", "scope", "any", "all", "not", NULL};
static const char *const examples_keys[] = {"fail", "pass", NULL};
static const char *const example_keys[] = {"title", "body", "html", "markdown", "meta", NULL};
static const char *const scope_names[] = {"title", "body", "lead",   "tail",  "code",
                                          "raw",   "page", "chrome", "meta.*"};

#define MAX_COND_DEPTH 32

/* ------------------------------------------------------------ names */

static int word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int segment_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

int sl_rule_id_valid(const char *id)
{
    size_t segs = 0;
    const char *p = id;
    for (;;) {
        if (!segment_start(*p))
            return 0;
        while (word_char(*p))
            p++;
        segs++;
        if (*p == '\0')
            break;
        if (*p != '.')
            return 0;
        p++;
    }
    return segs >= 2;
}

int sl_category_name_valid(const char *name)
{
    if (!segment_start(*name))
        return 0;
    for (const char *p = name; *p; p++)
        if (!word_char(*p))
            return 0;
    return 1;
}

/* ------------------------------------------------------------ freeing */

void sl_scope_clear(sl_scope *s)
{
    free(s->meta);
    free(s->name);
    s->meta = s->name = NULL;
}

void sl_pattern_clear(sl_pattern *p)
{
    free(p->text);
    pcre2_code_free(p->code);
    pcre2_code_free(p->probe);
    free(p->probe_text);
    sl_litsets_clear(&p->lits);
    free(p->backtrack);
    free(p->pending);
    p->pending = NULL;
    p->text = NULL;
    p->code = NULL;
    p->probe = NULL;
    p->probe_text = NULL;
    p->backtrack = NULL;
}

void sl_cond_clear(sl_cond *c)
{
    sl_pattern_clear(&c->pat);
    for (size_t i = 0; i < c->nscopes; i++)
        sl_scope_clear(&c->scopes[i]);
    free(c->scopes);
    for (size_t i = 0; i < c->nkids; i++)
        sl_cond_clear(&c->kids[i]);
    free(c->kids);
    c->scopes = NULL;
    c->kids = NULL;
    c->nscopes = c->nkids = 0;
}

static void example_clear(sl_example *e)
{
    free(e->title);
    free(e->body);
    free(e->html);
    free(e->markdown);
    for (size_t i = 0; i < e->nmeta; i++) {
        free(e->meta_names[i]);
        free(e->meta_values[i]);
    }
    free(e->meta_names);
    free(e->meta_values);
}

void sl_rule_clear(sl_rule *r)
{
    free(r->id);
    free(r->category);
    free(r->message);
    free(r->description);
    free(r->file);
    for (size_t i = 0; i < r->nscopes; i++)
        sl_scope_clear(&r->scopes[i]);
    free(r->scopes);
    for (size_t i = 0; i < r->npatterns; i++)
        sl_pattern_clear(&r->patterns[i]);
    free(r->patterns);
    for (size_t i = 0; i < r->nexceptions; i++)
        sl_pattern_clear(&r->exceptions[i]);
    free(r->exceptions);
    if (r->when)
        sl_cond_clear(r->when);
    free(r->when);
    if (r->unless)
        sl_cond_clear(r->unless);
    free(r->unless);
    for (size_t i = 0; i < r->nfail; i++)
        example_clear(&r->fail_examples[i]);
    free(r->fail_examples);
    for (size_t i = 0; i < r->npass; i++)
        example_clear(&r->pass_examples[i]);
    free(r->pass_examples);
    memset(r, 0, sizeof *r);
}

void sl_pack_clear(sl_pack *pk)
{
    if (pk->has_doc)
        yaml_document_delete(&pk->doc);
    sl_params_clear(&pk->params);
    for (size_t i = 0; i < pk->ncategories; i++)
        free(pk->categories[i]);
    free(pk->categories);
    free(pk->path);
    memset(pk, 0, sizeof *pk);
}

void sl_build_clear(sl_build *b)
{
    for (size_t i = 0; i < b->nrefs; i++)
        free(b->refs[i].name);
    free(b->refs);
    b->refs = NULL;
    b->nrefs = b->refcap = 0;
}

/* ------------------------------------------------------------ pack header */

sl_status sl_pack_open(const char *path, sl_pack *pk, sl_diag *diag)
{
    memset(pk, 0, sizeof *pk);
    pk->path = sl_strdup(path);
    if (!pk->path)
        return SL_ENOMEM;
    sl_status st = sl_yaml_load(path, &pk->doc, diag);
    if (st != SL_OK)
        return st;
    pk->has_doc = 1;
    yaml_document_t *d = &pk->doc;
    yaml_node_t *root = yaml_document_get_root_node(d);
    if (!root)
        return sl_diag_set(diag, SL_ERULE, path, 0, 0, NULL,
                           "empty pack: expected a mapping with 'pack' and 'rules'");
    if ((st = sl_ycheck_map(d, root, pack_keys, "a pack", path, NULL, diag)) != SL_OK)
        return st;
    if ((st = sl_yget_string(d, root, "pack", 1, path, NULL, &pk->name, NULL, diag)) != SL_OK)
        return st;
    const char *desc;
    if ((st = sl_yget_string(d, root, "description", 0, path, NULL, &desc, NULL, diag)) != SL_OK)
        return st;
    yaml_node_t *cats = sl_yget(d, root, "categories", NULL);
    if (cats) {
        if (cats->type != YAML_SEQUENCE_NODE)
            return sl_yerr(diag, path, cats, NULL, "'categories' must be a list, not %s",
                           sl_ytype(cats));
        size_t n = (size_t)(cats->data.sequence.items.top - cats->data.sequence.items.start);
        pk->categories = calloc(n ? n : 1, sizeof *pk->categories);
        if (!pk->categories)
            return SL_ENOMEM;
        for (size_t i = 0; i < n; i++) {
            yaml_node_t *c = sl_ynode(d, cats->data.sequence.items.start[i]);
            if (!sl_yis_string(c))
                return sl_yerr(diag, path, c, NULL, "a category must be a string, not %s",
                               sl_ytype(c));
            if (!sl_category_name_valid(sl_ystr(c)))
                return sl_yerr(diag, path, c, NULL,
                               "invalid category name '%s': expected a lower-case word",
                               sl_ystr(c));
            if (!(pk->categories[pk->ncategories++] = sl_strdup(sl_ystr(c))))
                return SL_ENOMEM;
        }
    }
    yaml_node_t *params = sl_yget(d, root, "params", NULL);
    if (params && (st = sl_params_parse(d, params, path, &pk->params, diag)) != SL_OK)
        return st;
    pk->rules = sl_yget(d, root, "rules", NULL);
    if (!pk->rules)
        return sl_yerr(diag, path, root, NULL, "missing required key 'rules'");
    if (pk->rules->type != YAML_SEQUENCE_NODE)
        return sl_yerr(diag, path, pk->rules, NULL, "'rules' must be a list, not %s",
                       sl_ytype(pk->rules));
    return SL_OK;
}

/* ------------------------------------------------------------ rule parsing */

typedef struct rctx {
    sl_pack *pk;
    yaml_document_t *d;
    const char *file;
    const char *id; /* NULL until known */
    sl_build *b;
    size_t ridx;
    sl_param_chain chain;
    int ignore_case, whole_word;
    sl_diag *diag;
} rctx;

static sl_status push_ref(rctx *c, int *slot, const char *name, const char *what,
                          const yaml_node_t *at)
{
    sl_build *b = c->b;
    if (b->nrefs == b->refcap) {
        size_t cap = b->refcap ? b->refcap * 2 : 16;
        sl_ref *r = realloc(b->refs, cap * sizeof *r);
        if (!r)
            return SL_ENOMEM;
        b->refs = r;
        b->refcap = cap;
    }
    sl_ref *r = &b->refs[b->nrefs];
    r->name = sl_strdup(name);
    if (!r->name)
        return SL_ENOMEM;
    r->slot = slot;
    r->rule = c->ridx;
    r->what = what;
    r->line = sl_yline(at);
    r->col = sl_ycol(at);
    *slot = -1;
    b->nrefs++;
    return SL_OK;
}

static sl_status get_bool(rctx *c, yaml_node_t *map, const char *key, int *out)
{
    yaml_node_t *v = sl_yget(c->d, map, key, NULL);
    if (!v)
        return SL_OK;
    if (!sl_yis_bool(v, out))
        return sl_yerr(c->diag, c->file, v, c->id, "'%s' must be true or false, not %s", key,
                       sl_ytype(v));
    return SL_OK;
}

static size_t seq_len(const yaml_node_t *n)
{
    return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

/* Parses one scope string. */
static sl_status parse_scope(rctx *c, yaml_node_t *n, sl_scope *out)
{
    if (!sl_yis_string(n))
        return sl_yerr(c->diag, c->file, n, c->id, "a scope must be a string, not %s", sl_ytype(n));
    const char *s = sl_ystr(n);
    static const struct {
        const char *name;
        sl_scope_kind kind;
        unsigned words;
    } simple[] = {{"title", SL_SCOPE_TITLE, 0}, {"body", SL_SCOPE_BODY, 0},
                  {"lead", SL_SCOPE_LEAD, 60},  {"tail", SL_SCOPE_TAIL, 80},
                  {"code", SL_SCOPE_CODE, 0},   {"raw", SL_SCOPE_RAW, 0},
                  {"page", SL_SCOPE_PAGE, 0},   {"chrome", SL_SCOPE_CHROME, 0}};
    for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++) {
        size_t l = strlen(simple[i].name);
        if (strncmp(s, simple[i].name, l) != 0)
            continue;
        if (s[l] == '\0') {
            out->kind = simple[i].kind;
            out->words = simple[i].words;
            out->name = sl_strdup(s);
            return out->name ? SL_OK : SL_ENOMEM;
        }
        if (s[l] == ':' && simple[i].words) {
            /* lead:N / tail:N with 1 <= N <= 100000 */
            const char *p = s + l + 1;
            unsigned long w = 0;
            int ok = *p != '\0';
            for (; *p && ok; p++) {
                ok = *p >= '0' && *p <= '9';
                w = w * 10 + (unsigned long)(*p - '0');
                if (w > 100000)
                    ok = 0;
            }
            if (!ok || w == 0)
                return sl_yerr(c->diag, c->file, n, c->id,
                               "invalid scope '%s': the word count must be a number from 1 "
                               "to 100000",
                               s);
            out->kind = simple[i].kind;
            out->words = (unsigned)w;
            out->name = sl_strdup(s);
            return out->name ? SL_OK : SL_ENOMEM;
        }
    }
    if (strncmp(s, "meta.", 5) == 0 && s[5]) {
        out->kind = SL_SCOPE_META;
        out->name = sl_strdup(s);
        if (!out->name)
            return SL_ENOMEM;
        for (char *p = out->name; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        out->meta = sl_strdup(out->name + 5);
        return out->meta ? SL_OK : SL_ENOMEM;
    }
    char sug[160];
    return sl_yerr(c->diag, c->file, n, c->id, "unknown scope '%s'%s", s,
                   sl_suggest_text(sug, sizeof sug, s, scope_names,
                                   sizeof scope_names / sizeof scope_names[0]));
}

/* A scope or a list of scopes; absent means body. */
static sl_status parse_scopes(rctx *c, yaml_node_t *v, sl_scope **out, size_t *nout)
{
    size_t n = !v ? 1 : v->type == YAML_SEQUENCE_NODE ? seq_len(v) : 1;
    if (v && v->type == YAML_MAPPING_NODE)
        return sl_yerr(c->diag, c->file, v, c->id,
                       "'scope' must be a string or a list of strings, not %s", sl_ytype(v));
    if (n == 0)
        return sl_yerr(c->diag, c->file, v, c->id, "'scope' must not be an empty list");
    sl_scope *sc = calloc(n, sizeof *sc);
    if (!sc)
        return SL_ENOMEM;
    *out = sc;
    *nout = n;
    if (!v) {
        sc[0].kind = SL_SCOPE_BODY;
        sc[0].name = sl_strdup("body");
        return sc[0].name ? SL_OK : SL_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *it =
            v->type == YAML_SEQUENCE_NODE ? sl_ynode(c->d, v->data.sequence.items.start[i]) : v;
        sl_status st = parse_scope(c, it, &sc[i]);
        if (st != SL_OK)
            return st;
    }
    return SL_OK;
}

/* One pattern: a literal string or a mapping. `key` names the list it is
 * in, for messages; only require/detect lists may hold {rule: ID}. */
static sl_status parse_pattern(rctx *c, yaml_node_t *n, const char *key, int allow_ref,
                               sl_pattern *p)
{
    sl_status st;
    p->rule_ref = -1;
    p->line = sl_yline(n);
    p->col = sl_ycol(n);
    p->ignore_case = c->ignore_case;
    p->whole_word = c->whole_word;
    yaml_node_t *text = NULL;
    if (n->type == YAML_SCALAR_NODE) {
        if (!sl_yis_text(n))
            return sl_yerr(c->diag, c->file, n, c->id,
                           "a pattern in '%s' must be a string or a mapping, not %s", key,
                           sl_ytype(n));
        text = n;
    } else if (n->type == YAML_MAPPING_NODE) {
        if ((st = sl_ycheck_map(c->d, n, pattern_keys, "a pattern", c->file, c->id, c->diag)) !=
            SL_OK)
            return st;
        yaml_node_t *lit = sl_yget(c->d, n, "literal", NULL);
        yaml_node_t *rx = sl_yget(c->d, n, "regex", NULL);
        yaml_node_t *ref = sl_yget(c->d, n, "rule", NULL);
        if (!!lit + !!rx + !!ref != 1)
            return sl_yerr(c->diag, c->file, n, c->id,
                           "a pattern needs exactly one of 'literal', 'regex'%s",
                           allow_ref ? " and 'rule'" : "");
        if (ref) {
            if (!allow_ref)
                return sl_yerr(c->diag, c->file, n, c->id,
                               "{rule: ID} is only allowed in 'require' and 'detect', not in "
                               "'%s'",
                               key);
            if (!sl_yis_string(ref))
                return sl_yerr(c->diag, c->file, ref, c->id, "'rule' must be a string, not %s",
                               sl_ytype(ref));
            p->text = sl_strdup(sl_ystr(ref));
            if (!p->text)
                return SL_ENOMEM;
            return push_ref(c, &p->rule_ref, sl_ystr(ref), "rule", ref);
        }
        text = lit ? lit : rx;
        p->is_regex = rx != NULL;
        if (!sl_yis_text(text))
            return sl_yerr(c->diag, c->file, text, c->id, "'%s' must be a string, not %s",
                           lit ? "literal" : "regex", sl_ytype(text));
        if ((st = get_bool(c, n, "ignore_case", &p->ignore_case)) != SL_OK ||
            (st = get_bool(c, n, "whole_word", &p->whole_word)) != SL_OK)
            return st;
    } else {
        return sl_yerr(c->diag, c->file, n, c->id,
                       "a pattern in '%s' must be a string or a mapping, not %s", key, sl_ytype(n));
    }
    p->text = sl_strdup(sl_ystr(text));
    if (!p->text)
        return SL_ENOMEM;
    /* Report compile errors at the text itself. */
    p->line = sl_yline(text);
    p->col = sl_ycol(text);
    return sl_pattern_prepare(p, &c->chain, c->file, c->id, c->diag);
}

/* A pattern or a list of them. */
static sl_status parse_patterns(rctx *c, yaml_node_t *v, const char *key, int allow_ref,
                                sl_pattern **out, size_t *nout)
{
    size_t n = v->type == YAML_SEQUENCE_NODE ? seq_len(v) : 1;
    if (n == 0)
        return sl_yerr(c->diag, c->file, v, c->id, "'%s' must not be an empty list", key);
    sl_pattern *ps = calloc(n, sizeof *ps);
    if (!ps)
        return SL_ENOMEM;
    for (size_t i = 0; i < n; i++)
        ps[i].rule_ref = -1;
    *out = ps;
    *nout = n;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *it =
            v->type == YAML_SEQUENCE_NODE ? sl_ynode(c->d, v->data.sequence.items.start[i]) : v;
        sl_status st = parse_pattern(c, it, key, allow_ref, &ps[i]);
        if (st != SL_OK)
            return st;
    }
    return SL_OK;
}

static sl_status parse_cond(rctx *c, yaml_node_t *n, const char *what, int depth, sl_cond *out);

static sl_status parse_cond_list(rctx *c, yaml_node_t *list, const char *what, int depth,
                                 sl_cond *out)
{
    size_t n = seq_len(list);
    if (n == 0)
        return sl_yerr(c->diag, c->file, list, c->id, "a condition list must not be empty");
    out->kids = calloc(n, sizeof *out->kids);
    if (!out->kids)
        return SL_ENOMEM;
    out->nkids = n;
    for (size_t i = 0; i < n; i++) {
        out->kids[i].pat.rule_ref = -1;
        sl_status st = parse_cond(c, sl_ynode(c->d, list->data.sequence.items.start[i]), what,
                                  depth + 1, &out->kids[i]);
        if (st != SL_OK)
            return st;
    }
    return SL_OK;
}

static sl_status parse_cond(rctx *c, yaml_node_t *n, const char *what, int depth, sl_cond *out)
{
    sl_status st;
    out->pat.rule_ref = -1;
    /* Aliases can make a condition contain itself; stop well before the
     * stack would. */
    if (depth > MAX_COND_DEPTH)
        return sl_yerr(c->diag, c->file, n, c->id, "condition nested too deeply");
    if (n->type == YAML_SCALAR_NODE) {
        if (!sl_yis_string(n))
            return sl_yerr(c->diag, c->file, n, c->id,
                           "'%s' must be a rule id, a list or a mapping, not %s", what,
                           sl_ytype(n));
        out->kind = SL_COND_RULE;
        return push_ref(c, &out->rule, sl_ystr(n), what, n);
    }
    if (n->type == YAML_SEQUENCE_NODE) {
        out->kind = SL_COND_ALL;
        return parse_cond_list(c, n, what, depth, out);
    }
    if ((st = sl_ycheck_map(c->d, n, cond_keys, "a condition", c->file, c->id, c->diag)) != SL_OK)
        return st;
    static const char *const forms[] = {"rule", "match", "any", "all", "not"};
    const char *found = NULL;
    yaml_node_t *v = NULL, *k = NULL;
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        yaml_node_t *kn;
        yaml_node_t *fv = sl_yget(c->d, n, forms[i], &kn);
        if (!fv)
            continue;
        if (found)
            return sl_yerr(c->diag, c->file, kn, c->id,
                           "a condition takes only one of 'rule', 'match', 'any', 'all' and "
                           "'not' (found '%s' and '%s')",
                           found, forms[i]);
        found = forms[i];
        v = fv;
        k = kn;
    }
    if (!found)
        return sl_yerr(c->diag, c->file, n, c->id,
                       "a condition needs one of 'rule', 'match', 'any', 'all' and 'not'");
    yaml_node_t *scope_key;
    yaml_node_t *scope = sl_yget(c->d, n, "scope", &scope_key);
    if (scope && strcmp(found, "match") != 0)
        return sl_yerr(c->diag, c->file, scope_key, c->id, "'scope' is only allowed with 'match'");
    (void)k;
    if (strcmp(found, "rule") == 0) {
        if (!sl_yis_string(v))
            return sl_yerr(c->diag, c->file, v, c->id, "'rule' must be a string, not %s",
                           sl_ytype(v));
        out->kind = SL_COND_RULE;
        return push_ref(c, &out->rule, sl_ystr(v), what, v);
    }
    if (strcmp(found, "match") == 0) {
        out->kind = SL_COND_MATCH;
        if ((st = parse_pattern(c, v, "match", 0, &out->pat)) != SL_OK)
            return st;
        return parse_scopes(c, scope, &out->scopes, &out->nscopes);
    }
    if (strcmp(found, "not") == 0) {
        out->kind = SL_COND_NOT;
        out->kids = calloc(1, sizeof *out->kids);
        if (!out->kids)
            return SL_ENOMEM;
        out->nkids = 1;
        return parse_cond(c, v, what, depth + 1, &out->kids[0]);
    }
    out->kind = strcmp(found, "any") == 0 ? SL_COND_ANY : SL_COND_ALL;
    if (v->type != YAML_SEQUENCE_NODE)
        return sl_yerr(c->diag, c->file, v, c->id, "'%s' must be a list, not %s", found,
                       sl_ytype(v));
    return parse_cond_list(c, v, what, depth, out);
}

static sl_status dup_text(rctx *c, yaml_node_t *v, const char *key, char **out)
{
    if (!sl_yis_text(v))
        return sl_yerr(c->diag, c->file, v, c->id, "'%s' must be a string, not %s", key,
                       sl_ytype(v));
    *out = sl_strdup(sl_ystr(v));
    return *out ? SL_OK : SL_ENOMEM;
}

static sl_status parse_example(rctx *c, yaml_node_t *n, sl_example *ex)
{
    sl_status st;
    ex->line = sl_yline(n);
    if (n->type == YAML_SCALAR_NODE)
        return dup_text(c, n, "example", &ex->body);
    if (n->type != YAML_MAPPING_NODE)
        return sl_yerr(c->diag, c->file, n, c->id,
                       "an example must be a string or a mapping, not %s", sl_ytype(n));
    if ((st = sl_ycheck_map(c->d, n, example_keys, "an example", c->file, c->id, c->diag)) != SL_OK)
        return st;
    static const char *const fields[] = {"title", "body", "html", "markdown"};
    char **slots[] = {&ex->title, &ex->body, &ex->html, &ex->markdown};
    for (size_t i = 0; i < 4; i++) {
        yaml_node_t *v = sl_yget(c->d, n, fields[i], NULL);
        if (v && (st = dup_text(c, v, fields[i], slots[i])) != SL_OK)
            return st;
    }
    if (ex->html && ex->markdown)
        return sl_yerr(c->diag, c->file, n, c->id,
                       "an example takes 'html' or 'markdown', not both");
    yaml_node_t *meta = sl_yget(c->d, n, "meta", NULL);
    if (!meta)
        return SL_OK;
    if (meta->type != YAML_MAPPING_NODE)
        return sl_yerr(c->diag, c->file, meta, c->id, "'meta' must be a mapping, not %s",
                       sl_ytype(meta));
    size_t m = (size_t)(meta->data.mapping.pairs.top - meta->data.mapping.pairs.start);
    ex->meta_names = calloc(m ? m : 1, sizeof *ex->meta_names);
    ex->meta_values = calloc(m ? m : 1, sizeof *ex->meta_values);
    if (!ex->meta_names || !ex->meta_values)
        return SL_ENOMEM;
    for (size_t i = 0; i < m; i++) {
        yaml_node_pair_t *p = &meta->data.mapping.pairs.start[i];
        yaml_node_t *k = sl_ynode(c->d, p->key), *v = sl_ynode(c->d, p->value);
        if (!sl_yis_string(k))
            return sl_yerr(c->diag, c->file, k, c->id, "a meta name must be a string, not %s",
                           sl_ytype(k));
        ex->nmeta++;
        if ((st = dup_text(c, v, sl_ystr(k), &ex->meta_values[i])) != SL_OK)
            return st;
        if (!(ex->meta_names[i] = sl_strdup(sl_ystr(k))))
            return SL_ENOMEM;
        for (char *q = ex->meta_names[i]; *q; q++)
            if (*q >= 'A' && *q <= 'Z')
                *q = (char)(*q - 'A' + 'a');
    }
    return SL_OK;
}

static sl_status parse_examples(rctx *c, yaml_node_t *v, sl_rule *r)
{
    sl_status st;
    if ((st = sl_ycheck_map(c->d, v, examples_keys, "'examples'", c->file, c->id, c->diag)) !=
        SL_OK)
        return st;
    for (int pass = 0; pass < 2; pass++) {
        const char *key = pass ? "pass" : "fail";
        yaml_node_t *list = sl_yget(c->d, v, key, NULL);
        if (!list)
            continue;
        if (list->type != YAML_SEQUENCE_NODE)
            return sl_yerr(c->diag, c->file, list, c->id, "'%s' must be a list, not %s", key,
                           sl_ytype(list));
        size_t n = seq_len(list);
        sl_example *exs = calloc(n ? n : 1, sizeof *exs);
        if (!exs)
            return SL_ENOMEM;
        if (pass) {
            r->pass_examples = exs;
            r->npass = n;
        } else {
            r->fail_examples = exs;
            r->nfail = n;
        }
        for (size_t i = 0; i < n; i++)
            if ((st = parse_example(c, sl_ynode(c->d, list->data.sequence.items.start[i]),
                                    &exs[i])) != SL_OK)
                return st;
    }
    return SL_OK;
}

static int category_known(const sl_build *b, const char *cat)
{
    for (size_t i = 0; i < sizeof builtin_categories / sizeof builtin_categories[0]; i++)
        if (strcmp(cat, builtin_categories[i]) == 0)
            return 1;
    for (size_t i = 0; i < b->ncategories; i++)
        if (strcmp(cat, b->categories[i]) == 0)
            return 1;
    return 0;
}

static sl_status check_category(rctx *c, yaml_node_t *v, const char *cat)
{
    if (category_known(c->b, cat))
        return SL_OK;
    /* Suggest among the built-in and declared categories together. */
    size_t nb = sizeof builtin_categories / sizeof builtin_categories[0];
    const char **all = malloc((nb + c->b->ncategories) * sizeof *all);
    if (!all)
        return SL_ENOMEM;
    for (size_t i = 0; i < nb; i++)
        all[i] = builtin_categories[i];
    for (size_t i = 0; i < c->b->ncategories; i++)
        all[nb + i] = c->b->categories[i];
    char sug[160];
    sl_suggest_text(sug, sizeof sug, cat, all, nb + c->b->ncategories);
    free(all);
    return sl_yerr(c->diag, c->file, v, c->id,
                   "unknown category '%s'%s: not built in and not declared by any pack", cat, sug);
}

/* Fills r (already zeroed and placed in the profile) from its mapping. */
static sl_status parse_rule(rctx *c, yaml_node_t *n, sl_rule *r)
{
    sl_status st;
    yaml_document_t *d = c->d;
    r->line = sl_yline(n);
    r->col = sl_ycol(n);
    if (!(r->file = sl_strdup(c->file)))
        return SL_ENOMEM;
    if (n->type != YAML_MAPPING_NODE)
        return sl_yerr(c->diag, c->file, n, NULL, "a rule must be a mapping, not %s", sl_ytype(n));
    /* The id first, so that every later message can name the rule. */
    const char *id;
    yaml_node_t *idnode;
    if ((st = sl_yget_string(d, n, "id", 0, c->file, NULL, &id, &idnode, c->diag)) != SL_OK)
        return st;
    c->id = id;
    if ((st = sl_ycheck_map(d, n, rule_keys, "a rule", c->file, c->id, c->diag)) != SL_OK)
        return st;
    if (!id)
        return sl_yerr(c->diag, c->file, n, NULL, "missing required key 'id'");
    if (!sl_rule_id_valid(id))
        return sl_yerr(c->diag, c->file, idnode, id,
                       "invalid id: expected dotted lower-case words such as "
                       "'paywall.meter-message'");
    for (size_t i = 0; i < c->ridx; i++) {
        const sl_rule *o = &c->b->p->rules[i];
        if (strcmp(o->id, id) == 0)
            return sl_yerr(c->diag, c->file, n, id, "duplicate id, first defined at %s:%u:%u",
                           o->file, o->line, o->col);
    }
    if (!(r->id = sl_strdup(id)))
        return SL_ENOMEM;

    /* Which check: exactly one of forbid / require / detect. */
    static const char *const checks[] = {"forbid", "require", "detect"};
    yaml_node_t *body = NULL;
    int which = -1;
    for (int i = 0; i < 3; i++) {
        yaml_node_t *kn;
        yaml_node_t *v = sl_yget(d, n, checks[i], &kn);
        if (!v)
            continue;
        if (which >= 0)
            return sl_yerr(c->diag, c->file, kn, id,
                           "only one of 'forbid', 'require' and 'detect' may be given (found "
                           "'%s' and '%s')",
                           checks[which], checks[i]);
        which = i;
        body = v;
    }
    if (which < 0)
        return sl_yerr(c->diag, c->file, n, id, "missing 'forbid', 'require' or 'detect'");
    r->check = which == 0 ? SL_CHECK_FORBID : which == 1 ? SL_CHECK_REQUIRE : SL_CHECK_DETECT;

    const char *cat, *sev, *msg, *desc;
    yaml_node_t *catnode, *sevnode;
    int needs = r->check != SL_CHECK_DETECT;
    if ((st = sl_yget_string(d, n, "category", 1, c->file, id, &cat, &catnode, c->diag)) != SL_OK ||
        (st = sl_yget_string(d, n, "severity", needs, c->file, id, &sev, &sevnode, c->diag)) !=
            SL_OK ||
        (st = sl_yget_string(d, n, "message", needs, c->file, id, &msg, NULL, c->diag)) != SL_OK ||
        (st = sl_yget_string(d, n, "description", 1, c->file, id, &desc, NULL, c->diag)) != SL_OK)
        return st;
    if ((st = check_category(c, catnode, cat)) != SL_OK)
        return st;
    r->severity = SL_SEV_INFO;
    if (sev && !sl_severity_parse(sev, &r->severity)) {
        static const char *const sevs[] = {"error", "warning", "info"};
        char sug[160];
        return sl_yerr(c->diag, c->file, sevnode, id,
                       "unknown severity '%s'%s: expected error, warning or info", sev,
                       sl_suggest_text(sug, sizeof sug, sev, sevs, 3));
    }
    if (r->check == SL_CHECK_DETECT)
        r->severity = SL_SEV_INFO; /* a detect rule never reports */
    if (!(r->category = sl_strdup(cat)) || !(r->description = sl_strdup(desc)) ||
        (msg && !(r->message = sl_strdup(msg))))
        return SL_ENOMEM;

    c->ignore_case = 1;
    c->whole_word = 0;
    r->enabled = 1;
    if ((st = get_bool(c, n, "ignore_case", &c->ignore_case)) != SL_OK ||
        (st = get_bool(c, n, "whole_word", &c->whole_word)) != SL_OK ||
        (st = get_bool(c, n, "enabled", &r->enabled)) != SL_OK)
        return st;
    if ((st = parse_scopes(c, sl_yget(d, n, "scope", NULL), &r->scopes, &r->nscopes)) != SL_OK)
        return st;
    if ((st = parse_patterns(c, body, checks[which], r->check != SL_CHECK_FORBID, &r->patterns,
                             &r->npatterns)) != SL_OK)
        return st;
    yaml_node_t *exc = sl_yget(d, n, "exceptions", NULL);
    if (exc &&
        (st = parse_patterns(c, exc, "exceptions", 0, &r->exceptions, &r->nexceptions)) != SL_OK)
        return st;
    static const char *const conds[] = {"when", "unless"};
    for (int i = 0; i < 2; i++) {
        yaml_node_t *v = sl_yget(d, n, conds[i], NULL);
        if (!v)
            continue;
        sl_cond *cd = calloc(1, sizeof *cd);
        if (!cd)
            return SL_ENOMEM;
        if (i == 0)
            r->when = cd;
        else
            r->unless = cd;
        if ((st = parse_cond(c, v, conds[i], 0, cd)) != SL_OK)
            return st;
    }
    yaml_node_t *ex = sl_yget(d, n, "examples", NULL);
    if (ex && (st = parse_examples(c, ex, r)) != SL_OK)
        return st;
    return SL_OK;
}

sl_status sl_pack_rules(sl_pack *pk, sl_build *b, sl_diag *diag)
{
    size_t n = seq_len(pk->rules);
    sl_profile *p = b->p;
    if (p->nrules + n > b->cap) {
        size_t cap = b->cap ? b->cap : 16;
        while (cap < p->nrules + n)
            cap *= 2;
        sl_rule *rules = realloc(p->rules, cap * sizeof *rules);
        if (!rules)
            return SL_ENOMEM;
        p->rules = rules;
        b->cap = cap;
    }
    rctx c;
    memset(&c, 0, sizeof c);
    c.pk = pk;
    c.d = &pk->doc;
    c.file = pk->path;
    c.b = b;
    c.diag = diag;
    c.chain = b->params;
    if (c.chain.n < sizeof c.chain.layers / sizeof c.chain.layers[0])
        c.chain.layers[c.chain.n++] = &pk->params;
    for (size_t i = 0; i < n; i++) {
        c.id = NULL;
        c.ridx = p->nrules;
        sl_rule *r = &p->rules[p->nrules];
        memset(r, 0, sizeof *r);
        /* Counted before parsing so that a half-built rule is freed with
         * the profile. */
        p->nrules++;
        sl_status st = parse_rule(&c, sl_ynode(c.d, pk->rules->data.sequence.items.start[i]), r);
        if (st != SL_OK)
            return st;
    }
    return SL_OK;
}
