/*
 * The project config (syndlint.yaml), pack names and profile globs.
 *
 * The config is copied out of its YAML document into plain structs and the
 * document is dropped: unlike packs, nothing needs to be re-read per
 * profile. Names in enable/disable/severity can only be checked against the
 * rules once they are loaded, so each keeps its place (line, column) for
 * ruleset.c to report.
 *
 * Pack references follow the spec: something that looks like a path (has a
 * '/' and ends in .yaml/.yml) or names an existing file or directory next
 * to the config is a path; anything else is a name in the rules directory,
 * "default" being every pack directly in it.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rules/loader.h"
#include "util/buf.h"
#include "util/diag.h"

static const char *const config_keys[] = {"packs",  "params",  "severity", "disable",
                                          "enable", "profiles", NULL};
static const char *const profile_keys[] = {"name",   "paths",  "packs",    "params",
                                           "enable", "disable", "severity", NULL};

/* ------------------------------------------------------------ freeing */

static void namerefs_free(sl_nameref *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(r[i].name);
    free(r);
}

static void overrides_clear(sl_overrides *o)
{
    namerefs_free(o->packs, o->npacks);
    namerefs_free(o->enable, o->nenable);
    namerefs_free(o->disable, o->ndisable);
    for (size_t i = 0; i < o->nsev; i++)
        free(o->sev[i].name);
    free(o->sev);
    sl_params_clear(&o->params);
    memset(o, 0, sizeof *o);
}

void sl_config_clear(sl_config *cfg)
{
    overrides_clear(&cfg->o);
    for (size_t i = 0; i < cfg->nprofiles; i++) {
        sl_cfg_profile *p = &cfg->profiles[i];
        free(p->name);
        for (size_t j = 0; j < p->nglobs; j++)
            free(p->globs[j]);
        free(p->globs);
        overrides_clear(&p->o);
    }
    free(cfg->profiles);
    free(cfg->path);
    free(cfg->dir);
    memset(cfg, 0, sizeof *cfg);
}

/* ------------------------------------------------------------ parsing */

typedef struct cctx {
    yaml_document_t *d;
    const char *file;
    sl_diag *diag;
} cctx;

static size_t seq_len(const yaml_node_t *n)
{
    return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

/* A list of strings (a single string is taken as a list of one). */
static sl_status parse_names(cctx *c, yaml_node_t *v, const char *key, sl_nameref **out,
                             size_t *nout)
{
    if (v->type == YAML_MAPPING_NODE || (v->type == YAML_SCALAR_NODE && !sl_yis_string(v)))
        return sl_yerr(c->diag, c->file, v, NULL, "'%s' must be a list of strings, not %s", key,
                       sl_ytype(v));
    size_t n = v->type == YAML_SEQUENCE_NODE ? seq_len(v) : 1;
    sl_nameref *r = calloc(n ? n : 1, sizeof *r);
    if (!r)
        return SL_ENOMEM;
    *out = r;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *it =
            v->type == YAML_SEQUENCE_NODE ? sl_ynode(c->d, v->data.sequence.items.start[i]) : v;
        if (!sl_yis_string(it))
            return sl_yerr(c->diag, c->file, it, NULL, "an item of '%s' must be a string, not %s",
                           key, sl_ytype(it));
        r[i].line = sl_yline(it);
        r[i].col = sl_ycol(it);
        if (!(r[i].name = sl_strdup(sl_ystr(it))))
            return SL_ENOMEM;
        *nout = i + 1;
    }
    return SL_OK;
}

static sl_status parse_severities(cctx *c, yaml_node_t *v, sl_overrides *o)
{
    if (v->type != YAML_MAPPING_NODE)
        return sl_yerr(c->diag, c->file, v, NULL, "'severity' must be a mapping, not %s",
                       sl_ytype(v));
    size_t n = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
    o->sev = calloc(n ? n : 1, sizeof *o->sev);
    if (!o->sev)
        return SL_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        yaml_node_pair_t *p = &v->data.mapping.pairs.start[i];
        yaml_node_t *k = sl_ynode(c->d, p->key), *val = sl_ynode(c->d, p->value);
        if (!sl_yis_string(k))
            return sl_yerr(c->diag, c->file, k, NULL,
                           "a severity override must name a rule or category, not %s",
                           sl_ytype(k));
        if (!sl_yis_string(val))
            return sl_yerr(c->diag, c->file, val, NULL, "severity of '%s' must be a string, not %s",
                           sl_ystr(k), sl_ytype(val));
        sl_sevref *s = &o->sev[o->nsev];
        if (!sl_severity_parse(sl_ystr(val), &s->sev)) {
            static const char *const sevs[] = {"error", "warning", "info"};
            char sug[160];
            return sl_yerr(c->diag, c->file, val, NULL,
                           "unknown severity '%s'%s: expected error, warning or info",
                           sl_ystr(val), sl_suggest_text(sug, sizeof sug, sl_ystr(val), sevs, 3));
        }
        s->line = sl_yline(k);
        s->col = sl_ycol(k);
        if (!(s->name = sl_strdup(sl_ystr(k))))
            return SL_ENOMEM;
        o->nsev++;
    }
    return SL_OK;
}

/* The keys shared by the project level and a profile. */
static sl_status parse_overrides(cctx *c, yaml_node_t *map, sl_overrides *o)
{
    sl_status st = SL_OK;
    yaml_node_t *v;
    if ((v = sl_yget(c->d, map, "packs", NULL)) &&
        (st = parse_names(c, v, "packs", &o->packs, &o->npacks)) != SL_OK)
        return st;
    if ((v = sl_yget(c->d, map, "params", NULL)) &&
        (st = sl_params_parse(c->d, v, c->file, &o->params, c->diag)) != SL_OK)
        return st;
    if ((v = sl_yget(c->d, map, "enable", NULL)) &&
        (st = parse_names(c, v, "enable", &o->enable, &o->nenable)) != SL_OK)
        return st;
    if ((v = sl_yget(c->d, map, "disable", NULL)) &&
        (st = parse_names(c, v, "disable", &o->disable, &o->ndisable)) != SL_OK)
        return st;
    if ((v = sl_yget(c->d, map, "severity", NULL)) && (st = parse_severities(c, v, o)) != SL_OK)
        return st;
    return SL_OK;
}

static sl_status parse_profile(cctx *c, yaml_node_t *n, sl_config *cfg, sl_cfg_profile *p)
{
    sl_status st;
    if ((st = sl_ycheck_map(c->d, n, profile_keys, "a profile", c->file, NULL, c->diag)) != SL_OK)
        return st;
    const char *name;
    yaml_node_t *namenode;
    if ((st = sl_yget_string(c->d, n, "name", 1, c->file, NULL, &name, &namenode, c->diag)) !=
        SL_OK)
        return st;
    if (!*name || strcmp(name, "default") == 0)
        return sl_yerr(c->diag, c->file, namenode, NULL, "invalid profile name '%s'%s", name,
                       *name ? ": 'default' is the project's own profile" : "");
    for (size_t i = 0; i < cfg->nprofiles; i++)
        if (cfg->profiles[i].name && strcmp(cfg->profiles[i].name, name) == 0)
            return sl_yerr(c->diag, c->file, namenode, NULL, "duplicate profile name '%s'", name);
    if (!(p->name = sl_strdup(name)))
        return SL_ENOMEM;
    yaml_node_t *paths = sl_yget(c->d, n, "paths", NULL);
    if (!paths)
        return sl_yerr(c->diag, c->file, n, NULL, "profile '%s': missing required key 'paths'",
                       name);
    sl_nameref *globs = NULL;
    size_t nglobs = 0;
    st = parse_names(c, paths, "paths", &globs, &nglobs);
    if (st == SL_OK) {
        p->globs = calloc(nglobs ? nglobs : 1, sizeof *p->globs);
        if (!p->globs)
            st = SL_ENOMEM;
        for (size_t i = 0; st == SL_OK && i < nglobs; i++) {
            /* Paths are matched without a leading "./". */
            const char *g = globs[i].name;
            while (g[0] == '.' && g[1] == '/')
                g += 2;
            if (!(p->globs[i] = sl_strdup(g)))
                st = SL_ENOMEM;
            else
                p->nglobs++;
        }
    }
    namerefs_free(globs, nglobs);
    if (st != SL_OK)
        return st;
    return parse_overrides(c, n, &p->o);
}

sl_status sl_config_parse(const char *path, sl_config *cfg, sl_diag *diag)
{
    memset(cfg, 0, sizeof *cfg);
    yaml_document_t doc;
    sl_status st = SL_OK;
    cfg->path = sl_strdup(path);
    const char *slash = strrchr(path, '/');
    cfg->dir = slash ? sl_strndup(path, (size_t)(slash - path) + (slash == path)) : sl_strdup(".");
    if (!cfg->path || !cfg->dir)
        return SL_ENOMEM;
    if ((st = sl_yaml_load(path, &doc, diag)) != SL_OK)
        return st;
    cctx c = {&doc, cfg->path, diag};
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root)
        goto cleanup; /* an empty config is a valid one */
    if ((st = sl_ycheck_map(&doc, root, config_keys, "the config", cfg->path, NULL, diag)) != SL_OK)
        goto cleanup;
    if ((st = parse_overrides(&c, root, &cfg->o)) != SL_OK)
        goto cleanup;
    yaml_node_t *profs = sl_yget(&doc, root, "profiles", NULL);
    if (profs) {
        if (profs->type != YAML_SEQUENCE_NODE) {
            st = sl_yerr(diag, cfg->path, profs, NULL, "'profiles' must be a list, not %s",
                         sl_ytype(profs));
            goto cleanup;
        }
        size_t n = seq_len(profs);
        cfg->profiles = calloc(n ? n : 1, sizeof *cfg->profiles);
        if (!cfg->profiles) {
            st = SL_ENOMEM;
            goto cleanup;
        }
        for (size_t i = 0; i < n; i++) {
            sl_cfg_profile *p = &cfg->profiles[cfg->nprofiles];
            /* Count it first: a half-parsed profile is freed with the rest. */
            cfg->nprofiles++;
            st = parse_profile(&c, sl_ynode(&doc, profs->data.sequence.items.start[i]), cfg, p);
            if (st != SL_OK)
                goto cleanup;
        }
    }
cleanup:
    yaml_document_delete(&doc);
    return st;
}

/* ------------------------------------------------------------ paths */

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_suffix(const char *s, const char *suf)
{
    size_t ls = strlen(s), lf = strlen(suf);
    return ls >= lf && strcmp(s + ls - lf, suf) == 0;
}

static int is_pack_file(const char *name)
{
    return name[0] != '.' && (has_suffix(name, ".yaml") || has_suffix(name, ".yml"));
}

sl_status sl_paths_expand(const char *path, sl_strlist *out, const char *file, unsigned line,
                          unsigned col, sl_diag *diag)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (file)
            return sl_diag_set(diag, SL_ERULE, file, line, col, NULL, "pack '%s' not found: %s",
                               path, strerror(errno));
        return sl_diag_set(diag, SL_ERULE, path, 0, 0, NULL, "cannot open rule pack: %s",
                           strerror(errno));
    }
    if (!S_ISDIR(sb.st_mode))
        return sl_strlist_push(out, path);
    DIR *dir = opendir(path);
    if (!dir)
        return sl_diag_set(diag, SL_ERULE, path, 0, 0, NULL, "cannot read directory: %s",
                           strerror(errno));
    sl_strlist names = {0};
    sl_status st = SL_OK;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL && st == SL_OK) {
        if (!is_pack_file(de->d_name))
            continue;
        sl_buf b = SL_BUF_INIT;
        size_t pl = strlen(path);
        st = sl_buf_printf(&b, "%s%s%s", path, pl && path[pl - 1] == '/' ? "" : "/", de->d_name);
        /* Only regular files directly inside: subdirectories are packs of
         * their own, named separately. */
        if (st == SL_OK && stat(b.data, &sb) == 0 && S_ISREG(sb.st_mode))
            st = sl_strlist_push(&names, b.data);
        sl_buf_free(&b);
    }
    closedir(dir);
    if (st == SL_OK && names.n)
        qsort(names.items, names.n, sizeof *names.items, name_cmp);
    for (size_t i = 0; i < names.n && st == SL_OK; i++)
        st = sl_strlist_push(out, names.items[i]);
    sl_strlist_clear(&names);
    return st;
}

static char *join(const char *dir, const char *rel)
{
    if (rel[0] == '/' || !dir || !*dir || strcmp(dir, ".") == 0)
        return sl_strdup(rel);
    sl_buf b = SL_BUF_INIT;
    size_t dl = strlen(dir);
    if (sl_buf_printf(&b, "%s%s%s", dir, dir[dl - 1] == '/' ? "" : "/", rel) != SL_OK) {
        sl_buf_free(&b);
        return NULL;
    }
    return sl_buf_steal(&b);
}

sl_status sl_pack_resolve(const sl_config *cfg, const sl_nameref *ref, const char *data_dir,
                          sl_strlist *out, sl_diag *diag)
{
    const char *name = ref->name;
    const char *file = cfg ? cfg->path : NULL;
    sl_status st = SL_OK;
    char *path = NULL;
    struct stat sb;
    if (!*name)
        return sl_diag_set(diag, SL_ERULE, file, ref->line, ref->col, NULL, "empty pack name");
    path = join(cfg ? cfg->dir : NULL, name);
    if (!path)
        return SL_ENOMEM;
    int looks_like_path = strchr(name, '/') && (has_suffix(name, ".yaml") || has_suffix(name, ".yml"));
    if (looks_like_path || (cfg && stat(path, &sb) == 0)) {
        if (stat(path, &sb) != 0)
            st = sl_diag_set(diag, SL_ERULE, file, ref->line, ref->col, NULL,
                             "pack '%s' not found (looked for %s)", name, path);
        else
            st = sl_paths_expand(path, out, file, ref->line, ref->col, diag);
        goto cleanup;
    }
    free(path);
    path = NULL;
    if (!data_dir) {
        st = sl_diag_set(diag, SL_ERULE, file, ref->line, ref->col, NULL,
                         "pack '%s' not found: no rules directory to look in", name);
        goto cleanup;
    }
    if (strcmp(name, "default") == 0) {
        if (stat(data_dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            st = sl_diag_set(diag, SL_ERULE, file, ref->line, ref->col, NULL,
                             "pack 'default' not found: '%s' is not a directory", data_dir);
            goto cleanup;
        }
        st = sl_paths_expand(data_dir, out, file, ref->line, ref->col, diag);
        goto cleanup;
    }
    sl_buf b = SL_BUF_INIT;
    if ((st = sl_buf_printf(&b, "%s.yaml", name)) != SL_OK) {
        sl_buf_free(&b);
        goto cleanup;
    }
    path = join(data_dir, b.data);
    sl_buf_free(&b);
    if (!path) {
        st = SL_ENOMEM;
        goto cleanup;
    }
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        st = sl_diag_set(diag, SL_ERULE, file, ref->line, ref->col, NULL,
                         "pack '%s' not found (looked for %s)", name, path);
        goto cleanup;
    }
    st = sl_strlist_push(out, path);
cleanup:
    free(path);
    return st;
}

/* ------------------------------------------------------------ globs */

static size_t utf8_step(const char *s)
{
    size_t n = 1;
    while (s[n] && ((unsigned char)s[n] & 0xC0) == 0x80)
        n++;
    return n;
}

/* '**' crosses '/', '*' and '?' do not; a double star followed by '/' may
 * also match no directory at all, so "incoming/ + double star + /x" matches
 * "incoming/x". Backtracking is
 * bounded by the lengths involved (globs and paths are short). */
static int glob_at(const char *g, const char *s, int depth)
{
    if (depth > 64)
        return 0;
    while (*g) {
        if (g[0] == '*' && g[1] == '*') {
            g += 2;
            if (*g == '/' && glob_at(g + 1, s, depth + 1))
                return 1;
            for (const char *t = s;; t++) {
                if (glob_at(g, t, depth + 1))
                    return 1;
                if (!*t)
                    return 0;
            }
        }
        if (*g == '*') {
            g++;
            for (const char *t = s;; t++) {
                if (glob_at(g, t, depth + 1))
                    return 1;
                if (!*t || *t == '/')
                    return 0;
            }
        }
        if (!*s)
            return 0;
        if (*g == '?') {
            if (*s == '/')
                return 0;
            g++;
            s += utf8_step(s);
            continue;
        }
        if (*g != *s)
            return 0;
        g++;
        s++;
    }
    return *s == '\0';
}

/* As in .gitignore, a glob that does not start with '/' is not anchored:
 * it may match from any directory boundary of the path, so a profile for
 * "incoming/pti/ + double star" applies whether the scan was started in the
 * project, above it ("feeds/incoming/pti/a.xml") or with absolute paths. A
 * leading '/' anchors the glob at the start of the path as given. */
int sl_glob_match(const char *glob, const char *path)
{
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    while (glob[0] == '.' && glob[1] == '/')
        glob += 2;
    if (glob[0] == '/' && path[0] != '/')
        return glob_at(glob + 1, path, 0);
    if (glob_at(glob, path, 0))
        return 1;
    if (glob[0] == '/')
        return 0;
    for (const char *p = strchr(path, '/'); p; p = strchr(p + 1, '/'))
        if (glob_at(glob, p + 1, 0))
            return 1;
    return 0;
}
