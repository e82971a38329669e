/*
 * `syndlint scan`. Inputs are walked first, then scanned by N worker
 * threads, each with its own scanner over the one shared ruleset. Results
 * are handed out strictly in input order: the main thread waits for result
 * i before printing it, and workers may run at most a window of files ahead
 * of the printer, so memory stays bounded however many files there are and
 * the output of -j1 and -j8 is the same byte for byte.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef struct report_target {
    char *format;     /* owned */
    const char *path; /* borrowed from argv; NULL for stdout */
    sl_report *rep;
} report_target;

typedef struct scan_opts {
    cli_rules_opts ro;
    cli_walk_opts wo;
    const char *format;
    report_target *reports;
    size_t nreports;
    sl_severity fail_on;
    size_t max_file_size;
    long jobs;
    int color; /* -1 auto */
    int quiet;
    const char **paths;
    size_t npaths;
} scan_opts;

typedef struct pool {
    pthread_mutex_t mu;
    pthread_cond_t ready; /* a result was stored */
    pthread_cond_t room;  /* the printer moved on */
    const sl_ruleset *rs;
    const cli_inputs *in;
    sl_scan_options sopt;
    sl_file_result **results;
    unsigned char *done;
    size_t next, emitted, window;
    int failed; /* a worker could not even start */
} pool;

static sl_file_result *scan_one(sl_scanner *sc, const cli_input *in)
{
    sl_file_result *res = NULL;
    sl_status st;
    if (in->error)
        st = sl_file_result_error(in->path, in->error, &res);
    else
        st = sl_scan_file(sc, in->path, &res);
    if (st != SL_OK) {
        sl_file_result_free(res);
        res = NULL;
        sl_file_result_error(
            in->path, st == SL_ENOMEM ? "out of memory while scanning" : "cannot be scanned", &res);
    }
    return res;
}

static void *worker(void *arg)
{
    pool *p = arg;
    sl_scanner *sc = NULL;
    if (sl_scanner_new(p->rs, &p->sopt, &sc) != SL_OK) {
        pthread_mutex_lock(&p->mu);
        p->failed = 1;
        pthread_cond_broadcast(&p->ready);
        pthread_mutex_unlock(&p->mu);
        return NULL;
    }
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (p->next < p->in->n && p->next >= p->emitted + p->window)
            pthread_cond_wait(&p->room, &p->mu);
        if (p->next >= p->in->n) {
            pthread_mutex_unlock(&p->mu);
            break;
        }
        size_t i = p->next++;
        pthread_mutex_unlock(&p->mu);

        sl_file_result *res = scan_one(sc, &p->in->items[i]);

        pthread_mutex_lock(&p->mu);
        p->results[i] = res;
        p->done[i] = 1;
        pthread_cond_broadcast(&p->ready);
        pthread_mutex_unlock(&p->mu);
    }
    sl_scanner_free(sc);
    return NULL;
}

static int parse_size(const char *s, size_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || s[0] == '-')
        return 0;
    unsigned long long mul = 1;
    if (*end == 'K' || *end == 'k')
        mul = 1ULL << 10;
    else if (*end == 'M' || *end == 'm')
        mul = 1ULL << 20;
    else if (*end == 'G' || *end == 'g')
        mul = 1ULL << 30;
    else if (*end != '\0')
        return 0;
    if (mul != 1 && end[1] != '\0')
        return 0;
    if (v == 0 || v > ((unsigned long long)-1) / mul)
        return 0;
    *out = (size_t)(v * mul);
    return 1;
}

static int push(const char ***arr, size_t *n, const char *v)
{
    const char **p = realloc(*arr, (*n + 1) * sizeof *p);
    if (!p)
        return 0;
    p[(*n)++] = v;
    *arr = p;
    return 1;
}

static int add_report(scan_opts *o, const char *spec)
{
    const char *colon = strchr(spec, ':');
    if (!colon || colon == spec || !colon[1]) {
        fprintf(stderr, "syndlint: --report wants FORMAT:PATH, got '%s'\n", spec);
        return 0;
    }
    report_target *p = realloc(o->reports, (o->nreports + 1) * sizeof *p);
    if (!p)
        return 0;
    o->reports = p;
    report_target *t = &o->reports[o->nreports];
    memset(t, 0, sizeof *t);
    t->format = strndup(spec, (size_t)(colon - spec));
    t->path = colon + 1;
    if (!t->format)
        return 0;
    o->nreports++;
    if (sl_report_new(t->format, &t->rep) != SL_OK) {
        fprintf(stderr, "syndlint: --report: unknown format '%s' (known: json)\n", t->format);
        return 0;
    }
    return 1;
}

/* Returns -1 to go on, else the exit code. */
static int parse_args(scan_opts *o, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        int err = 0;
        const char *v;
        const char *a = argv[i];
        int r = cli_rules_option(&o->ro, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        if (r > 0)
            continue;
        if (strcmp(a, "--") == 0) {
            for (i++; i < argc; i++)
                if (!push(&o->paths, &o->npaths, argv[i]))
                    return EXIT_USAGE;
            break;
        }
        if ((v = cli_opt_value("--format", argc, argv, &i, &err))) {
            if (strcmp(v, "text") != 0 && strcmp(v, "json") != 0) {
                fprintf(stderr, "syndlint: --format: unknown format '%s' (known: text, json)\n", v);
                return EXIT_USAGE;
            }
            o->format = v;
        } else if (!err && (v = cli_opt_value("--report", argc, argv, &i, &err))) {
            if (!add_report(o, v))
                return EXIT_USAGE;
        } else if (!err && (v = cli_opt_value("--fail-on", argc, argv, &i, &err))) {
            if (!sl_severity_parse(v, &o->fail_on)) {
                fprintf(stderr, "syndlint: --fail-on: '%s' is not error, warning or info\n", v);
                return EXIT_USAGE;
            }
        } else if (!err && ((v = cli_opt_value("-j", argc, argv, &i, &err)) ||
                            (!err && (v = cli_opt_value("--jobs", argc, argv, &i, &err))))) {
            char *end = NULL;
            o->jobs = strtol(v, &end, 10);
            if (!end || *end || o->jobs < 1 || o->jobs > 256) {
                fprintf(stderr, "syndlint: -j: '%s' is not a thread count from 1 to 256\n", v);
                return EXIT_USAGE;
            }
        } else if (!err && strncmp(a, "-j", 2) == 0 && a[2] >= '0' && a[2] <= '9') {
            char *end = NULL;
            o->jobs = strtol(a + 2, &end, 10);
            if (!end || *end || o->jobs < 1 || o->jobs > 256) {
                fprintf(stderr, "syndlint: -j: '%s' is not a thread count from 1 to 256\n", a + 2);
                return EXIT_USAGE;
            }
        } else if (!err && (v = cli_opt_value("--include", argc, argv, &i, &err))) {
            if (!push(&o->wo.include, &o->wo.ninclude, v))
                return EXIT_USAGE;
        } else if (!err && (v = cli_opt_value("--exclude", argc, argv, &i, &err))) {
            if (!push(&o->wo.exclude, &o->wo.nexclude, v))
                return EXIT_USAGE;
        } else if (!err && (v = cli_opt_value("--max-file-size", argc, argv, &i, &err))) {
            if (!parse_size(v, &o->max_file_size)) {
                fprintf(stderr, "syndlint: --max-file-size: '%s' is not a size (e.g. 32M)\n", v);
                return EXIT_USAGE;
            }
        } else if (!err && (v = cli_opt_value("--color", argc, argv, &i, &err))) {
            if (strcmp(v, "auto") == 0)
                o->color = -1;
            else if (strcmp(v, "always") == 0)
                o->color = 1;
            else if (strcmp(v, "never") == 0)
                o->color = 0;
            else {
                fprintf(stderr, "syndlint: --color: '%s' is not auto, always or never\n", v);
                return EXIT_USAGE;
            }
        } else if (!err && (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)) {
            o->quiet = 1;
        } else if (err) {
            return EXIT_USAGE;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "syndlint: scan: unknown option '%s' (see 'syndlint --help')\n", a);
            return EXIT_USAGE;
        } else if (!push(&o->paths, &o->npaths, a)) {
            return EXIT_USAGE;
        }
    }
    if (o->npaths == 0) {
        fprintf(stderr, "syndlint: scan: no input given (a file, a directory, or - for stdin)\n");
        return EXIT_USAGE;
    }
    size_t nstdin = 0;
    for (size_t i = 0; i < o->npaths; i++)
        nstdin += strcmp(o->paths[i], "-") == 0;
    if (nstdin > 1) {
        fprintf(stderr, "syndlint: scan: '-' (stdin) can be given only once\n");
        return EXIT_USAGE;
    }
    return -1;
}

static void free_opts(scan_opts *o)
{
    cli_rules_opts_clear(&o->ro);
    free(o->wo.include);
    free(o->wo.exclude);
    for (size_t i = 0; i < o->nreports; i++) {
        free(o->reports[i].format);
        sl_report_free(o->reports[i].rep);
    }
    free(o->reports);
    free(o->paths);
}

typedef struct totals {
    size_t files, docs, passed, failed, errors, findings;
} totals;

static void count(totals *t, const sl_file_result *r)
{
    t->files++;
    if (r->ndocs == 0) {
        t->docs++;
        t->errors++;
    }
    for (size_t i = 0; i < r->ndocs; i++) {
        t->docs++;
        t->findings += r->docs[i].nfindings;
        if (r->docs[i].verdict == SL_PASS)
            t->passed++;
        else if (r->docs[i].verdict == SL_FAIL)
            t->failed++;
        else
            t->errors++;
    }
}

int cli_scan(int argc, char **argv)
{
    scan_opts o;
    memset(&o, 0, sizeof o);
    o.format = "text";
    o.fail_on = SL_SEV_ERROR;
    o.color = -1;
    o.jobs = sysconf(_SC_NPROCESSORS_ONLN);
    if (o.jobs < 1)
        o.jobs = 1;
    int code = parse_args(&o, argc, argv);
    sl_ruleset *rs = NULL;
    cli_inputs in = {0};
    pool p;
    memset(&p, 0, sizeof p);
    pthread_t *threads = NULL;
    size_t nthreads = 0;
    int json_stdout = 0;
    if (code >= 0)
        goto out;
    code = EXIT_USAGE;

    rs = cli_load_rules(&o.ro);
    if (!rs)
        goto out;
    json_stdout = strcmp(o.format, "json") == 0;
    if (json_stdout && !add_report(&o, "json:-"))
        goto out;
    if (json_stdout)
        o.reports[o.nreports - 1].path = NULL;

    if (cli_walk(o.paths, o.npaths, &o.wo, &in) != 0) {
        fprintf(stderr, "syndlint: out of memory\n");
        goto out;
    }

    cli_text_out tout = {stdout, 0, o.quiet};
    tout.color = o.color < 0 ? (isatty(STDOUT_FILENO) && !getenv("NO_COLOR")) : o.color;

    p.rs = rs;
    p.in = &in;
    p.sopt.fail_on = o.fail_on;
    p.sopt.max_file_size = o.max_file_size;
    p.window = (size_t)o.jobs * 8;
    p.results = calloc(in.n ? in.n : 1, sizeof *p.results);
    p.done = calloc(in.n ? in.n : 1, 1);
    nthreads = (size_t)o.jobs < in.n ? (size_t)o.jobs : in.n;
    threads = calloc(nthreads ? nthreads : 1, sizeof *threads);
    if (!p.results || !p.done || !threads) {
        fprintf(stderr, "syndlint: out of memory\n");
        goto out;
    }
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.ready, NULL);
    pthread_cond_init(&p.room, NULL);
    size_t started = 0;
    for (; started < nthreads; started++)
        if (pthread_create(&threads[started], NULL, worker, &p) != 0)
            break;
    if (started == 0 && in.n > 0) {
        fprintf(stderr, "syndlint: cannot start a worker thread\n");
        goto out_pool;
    }

    totals t = {0};
    int any_fail = 0, any_error = 0, out_of_memory = 0;
    for (size_t i = 0; i < in.n; i++) {
        pthread_mutex_lock(&p.mu);
        while (!p.done[i] && !(p.failed && started == 0))
            pthread_cond_wait(&p.ready, &p.mu);
        sl_file_result *r = p.results[i];
        p.results[i] = NULL;
        p.emitted = i + 1;
        pthread_cond_broadcast(&p.room);
        pthread_mutex_unlock(&p.mu);
        if (!r) {
            out_of_memory = 1;
            fprintf(stderr, "syndlint: %s: out of memory\n", in.items[i].path);
            any_error = 1;
            continue;
        }
        count(&t, r);
        if (r->verdict == SL_ERROR) {
            any_error = 1;
            if (json_stdout) {
                const char *why = r->error;
                for (size_t k = 0; !why && k < r->ndocs; k++)
                    why = r->docs[k].error;
                fprintf(stderr, "syndlint: %s: %s\n", r->path, why ? why : "cannot be scanned");
            }
        } else if (r->verdict == SL_FAIL) {
            any_fail = 1;
        }
        if (!json_stdout)
            cli_text_file(&tout, r);
        for (size_t k = 0; k < o.nreports; k++)
            if (sl_report_add(o.reports[k].rep, r) != SL_OK)
                out_of_memory = 1;
        sl_file_result_free(r);
    }
    for (size_t i = 0; i < started; i++)
        pthread_join(threads[i], NULL);

    if (!json_stdout)
        cli_text_summary(&tout, t.files, t.docs, t.passed, t.failed, t.errors, t.findings);
    code = any_error ? EXIT_INPUT : any_fail ? EXIT_FINDINGS : EXIT_PASS;
    if (out_of_memory)
        code = EXIT_INPUT;
    for (size_t k = 0; k < o.nreports; k++) {
        sl_diag diag = {{0}};
        sl_status st = o.reports[k].path
                           ? sl_report_write_file(o.reports[k].rep, o.reports[k].path, &diag)
                           : sl_report_write(o.reports[k].rep, stdout, &diag);
        if (st != SL_OK) {
            fprintf(stderr, "syndlint: %s\n", diag.message);
            code = EXIT_USAGE;
        }
    }
    if (fflush(stdout) != 0) {
        fprintf(stderr, "syndlint: cannot write to standard output: %s\n", strerror(errno));
        code = EXIT_USAGE;
    }
out_pool:
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.ready);
    pthread_cond_destroy(&p.room);
out:
    if (p.results)
        for (size_t i = 0; i < in.n; i++)
            sl_file_result_free(p.results[i]);
    free(p.results);
    free(p.done);
    free(threads);
    cli_inputs_clear(&in);
    sl_ruleset_free(rs);
    free_opts(&o);
    return code;
}
