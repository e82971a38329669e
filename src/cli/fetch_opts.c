/*
 * `scan` options for feeds by URL: --inputs FILE (one path or URL per
 * line), --cache-dir, --no-cache, --fetch-timeout, --max-redirects. The
 * fetcher itself is the library's (sl_fetcher); this file only turns
 * options into its settings and reads the list of inputs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int push_line(cli_fetch_opts *o, char *line)
{
    char **p = realloc(o->lines, (o->nlines + 1) * sizeof *p);
    if (!p)
        return 0;
    p[o->nlines++] = line;
    o->lines = p;
    return 1;
}

/* Reads FILE: one input per line; blank lines and lines starting with '#'
 * are skipped, surrounding whitespace is trimmed. */
static int read_inputs(cli_fetch_opts *o, const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        fprintf(stderr, "syndlint: --inputs %s: %s\n", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        char *s = line, *e = line + n;
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if (s == e || *s == '#')
            continue;
        char *copy = strndup(s, (size_t)(e - s));
        if (!copy || !push_line(o, copy)) {
            free(copy);
            fprintf(stderr, "syndlint: out of memory\n");
            rc = -1;
            break;
        }
    }
    free(line);
    if (f != stdin)
        fclose(f);
    return rc;
}

int cli_fetch_option(cli_fetch_opts *o, int argc, char **argv, int *i)
{
    int err = 0;
    const char *v;
    if ((v = cli_opt_value("--inputs", argc, argv, i, &err)))
        return read_inputs(o, v) == 0 ? 1 : -1;
    if (!err && (v = cli_opt_value("--cache-dir", argc, argv, i, &err))) {
        o->cache_dir = v;
        return 1;
    }
    if (!err && strcmp(argv[*i], "--no-cache") == 0) {
        o->no_cache = 1;
        return 1;
    }
    if (!err && (v = cli_opt_value("--fetch-timeout", argc, argv, i, &err))) {
        char *end = NULL;
        double s = strtod(v, &end);
        if (!end || *end || s <= 0 || s > 86400) {
            fprintf(stderr, "syndlint: --fetch-timeout: '%s' is not a number of seconds\n", v);
            return -1;
        }
        o->timeout_ms = (long)(s * 1000);
        return 1;
    }
    if (!err && (v = cli_opt_value("--max-redirects", argc, argv, i, &err))) {
        char *end = NULL;
        long n = strtol(v, &end, 10);
        if (!end || *end || n < 0 || n > 50) {
            fprintf(stderr, "syndlint: --max-redirects: '%s' is not a number from 0 to 50\n", v);
            return -1;
        }
        o->max_redirects = n == 0 ? -1 : n;
        return 1;
    }
    return err ? -1 : 0;
}

sl_fetcher *cli_fetcher_new(const cli_fetch_opts *o, size_t max_size)
{
    char dflt[4096] = "";
    const char *dir = o->cache_dir;
    if (!dir && !o->no_cache) {
        /* The XDG cache directory, as other command-line tools use it. */
        const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
        if (xdg && xdg[0] == '/')
            snprintf(dflt, sizeof dflt, "%s/syndlint", xdg);
        else if (home && home[0])
            snprintf(dflt, sizeof dflt, "%s/.cache/syndlint", home);
        dir = dflt[0] ? dflt : NULL;
    }
    sl_fetch_options fo = {0};
    fo.timeout_ms = o->timeout_ms;
    fo.max_redirects = o->max_redirects;
    fo.max_size = max_size;
    fo.cache_dir = o->no_cache ? NULL : dir;
    sl_fetcher *f = NULL;
    sl_diag diag = {{0}};
    if (sl_fetcher_new(&fo, &f, &diag) != SL_OK) {
        /* A cache that cannot be made is no reason not to audit. */
        fprintf(stderr, "syndlint: %s; fetching without a cache\n", diag.message);
        fo.cache_dir = NULL;
        if (sl_fetcher_new(&fo, &f, &diag) != SL_OK) {
            fprintf(stderr, "syndlint: %s\n", diag.message);
            return NULL;
        }
    }
    return f;
}

void cli_fetch_opts_clear(cli_fetch_opts *o)
{
    for (size_t i = 0; i < o->nlines; i++)
        free(o->lines[i]);
    free(o->lines);
    memset(o, 0, sizeof *o);
}
