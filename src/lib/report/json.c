/*
 * The JSON report: the contract in DESIGN.md, field for field. jansson does
 * the encoding (key order is insertion order, so the output is stable).
 * Baseline state is deliberately not a field here: the contract's shape is
 * fixed, and a baselined finding shows only in the verdicts.
 */
#include "report/model.h"

static json_t *doc_json(const rm_doc *d)
{
    int ok = 1;
    json_t *o = json_object();
    json_t *fs = json_array();
    if (!o || !fs) {
        json_decref(o);
        json_decref(fs);
        return NULL;
    }
    rm_set(o, "id", rm_jstr(d->id), &ok);
    rm_set(o, "title", rm_jstr(d->title), &ok);
    rm_set(o, "verdict", json_string(sl_verdict_name(d->verdict)), &ok);
    for (size_t k = 0; k < d->nfindings; k++)
        if (json_array_append_new(fs, rm_finding_json(&d->findings[k], 0)) != 0)
            ok = 0;
    rm_set(o, "findings", fs, &ok);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* `"key": value` at the given depth of the document, as JSON_INDENT(2)
 * puts it. */
static int member(FILE *out, int depth, const char *key, json_t *val, int last)
{
    if (!val)
        return 0;
    int ok = fprintf(out, "%*s\"%s\": ", 2 * depth, "", key) >= 0 &&
             rm_dump_indented(val, out, 2 * depth) && fputs(last ? "\n" : ",\n", out) != EOF;
    json_decref(val);
    return ok;
}

/* One file, its documents streamed from the spool one at a time. */
static sl_status file_out(const sl_report *rep, const rm_file *f, FILE *out)
{
    if (fputs("    {\n", out) == EOF || !member(out, 3, "path", rm_jstr(f->path), 0) ||
        !member(out, 3, "verdict", json_string(sl_verdict_name(f->verdict)), 0) ||
        !member(out, 3, "error", rm_jstr(f->error), 0) ||
        fputs("      \"documents\": [", out) == EOF)
        return SL_EIO;
    sl_status st = SL_OK;
    rm_doc_iter it;
    rm_docs_begin(&it, rep, f);
    size_t n = 0;
    for (const rm_doc *d; st == SL_OK && (d = rm_docs_next(&it)); n++) {
        json_t *o = doc_json(d);
        if (!o)
            st = SL_ENOMEM;
        else if (!rm_dump_element(o, out, n))
            st = SL_EIO;
        json_decref(o);
    }
    if (it.failed && st == SL_OK)
        st = SL_EIO;
    rm_docs_end(&it);
    if (st == SL_OK && fputs(n ? "\n      ]\n    }" : "]\n    }", out) == EOF)
        st = SL_EIO;
    return st;
}

/* Written piece by piece, never as one tree: a report of a large feed
 * would otherwise hold every document's JSON at once. The bytes are those
 * jansson gives the whole tree with JSON_INDENT(2). */
sl_status rm_write_json(const sl_report *rep, FILE *out)
{
    int ok = 1;
    json_t *tool = json_object();
    json_t *sum = rm_summary_json(rep, 0);
    if (tool) {
        rm_set(tool, "name", json_string("syndlint"), &ok);
        rm_set(tool, "version", json_string(SL_VERSION), &ok);
    }
    if (!tool || !sum || !ok) {
        json_decref(tool);
        json_decref(sum);
        return SL_ENOMEM;
    }
    /* member() takes its value in every case. */
    int w = fputs("{\n", out) != EOF;
    w = member(out, 1, "tool", tool, 0) && w;
    w = member(out, 1, "summary", sum, 0) && w;
    if (!w || fputs("  \"files\": [", out) == EOF)
        return SL_EIO;
    for (size_t i = 0; i < rep->nfiles; i++) {
        if (fputs(i ? ",\n" : "\n", out) == EOF)
            return SL_EIO;
        sl_status st = file_out(rep, &rep->files[i], out);
        if (st != SL_OK)
            return st;
    }
    if (fputs(rep->nfiles ? "\n  ]\n}\n" : "]\n}\n", out) == EOF)
        return SL_EIO;
    return SL_OK;
}
