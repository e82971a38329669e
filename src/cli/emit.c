/*
 * What becomes of each judged document, in input order: the scanner hands
 * a feed's documents over one at a time (sl_scanner_set_doc_cb), and each
 * is decided here (baseline, ignore file), counted, printed and added to
 * the reports, then dropped, so a run holds no result of a feed's items.
 *
 * The text output puts a file's line, with its verdict, above its
 * documents, and the verdict is known only at the file's end; so the
 * documents' lines wait in a spool (memory, then a temporary file past
 * 1 MB). The first document waits on its own: whether it is printed as the
 * whole file or as one item of it depends on whether a second one comes.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define SPOOL_MEM ((long)1 << 20)

static void take(sl_doc_result *dst, sl_doc_result *src)
{
    *dst = *src;
    memset(src, 0, sizeof *src);
}

/* The file's documents' text goes here until its line is printed. */
static FILE *spool_get(cli_emit *e)
{
    if (!e->spool) {
        e->spool = open_memstream(&e->spool_mem, &e->spool_len);
        e->spool_in_mem = e->spool != NULL;
    }
    return e->spool;
}

/* Past SPOOL_MEM, the text moves to a temporary file (when one can be
 * made; otherwise it stays in memory). */
static void spool_check(cli_emit *e)
{
    if (!e->spool_in_mem || ftell(e->spool) < SPOOL_MEM)
        return;
    FILE *t = cli_temp_file();
    if (!t)
        return;
    fflush(e->spool);
    if (fwrite(e->spool_mem, 1, e->spool_len, t) != e->spool_len) {
        fclose(t);
        return;
    }
    fclose(e->spool);
    free(e->spool_mem);
    e->spool_mem = NULL;
    e->spool_len = 0;
    e->spool = t;
    e->spool_in_mem = 0;
}

static void spool_out(cli_emit *e, FILE *out)
{
    if (!e->spool)
        return;
    if (e->spool_in_mem) {
        fflush(e->spool);
        fwrite(e->spool_mem, 1, e->spool_len, out);
    } else {
        char buf[65536];
        size_t n;
        rewind(e->spool);
        while ((n = fread(buf, 1, sizeof buf, e->spool)) > 0)
            fwrite(buf, 1, n, out);
    }
}

static void spool_drop(cli_emit *e)
{
    if (e->spool)
        fclose(e->spool);
    free(e->spool_mem);
    e->spool = NULL;
    e->spool_mem = NULL;
    e->spool_len = 0;
    e->spool_in_mem = 0;
}

/* Prints a document's lines to the spool, as one of several. */
static void text_to_spool(cli_emit *e, const sl_doc_result *d)
{
    FILE *f = spool_get(e);
    if (!f)
        return;
    cli_text_out t = e->text;
    t.out = f;
    cli_text_doc(&t, d, 0);
    spool_check(e);
}

void cli_emit_doc(cli_emit *e, const char *path, sl_doc_result *doc)
{
    sl_doc_result d;
    take(&d, doc);
    /* The document as a file of one, for the calls that take a file. */
    sl_file_result one = {path, NULL, SL_PASS, &d, 1};
    if (e->baseline)
        sl_baseline_apply(e->baseline, &one, e->fail_on);
    if (e->ignore && sl_ignore_apply(e->ignore, &one, e->fail_on) != SL_OK)
        e->out_of_memory = 1;
    for (size_t k = 0; k < d.nfindings; k++)
        e->baselined += d.findings[k].baseline != 0;
    e->ndocs++;
    e->docs++;
    e->findings += d.nfindings;
    if (d.verdict == SL_PASS)
        e->passed++;
    else if (d.verdict == SL_FAIL)
        e->failed++;
    else
        e->errors++;
    if (d.verdict > e->worst)
        e->worst = d.verdict;
    if (d.error && !e->first_error && !(e->first_error = strdup(d.error)))
        e->out_of_memory = 1;
    if (e->jsonl_stdout && !e->stdout_failed) {
        sl_diag diag = {{0}};
        if (sl_file_result_write_jsonl(&one, stdout, &diag) != SL_OK) {
            fprintf(stderr, "syndlint: %s\n", diag.message);
            e->stdout_failed = 1;
        }
    }
    for (size_t k = 0; k < e->nreps; k++)
        if (sl_report_add_doc(e->reps[k], path, &d) != SL_OK)
            e->out_of_memory = 1;
    if (!e->text_on) {
        sl_doc_result_clear(&d);
        return;
    }
    if (e->ndocs == 1) {
        take(&e->first, &d);
        e->have_first = 1;
        return;
    }
    if (e->have_first) {
        text_to_spool(e, &e->first);
        sl_doc_result_clear(&e->first);
        e->have_first = 0;
    }
    text_to_spool(e, &d);
    sl_doc_result_clear(&d);
}

void cli_emit_end(cli_emit *e, sl_file_result *res)
{
    for (size_t i = 0; i < res->ndocs; i++)
        cli_emit_doc(e, res->path, &res->docs[i]);
    free(res->docs);
    res->docs = NULL;
    res->ndocs = 0;
    /* A file with an error of its own, or without documents, stays ERROR;
     * otherwise it is its worst document. */
    if (!(res->verdict == SL_ERROR && (res->error || e->ndocs == 0)))
        res->verdict = e->worst;
    e->files++;
    if (e->ndocs == 0) {
        e->docs++;
        e->errors++;
    }
    if (res->verdict == SL_ERROR) {
        e->any_error = 1;
        if (e->json_stdout) {
            const char *why = res->error ? res->error : e->first_error;
            fprintf(stderr, "syndlint: %s: %s\n", res->path, why ? why : "cannot be scanned");
        }
    } else if (res->verdict == SL_FAIL) {
        e->any_fail = 1;
    }
    if (e->text_on && !(e->text.quiet && res->verdict == SL_PASS)) {
        cli_text_head(&e->text, res->path, res->verdict, res->error);
        spool_out(e, e->text.out);
        if (e->have_first)
            cli_text_doc(&e->text, &e->first,
                         e->ndocs == 1 && e->first.id && strcmp(e->first.id, res->path) == 0);
    }
    if (e->jsonl_stdout && !e->stdout_failed && e->ndocs == 0) {
        sl_diag diag = {{0}};
        if (sl_file_result_write_jsonl(res, stdout, &diag) != SL_OK) {
            fprintf(stderr, "syndlint: %s\n", diag.message);
            e->stdout_failed = 1;
        }
    }
    for (size_t k = 0; k < e->nreps; k++)
        if (sl_report_end_file(e->reps[k], res) != SL_OK)
            e->out_of_memory = 1;
    cli_emit_clear(e);
}

void cli_emit_clear(cli_emit *e)
{
    spool_drop(e);
    if (e->have_first)
        sl_doc_result_clear(&e->first);
    e->have_first = 0;
    free(e->first_error);
    e->first_error = NULL;
    e->ndocs = 0;
    e->worst = SL_PASS;
}
