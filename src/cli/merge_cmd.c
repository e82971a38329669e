/*
 * `syndlint merge [-o OUT] A.json B.json ...`: one JSON report from the
 * reports of `scan --shard K/N` runs, the same as one run over all inputs.
 *
 * Each shard's report lists its files in walk order, and the counts of the
 * summary are sums over files, so the merged report is the shards' files in
 * walk order under the sum of their summaries. Walk order is recovered from
 * the paths alone: directories are walked depth-first with entries sorted
 * bytewise, which is the order of comparing paths one component at a time.
 * (When several inputs were named on the command line, a single run keeps
 * them in the order given; the merge puts them in sorted order, which is
 * the same whenever they were given sorted, as a shell glob gives them.)
 *
 * The exit code is the one a single run would give: 3 when some input was
 * ERROR, else 1 when some document failed, else 0; 2 for bad arguments or
 * reports.
 *
 * The report is read and written with jansson, indented as the library's
 * JSON writer does, so that the bytes match a single run's. The output goes
 * to a temporary file renamed into place, like every report.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"

static const char *const sum_keys[] = {"files",  "documents", "passed",
                                       "failed", "errors",    "findings"};

/* Component-wise path order: "a/x" before "a.txt" iff the walk visits
 * directory "a" before file "a.txt" (it does: "a" < "a.txt"). */
static int path_cmp(const char *a, const char *b)
{
    for (;;) {
        size_t la = strcspn(a, "/"), lb = strcspn(b, "/");
        size_t m = la < lb ? la : lb;
        int r = memcmp(a, b, m);
        if (r)
            return r;
        if (la != lb)
            return la < lb ? -1 : 1;
        a += la;
        b += lb;
        if (!*a || !*b)
            return *a ? 1 : *b ? -1 : 0;
        a++;
        b++;
    }
}

typedef struct entry {
    json_t *file; /* borrowed from its report */
    const char *path;
    size_t seq; /* position in the input, for a stable sort */
    size_t in;  /* the report it came from */
} entry;

static int entry_cmp(const void *x, const void *y)
{
    const entry *a = x, *b = y;
    int r = path_cmp(a->path, b->path);
    if (r)
        return r;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static sl_status dump_report(FILE *out, void *user, sl_diag *diag)
{
    (void)diag;
    return json_dumpf(user, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 &&
                   fputc('\n', out) != EOF
               ? SL_OK
               : SL_EIO;
}

static int write_out(json_t *root, const char *path)
{
    if (!path) {
        if (json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 ||
            fputc('\n', stdout) == EOF || fflush(stdout) != 0) {
            fprintf(stderr, "syndlint: merge: cannot write to standard output\n");
            return 0;
        }
        return 1;
    }
    sl_diag d = {{0}};
    if (sl_write_file_atomic(path, "the report", dump_report, root, &d) != SL_OK) {
        fprintf(stderr, "syndlint: merge: %s\n", d.message);
        return 0;
    }
    return 1;
}

int cli_merge(int argc, char **argv)
{
    int code = EXIT_USAGE;
    const char *out = NULL;
    const char **ins = NULL;
    size_t nins = 0;
    json_t **docs = NULL;
    entry *ents = NULL;
    size_t nents = 0, cap = 0;
    json_t *root = NULL;
    json_int_t sums[6] = {0};
    for (int i = 1; i < argc; i++) {
        int err = 0;
        const char *v;
        if ((v = cli_opt_value("-o", argc, argv, &i, &err)) ||
            (!err && (v = cli_opt_value("--output", argc, argv, &i, &err)))) {
            out = v;
        } else if (err) {
            goto done;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "syndlint: merge: unknown option '%s'\n", argv[i]);
            goto done;
        } else {
            const char **p = realloc(ins, (nins + 1) * sizeof *p);
            if (!p)
                goto oom;
            ins = p;
            ins[nins++] = argv[i];
        }
    }
    if (nins == 0) {
        fprintf(stderr, "syndlint: merge: no report given (the JSON reports of scan --shard)\n");
        goto done;
    }
    docs = calloc(nins, sizeof *docs);
    if (!docs)
        goto oom;
    const char *version = NULL;
    for (size_t k = 0; k < nins; k++) {
        json_error_t je;
        docs[k] = json_load_file(ins[k], JSON_DECODE_ANY, &je);
        if (!docs[k]) {
            fprintf(stderr, "syndlint: merge: %s:%d:%d: %s\n", ins[k], je.line, je.column, je.text);
            goto done;
        }
        json_t *tool = json_object_get(docs[k], "tool");
        json_t *sum = json_object_get(docs[k], "summary");
        json_t *files = json_object_get(docs[k], "files");
        const char *ver = json_string_value(json_object_get(tool, "version"));
        if (!json_is_object(sum) || !json_is_array(files) || !ver) {
            fprintf(stderr, "syndlint: merge: %s: not a syndlint JSON report\n", ins[k]);
            goto done;
        }
        if (version && strcmp(version, ver) != 0) {
            fprintf(stderr, "syndlint: merge: %s: made by syndlint %s, the others by %s\n", ins[k],
                    ver, version);
            goto done;
        }
        version = ver;
        for (size_t s = 0; s < 6; s++) {
            json_t *c = json_object_get(sum, sum_keys[s]);
            if (!json_is_integer(c)) {
                fprintf(stderr, "syndlint: merge: %s: summary lacks '%s'\n", ins[k], sum_keys[s]);
                goto done;
            }
            sums[s] += json_integer_value(c);
        }
        size_t i;
        json_t *f;
        json_array_foreach(files, i, f)
        {
            const char *path = json_string_value(json_object_get(f, "path"));
            if (!path) {
                fprintf(stderr, "syndlint: merge: %s: a file without a path\n", ins[k]);
                goto done;
            }
            if (nents == cap) {
                cap = cap ? 2 * cap : 256;
                entry *e = realloc(ents, cap * sizeof *e);
                if (!e)
                    goto oom;
                ents = e;
            }
            ents[nents].file = f;
            ents[nents].path = path;
            ents[nents].seq = nents;
            ents[nents].in = k;
            nents++;
        }
    }
    if (nents)
        qsort(ents, nents, sizeof *ents, entry_cmp);
    /* Shards of one run never share a file: one listed twice is a report
     * given twice, or reports of different runs, and their sum would count
     * it twice and miss the shard left out. */
    for (size_t i = 1; i < nents; i++)
        if (path_cmp(ents[i - 1].path, ents[i].path) == 0) {
            fprintf(stderr,
                    "syndlint: merge: %s is in %s and %s: the reports are not shards of one "
                    "run\n",
                    ents[i].path, ins[ents[i - 1].in], ins[ents[i].in]);
            goto done;
        }

    root = json_object();
    json_t *tool = json_object_get(docs[0], "tool");
    json_t *sum = json_object();
    json_t *files = json_array();
    if (!root || !sum || !files || json_object_set(root, "tool", tool) != 0) {
        json_decref(sum);
        json_decref(files);
        goto oom;
    }
    for (size_t s = 0; s < 6; s++)
        if (json_object_set_new(sum, sum_keys[s], json_integer(sums[s])) != 0) {
            json_decref(sum);
            json_decref(files);
            goto oom;
        }
    if (json_object_set_new(root, "summary", sum) != 0) {
        json_decref(files);
        goto oom;
    }
    if (json_object_set_new(root, "files", files) != 0)
        goto oom;
    for (size_t i = 0; i < nents; i++)
        if (json_array_append(files, ents[i].file) != 0)
            goto oom;
    /* The exit code a single run would have given. */
    if (!write_out(root, out))
        code = EXIT_USAGE;
    else
        code = sums[4] ? EXIT_INPUT : sums[3] ? EXIT_FINDINGS : EXIT_PASS;
    goto done;
oom:
    fprintf(stderr, "syndlint: merge: out of memory\n");
    code = EXIT_USAGE;
done:
    json_decref(root);
    for (size_t k = 0; docs && k < nins; k++)
        json_decref(docs[k]);
    free(docs);
    free(ents);
    free(ins);
    return code;
}
