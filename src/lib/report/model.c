/*
 * The report object: one in-memory model of a scan's results, rendered by
 * the writer of the report's format (json.c, junit.c, sarif.c, ...).
 *
 * Every report file is written to a temporary file beside its destination,
 * flushed, synced and renamed into place, so a reader never sees half a
 * report and a failed write (a full disk, a vanished directory) leaves the
 * previous one intact.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "report/model.h"
#include "util/buf.h"
#include "util/strv.h"
#include "util/diag.h"

static const struct {
    const char *name;
    rm_format format;
} formats[] = {
    {"json", RM_JSON}, {"jsonl", RM_JSONL}, {"junit", RM_JUNIT},       {"sarif", RM_SARIF},
    {"html", RM_HTML}, {"csv", RM_CSV},     {"markdown", RM_MARKDOWN}, {"md", RM_MARKDOWN},
};

static int format_lookup(const char *name, rm_format *out)
{
    for (size_t i = 0; name && i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(name, formats[i].name) == 0) {
            *out = formats[i].format;
            return 1;
        }
    return 0;
}

int sl_report_format_known(const char *format)
{
    rm_format f;
    return format_lookup(format, &f);
}

sl_status sl_report_new(const char *format, sl_report **out)
{
    *out = NULL;
    rm_format f;
    if (!format_lookup(format, &f))
        return SL_EINVAL;
    sl_report *rep = calloc(1, sizeof *rep);
    if (!rep)
        return SL_ENOMEM;
    rep->format = f;
    rm_spool_init(&rep->spool);
    /* Reproducible builds and tests can pin the JUnit timestamp. */
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    rep->created = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
    *out = rep;
    return SL_OK;
}

static void rules_clear(sl_report *rep)
{
    for (size_t i = 0; i < rep->nrules; i++) {
        rm_rule *r = &rep->rules[i];
        free(r->id);
        free(r->category);
        free(r->check);
        free(r->message);
        free(r->description);
    }
    free(rep->rules);
    rep->rules = NULL;
    rep->nrules = 0;
}

static void old_clear(sl_report *rep)
{
    for (size_t i = 0; i < rep->nold; i++) {
        rm_old *o = &rep->old[i];
        free(o->path);
        free(o->doc_id);
        free(o->rule);
        free(o->category);
        free(o->message);
        free(o->match);
        free(o->fingerprint);
    }
    free(rep->old);
    rep->old = NULL;
    rep->nold = 0;
    rep->has_compare = 0;
}

static void trend_clear(sl_report *rep)
{
    sl_strv_clear(&rep->fps);
    sl_strv_clear(&rep->old_fps);
    sl_strv_clear(&rep->judged);
    sl_strv_clear(&rep->errored);
    rep->nnew = rep->nfixed = 0;
}

static void expired_clear(sl_report *rep)
{
    for (size_t i = 0; i < rep->nexpired; i++) {
        free(rep->expired[i].file);
        free(rep->expired[i].message);
    }
    free(rep->expired);
    rep->expired = NULL;
    rep->nexpired = 0;
}

void sl_report_free(sl_report *rep)
{
    if (!rep)
        return;
    rm_file_abandon(rep);
    for (size_t i = 0; i < rep->nfiles; i++)
        rm_file_clear(&rep->files[i]);
    free(rep->files);
    rm_spool_clear(&rep->spool);
    rm_enc_free(&rep->enc);
    trend_clear(rep);
    rules_clear(rep);
    old_clear(rep);
    expired_clear(rep);
    free(rep);
}

/* ------------------------------------------------------------ strings */

char *rm_utf8dup(const char *s, int xml_safe, int *ok)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    sl_buf b = SL_BUF_INIT;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0;
    sl_status st = SL_OK;
    while (st == SL_OK && i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
        int bad = k < 0;
        /* XML 1.0 has no way to carry these, not even as references. */
        if (!bad && xml_safe &&
            ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF))
            bad = 1;
        if (bad) {
            st = sl_buf_append(&b, "\xEF\xBF\xBD", 3);
            i += k < 0 ? 1 : (size_t)k;
            continue;
        }
        st = sl_buf_append(&b, s + i, (size_t)k);
        i += (size_t)k;
    }
    char *r = st == SL_OK ? sl_buf_steal(&b) : NULL;
    sl_buf_free(&b);
    if (!r)
        *ok = 0;
    return r;
}

/* The next character of s[*i, n) as rm_utf8dup writes it: invalid
 * bytes, one at a time, are U+FFFD. */
static utf8proc_int32_t repaired_next(const char *s, size_t n, size_t *i)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t k =
        utf8proc_iterate((const utf8proc_uint8_t *)s + *i, (utf8proc_ssize_t)(n - *i), &cp);
    *i += k < 0 ? 1 : (size_t)k;
    return k < 0 ? 0xFFFD : cp;
}

int rm_utf8_same(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return 1;
    size_t na = strlen(a), nb = strlen(b), i = 0, j = 0;
    while (i < na && j < nb)
        if (repaired_next(a, na, &i) != repaired_next(b, nb, &j))
            return 0;
    return i == na && j == nb;
}

size_t rm_utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

json_t *rm_jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

void rm_set(json_t *obj, const char *key, json_t *val, int *ok)
{
    if (!val || json_object_set_new(obj, key, val) != 0)
        *ok = 0;
}

json_t *rm_finding_json(const rm_finding *f, int with_baseline)
{
    int ok = 1;
    json_t *o = json_object();
    if (!o)
        return NULL;
    rm_set(o, "rule", rm_jstr(f->rule), &ok);
    rm_set(o, "category", rm_jstr(f->category), &ok);
    rm_set(o, "severity", json_string(sl_severity_name(f->severity)), &ok);
    rm_set(o, "message", rm_jstr(f->message), &ok);
    rm_set(o, "scope", rm_jstr(f->scope), &ok);
    rm_set(o, "line", json_integer(f->line), &ok);
    rm_set(o, "column", json_integer(f->column), &ok);
    rm_set(o, "match", rm_jstr(f->match), &ok);
    rm_set(o, "fingerprint", rm_jstr(f->fingerprint), &ok);
    if (with_baseline)
        rm_set(o, "baseline", json_boolean(f->baseline), &ok);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *rm_summary_json(const sl_report *rep, int with_baseline)
{
    int ok = 1;
    json_t *sum = json_object();
    if (!sum)
        return NULL;
    rm_set(sum, "files", json_integer((json_int_t)rep->n.files), &ok);
    rm_set(sum, "documents", json_integer((json_int_t)rep->n.docs), &ok);
    rm_set(sum, "passed", json_integer((json_int_t)rep->n.passed), &ok);
    rm_set(sum, "failed", json_integer((json_int_t)rep->n.failed), &ok);
    rm_set(sum, "errors", json_integer((json_int_t)rep->n.errors), &ok);
    rm_set(sum, "findings", json_integer((json_int_t)rep->n.findings), &ok);
    if (with_baseline)
        rm_set(sum, "baseline", json_integer((json_int_t)rep->n.baseline), &ok);
    if (!ok) {
        json_decref(sum);
        return NULL;
    }
    return sum;
}

/* ------------------------------------------------------------ adding */

sl_status sl_report_add(sl_report *rep, const sl_file_result *res)
{
    if (!rep || !res)
        return SL_EINVAL;
    return rm_file_add(rep, res, rep->format == RM_HTML);
}

sl_status sl_report_set_ruleset(sl_report *rep, const sl_ruleset *rs)
{
    if (!rep || !rs)
        return SL_EINVAL;
    rules_clear(rep);
    size_t n = sl_ruleset_rule_count(rs);
    rep->rules = calloc(n ? n : 1, sizeof *rep->rules);
    if (!rep->rules)
        return SL_ENOMEM;
    int ok = 1;
    for (size_t i = 0; i < n && ok; i++) {
        const sl_rule_info *ri = sl_ruleset_rule(rs, i);
        if (!ri || !ri->enabled)
            continue;
        rm_rule *r = &rep->rules[rep->nrules++];
        r->id = rm_utf8dup(ri->id, 0, &ok);
        r->category = rm_utf8dup(ri->category, 0, &ok);
        r->check = rm_utf8dup(ri->check, 0, &ok);
        r->message = rm_utf8dup(ri->message, 0, &ok);
        r->description = rm_utf8dup(ri->description, 0, &ok);
        r->severity = ri->severity;
    }
    if (!ok) {
        rules_clear(rep);
        return SL_ENOMEM;
    }
    return SL_OK;
}

sl_status sl_report_set_compare(sl_report *rep, const sl_baseline *old)
{
    if (!rep || !old)
        return SL_EINVAL;
    old_clear(rep);
    size_t n = sl_baseline_count(old);
    rep->old = calloc(n ? n : 1, sizeof *rep->old);
    if (!rep->old)
        return SL_ENOMEM;
    int ok = 1;
    for (size_t i = 0; i < n && ok; i++) {
        const sl_baseline_entry *e = sl_baseline_entry_at(old, i);
        rm_old *o = &rep->old[rep->nold++];
        o->path = rm_utf8dup(e->path, 0, &ok);
        o->doc_id = rm_utf8dup(e->doc_id, 0, &ok);
        o->rule = rm_utf8dup(e->rule, 0, &ok);
        o->category = rm_utf8dup(e->category, 0, &ok);
        o->message = rm_utf8dup(e->message, 0, &ok);
        o->match = rm_utf8dup(e->match, 0, &ok);
        o->fingerprint = rm_utf8dup(e->fingerprint, 0, &ok);
        o->severity = e->severity;
        o->line = e->line;
        o->column = e->column;
    }
    if (!ok) {
        old_clear(rep);
        return SL_ENOMEM;
    }
    rep->has_compare = 1;
    return SL_OK;
}

sl_status sl_report_set_ignore(sl_report *rep, const sl_ignore *ig)
{
    if (!rep || !ig)
        return SL_EINVAL;
    expired_clear(rep);
    size_t n = sl_ignore_count(ig);
    rep->expired = calloc(n ? n : 1, sizeof *rep->expired);
    if (!rep->expired)
        return SL_ENOMEM;
    const char *path = sl_ignore_path(ig) ? sl_ignore_path(ig) : "syndlint-ignore.yaml";
    int ok = 1;
    for (size_t i = 0; i < n && ok; i++) {
        const sl_ignore_entry *e = sl_ignore_entry_at(ig, i);
        if (!e->expired)
            continue;
        sl_buf msg = SL_BUF_INIT;
        sl_status st =
            e->fingerprint
                ? sl_buf_printf(&msg,
                                "%s:%u: expired ignore entry (expired %s; fingerprint %s): it no "
                                "longer suppresses",
                                path, e->line, e->expires, e->fingerprint)
                : sl_buf_printf(&msg,
                                "%s:%u: expired ignore entry (expired %s; path %s, rule %s): it "
                                "no longer suppresses",
                                path, e->line, e->expires, e->path, e->rule);
        char *raw = st == SL_OK ? sl_buf_steal(&msg) : NULL;
        sl_buf_free(&msg);
        rm_expired *x = &rep->expired[rep->nexpired++];
        x->line = e->line;
        x->file = rm_utf8dup(path, 0, &ok);
        x->message = raw ? rm_utf8dup(raw, 0, &ok) : NULL;
        ok = ok && raw;
        free(raw);
    }
    if (!ok) {
        expired_clear(rep);
        return SL_ENOMEM;
    }
    return SL_OK;
}

/* ------------------------------------------------------------ trends */

int rm_is_new(const sl_report *rep, const char *fingerprint)
{
    if (!rep->has_compare || !fingerprint)
        return 0;
    return !sl_strv_has(&rep->old_fps, fingerprint);
}

int rm_is_fixed(const sl_report *rep, const rm_old *o)
{
    if (!o->fingerprint)
        return 0;
    /* Not where this run could not check the document (its file is ERROR
     * and did not judge it): the finding is not known to be gone. */
    const char *id = o->doc_id ? o->doc_id : o->path;
    int unchecked = sl_strv_has(&rep->errored, o->path) && !sl_strv_has(&rep->judged, id);
    return !sl_strv_has(&rep->fps, o->fingerprint) && !unchecked;
}

void rm_trend_counts(const sl_report *rep, size_t *nnew, size_t *nfixed)
{
    *nnew = rep->has_compare ? rep->nnew : 0;
    *nfixed = rep->has_compare ? rep->nfixed : 0;
}

/* Both sides' fingerprints, sorted: the findings of a large run can be
 * many, and every writer asks about each of them. */
static sl_status trend_prepare(sl_report *rep)
{
    trend_clear(rep);
    if (!rep->has_compare)
        return SL_OK;
    for (size_t i = 0; i < rep->nold; i++)
        if (rep->old[i].fingerprint && !sl_strv_push(&rep->old_fps, rep->old[i].fingerprint))
            return SL_ENOMEM;
    sl_strv_sort(&rep->old_fps);
    for (size_t i = 0; i < rep->nfiles; i++) {
        rm_doc_iter it;
        rm_docs_begin(&it, rep, &rep->files[i]);
        int ok =
            rep->files[i].verdict != SL_ERROR || sl_strv_push(&rep->errored, rep->files[i].path);
        for (const rm_doc *d; ok && (d = rm_docs_next(&it));) {
            if (d->verdict != SL_ERROR && d->id)
                ok = sl_strv_push(&rep->judged, d->id);
            for (size_t k = 0; ok && k < d->nfindings; k++) {
                const char *fp = d->findings[k].fingerprint;
                if (!fp)
                    continue;
                rep->nnew += rm_is_new(rep, fp);
                ok = sl_strv_push(&rep->fps, fp);
            }
        }
        int failed = it.failed;
        rm_docs_end(&it);
        if (!ok)
            return SL_ENOMEM;
        if (failed)
            return SL_EIO;
    }
    sl_strv_sort(&rep->fps);
    sl_strv_sort(&rep->judged);
    sl_strv_sort(&rep->errored);
    for (size_t i = 0; i < rep->nold; i++)
        rep->nfixed += rm_is_fixed(rep, &rep->old[i]);
    return SL_OK;
}

/* ------------------------------------------------------------ pieces */

typedef struct indent_out {
    FILE *out;
    int indent;
} indent_out;

static int put_indented(const char *buf, size_t size, void *data)
{
    const indent_out *io = data;
    static const char spaces[] = "                                ";
    while (size) {
        const char *nl = memchr(buf, '\n', size);
        size_t n = nl ? (size_t)(nl - buf) + 1 : size;
        if (fwrite(buf, 1, n, io->out) != n)
            return -1;
        if (nl && io->indent > 0 &&
            fwrite(spaces, 1, (size_t)io->indent, io->out) != (size_t)io->indent)
            return -1;
        buf += n;
        size -= n;
    }
    return 0;
}

int rm_dump_indented(const json_t *v, FILE *out, int indent)
{
    /* JSON strings never hold a raw newline, so every newline jansson
     * writes is one of its own line breaks. */
    indent_out io = {out, indent < 32 ? indent : 32};
    return json_dump_callback(v, put_indented, &io,
                              JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY) == 0;
}

int rm_dump_element(const json_t *v, FILE *out, size_t n)
{
    return fputs(n ? ",\n        " : "\n        ", out) != EOF && rm_dump_indented(v, out, 8);
}

/* ------------------------------------------------------------ writing */

sl_status sl_report_write(sl_report *rep, FILE *out, sl_diag *diag)
{
    sl_status st = rm_spool_flush(&rep->spool);
    if (st == SL_OK)
        st = trend_prepare(rep);
    if (st == SL_ENOMEM)
        return sl_diag_set(diag, SL_ENOMEM, NULL, 0, 0, NULL, "out of memory building the report");
    if (st != SL_OK)
        return sl_diag_set(diag, SL_EIO, NULL, 0, 0, NULL,
                           "cannot keep the report's documents in a temporary file: %s",
                           strerror(rep->spool.err ? rep->spool.err : EIO));
    st = SL_EINVAL;
    errno = 0;
    switch (rep->format) {
    case RM_JSON:
        st = rm_write_json(rep, out);
        break;
    case RM_JSONL:
        st = rm_write_jsonl(rep, out);
        break;
    case RM_JUNIT:
        st = rm_write_junit(rep, out);
        break;
    case RM_SARIF:
        st = rm_write_sarif(rep, out);
        break;
    case RM_HTML:
        st = rm_write_html(rep, out);
        break;
    case RM_CSV:
        st = rm_write_csv(rep, out);
        break;
    case RM_MARKDOWN:
        st = rm_write_markdown(rep, out);
        break;
    }
    if (st == SL_ENOMEM)
        return sl_diag_set(diag, SL_ENOMEM, NULL, 0, 0, NULL, "out of memory building the report");
    int saved = errno;
    if (st != SL_OK || ferror(out) || fflush(out) != 0) {
        if (errno == 0)
            errno = saved ? saved : EIO;
        return sl_diag_set(diag, SL_EIO, NULL, 0, 0, NULL, "cannot write the report: %s",
                           strerror(errno));
    }
    return SL_OK;
}

static sl_status write_report(FILE *out, void *user, sl_diag *diag)
{
    return sl_report_write(user, out, diag);
}

sl_status sl_report_write_file(sl_report *rep, const char *path, sl_diag *diag)
{
    sl_status st = sl_write_file_atomic(path, "the report", write_report, rep, diag);
    if (st == SL_ENOMEM)
        sl_diag_set(diag, st, path, 0, 0, NULL, "out of memory building the report");
    return st;
}
