/*
 * YAML access for the rule loader.
 *
 * libyaml's document API is used rather than its event stream because rule
 * authors share pattern lists through anchors (&x ... *x): the loader turns
 * an alias into a reference to the anchored node, so the rest of the loader
 * never sees aliases at all. libyaml does not resolve scalar types, so the
 * YAML core schema is applied here to plain scalars: `severity: 3` is an
 * integer and `ignore_case: "yes"` a string, and both are type errors rather
 * than being silently accepted. Marks are zero-based; everything reported is
 * one-based.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/loader.h"
#include "util/buf.h"
#include "util/diag.h"

sl_status sl_yaml_load(const char *path, yaml_document_t *doc, sl_diag *diag)
{
    sl_status st = SL_OK;
    yaml_parser_t parser;
    int parser_ok = 0, doc_ok = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return sl_diag_set(diag, SL_ERULE, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
    if (!yaml_parser_initialize(&parser)) {
        st = SL_ENOMEM;
        goto cleanup;
    }
    parser_ok = 1;
    yaml_parser_set_input_file(&parser, f);
    if (!yaml_parser_load(&parser, doc))
        goto bad;
    doc_ok = 1;
    if (yaml_document_get_root_node(doc)) {
        /* A second document would be silently ignored; say so instead. */
        yaml_document_t extra;
        if (!yaml_parser_load(&parser, &extra))
            goto bad;
        yaml_node_t *root = yaml_document_get_root_node(&extra);
        unsigned line = root ? (unsigned)root->start_mark.line + 1 : 0;
        yaml_document_delete(&extra);
        if (root) {
            st = sl_diag_set(diag, SL_ERULE, path, line, 0, NULL,
                             "more than one YAML document in the file");
            goto cleanup;
        }
    }
    goto cleanup;
bad:
    if (parser.error == YAML_MEMORY_ERROR) {
        st = SL_ENOMEM;
    } else if (parser.error == YAML_READER_ERROR) {
        st = sl_diag_set(diag, SL_ERULE, path, 0, 0, NULL, "invalid YAML: %s at byte %zu",
                         parser.problem ? parser.problem : "unreadable input",
                         parser.problem_offset);
    } else {
        char ctx[256] = "";
        if (parser.context)
            snprintf(ctx, sizeof ctx, " (%s at line %zu)", parser.context,
                     parser.context_mark.line + 1);
        st = sl_diag_set(diag, SL_ERULE, path, (unsigned)parser.problem_mark.line + 1,
                         (unsigned)parser.problem_mark.column + 1, NULL, "invalid YAML: %s%s",
                         parser.problem ? parser.problem : "syntax error", ctx);
    }
cleanup:
    if (st != SL_OK && doc_ok)
        yaml_document_delete(doc);
    if (parser_ok)
        yaml_parser_delete(&parser);
    fclose(f);
    return st;
}

yaml_node_t *sl_ynode(yaml_document_t *d, int id)
{
    return yaml_document_get_node(d, id);
}

unsigned sl_yline(const yaml_node_t *n)
{
    return n ? (unsigned)n->start_mark.line + 1 : 0;
}

unsigned sl_ycol(const yaml_node_t *n)
{
    return n ? (unsigned)n->start_mark.column + 1 : 0;
}

const char *sl_ystr(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int plain(const yaml_node_t *n)
{
    return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

static int one_of(const char *s, const char *const *words)
{
    for (; *words; words++)
        if (strcmp(s, *words) == 0)
            return 1;
    return 0;
}

static int is_null_word(const char *s)
{
    static const char *const w[] = {"", "~", "null", "Null", "NULL", NULL};
    return one_of(s, w);
}

static int is_int_word(const char *s)
{
    if (*s == '-' || *s == '+')
        s++;
    int hex = s[0] == '0' && s[1] == 'x';
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'o'))
        s += 2;
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') ||
              (hex && ((*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F')))))
            return 0;
    return 1;
}

static int is_float_word(const char *s)
{
    static const char *const w[] = {".inf", "-.inf", "+.inf", ".Inf", ".INF", ".nan",
                                    ".NaN", ".NAN", NULL};
    if (one_of(s, w))
        return 1;
    if (*s == '-' || *s == '+')
        s++;
    int digits = 0, dot = 0;
    for (; *s && *s != 'e' && *s != 'E'; s++) {
        if (*s >= '0' && *s <= '9')
            digits = 1;
        else if (*s == '.' && !dot)
            dot = 1;
        else
            return 0;
    }
    if (!digits)
        return 0;
    if (*s) {
        s++;
        if (*s == '-' || *s == '+')
            s++;
        if (!*s)
            return 0;
        for (; *s; s++)
            if (*s < '0' || *s > '9')
                return 0;
    }
    return 1;
}

int sl_yis_bool(const yaml_node_t *n, int *out)
{
    static const char *const t[] = {"true", "True", "TRUE", NULL};
    static const char *const f[] = {"false", "False", "FALSE", NULL};
    if (!n || !plain(n))
        return 0;
    const char *s = sl_ystr(n);
    if (one_of(s, t)) {
        *out = 1;
        return 1;
    }
    if (one_of(s, f)) {
        *out = 0;
        return 1;
    }
    return 0;
}

const char *sl_ytype(const yaml_node_t *n)
{
    if (!n)
        return "nothing";
    if (n->type == YAML_MAPPING_NODE)
        return "a mapping";
    if (n->type == YAML_SEQUENCE_NODE)
        return "a list";
    if (n->type != YAML_SCALAR_NODE)
        return "nothing";
    if (!plain(n))
        return "a string";
    int b;
    const char *s = sl_ystr(n);
    if (is_null_word(s))
        return "null";
    if (sl_yis_bool(n, &b))
        return "a boolean";
    if (is_int_word(s))
        return "an integer";
    if (is_float_word(s))
        return "a number";
    return "a string";
}

int sl_yis_string(const yaml_node_t *n)
{
    return n && strcmp(sl_ytype(n), "a string") == 0;
}

int sl_yis_text(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE && strcmp(sl_ytype(n), "null") != 0;
}

sl_status sl_yerr(sl_diag *diag, const char *file, const yaml_node_t *n, const char *rule_id,
                  const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return sl_diag_set(diag, SL_ERULE, file, sl_yline(n), sl_ycol(n), rule_id, "%s", msg);
}

/* Levenshtein distance, capped: anything above `cap` is reported as cap+1,
 * which is all a suggestion needs and keeps the work bounded. */
static size_t edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return cap + 1;
    if ((la > lb ? la - lb : lb - la) > cap)
        return cap + 1;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *sl_suggest(const char *word, const char *const *cands, size_t ncands)
{
    const char *best = NULL;
    size_t bestd = 3;
    size_t wl = strlen(word);
    for (size_t i = 0; i < ncands; i++) {
        size_t d = edit_distance(word, cands[i], 2);
        /* A two-letter word is within distance 2 of every other short
         * word; such a "suggestion" would only mislead. */
        if (d < bestd && d < wl && d < strlen(cands[i])) {
            best = cands[i];
            bestd = d;
        }
    }
    return best;
}

const char *sl_suggest_text(char *buf, size_t cap, const char *word, const char *const *cands,
                            size_t ncands)
{
    const char *s = sl_suggest(word, cands, ncands);
    if (s)
        snprintf(buf, cap, " (did you mean '%s'?)", s);
    else if (cap)
        buf[0] = '\0';
    return buf;
}

sl_status sl_ycheck_map(yaml_document_t *d, yaml_node_t *map, const char *const *keys,
                        const char *what, const char *file, const char *rule_id, sl_diag *diag)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return sl_yerr(diag, file, map, rule_id, "%s must be a mapping, not %s", what,
                       sl_ytype(map));
    size_t nkeys = 0;
    while (keys[nkeys])
        nkeys++;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = sl_ynode(d, p->key);
        if (!sl_yis_string(k))
            return sl_yerr(diag, file, k, rule_id, "a key must be a string, not %s",
                           sl_ytype(k));
        const char *name = sl_ystr(k);
        if (!one_of(name, keys)) {
            char sug[160];
            return sl_yerr(diag, file, k, rule_id, "unknown key '%s'%s", name,
                           sl_suggest_text(sug, sizeof sug, name, keys, nkeys));
        }
        for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++) {
            const char *prev = sl_ystr(sl_ynode(d, q->key));
            if (prev && strcmp(prev, name) == 0)
                return sl_yerr(diag, file, k, rule_id, "duplicate key '%s'", name);
        }
    }
    return SL_OK;
}

yaml_node_t *sl_yget(yaml_document_t *d, yaml_node_t *map, const char *key, yaml_node_t **keynode)
{
    if (keynode)
        *keynode = NULL;
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = sl_ynode(d, p->key);
        const char *s = sl_ystr(k);
        if (s && strcmp(s, key) == 0) {
            if (keynode)
                *keynode = k;
            return sl_ynode(d, p->value);
        }
    }
    return NULL;
}

sl_status sl_yget_string(yaml_document_t *d, yaml_node_t *map, const char *key, int required,
                         const char *file, const char *rule_id, const char **out,
                         yaml_node_t **node, sl_diag *diag)
{
    yaml_node_t *v = sl_yget(d, map, key, NULL);
    *out = NULL;
    if (node)
        *node = v;
    if (!v) {
        if (required)
            return sl_yerr(diag, file, map, rule_id, "missing required key '%s'", key);
        return SL_OK;
    }
    if (!sl_yis_string(v))
        return sl_yerr(diag, file, v, rule_id, "'%s' must be a string, not %s", key, sl_ytype(v));
    *out = sl_ystr(v);
    return SL_OK;
}

sl_status sl_params_parse(yaml_document_t *d, yaml_node_t *map, const char *file,
                          sl_params *out, sl_diag *diag)
{
    if (map->type != YAML_MAPPING_NODE)
        return sl_yerr(diag, file, map, NULL, "'params' must be a mapping, not %s",
                       sl_ytype(map));
    size_t n = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
    sl_param *items = calloc(n ? n : 1, sizeof *items);
    if (!items)
        return SL_ENOMEM;
    sl_status st = SL_OK;
    size_t i = 0;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++, i++) {
        yaml_node_t *k = sl_ynode(d, p->key), *v = sl_ynode(d, p->value);
        if (!sl_yis_string(k)) {
            st = sl_yerr(diag, file, k, NULL, "a parameter name must be a string, not %s",
                         sl_ytype(k));
            break;
        }
        if (!sl_yis_text(v)) {
            st = sl_yerr(diag, file, v, NULL, "parameter '%s' must be a string, not %s",
                         sl_ystr(k), sl_ytype(v));
            break;
        }
        items[i].name = sl_strdup(sl_ystr(k));
        items[i].value = sl_strdup(sl_ystr(v));
        if (!items[i].name || !items[i].value) {
            st = SL_ENOMEM;
            i++;
            break;
        }
    }
    if (st != SL_OK) {
        sl_params tmp = {items, i};
        sl_params_clear(&tmp);
        return st;
    }
    out->items = items;
    out->n = n;
    return SL_OK;
}

void sl_params_clear(sl_params *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->items[i].name);
        free(p->items[i].value);
    }
    free(p->items);
    p->items = NULL;
    p->n = 0;
}

sl_status sl_strlist_push(sl_strlist *l, const char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        char **items = realloc(l->items, cap * sizeof *items);
        if (!items)
            return SL_ENOMEM;
        l->items = items;
        l->cap = cap;
    }
    char *c = sl_strdup(s);
    if (!c)
        return SL_ENOMEM;
    l->items[l->n++] = c;
    return SL_OK;
}

void sl_strlist_clear(sl_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}
