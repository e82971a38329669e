/*
 * `syndlint scan`. Inputs are walked first, then scanned by N worker
 * threads, each with its own scanner over the one shared ruleset. Results
 * are handed out strictly in input order: the main thread waits for result
 * i before printing it, and workers may run at most a window of files ahead
 * of the printer, so memory stays bounded however many files there are and
 * the output of -j1 and -j8 is the same byte for byte.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "util/thread.h"

typedef struct report_target {
    char *format;         /* owned */
    const char *path;     /* borrowed from argv; NULL for stdout */
    char *owned_path;     /* owned; set for --report-dir reports (then path points here) */
    const char *dir_file; /* static; the file name in the --report-dir folder, else NULL */
    sl_report *rep;
} report_target;

/* The report formats and the file names --report-dir gives them. */
static const char *const report_dir_files[][2] = {
    {"json", "report.json"},   {"junit", "junit.xml"}, {"sarif", "report.sarif"},
    {"html", "report.html"},   {"csv", "report.csv"},  {"markdown", "report.md"},
    {"jsonl", "report.jsonl"},
};
#define KNOWN_FORMATS "json, jsonl, junit, sarif, html, csv, markdown"

typedef struct scan_opts {
    cli_rules_opts ro;
    cli_walk_opts wo;
    cli_fetch_opts fo; /* inputs by URL */
    const char *format;
    report_target *reports;
    size_t nreports;
    sl_severity fail_on;
    size_t max_file_size;
    size_t max_documents;      /* --max-documents; 0: the library's default */
    unsigned max_depth;        /* --max-depth */
    unsigned timeout_s;        /* --timeout SECONDS per file; 0: none */
    unsigned long match_limit; /* --regex-match-limit */
    size_t max_doc_size;       /* --max-doc-size; 0: the library's default */
    size_t jit_stack;          /* --jit-stack; 0: the library's default */
    long jobs;
    int color; /* -1 auto */
    int quiet;
    const char **paths;
    size_t npaths;
    unsigned shard_k, shard_n; /* --shard K/N; shard_n 0: everything */
    const char *baseline;      /* --baseline: an earlier JSON report */
    const char *compare;       /* --compare: an earlier JSON report, for trends */
    const char *report_dir;    /* --report-dir: dated sub-folders and `latest` */
    /* Suppressions and changed files: --no-inline-suppressions,
     * --report-unused-suppressions, --ignore-file (NULL: ./syndlint-ignore.yaml
     * when present), --changed-since REV. */
    int no_inline_suppressions;
    int report_unused_suppressions;
    const char *ignore_file;
    const char *changed_since;
} scan_opts;

typedef struct pool {
    pthread_mutex_t mu;
    pthread_cond_t ready; /* a result was stored */
    pthread_cond_t room;  /* the printer moved on */
    const sl_ruleset *rs;
    const cli_inputs *in;
    sl_fetcher *fetcher; /* NULL when no input is a URL */
    sl_scan_options sopt;
    sl_file_result **results;
    unsigned char *done;
    size_t next, emitted, window;
    /* Who sleeps: a condition is signalled only when someone waits on it,
     * so a document costs no futex calls while the pipeline flows. */
    int printer_waiting;
    size_t want; /* the printer sleeps until results emitted..want are in */
    size_t workers_waiting;
    /* Documents of each file judged and not yet printed: a feed's come
     * one at a time (sl_scanner_set_doc_cb). The printer takes those of
     * the file it is at as they come. Once a file has DOCQ_MAX waiting,
     * they move to a temporary file (`spill`, older than those in `d`)
     * when the printer is not printing that file now: it is ahead, or the
     * printer's thread is scanning a file of its own; so feeds scan side
     * by side. A file the printer is at waits instead, as does any when
     * no temporary file can be written, so a feed's results never pile up
     * in memory, not even behind a slow standard output. */
    struct docq {
        sl_doc_result *d;
        size_t n, cap;
        FILE *spill;      /* owned; NULL until needed */
        int spill_broken; /* the spill's end is damaged: append no more */
    } * docq;
    int printer_scanning; /* the printer's thread is in a scan of its own */
} pool;

#define DOCQ_MAX 1024
/* The printer is woken for a file's documents in batches this size (else
 * it looks every 50 ms), to keep futex calls off the per-document path. */
#define DOCQ_WAKE 256

typedef struct printer printer;

/* The worker's side of a document callback: the file it is scanning, and
 * on the printer's thread, which scans too, the printer. */
typedef struct worker_ctx {
    pool *p;
    size_t i;
    printer *pr;
} worker_ctx;

/* The printer's thread: it prints the results in input order and, while
 * the one it is at is not in, scans the next file itself. */
struct printer {
    pool *p;
    cli_emit *em;
    sl_scanner *sc; /* borrowed */
    worker_ctx ctx; /* sc's document callback's */
    int sig;        /* the signal that stopped the scan, or 0 */
};

static int print_next(printer *pr, int may_scan);
static void print_queued(printer *pr, size_t i);

static sl_status on_doc(void *user, const char *path, sl_doc_result *doc)
{
    worker_ctx *w = user;
    pool *p = w->p;
    /* The printer's thread prints the documents of the file it is at as
     * they come. It is the only one to change `emitted`. */
    if (w->pr && w->i == p->emitted) {
        cli_emit_doc(w->pr->em, path, doc);
        return SL_OK;
    }
    pthread_mutex_lock(&p->mu);
    struct docq *q = &p->docq[w->i];
    while (!w->pr && q->n >= DOCQ_MAX && !cli_interrupted()) {
        p->workers_waiting++;
        pthread_cond_wait(&p->room, &p->mu);
        p->workers_waiting--;
    }
    if (q->n == q->cap) {
        size_t cap = q->cap ? 2 * q->cap : 64;
        sl_doc_result *d = realloc(q->d, cap * sizeof *d);
        if (!d) {
            pthread_mutex_unlock(&p->mu);
            return SL_ENOMEM;
        }
        q->d = d;
        q->cap = cap;
    }
    q->d[q->n++] = *doc;
    memset(doc, 0, sizeof *doc);
    if (q->n >= DOCQ_MAX && !q->spill_broken && (w->i != p->emitted || p->printer_scanning)) {
        /* Written with the lock held: the printer may take the spill at
         * any moment, and a queue's worth takes well under a millisecond. */
        int rc = cli_docspool_put(&q->spill, q->d, q->n);
        if (rc > 0) {
            for (size_t k = 0; k < q->n; k++)
                sl_doc_result_clear(&q->d[k]);
            q->n = 0;
        } else if (rc < 0) {
            q->spill_broken = 1;
        }
    }
    if (p->printer_waiting && w->i == p->emitted && q->n >= DOCQ_WAKE)
        pthread_cond_signal(&p->ready);
    int full = q->n >= DOCQ_MAX;
    pthread_mutex_unlock(&p->mu);
    if (w->pr && full) {
        /* The printer's thread, on a file ahead whose queue could not go
         * to a temporary file: rather than wait for room only it can
         * make, it prints the files before this one, which the workers
         * took earlier and are finishing, and then this one's documents
         * so far. They are started, so none stops the loop. */
        while (p->emitted < w->i && print_next(w->pr, 0))
            ;
        if (p->emitted == w->i)
            print_queued(w->pr, w->i);
    }
    return SL_OK;
}

static sl_file_result *scan_one(sl_scanner *sc, sl_fetcher *fetcher, const cli_input *in)
{
    sl_file_result *res = NULL;
    sl_status st;
    if (in->error)
        st = sl_file_result_error(in->path, in->error, &res);
    else if (sl_is_url(in->path) && fetcher)
        st = sl_scan_url(sc, fetcher, in->path, &res);
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

/* Nonzero when every result the sleeping printer asked for is in. Waking
 * it for a batch rather than for each document keeps the futex calls off
 * the per-document path. Called with p->mu held. */
static int batch_ready(const pool *p)
{
    for (size_t j = p->emitted; j <= p->want; j++)
        if (!p->done[j])
            return 0;
    return 1;
}

/* A scanner for one worker, or NULL. */
static sl_scanner *worker_scanner(const pool *p)
{
    sl_scanner *sc = NULL;
    if (sl_scanner_new(p->rs, &p->sopt, &sc) != SL_OK)
        return NULL;
    /* For tests and measurements only: findings must not change. */
    if (getenv("SYNDLINT_NO_PREFILTER"))
        sl_scanner_set_prefilter(sc, 0);
    return sc;
}

static void *worker(void *arg)
{
    pool *p = arg;
    sl_scanner *sc = worker_scanner(p);
    if (!sc) /* its files go to the others; the printer's thread scans too */
        return NULL;
    worker_ctx wc = {p, 0, NULL};
    sl_scanner_set_doc_cb(sc, on_doc, &wc);
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (p->next < p->in->n && p->next >= p->emitted + p->window && !cli_interrupted()) {
            p->workers_waiting++;
            pthread_cond_wait(&p->room, &p->mu);
            p->workers_waiting--;
        }
        if (p->next >= p->in->n || cli_interrupted()) {
            pthread_mutex_unlock(&p->mu);
            break;
        }
        size_t i = p->next++;
        pthread_mutex_unlock(&p->mu);

        wc.i = i;
        sl_file_result *res = scan_one(sc, p->fetcher, &p->in->items[i]);

        pthread_mutex_lock(&p->mu);
        p->results[i] = res;
        p->done[i] = 1;
        if (p->printer_waiting && batch_ready(p))
            pthread_cond_signal(&p->ready);
        pthread_mutex_unlock(&p->mu);
    }
    sl_scanner_free(sc);
    return NULL;
}

/* Prints file result `r` (taken; NULL: out of memory). */
static void emit_file(cli_emit *em, const char *path, sl_file_result *r)
{
    if (!r) {
        em->out_of_memory = 1;
        fprintf(stderr, "syndlint: %s: out of memory\n", path);
        em->any_error = 1;
        cli_emit_clear(em);
        return;
    }
    cli_emit_end(em, r);
    sl_file_result_free(r);
}

/* Prints the documents of file i queued so far: those spilled first. */
static void print_queued(printer *pr, size_t i)
{
    pool *p = pr->p;
    const char *path = p->in->items[i].path;
    pthread_mutex_lock(&p->mu);
    struct docq batch = p->docq[i];
    memset(&p->docq[i], 0, sizeof batch);
    /* A damaged spill stays so: what follows it must not go in again. */
    p->docq[i].spill_broken = batch.spill_broken;
    if (p->workers_waiting)
        pthread_cond_broadcast(&p->room);
    pthread_mutex_unlock(&p->mu);
    if (batch.spill) {
        sl_doc_result d;
        int rc = fflush(batch.spill) == 0 && fseek(batch.spill, 0, SEEK_SET) == 0 ? 1 : -1;
        while (rc > 0 && (rc = cli_docspool_get(batch.spill, &d)) > 0)
            cli_emit_doc(pr->em, path, &d);
        if (rc < 0) {
            /* Documents lost: the run must not pass on what is left. */
            fprintf(stderr,
                    "syndlint: %s: results of some documents could not be read back "
                    "from a temporary file\n",
                    path);
            pr->em->any_error = 1;
        }
        fclose(batch.spill);
    }
    for (size_t d = 0; d < batch.n; d++)
        cli_emit_doc(pr->em, path, &batch.d[d]);
    free(batch.d);
}

/* Prints the next file, waiting for its result and, if `may_scan`,
 * scanning files meanwhile. Returns 0 when a signal stopped the scan
 * before that file was started. */
static int print_next(printer *pr, int may_scan)
{
    pool *p = pr->p;
    size_t i = p->emitted, n = p->in->n;
    pthread_mutex_lock(&p->mu);
    /* Wakes up now and then to see whether a signal asked to stop. After
     * one, the files already started are still waited for (each ends
     * within --timeout) and printed; no new one is taken, so the first
     * file not started is where the scan stops. */
    for (;;) {
        if (p->docq[i].n || p->docq[i].spill) {
            pthread_mutex_unlock(&p->mu);
            print_queued(pr, i);
            pthread_mutex_lock(&p->mu);
            continue;
        }
        if (p->done[i])
            break;
        if (!pr->sig && (pr->sig = cli_interrupted()) != 0)
            pthread_cond_broadcast(&p->room);
        if (pr->sig && i >= p->next)
            break;
        if (may_scan && !pr->sig && p->next < n && p->next < p->emitted + p->window) {
            size_t k = p->next++;
            p->printer_scanning = 1;
            pthread_mutex_unlock(&p->mu);
            pr->ctx.i = k;
            sl_file_result *res = scan_one(pr->sc, p->fetcher, &p->in->items[k]);
            pthread_mutex_lock(&p->mu);
            p->printer_scanning = 0;
            p->results[k] = res;
            p->done[k] = 1;
            if (p->emitted != i) {
                /* The scan filled its queue and printed this file. */
                pthread_mutex_unlock(&p->mu);
                return 1;
            }
            continue;
        }
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 50 * 1000 * 1000;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        /* Woken for a batch of results; inside a scan of its own (which
         * the batch may hold), for this one. */
        p->want = !may_scan ? i : n - i > 32 ? i + 31 : n - 1;
        p->printer_waiting = 1;
        pthread_cond_timedwait(&p->ready, &p->mu, &ts);
        p->printer_waiting = 0;
    }
    if (!pr->sig)
        pr->sig = cli_interrupted();
    if (pr->sig && !p->done[i]) {
        /* Not started, nor will it be: the reports of the unfinished scan
         * are not written, earlier ones stay as they were. */
        pthread_cond_broadcast(&p->room);
        pthread_mutex_unlock(&p->mu);
        return 0;
    }
    sl_file_result *r = p->results[i];
    p->results[i] = NULL;
    if (p->workers_waiting)
        pthread_cond_broadcast(&p->room);
    pthread_mutex_unlock(&p->mu);
    emit_file(pr->em, p->in->items[i].path, r);
    /* The next file's worker may wait for its turn (on_doc). */
    pthread_mutex_lock(&p->mu);
    p->emitted = i + 1;
    if (p->workers_waiting)
        pthread_cond_broadcast(&p->room);
    pthread_mutex_unlock(&p->mu);
    return 1;
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

/* A whole number from 1 to `max` for option `name`; prints why not. */
static int parse_count(const char *name, const char *v, unsigned long max, unsigned long *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (errno || !end || *end || end == v || v[0] == '-' || n < 1 || n > max) {
        fprintf(stderr, "syndlint: %s: '%s' is not a number from 1 to %lu\n", name, v, max);
        return 0;
    }
    *out = n;
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
        fprintf(stderr, "syndlint: --report: unknown format '%s' (known: " KNOWN_FORMATS ")\n",
                t->format);
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
        size_t nlines = o->fo.nlines;
        r = cli_fetch_option(&o->fo, argc, argv, &i);
        if (r < 0)
            return EXIT_USAGE;
        for (size_t k = nlines; k < o->fo.nlines; k++)
            if (!push(&o->paths, &o->npaths, o->fo.lines[k]))
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
            if (strcmp(v, "text") != 0 && !sl_report_format_known(v)) {
                fprintf(stderr,
                        "syndlint: --format: unknown format '%s' (known: text, " KNOWN_FORMATS
                        ")\n",
                        v);
                return EXIT_USAGE;
            }
            o->format = v;
        } else if (!err && (v = cli_opt_value("--baseline", argc, argv, &i, &err))) {
            o->baseline = v;
        } else if (!err && (v = cli_opt_value("--ignore-file", argc, argv, &i, &err))) {
            o->ignore_file = v;
        } else if (!err && (v = cli_opt_value("--changed-since", argc, argv, &i, &err))) {
            o->changed_since = v;
        } else if (!err && (v = cli_opt_value("--compare", argc, argv, &i, &err))) {
            o->compare = v;
        } else if (!err && (v = cli_opt_value("--report-dir", argc, argv, &i, &err))) {
            o->report_dir = v;
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
        } else if (!err && (v = cli_opt_value("--max-doc-size", argc, argv, &i, &err))) {
            if (!parse_size(v, &o->max_doc_size)) {
                fprintf(stderr, "syndlint: --max-doc-size: '%s' is not a size (e.g. 8M)\n", v);
                return EXIT_USAGE;
            }
        } else if (!err && (v = cli_opt_value("--jit-stack", argc, argv, &i, &err))) {
            /* PCRE2 works in pages: below 4K nothing would fit. */
            if (!parse_size(v, &o->jit_stack) || o->jit_stack < 4096 ||
                o->jit_stack > ((size_t)1 << 30)) {
                fprintf(stderr, "syndlint: --jit-stack: '%s' is not a size from 4K to 1G\n", v);
                return EXIT_USAGE;
            }
        } else if (!err && (v = cli_opt_value("--max-documents", argc, argv, &i, &err))) {
            unsigned long n;
            if (!parse_count("--max-documents", v, 1UL << 30, &n))
                return EXIT_USAGE;
            o->max_documents = (size_t)n;
        } else if (!err && (v = cli_opt_value("--max-depth", argc, argv, &i, &err))) {
            unsigned long n;
            if (!parse_count("--max-depth", v, 1000000, &n))
                return EXIT_USAGE;
            o->max_depth = (unsigned)n;
        } else if (!err && (v = cli_opt_value("--timeout", argc, argv, &i, &err))) {
            unsigned long n;
            if (!parse_count("--timeout", v, 86400, &n))
                return EXIT_USAGE;
            o->timeout_s = (unsigned)n;
        } else if (!err && (v = cli_opt_value("--regex-match-limit", argc, argv, &i, &err))) {
            if (!parse_count("--regex-match-limit", v, UINT_MAX, &o->match_limit))
                return EXIT_USAGE;
        } else if (!err && strcmp(a, "--follow") == 0) {
            o->wo.follow = 1;
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
        } else if (!err && (v = cli_opt_value("--shard", argc, argv, &i, &err))) {
            if (!cli_shard_parse(v, &o->shard_k, &o->shard_n)) {
                fprintf(stderr, "syndlint: --shard: '%s' is not K/N with 1 <= K <= N\n", v);
                return EXIT_USAGE;
            }
        } else if (!err && (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)) {
            o->quiet = 1;
        } else if (!err && strcmp(a, "--no-inline-suppressions") == 0) {
            o->no_inline_suppressions = 1;
        } else if (!err && strcmp(a, "--report-unused-suppressions") == 0) {
            o->report_unused_suppressions = 1;
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
    cli_fetch_opts_clear(&o->fo);
    free(o->wo.include);
    free(o->wo.exclude);
    for (size_t i = 0; i < o->nreports; i++) {
        free(o->reports[i].format);
        free(o->reports[i].owned_path);
        sl_report_free(o->reports[i].rep);
    }
    free(o->reports);
    free(o->paths);
}

/* ------------------------------------------------------------ reports */

static sl_baseline *load_earlier(const char *opt, const char *path)
{
    sl_baseline *bl = NULL;
    sl_diag d = {{0}};
    if (sl_baseline_load(path, &bl, &d) != SL_OK) {
        fprintf(stderr, "syndlint: %s: %s\n", opt, d.message);
        return NULL;
    }
    return bl;
}

/* Loads the ignore file: `path`, or ./syndlint-ignore.yaml when present.
 * Expired entries are named on stderr: they no longer suppress anything
 * and want a new decision. Returns 0 (message printed) when invalid. */
static int load_ignore(const char *path, sl_ignore **out)
{
    *out = NULL;
    if (!path) {
        if (access("syndlint-ignore.yaml", F_OK) != 0)
            return 1;
        path = "syndlint-ignore.yaml";
    }
    sl_diag d = {{0}};
    if (sl_ignore_load(path, NULL, out, &d) != SL_OK) {
        fprintf(stderr, "syndlint: %s\n", d.message);
        return 0;
    }
    for (size_t i = 0; i < sl_ignore_count(*out); i++) {
        const sl_ignore_entry *e = sl_ignore_entry_at(*out, i);
        if (e->expired)
            fprintf(stderr,
                    "syndlint: warning: %s:%u: expired ignore entry (expired %s; %s %s): it no "
                    "longer suppresses\n",
                    path, e->line, e->expires, e->fingerprint ? "fingerprint" : "rule",
                    e->fingerprint ? e->fingerprint : e->rule);
    }
    return 1;
}

/* Adds one report of every format for --report-dir; their paths are set
 * once the dated folder exists, after the scan. */
static int add_dir_reports(scan_opts *o)
{
    for (size_t i = 0; i < sizeof report_dir_files / sizeof report_dir_files[0]; i++) {
        char spec[64];
        snprintf(spec, sizeof spec, "%s:-", report_dir_files[i][0]);
        if (!add_report(o, spec))
            return 0;
        o->reports[o->nreports - 1].path = NULL;
        o->reports[o->nreports - 1].dir_file = report_dir_files[i][1];
    }
    return 1;
}

/* mkdir -p: every missing component of `dir`. */
static int make_dirs(const char *dir)
{
    char *p = strdup(dir);
    int ok = p != NULL;
    for (char *q = p ? p + 1 : NULL; ok && q && *q; q++) {
        if (*q != '/')
            continue;
        *q = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            ok = 0;
        *q = '/';
    }
    if (ok && mkdir(p, 0777) != 0 && errno != EEXIST)
        ok = 0;
    free(p);
    return ok;
}

/* Creates tonight's folder in `dir`: YYYY-MM-DD, or with the time when a
 * run today already made that one, and a counter past that; earlier
 * folders are never touched. Returns its name (owned) or NULL, with the
 * reason printed. */
static char *dated_folder(const char *dir)
{
    if (!make_dirs(dir)) {
        fprintf(stderr, "syndlint: --report-dir: %s: %s\n", dir, strerror(errno));
        return NULL;
    }
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char day[32], stamp[48], name[64], path[4096];
    strftime(day, sizeof day, "%Y-%m-%d", &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H%M%S", &tm);
    for (int attempt = 0; attempt < 100; attempt++) {
        if (attempt == 0)
            snprintf(name, sizeof name, "%s", day);
        else if (attempt == 1)
            snprintf(name, sizeof name, "%s", stamp);
        else
            snprintf(name, sizeof name, "%s-%d", stamp, attempt);
        snprintf(path, sizeof path, "%s/%s", dir, name);
        if (mkdir(path, 0777) == 0)
            return strdup(name);
        if (errno != EEXIST)
            break;
    }
    fprintf(stderr, "syndlint: --report-dir: %s: cannot create a dated folder: %s\n", dir,
            strerror(errno));
    return NULL;
}

/* Points DIR/latest at `name`, atomically: a new symlink beside it, renamed
 * over the old one, so a reader always finds one night's reports whole. */
static int point_latest(const char *dir, const char *name)
{
    char tmp[4096], latest[4096];
    snprintf(tmp, sizeof tmp, "%s/.latest.tmp-%ld", dir, (long)getpid());
    snprintf(latest, sizeof latest, "%s/latest", dir);
    unlink(tmp);
    if (symlink(name, tmp) != 0 || rename(tmp, latest) != 0) {
        fprintf(stderr, "syndlint: --report-dir: %s: cannot point 'latest' at %s: %s\n", dir, name,
                strerror(errno));
        unlink(tmp);
        return 0;
    }
    return 1;
}

/* Sets the paths of the --report-dir reports. Returns the folder's name
 * (owned), or NULL when it could not be made. */
static char *prepare_report_dir(scan_opts *o)
{
    char *name = dated_folder(o->report_dir);
    if (!name)
        return NULL;
    for (size_t k = 0; k < o->nreports; k++) {
        report_target *t = &o->reports[k];
        if (!t->dir_file)
            continue;
        size_t n = strlen(o->report_dir) + strlen(name) + strlen(t->dir_file) + 3;
        t->owned_path = malloc(n);
        if (!t->owned_path) {
            free(name);
            return NULL;
        }
        snprintf(t->owned_path, n, "%s/%s/%s", o->report_dir, name, t->dir_file);
        t->path = t->owned_path;
    }
    return name;
}

/* A walk of the inputs on a thread of its own, while the packs load: its
 * notes wait in memory so that they come out where a walk after the
 * loading would have printed them. */
typedef struct early_walk {
    const scan_opts *o;
    cli_walk_opts wo;
    cli_inputs *in;
    char *notes; /* owned; what the walk noted */
    size_t nnotes;
    FILE *mem;
    int rc;
} early_walk;

static void *early_walk_run(void *arg)
{
    early_walk *w = arg;
    w->rc = cli_walk(w->o->paths, w->o->npaths, &w->wo, w->in);
    return NULL;
}

/* Starts the walk on a thread; 0 when it could not be (then walk later). */
static int early_walk_start(early_walk *w, const scan_opts *o, cli_inputs *in, pthread_t *th)
{
    memset(w, 0, sizeof *w);
    w->o = o;
    w->wo = o->wo;
    w->in = in;
    if (!(w->mem = open_memstream(&w->notes, &w->nnotes)))
        return 0;
    w->wo.notes = w->mem;
    /* On another core than the loader's, which has work for this one. */
    if (sl_thread_start(th, early_walk_run, w, 0) != 0) {
        fclose(w->mem);
        free(w->notes);
        memset(w, 0, sizeof *w);
        return 0;
    }
    return 1;
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
    cli_signals_install();
    sl_ruleset *rs = NULL;
    cli_inputs in = {0};
    pool p;
    memset(&p, 0, sizeof p);
    pthread_t *threads = NULL;
    size_t nthreads = 0;
    sl_scanner *isc = NULL; /* this thread's */
    int json_stdout = 0;    /* stdout is a machine-readable format, not text */
    int jsonl_stdout = 0;
    sl_baseline *baseline = NULL, *compare = NULL;
    sl_ignore *ignore = NULL;
    char *dated = NULL;
    sl_report **reps = NULL;
    cli_emit em;
    memset(&em, 0, sizeof em);
    early_walk ew; /* the walk, when done while the packs load */
    pthread_t ew_thread;
    int walked = 0;
    if (code >= 0)
        goto out;
    code = EXIT_USAGE;

    o.ro.jobs = (unsigned)o.jobs;
    /* With threads to spare, the inputs are walked while the packs load:
     * on an archive of small files both take milliseconds. */
    walked = o.jobs > 1 && early_walk_start(&ew, &o, &in, &ew_thread);
    rs = cli_load_rules(&o.ro);
    if (walked) {
        pthread_join(ew_thread, NULL);
        fclose(ew.mem);
        ew.mem = NULL;
    }
    if (!rs)
        goto out;
    json_stdout = strcmp(o.format, "text") != 0;
    /* JSON Lines on stdout is streamed as each file is decided; every
     * other format is a whole report written at the end. */
    jsonl_stdout = strcmp(o.format, "jsonl") == 0;
    if (json_stdout && !jsonl_stdout) {
        char spec[64];
        snprintf(spec, sizeof spec, "%s:-", o.format);
        if (!add_report(&o, spec))
            goto out;
        o.reports[o.nreports - 1].path = NULL;
    }
    if (o.report_dir && !add_dir_reports(&o))
        goto out;
    if (o.baseline && !(baseline = load_earlier("--baseline", o.baseline)))
        goto out;
    if (o.compare && !(compare = load_earlier("--compare", o.compare)))
        goto out;
    if (!load_ignore(o.ignore_file, &ignore))
        goto out;
    if (!o.compare && o.report_dir) {
        /* A nightly run shows the trend since the previous night's. */
        char prev[4096];
        snprintf(prev, sizeof prev, "%s/latest/report.json", o.report_dir);
        if (access(prev, R_OK) == 0)
            compare = load_earlier("--report-dir", prev);
    }
    for (size_t k = 0; k < o.nreports; k++) {
        if (sl_report_set_ruleset(o.reports[k].rep, rs) != SL_OK ||
            (compare && sl_report_set_compare(o.reports[k].rep, compare) != SL_OK) ||
            (ignore && sl_report_set_ignore(o.reports[k].rep, ignore) != SL_OK)) {
            fprintf(stderr, "syndlint: out of memory\n");
            goto out;
        }
    }

    if (walked) {
        fwrite(ew.notes, 1, ew.nnotes, stderr);
        free(ew.notes);
        walked = 0;
        if (ew.rc != 0) {
            fprintf(stderr, "syndlint: out of memory\n");
            goto out;
        }
    } else if (cli_walk(o.paths, o.npaths, &o.wo, &in) != 0) {
        fprintf(stderr, "syndlint: out of memory\n");
        goto out;
    }
    if (o.changed_since && !cli_changed_filter(&in, o.changed_since))
        goto out;
    if (o.shard_n)
        cli_shard_filter(&in, o.shard_k, o.shard_n);

    cli_text_out tout = {stdout, 0, o.quiet};
    tout.color = o.color < 0 ? (isatty(STDOUT_FILENO) && !getenv("NO_COLOR")) : o.color;

    p.rs = rs;
    for (size_t i = 0; i < in.n && !p.fetcher; i++)
        if (sl_is_url(in.items[i].path) && !in.items[i].error &&
            !(p.fetcher = cli_fetcher_new(&o.fo, o.max_file_size)))
            goto out;
    p.in = &in;
    p.sopt.fail_on = o.fail_on;
    p.sopt.max_file_size = o.max_file_size;
    p.sopt.max_documents = o.max_documents;
    p.sopt.max_depth = o.max_depth;
    p.sopt.timeout_s = o.timeout_s;
    p.sopt.regex_match_limit = o.match_limit;
    p.sopt.max_doc_size = o.max_doc_size;
    p.sopt.jit_stack_size = o.jit_stack;
    p.sopt.no_inline_suppressions = o.no_inline_suppressions;
    p.sopt.report_unused_suppressions = o.report_unused_suppressions;
    p.window = (size_t)o.jobs * 64;
    p.results = calloc(in.n ? in.n : 1, sizeof *p.results);
    p.done = calloc(in.n ? in.n : 1, 1);
    p.docq = calloc(in.n ? in.n : 1, sizeof *p.docq);
    nthreads = (size_t)o.jobs < in.n ? (size_t)o.jobs : in.n;
    threads = calloc(nthreads ? nthreads : 1, sizeof *threads);
    reps = calloc(o.nreports ? o.nreports : 1, sizeof *reps);
    if (!p.results || !p.done || !p.docq || !threads || !reps) {
        fprintf(stderr, "syndlint: out of memory\n");
        goto out;
    }
    for (size_t k = 0; k < o.nreports; k++)
        reps[k] = o.reports[k].rep;
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.ready, NULL);
    pthread_cond_init(&p.room, NULL);
    size_t started = 0;
    /* This thread is one of the N scanners: it scans the next file
     * whenever the one it is to print is not finished. A printer of its
     * own would wake for each batch of results and take a core from the
     * workers while it runs. */
    printer pr = {&p, &em, NULL, {&p, 0, NULL}, 0};
    pr.ctx.pr = &pr;
    if (in.n > 0) {
        if (!(isc = worker_scanner(&p))) {
            fprintf(stderr, "syndlint: out of memory\n");
            goto out_pool;
        }
        pr.sc = isc;
        sl_scanner_set_doc_cb(isc, on_doc, &pr.ctx);
    }
    /* Workers are left where Linux puts them: started off this thread's
     * core (util/thread.h) they scanned 1% to 4% slower, while the walk
     * above gains from it. A worker that cannot start leaves its files
     * to the others. */
    for (; started + 1 < nthreads; started++)
        if (pthread_create(&threads[started], NULL, worker, &p) != 0)
            break;

    em.baseline = baseline;
    em.ignore = ignore;
    em.fail_on = o.fail_on;
    em.text = tout;
    em.text_on = !json_stdout;
    em.jsonl_stdout = jsonl_stdout;
    em.json_stdout = json_stdout;
    em.reps = reps;
    em.nreps = o.nreports;
    while (p.emitted < in.n && print_next(&pr, 1))
        ;
    int sig = pr.sig;
    size_t nemitted = p.emitted;
    for (size_t i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    if (!sig && nemitted < in.n)
        sig = cli_interrupted();
    if (sig && nemitted < in.n) {
        fflush(stdout);
        fprintf(stderr,
                "syndlint: interrupted by %s: scan stopped after %zu of %zu files, no report "
                "written\n",
                sig == SIGINT ? "SIGINT" : "SIGTERM", nemitted, in.n);
        code = 128 + sig;
        goto out_pool;
    }

    if (!json_stdout) {
        cli_text_summary(&tout, em.files, em.docs, em.passed, em.failed, em.errors, em.findings);
        if (em.baselined)
            fprintf(stdout, "%zu finding%s in the baseline (%s), not failing\n", em.baselined,
                    em.baselined == 1 ? "" : "s", o.baseline);
    }
    code = em.any_error ? EXIT_INPUT : em.any_fail ? EXIT_FINDINGS : EXIT_PASS;
    if (em.out_of_memory)
        code = EXIT_INPUT;
    if (em.stdout_failed)
        code = EXIT_USAGE;
    int dir_ok = 1;
    if (o.report_dir && !(dated = prepare_report_dir(&o))) {
        code = EXIT_USAGE;
        dir_ok = 0;
    }
    for (size_t k = 0; k < o.nreports; k++) {
        sl_diag diag = {{0}};
        if (o.reports[k].dir_file && !dated)
            continue;
        sl_status st = o.reports[k].path
                           ? sl_report_write_file(o.reports[k].rep, o.reports[k].path, &diag)
                           : sl_report_write(o.reports[k].rep, stdout, &diag);
        if (st != SL_OK) {
            fprintf(stderr, "syndlint: %s\n", diag.message);
            code = EXIT_USAGE;
            if (o.reports[k].dir_file)
                dir_ok = 0;
        }
    }
    /* `latest` moves only to a folder whose every report was written. */
    if (dated && dir_ok && !point_latest(o.report_dir, dated))
        code = EXIT_USAGE;
    if (fflush(stdout) != 0) {
        fprintf(stderr, "syndlint: cannot write to standard output: %s\n", strerror(errno));
        code = EXIT_USAGE;
    }
    if ((sig = cli_interrupted()) != 0)
        code = 128 + sig; /* the reports were finished whole before stopping */
out_pool:
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.ready);
    pthread_cond_destroy(&p.room);
out:
    if (walked) /* stopped before the walk's notes were printed */
        free(ew.notes);
    if (p.results)
        for (size_t i = 0; i < in.n; i++)
            sl_file_result_free(p.results[i]);
    free(p.results);
    free(p.done);
    if (p.docq)
        for (size_t i = 0; i < in.n; i++) {
            for (size_t d = 0; d < p.docq[i].n; d++)
                sl_doc_result_clear(&p.docq[i].d[d]);
            free(p.docq[i].d);
            if (p.docq[i].spill)
                fclose(p.docq[i].spill);
        }
    free(p.docq);
    cli_emit_clear(&em);
    free(reps);
    free(threads);
    cli_inputs_clear(&in);
    sl_baseline_free(baseline);
    sl_baseline_free(compare);
    sl_ignore_free(ignore);
    free(dated);
    sl_scanner_free(isc);
    sl_ruleset_free(rs);
    sl_fetcher_free(p.fetcher);
    free_opts(&o);
    return code;
}
