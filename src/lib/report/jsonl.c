/*
 * JSON Lines: one compact object per document, for pipelines. Each object
 * carries its file's path and verdict so a line stands on its own, and the
 * findings as the JSON report spells them plus "baseline". The CLI streams
 * these as each file is decided (sl_file_result_write_jsonl); the "jsonl"
 * report writes the same lines at the end.
 */
#include <errno.h>
#include <string.h>

#include "report/model.h"
#include "util/diag.h"

static json_t *doc_line(const rm_file *file, const rm_doc *d)
{
    int ok = 1;
    json_t *o = json_object();
    json_t *fs = json_array();
    if (!o || !fs) {
        json_decref(o);
        json_decref(fs);
        return NULL;
    }
    rm_set(o, "path", rm_jstr(file->path), &ok);
    rm_set(o, "id", rm_jstr(d->id), &ok);
    rm_set(o, "title", rm_jstr(d->title), &ok);
    rm_set(o, "verdict", json_string(sl_verdict_name(d->verdict)), &ok);
    rm_set(o, "error", rm_jstr(d->error), &ok);
    for (size_t k = 0; k < d->nfindings; k++)
        if (json_array_append_new(fs, rm_finding_json(&d->findings[k], 1)) != 0)
            ok = 0;
    rm_set(o, "findings", fs, &ok);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

sl_status rm_jsonl_file(const sl_report *rep, const rm_file *file, FILE *out)
{
    sl_status st = SL_OK;
    rm_doc_iter it;
    rm_docs_begin(&it, rep, file);
    for (const rm_doc *d; st == SL_OK && (d = rm_docs_next(&it));) {
        json_t *o = doc_line(file, d);
        if (!o) {
            st = SL_ENOMEM;
            break;
        }
        int rc = json_dumpf(o, out, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        if (rc != 0 || fputc('\n', out) == EOF)
            st = SL_EIO;
    }
    if (it.failed && st == SL_OK)
        st = SL_EIO;
    rm_docs_end(&it);
    return st;
}

sl_status rm_write_jsonl(const sl_report *rep, FILE *out)
{
    for (size_t i = 0; i < rep->nfiles; i++) {
        sl_status st = rm_jsonl_file(rep, &rep->files[i], out);
        if (st != SL_OK)
            return st;
    }
    return SL_OK;
}

sl_status sl_file_result_write_jsonl(const sl_file_result *res, FILE *out, sl_diag *diag)
{
    /* The same records as a report's, in a report of one file that stays
     * in memory (the file's results are in memory already). */
    sl_report rep;
    memset(&rep, 0, sizeof rep);
    rm_spool_init(&rep.spool);
    rep.format = RM_JSONL;
    sl_status st = rm_file_add(&rep, res, 0);
    if (st == SL_OK) {
        errno = 0;
        st = rm_jsonl_file(&rep, &rep.files[0], out);
    }
    for (size_t i = 0; i < rep.nfiles; i++)
        rm_file_clear(&rep.files[i]);
    free(rep.files);
    rm_spool_clear(&rep.spool);
    rm_enc_free(&rep.enc);
    if (st == SL_ENOMEM)
        return sl_diag_set(diag, st, NULL, 0, 0, NULL, "out of memory writing JSON Lines");
    if (st != SL_OK || fflush(out) != 0)
        return sl_diag_set(diag, SL_EIO, NULL, 0, 0, NULL, "cannot write JSON Lines: %s",
                           strerror(errno ? errno : EIO));
    return SL_OK;
}
