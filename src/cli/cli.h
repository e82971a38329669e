/*
 * The syndlint program. It uses only the public API in syndlint/syndlint.h;
 * everything here is argument handling, walking the inputs, output and exit
 * codes.
 */
#ifndef SL_CLI_H
#define SL_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "syndlint/syndlint.h"

/* Exit codes (the contract in DESIGN.md). */
enum { EXIT_PASS = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2, EXIT_INPUT = 3 };

/* Options shared by `scan` and `rules`: where the rules come from. */
typedef struct cli_rules_opts {
    const char *config; /* --config, or syndlint.yaml when present */
    const char **rules; /* --rules, repeatable; owned array, borrowed strings */
    size_t nrules;
    const char *rules_dir; /* --rules-dir, $SYNDLINT_RULES_DIR, or the default */
} cli_rules_opts;

/* Handles --config/--rules/--rules-dir at argv[*i]; returns 1 when it
 * consumed the option (advancing *i), 0 when the option is not one of
 * these, -1 on a usage error (message printed). */
int cli_rules_option(cli_rules_opts *o, int argc, char **argv, int *i);
/* Loads the ruleset; prints the one-line error and returns NULL on failure. */
sl_ruleset *cli_load_rules(cli_rules_opts *o);
void cli_rules_opts_clear(cli_rules_opts *o);

/* Value of "--name=value" or "--name value" at argv[*i]; NULL when argv[*i]
 * is not that option. Prints an error and sets *err when the value is
 * missing. */
const char *cli_opt_value(const char *name, int argc, char **argv, int *i, int *err);

int cli_scan(int argc, char **argv);
int cli_rules(int argc, char **argv);
/* `syndlint diff OLD.json NEW.json`: new, fixed and unchanged findings. */
int cli_diff(int argc, char **argv);

/* Options for inputs by URL (fetch_opts.c). */
typedef struct cli_fetch_opts {
    char **lines; /* owned: the inputs read from --inputs FILE, in order */
    size_t nlines;
    const char *cache_dir; /* --cache-dir; NULL: $XDG_CACHE_HOME/syndlint */
    int no_cache;          /* --no-cache */
    long timeout_ms;       /* --fetch-timeout SECONDS; 0: the library's default */
    long max_redirects;    /* --max-redirects N; 0: default, -1: none */
} cli_fetch_opts;

/* Handles --inputs, --cache-dir, --no-cache, --fetch-timeout and
 * --max-redirects at argv[*i], as cli_rules_option does; --inputs appends
 * the file's lines to o->lines. */
int cli_fetch_option(cli_fetch_opts *o, int argc, char **argv, int *i);
/* The fetcher for URL inputs (the cache created on the way); NULL with a
 * message printed when libcurl cannot start. */
sl_fetcher *cli_fetcher_new(const cli_fetch_opts *o, size_t max_size);
void cli_fetch_opts_clear(cli_fetch_opts *o);

/* Inputs: the walk of the paths given on the command line. */
typedef struct cli_input {
    char *path;  /* owned */
    char *error; /* owned; set when the input cannot be scanned at all */
} cli_input;

typedef struct cli_inputs {
    cli_input *items;
    size_t n, cap;
} cli_inputs;

typedef struct cli_walk_opts {
    const char **include; /* globs; borrowed */
    size_t ninclude;
    const char **exclude;
    size_t nexclude;
    int follow; /* --follow: follow symbolic links met in directories */
} cli_walk_opts;

/* Expands files, directories (recursively, in sorted order, skipping hidden
 * entries and files of unknown kinds) and "-" into a list of inputs, in the
 * order given. Paths that do not exist, and directory loops, become inputs
 * with an error. Returns 0, or -1 when out of memory. */
int cli_walk(const char *const *paths, size_t npaths, const cli_walk_opts *o, cli_inputs *out);
void cli_inputs_clear(cli_inputs *in);

/* SIGINT/SIGTERM (signals.c): the handler only records the signal; the
 * scan loop and its workers poll cli_interrupted() and stop taking files. */
void cli_signals_install(void);
/* The signal number received (SIGINT, SIGTERM), or 0. */
int cli_interrupted(void);

/* --shard K/N (shard.c). Parses "K/N" (1 <= K <= N); returns 0 when
 * malformed. */
int cli_shard_parse(const char *spec, unsigned *k, unsigned *n);
/* Keeps only the inputs of shard K of N: those whose path hashes to K-1
 * modulo N. Stable across runs and machines. */
void cli_shard_filter(cli_inputs *in, unsigned k, unsigned n);

/* --changed-since REV (changed.c): keeps only the inputs git reports as
 * added, copied, modified or renamed since REV, or untracked and not
 * ignored; URLs and stdin are kept. Returns 0 (reason printed) when git
 * cannot say (not a repository, unknown revision). */
int cli_changed_filter(cli_inputs *in, const char *rev);

int cli_merge(int argc, char **argv);

/* Text output. */
typedef struct cli_text_out {
    FILE *out;
    int color;
    int quiet; /* only files that did not pass */
} cli_text_out;

void cli_text_file(const cli_text_out *t, const sl_file_result *res);
void cli_text_summary(const cli_text_out *t, size_t files, size_t docs, size_t passed,
                      size_t failed, size_t errors, size_t findings);

#endif
