/* `syndlint rules list|test|explain`, and loading rules for every command. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

const char *cli_opt_value(const char *name, int argc, char **argv, int *i, int *err)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        fprintf(stderr, "syndlint: option %s needs a value\n", name);
        *err = 1;
        return NULL;
    }
    return argv[++*i];
}

int cli_rules_option(cli_rules_opts *o, int argc, char **argv, int *i)
{
    int err = 0;
    const char *v;
    if ((v = cli_opt_value("--config", argc, argv, i, &err))) {
        o->config = v;
        return 1;
    }
    if (!err && (v = cli_opt_value("--rules-dir", argc, argv, i, &err))) {
        o->rules_dir = v;
        return 1;
    }
    if (!err && (v = cli_opt_value("--rules", argc, argv, i, &err))) {
        const char **p = realloc(o->rules, (o->nrules + 1) * sizeof *p);
        if (!p) {
            fprintf(stderr, "syndlint: out of memory\n");
            return -1;
        }
        o->rules = p;
        o->rules[o->nrules++] = v;
        return 1;
    }
    return err ? -1 : 0;
}

static int is_dir(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The default packs: an explicit --rules-dir or $SYNDLINT_RULES_DIR, else
 * the installed data directory, else the source tree this binary was built
 * from (so a build can be run before it is installed). */
static const char *default_rules_dir(void)
{
    const char *env = getenv("SYNDLINT_RULES_DIR");
    if (env && *env)
        return env;
    if (is_dir(SL_DATADIR "/rules"))
        return SL_DATADIR "/rules";
    return SL_SOURCE_RULES_DIR;
}

sl_ruleset *cli_load_rules(cli_rules_opts *o)
{
    if (!o->config && access("syndlint.yaml", F_OK) == 0)
        o->config = "syndlint.yaml";
    if (!o->rules_dir)
        o->rules_dir = default_rules_dir();
    sl_ruleset_options opt = {0};
    opt.config_path = o->config;
    opt.rule_paths = o->rules;
    opt.nrule_paths = o->nrules;
    opt.data_dir = o->rules_dir;
    /* For valgrind runs: it cannot follow JIT-compiled code. */
    opt.no_jit = getenv("SYNDLINT_NO_JIT") != NULL;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    opt.jobs = o->jobs ? o->jobs : cores > 0 ? (unsigned)cores : 1;
    sl_ruleset *rs = NULL;
    sl_diag diag = {{0}};
    sl_status st = sl_ruleset_load(&opt, &rs, &diag);
    if (st != SL_OK) {
        fprintf(stderr, "syndlint: %s\n", diag.message[0] ? diag.message : "cannot load the rules");
        return NULL;
    }
    /* Rules that load but are risky: a regex that can backtrack
     * catastrophically, named by its place. */
    for (size_t i = 0; i < sl_ruleset_warning_count(rs); i++)
        fprintf(stderr, "syndlint: warning: %s\n", sl_ruleset_warning(rs, i));
    /* A rule the prefilter cannot skip costs a regex run per document. */
    size_t nslow = 0;
    for (size_t i = 0; i < sl_ruleset_rule_count(rs); i++) {
        const sl_rule_info *ri = sl_ruleset_rule(rs, i);
        if (ri->enabled && ri->slow)
            fprintf(stderr, "%s%s",
                    nslow++ ? ", "
                            : "syndlint: warning: slow rules (a pattern "
                              "without a literal for the prefilter): ",
                    ri->id);
    }
    if (nslow)
        fputc('\n', stderr);
    return rs;
}

void cli_rules_opts_clear(cli_rules_opts *o)
{
    free(o->rules);
    o->rules = NULL;
    o->nrules = 0;
}

typedef struct test_state {
    int verbose;
} test_state;

static void on_example(void *user, const char *rule_id, const char *kind, size_t index, int ok,
                       const char *detail)
{
    test_state *ts = user;
    if (!ok)
        printf("FAIL  %s  %s example %zu: %s\n", rule_id, kind, index + 1, detail);
    else if (ts->verbose)
        printf("ok    %s  %s example %zu\n", rule_id, kind, index + 1);
}

static int rules_list(sl_ruleset *rs)
{
    size_t n = sl_ruleset_rule_count(rs);
    for (size_t i = 0; i < n; i++) {
        const sl_rule_info *r = sl_ruleset_rule(rs, i);
        printf("%-44s %-12s %-8s %-8s%s\n", r->id, r->category,
               strcmp(r->check, "detect") == 0 ? "-" : sl_severity_name(r->severity), r->check,
               r->enabled ? "" : " (disabled)");
    }
    return EXIT_PASS;
}

static int rules_test(sl_ruleset *rs, int verbose)
{
    test_state ts = {verbose};
    size_t ntested = 0, nfailed = 0;
    sl_diag diag = {{0}};
    sl_status st = sl_ruleset_test(rs, on_example, &ts, &ntested, &nfailed, &diag);
    if (st != SL_OK) {
        fprintf(stderr, "syndlint: %s\n", diag.message);
        return EXIT_USAGE;
    }
    size_t missing = 0;
    size_t n = sl_ruleset_rule_count(rs);
    for (size_t i = 0; i < n; i++) {
        const sl_rule_info *r = sl_ruleset_rule(rs, i);
        if (r->nfail_examples == 0 || r->npass_examples == 0) {
            printf("warn  %s  has no %s example\n", r->id,
                   r->nfail_examples == 0 ? "fail" : "pass");
            missing++;
        }
    }
    printf("%zu rules, %zu examples: %zu passed, %zu failed\n", n, ntested, ntested - nfailed,
           nfailed);
    return nfailed ? EXIT_FINDINGS : EXIT_PASS;
}

int cli_rules(int argc, char **argv)
{
    cli_rules_opts ro = {0};
    const char *sub = NULL, *id = NULL;
    int verbose = 0, code = EXIT_USAGE;
    sl_ruleset *rs = NULL;
    for (int i = 1; i < argc; i++) {
        int r = cli_rules_option(&ro, argc, argv, &i);
        if (r < 0)
            goto out;
        if (r > 0)
            continue;
        if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--verbose") == 0) {
            verbose = 1;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "syndlint: rules: unknown option '%s'\n", argv[i]);
            goto out;
        } else if (!sub) {
            sub = argv[i];
        } else if (!id) {
            id = argv[i];
        } else {
            fprintf(stderr, "syndlint: rules: unexpected argument '%s'\n", argv[i]);
            goto out;
        }
    }
    if (!sub ||
        (strcmp(sub, "list") != 0 && strcmp(sub, "test") != 0 && strcmp(sub, "explain") != 0)) {
        fprintf(stderr, "usage: syndlint rules list|test|explain ID [--config F] [--rules P] "
                        "[--rules-dir D]\n");
        goto out;
    }
    if (strcmp(sub, "explain") == 0 && !id) {
        fprintf(stderr, "syndlint: rules explain needs a rule id\n");
        goto out;
    }
    rs = cli_load_rules(&ro);
    if (!rs)
        goto out;
    if (strcmp(sub, "list") == 0) {
        code = rules_list(rs);
    } else if (strcmp(sub, "test") == 0) {
        code = rules_test(rs, verbose);
    } else {
        sl_status st = sl_ruleset_explain(rs, id, stdout);
        if (st == SL_ENOTFOUND)
            fprintf(stderr, "syndlint: no rule '%s' (see 'syndlint rules list')\n", id);
        code = st == SL_OK ? EXIT_PASS : EXIT_USAGE;
    }
out:
    sl_ruleset_free(rs);
    cli_rules_opts_clear(&ro);
    return code;
}
