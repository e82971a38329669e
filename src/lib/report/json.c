/*
 * The JSON report: the contract in DESIGN.md, field for field. jansson does
 * the encoding (key order is insertion order, so the output is stable).
 * Baseline state is deliberately not a field here: the contract's shape is
 * fixed, and a baselined finding shows only in the verdicts.
 */
#include "report/model.h"

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

/* One document at depth 4 (an element of "documents"), its findings
 * written one at a time: a document with a hundred thousand findings
 * would otherwise be one tree of them all, some KB each. */
static sl_status doc_out(const rm_doc *d, FILE *out, size_t n)
{
    if (fputs(n ? ",\n        {\n" : "\n        {\n", out) == EOF ||
        !member(out, 5, "id", rm_jstr(d->id), 0) ||
        !member(out, 5, "title", rm_jstr(d->title), 0) ||
        !member(out, 5, "verdict", json_string(sl_verdict_name(d->verdict)), 0) ||
        fputs("          \"findings\": [", out) == EOF)
        return SL_EIO;
    for (size_t k = 0; k < d->nfindings; k++) {
        json_t *f = rm_finding_json(&d->findings[k], 0);
        if (!f)
            return SL_ENOMEM;
        int ok = fputs(k ? ",\n            " : "\n            ", out) != EOF &&
                 rm_dump_indented(f, out, 12);
        json_decref(f);
        if (!ok)
            return SL_EIO;
    }
    if (fputs(d->nfindings ? "\n          ]\n        }" : "]\n        }", out) == EOF)
        return SL_EIO;
    return SL_OK;
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
    for (const rm_doc *d; st == SL_OK && (d = rm_docs_next(&it)); n++)
        st = doc_out(d, out, n);
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
