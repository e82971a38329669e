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

/* `key` and its value, compact, after `lead` (",", or "{" first). */
static int put_member(FILE *out, const char *lead, const char *key, json_t *val)
{
    int ok = val && fprintf(out, "%s\"%s\":", lead, key) >= 0 &&
             json_dumpf(val, out, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY) == 0;
    json_decref(val);
    return ok;
}

/* One document's line, written member by member and finding by finding:
 * the bytes json_dumpf gives the whole object, compact, without a tree of
 * every finding of a document that has a hundred thousand. */
static sl_status doc_line(const rm_file *file, const rm_doc *d, FILE *out)
{
    if (!put_member(out, "{", "path", rm_jstr(file->path)) ||
        !put_member(out, ",", "id", rm_jstr(d->id)) ||
        !put_member(out, ",", "title", rm_jstr(d->title)) ||
        !put_member(out, ",", "verdict", json_string(sl_verdict_name(d->verdict))) ||
        !put_member(out, ",", "error", rm_jstr(d->error)) || fputs(",\"findings\":[", out) == EOF)
        return SL_EIO;
    for (size_t k = 0; k < d->nfindings; k++) {
        json_t *f = rm_finding_json(&d->findings[k], 1);
        if (!f)
            return SL_ENOMEM;
        int ok = (!k || fputc(',', out) != EOF) &&
                 json_dumpf(f, out, JSON_COMPACT | JSON_PRESERVE_ORDER) == 0;
        json_decref(f);
        if (!ok)
            return SL_EIO;
    }
    if (fputs("]}\n", out) == EOF)
        return SL_EIO;
    return SL_OK;
}

sl_status rm_jsonl_file(const sl_report *rep, const rm_file *file, FILE *out)
{
    sl_status st = SL_OK;
    rm_doc_iter it;
    rm_docs_begin(&it, rep, file);
    for (const rm_doc *d; st == SL_OK && (d = rm_docs_next(&it));)
        st = doc_line(file, d, out);
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
