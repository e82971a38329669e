/* Human-readable output: a line per file, findings indented under it. */
#include <string.h>

#include "cli.h"

#define C_RESET "\033[0m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_MAGENTA "\033[35m"
#define C_DIM "\033[2m"

static const char *verdict_color(sl_verdict v)
{
    return v == SL_PASS ? C_GREEN : v == SL_FAIL ? C_RED : C_MAGENTA;
}

static const char *sev_color(sl_severity s)
{
    return s == SL_SEV_ERROR ? C_RED : s == SL_SEV_WARNING ? C_YELLOW : C_DIM;
}

/* Length of the well-formed UTF-8 sequence at `p` (no overlong forms, no
 * surrogates, nothing past U+10FFFF), or 0 when it is not one. */
static size_t utf8_len(const unsigned char *p)
{
    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xC2 && p[0] <= 0xDF)
        return (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        unsigned char lo = p[0] == 0xE0 ? 0xA0 : 0x80, hi = p[0] == 0xED ? 0x9F : 0xBF;
        return p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        unsigned char lo = p[0] == 0xF0 ? 0x90 : 0x80, hi = p[0] == 0xF4 ? 0x8F : 0xBF;
        return p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80 ? 4 : 0;
    }
    return 0;
}

/* Paths and messages may hold control characters (a file name with a
 * newline) or bytes that are not UTF-8; they are shown escaped so one
 * result stays one line and the terminal sees only valid text. */
static void put_safe(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = utf8_len(p);
        if (n == 0 || *p < 0x20 || *p == 0x7f) {
            fprintf(f, "\\x%02x", *p);
            p++;
        } else {
            fwrite(p, 1, n, f);
            p += n;
        }
    }
}

static void findings_out(const cli_text_out *t, const sl_doc_result *d, const char *indent)
{
    for (size_t k = 0; k < d->nfindings; k++) {
        const sl_finding *f = &d->findings[k];
        char pos[32];
        snprintf(pos, sizeof pos, "%u:%u", f->line, f->column);
        fprintf(t->out, "%s%-8s %s%-7s%s  %-36s ", indent, pos,
                t->color ? sev_color(f->severity) : "", sl_severity_name(f->severity),
                t->color ? C_RESET : "", f->rule);
        put_safe(t->out, f->message);
        if (f->baseline)
            fputs(t->color ? " " C_DIM "(baseline)" C_RESET : " (baseline)", t->out);
        if (f->suppressed) {
            fputs(t->color ? " " C_DIM "(suppressed: " : " (suppressed: ", t->out);
            put_safe(t->out, f->suppression_reason ? f->suppression_reason : "");
            fputs(t->color ? ")" C_RESET : ")", t->out);
        }
        fputc('\n', t->out);
    }
}

void cli_text_head(const cli_text_out *t, const char *path, sl_verdict verdict, const char *error)
{
    const char *vc = t->color ? verdict_color(verdict) : "";
    const char *rs = t->color ? C_RESET : "";
    fprintf(t->out, "%s%-5s%s %s", vc, sl_verdict_name(verdict), rs, "");
    put_safe(t->out, path);
    if (error) {
        fputs(": ", t->out);
        put_safe(t->out, error);
    }
    fputc('\n', t->out);
}

void cli_text_doc(const cli_text_out *t, const sl_doc_result *d, int single)
{
    if (!single) {
        if (t->quiet && d->verdict == SL_PASS)
            return;
        fprintf(t->out, "  %s%-5s%s ", t->color ? verdict_color(d->verdict) : "",
                sl_verdict_name(d->verdict), t->color ? C_RESET : "");
        put_safe(t->out, d->id);
        if (d->error) {
            fputs(": ", t->out);
            put_safe(t->out, d->error);
        }
        fputc('\n', t->out);
    } else if (d->error) {
        fputs("      ", t->out);
        put_safe(t->out, d->error);
        fputc('\n', t->out);
    }
    findings_out(t, d, single ? "      " : "        ");
}

void cli_text_file(const cli_text_out *t, const sl_file_result *res)
{
    if (t->quiet && res->verdict == SL_PASS)
        return;
    cli_text_head(t, res->path, res->verdict, res->error);
    int single = res->ndocs == 1 && strcmp(res->docs[0].id, res->path) == 0;
    for (size_t i = 0; i < res->ndocs; i++)
        cli_text_doc(t, &res->docs[i], single);
}

void cli_text_summary(const cli_text_out *t, size_t files, size_t docs, size_t passed,
                      size_t failed, size_t errors, size_t findings)
{
    fprintf(t->out,
            "\n%zu file%s, %zu document%s: %zu passed, %zu failed, %zu error%s; %zu finding%s\n",
            files, files == 1 ? "" : "s", docs, docs == 1 ? "" : "s", passed, failed, errors,
            errors == 1 ? "" : "s", findings, findings == 1 ? "" : "s");
}
