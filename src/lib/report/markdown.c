/*
 * Markdown: a summary for a CI job summary ($GITHUB_STEP_SUMMARY) or a
 * pull-request comment. Verdict counts first, then the trend when a report
 * to compare against was given, then the files that did not pass with
 * their findings. Those places cap what they show (GitHub's job summary at
 * 1 MiB, comments at 64 K characters), so long lists are cut off with a
 * count of what was left out, and the full report is where the rest is.
 *
 * Text comes from paths, messages and matched article text, so none of it
 * may be read as markup. Paths and matches go in code spans whose fence is
 * longer than any run of backticks inside; other text has every ASCII
 * punctuation character backslash-escaped, which CommonMark defines for
 * exactly that purpose.
 */
#include <ctype.h>
#include <string.h>

#include "report/model.h"

enum { MAX_FILES = 50, MAX_FINDINGS_PER_DOC = 20, MAX_FINDINGS = 400, MAX_TREND = 25 };

/* Text with line breaks folded to spaces: a list item stays one line. */
static void put_text(FILE *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '\n' || *p == '\r' || *p == '\t')
            fputc(' ', out);
        else if (*p < 0x20)
            continue;
        else if (ispunct(*p)) {
            fputc('\\', out);
            fputc(*p, out);
        } else
            fputc(*p, out);
    }
}

static void put_code(FILE *out, const char *s)
{
    s = s ? s : "";
    size_t longest = 0, run = 0;
    for (const char *p = s; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    size_t fence = longest + 1;
    for (size_t i = 0; i < fence; i++)
        fputc('`', out);
    /* A space keeps a leading or trailing backtick from joining the fence
     * (CommonMark strips one space on each side when both are there). */
    size_t len = strlen(s);
    int pad = len && (s[0] == '`' || s[len - 1] == '`' || s[0] == ' ' || s[len - 1] == ' ');
    if (pad)
        fputc(' ', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        fputc(*p < 0x20 ? ' ' : *p, out);
    if (pad)
        fputc(' ', out);
    for (size_t i = 0; i < fence; i++)
        fputc('`', out);
}

static void finding_item(FILE *out, const char *indent, const rm_finding *f, const char *doc_id)
{
    fprintf(out, "%s- ", indent);
    if (doc_id) {
        put_code(out, doc_id);
        fputc(' ', out);
    }
    fprintf(out, "%u:%u **%s** ", f->line, f->column, sl_severity_name(f->severity));
    put_code(out, f->rule);
    fputs(" ", out);
    put_text(out, f->message);
    if (f->match && *f->match && strlen(f->match) <= 200) {
        fputs(" — ", out);
        put_code(out, f->match);
    }
    if (f->baseline)
        fputs(" *(baseline)*", out);
    if (f->suppressed) {
        fputs(" *(suppressed: ", out);
        put_text(out, f->suppression_reason ? f->suppression_reason : "");
        fputs(")*", out);
    }
    fputc('\n', out);
}

/* 0 when the report's documents cannot be read back. */
static int trend(const sl_report *rep, FILE *out)
{
    size_t nnew, nfixed;
    rm_trend_counts(rep, &nnew, &nfixed);
    fprintf(out, "### Trend\n\n**%zu new**, **%zu fixed** since the compared report.\n\n", nnew,
            nfixed);
    size_t shown = 0;
    if (nnew) {
        fputs("New:\n\n", out);
        for (size_t i = 0; i < rep->nfiles; i++) {
            if (!rep->files[i].nfindings)
                continue;
            rm_doc_iter it;
            rm_docs_begin(&it, rep, &rep->files[i]);
            for (const rm_doc *d; (d = rm_docs_next(&it));)
                for (size_t k = 0; k < d->nfindings; k++)
                    if (rm_is_new(rep, d->findings[k].fingerprint) && shown++ < MAX_TREND)
                        finding_item(out, "", &d->findings[k], d->id);
            int failed = it.failed;
            rm_docs_end(&it);
            if (failed)
                return 0;
        }
        if (shown > MAX_TREND)
            fprintf(out, "- … and %zu more\n", shown - MAX_TREND);
        fputc('\n', out);
    }
    if (nfixed) {
        fputs("Fixed:\n\n", out);
        shown = 0;
        for (size_t i = 0; i < rep->nold; i++) {
            const rm_old *o = &rep->old[i];
            if (!rm_is_fixed(rep, o) || shown++ >= MAX_TREND)
                continue;
            fputs("- ", out);
            put_code(out, o->doc_id ? o->doc_id : o->path);
            fprintf(out, " %u:%u ", o->line, o->column);
            put_code(out, o->rule);
            fputc(' ', out);
            put_text(out, o->message);
            fputc('\n', out);
        }
        if (shown > MAX_TREND)
            fprintf(out, "- … and %zu more\n", shown - MAX_TREND);
        fputc('\n', out);
    }
    return 1;
}

sl_status rm_write_markdown(const sl_report *rep, FILE *out)
{
    const rm_counts *n = &rep->n;
    const char *overall = n->errors ? "ERROR" : n->failed ? "FAIL" : "PASS";
    const char *icon = n->errors ? "⚠️" : n->failed ? "❌" : "✅";
    fprintf(out, "## %s syndlint: %s\n\n", icon, overall);
    fputs("| files | documents | passed | failed | errors | findings |\n", out);
    fputs("|---:|---:|---:|---:|---:|---:|\n", out);
    fprintf(out, "| %zu | %zu | %zu | %zu | %zu | %zu |\n\n", n->files, n->docs, n->passed,
            n->failed, n->errors, n->findings);
    if (n->baseline)
        fprintf(out, "%zu finding%s already in the baseline (not failing).\n\n", n->baseline,
                n->baseline == 1 ? " is" : "s are");
    if (n->suppressed)
        fprintf(out, "%zu finding%s suppressed (not failing).\n\n", n->suppressed,
                n->suppressed == 1 ? " is" : "s are");
    if (rep->nexpired) {
        fputs("**Expired ignore entries**: past their expiry date, they no longer suppress "
              "anything; renew them with a new date, or remove them.\n\n",
              out);
        for (size_t i = 0; i < rep->nexpired; i++) {
            fputs("- ", out);
            put_text(out, rep->expired[i].message);
            fputc('\n', out);
        }
        fputc('\n', out);
    }
    if (rep->has_compare && !trend(rep, out))
        return SL_EIO;

    size_t nbad = 0;
    for (size_t i = 0; i < rep->nfiles; i++)
        nbad += rep->files[i].verdict != SL_PASS;
    if (nbad == 0) {
        fputs("Every document passed.\n", out);
        return SL_OK;
    }
    fputs("### Files that did not pass\n\n", out);
    size_t files_shown = 0, findings_shown = 0, findings_left = 0;
    for (size_t i = 0; i < rep->nfiles; i++) {
        const rm_file *file = &rep->files[i];
        if (file->verdict == SL_PASS)
            continue;
        if (files_shown >= MAX_FILES || findings_shown >= MAX_FINDINGS) {
            findings_left += file->nfindings;
            continue;
        }
        files_shown++;
        fprintf(out, "- **%s** ", sl_verdict_name(file->verdict));
        put_code(out, file->path);
        if (file->error) {
            fputs(": ", out);
            put_text(out, file->error);
        }
        fputc('\n', out);
        int single = file->single;
        rm_doc_iter it;
        rm_docs_begin(&it, rep, file);
        for (const rm_doc *d; (d = rm_docs_next(&it));) {
            const char *indent = "  ";
            if (!single) {
                if (d->verdict == SL_PASS)
                    continue;
                fprintf(out, "  - **%s** ", sl_verdict_name(d->verdict));
                put_code(out, d->id);
                fputc('\n', out);
                indent = "    ";
            }
            size_t k = 0;
            for (; k < d->nfindings && k < MAX_FINDINGS_PER_DOC && findings_shown < MAX_FINDINGS;
                 k++, findings_shown++)
                finding_item(out, indent, &d->findings[k], NULL);
            if (k < d->nfindings) {
                fprintf(out, "%s- … and %zu more finding%s\n", indent, d->nfindings - k,
                        d->nfindings - k == 1 ? "" : "s");
                findings_left += d->nfindings - k;
            }
        }
        int failed = it.failed;
        rm_docs_end(&it);
        if (failed)
            return SL_EIO;
    }
    if (files_shown < nbad)
        fprintf(out,
                "\n*… and %zu more file%s that did not pass (%zu findings), not shown here: see "
                "the full report.*\n",
                nbad - files_shown, nbad - files_shown == 1 ? "" : "s", findings_left);
    return SL_OK;
}
