/*
 * `syndlint diff OLD.json NEW.json`: which findings are new, fixed and
 * unchanged between two JSON reports, matched by fingerprint (so a finding
 * whose text moved down a few lines is unchanged, not fixed and new). The
 * exit code is for scripts: 0 when nothing is new, 1 when something is,
 * 2 for a usage error or a file that is not a syndlint JSON report.
 */
#include <string.h>

#include "cli.h"

static void put_safe(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            printf("\\x%02x", *p);
        else
            putchar(*p);
    }
}

static void entry_line(const sl_baseline_entry *e)
{
    fputs("  ", stdout);
    put_safe(e->doc_id ? e->doc_id : e->path);
    printf(":%u:%u  %-7s  %s  ", e->line, e->column, sl_severity_name(e->severity), e->rule);
    put_safe(e->message);
    putchar('\n');
}

/* Lists the entries of `a` that are (want_in = 1) or are not (0) in `b`;
 * returns how many. */
static size_t section(const char *title, const sl_baseline *a, const sl_baseline *b, int want_in,
                      int list)
{
    size_t n = 0;
    for (size_t i = 0; i < sl_baseline_count(a); i++) {
        const sl_baseline_entry *e = sl_baseline_entry_at(a, i);
        if (sl_baseline_has(b, e->fingerprint) == want_in)
            n++;
    }
    if (!list || n == 0)
        return n;
    printf("%s (%zu):\n", title, n);
    for (size_t i = 0; i < sl_baseline_count(a); i++) {
        const sl_baseline_entry *e = sl_baseline_entry_at(a, i);
        if (sl_baseline_has(b, e->fingerprint) == want_in)
            entry_line(e);
    }
    return n;
}

static void diff_usage(FILE *f)
{
    fputs("usage: syndlint diff [--brief] OLD.json NEW.json\n"
          "  prints the findings new in NEW, fixed since OLD, and unchanged (--brief: counts of\n"
          "  unchanged only); exit 0 when nothing is new, 1 when something is, 2 on error\n",
          f);
}

int cli_diff(int argc, char **argv)
{
    const char *paths[2] = {NULL, NULL};
    size_t npaths = 0;
    int brief = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--brief") == 0) {
            brief = 1;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            diff_usage(stdout);
            return EXIT_PASS;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "syndlint: diff: unknown option '%s'\n", a);
            diff_usage(stderr);
            return EXIT_USAGE;
        } else if (npaths < 2) {
            paths[npaths++] = a;
        } else {
            fprintf(stderr, "syndlint: diff: takes two reports, OLD.json and NEW.json\n");
            return EXIT_USAGE;
        }
    }
    if (npaths != 2) {
        diff_usage(stderr);
        return EXIT_USAGE;
    }
    int code = EXIT_USAGE;
    sl_baseline *old = NULL, *cur = NULL;
    sl_diag d = {{0}};
    if (sl_baseline_load(paths[0], &old, &d) != SL_OK ||
        sl_baseline_load(paths[1], &cur, &d) != SL_OK) {
        fprintf(stderr, "syndlint: diff: %s\n", d.message);
        goto out;
    }
    size_t nnew = section("new", cur, old, 0, 1);
    size_t nfixed = section("fixed", old, cur, 0, 1);
    size_t nsame = section("unchanged", cur, old, 1, !brief);
    printf("%zu new, %zu fixed, %zu unchanged\n", nnew, nfixed, nsame);
    code = nnew ? EXIT_FINDINGS : EXIT_PASS;
    if (fflush(stdout) != 0)
        code = EXIT_USAGE;
out:
    sl_baseline_free(old);
    sl_baseline_free(cur);
    return code;
}
