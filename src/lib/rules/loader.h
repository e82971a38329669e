/*
 * Private interface between the stages of the rule loader.
 *
 *   ynode.c    YAML documents: loading with libyaml's document API (so that
 *              anchors and aliases resolve to shared nodes), typed access to
 *              nodes, key checking with "did you mean" suggestions.
 *   config.c   syndlint.yaml -> sl_config; pack names -> file lists.
 *   pack.c     one pack file -> header (name, params, categories) and, per
 *              profile, its rules as sl_rule structs with uncompiled patterns.
 *   compile.c  ${param} substitution and PCRE2 compilation of one pattern.
 *   graph.c    rule references -> indices, cycle check, evaluation order.
 *   ruleset.c  the driver (sl_ruleset_load) and the public accessors.
 *
 * Packs are parsed into YAML documents once and kept for the whole load;
 * each profile then builds its own rules from those documents, because a
 * profile's parameters change the compiled patterns. Rule references cannot
 * be resolved while a pack is parsed (the rule may live in a later pack), so
 * the parser records each one as an sl_ref pointing at the int slot to fill;
 * graph.c fills them once the profile holds every rule. The slots live in
 * heap blocks owned by the rules (conditions, pattern arrays), so they stay
 * valid while the profile's rule array grows.
 */
#ifndef SL_RULES_LOADER_H
#define SL_RULES_LOADER_H

#include <stdarg.h>
#include <yaml.h>

#include "rules/ruleset.h"
#include "util/pool.h"

/* ------------------------------------------------------------ YAML nodes */

/* Loads the first document of `path` into *doc (which the caller deletes
 * with yaml_document_delete on SL_OK only). A file holding no document
 * gives a document without a root node. Malformed YAML, a second document
 * or an unreadable file give SL_ERULE with the place in diag. */
sl_status sl_yaml_load(const char *path, yaml_document_t *doc, sl_diag *diag);

yaml_node_t *sl_ynode(yaml_document_t *d, int id);
unsigned sl_yline(const yaml_node_t *n);
unsigned sl_ycol(const yaml_node_t *n);
/* "a string", "an integer", "a boolean", "null", "a mapping", "a list", ... */
const char *sl_ytype(const yaml_node_t *n);
/* A scalar that YAML's core schema reads as a string (quoted, or plain and
 * not a number, boolean or null). */
int sl_yis_string(const yaml_node_t *n);
/* Any non-null scalar: parameter values and example texts may be numbers. */
int sl_yis_text(const yaml_node_t *n);
/* 1 and *out set for true/false, 0 otherwise. */
int sl_yis_bool(const yaml_node_t *n, int *out);
const char *sl_ystr(const yaml_node_t *n);

/* Errors at a node: "FILE:L:C: rule 'ID': message" (rule part when known). */
sl_status sl_yerr(sl_diag *diag, const char *file, const yaml_node_t *n, const char *rule_id,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Checks that `map` is a mapping whose keys are strings from `keys`
 * (NULL-terminated), each at most once. `what` names the mapping for the
 * type error ("a rule", "a pattern"). */
sl_status sl_ycheck_map(yaml_document_t *d, yaml_node_t *map, const char *const *keys,
                        const char *what, const char *file, const char *rule_id, sl_diag *diag);
/* The value of `key` in `map`, or NULL; *keynode (optional) gets the key. */
yaml_node_t *sl_yget(yaml_document_t *d, yaml_node_t *map, const char *key, yaml_node_t **keynode);
/* Fetches a string value. Absent: *out NULL, SL_OK (or an error when
 * `required`, placed at `map`). Present but not a string: a type error. */
sl_status sl_yget_string(yaml_document_t *d, yaml_node_t *map, const char *key, int required,
                         const char *file, const char *rule_id, const char **out,
                         yaml_node_t **node, sl_diag *diag);

/* The candidate closest to `word` within edit distance 2, or NULL. */
const char *sl_suggest(const char *word, const char *const *cands, size_t ncands);
/* " (did you mean 'X'?)" or "" into buf. */
const char *sl_suggest_text(char *buf, size_t cap, const char *word, const char *const *cands,
                            size_t ncands);

/* ------------------------------------------------------------ parameters */

typedef struct sl_param {
    char *name;
    char *value;
} sl_param;

typedef struct sl_params {
    sl_param *items; /* owned */
    size_t n;
} sl_params;

/* Reads a params mapping (name -> scalar). */
sl_status sl_params_parse(yaml_document_t *d, yaml_node_t *map, const char *file, sl_params *out,
                          sl_diag *diag);
void sl_params_clear(sl_params *p);

/* Where ${name} is looked up, first match wins: profile, config, pack. */
/* What a pattern is compiled with: its parameter layers, most specific
 * first, and whether to JIT-compile it. */
typedef struct sl_param_chain {
    const sl_params *layers[4];
    size_t n;
    int no_jit;
} sl_param_chain;

/* ------------------------------------------------------------ config */

typedef struct sl_nameref {
    char *name;
    unsigned line, col;
} sl_nameref;

typedef struct sl_sevref {
    char *name;
    sl_severity sev;
    unsigned line, col;
} sl_sevref;

/* What the project or one profile adds. */
typedef struct sl_overrides {
    sl_nameref *packs;
    size_t npacks;
    sl_params params;
    sl_nameref *enable, *disable;
    size_t nenable, ndisable;
    sl_sevref *sev;
    size_t nsev;
} sl_overrides;

typedef struct sl_cfg_profile {
    char *name;
    char **globs;
    size_t nglobs;
    sl_overrides o;
} sl_cfg_profile;

typedef struct sl_config {
    char *path; /* as given; NULL when there is no config */
    char *dir;  /* its directory, for pack paths */
    sl_overrides o;
    sl_cfg_profile *profiles;
    size_t nprofiles;
} sl_config;

sl_status sl_config_parse(const char *path, sl_config *cfg, sl_diag *diag);
void sl_config_clear(sl_config *cfg);

typedef struct sl_strlist {
    char **items; /* owned */
    size_t n, cap;
} sl_strlist;

sl_status sl_strlist_push(sl_strlist *l, const char *s);
void sl_strlist_clear(sl_strlist *l);

/* A file, or every *.yaml / *.yml directly in a directory (sorted), appended
 * to `out`. A missing path is SL_ERULE; `file`/`line`/`col` say where it
 * was named (NULL file: it came from the caller). */
sl_status sl_paths_expand(const char *path, sl_strlist *out, const char *file, unsigned line,
                          unsigned col, sl_diag *diag);
/* Resolves a pack reference from the config: a path relative to the config
 * directory, or a name under data_dir ("default", "publishers/ndtv"). */
sl_status sl_pack_resolve(const sl_config *cfg, const sl_nameref *ref, const char *data_dir,
                          sl_strlist *out, sl_diag *diag);

/* ------------------------------------------------------------ packs */

typedef struct sl_pack {
    char *path;          /* owned; as reported in errors */
    yaml_document_t doc; /* kept for the whole load */
    int has_doc;
    const char *name; /* points into doc */
    sl_params params;
    char **categories; /* owned */
    size_t ncategories;
    yaml_node_t *rules; /* the rules list, in doc */
} sl_pack;

/* An unresolved rule reference recorded by the parser. */
typedef struct sl_ref {
    int *slot;        /* where the index goes */
    char *name;       /* owned */
    size_t rule;      /* the referring rule */
    const char *what; /* "when", "unless", "rule" (static) */
    unsigned line, col;
} sl_ref;

/* The state of one profile under construction. */
typedef struct sl_build {
    sl_profile *p;
    size_t cap;   /* of p->rules */
    sl_ref *refs; /* owned */
    size_t nrefs, refcap;
    const char *const *categories; /* every known category (borrowed) */
    size_t ncategories;
    sl_param_chain params; /* profile and config layers; the pack's is added per pack */
} sl_build;

sl_status sl_pack_open(const char *path, sl_pack *pk, sl_diag *diag);
void sl_pack_clear(sl_pack *pk);
/* Appends the pack's rules to b->p, parsed, validated and compiled. */
sl_status sl_pack_rules(sl_pack *pk, sl_build *b, sl_diag *diag);
void sl_build_clear(sl_build *b);

void sl_rule_clear(sl_rule *r);
void sl_pattern_clear(sl_pattern *p);
void sl_cond_clear(sl_cond *c);
void sl_scope_clear(sl_scope *s);

/* Valid id: dotted lower-case words, at least two segments. */
int sl_rule_id_valid(const char *id);
int sl_category_name_valid(const char *name);

/* ------------------------------------------------------------ compile */

/* Substitutes parameters into pat->text (replacing it) and makes the
 * regex source PCRE2 will compile. Errors (a malformed or unknown
 * parameter, an empty pattern) name the pattern's place in `file` and
 * `rule_id`. The rest of the work on it (PCRE2, required literals,
 * backtracking analysis, probe) is left to sl_pattern_finish. */
sl_status sl_pattern_prepare(sl_pattern *pat, const sl_param_chain *pc, const char *file,
                             const char *rule_id, sl_diag *diag);
/* Finishes a pattern sl_pattern_prepare left pending; nothing for one
 * already finished. Touches only `pat`, so patterns may be finished on
 * different threads at once. SL_ERULE when PCRE2 rejects the regex, with
 * pat->compile_err set and the pattern left pending; SL_ENOMEM. */
sl_status sl_pattern_finish(sl_pattern *pat);
/* Finishes every pattern of `p` on the caller and `pool`'s threads (NULL:
 * the caller alone). An invalid regex is reported in `diag` as the first
 * one in load order: the rules in order, and within a rule the one
 * written first. */
sl_status sl_profile_finish(sl_profile *p, sl_pool *pool, sl_diag *diag);

/* ------------------------------------------------------------ graph */

/* Resolves b's references against b->p and sets b->p->order. */
sl_status sl_graph_resolve(sl_build *b, sl_diag *diag);

/* ------------------------------------------------------------ glob */

int sl_glob_match(const char *glob, const char *path);

#endif
