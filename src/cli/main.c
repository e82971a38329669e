/* syndlint: entry point and subcommand dispatch. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

static void usage(FILE *f)
{
    fputs(
        "usage: syndlint scan [options] PATH...   check files, directories, URLs or - (stdin)\n"
        "       syndlint rules list|test|explain ID [options]\n"
        "       syndlint diff [--brief] OLD.json NEW.json   new, fixed and unchanged findings\n"
        "       syndlint merge [-o OUT] A.json B.json...   one report from scan --shard K/N runs\n"
        "       syndlint --version | --help\n"
        "\n"
        "scan options:\n"
        "  --config FILE        project config (default: ./syndlint.yaml when present)\n"
        "  --rules PATH         rule pack file or directory (repeatable)\n"
        "  --rules-dir DIR      directory of the default packs\n"
        "  --format FMT         what to print on stdout: text (default), json, jsonl (one line\n"
        "                       per document, as decided), junit, sarif, html, csv, markdown\n"
        "  --report FMT:PATH    also write a report, atomically (repeatable; FMT as --format,\n"
        "                       but not text)\n"
        "  --report-dir DIR     write every format into DIR/YYYY-MM-DD and point DIR/latest\n"
        "                       at it; earlier nights are kept, the last one is compared\n"
        "  --baseline FILE      an earlier JSON report: findings it holds are reported as\n"
        "                       baseline and do not fail; only new ones do\n"
        "  --compare FILE       an earlier JSON report: add new/fixed to html and markdown\n"
        "  --no-inline-suppressions  ignore syndlint-disable comments in the inputs\n"
        "  --report-unused-suppressions  report syndlint-disable comments that cover no\n"
        "                       finding (warning syndlint.unused-suppression)\n"
        "  --ignore-file FILE   accepted findings (default: ./syndlint-ignore.yaml if present)\n"
        "  --changed-since REV  scan only files git reports changed since REV\n"
        "  --fail-on SEV        lowest severity that fails: error|warning|info (default error)\n"
        "  -j, --jobs N         worker threads (default: number of cores)\n"
        "  --shard K/N          scan only shard K of N (a stable split of the inputs\n"
        "                       by path); merge the shards' JSON with syndlint merge\n"
        "  --include GLOB       only scan walked files matching GLOB (repeatable)\n"
        "  --exclude GLOB       skip walked files matching GLOB (repeatable)\n"
        "  --max-file-size N    bytes (suffixes K, M, G); larger files are ERROR (default 32M)\n"
        "  --max-documents N    documents (feed items) per file; more is ERROR (default 100000)\n"
        "  --max-doc-size N     bytes of one document's text (a feed item, a page); larger is\n"
        "                       ERROR, the file's other documents are still scanned\n"
        "                       (suffixes K, M, G; default 64M)\n"
        "  --max-depth N        HTML/XML/JSON nesting; deeper is ERROR (default 1000)\n"
        "  --timeout S          seconds per file; longer is ERROR (default: none)\n"
        "  --regex-match-limit N  PCRE2 match limit per match (default 5000000)\n"
        "  --jit-stack N        PCRE2 JIT stack per worker thread, 4K to 1G; a regex that\n"
        "                       needs more makes its document ERROR (default 1M)\n"
        "  --follow             follow symbolic links met in directories\n"
        "  --inputs FILE        read more inputs from FILE, one path or http(s) URL a line\n"
        "  --cache-dir DIR      conditional-GET cache for URL inputs\n"
        "                       (default $XDG_CACHE_HOME/syndlint); --no-cache for none\n"
        "  --fetch-timeout S    seconds a URL may take (default 30)\n"
        "  --max-redirects N    redirects a URL may follow (default 5; 0 for none)\n"
        "  --color WHEN         auto|always|never (default auto)\n"
        "  -q, --quiet          list only files that did not pass\n"
        "\n"
        "exit codes: 0 all passed; 1 some document failed; 2 usage, config or rule error;\n"
        "            3 some input could not be scanned (marked ERROR)\n",
        f);
}

/* A listing cut short by a full disk or a closed pipe must not end in
 * success: flushes standard output and, when that or an earlier write to
 * it failed, says so and returns EXIT_USAGE. For the commands that do not
 * check their own output (scan and merge do, before their reports). */
static int finish_stdout(const char *cmd, int code)
{
    errno = 0;
    int flushed = fflush(stdout) == 0;
    int err = errno;
    if (flushed && !ferror(stdout))
        return code;
    if (!flushed && err)
        fprintf(stderr, "syndlint: %s: cannot write to standard output: %s\n", cmd, strerror(err));
    else
        fprintf(stderr, "syndlint: %s: cannot write to standard output\n", cmd);
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
#ifdef __GLIBC__
    /* Every document's fields are allocated and freed in turn. By default
     * glibc hands the freed top of each thread's heap back to the kernel
     * after each document and large buffers come from fresh mmaps, so
     * every document paid for madvise, TLB shootdowns and page faults:
     * about a quarter of a scan's time. Keeping freed memory for reuse
     * leaves peak memory where it was. */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("syndlint %s\n", sl_version());
        return finish_stdout(cmd, EXIT_PASS);
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return finish_stdout(cmd, EXIT_PASS);
    }
    if (strcmp(cmd, "scan") == 0)
        return cli_scan(argc - 1, argv + 1);
    if (strcmp(cmd, "merge") == 0)
        return cli_merge(argc - 1, argv + 1);
    if (strcmp(cmd, "rules") == 0)
        return finish_stdout(cmd, cli_rules(argc - 1, argv + 1));
    if (strcmp(cmd, "diff") == 0)
        return finish_stdout(cmd, cli_diff(argc - 1, argv + 1));
    fprintf(stderr, "syndlint: unknown command '%s' (try 'syndlint --help')\n", cmd);
    return EXIT_USAGE;
}
