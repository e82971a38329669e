/*
 * `syndlint diff OLD.json NEW.json`: which findings are new, fixed and
 * unchanged between two JSON reports, matched by fingerprint (so a finding
 * whose text moved down a few lines is unchanged, not fixed and new). A
 * finding of OLD whose document NEW could not check (its file is ERROR
 * and did not judge it) is "not checked", never fixed; one whose file NEW
 * no longer lists was removed, and is fixed. The exit code is for scripts: 0 when nothing is
 * new and nothing went unchecked, 1 otherwise, 2 for a usage error or a
 * file that is not a syndlint JSON report.
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

/* Where an entry of `a` stands against report `b`. */
enum { IN_B, NOT_IN_B, NOT_JUDGED_BY_B };

static int place(const sl_baseline_entry *e, const sl_baseline *b)
{
    if (sl_baseline_has(b, e->fingerprint))
        return IN_B;
    return sl_baseline_unchecked(b, e->path, e->doc_id) ? NOT_JUDGED_BY_B : NOT_IN_B;
}

/* Lists the entries of `a` whose place against `b` is `want` (a missing
 * one counts as NOT_IN_B when `judge` is 0); returns how many. */
static size_t section(const char *title, const sl_baseline *a, const sl_baseline *b, int want,
                      int judge, int list)
{
    size_t n = 0;
    for (size_t i = 0; i < sl_baseline_count(a); i++) {
        int at = place(sl_baseline_entry_at(a, i), b);
        n += (judge ? at : at == IN_B ? IN_B : NOT_IN_B) == want;
    }
    if (!list || n == 0)
        return n;
    printf("%s (%zu):\n", title, n);
    for (size_t i = 0; i < sl_baseline_count(a); i++) {
        const sl_baseline_entry *e = sl_baseline_entry_at(a, i);
        int at = place(e, b);
        if ((judge ? at : at == IN_B ? IN_B : NOT_IN_B) == want)
            entry_line(e);
    }
    return n;
}

static void diff_usage(FILE *f)
{
    fputs("usage: syndlint diff [--brief] OLD.json NEW.json\n"
          "  prints the findings new in NEW, fixed since OLD, not checked (NEW could not scan\n"
          "  their document) and unchanged (--brief: the counts only); exit 0 when\n"
          "  nothing is new or unchecked, 1 when something is, 2 on error\n",
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
    size_t nnew = section("new", cur, old, NOT_IN_B, 0, !brief);
    size_t nfixed = section("fixed", old, cur, NOT_IN_B, 1, !brief);
    size_t nunchecked = section("not checked", old, cur, NOT_JUDGED_BY_B, 1, !brief);
    size_t nsame = section("unchanged", cur, old, IN_B, 0, !brief);
    printf("%zu new, %zu fixed, %zu not checked, %zu unchanged\n", nnew, nfixed, nunchecked, nsame);
    code = nnew || nunchecked ? EXIT_FINDINGS : EXIT_PASS;
    if (fflush(stdout) != 0)
        code = EXIT_USAGE;
out:
    sl_baseline_free(old);
    sl_baseline_free(cur);
    return code;
}
