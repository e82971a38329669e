/*
 * CSV (RFC 4180): one row per finding, plus one row for each document that
 * has none (a clean pass, or an ERROR with its reason), so every document
 * scanned appears. libcsv quotes every field, which is what RFC 4180 allows
 * for any field and what keeps commas, quotes and newlines in paths and
 * matches intact for any reader. Rows end in CRLF, as the RFC has them.
 * Suppressed findings keep their rows, marked in the last two columns.
 */
#include <csv.h>
#include <stdio.h>
#include <string.h>

#include "report/model.h"

/* New columns go at the end, so readers that count columns keep working.
 * "suppressed" is how a finding was accepted, as SARIF's suppression kind
 * says it: "inline" (a syndlint-disable comment; SARIF inSource),
 * "ignore-file" (an entry of syndlint-ignore.yaml; SARIF external) or "no";
 * "suppression_reason" is the reason the comment or entry gives. */
static const char *const header[] = {"path",
                                     "document",
                                     "title",
                                     "verdict",
                                     "rule",
                                     "category",
                                     "severity",
                                     "line",
                                     "column",
                                     "scope",
                                     "message",
                                     "match",
                                     "baseline",
                                     "fingerprint",
                                     "error",
                                     "suppressed",
                                     "suppression_reason"};
enum { NCOLS = sizeof header / sizeof header[0] };

static int row(FILE *out, const char *const *cells)
{
    for (size_t i = 0; i < NCOLS; i++) {
        const char *c = cells[i] ? cells[i] : "";
        if ((i && fputc(',', out) == EOF) || csv_fwrite(out, c, strlen(c)) != 0)
            return 0;
    }
    return fputs("\r\n", out) != EOF;
}

sl_status rm_write_csv(const sl_report *rep, FILE *out)
{
    if (!row(out, header))
        return SL_EIO;
    for (size_t i = 0; i < rep->nfiles; i++) {
        const rm_file *file = &rep->files[i];
        rm_doc_iter it;
        rm_docs_begin(&it, rep, file);
        int ok = 1;
        for (const rm_doc *d; ok && (d = rm_docs_next(&it));) {
            const char *cells[NCOLS] = {file->path, d->id, d->title, sl_verdict_name(d->verdict)};
            cells[14] = d->error;
            if (d->nfindings == 0 && !row(out, cells))
                ok = 0;
            for (size_t k = 0; ok && k < d->nfindings; k++) {
                const rm_finding *f = &d->findings[k];
                char line[16], col[16];
                snprintf(line, sizeof line, "%u", f->line);
                snprintf(col, sizeof col, "%u", f->column);
                cells[4] = f->rule;
                cells[5] = f->category;
                cells[6] = sl_severity_name(f->severity);
                cells[7] = line;
                cells[8] = col;
                cells[9] = f->scope;
                cells[10] = f->message;
                cells[11] = f->match;
                cells[12] = f->baseline ? "yes" : "no";
                cells[13] = f->fingerprint;
                cells[15] = f->suppressed == SL_SUPPRESSED_IGNORE   ? "ignore-file"
                            : f->suppressed == SL_SUPPRESSED_INLINE ? "inline"
                                                                    : "no";
                cells[16] = f->suppressed ? f->suppression_reason : NULL;
                if (!row(out, cells))
                    ok = 0;
            }
        }
        ok = ok && !it.failed;
        rm_docs_end(&it);
        if (!ok)
            return SL_EIO;
    }
    return SL_OK;
}
