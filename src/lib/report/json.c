/*
 * The JSON report: the contract in DESIGN.md, field for field. jansson does
 * the encoding (key order is insertion order, so the output is stable).
 * Baseline state is deliberately not a field here: the contract's shape is
 * fixed, and a baselined finding shows only in the verdicts.
 */
#include "report/model.h"

static json_t *doc_json(const rm_doc *d, int *ok)
{
    json_t *o = json_object();
    json_t *fs = json_array();
    if (!o || !fs) {
        json_decref(o);
        json_decref(fs);
        *ok = 0;
        return NULL;
    }
    rm_set(o, "id", rm_jstr(d->id), ok);
    rm_set(o, "title", rm_jstr(d->title), ok);
    rm_set(o, "verdict", json_string(sl_verdict_name(d->verdict)), ok);
    for (size_t k = 0; k < d->nfindings; k++)
        if (json_array_append_new(fs, rm_finding_json(&d->findings[k], 0)) != 0)
            *ok = 0;
    rm_set(o, "findings", fs, ok);
    return o;
}

static json_t *file_json(const rm_file *f, int *ok)
{
    json_t *o = json_object();
    json_t *docs = json_array();
    if (!o || !docs) {
        json_decref(o);
        json_decref(docs);
        *ok = 0;
        return NULL;
    }
    rm_set(o, "path", rm_jstr(f->path), ok);
    rm_set(o, "verdict", json_string(sl_verdict_name(f->verdict)), ok);
    rm_set(o, "error", rm_jstr(f->error), ok);
    for (size_t i = 0; i < f->ndocs; i++)
        if (json_array_append_new(docs, doc_json(&f->docs[i], ok)) != 0)
            *ok = 0;
    rm_set(o, "documents", docs, ok);
    return o;
}

sl_status rm_write_json(const sl_report *rep, FILE *out)
{
    int ok = 1;
    json_t *root = json_object();
    json_t *tool = json_object();
    json_t *sum = json_object();
    json_t *files = json_array();
    if (!root || !tool || !sum || !files) {
        json_decref(root);
        json_decref(tool);
        json_decref(sum);
        json_decref(files);
        return SL_ENOMEM;
    }
    rm_set(tool, "name", json_string("syndlint"), &ok);
    rm_set(tool, "version", json_string(SL_VERSION), &ok);
    rm_set(root, "tool", tool, &ok);
    rm_set(sum, "files", json_integer((json_int_t)rep->n.files), &ok);
    rm_set(sum, "documents", json_integer((json_int_t)rep->n.docs), &ok);
    rm_set(sum, "passed", json_integer((json_int_t)rep->n.passed), &ok);
    rm_set(sum, "failed", json_integer((json_int_t)rep->n.failed), &ok);
    rm_set(sum, "errors", json_integer((json_int_t)rep->n.errors), &ok);
    rm_set(sum, "findings", json_integer((json_int_t)rep->n.findings), &ok);
    rm_set(root, "summary", sum, &ok);
    for (size_t i = 0; i < rep->nfiles; i++)
        if (json_array_append_new(files, file_json(&rep->files[i], &ok)) != 0)
            ok = 0;
    rm_set(root, "files", files, &ok);
    sl_status st = SL_OK;
    if (!ok)
        st = SL_ENOMEM;
    else if (json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 ||
             fputc('\n', out) == EOF)
        st = SL_EIO;
    json_decref(root);
    return st;
}
