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
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#include "report/model.h"
#include "util/buf.h"
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
    for (size_t i = 0; i < rep->nfiles; i++)
        rm_file_clear(&rep->files[i]);
    free(rep->files);
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

/* ------------------------------------------------------------ context */

/* Reads a whole source file for context, within a bound: a report is no
 * place to hold a huge file. NULL when it cannot. */
static char *read_source(const char *path, size_t *len)
{
    if (!path || strcmp(path, "-") == 0)
        return NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    sl_buf b = SL_BUF_INIT;
    char chunk[65536];
    size_t n;
    int ok = 1;
    while (ok && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > (64u << 20) || sl_buf_append(&b, chunk, n) != SL_OK)
            ok = 0;
    }
    if (ferror(f))
        ok = 0;
    fclose(f);
    if (!ok) {
        sl_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return sl_buf_steal(&b);
}

/* Byte offset of 1-based (line, column) in `src`, columns counted in
 * characters (an invalid byte is one); (size_t)-1 when out of range. */
static size_t offset_of(const char *src, size_t len, unsigned line, unsigned column)
{
    size_t i = 0;
    for (unsigned l = 1; l < line; l++) {
        const char *nl = memchr(src + i, '\n', len - i);
        if (!nl)
            return (size_t)-1;
        i = (size_t)(nl - src) + 1;
    }
    for (unsigned c = 1; c < column && i < len && src[i] != '\n'; c++) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)src + i, (utf8proc_ssize_t)(len - i), &cp);
        i += k > 0 ? (size_t)k : 1;
    }
    return i;
}

/* Backs `i` up to a character boundary. */
static size_t char_start(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}

#define CONTEXT_BYTES 160

static void set_context(rm_finding *f, const char *src, size_t len, int *ok)
{
    size_t at = offset_of(src, len, f->line, f->column);
    if (at == (size_t)-1 || at > len)
        return;
    size_t mlen = strlen(f->match);
    /* The match is the source text when the source holds it verbatim;
     * otherwise (entities, markup in between) it is the normalized text,
     * shown after the start of its line. */
    size_t end = at;
    if (mlen && at + mlen <= len && memcmp(src + at, f->match, mlen) == 0)
        end = at + mlen;
    size_t b0 = at;
    while (b0 > 0 && src[b0 - 1] != '\n' && at - b0 < CONTEXT_BYTES)
        b0--;
    b0 = char_start(src, b0);
    size_t e1 = end;
    while (e1 < len && src[e1] != '\n' && e1 - end < CONTEXT_BYTES)
        e1++;
    e1 = char_start(src, e1);
    char *before = sl_strndup(src + b0, at - b0);
    char *after = sl_strndup(src + end, e1 - end);
    if (!before || !after) {
        *ok = 0;
    } else {
        f->before = rm_utf8dup(before, 0, ok);
        f->after = rm_utf8dup(after, 0, ok);
    }
    free(before);
    free(after);
}

/* ------------------------------------------------------------ adding */

void rm_file_clear(rm_file *f)
{
    for (size_t i = 0; i < f->ndocs; i++) {
        rm_doc *d = &f->docs[i];
        for (size_t k = 0; k < d->nfindings; k++) {
            rm_finding *x = &d->findings[k];
            free(x->rule);
            free(x->category);
            free(x->message);
            free(x->scope);
            free(x->match);
            free(x->fingerprint);
            free(x->before);
            free(x->after);
            free(x->suppression_reason);
        }
        free(d->findings);
        free(d->id);
        free(d->title);
        free(d->error);
    }
    free(f->docs);
    free(f->path);
    free(f->error);
    memset(f, 0, sizeof *f);
}

sl_status rm_file_copy(rm_file *dst, const sl_file_result *res, int context)
{
    int ok = 1;
    char *src = NULL;
    size_t srclen = 0;
    memset(dst, 0, sizeof *dst);
    const char *error = res->error;
    for (size_t i = 0; !error && i < res->ndocs; i++)
        error = res->docs[i].error;
    dst->path = rm_utf8dup(res->path, 0, &ok);
    dst->error = rm_utf8dup(error, 0, &ok);
    dst->verdict = res->verdict;
    size_t ndocs = res->ndocs ? res->ndocs : 1;
    dst->docs = calloc(ndocs, sizeof *dst->docs);
    if (!dst->docs || !ok)
        goto fail;
    dst->ndocs = ndocs;
    if (res->ndocs == 0) {
        /* An input that could not be read still counts as one document
         * that did not pass. */
        dst->docs[0].id = rm_utf8dup(res->path, 0, &ok);
        dst->docs[0].error = rm_utf8dup(error, 0, &ok);
        dst->docs[0].verdict = SL_ERROR;
        dst->verdict = SL_ERROR;
    }
    if (context) {
        int any = 0;
        for (size_t i = 0; i < res->ndocs; i++)
            any |= res->docs[i].nfindings > 0;
        if (any)
            src = read_source(res->path, &srclen);
    }
    for (size_t i = 0; ok && i < res->ndocs; i++) {
        const sl_doc_result *dr = &res->docs[i];
        rm_doc *d = &dst->docs[i];
        d->id = rm_utf8dup(dr->id, 0, &ok);
        d->title = rm_utf8dup(dr->title, 0, &ok);
        d->error = rm_utf8dup(dr->error, 0, &ok);
        d->verdict = dr->verdict;
        if (!dr->nfindings)
            continue;
        d->findings = calloc(dr->nfindings, sizeof *d->findings);
        if (!d->findings) {
            ok = 0;
            break;
        }
        d->nfindings = dr->nfindings;
        for (size_t k = 0; ok && k < dr->nfindings; k++) {
            const sl_finding *sf = &dr->findings[k];
            rm_finding *f = &d->findings[k];
            f->rule = rm_utf8dup(sf->rule, 0, &ok);
            f->category = rm_utf8dup(sf->category, 0, &ok);
            f->message = rm_utf8dup(sf->message, 0, &ok);
            f->scope = rm_utf8dup(sf->scope, 0, &ok);
            f->match = rm_utf8dup(sf->match ? sf->match : "", 0, &ok);
            f->fingerprint = rm_utf8dup(sf->fingerprint, 0, &ok);
            f->severity = sf->severity;
            f->line = sf->line;
            f->column = sf->column;
            f->baseline = sf->baseline;
            f->suppressed = sf->suppressed;
            f->suppression_reason =
                sf->suppressed
                    ? rm_utf8dup(sf->suppression_reason ? sf->suppression_reason : "", 0, &ok)
                    : NULL;
            if (src && ok && f->match)
                set_context(f, src, srclen, &ok);
        }
    }
    free(src);
    if (ok)
        return SL_OK;
fail:
    free(src);
    rm_file_clear(dst);
    return SL_ENOMEM;
}

sl_status sl_report_add(sl_report *rep, const sl_file_result *res)
{
    if (!rep || !res)
        return SL_EINVAL;
    if (rep->nfiles == rep->cap) {
        size_t cap = rep->cap ? 2 * rep->cap : 16;
        rm_file *p = realloc(rep->files, cap * sizeof *p);
        if (!p)
            return SL_ENOMEM;
        rep->files = p;
        rep->cap = cap;
    }
    rm_file *f = &rep->files[rep->nfiles];
    sl_status st = rm_file_copy(f, res, rep->format == RM_HTML);
    if (st != SL_OK)
        return st;
    rep->nfiles++;
    rep->n.files++;
    for (size_t i = 0; i < f->ndocs; i++) {
        const rm_doc *d = &f->docs[i];
        rep->n.docs++;
        rep->n.findings += d->nfindings;
        for (size_t k = 0; k < d->nfindings; k++)
            rep->n.baseline += d->findings[k].baseline != 0;
        for (size_t k = 0; k < d->nfindings; k++)
            rep->n.suppressed += d->findings[k].suppressed != 0;
        if (d->verdict == SL_PASS)
            rep->n.passed++;
        else if (d->verdict == SL_FAIL)
            rep->n.failed++;
        else
            rep->n.errors++;
    }
    return SL_OK;
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

/* Both sides are small enough (thousands of findings) for linear scans to
 * cost nothing next to the scan itself; trends are computed once, at
 * write time. */
int rm_is_new(const sl_report *rep, const char *fingerprint)
{
    if (!rep->has_compare || !fingerprint)
        return 0;
    for (size_t i = 0; i < rep->nold; i++)
        if (rep->old[i].fingerprint && strcmp(rep->old[i].fingerprint, fingerprint) == 0)
            return 0;
    return 1;
}

int rm_is_fixed(const sl_report *rep, const rm_old *o)
{
    if (!o->fingerprint)
        return 0;
    for (size_t i = 0; i < rep->nfiles; i++)
        for (size_t j = 0; j < rep->files[i].ndocs; j++) {
            const rm_doc *d = &rep->files[i].docs[j];
            for (size_t k = 0; k < d->nfindings; k++)
                if (d->findings[k].fingerprint &&
                    strcmp(d->findings[k].fingerprint, o->fingerprint) == 0)
                    return 0;
        }
    return 1;
}

void rm_trend_counts(const sl_report *rep, size_t *nnew, size_t *nfixed)
{
    *nnew = *nfixed = 0;
    if (!rep->has_compare)
        return;
    for (size_t i = 0; i < rep->nfiles; i++)
        for (size_t j = 0; j < rep->files[i].ndocs; j++) {
            const rm_doc *d = &rep->files[i].docs[j];
            for (size_t k = 0; k < d->nfindings; k++)
                *nnew += rm_is_new(rep, d->findings[k].fingerprint);
        }
    for (size_t i = 0; i < rep->nold; i++)
        *nfixed += rm_is_fixed(rep, &rep->old[i]);
}

/* ------------------------------------------------------------ writing */

sl_status sl_report_write(sl_report *rep, FILE *out, sl_diag *diag)
{
    sl_status st = SL_EINVAL;
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

sl_status sl_report_write_file(sl_report *rep, const char *path, sl_diag *diag)
{
    sl_status st = SL_OK;
    sl_buf tmp = SL_BUF_INIT;
    FILE *f = NULL;
    int fd = -1;
    if (sl_buf_printf(&tmp, "%s.tmp-XXXXXX", path) != SL_OK)
        return SL_ENOMEM;
    fd = mkstemp(tmp.data);
    if (fd < 0) {
        st = sl_diag_set(diag, SL_EIO, path, 0, 0, NULL, "cannot write the report: %s",
                         strerror(errno));
        goto cleanup;
    }
    f = fdopen(fd, "w");
    if (!f) {
        st = sl_diag_set(diag, SL_EIO, path, 0, 0, NULL, "cannot write the report: %s",
                         strerror(errno));
        close(fd);
        unlink(tmp.data);
        goto cleanup;
    }
    st = sl_report_write(rep, f, diag);
    int err = errno;
    if (st == SL_OK && fsync(fileno(f)) != 0) {
        err = errno;
        st = SL_EIO;
    }
    if (fclose(f) != 0 && st == SL_OK) {
        err = errno;
        st = SL_EIO;
    }
    if (st == SL_OK) {
        /* mkstemp creates 0600; a report is meant to be read by others. */
        mode_t mask = umask(0);
        umask(mask);
        chmod(tmp.data, 0666 & ~mask);
        if (rename(tmp.data, path) != 0) {
            err = errno;
            st = SL_EIO;
        }
    }
    if (st != SL_OK) {
        unlink(tmp.data);
        if (st == SL_ENOMEM)
            sl_diag_set(diag, st, path, 0, 0, NULL, "out of memory building the report");
        else
            sl_diag_set(diag, st, path, 0, 0, NULL, "cannot write the report: %s",
                        strerror(err ? err : EIO));
    }
cleanup:
    sl_buf_free(&tmp);
    return st;
}
