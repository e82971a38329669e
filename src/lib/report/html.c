/*
 * The HTML report: one self-contained page (no network, no external
 * assets; a Content-Security-Policy says so to the browser) that an editor
 * opens from a nightly run. The page is static markup, an inline stylesheet
 * and script (html/report.css, html/report.js, embedded at build time), and
 * the results as JSON in a <script type="application/json"> element that
 * the script renders with DOM calls only (textContent, never innerHTML), so
 * no article text is ever parsed as markup.
 *
 * The JSON is jansson's, with "/" escaped (JSON_ESCAPE_SLASH) so no "</"
 * can end the script element, and every "<" written as \u003c so no "<!--"
 * can change how the HTML parser reads the script's text either. Outside
 * strings JSON has no "<", so both are plain JSON string escapes.
 */
#include <stdlib.h>
#include <string.h>

#include "report/html_assets.h"
#include "report/model.h"

static json_t *finding_obj(const sl_report *rep, const rm_finding *f, int *ok)
{
    json_t *o = rm_finding_json(f, 1);
    if (!o) {
        *ok = 0;
        return NULL;
    }
    rm_set(o, "before", rm_jstr(f->before), ok);
    rm_set(o, "after", rm_jstr(f->after), ok);
    if (rep->has_compare)
        rm_set(o, "new", json_boolean(rm_is_new(rep, f->fingerprint)), ok);
    if (f->suppressed)
        rm_set(o, "suppressed", rm_jstr(f->suppression_reason ? f->suppression_reason : ""), ok);
    return o;
}

static json_t *page_data(const sl_report *rep)
{
    int ok = 1;
    json_t *root = json_object(), *sum = json_object(), *files = json_array();
    if (!root || !sum || !files) {
        json_decref(root);
        json_decref(sum);
        json_decref(files);
        return NULL;
    }
    rm_set(root, "version", json_string(SL_VERSION), &ok);
    rm_set(sum, "files", json_integer((json_int_t)rep->n.files), &ok);
    rm_set(sum, "documents", json_integer((json_int_t)rep->n.docs), &ok);
    rm_set(sum, "passed", json_integer((json_int_t)rep->n.passed), &ok);
    rm_set(sum, "failed", json_integer((json_int_t)rep->n.failed), &ok);
    rm_set(sum, "errors", json_integer((json_int_t)rep->n.errors), &ok);
    rm_set(sum, "findings", json_integer((json_int_t)rep->n.findings), &ok);
    rm_set(sum, "baseline", json_integer((json_int_t)rep->n.baseline), &ok);
    rm_set(root, "summary", sum, &ok);
    for (size_t i = 0; i < rep->nfiles && ok; i++) {
        const rm_file *file = &rep->files[i];
        json_t *fo = json_object(), *docs = json_array();
        if (!fo || !docs || json_array_append_new(files, fo) != 0) {
            json_decref(docs);
            ok = 0;
            break;
        }
        rm_set(fo, "path", rm_jstr(file->path), &ok);
        rm_set(fo, "verdict", json_string(sl_verdict_name(file->verdict)), &ok);
        rm_set(fo, "error", rm_jstr(file->error), &ok);
        rm_set(fo, "documents", docs, &ok);
        for (size_t j = 0; j < file->ndocs && ok; j++) {
            const rm_doc *d = &file->docs[j];
            json_t *dobj = json_object(), *fs = json_array();
            if (!dobj || !fs || json_array_append_new(docs, dobj) != 0) {
                json_decref(fs);
                ok = 0;
                break;
            }
            rm_set(dobj, "id", rm_jstr(d->id), &ok);
            rm_set(dobj, "title", rm_jstr(d->title), &ok);
            rm_set(dobj, "verdict", json_string(sl_verdict_name(d->verdict)), &ok);
            rm_set(dobj, "error", rm_jstr(d->error), &ok);
            rm_set(dobj, "findings", fs, &ok);
            for (size_t k = 0; k < d->nfindings && ok; k++)
                if (json_array_append_new(fs, finding_obj(rep, &d->findings[k], &ok)) != 0)
                    ok = 0;
        }
    }
    rm_set(root, "files", files, &ok);
    if (rep->has_compare && ok) {
        size_t nnew, nfixed;
        rm_trend_counts(rep, &nnew, &nfixed);
        json_t *tr = json_object(), *fixed = json_array();
        if (!tr || !fixed) {
            json_decref(tr);
            json_decref(fixed);
            ok = 0;
        } else {
            rm_set(tr, "new", json_integer((json_int_t)nnew), &ok);
            rm_set(tr, "fixedCount", json_integer((json_int_t)nfixed), &ok);
            for (size_t i = 0; i < rep->nold && ok; i++) {
                const rm_old *o = &rep->old[i];
                if (!rm_is_fixed(rep, o))
                    continue;
                json_t *x = json_object();
                if (!x || json_array_append_new(fixed, x) != 0) {
                    ok = 0;
                    break;
                }
                rm_set(x, "path", rm_jstr(o->path), &ok);
                rm_set(x, "id", rm_jstr(o->doc_id), &ok);
                rm_set(x, "rule", rm_jstr(o->rule), &ok);
                rm_set(x, "category", rm_jstr(o->category), &ok);
                rm_set(x, "severity", json_string(sl_severity_name(o->severity)), &ok);
                rm_set(x, "message", rm_jstr(o->message), &ok);
                rm_set(x, "line", json_integer(o->line), &ok);
                rm_set(x, "column", json_integer(o->column), &ok);
            }
            rm_set(tr, "fixed", fixed, &ok);
            rm_set(root, "trend", tr, &ok);
        }
    } else {
        rm_set(root, "trend", json_null(), &ok);
    }
    if (!ok) {
        json_decref(root);
        return NULL;
    }
    return root;
}

static int put_all(FILE *out, const char *const *pieces)
{
    for (; *pieces; pieces++)
        if (fputs(*pieces, out) == EOF)
            return 0;
    return 1;
}

static const char page_head[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
    "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
    "<title>syndlint report</title>\n<style>\n";

static const char page_body[] =
    "</style>\n</head>\n<body>\n"
    "<header><h1>syndlint report</h1><p id=\"meta\"></p></header>\n"
    "<main>\n"
    "<section id=\"summary\" class=\"cards\" aria-label=\"Summary\"></section>\n"
    "<section id=\"charts\" class=\"charts\" aria-label=\"Findings by category and "
    "severity\"></section>\n"
    "<section id=\"trend\" hidden></section>\n"
    "<section id=\"files\">\n<h2>Files</h2>\n"
    "<div class=\"filters\">\n"
    "<label>Verdict <select id=\"f-verdict\"><option value=\"\">all</option>"
    "<option>PASS</option><option>FAIL</option><option>ERROR</option></select></label>\n"
    "<label>Category <select id=\"f-category\"><option value=\"\">all</option></select></label>\n"
    "<label>Search <input id=\"f-text\" type=\"search\" placeholder=\"path or rule\"></label>\n"
    "<span id=\"f-count\" aria-live=\"polite\"></span>\n"
    "</div>\n"
    "<table id=\"file-table\">\n<thead><tr>"
    "<th data-sort=\"path\" scope=\"col\">File</th>"
    "<th data-sort=\"verdict\" scope=\"col\">Verdict</th>"
    "<th data-sort=\"docs\" scope=\"col\">Docs</th>"
    "<th data-sort=\"findings\" scope=\"col\">Findings</th>"
    "<th scope=\"col\">Categories</th></tr></thead>\n"
    "<tbody></tbody>\n</table>\n</section>\n</main>\n"
    "<noscript><p>This report is drawn by its inline script; the same results are in the JSON "
    "below and in syndlint's other report formats.</p></noscript>\n"
    "<script type=\"application/json\" id=\"syndlint-data\">";

static const char page_script[] = "</script>\n<script>\n";
static const char page_tail[] = "</script>\n</body>\n</html>\n";

sl_status rm_write_html(const sl_report *rep, FILE *out)
{
    json_t *data = page_data(rep);
    if (!data)
        return SL_ENOMEM;
    char *json = json_dumps(data, JSON_COMPACT | JSON_ESCAPE_SLASH | JSON_PRESERVE_ORDER);
    json_decref(data);
    if (!json)
        return SL_ENOMEM;
    int ok = fputs(page_head, out) != EOF && put_all(out, html_css) && fputs(page_body, out) != EOF;
    for (const char *p = json; ok && *p; p++) {
        const char *lt = strchr(p, '<');
        size_t n = lt ? (size_t)(lt - p) : strlen(p);
        if (n && fwrite(p, 1, n, out) != n)
            ok = 0;
        if (!lt)
            break;
        if (ok && fputs("\\u003c", out) == EOF)
            ok = 0;
        p = lt;
    }
    ok = ok && fputs(page_script, out) != EOF && put_all(out, html_js) &&
         fputs(page_tail, out) != EOF;
    free(json);
    return ok ? SL_OK : SL_EIO;
}
