/*
 * Judged documents kept in a temporary file until their turn to be printed
 * (cli.h, cli_docspool_put). A feed scanned ahead of the file being printed
 * puts its documents here rather than wait, so two large feeds scan side by
 * side while memory holds at most a queue's worth of each.
 *
 * A record is the document's verdict, strings and findings, each string
 * its length (4 bytes, host order; 0xFFFFFFFF for NULL) and its bytes.
 * The file is read back by the same process, so no byte order is fixed.
 * The temporary file itself comes from cli_temp_file, which the text
 * output's spool (emit.c) uses too, so both honour $TMPDIR.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define NO_STR UINT32_MAX

static int put_u32(FILE *f, uint32_t v)
{
    return fwrite(&v, sizeof v, 1, f) == 1;
}

static int put_str(FILE *f, const char *s)
{
    if (!s)
        return put_u32(f, NO_STR);
    size_t n = strlen(s);
    if (n >= NO_STR)
        return 0;
    return put_u32(f, (uint32_t)n) && fwrite(s, 1, n, f) == n;
}

static int put_doc(FILE *f, const sl_doc_result *d)
{
    if (d->nfindings >= UINT32_MAX)
        return 0;
    int ok = put_u32(f, (uint32_t)d->verdict) && put_str(f, d->id) && put_str(f, d->title) &&
             put_str(f, d->error) && put_u32(f, (uint32_t)d->nfindings);
    for (size_t i = 0; ok && i < d->nfindings; i++) {
        const sl_finding *x = &d->findings[i];
        ok = put_str(f, x->rule) && put_str(f, x->category) && put_str(f, x->message) &&
             put_str(f, x->scope) && put_str(f, x->match) && put_str(f, x->fingerprint) &&
             put_str(f, x->suppression_reason) && put_u32(f, (uint32_t)x->severity) &&
             put_u32(f, x->line) && put_u32(f, x->column) && put_u32(f, (uint32_t)x->baseline) &&
             put_u32(f, (uint32_t)x->suppressed);
    }
    return ok;
}

FILE *cli_temp_file(void)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    char path[4096];
    int k = snprintf(path, sizeof path, "%s/syndlint-docs-XXXXXX", dir);
    if (k < 0 || (size_t)k >= sizeof path)
        return NULL;
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    unlink(path);
    FILE *f = fdopen(fd, "w+");
    if (!f)
        close(fd);
    return f;
}

int cli_docspool_put(FILE **spool, const sl_doc_result *docs, size_t n)
{
    if (!*spool) {
        *spool = cli_temp_file();
        if (!*spool)
            return 0;
    }
    FILE *f = *spool;
    long good = ftell(f);
    int ok = good >= 0;
    for (size_t i = 0; ok && i < n; i++)
        ok = put_doc(f, &docs[i]);
    if (ok && fflush(f) == 0)
        return 1;
    /* A full disk: drop the partial batch, keep the whole records before
     * it; the caller still holds the batch. */
    clearerr(f);
    if (good < 0 || ftruncate(fileno(f), good) != 0 || fseek(f, good, SEEK_SET) != 0) {
        /* The records can no longer be told apart: nothing more goes in,
         * and reading back fails, so the loss is reported. */
        return -1;
    }
    return 0;
}

/* 1: read; 0: the file ended cleanly, before the value's first byte; -1:
 * a read error, or the file ended inside the value. */
static int get_u32(FILE *f, uint32_t *v)
{
    size_t k = fread(v, 1, sizeof *v, f);
    if (k == sizeof *v)
        return 1;
    return k == 0 && feof(f) && !ferror(f) ? 0 : -1;
}

static int get_str(FILE *f, const char **out)
{
    uint32_t n;
    *out = NULL;
    if (get_u32(f, &n) != 1)
        return 0;
    if (n == NO_STR)
        return 1;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return 0;
    if (fread(s, 1, n, f) != n) {
        free(s);
        return 0;
    }
    s[n] = '\0';
    *out = s;
    return 1;
}

int cli_docspool_get(FILE *spool, sl_doc_result *d)
{
    uint32_t v, nf;
    memset(d, 0, sizeof *d);
    int rc = get_u32(spool, &v);
    if (rc <= 0)
        return rc;
    d->verdict = (sl_verdict)v;
    if (!get_str(spool, &d->id) || !get_str(spool, &d->title) || !get_str(spool, &d->error) ||
        get_u32(spool, &nf) != 1)
        goto fail;
    if (nf) {
        d->findings = calloc(nf, sizeof *d->findings);
        if (!d->findings)
            goto fail;
    }
    for (uint32_t i = 0; i < nf; i++) {
        sl_finding *x = &d->findings[i];
        uint32_t sev, line, col, base, supp;
        /* Counted first, so that a failure part way frees what was read. */
        d->nfindings = i + 1;
        if (!get_str(spool, &x->rule) || !get_str(spool, &x->category) ||
            !get_str(spool, &x->message) || !get_str(spool, &x->scope) ||
            !get_str(spool, &x->match) || !get_str(spool, &x->fingerprint) ||
            !get_str(spool, &x->suppression_reason) || get_u32(spool, &sev) != 1 ||
            get_u32(spool, &line) != 1 || get_u32(spool, &col) != 1 || get_u32(spool, &base) != 1 ||
            get_u32(spool, &supp) != 1)
            goto fail;
        x->severity = (sl_severity)sev;
        x->line = line;
        x->column = col;
        x->baseline = (int)base;
        x->suppressed = (int)supp;
    }
    return 1;
fail:
    sl_doc_result_clear(d);
    return -1;
}
