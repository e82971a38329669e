/*
 * The compiled ruleset: what sl_ruleset_load builds from packs and the
 * project config, and what the engine reads. Immutable once loaded; every
 * scanner thread shares it. Each profile holds its own compiled copy of the
 * rules (parameters and severities may differ between profiles); profile 0
 * is the project's default.
 */
#ifndef SL_RULES_RULESET_H
#define SL_RULES_RULESET_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>

#include "rules/literals.h"
#include "syndlint/syndlint.h"

typedef enum sl_check { SL_CHECK_FORBID, SL_CHECK_REQUIRE, SL_CHECK_DETECT } sl_check;

typedef enum sl_scope_kind {
    SL_SCOPE_TITLE,
    SL_SCOPE_BODY,
    SL_SCOPE_LEAD,
    SL_SCOPE_TAIL,
    SL_SCOPE_CODE,
    SL_SCOPE_RAW,
    SL_SCOPE_PAGE,
    SL_SCOPE_META,
    SL_SCOPE_CHROME
} sl_scope_kind;

typedef struct sl_scope {
    sl_scope_kind kind;
    unsigned words; /* lead/tail: N words (defaults 60 / 80) */
    char *meta;     /* owned; SL_SCOPE_META: field name, or "*" for all */
    char *name;     /* owned; as written ("lead:40", "meta.author") for reports */
} sl_scope;

/* sl_pattern.compile_err of a regex that compiles alone but not wrapped
 * for whole_word; PCRE2's own error codes are never this. */
#define SL_COMPILE_ERR_WHOLE_WORD 1

typedef struct sl_pattern {
    char *text; /* owned; as written, after ${param} substitution */
    int is_regex;
    int ignore_case;
    int whole_word;
    int rule_ref;     /* >= 0: a {rule: ID} item (index into the profile's rules); code NULL */
    pcre2_code *code; /* owned; not JIT-compiled: the first scanner to run it
                       * JIT-compiles a copy for all (eval/jitcache.h) */
    /* Owned: the regex without its leading optional part (rules/probe.h),
     * for where only whether it matches counts; NULL: use `code`. */
    pcre2_code *probe;
    char *probe_text; /* owned: the probe's regex; NULL with `probe` */
    /* Owned: required literal sets; every match contains one string of
     * each (rules/literals.h). None (lits.nsets 0): the pattern always runs. */
    sl_litsets lits;
    /* Owned: the regex (pending_len bytes) kept from sl_pattern_prepare
     * for sl_pattern_finish, with its compile flags; NULL once finished. */
    char *pending;
    size_t pending_len;
    uint32_t pending_flags;
    int jit; /* nonzero: scanners match it (and its probe) JIT-compiled */
    /* Set by sl_pattern_finish when PCRE2 rejects the regex: PCRE2's error
     * code (SL_COMPILE_ERR_WHOLE_WORD: valid alone, not once wrapped for
     * whole_word) and where in the regex; 0 otherwise. */
    int compile_err;
    size_t compile_off;
    /* 1 + the index of its first set's slot in the profile's prefilter
     * (its sets have consecutive slots); 0: none. */
    size_t pf_slot;
    /* The fields the pattern is matched in (SL_PF_* of eval/prefilter.h),
     * set with pf_slot. */
    unsigned pf_fields;
    unsigned line, col; /* where it is written */
    /* An exception: it runs only where an item matched, never as an
     * existence test, so it gets neither literal sets nor a probe. */
    int exception;
    /* Owned: why the regex can backtrack catastrophically (rules/redos.h),
     * for the load warning and `rules explain`; NULL when nothing found. */
    char *backtrack;
} sl_pattern;

typedef enum sl_cond_kind {
    SL_COND_RULE,  /* rule `rule` matched */
    SL_COND_MATCH, /* `pat` matched in any of `scopes` */
    SL_COND_ALL,
    SL_COND_ANY,
    SL_COND_NOT
} sl_cond_kind;

typedef struct sl_cond {
    sl_cond_kind kind;
    int rule;         /* SL_COND_RULE: index into the profile's rules */
    sl_pattern pat;   /* SL_COND_MATCH */
    sl_scope *scopes; /* SL_COND_MATCH; owned */
    size_t nscopes;
    struct sl_cond *kids; /* ALL/ANY: nkids; NOT: 1; owned */
    size_t nkids;
} sl_cond;

typedef struct sl_example {
    char *title, *body, *html, *markdown; /* owned; any may be NULL */
    char **meta_names, **meta_values;     /* owned; nmeta each */
    size_t nmeta;
    unsigned line;
} sl_example;

typedef struct sl_rule {
    sl_rule_info info; /* public view; strings point into the fields below */
    char *id, *category, *message, *description, *file; /* owned */
    sl_check check;
    sl_severity severity;
    int enabled;
    sl_scope *scopes; /* owned; never empty after load (default body) */
    size_t nscopes;
    sl_pattern *patterns; /* owned: forbid/require/detect items */
    size_t npatterns;
    sl_pattern *exceptions; /* owned */
    size_t nexceptions;
    sl_cond *when, *unless;                    /* owned; NULL when absent */
    sl_example *fail_examples, *pass_examples; /* owned */
    size_t nfail, npass;
    unsigned line, col;
} sl_rule;

typedef struct sl_profile {
    char *name;   /* owned; "default" for profile 0 */
    char **globs; /* owned; empty for profile 0 */
    size_t nglobs;
    sl_rule *rules; /* owned */
    size_t nrules;
    size_t *order;           /* owned; evaluation order: dependencies first */
    struct sl_prefilter *pf; /* owned; the literals of every pattern (eval/prefilter.h) */
} sl_profile;

struct sl_ruleset {
    sl_profile *profiles; /* owned; profiles[0] is the default */
    size_t nprofiles;
    /* Owned: load-time warnings, one placed line each (rules/redos.h). */
    char **warnings;
    size_t nwarnings;
    /* Owned: the JIT-compiled copies of the regexes, made by the scanners
     * as they first run each (eval/jitcache.h); the only part of a loaded
     * ruleset that changes, and safe to change from several threads. */
    struct sl_jit_table *jits;
};

/* The profile that applies to `path` (first matching glob), or profile 0. */
const sl_profile *sl_ruleset_profile_for(const sl_ruleset *rs, const char *path);

/* Index of rule `id` in `p`, or -1. */
int sl_profile_find(const sl_profile *p, const char *id);

/* Where a pattern stands in its rule. */
typedef enum sl_pattern_role {
    SL_PATTERN_ITEM,      /* forbid/require/detect item */
    SL_PATTERN_EXCEPTION, /* exception */
    SL_PATTERN_COND       /* the pattern of a when/unless match condition */
} sl_pattern_role;

/* Called for one pattern of rule `r` matched in `scopes` (the rule's for
 * items and exceptions, the condition's for a condition's pattern). */
typedef sl_status (*sl_pattern_fn)(void *user, const sl_rule *r, sl_pattern *pat,
                                   sl_pattern_role role, const sl_scope *scopes, size_t nscopes);

/* Calls fn for every pattern of `r`: items, exceptions, then the patterns
 * of its when and unless conditions at any depth. Stops at the first
 * status other than SL_OK and returns it. */
sl_status sl_rule_each_pattern(sl_rule *r, sl_pattern_fn fn, void *user);

#endif
