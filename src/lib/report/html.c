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
 * can change how the HTML parser reads the script's text either. DEL, the
 * C1 controls and the noncharacters (U+FFFE, U+FDD0...) are escaped too:
 * HTML calls them parse errors in a page's text, browsers keep them, but a
 * strict parser (libxml2's) drops them and would read other data. Outside
 * strings JSON has none of these, so all are plain JSON string escapes.
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

static json_t *trend_data(const sl_report *rep)
{
    if (!rep->has_compare)
        return json_null();
    int ok = 1;
    size_t nnew, nfixed;
    rm_trend_counts(rep, &nnew, &nfixed);
    json_t *tr = json_object(), *fixed = json_array();
    if (!tr || !fixed) {
        json_decref(tr);
        json_decref(fixed);
        return NULL;
    }
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
    if (!ok) {
        json_decref(tr);
        return NULL;
    }
    return tr;
}

/* The code point of the UTF-8 sequence at `p` (valid: jansson wrote it)
 * and its length. */
static unsigned long utf8_at(const unsigned char *p, size_t *len)
{
    if (p[0] < 0x80) {
        *len = 1;
        return p[0];
    }
    if ((p[0] & 0xE0) == 0xC0) {
        *len = 2;
        return ((unsigned long)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
    }
    if ((p[0] & 0xF0) == 0xE0) {
        *len = 3;
        return ((unsigned long)(p[0] & 0x0F) << 12) | ((unsigned long)(p[1] & 0x3F) << 6) |
               (p[2] & 0x3F);
    }
    *len = 4;
    return ((unsigned long)(p[0] & 0x07) << 18) | ((unsigned long)(p[1] & 0x3F) << 12) |
           ((unsigned long)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
}

/* Writes JSON text for the data block, escaping what the note at the top
 * says. */
static int put_json(FILE *out, const char *json)
{
    const unsigned char *p = (const unsigned char *)json, *run = p;
    while (*p) {
        size_t len;
        unsigned long cp = utf8_at(p, &len);
        int esc = cp == '<' || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0xFDD0 && cp <= 0xFDEF) ||
                  (cp & 0xFFFE) == 0xFFFE;
        if (!esc) {
            p += len;
            continue;
        }
        size_t n = (size_t)(p - run);
        if (n && fwrite(run, 1, n, out) != n)
            return 0;
        int rc = cp > 0xFFFF ? fprintf(out, "\\u%04lx\\u%04lx", 0xD800 + ((cp - 0x10000) >> 10),
                                       0xDC00 + ((cp - 0x10000) & 0x3FF))
                             : fprintf(out, "\\u%04lx", cp);
        if (rc < 0)
            return 0;
        p += len;
        run = p;
    }
    size_t n = (size_t)(p - run);
    return !n || fwrite(run, 1, n, out) == n;
}

/* A value of the data block: compact, "/" escaped, through put_json. Takes
 * `v` (NULL: out of memory). */
static int put_value(FILE *out, json_t *v)
{
    if (!v)
        return 0;
    char *json =
        json_dumps(v, JSON_COMPACT | JSON_ESCAPE_SLASH | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    json_decref(v);
    int ok = json && put_json(out, json);
    free(json);
    return ok;
}

/* One document of the data block, written finding by finding: a
 * document with a hundred thousand findings would otherwise be one tree
 * and one string of them all. */
static int put_doc(const sl_report *rep, const rm_doc *d, FILE *out)
{
    if (fputs("{\"id\":", out) == EOF || !put_value(out, rm_jstr(d->id)) ||
        fputs(",\"title\":", out) == EOF || !put_value(out, rm_jstr(d->title)) ||
        fputs(",\"verdict\":", out) == EOF ||
        !put_value(out, json_string(sl_verdict_name(d->verdict))) ||
        fputs(",\"error\":", out) == EOF || !put_value(out, rm_jstr(d->error)) ||
        fputs(",\"findings\":[", out) == EOF)
        return 0;
    for (size_t k = 0; k < d->nfindings; k++) {
        int ok = 1;
        json_t *o = finding_obj(rep, &d->findings[k], &ok);
        if (!ok) {
            json_decref(o);
            return 0;
        }
        if ((k && fputc(',', out) == EOF) || !put_value(out, o))
            return 0;
    }
    return fputs("]}", out) != EOF;
}

/* The data block, written a document at a time: the same JSON a single
 * tree would give, without holding every document of a large feed. */
static sl_status put_data(const sl_report *rep, FILE *out)
{
    if (fputs("{\"version\":", out) == EOF || !put_value(out, json_string(SL_VERSION)) ||
        fputs(",\"summary\":", out) == EOF || !put_value(out, rm_summary_json(rep, 1)) ||
        fputs(",\"files\":[", out) == EOF)
        return SL_EIO;
    for (size_t i = 0; i < rep->nfiles; i++) {
        const rm_file *file = &rep->files[i];
        if ((i && fputc(',', out) == EOF) || fputs("{\"path\":", out) == EOF ||
            !put_value(out, rm_jstr(file->path)) || fputs(",\"verdict\":", out) == EOF ||
            !put_value(out, json_string(sl_verdict_name(file->verdict))) ||
            fputs(",\"error\":", out) == EOF || !put_value(out, rm_jstr(file->error)) ||
            fputs(",\"documents\":[", out) == EOF)
            return SL_EIO;
        rm_doc_iter it;
        rm_docs_begin(&it, rep, file);
        int ok = 1;
        size_t n = 0;
        for (const rm_doc *d; ok && (d = rm_docs_next(&it)); n++)
            ok = (!n || fputc(',', out) != EOF) && put_doc(rep, d, out);
        ok = ok && !it.failed;
        rm_docs_end(&it);
        if (!ok || fputs("]}", out) == EOF)
            return SL_EIO;
    }
    if (fputs("],\"trend\":", out) == EOF || !put_value(out, trend_data(rep)) ||
        fputc('}', out) == EOF)
        return SL_EIO;
    return SL_OK;
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

static const char page_body[] = "</style>\n</head>\n<body>\n"
                                "<header><h1>syndlint report</h1><p id=\"meta\"></p></header>\n"
                                "<main>\n";

static const char page_main[] =
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

/* Text as HTML character data or attribute value. The model's strings are
 * valid UTF-8; only markup characters need escaping. */
static int put_html(FILE *out, const char *s)
{
    for (; *s; s++) {
        const char *rep = *s == '&'    ? "&amp;"
                          : *s == '<'  ? "&lt;"
                          : *s == '>'  ? "&gt;"
                          : *s == '"'  ? "&quot;"
                          : *s == '\'' ? "&#39;"
                                       : NULL;
        if (rep ? fputs(rep, out) == EOF : fputc(*s, out) == EOF)
            return 0;
    }
    return 1;
}

/* Expired entries of the ignore file, as static markup above the summary:
 * a run-level notice, not a finding about any file, and readable without
 * the script. */
static int put_notices(const sl_report *rep, FILE *out)
{
    if (!rep->nexpired)
        return 1;
    int ok = fputs("<section id=\"notices\" aria-label=\"Notices\" style=\"border:1px solid "
                   "var(--warn);border-radius:8px;padding:10px 12px;margin-top:16px\">\n"
                   "<h2 style=\"margin-top:0\">Expired ignore entries</h2>\n"
                   "<p>These entries of the ignore file are past their expiry date and no longer "
                   "suppress anything: renew them with a new date, or remove them.</p>\n<ul>\n",
                   out) != EOF;
    for (size_t i = 0; ok && i < rep->nexpired; i++)
        ok = fputs("<li>", out) != EOF && put_html(out, rep->expired[i].message) &&
             fputs("</li>\n", out) != EOF;
    return ok && fputs("</ul>\n</section>\n", out) != EOF;
}
static const char page_tail[] = "</script>\n</body>\n</html>\n";

sl_status rm_write_html(const sl_report *rep, FILE *out)
{
    int ok = fputs(page_head, out) != EOF && put_all(out, html_css) &&
             fputs(page_body, out) != EOF && put_notices(rep, out) && fputs(page_main, out) != EOF;
    if (!ok || put_data(rep, out) != SL_OK)
        return SL_EIO;
    ok = fputs(page_script, out) != EOF && put_all(out, html_js) && fputs(page_tail, out) != EOF;
    return ok ? SL_OK : SL_EIO;
}
