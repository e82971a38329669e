/*
 * The rule loader: every validation error with its exact message and
 * place, and successful loads (fields, compiled patterns, profiles,
 * parameters, overrides, anchors). Fixtures live in tests/fixtures/rules:
 * bad/ holds one small broken pack per error, config-bad/ one broken
 * config per error, data/ stands in for the installed rules directory.
 */
#ifdef __linux__
#define _GNU_SOURCE /* the affinity calls */
#endif
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "eval/jitcache.h"
#include "rules/loader.h"
#include "rules/redos.h"
#include "rules/ruleset.h"
#include "util/pool.h"
#include "util/thread.h"

#ifndef SL_TEST_FIXTURES
#define SL_TEST_FIXTURES "tests/fixtures"
#endif

#ifndef SL_SOURCE_ROOT
#define SL_SOURCE_ROOT "."
#endif

#define FIX SL_TEST_FIXTURES "/rules/"
#define DATA FIX "data"

static sl_status load_pack(const char *path, sl_ruleset **rs, sl_diag *d)
{
    const char *paths[1] = {path};
    sl_ruleset_options o = {0};
    o.rule_paths = paths;
    o.nrule_paths = 1;
    return sl_ruleset_load(&o, rs, d);
}

static sl_status load_config(const char *path, sl_ruleset **rs, sl_diag *d)
{
    sl_ruleset_options o = {0};
    o.config_path = path;
    o.data_dir = DATA;
    return sl_ruleset_load(&o, rs, d);
}

static int matches(const sl_pattern *p, const char *s)
{
    ck_assert_ptr_nonnull(p->code);
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(p->code, NULL);
    int rc = pcre2_match(p->code, (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL);
    pcre2_match_data_free(md);
    return rc >= 0;
}

static const sl_rule *rule(const sl_profile *p, const char *id)
{
    int i = sl_profile_find(p, id);
    ck_assert_msg(i >= 0, "no rule %s", id);
    return &p->rules[i];
}

/* ------------------------------------------------------------ bad packs */

static const struct {
    const char *file;
    const char *msg; /* after "FIX/bad/FILE" */
} bad_packs[] = {
    {"malformed-yaml.yaml",
     ":5:13: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at "
     "line 4)"},
    {"empty.yaml", ": empty pack: expected a mapping with 'pack' and 'rules'"},
    {"second-document.yaml", ":4: more than one YAML document in the file"},
    {"unknown-key-pack.yaml", ":2:1: unknown key 'rule' (did you mean 'rules'?)"},
    {"unknown-key-rule.yaml", ":8:5: rule 'a.one': unknown key 'forbidd' (did you mean 'forbid'?)"},
    {"unknown-key-pattern.yaml",
     ":10:9: rule 'a.one': unknown key 'wholeword' (did you mean 'whole_word'?)"},
    {"unknown-key-condition.yaml", ":9:12: rule 'a.one': unknown key 'rul' (did you mean 'rule'?)"},
    {"unknown-key-example.yaml", ":11:11: rule 'a.one': unknown key 'bdy' (did you mean 'body'?)"},
    {"unknown-key-examples.yaml",
     ":10:7: rule 'a.one': unknown key 'fails' (did you mean 'fail'?)"},
    {"wrong-type-severity.yaml",
     ":5:15: rule 'a.one': 'severity' must be a string, not an integer"},
    {"wrong-type-scope.yaml",
     ":9:12: rule 'a.one': 'scope' must be a string or a list of strings, not a mapping"},
    {"wrong-type-ignore-case.yaml",
     ":9:18: rule 'a.one': 'ignore_case' must be true or false, not a string"},
    {"wrong-type-rules.yaml", ":2:8: 'rules' must be a list, not a mapping"},
    {"missing-description.yaml", ":3:5: rule 'a.one': missing required key 'description'"},
    {"missing-pack-name.yaml", ":1:1: missing required key 'pack'"},
    {"missing-id.yaml", ":3:5: missing required key 'id'"},
    {"missing-severity.yaml", ":3:5: rule 'a.one': missing required key 'severity'"},
    {"missing-message.yaml", ":3:5: rule 'a.one': missing required key 'message'"},
    {"duplicate-id.yaml",
     ":9:5: rule 'a.one': duplicate id, first defined at " FIX "bad/duplicate-id.yaml:3:5"},
    {"duplicate-key.yaml", ":9:5: rule 'a.one': duplicate key 'severity'"},
    {"bad-id.yaml",
     ":3:9: rule 'Paywall.Meter': invalid id: expected dotted lower-case words such as "
     "'paywall.meter-message'"},
    {"bad-id-one-segment.yaml",
     ":3:9: rule 'paywall': invalid id: expected dotted lower-case words such as "
     "'paywall.meter-message'"},
    {"unknown-category.yaml",
     ":4:15: rule 'a.one': unknown category 'paywal' (did you mean 'paywall'?): not built in and "
     "not declared by any pack"},
    {"unknown-severity.yaml",
     ":5:15: rule 'a.one': unknown severity 'fatal': expected error, warning or info"},
    {"invalid-regex.yaml",
     ":9:16: rule 'a.one': invalid regex: missing closing parenthesis at offset 4"},
    {"invalid-regex-whole-word.yaml",
     ":9:16: rule 'a.one': invalid regex: missing terminating ] for character class at offset 3"},
    {"invalid-regex-comment-whole-word.yaml",
     ":9:16: rule 'a.one': invalid regex: cannot be combined with whole_word (a trailing "
     "comment?)"},
    /* Regexes compile on several threads; the error is the first one in
     * the pack, though rule a.two's 'forbid' is parsed before its
     * 'exceptions'. */
    {"invalid-regex-first.yaml",
     ":48:16: rule 'a.two': invalid regex: missing closing parenthesis at offset 11"},
    {"unknown-scope.yaml", ":9:20: rule 'a.one': unknown scope 'bodyy' (did you mean 'body'?)"},
    {"bad-lead-count.yaml",
     ":9:12: rule 'a.one': invalid scope 'lead:0': the word count must be a number from 1 to "
     "100000"},
    {"unknown-rule-when.yaml",
     ":9:11: rule 'a.one': 'when' names unknown rule 'a.nope' (did you mean 'a.one'?)"},
    {"unknown-rule-unless.yaml",
     ":9:26: rule 'a.one': 'unless' names unknown rule 'a.onf' (did you mean 'a.one'?)"},
    {"unknown-rule-ref.yaml",
     ":8:15: rule 'a.one': {rule: a.nope} names an unknown rule (did you mean 'a.one'?)"},
    {"cycle.yaml", ":3:5: rule 'a.one': cycle between rules: a.one -> a.two -> a.three -> a.one"},
    {"self-cycle.yaml", ":3:5: rule 'a.one': cycle between rules: a.one -> a.one"},
    {"unknown-param.yaml", ":8:13: rule 'a.one': unknown parameter '${publisherr}'"},
    {"two-checks.yaml",
     ":9:5: rule 'a.one': only one of 'forbid', 'require' and 'detect' may be given (found "
     "'forbid' and 'detect')"},
    {"no-check.yaml", ":3:5: rule 'a.one': missing 'forbid', 'require' or 'detect'"},
    {"rule-in-forbid.yaml",
     ":9:9: rule 'a.one': {rule: ID} is only allowed in 'require' and 'detect', not in 'forbid'"},
    {"rule-in-exceptions.yaml",
     ":9:18: rule 'a.one': {rule: ID} is only allowed in 'require' and 'detect', not in "
     "'exceptions'"},
    {"empty-literal.yaml", ":8:13: rule 'a.one': empty literal"},
    {"recursive-alias.yaml", ":7:11: rule 'a.one': condition nested too deeply"},
    {"recursive-list.yaml",
     ":6:13: rule 'a.one': a pattern in 'detect' must be a string or a mapping, not a list"},
    {"cond-two-forms.yaml",
     ":9:26: rule 'a.one': a condition takes only one of 'rule', 'match', 'any', 'all' and 'not' "
     "(found 'any' and 'all')"},
};

START_TEST(test_bad_pack)
{
    char path[512], want[1024];
    snprintf(path, sizeof path, FIX "bad/%s", bad_packs[_i].file);
    snprintf(want, sizeof want, "%s%s", path, bad_packs[_i].msg);
    /* The same error whatever the number of threads finishing patterns. */
    static const unsigned jobs[] = {1, 4};
    for (size_t k = 0; k < sizeof jobs / sizeof *jobs; k++) {
        const char *paths[1] = {path};
        sl_ruleset_options o = {0};
        o.rule_paths = paths;
        o.nrule_paths = 1;
        o.jobs = jobs[k];
        sl_ruleset *rs = (sl_ruleset *)1;
        sl_diag d = {{0}};
        ck_assert_int_eq(sl_ruleset_load(&o, &rs, &d), SL_ERULE);
        ck_assert_ptr_null(rs);
        ck_assert_str_eq(d.message, want);
    }
}
END_TEST

/* ------------------------------------------------------------ bad configs */

static const struct {
    const char *file;
    const char *msg; /* after "FIX/config-bad/FILE" unless it starts with '!' */
} bad_configs[] = {
    {"unknown-key.yaml", ":2:1: unknown key 'disabled' (did you mean 'disable'?)"},
    {"profile-unknown-key.yaml", ":4:5: unknown key 'path' (did you mean 'paths'?)"},
    {"profile-missing-paths.yaml", ":2:5: profile 'p': missing required key 'paths'"},
    {"missing-pack.yaml",
     ":3:5: pack 'publishers/nope' not found (looked for " DATA "/publishers/nope.yaml)"},
    {"missing-pack-path.yaml",
     ":1:18: pack 'sub/nope.yaml' not found (looked for " FIX "config-bad/sub/nope.yaml)"},
    {"bad-disable.yaml",
     ":1:11: 'disable' names unknown rule or category 'paywall.subscrib' (did you mean "
     "'paywall.subscribe'?)"},
    {"bad-enable.yaml", ":4:14: 'enable' names unknown rule or category 'nosuch'"},
    {"bad-severity-name.yaml", ":2:3: 'severity' names unknown rule or category 'core.nope'"},
    {"bad-severity-value.yaml", ":2:12: unknown severity 'fatal': expected error, warning or info"},
    {"wrong-type-packs.yaml", ":1:8: 'packs' must be a list of strings, not a mapping"},
    {"profile-pack-error.yaml",
     "!" FIX "config-bad/../bad/unknown-key-rule.yaml:8:5: rule 'a.one': unknown key 'forbidd' "
     "(did you mean 'forbid'?)"},
    {"profile-param-missing.yaml",
     "!" FIX "config-bad/../good/needs-param.yaml:6:13: rule 'np.agency': unknown parameter "
     "'${agency}'"},
};

START_TEST(test_bad_config)
{
    char path[512], want[1024];
    snprintf(path, sizeof path, FIX "config-bad/%s", bad_configs[_i].file);
    if (bad_configs[_i].msg[0] == '!')
        snprintf(want, sizeof want, "%s", bad_configs[_i].msg + 1);
    else
        snprintf(want, sizeof want, "%s%s", path, bad_configs[_i].msg);
    sl_ruleset *rs = (sl_ruleset *)1;
    sl_diag d = {{0}};
    ck_assert_int_eq(load_config(path, &rs, &d), SL_ERULE);
    ck_assert_ptr_null(rs);
    ck_assert_str_eq(d.message, want);
}
END_TEST

/* Packs are parsed on several threads; of several broken ones, the error
 * is the first named, whichever order they are named in. */
START_TEST(test_bad_packs_in_order)
{
    static const char *const files[] = {FIX "good/full.yaml", FIX "bad/malformed-yaml.yaml",
                                        FIX "bad/unknown-key-pack.yaml", FIX "bad/missing-id.yaml"};
    static const char *const first[] = {
        FIX "bad/malformed-yaml.yaml:5:13: invalid YAML: did not find expected ',' or ']' "
            "(while parsing a flow sequence at line 4)",
        FIX "bad/unknown-key-pack.yaml:2:1: unknown key 'rule' (did you mean 'rules'?)"};
    for (unsigned jobs = 1; jobs <= 4; jobs += 3)
        for (int swap = 0; swap < 2; swap++) {
            const char *paths[4] = {files[0], files[swap ? 2 : 1], files[swap ? 1 : 2], files[3]};
            sl_ruleset_options o = {0};
            o.rule_paths = paths;
            o.nrule_paths = 4;
            o.jobs = jobs;
            sl_ruleset *rs = (sl_ruleset *)1;
            sl_diag d = {{0}};
            ck_assert_int_eq(sl_ruleset_load(&o, &rs, &d), SL_ERULE);
            ck_assert_ptr_null(rs);
            ck_assert_str_eq(d.message, first[swap]);
        }
}
END_TEST

START_TEST(test_missing_rule_path)
{
    sl_ruleset *rs = NULL;
    sl_diag d = {{0}};
    ck_assert_int_eq(load_pack(FIX "nope.yaml", &rs, &d), SL_ERULE);
    ck_assert_str_eq(d.message, FIX "nope.yaml: cannot open rule pack: No such file or directory");
    ck_assert_ptr_null(rs);

    /* A missing config file is a rule error too, naming the file. */
    ck_assert_int_eq(load_config(FIX "config/nope.yaml", &rs, &d), SL_ERULE);
    ck_assert_str_eq(d.message, FIX "config/nope.yaml: cannot open: No such file or directory");

    /* A rules directory that does not exist and nothing else named: an
     * error, never an empty ruleset that would pass everything. */
    sl_ruleset_options o = {0};
    o.data_dir = FIX "no-such-dir";
    ck_assert_int_eq(sl_ruleset_load(&o, &rs, &d), SL_ERULE);
    ck_assert_str_eq(d.message,
                     "pack 'default' not found: '" FIX "no-such-dir' is not a directory");
    ck_assert_ptr_null(rs);
    ck_assert_int_eq(sl_ruleset_load(NULL, &rs, &d), SL_EINVAL);
}
END_TEST

/* ------------------------------------------------------------ a full pack */

START_TEST(test_full_pack)
{
    sl_ruleset *rs = NULL;
    sl_diag d = {{0}};
    ck_assert_int_eq(load_pack(FIX "good/full.yaml", &rs, &d), SL_OK);
    ck_assert_ptr_nonnull(rs);
    ck_assert_uint_eq(rs->nprofiles, 1);
    const sl_profile *p = &rs->profiles[0];
    ck_assert_str_eq(p->name, "default");
    ck_assert_uint_eq(p->nglobs, 0);
    ck_assert_uint_eq(sl_ruleset_rule_count(rs), 7);
    ck_assert_ptr_null(sl_ruleset_rule(rs, 7));

    /* paywall.meter: fields, info view, patterns and their flags */
    const sl_rule *r = rule(p, "paywall.meter");
    const sl_rule_info *in = sl_ruleset_rule(rs, 0);
    ck_assert_ptr_eq(in, &r->info);
    ck_assert_str_eq(in->id, "paywall.meter");
    ck_assert_str_eq(in->category, "paywall");
    ck_assert_str_eq(in->check, "forbid");
    ck_assert_str_eq(in->message, "Paywall text: {match}");
    ck_assert_str_eq(in->description, "Meter messages.");
    ck_assert_str_eq(in->file, FIX "good/full.yaml");
    ck_assert_uint_eq(in->line, 8);
    ck_assert_int_eq(in->severity, SL_SEV_ERROR);
    ck_assert_int_eq(in->enabled, 1);
    ck_assert_uint_eq(in->nfail_examples, 2);
    ck_assert_uint_eq(in->npass_examples, 2);
    ck_assert_uint_eq(r->col, 5);
    ck_assert_int_eq(r->check, SL_CHECK_FORBID);
    ck_assert_uint_eq(r->nscopes, 1);
    ck_assert_int_eq(r->scopes[0].kind, SL_SCOPE_BODY);
    ck_assert_str_eq(r->scopes[0].name, "body");
    ck_assert_uint_eq(r->npatterns, 3);
    const sl_pattern *pt = r->patterns;
    ck_assert_str_eq(pt[0].text, "Subscribe now");
    ck_assert_int_eq(pt[0].is_regex, 0);
    ck_assert_int_eq(pt[0].ignore_case, 1);
    ck_assert_int_eq(pt[0].whole_word, 0);
    ck_assert_int_eq(pt[0].rule_ref, -1);
    ck_assert_uint_eq(pt[0].line, 14);
    ck_assert_uint_eq(pt[0].col, 9);
    /* a literal: caseless, its space matching any whitespace run */
    ck_assert(matches(&pt[0], "please SUBSCRIBE\n   NOW"));
    ck_assert(matches(&pt[0], "subscribe now."));
    ck_assert(!matches(&pt[0], "subscribenow"));
    /* whole_word */
    ck_assert_int_eq(pt[1].whole_word, 1);
    ck_assert(matches(&pt[1], "You read 3 free articles."));
    ck_assert(!matches(&pt[1], "3 carefree articles"));
    ck_assert(!matches(&pt[1], "free articles_x"));
    ck_assert(matches(&pt[1], "\xC3\xA9 free articles"));
    ck_assert(!matches(&pt[1], "\xC3\xA9"
                               "free articles"));
    /* regex with ignore_case: false */
    ck_assert_int_eq(pt[2].is_regex, 1);
    ck_assert_int_eq(pt[2].ignore_case, 0);
    ck_assert_str_eq(pt[2].text, "\\{\\{\\s*free_limit\\s*\\}\\}");
    ck_assert(matches(&pt[2], "read {{ free_limit }} articles"));
    ck_assert(!matches(&pt[2], "read {{ FREE_LIMIT }} articles"));
    ck_assert_uint_eq(r->nexceptions, 1);
    ck_assert(matches(&r->exceptions[0], "Subscribe now to our newsletter"));
    ck_assert_ptr_null(r->when);
    ck_assert_ptr_null(r->unless);
    /* examples */
    ck_assert_str_eq(r->fail_examples[0].body, "Subscribe now to read more.");
    ck_assert_uint_eq(r->fail_examples[0].line, 23);
    ck_assert_str_eq(r->fail_examples[1].title, "Hello");
    ck_assert_str_eq(r->fail_examples[1].body, "You have read 3 free articles.");
    ck_assert_str_eq(r->pass_examples[1].html, "<p>ok</p>");
    ck_assert_ptr_null(r->pass_examples[1].body);
    ck_assert_uint_eq(r->pass_examples[1].nmeta, 1);
    ck_assert_str_eq(r->pass_examples[1].meta_names[0], "author");
    ck_assert_str_eq(r->pass_examples[1].meta_values[0], "Jane");

    /* an alias reuses the anchored list: same patterns, own compiled codes */
    const sl_rule *det = rule(p, "paywall.meter-detect");
    ck_assert_int_eq(det->check, SL_CHECK_DETECT);
    ck_assert_int_eq(det->info.severity, SL_SEV_INFO);
    ck_assert_str_eq(det->info.check, "detect");
    ck_assert_str_eq(det->info.message, "");
    ck_assert_uint_eq(det->npatterns, 3);
    for (size_t i = 0; i < 3; i++) {
        ck_assert_str_eq(det->patterns[i].text, r->patterns[i].text);
        ck_assert_ptr_ne(det->patterns[i].code, r->patterns[i].code);
    }
    ck_assert(matches(&det->patterns[0], "subscribe now"));

    /* scopes and a pack parameter */
    const sl_rule *cr = rule(p, "attribution.credit");
    ck_assert_str_eq(cr->patterns[0].text, "Acme Times");
    ck_assert(matches(&cr->patterns[0], "by acme\ntimes staff"));
    ck_assert_uint_eq(cr->nscopes, 3);
    ck_assert_int_eq(cr->scopes[0].kind, SL_SCOPE_TAIL);
    ck_assert_uint_eq(cr->scopes[0].words, 40);
    ck_assert_str_eq(cr->scopes[0].name, "tail:40");
    ck_assert_int_eq(cr->scopes[1].kind, SL_SCOPE_META);
    ck_assert_str_eq(cr->scopes[1].meta, "author");
    ck_assert_str_eq(cr->scopes[1].name, "meta.author");
    ck_assert_int_eq(cr->scopes[2].kind, SL_SCOPE_LEAD);
    ck_assert_uint_eq(cr->scopes[2].words, 60);

    /* conditions and {rule:} items, resolved to indices */
    int icr = sl_profile_find(p, "attribution.credit");
    int idet = sl_profile_find(p, "paywall.meter-detect");
    const sl_rule *ds = rule(p, "disclaimer.syndicated");
    ck_assert_int_eq(ds->check, SL_CHECK_REQUIRE);
    ck_assert_int_eq(ds->severity, SL_SEV_WARNING);
    ck_assert_uint_eq(ds->npatterns, 2);
    ck_assert_int_eq(ds->patterns[1].rule_ref, icr);
    ck_assert_ptr_null(ds->patterns[1].code);
    ck_assert_int_eq(ds->scopes[0].kind, SL_SCOPE_TAIL);
    ck_assert_uint_eq(ds->scopes[0].words, 80);
    ck_assert_ptr_nonnull(ds->when);
    ck_assert_int_eq(ds->when->kind, SL_COND_RULE);
    ck_assert_int_eq(ds->when->rule, icr);
    const sl_cond *u = ds->unless;
    ck_assert_int_eq(u->kind, SL_COND_ANY);
    ck_assert_uint_eq(u->nkids, 2);
    ck_assert_int_eq(u->kids[0].kind, SL_COND_MATCH);
    ck_assert_uint_eq(u->kids[0].nscopes, 1);
    ck_assert_int_eq(u->kids[0].scopes[0].kind, SL_SCOPE_TITLE);
    ck_assert(matches(&u->kids[0].pat, "An Opinion piece"));
    ck_assert_int_eq(u->kids[1].kind, SL_COND_NOT);
    ck_assert_int_eq(u->kids[1].kids[0].kind, SL_COND_RULE);
    ck_assert_int_eq(u->kids[1].kids[0].rule, idet);

    /* a parameter inside a regex matches literally; enabled: false */
    const sl_rule *pr = rule(p, "house-style.price");
    ck_assert_int_eq(pr->enabled, 0);
    ck_assert_int_eq(pr->info.enabled, 0);
    ck_assert_int_eq(pr->severity, SL_SEV_INFO);
    ck_assert_str_eq(pr->patterns[0].text, "costs $1.99 (net)");
    ck_assert(matches(&pr->patterns[0], "it costs $1.99 (net) a month"));
    ck_assert(!matches(&pr->patterns[0], "it costs $1x99 (net) a month"));
    ck_assert(!matches(&pr->patterns[0], "it COSTS $1.99 (net)"));

    /* a plain list condition is "all"; dependencies come first in order */
    const sl_rule *early = rule(p, "placeholder.early");
    ck_assert_int_eq(early->when->kind, SL_COND_ALL);
    ck_assert_int_eq(early->when->kids[0].rule, 6);
    static const size_t want_order[] = {0, 1, 2, 3, 4, 6, 5};
    for (size_t i = 0; i < 7; i++)
        ck_assert_uint_eq(p->order[i], want_order[i]);
    ck_assert_int_eq(sl_profile_find(p, "nope.nope"), -1);
    ck_assert_ptr_eq(sl_ruleset_profile_for(rs, "anything.txt"), p);
    sl_ruleset_free(rs);
}
END_TEST

/* ------------------------------------------------------------ config and profiles */

START_TEST(test_config_profiles)
{
    sl_ruleset *rs = NULL;
    sl_diag d = {{0}};
    ck_assert_int_eq(load_config(FIX "config/syndlint.yaml", &rs, &d), SL_OK);
    ck_assert_uint_eq(rs->nprofiles, 3);

    /* profile 0: default packs (sorted) then publishers/acme */
    const sl_profile *p0 = &rs->profiles[0];
    static const char *const ids0[] = {"core.placeholder",  "core.credit",   "core.optional",
                                       "paywall.subscribe", "paywall.login", "acme.style"};
    ck_assert_uint_eq(sl_ruleset_rule_count(rs), 6);
    for (size_t i = 0; i < 6; i++)
        ck_assert_str_eq(sl_ruleset_rule(rs, i)->id, ids0[i]);
    ck_assert_str_eq(rule(p0, "core.placeholder")->file, DATA "/10-core.yaml");
    ck_assert_str_eq(rule(p0, "acme.style")->file, DATA "/publishers/acme.yaml");
    /* config params override the pack's */
    ck_assert_str_eq(rule(p0, "core.credit")->patterns[0].text, "Acme Daily");
    /* severity by category, then by id whatever the order written */
    ck_assert_int_eq(rule(p0, "paywall.subscribe")->info.severity, SL_SEV_INFO);
    ck_assert_int_eq(rule(p0, "paywall.login")->info.severity, SL_SEV_ERROR);
    /* disable by category, enable by id */
    ck_assert_int_eq(rule(p0, "acme.style")->info.enabled, 0);
    ck_assert_int_eq(rule(p0, "core.optional")->info.enabled, 1);
    ck_assert_int_eq(rule(p0, "paywall.subscribe")->info.enabled, 1);

    /* profile 1: its own packs, params, enables, disables, severities */
    const sl_profile *p1 = &rs->profiles[1];
    ck_assert_str_eq(p1->name, "pti");
    ck_assert_uint_eq(p1->nglobs, 2);
    ck_assert_uint_eq(p1->nrules, 8);
    ck_assert_str_eq(rule(p1, "core.credit")->patterns[0].text, "PTI");
    ck_assert(matches(&rule(p1, "core.credit")->patterns[0], "(pti)"));
    ck_assert_str_eq(rule(p1, "pti.credit")->patterns[0].text, "(PTI)");
    ck_assert_int_eq(rule(p1, "pti.credit")->when->rule, sl_profile_find(p1, "core.credit"));
    ck_assert_int_eq(rule(p1, "pti.credit")->severity, SL_SEV_WARNING);
    ck_assert_int_eq(rule(p1, "acme.style")->enabled, 1);
    ck_assert_int_eq(rule(p1, "pti.extra")->enabled, 1);
    ck_assert_int_eq(rule(p1, "paywall.subscribe")->enabled, 0);
    ck_assert_int_eq(rule(p1, "core.optional")->enabled, 1);
    ck_assert_int_eq(rule(p1, "paywall.login")->severity, SL_SEV_ERROR);
    /* the profiles do not share compiled patterns */
    ck_assert_ptr_ne(rule(p1, "core.placeholder")->patterns[0].code,
                     rule(p0, "core.placeholder")->patterns[0].code);

    /* profile 2: a pack path relative to the config file */
    const sl_profile *p2 = &rs->profiles[2];
    ck_assert_str_eq(p2->name, "local");
    ck_assert_uint_eq(p2->nrules, 7);
    ck_assert_str_eq(rule(p2, "local.note")->file, FIX "config/local.yaml");
    ck_assert_str_eq(rule(p2, "core.credit")->patterns[0].text, "Acme Daily");

    /* selection by path */
    ck_assert_ptr_eq(sl_ruleset_profile_for(rs, "incoming/pti/2024/a.html"), p1);
    ck_assert_ptr_eq(sl_ruleset_profile_for(rs, "./incoming/pti/a.txt"), p1);
    ck_assert_ptr_eq(sl_ruleset_profile_for(rs, "feeds/x/story.pti.txt"), p1);
    ck_assert_ptr_eq(sl_ruleset_profile_for(rs, "local/a.txt"), p2);
    ck_assert_ptr_eq(sl_ruleset_profile_for(rs, "local/sub/a.txt"), p0);
    ck_assert_ptr_eq(sl_ruleset_profile_for(rs, "incoming/reuters/a.txt"), p0);
    ck_assert_ptr_eq(sl_ruleset_profile_for(rs, "-"), p0);
    sl_ruleset_free(rs);
}
END_TEST

START_TEST(test_profile_params)
{
    sl_ruleset *rs = NULL;
    sl_diag d = {{0}};
    ck_assert_int_eq(load_config(FIX "config/agency.yaml", &rs, &d), SL_OK);
    ck_assert_uint_eq(rs->nprofiles, 2);
    /* config without packs: the default packs load */
    ck_assert_uint_eq(rs->profiles[0].nrules, 5);
    const sl_rule *r = rule(&rs->profiles[1], "np.agency");
    ck_assert_str_eq(r->patterns[0].text, "A+B (wire)");
    ck_assert(matches(&r->patterns[0], "from a+b\n(wire) desk"));
    ck_assert(!matches(&r->patterns[0], "from AAB (wire)"));
    ck_assert_int_eq(sl_profile_find(&rs->profiles[0], "np.agency"), -1);
    ck_assert_ptr_eq(sl_ruleset_profile_for(rs, "wire/a/b.txt"), &rs->profiles[1]);
    sl_ruleset_free(rs);
}
END_TEST

START_TEST(test_default_packs)
{
    sl_ruleset *rs = NULL;
    sl_diag d = {{0}};
    sl_ruleset_options o = {0};
    o.data_dir = DATA;
    ck_assert_int_eq(sl_ruleset_load(&o, &rs, &d), SL_OK);
    ck_assert_uint_eq(sl_ruleset_rule_count(rs), 5);
    ck_assert_str_eq(rule(&rs->profiles[0], "core.credit")->patterns[0].text, "Core Default");
    sl_ruleset_free(rs);

    /* no_default_packs: nothing at all */
    o.no_default_packs = 1;
    ck_assert_int_eq(sl_ruleset_load(&o, &rs, &d), SL_OK);
    ck_assert_uint_eq(sl_ruleset_rule_count(rs), 0);
    sl_ruleset_free(rs);

    /* config without packs: defaults, with the config's params */
    ck_assert_int_eq(load_config(FIX "config/nopacks.yaml", &rs, &d), SL_OK);
    ck_assert_uint_eq(sl_ruleset_rule_count(rs), 5);
    ck_assert_str_eq(rule(&rs->profiles[0], "core.credit")->patterns[0].text, "Nobody");
    sl_ruleset_free(rs);
    ck_assert_int_eq(load_config(FIX "config/empty.yaml", &rs, &d), SL_OK);
    ck_assert_uint_eq(sl_ruleset_rule_count(rs), 5);
    sl_ruleset_free(rs);

    /* rule_paths replace the defaults; a directory and a file in it load once */
    const char *paths[] = {DATA, DATA "/10-core.yaml"};
    o.no_default_packs = 0;
    o.rule_paths = paths;
    o.nrule_paths = 2;
    ck_assert_int_eq(sl_ruleset_load(&o, &rs, &d), SL_OK);
    ck_assert_uint_eq(sl_ruleset_rule_count(rs), 5);
    sl_ruleset_free(rs);
    sl_ruleset_free(NULL);
}
END_TEST

/* Compares two finished patterns: the same literals, probe, backtracking
 * note and JIT flag, and nothing left pending. Loading JIT-compiles
 * nothing (scanners do, for the patterns they run): the ruleset is the
 * same read-only thing for every thread. */
static void same_pattern(const sl_pattern *a, const sl_pattern *b, size_t *jitted)
{
    ck_assert_ptr_null(a->pending);
    ck_assert_ptr_null(b->pending);
    ck_assert_str_eq(a->text, b->text);
    ck_assert_uint_eq(a->lits.nsets, b->lits.nsets);
    ck_assert_uint_eq(a->lits.nlits, b->lits.nlits);
    for (size_t i = 0; i < a->lits.nlits; i++)
        ck_assert_str_eq(a->lits.lits[i], b->lits.lits[i]);
    ck_assert_str_eq(a->probe_text ? a->probe_text : "-", b->probe_text ? b->probe_text : "-");
    ck_assert_str_eq(a->backtrack ? a->backtrack : "-", b->backtrack ? b->backtrack : "-");
    if (!a->code)
        return;
    ck_assert_int_eq(a->jit, b->jit);
    size_t ja = 1, jb = 1;
    pcre2_pattern_info(a->code, PCRE2_INFO_JITSIZE, &ja);
    pcre2_pattern_info(b->code, PCRE2_INFO_JITSIZE, &jb);
    ck_assert_uint_eq(ja, 0);
    ck_assert_uint_eq(jb, 0);
    *jitted += a->jit != 0;
}

static void same_cond(const sl_cond *a, const sl_cond *b, size_t *jitted)
{
    if (!a || !b) {
        ck_assert_ptr_eq(a, b);
        return;
    }
    ck_assert_int_eq(a->kind, b->kind);
    if (a->kind == SL_COND_MATCH)
        same_pattern(&a->pat, &b->pat, jitted);
    ck_assert_uint_eq(a->nkids, b->nkids);
    for (size_t i = 0; i < a->nkids; i++)
        same_cond(&a->kids[i], &b->kids[i], jitted);
}

/* The rules are compiled on several threads: the ruleset is the same
 * whatever their number, every pattern finished and marked for the JIT. */
START_TEST(test_compile_threads)
{
    sl_ruleset *one = NULL, *many = NULL;
    sl_diag d = {{0}};
    sl_ruleset_options o = {0};
    o.data_dir = SL_SOURCE_ROOT "/rules";
    o.jobs = 1;
    ck_assert_msg(sl_ruleset_load(&o, &one, &d) == SL_OK, "%s", d.message);
    o.jobs = 4;
    ck_assert_msg(sl_ruleset_load(&o, &many, &d) == SL_OK, "%s", d.message);
    const sl_profile *a = &one->profiles[0], *b = &many->profiles[0];
    ck_assert_uint_eq(a->nrules, b->nrules);
    ck_assert_uint_gt(a->nrules, 40);
    size_t jitted = 0;
    for (size_t i = 0; i < a->nrules; i++) {
        const sl_rule *x = &a->rules[i], *y = &b->rules[i];
        ck_assert_str_eq(x->id, y->id);
        ck_assert_uint_eq(x->npatterns, y->npatterns);
        ck_assert_uint_eq(x->nexceptions, y->nexceptions);
        for (size_t k = 0; k < x->npatterns; k++)
            same_pattern(&x->patterns[k], &y->patterns[k], &jitted);
        for (size_t k = 0; k < x->nexceptions; k++)
            same_pattern(&x->exceptions[k], &y->exceptions[k], &jitted);
        same_cond(x->when, y->when, &jitted);
        same_cond(x->unless, y->unless, &jitted);
        ck_assert_int_eq(x->info.slow, y->info.slow);
    }
    uint32_t jit = 0;
    if (pcre2_config(PCRE2_CONFIG_JIT, &jit) >= 0 && jit)
        ck_assert_uint_gt(jitted, 100);
    ck_assert_uint_eq(sl_ruleset_warning_count(one), sl_ruleset_warning_count(many));
    sl_ruleset_free(one);
    sl_ruleset_free(many);
}
END_TEST

static size_t gcd(size_t a, size_t b)
{
    while (b) {
        size_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* sl_pattern_fn: collects the compiled regexes (and probes) of a ruleset. */
typedef struct codes {
    const pcre2_code *v[2048];
    size_t n;
} codes;

static sl_status collect_codes(void *user, const sl_rule *r, sl_pattern *pat, sl_pattern_role role,
                               const sl_scope *scopes, size_t nscopes)
{
    codes *c = user;
    (void)r, (void)role, (void)scopes, (void)nscopes;
    if (pat->code && c->n < 2048)
        c->v[c->n++] = pat->code;
    if (pat->probe && c->n < 2048)
        c->v[c->n++] = pat->probe;
    return SL_OK;
}

/* The default packs loaded into *rs, and their compiled regexes and probes
 * (the caller frees both). */
static codes *default_codes(sl_ruleset **rs)
{
    sl_diag d = {{0}};
    sl_ruleset_options o = {0};
    o.data_dir = SL_SOURCE_ROOT "/rules";
    ck_assert_msg(sl_ruleset_load(&o, rs, &d) == SL_OK, "%s", d.message);
    codes *c = calloc(1, sizeof *c);
    ck_assert_ptr_nonnull(c);
    const sl_profile *p = &(*rs)->profiles[0];
    for (size_t i = 0; i < p->nrules; i++)
        ck_assert_int_eq(sl_rule_each_pattern(&p->rules[i], collect_codes, c), SL_OK);
    return c;
}

/* The shared JIT table: the first request for a regex makes a
 * JIT-compiled copy, later ones return that copy, the ruleset's own code is
 * never changed, and the copy answers as the interpreter does; without the
 * JIT flag the code itself is returned. Every regex of the default packs,
 * in a table sized for them, then one more than it has room for. */
START_TEST(test_jit_cache)
{
    sl_ruleset *rs = NULL;
    codes *c = default_codes(&rs);
    ck_assert_uint_gt(c->n, 150);
    uint32_t have_jit = 0;
    if (pcre2_config(PCRE2_CONFIG_JIT, &have_jit) < 0)
        have_jit = 0;
    static const char *const texts[] = {
        "You've reached your limit of 3 free articles. Subscribe now for unlimited access.",
        "NEW DELHI (PTI): The {{headline}} story, by undefined | 5 min read, Rs NaN crore.",
        "An ordinary sentence about the weather in Pune on Monday."};
    sl_jit_table *jt = NULL;
    ck_assert_int_eq(sl_jit_table_new(c->n - 1, &jt), SL_OK);
    pcre2_match_data *md = pcre2_match_data_create(16, NULL);
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i + 1 < c->n; i++) {
            const pcre2_code *got = sl_jit_table_get(jt, c->v[i], 1);
            ck_assert_ptr_nonnull(got);
            ck_assert_ptr_eq(sl_jit_table_get(jt, c->v[i], 1), got);
            ck_assert_ptr_eq(sl_jit_table_get(jt, c->v[i], 0), c->v[i]);
            size_t own = 1, copy = 0;
            pcre2_pattern_info(c->v[i], PCRE2_INFO_JITSIZE, &own);
            pcre2_pattern_info(got, PCRE2_INFO_JITSIZE, &copy);
            ck_assert_uint_eq(own, 0);
            if (have_jit) {
                ck_assert_ptr_ne(got, c->v[i]);
                ck_assert_uint_gt(copy, 0);
            }
            for (size_t t = 0; round == 0 && t < 3; t++) {
                PCRE2_SPTR s = (PCRE2_SPTR)texts[t];
                size_t n = strlen(texts[t]);
                int a = pcre2_match(c->v[i], s, n, 0, 0, md, NULL);
                size_t a0 = a >= 0 ? pcre2_get_ovector_pointer(md)[0] : 0;
                int b = pcre2_match(got, s, n, 0, 0, md, NULL);
                size_t b0 = b >= 0 ? pcre2_get_ovector_pointer(md)[0] : 0;
                ck_assert_int_eq(a >= 0, b >= 0);
                ck_assert_uint_eq(a0, b0);
            }
        }
    ck_assert_uint_eq(sl_jit_table_count(jt), c->n - 1);
    /* Full: the last regex runs in the interpreter rather than overfill
     * the table. */
    ck_assert_ptr_eq(sl_jit_table_get(jt, c->v[c->n - 1], 1), c->v[c->n - 1]);
    ck_assert_uint_eq(sl_jit_table_count(jt), c->n - 1);
    ck_assert_ptr_eq(sl_jit_table_get(jt, NULL, 1), NULL);
    ck_assert_ptr_eq(sl_jit_table_get(NULL, c->v[0], 1), c->v[0]);
    pcre2_match_data_free(md);
    sl_jit_table_free(jt);
    sl_jit_table_free(NULL);
    free(c);
    sl_ruleset_free(rs);
}
END_TEST

/* Threads asking one table for the same regexes at once, each in its own
 * order: all get the same copy of each, and the table keeps one per
 * regex (a copy that lost the race is freed: the sanitizer and valgrind
 * runs see a leak otherwise). */
typedef struct jit_race {
    sl_jit_table *t;
    const codes *c;
    size_t stride;         /* visits the regexes in the order i * stride mod n */
    pthread_barrier_t *go; /* all threads start together */
    const pcre2_code *got[2048];
} jit_race;

static void *jit_race_run(void *arg)
{
    jit_race *r = arg;
    pthread_barrier_wait(r->go);
    for (size_t k = 0; k < r->c->n; k++) {
        size_t i = (k * r->stride) % r->c->n;
        r->got[i] = sl_jit_table_get(r->t, r->c->v[i], 1);
    }
    return NULL;
}

START_TEST(test_jit_shared)
{
    sl_ruleset *rs = NULL;
    codes *c = default_codes(&rs);
    uint32_t have_jit = 0;
    if (pcre2_config(PCRE2_CONFIG_JIT, &have_jit) < 0)
        have_jit = 0;
    /* Rounds enough for the races to happen: the same regex wanted by
     * several threads at once, and the last one claimed while others
     * claim theirs (the table must never seem full then). */
    for (int round = 0; round < 16; round++) {
        sl_jit_table *jt = NULL;
        ck_assert_int_eq(sl_jit_table_new(c->n, &jt), SL_OK);
        enum { NT = 4 };
        jit_race *r = calloc(NT, sizeof *r);
        pthread_t th[NT];
        pthread_barrier_t go;
        ck_assert_int_eq(pthread_barrier_init(&go, NULL, NT), 0);
        /* Strides prime to the count, so each thread covers every regex. */
        size_t stride = 1;
        for (int k = 0; k < NT; k++) {
            while (gcd(stride, c->n) != 1)
                stride++;
            r[k].t = jt;
            r[k].c = c;
            r[k].stride = k == 0 ? 1 : stride;
            r[k].go = &go;
            stride++;
            ck_assert_int_eq(pthread_create(&th[k], NULL, jit_race_run, &r[k]), 0);
        }
        for (int k = 0; k < NT; k++)
            pthread_join(th[k], NULL);
        pthread_barrier_destroy(&go);
        for (size_t i = 0; i < c->n; i++) {
            for (int k = 1; k < NT; k++)
                ck_assert_ptr_eq(r[k].got[i], r[0].got[i]);
            if (have_jit)
                ck_assert_ptr_ne(r[0].got[i], c->v[i]);
        }
        ck_assert_uint_eq(sl_jit_table_count(jt), c->n);
        free(r);
        sl_jit_table_free(jt);
    }
    /* One regex in a table with room for one, wanted by every thread at
     * once: the threads that find it claimed get the winner's copy, and
     * none takes the table for full. */
    for (int round = 0; have_jit && round < 1000; round++) {
        sl_jit_table *jt = NULL;
        ck_assert_int_eq(sl_jit_table_new(1, &jt), SL_OK);
        enum { NT = 4 };
        jit_race *r = calloc(NT, sizeof *r);
        pthread_t th[NT];
        pthread_barrier_t go;
        ck_assert_int_eq(pthread_barrier_init(&go, NULL, NT), 0);
        codes one = {{c->v[round % c->n]}, 1};
        for (int k = 0; k < NT; k++) {
            r[k].t = jt;
            r[k].c = &one;
            r[k].stride = 1;
            r[k].go = &go;
            ck_assert_int_eq(pthread_create(&th[k], NULL, jit_race_run, &r[k]), 0);
        }
        for (int k = 0; k < NT; k++)
            pthread_join(th[k], NULL);
        pthread_barrier_destroy(&go);
        for (int k = 0; k < NT; k++)
            ck_assert_ptr_ne(r[k].got[0], one.v[0]);
        for (int k = 1; k < NT; k++)
            ck_assert_ptr_eq(r[k].got[0], r[0].got[0]);
        free(r);
        sl_jit_table_free(jt);
    }
    /* The ruleset's own table, which its scanners share. */
    ck_assert_ptr_nonnull(rs->jits);
    ck_assert_uint_eq(sl_jit_table_count(rs->jits), 0);
    ck_assert_ptr_eq(sl_jit_table_get(rs->jits, c->v[0], 1),
                     sl_jit_table_get(rs->jits, c->v[0], 1));
    free(c);
    sl_ruleset_free(rs);
}
END_TEST

/* The loader's threads: every item of a loop runs once, whatever the
 * pool (none, one helper, eight), loop after loop on the same threads,
 * with loops of none and one item between; the sanitizer runs check that
 * no helper touches a loop after its caller has returned. */
typedef struct pool_count {
    atomic_int *hits;
    size_t n;
} pool_count;

static void pool_count_item(void *arg, size_t i)
{
    pool_count *c = arg;
    ck_assert_uint_lt(i, c->n);
    atomic_fetch_add(&c->hits[i], 1);
}

START_TEST(test_pool)
{
    static const unsigned helpers[] = {0, 1, 8};
    for (size_t h = 0; h < sizeof helpers / sizeof *helpers; h++) {
        sl_pool *p = NULL;
        ck_assert_int_eq(sl_pool_new(helpers[h], &p), SL_OK);
        ck_assert(helpers[h] == 0 ? p == NULL : p != NULL);
        for (size_t round = 0; round < 300; round++) {
            size_t n = round % 3 == 0 ? round % 2 : 1 + round * 7 % 257;
            atomic_int hits[257];
            for (size_t i = 0; i < 257; i++)
                atomic_init(&hits[i], 0);
            pool_count c = {hits, n};
            sl_pool_for(p, n, pool_count_item, &c);
            for (size_t i = 0; i < 257; i++)
                ck_assert_int_eq(atomic_load(&hits[i]), i < n);
        }
        sl_pool_free(p);
    }
    sl_pool_free(NULL);
}
END_TEST

/* sl_thread_start: the thread runs, its result comes back through
 * pthread_join, and once started it may use every core the process may,
 * whichever core it was started on. */
#ifdef __linux__
static void *thread_cores(void *arg)
{
    cpu_set_t *got = arg;
    CPU_ZERO(got);
    pthread_getaffinity_np(pthread_self(), sizeof *got, got);
    return arg;
}
#endif

static void *thread_echo(void *arg)
{
    return arg;
}

START_TEST(test_thread_start)
{
    for (unsigned k = 0; k < 5; k++) {
        pthread_t th;
        int x = 0;
        void *ret = NULL;
        ck_assert_int_eq(sl_thread_start(&th, thread_echo, &x, k), 0);
        ck_assert_int_eq(pthread_join(th, &ret), 0);
        ck_assert_ptr_eq(ret, &x);
#ifdef __linux__
        cpu_set_t all, got;
        ck_assert_int_eq(sched_getaffinity(0, sizeof all, &all), 0);
        ck_assert_int_eq(sl_thread_start(&th, thread_cores, &got, k), 0);
        ck_assert_int_eq(pthread_join(th, &ret), 0);
        ck_assert(CPU_EQUAL(&got, &all));
#endif
    }
}
END_TEST

START_TEST(test_regex_wrapping)
{
    sl_ruleset *rs = NULL;
    sl_diag d = {{0}};
    ck_assert_int_eq(load_config(FIX "good/regex-config.yaml", &rs, &d), SL_OK);
    const sl_rule *r = rule(&rs->profiles[0], "rx.quoted");
    /* a trailing \Q does not swallow the whole-word wrapper */
    ck_assert(matches(&r->patterns[0], "see a.b now"));
    ck_assert(!matches(&r->patterns[0], "see a.bc"));
    ck_assert(!matches(&r->patterns[0], "see a+b"));
    /* an alternation stays inside the wrapper */
    ck_assert(matches(&r->patterns[1], "x marks"));
    ck_assert(!matches(&r->patterns[1], "xy"));
    ck_assert(!matches(&r->patterns[1], "ay"));
    /* a config param in a regex: escaped, multiline anchors */
    ck_assert_str_eq(r->patterns[2].text, "^Ends with a.b*$");
    ck_assert(matches(&r->patterns[2], "first line\nEnds with a.b*\nlast"));
    ck_assert(!matches(&r->patterns[2], "Ends with a.bbb"));
    ck_assert(!matches(&r->patterns[2], "Ends with axb*"));
    sl_ruleset_free(rs);
}
END_TEST

/* ------------------------------------------------------------ explain */

START_TEST(test_explain)
{
    sl_ruleset *rs = NULL;
    sl_diag d = {{0}};
    ck_assert_int_eq(load_pack(FIX "good/full.yaml", &rs, &d), SL_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_int_eq(sl_ruleset_explain(rs, "disclaimer.syndicated", f), SL_OK);
    ck_assert_int_eq(sl_ruleset_explain(rs, "paywall.meter", f), SL_OK);
    fclose(f);
    static const char *const want[] = {
        "disclaimer.syndicated\n",
        "  category:    disclaimer\n",
        "  check:       require\n",
        "  severity:    warning\n",
        "  defined at:  " FIX "good/full.yaml:39\n",
        "  scope:       tail\n",
        "    - literal \"This story has not been edited\" (ignore case)\n",
        "    - rule attribution.credit\n",
        "  when:        attribution.credit\n",
        ("  unless:      any of (match literal \"opinion\" (ignore case) in title, not "
         "(paywall.meter-detect))\n"),
        "    - regex \"\\\\{\\\\{\\\\s*free_limit\\\\s*\\\\}\\\\}\" (case-sensitive)\n",
        "    - literal \"free articles\" (ignore case, whole word)\n",
        "  exceptions:\n",
        "  fail examples:\n",
        "    2. title: \"Hello\", body: \"You have read 3 free articles.\"\n",
        "    2. html: \"<p>ok</p>\", meta.author: \"Jane\"\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_msg(strstr(buf, want[i]), "missing %s in:\n%s", want[i], buf);
    free(buf);
    f = fopen("/dev/null", "w");
    ck_assert_int_eq(sl_ruleset_explain(rs, "no.such", f), SL_ENOTFOUND);
    fclose(f);
    sl_ruleset_free(rs);
}
END_TEST

/* ------------------------------------------------------------ backtracking */

/* Regexes that backtrack catastrophically, each with the repeat the
 * warning names and its offset. */
static const struct {
    const char *rx;
    const char *part;
    size_t offset;
} risky[] = {
    {"(a+)+", "(a+)+", 0},
    {"(\\w+\\s?)*", "(\\w+\\s?)*", 0},
    {"^(\\w+\\s?)*$", "(\\w+\\s?)*", 1},
    {"(.*)*", "(.*)*", 0},
    {"(a|aa)+", "(a|aa)+", 0},
    {"(x+x+)+y", "(x+x+)+", 0},
    {"(a*)*b", "(a*)*", 0},
    {"(a|a?)+$", "(a|a?)+", 0},
    {"^(\\d+)*$", "(\\d+)*", 1},
    {"(?:\\w+|\\d+)+!", "(?:\\w+|\\d+)+", 0},
    {"(?:.*,)*x", "(?:.*,)*", 0},
    {"(?:.*?,)*x", "(?:.*?,)*", 0},
    {"(?:x*y*)*z", "(?:x*y*)*", 0},
    {"(?:a{1,2})+b", "(?:a{1,2})+", 0},
    {"(?:a{1,40})+b", "(?:a{1,40})+", 0},
    {"(?:\\p{L}+\\s?)+$", "(?:\\p{L}+\\s?)+", 0},
    {"(?:[a-z]+|[aeiou]+)*#", "(?:[a-z]+|[aeiou]+)*", 0},
    {"(?i)(?:A|a)+!", "(?:A|a)+", 4},
    {"(?x) ( a + ) + $", "( a + ) +", 5},
    {"\\b(?:(?:\\w+\\s*)+,)", "(?:\\w+\\s*)+", 5},
    {"end: (?:\\S+\\s?){2,}$", "(?:\\S+\\s?){2,}", 5},
    /* A bound past 16 is a loop, whatever its body; the body is what
     * makes it ambiguous. */
    {"\\s+(?:a|aa){1,40}\\w+!", "(?:a|aa){1,40}", 3},
    {"x+(?:\\s?\\w+){3,50}$", "(?:\\s?\\w+){3,50}", 2},
};

/* Safe ones: unambiguous repeats, possessive and atomic ones, bounded ones,
 * polynomial shapes, and what the analysis does not model. */
static const char *const safe[] = {
    /* Every loop over a single character set or atomic group, the shape
     * of most of the packs' regexes: */
    "subscribe\\s+(?:now|today)\\W+\\d{1,3}\\s*free\\s+articles?",
    "\\{\\{\\s*[\\w.]+\\s*\\}\\}.*$",
    "a{2,40}b+(?>\\w+\\s)*c",
    "(\\w++\\s?)*!",
    "(?>\\w+\\s?)*!",
    "(?>a+)+b",
    "(?:[A-Z][a-z]*\\s+)+Inc",
    "(?:\\S+\\s+){0,12}?end",
    "(?:\\s+\\S+)*$",
    "(?:a+b)+",
    "(a|b)*c",
    "[ab]*c",
    "(?:ab|cd)+",
    "TK(?:TK)+",
    "\\W+(?:the\\W+)?end",
    "\\s*\\s*$",
    ".*.*=.*",
    "(?:[^,]*,)*x",
    "(?:\\s*,\\s*\\w+)*;",
    "(?:A|a)+!",
    "(?:\\p{Lu}|\\p{Ll})+!",
    "(a+){5}",
    "(?:a|(?=b)b)*$",
    "(\\w)\\1+",
    "(a+)+\\1",
    "(?(1)a|b)+",
    "(?R)?x",
    "\\{\\{\\s*[A-Za-z_][^{}\\n]{0,80}?\\}\\}",
    "(?:[A-Z][\\p{L}'.-]*,?\\s+){1,3}\\(AP\\)",
};

START_TEST(test_backtrack_risky)
{
    char *why = NULL;
    const char *rx = risky[_i].rx;
    ck_assert_int_eq(sl_regex_backtrack_risk(rx, strlen(rx), 0, &why), SL_OK);
    ck_assert_msg(why, "no warning for %s", rx);
    char want[160];
    snprintf(want, sizeof want, "'%s' at offset %zu repeats a part", risky[_i].part,
             risky[_i].offset);
    ck_assert_msg(strncmp(why, want, strlen(want)) == 0, "%s: got %s, want %s...", rx, why, want);
    free(why);
}
END_TEST

START_TEST(test_backtrack_safe)
{
    char *why = NULL;
    const char *rx = safe[_i];
    ck_assert_int_eq(sl_regex_backtrack_risk(rx, strlen(rx), 0, &why), SL_OK);
    ck_assert_msg(!why, "false warning for %s: %s", rx, why);
}
END_TEST

START_TEST(test_backtrack_caseless)
{
    /* 'A' and 'a' are one character only when case is ignored. */
    char *why = NULL;
    ck_assert_int_eq(sl_regex_backtrack_risk("(?:A|a)+!", 9, 1, &why), SL_OK);
    ck_assert_ptr_nonnull(why);
    free(why);
    ck_assert_int_eq(sl_regex_backtrack_risk("(?-i:A|a)+!", 11, 1, &why), SL_OK);
    ck_assert_ptr_null(why);
    /* A long snippet is cut, on a character boundary, and stays one line. */
    const char *longrx = "(?:\xC3\xA9t\xC3\xA9\\s?|\\w+\\s?|#\n# comment\n)+$";
    ck_assert_int_eq(sl_regex_backtrack_risk(longrx, strlen(longrx), 0, &why), SL_OK);
    ck_assert_ptr_nonnull(why);
    ck_assert_ptr_null(strchr(why, '\n'));
    free(why);
}
END_TEST

/* Every pattern of a pack, in every place a pattern goes, is looked at;
 * each warning names its place and rule once, however many profiles
 * compile the pack; `rules explain` says it too. */
START_TEST(test_backtrack_warnings)
{
    sl_ruleset *rs = NULL;
    sl_diag d = {{0}};
    ck_assert_int_eq(load_config(FIX "good/backtrack-config.yaml", &rs, &d), SL_OK);
    ck_assert_uint_eq(rs->nprofiles, 2);
    ck_assert_uint_eq(sl_ruleset_warning_count(rs), 3);
    static const char *const want[] = {
        FIX "good/backtrack.yaml:10:16: rule 'bt.forbid': regex can backtrack catastrophically: "
            "'(\\w+\\s?)*' at offset 1 repeats a part that can match the same text in several "
            "ways (nested or overlapping quantifiers), so a near match takes exponential time; "
            "make the part unambiguous, possessive (a++) or atomic (?>...)",
        FIX "good/backtrack.yaml:13:16: rule 'bt.forbid': regex can backtrack catastrophically: "
            "'(a|aa)+' at offset 0",
        FIX "good/backtrack.yaml:19:27: rule 'bt.when': regex can backtrack catastrophically: "
            "'(?:.*,)*' at offset 0",
    };
    for (size_t i = 0; i < 3; i++)
        ck_assert_msg(strncmp(sl_ruleset_warning(rs, i), want[i], strlen(want[i])) == 0,
                      "warning %zu: %s", i, sl_ruleset_warning(rs, i));
    ck_assert_ptr_null(sl_ruleset_warning(rs, 3));
    ck_assert_ptr_null(rule(&rs->profiles[0], "bt.safe")->patterns[0].backtrack);
    ck_assert_ptr_null(rule(&rs->profiles[0], "bt.forbid")->patterns[1].backtrack);

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_int_eq(sl_ruleset_explain(rs, "bt.forbid", f), SL_OK);
    fclose(f);
    ck_assert_msg(strstr(buf, "    - regex \"^(\\\\w+\\\\s?)*$\" (ignore case)\n"
                              "        prefilter: no literal: slow, runs on every text in scope\n"
                              "        warning: can backtrack catastrophically: '(\\w+\\s?)*' at "
                              "offset 1 repeats"),
                  "%s", buf);
    ck_assert_msg(strstr(buf, "warning: can backtrack catastrophically: '(a|aa)+'"), "%s", buf);
    free(buf);
    sl_ruleset_free(rs);
    ck_assert_uint_eq(sl_ruleset_warning_count(NULL), 0);
    ck_assert_ptr_null(sl_ruleset_warning(NULL, 0));
}
END_TEST

/* A rule is slow when an item or a match condition has no literal for
 * the prefilter (both run on every document in scope); an exception only
 * runs where an item matched, and a pattern that reads only named
 * metadata fields reads a line or so. `rules explain` names the
 * condition's prefilter too. */
START_TEST(test_slow_rules)
{
    sl_ruleset *rs = NULL;
    sl_diag d = {{0}};
    ck_assert_int_eq(load_pack(FIX "good/slow.yaml", &rs, &d), SL_OK);
    static const struct {
        const char *id;
        int slow;
    } want[] = {{"s.fast", 0},      {"s.item", 1},           {"s.condition", 1},
                {"s.exception", 0}, {"s.rule-condition", 0}, {"s.named-meta", 0},
                {"s.any-meta", 1}};
    ck_assert_uint_eq(sl_ruleset_rule_count(rs), 7);
    for (size_t i = 0; i < 7; i++) {
        ck_assert_str_eq(sl_ruleset_rule(rs, i)->id, want[i].id);
        ck_assert_msg(sl_ruleset_rule(rs, i)->slow == want[i].slow, "%s", want[i].id);
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_int_eq(sl_ruleset_explain(rs, "s.condition", f), SL_OK);
    fclose(f);
    ck_assert_msg(strstr(buf, "  when:        match regex \"^\\\\d{3,}$\" (ignore case) in body\n"
                              "        prefilter: no literal: slow, runs on every text in scope\n"),
                  "%s", buf);
    free(buf);
    sl_ruleset_free(rs);
}
END_TEST

/* The packs syndlint ships load without a backtracking warning: a false
 * one there would teach users to ignore it. */
START_TEST(test_backtrack_default_packs)
{
    sl_ruleset *rs = NULL;
    sl_diag d = {{0}};
    const char *paths[] = {SL_SOURCE_ROOT "/rules", SL_SOURCE_ROOT "/rules/publishers"};
    sl_ruleset_options o = {0};
    o.rule_paths = paths;
    o.nrule_paths = 2;
    ck_assert_int_eq(sl_ruleset_load(&o, &rs, &d), SL_OK);
    ck_assert_uint_gt(sl_ruleset_rule_count(rs), 40);
    for (size_t i = 0; i < sl_ruleset_warning_count(rs); i++)
        ck_abort_msg("%s", sl_ruleset_warning(rs, i));
    /* Nor is any of them slow: each item and condition has a literal. */
    for (size_t i = 0; i < sl_ruleset_rule_count(rs); i++)
        ck_assert_msg(!sl_ruleset_rule(rs, i)->slow, "%s is slow", sl_ruleset_rule(rs, i)->id);
    sl_ruleset_free(rs);
    /* The example config: the default packs with profiles and parameters. */
    sl_ruleset_options c = {0};
    c.config_path = SL_SOURCE_ROOT "/docs/examples/syndlint.yaml";
    c.data_dir = SL_SOURCE_ROOT "/rules";
    ck_assert_int_eq(sl_ruleset_load(&c, &rs, &d), SL_OK);
    ck_assert_uint_gt(rs->nprofiles, 1);
    for (size_t i = 0; i < sl_ruleset_warning_count(rs); i++)
        ck_abort_msg("%s", sl_ruleset_warning(rs, i));
    sl_ruleset_free(rs);
}
END_TEST

/* ------------------------------------------------------------ globs */

START_TEST(test_glob)
{
    ck_assert(sl_glob_match("incoming/pti/**", "incoming/pti/a/b/c.txt"));
    ck_assert(sl_glob_match("incoming/**/x.txt", "incoming/x.txt"));
    ck_assert(sl_glob_match("incoming/**/x.txt", "incoming/a/b/x.txt"));
    ck_assert(!sl_glob_match("incoming/*/x.txt", "incoming/a/b/x.txt"));
    ck_assert(sl_glob_match("incoming/*/x.txt", "incoming/a/x.txt"));
    ck_assert(sl_glob_match("*.txt", "a/b/c.txt"));
    ck_assert(!sl_glob_match("*.txt", "a/b/c.html"));
    ck_assert(sl_glob_match("a?c", "abc"));
    ck_assert(sl_glob_match("a?c", "a\xC3\xA9"
                                   "c"));
    ck_assert(!sl_glob_match("a?c", "a/c"));
    ck_assert(sl_glob_match("./a/*.md", "./a/x.md"));
    /* Unanchored globs match from any directory boundary; '/' anchors. */
    ck_assert(sl_glob_match("a/*.md", "b/a/x.md"));
    ck_assert(sl_glob_match("incoming/pti/**", "/srv/feeds/incoming/pti/a.xml"));
    ck_assert(!sl_glob_match("incoming/pti/**", "/srv/feeds/xincoming/pti/a.xml"));
    ck_assert(!sl_glob_match("/a/*.md", "b/a/x.md"));
    ck_assert(sl_glob_match("/a/*.md", "a/x.md"));
    ck_assert(sl_glob_match("/srv/*/x.md", "/srv/a/x.md"));
    ck_assert(!sl_glob_match("/srv/*/x.md", "/data/srv/a/x.md"));
    ck_assert(sl_glob_match("**", "anything/at/all"));
}
END_TEST

static Suite *rules_suite(void)
{
    Suite *s = suite_create("rules");
    TCase *tc = tcase_create("errors");
    tcase_add_loop_test(tc, test_bad_pack, 0, (int)(sizeof bad_packs / sizeof bad_packs[0]));
    tcase_add_loop_test(tc, test_bad_config, 0, (int)(sizeof bad_configs / sizeof bad_configs[0]));
    tcase_add_test(tc, test_missing_rule_path);
    tcase_add_test(tc, test_bad_packs_in_order);
    suite_add_tcase(s, tc);
    tc = tcase_create("load");
    tcase_add_test(tc, test_full_pack);
    tcase_add_test(tc, test_config_profiles);
    tcase_add_test(tc, test_profile_params);
    tcase_add_test(tc, test_default_packs);
    tcase_add_test(tc, test_compile_threads);
    tcase_add_test(tc, test_regex_wrapping);
    tcase_add_test(tc, test_explain);
    tcase_add_test(tc, test_glob);
    suite_add_tcase(s, tc);
    tc = tcase_create("backtracking");
    tcase_add_loop_test(tc, test_backtrack_risky, 0, (int)(sizeof risky / sizeof risky[0]));
    tcase_add_loop_test(tc, test_backtrack_safe, 0, (int)(sizeof safe / sizeof safe[0]));
    tcase_add_test(tc, test_backtrack_caseless);
    tcase_add_test(tc, test_backtrack_warnings);
    tcase_add_test(tc, test_backtrack_default_packs);
    tcase_add_test(tc, test_slow_rules);
    tcase_add_test(tc, test_jit_cache);
    tcase_add_test(tc, test_jit_shared);
    tcase_add_test(tc, test_pool);
    tcase_add_test(tc, test_thread_start);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(rules_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
