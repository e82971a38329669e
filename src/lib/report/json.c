/*
 * Reports. The JSON report follows the contract in DESIGN.md field for
 * field; jansson does the encoding (key order is insertion order, so the
 * output is stable). Strings that are not valid UTF-8 — a path with a stray
 * byte, say — are repaired with U+FFFD before they reach jansson, which
 * would otherwise refuse them.
 *
 * Every report file is written to a temporary file beside its destination,
 * flushed, synced and renamed into place, so a reader never sees half a
 * report and a failed write leaves the previous one intact.
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#include "syndlint/syndlint.h"
#include "util/buf.h"
#include "util/diag.h"

struct sl_report {
    json_t *files; /* owned array */
    size_t nfiles, ndocs, passed, failed, errors, findings;
};

sl_status sl_report_new(const char *format, sl_report **out)
{
    *out = NULL;
    if (!format || strcmp(format, "json") != 0)
        return SL_EINVAL;
    sl_report *rep = calloc(1, sizeof *rep);
    if (!rep)
        return SL_ENOMEM;
    rep->files = json_array();
    if (!rep->files) {
        free(rep);
        return SL_ENOMEM;
    }
    *out = rep;
    return SL_OK;
}

void sl_report_free(sl_report *rep)
{
    if (!rep)
        return;
    json_decref(rep->files);
    free(rep);
}

/* A JSON string from possibly invalid UTF-8; NULL gives JSON null. */
static json_t *jstr(const char *s)
{
    if (!s)
        return json_null();
    size_t n = strlen(s);
    sl_buf b = SL_BUF_INIT;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0;
    int repaired = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k < 0) {
            sl_buf_append(&b, "\xEF\xBF\xBD", 3);
            i++;
            repaired = 1;
            continue;
        }
        sl_buf_append(&b, s + i, (size_t)k);
        i += (size_t)k;
    }
    json_t *j = repaired ? json_stringn(b.data ? b.data : "", b.len) : json_stringn(s, n);
    sl_buf_free(&b);
    return j;
}

/* json_object_set_new that records a failure instead of leaking. */
static int set(json_t *obj, const char *key, json_t *val, int *ok)
{
    if (!val || json_object_set_new(obj, key, val) != 0)
        *ok = 0;
    return *ok;
}

static json_t *finding_json(const sl_finding *f, int *ok)
{
    json_t *o = json_object();
    if (!o) {
        *ok = 0;
        return NULL;
    }
    set(o, "rule", jstr(f->rule), ok);
    set(o, "category", jstr(f->category), ok);
    set(o, "severity", json_string(sl_severity_name(f->severity)), ok);
    set(o, "message", jstr(f->message), ok);
    set(o, "scope", jstr(f->scope), ok);
    set(o, "line", json_integer(f->line), ok);
    set(o, "column", json_integer(f->column), ok);
    set(o, "match", jstr(f->match), ok);
    set(o, "fingerprint", jstr(f->fingerprint), ok);
    return o;
}

sl_status sl_report_add(sl_report *rep, const sl_file_result *res)
{
    int ok = 1;
    json_t *file = json_object();
    json_t *docs = json_array();
    if (!file || !docs) {
        json_decref(file);
        json_decref(docs);
        return SL_ENOMEM;
    }
    /* A document error is the file's error too, so the reason is never
     * lost from a report that shows files first. */
    const char *error = res->error;
    for (size_t i = 0; !error && i < res->ndocs; i++)
        error = res->docs[i].error;
    set(file, "path", jstr(res->path), &ok);
    set(file, "verdict", json_string(sl_verdict_name(res->verdict)), &ok);
    set(file, "error", jstr(error), &ok);
    json_object_set(file, "documents", docs);
    rep->nfiles++;
    if (res->ndocs == 0) {
        /* An input that could not be read still counts as one document
         * that did not pass. */
        json_t *d = json_object();
        if (d) {
            set(d, "id", jstr(res->path), &ok);
            set(d, "title", json_null(), &ok);
            set(d, "verdict", json_string("ERROR"), &ok);
            set(d, "findings", json_array(), &ok);
            if (json_array_append_new(docs, d) != 0)
                ok = 0;
        } else {
            ok = 0;
        }
        rep->ndocs++;
        rep->errors++;
    }
    for (size_t i = 0; i < res->ndocs; i++) {
        const sl_doc_result *dr = &res->docs[i];
        json_t *d = json_object();
        json_t *fs = json_array();
        if (!d || !fs) {
            json_decref(d);
            json_decref(fs);
            ok = 0;
            break;
        }
        set(d, "id", jstr(dr->id), &ok);
        set(d, "title", jstr(dr->title), &ok);
        set(d, "verdict", json_string(sl_verdict_name(dr->verdict)), &ok);
        for (size_t k = 0; k < dr->nfindings; k++)
            if (json_array_append_new(fs, finding_json(&dr->findings[k], &ok)) != 0)
                ok = 0;
        set(d, "findings", fs, &ok);
        if (json_array_append_new(docs, d) != 0)
            ok = 0;
        rep->ndocs++;
        rep->findings += dr->nfindings;
        if (dr->verdict == SL_PASS)
            rep->passed++;
        else if (dr->verdict == SL_FAIL)
            rep->failed++;
        else
            rep->errors++;
    }
    json_decref(docs);
    if (!ok || json_array_append_new(rep->files, file) != 0)
        return SL_ENOMEM;
    return SL_OK;
}

static json_t *report_root(const sl_report *rep)
{
    int ok = 1;
    json_t *root = json_object();
    json_t *tool = json_object();
    json_t *sum = json_object();
    if (!root || !tool || !sum) {
        json_decref(root);
        json_decref(tool);
        json_decref(sum);
        return NULL;
    }
    set(tool, "name", json_string("syndlint"), &ok);
    set(tool, "version", json_string(SL_VERSION), &ok);
    set(root, "tool", tool, &ok);
    set(sum, "files", json_integer((json_int_t)rep->nfiles), &ok);
    set(sum, "documents", json_integer((json_int_t)rep->ndocs), &ok);
    set(sum, "passed", json_integer((json_int_t)rep->passed), &ok);
    set(sum, "failed", json_integer((json_int_t)rep->failed), &ok);
    set(sum, "errors", json_integer((json_int_t)rep->errors), &ok);
    set(sum, "findings", json_integer((json_int_t)rep->findings), &ok);
    set(root, "summary", sum, &ok);
    if (ok && json_object_set(root, "files", rep->files) != 0)
        ok = 0;
    if (!ok) {
        json_decref(root);
        return NULL;
    }
    return root;
}

sl_status sl_report_write(sl_report *rep, FILE *out, sl_diag *diag)
{
    json_t *root = report_root(rep);
    if (!root)
        return sl_diag_set(diag, SL_ENOMEM, NULL, 0, 0, NULL, "out of memory building the report");
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (rc != 0 || fputc('\n', out) == EOF || fflush(out) != 0)
        return sl_diag_set(diag, SL_EIO, NULL, 0, 0, NULL, "cannot write the report: %s",
                           strerror(errno));
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
    if (st == SL_OK && fsync(fileno(f)) != 0)
        st = sl_diag_set(diag, SL_EIO, path, 0, 0, NULL, "cannot write the report: %s",
                         strerror(errno));
    if (fclose(f) != 0 && st == SL_OK)
        st = sl_diag_set(diag, SL_EIO, path, 0, 0, NULL, "cannot write the report: %s",
                         strerror(errno));
    if (st == SL_OK) {
        /* mkstemp creates 0600; a report is meant to be read by others. */
        mode_t mask = umask(0);
        umask(mask);
        chmod(tmp.data, 0666 & ~mask);
        if (rename(tmp.data, path) != 0)
            st = sl_diag_set(diag, SL_EIO, path, 0, 0, NULL, "cannot write the report: %s",
                             strerror(errno));
    } else if (diag && strncmp(diag->message, path, strlen(path)) != 0) {
        sl_diag_set(diag, st, path, 0, 0, NULL, "cannot write the report: %s", strerror(errno));
    }
    if (st != SL_OK)
        unlink(tmp.data);
cleanup:
    sl_buf_free(&tmp);
    return st;
}
