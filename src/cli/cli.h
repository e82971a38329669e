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
    unsigned jobs;         /* threads for compiling the rules; 0: the cores */
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
    int follow;  /* --follow: follow symbolic links met in directories */
    FILE *notes; /* where skipped entries are noted; NULL: stderr */
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
/* The pieces of cli_text_file, for a file whose documents come one at a
 * time: its line, then each document's (`single`: the file is this one
 * document, whose id is its path; its findings go right under the file). */
void cli_text_head(const cli_text_out *t, const char *path, sl_verdict verdict, const char *error);
void cli_text_doc(const cli_text_out *t, const sl_doc_result *d, int single);

/* What becomes of each judged document and file (emit.c): baseline and
 * ignore file applied, totals kept, text or JSON Lines printed, reports
 * added to. Documents come in order, one file after another. */
typedef struct cli_emit {
    /* Set by the caller. */
    const sl_baseline *baseline; /* NULL: none */
    const sl_ignore *ignore;     /* NULL: none */
    sl_severity fail_on;
    cli_text_out text;
    int text_on;      /* print text (stdout is not a machine format) */
    int jsonl_stdout; /* print each document as a JSON Lines object */
    int json_stdout;  /* stdout is a machine format: ERROR reasons go to stderr */
    sl_report **reps; /* borrowed */
    size_t nreps;
    /* Totals of the run. */
    size_t files, docs, passed, failed, errors, findings, baselined;
    int any_fail, any_error, out_of_memory, stdout_failed;
    /* The file in progress. */
    size_t ndocs;
    sl_verdict worst;
    char *first_error;   /* owned: the first document error */
    sl_doc_result first; /* owned: held until it is known whether it is the only one */
    int have_first;
    FILE *spool;     /* text of the file's documents, until its line is printed */
    char *spool_mem; /* owned by open_memstream while spool_in_mem */
    size_t spool_len;
    int spool_in_mem;
} cli_emit;

/* One judged document of `path`: takes the contents of `doc`. */
void cli_emit_doc(cli_emit *e, const char *path, sl_doc_result *doc);
/* The end of a file: its remaining documents (res->docs, taken), then the
 * file itself. `res` keeps its path and error; its verdict is set. */
void cli_emit_end(cli_emit *e, sl_file_result *res);
/* Frees what a file left in progress holds (an interrupted run). */
void cli_emit_clear(cli_emit *e);

/* A temporary file opened for reading and writing in $TMPDIR (else /tmp),
 * unlinked at once so that a killed run leaves nothing behind; NULL when
 * none can be made (docspool.c). */
FILE *cli_temp_file(void);
/* Judged documents waiting in a temporary file (docspool.c). Appends
 * documents docs[0, n) (left to the caller) to *spool, made on first use
 * in $TMPDIR (else /tmp) and unlinked. 1: written; 0: not written (no
 * temporary file, or the disk is full: the spool keeps the records before
 * them); -1: not written, and the spool's end is damaged, so it must not
 * be appended to again (reading it then fails where the damage is). */
int cli_docspool_put(FILE **spool, const sl_doc_result *docs, size_t n);
/* Reads the next document from a spool rewound for reading into `d`
 * (owned by the caller; sl_doc_result_clear). 1: read; 0: no more; -1:
 * out of memory or the record is damaged (`d` left empty). */
int cli_docspool_get(FILE *spool, sl_doc_result *d);

void cli_text_summary(const cli_text_out *t, size_t files, size_t docs, size_t passed,
                      size_t failed, size_t errors, size_t findings);

#endif
