/*
 * JUnit XML, for the CI systems that gate on it (Jenkins, GitLab, GitHub
 * test reporters). One <testcase> per document, passing ones included; a
 * failing document gets one <failure> listing its failing findings, an
 * input that could not be scanned gets an <error>. Test suites are the
 * folders the files are in, in the order first seen, so a large tree reads
 * as a package list. The shape is the Ant schema (../shared/schemas/
 * junit.xsd): <properties>, <system-out> and <system-err> are required
 * there, as are timestamp, hostname and time.
 *
 * libxml2's xmlTextWriter does all escaping. XML 1.0 cannot carry some
 * control characters at all, so strings pass through rm_utf8dup first.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/model.h"
#include "util/buf.h"
#include "util/xmllib.h"

typedef struct jw {
    xmlTextWriterPtr w;
    int ok;
} jw;

static void attr(jw *j, const char *name, const char *value)
{
    char *v = rm_utf8dup(value ? value : "", 1, &j->ok);
    if (!v || xmlTextWriterWriteAttribute(j->w, BAD_CAST name, BAD_CAST v) < 0)
        j->ok = 0;
    free(v);
}

static void attr_num(jw *j, const char *name, size_t n)
{
    if (xmlTextWriterWriteFormatAttribute(j->w, BAD_CAST name, "%zu", n) < 0)
        j->ok = 0;
}

static void text(jw *j, const char *s)
{
    char *v = rm_utf8dup(s ? s : "", 1, &j->ok);
    if (!v || xmlTextWriterWriteString(j->w, BAD_CAST v) < 0)
        j->ok = 0;
    free(v);
}

static void start(jw *j, const char *name)
{
    if (xmlTextWriterStartElement(j->w, BAD_CAST name) < 0)
        j->ok = 0;
}

static void end(jw *j)
{
    if (xmlTextWriterEndElement(j->w) < 0)
        j->ok = 0;
}

/* The folder a file is grouped under: its directory, "." for none. */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return sl_strdup(".");
    if (slash == path)
        return sl_strdup("/");
    return sl_strndup(path, (size_t)(slash - path));
}

/* The findings a <failure> lists: every one not in the baseline. The report
 * does not know --fail-on, so a warning beside the error that failed the
 * document is listed too; the failure text is the document's whole story. */
static int fails(const rm_finding *f)
{
    return !f->baseline && !f->suppressed;
}

static void finding_lines(sl_buf *b, const char *id, const rm_finding *f)
{
    if (id)
        sl_buf_printf(b, "%s: ", id);
    sl_buf_printf(b, "%s %u:%u %s: %s%s%s%s%s\n", f->rule, f->line, f->column,
                  sl_severity_name(f->severity), f->message ? f->message : "",
                  f->baseline ? " (baseline)" : "", f->suppressed ? " (suppressed: " : "",
                  f->suppressed && f->suppression_reason ? f->suppression_reason : "",
                  f->suppressed ? ")" : "");
    if (f->match && *f->match)
        sl_buf_printf(b, "    match: %s\n", f->match);
}

static void testcase(jw *j, const rm_file *file, const rm_doc *d, sl_buf *out_text)
{
    start(j, "testcase");
    attr(j, "name", d->id);
    attr(j, "classname", file->path);
    attr(j, "time", "0");
    if (d->verdict == SL_ERROR) {
        start(j, "error");
        attr(j, "message", d->error ? d->error : "cannot be scanned");
        attr(j, "type", "ERROR");
        text(j, d->error ? d->error : "cannot be scanned");
        end(j);
    } else if (d->verdict == SL_FAIL) {
        sl_buf b = SL_BUF_INIT, rules = SL_BUF_INIT, head = SL_BUF_INIT;
        size_t n = 0;
        for (size_t k = 0; k < d->nfindings; k++)
            if (fails(&d->findings[k])) {
                finding_lines(&b, NULL, &d->findings[k]);
                sl_buf_printf(&rules, "%s%s", n++ ? ", " : "", d->findings[k].rule);
            }
        sl_buf_printf(&head, "%zu finding%s: %s", n, n == 1 ? "" : "s",
                      rules.data ? rules.data : "");
        start(j, "failure");
        attr(j, "message", head.data);
        attr(j, "type", "syndlint");
        text(j, b.data);
        end(j);
        sl_buf_free(&head);
        sl_buf_free(&b);
        sl_buf_free(&rules);
    }
    /* Findings that do not fail the document (below --fail-on, or in the
     * baseline) still belong in the record; the schema gives a testcase no
     * output of its own, so they go to the suite's system-out. */
    for (size_t k = 0; k < d->nfindings; k++)
        if (d->verdict != SL_FAIL || !fails(&d->findings[k]))
            finding_lines(out_text, d->id, &d->findings[k]);
    end(j);
}

sl_status rm_write_junit(const sl_report *rep, FILE *out)
{
    jw j = {NULL, 1};
    char **folders = calloc(rep->nfiles ? rep->nfiles : 1, sizeof *folders);
    char **uniq = calloc(rep->nfiles ? rep->nfiles : 1, sizeof *uniq);
    size_t nuniq = 0;
    sl_status st = SL_OK;
    xmlOutputBufferPtr ob = NULL;
    /* Without libxml2 no report can be written: the write fails. */
    if (sl_xml_load()) {
        st = SL_EIO;
        goto cleanup;
    }
    if (!folders || !uniq) {
        st = SL_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < rep->nfiles; i++) {
        folders[i] = folder_of(rep->files[i].path);
        if (!folders[i]) {
            st = SL_ENOMEM;
            goto cleanup;
        }
        size_t u = 0;
        while (u < nuniq && strcmp(uniq[u], folders[i]) != 0)
            u++;
        if (u == nuniq)
            uniq[nuniq++] = folders[i];
    }
    ob = xmlOutputBufferCreateFile(out, NULL);
    if (ob)
        j.w = xmlNewTextWriter(ob);
    if (!j.w) {
        if (ob)
            xmlOutputBufferClose(ob);
        st = SL_ENOMEM;
        goto cleanup;
    }
    xmlTextWriterSetIndent(j.w, 1);
    xmlTextWriterSetIndentString(j.w, BAD_CAST "  ");

    char stamp[32] = "1970-01-01T00:00:00";
    struct tm tm;
    if (gmtime_r(&rep->created, &tm))
        strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    char host[256] = "localhost";
    if (gethostname(host, sizeof host - 1) != 0 || !host[0])
        strcpy(host, "localhost");
    host[sizeof host - 1] = '\0';

    if (xmlTextWriterStartDocument(j.w, NULL, "UTF-8", NULL) < 0)
        j.ok = 0;
    start(&j, "testsuites");
    for (size_t u = 0; u < nuniq && j.ok; u++) {
        size_t tests = 0, failures = 0, errors = 0;
        for (size_t i = 0; i < rep->nfiles; i++) {
            if (strcmp(folders[i], uniq[u]) != 0)
                continue;
            tests += rep->files[i].ndocs;
            failures += rep->files[i].nfailed;
            errors += rep->files[i].nerrors;
        }
        start(&j, "testsuite");
        attr(&j, "name", uniq[u]);
        attr(&j, "package", uniq[u]);
        attr_num(&j, "id", u);
        attr(&j, "timestamp", stamp);
        attr(&j, "hostname", host);
        attr_num(&j, "tests", tests);
        attr_num(&j, "failures", failures);
        attr_num(&j, "errors", errors);
        attr_num(&j, "skipped", 0);
        attr(&j, "time", "0");
        start(&j, "properties");
        start(&j, "property");
        attr(&j, "name", "syndlint.version");
        attr(&j, "value", SL_VERSION);
        end(&j);
        end(&j);
        sl_buf sysout = SL_BUF_INIT;
        for (size_t i = 0; i < rep->nfiles; i++) {
            if (strcmp(folders[i], uniq[u]) != 0)
                continue;
            rm_doc_iter it;
            rm_docs_begin(&it, rep, &rep->files[i]);
            for (const rm_doc *d; j.ok && (d = rm_docs_next(&it));)
                testcase(&j, &rep->files[i], d, &sysout);
            if (it.failed)
                j.ok = 0;
            rm_docs_end(&it);
        }
        start(&j, "system-out");
        text(&j, sysout.data);
        end(&j);
        sl_buf_free(&sysout);
        /* Expired ignore entries concern the run, not a folder: the first
         * suite carries them, one warning a line as syndlint prints them. */
        sl_buf syserr = SL_BUF_INIT;
        for (size_t i = 0; u == 0 && i < rep->nexpired; i++)
            if (sl_buf_printf(&syserr, "syndlint: warning: %s\n", rep->expired[i].message) != SL_OK)
                j.ok = 0;
        start(&j, "system-err");
        if (syserr.data)
            text(&j, syserr.data);
        end(&j);
        sl_buf_free(&syserr);
        end(&j);
    }
    end(&j);
    if (xmlTextWriterEndDocument(j.w) < 0)
        j.ok = 0;
    /* Frees the writer and flushes (but does not close) `out`. */
    xmlFreeTextWriter(j.w);
    if (!j.ok)
        st = SL_EIO;
cleanup:
    if (folders)
        for (size_t i = 0; i < rep->nfiles; i++)
            free(folders[i]);
    free(folders);
    free(uniq);
    return st;
}
