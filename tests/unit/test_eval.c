/* Check suite: the engine — matching, scopes, conditions, exceptions,
 * verdicts, limits, fingerprints and rule examples. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "syndlint/syndlint.h"
#include "util/hash.h"

static sl_ruleset *load_pack(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/eval/%s", SL_TEST_FIXTURES, name);
    const char *paths[] = {path};
    sl_ruleset_options o = {0};
    o.rule_paths = paths;
    o.nrule_paths = 1;
    o.data_dir = SL_TEST_FIXTURES "/eval";
    sl_ruleset *rs = NULL;
    sl_diag d = {{0}};
    sl_status st = sl_ruleset_load(&o, &rs, &d);
    ck_assert_msg(st == SL_OK, "load %s: %s", name, d.message);
    return rs;
}

static sl_file_result *scan_as(sl_ruleset *rs, const char *path, const char *text,
                               sl_severity fail_on)
{
    sl_scan_options opt = {.fail_on = fail_on};
    sl_scanner *sc = NULL;
    ck_assert_int_eq(sl_scanner_new(rs, &opt, &sc), SL_OK);
    sl_file_result *res = NULL;
    ck_assert_int_eq(sl_scan_buffer(sc, path, text, strlen(text), &res), SL_OK);
    sl_scanner_free(sc);
    ck_assert_ptr_nonnull(res);
    return res;
}

static sl_file_result *scan(sl_ruleset *rs, const char *text)
{
    return scan_as(rs, "story.txt", text, SL_SEV_ERROR);
}

static size_t count_rule(const sl_file_result *r, const char *id)
{
    size_t n = 0;
    for (size_t i = 0; i < r->ndocs; i++)
        for (size_t k = 0; k < r->docs[i].nfindings; k++)
            n += strcmp(r->docs[i].findings[k].rule, id) == 0;
    return n;
}

static const sl_finding *nth_rule(const sl_file_result *r, const char *id, size_t nth)
{
    for (size_t i = 0; i < r->ndocs; i++)
        for (size_t k = 0; k < r->docs[i].nfindings; k++)
            if (strcmp(r->docs[i].findings[k].rule, id) == 0 && nth-- == 0)
                return &r->docs[i].findings[k];
    ck_abort_msg("no finding %zu of %s", nth, id);
    return NULL;
}

START_TEST(literal_matches_across_normalization)
{
    sl_ruleset *rs = load_pack("engine.yaml");
    sl_file_result *r = scan(rs, "Headline\n\nStocks rose.\nYou\u2019ve  reached\n"
                                 "your limit of 3 free articles.\n");
    ck_assert_uint_eq(count_rule(r, "t.forbid-literal"), 1);
    const sl_finding *f = nth_rule(r, "t.forbid-literal", 0);
    ck_assert_uint_eq(f->line, 4);
    ck_assert_uint_eq(f->column, 1);
    ck_assert_str_eq(f->match, "You\u2019ve  reached\nyour limit");
    ck_assert_str_eq(f->message, "meter: You\u2019ve  reached your limit");
    ck_assert_str_eq(f->scope, "body");
    ck_assert_str_eq(f->category, "paywall");
    ck_assert_int_eq(f->severity, SL_SEV_ERROR);
    ck_assert_int_eq(r->verdict, SL_FAIL);
    ck_assert_str_eq(r->docs[0].title, "Headline");
    sl_file_result_free(r);

    /* A zero-width space inside the phrase does not hide it. */
    r = scan(rs, "You\u2019ve reached your li\u200Bmit today.");
    ck_assert_uint_eq(count_rule(r, "t.forbid-literal"), 1);
    sl_file_result_free(r);
    sl_ruleset_free(rs);
}
END_TEST

START_TEST(overlapping_matches_are_one_finding)
{
    sl_ruleset *rs = load_pack("engine.yaml");
    /* Two patterns of one rule overlap on one phrase: one finding, at the
     * earliest start, quoting the union of the matches. */
    const char *text = "Story.\nYou have 2 free articles left.";
    sl_file_result *r = scan(rs, text);
    ck_assert_uint_eq(count_rule(r, "t.overlap"), 1);
    ck_assert_uint_eq(nth_rule(r, "t.overlap", 0)->column, 10);
    ck_assert_str_eq(nth_rule(r, "t.overlap", 0)->match, "2 free articles left");
    sl_file_result_free(r);
    /* A text file's first line is its title and the start of its body: a
     * match there is reported once. */
    r = scan(rs, "3 free articles left\n\nBody text.");
    ck_assert_uint_eq(count_rule(r, "t.overlap"), 1);
    sl_file_result_free(r);
    sl_ruleset_free(rs);
}
END_TEST

START_TEST(regex_case_and_message)
{
    sl_ruleset *rs = load_pack("engine.yaml");
    const char *text = "x {{Name}} y {{NAME}} z {{ spaced }}";
    sl_file_result *r = scan(rs, text);
    ck_assert_uint_eq(count_rule(r, "t.forbid-regex"), 2);
    ck_assert_uint_eq(nth_rule(r, "t.forbid-regex", 0)->column, 3);
    ck_assert_uint_eq(nth_rule(r, "t.forbid-regex", 1)->column, 14);
    ck_assert_str_eq(nth_rule(r, "t.forbid-regex", 0)->message,
                     "placeholder {{Name}} in t.forbid-regex");
    /* Only a warning: the default threshold is error. */
    ck_assert_uint_eq(count_rule(r, "t.forbid-literal"), 0);
    ck_assert_int_eq(r->docs[0].verdict, SL_PASS);
    sl_file_result_free(r);
    sl_ruleset_free(rs);
}
END_TEST

START_TEST(whole_word)
{
    sl_ruleset *rs = load_pack("engine.yaml");
    const char *text = "APAC and SAP grew; AP said, but ap and APJ did not.";
    sl_file_result *r = scan(rs, text);
    ck_assert_uint_eq(count_rule(r, "t.word"), 1);
    ck_assert_uint_eq(nth_rule(r, "t.word", 0)->column,
                      (unsigned)(strstr(text, "AP said") - text) + 1);
    sl_file_result_free(r);
    sl_ruleset_free(rs);
}
END_TEST

START_TEST(exceptions_remove_contained_matches)
{
    sl_ruleset *rs = load_pack("engine.yaml");
    const char *text = "Please subscribe to our newsletter. Or subscribe now.";
    sl_file_result *r = scan(rs, text);
    ck_assert_uint_eq(count_rule(r, "t.except"), 1);
    ck_assert_uint_eq(nth_rule(r, "t.except", 0)->column,
                      (unsigned)(strstr(text, "subscribe now") - text) + 1);
    sl_file_result_free(r);
    sl_ruleset_free(rs);
}
END_TEST

START_TEST(detect_when_and_rule_items)
{
    sl_ruleset *rs = load_pack("engine.yaml");
    /* A notice in the tail and no credit in the lead: one finding for the
     * document, reported at the notice that made the rule apply, quoted. */
    sl_file_result *r = scan(rs, "Mumbai: prices rose on Monday. Traders were cautious.\n"
                                 "This story is auto-generated from a syndicated feed.");
    ck_assert_uint_eq(count_rule(r, "t.credit-required"), 1);
    const sl_finding *f = nth_rule(r, "t.credit-required", 0);
    ck_assert_uint_eq(f->line, 2);
    ck_assert_uint_eq(f->column, 37);
    ck_assert_str_eq(f->match, "syndicated feed");
    /* Its fingerprint is still that of a finding without a match (rule,
     * document, "", first occurrence), so earlier baselines hold it. */
    uint64_t h = SL_FNV1A_BASIS;
    h = sl_fnv1a(h, "t.credit-required", strlen("t.credit-required") + 1);
    h = sl_fnv1a(h, "story.txt", strlen("story.txt") + 1);
    h = sl_fnv1a(h, "", 1);
    unsigned occ = 0;
    h = sl_fnv1a(h, &occ, sizeof occ);
    char want[17];
    snprintf(want, sizeof want, "%016llx", (unsigned long long)h);
    ck_assert_str_eq(f->fingerprint, want);
    ck_assert_int_eq(r->verdict, SL_FAIL);
    /* Detect rules never give findings. */
    ck_assert_uint_eq(count_rule(r, "t.notice"), 0);
    sl_file_result_free(r);

    /* With a credit in the lead the requirement is met. */
    r = scan(rs, "Mumbai (PTI): prices rose on Monday.\n"
                 "This story is auto-generated from a syndicated feed.");
    ck_assert_uint_eq(count_rule(r, "t.credit-required"), 0);
    sl_file_result_free(r);

    /* A credit outside the lead (12 words) does not count. */
    r = scan(rs, "One two three four five six seven eight nine ten eleven twelve thirteen "
                 "(PTI) and more. This story is auto-generated from a syndicated feed.");
    ck_assert_uint_eq(count_rule(r, "t.credit-required"), 1);
    sl_file_result_free(r);

    /* A notice outside the tail (20 words) is not seen: nothing required. */
    r = scan(rs, "Auto-generated from a syndicated feed. One two three four five six seven "
                 "eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
                 "eighteen nineteen twenty twenty-one.");
    ck_assert_uint_eq(count_rule(r, "t.credit-required"), 0);
    sl_file_result_free(r);
    sl_ruleset_free(rs);
}
END_TEST

START_TEST(unless_any_and_params)
{
    sl_ruleset *rs = load_pack("engine.yaml");
    sl_file_result *r = scan(rs, "A story.\nFiled for the Daily   Planet");
    ck_assert_uint_eq(count_rule(r, "t.brand-required"), 0);
    sl_file_result_free(r);
    r = scan(rs, "A story with no brand.");
    ck_assert_uint_eq(count_rule(r, "t.brand-required"), 1);
    ck_assert_int_eq(nth_rule(r, "t.brand-required", 0)->severity, SL_SEV_WARNING);
    ck_assert_str_eq(nth_rule(r, "t.brand-required", 0)->scope, "tail:20");
    sl_file_result_free(r);
    r = scan(rs, "A staff report with no brand.");
    ck_assert_uint_eq(count_rule(r, "t.brand-required"), 0);
    sl_file_result_free(r);
    r = scan(rs, "Delhi (Reuters) - A story with no brand.");
    ck_assert_uint_eq(count_rule(r, "t.brand-required"), 0);
    sl_file_result_free(r);
    sl_ruleset_free(rs);
}
END_TEST

START_TEST(meta_scope_and_html_positions)
{
    sl_ruleset *rs = load_pack("engine.yaml");
    const char *html = "<html><head><title>T</title>\n"
                       "<meta name=\"author\" content=\"undefined\">\n"
                       "</head><body>\n"
                       "<p>Count: &#123;&#123;abc&#125;&#125;</p>\n"
                       "</body></html>\n";
    sl_file_result *r = scan_as(rs, "page.html", html, SL_SEV_ERROR);
    ck_assert_uint_eq(count_rule(r, "t.meta-author"), 1);
    ck_assert_str_eq(nth_rule(r, "t.meta-author", 0)->scope, "meta.author");
    ck_assert_uint_eq(nth_rule(r, "t.meta-author", 0)->line, 2);
    ck_assert_uint_eq(count_rule(r, "t.forbid-regex"), 1);
    const sl_finding *f = nth_rule(r, "t.forbid-regex", 0);
    ck_assert_uint_eq(f->line, 4);
    ck_assert_uint_eq(f->column, 11);
    /* The quote is what a reader saw, not the entity soup. */
    ck_assert_str_eq(f->match, "{{abc}}");
    ck_assert_str_eq(r->docs[0].title, "T");
    sl_file_result_free(r);
    sl_ruleset_free(rs);
}
END_TEST

/* A plain-text file's raw and page are its body, held once: patterns
 * scoped to raw and to page find the body's matches, at their places. */
START_TEST(text_raw_and_page_are_the_body)
{
    sl_ruleset *rs = load_pack("engine.yaml");
    sl_file_result *r = scan(rs, "Headline\n\nHello <<name>>, and <<city>>.\n");
    const char *ids[] = {"t.markup-raw", "t.markup-page"};
    const char *scopes[] = {"raw", "page"};
    for (size_t k = 0; k < 2; k++) {
        ck_assert_uint_eq(count_rule(r, ids[k]), 2);
        for (size_t i = 0; i < 2; i++) {
            const sl_finding *f = nth_rule(r, ids[k], i);
            ck_assert_str_eq(f->scope, scopes[k]);
            ck_assert_uint_eq(f->line, 3);
            ck_assert_uint_eq(f->column, i ? 21 : 7);
            ck_assert_str_eq(f->match, i ? "<<city>>" : "<<name>>");
        }
    }
    sl_file_result_free(r);
    sl_ruleset_free(rs);
}
END_TEST

START_TEST(disabled_rules_and_examples)
{
    sl_ruleset *rs = load_pack("engine.yaml");
    sl_file_result *r = scan(rs, "Daily news from the Daily Planet");
    ck_assert_uint_eq(count_rule(r, "t.off"), 0);
    sl_file_result_free(r);
    size_t ntested = 0, nfailed = 0;
    sl_diag d = {{0}};
    ck_assert_int_eq(sl_ruleset_test(rs, NULL, NULL, &ntested, &nfailed, &d), SL_OK);
    ck_assert_uint_eq(ntested, 2);
    ck_assert_uint_eq(nfailed, 0);
    sl_ruleset_free(rs);
}
END_TEST

START_TEST(verdicts_and_thresholds)
{
    sl_ruleset *rs = load_pack("engine.yaml");
    const char *warn_only = "A story {{X}} from the Daily Planet";
    sl_file_result *r = scan_as(rs, "a.txt", warn_only, SL_SEV_ERROR);
    ck_assert_int_eq(r->verdict, SL_PASS);
    ck_assert_uint_eq(r->docs[0].nfindings, 1);
    sl_file_result_free(r);
    r = scan_as(rs, "a.txt", warn_only, SL_SEV_WARNING);
    ck_assert_int_eq(r->verdict, SL_FAIL);
    sl_file_result_free(r);
    r = scan_as(rs, "a.txt", "An AP story from the Daily Planet", SL_SEV_WARNING);
    ck_assert_int_eq(r->verdict, SL_PASS);
    sl_file_result_free(r);
    r = scan_as(rs, "a.txt", "An AP story from the Daily Planet", SL_SEV_INFO);
    ck_assert_int_eq(r->verdict, SL_FAIL);
    sl_file_result_free(r);

    /* Inputs that cannot be judged never pass. */
    r = scan_as(rs, "empty.txt", " \n\t\n", SL_SEV_ERROR);
    ck_assert_int_eq(r->verdict, SL_ERROR);
    ck_assert_str_eq(r->error, "empty file: nothing to check");
    sl_file_result_free(r);
    sl_file_result *e = NULL;
    ck_assert_int_eq(sl_file_result_error("x.txt", "gone", &e), SL_OK);
    ck_assert_int_eq(e->verdict, SL_ERROR);
    ck_assert_uint_eq(e->ndocs, 0);
    sl_file_result_free(e);
    sl_file_result_free(NULL);
    sl_ruleset_free(rs);
}
END_TEST

START_TEST(size_limit)
{
    sl_ruleset *rs = load_pack("engine.yaml");
    sl_scan_options opt = {.fail_on = SL_SEV_ERROR, .max_file_size = 16};
    sl_scanner *sc = NULL;
    ck_assert_int_eq(sl_scanner_new(rs, &opt, &sc), SL_OK);
    sl_file_result *r = NULL;
    const char *text = "seventeen bytes!!";
    ck_assert_int_eq(sl_scan_buffer(sc, "big.txt", text, strlen(text), &r), SL_OK);
    ck_assert_int_eq(r->verdict, SL_ERROR);
    ck_assert_ptr_nonnull(strstr(r->error, "--max-file-size"));
    sl_file_result_free(r);
    sl_scanner_free(sc);
    sl_scanner_free(NULL);
    sl_ruleset_free(rs);
}
END_TEST

START_TEST(fingerprints_ignore_line_numbers)
{
    sl_ruleset *rs = load_pack("engine.yaml");
    sl_file_result *a = scan(rs, "Intro.\nLeak {{x}} here and {{x}} again.");
    sl_file_result *b = scan(rs, "New line above.\nIntro.\nLeak {{x}} here and {{x}} again.");
    const sl_finding *a0 = nth_rule(a, "t.forbid-regex", 0);
    const sl_finding *a1 = nth_rule(a, "t.forbid-regex", 1);
    const sl_finding *b0 = nth_rule(b, "t.forbid-regex", 0);
    ck_assert_uint_eq(a0->line + 1, b0->line);
    ck_assert_str_eq(a0->fingerprint, b0->fingerprint);
    /* The second occurrence of the same text is a different finding. */
    ck_assert_str_ne(a0->fingerprint, a1->fingerprint);
    ck_assert_uint_eq(strlen(a0->fingerprint), 16);
    sl_file_result *c =
        scan_as(rs, "other.txt", "Intro.\nLeak {{x}} here and {{x}} again.", SL_SEV_ERROR);
    ck_assert_str_ne(a0->fingerprint, nth_rule(c, "t.forbid-regex", 0)->fingerprint);
    sl_file_result_free(a);
    sl_file_result_free(b);
    sl_file_result_free(c);
    sl_ruleset_free(rs);
}
END_TEST

/* Thousands of findings in one document: each reported once (a text
 * file's first line is its title and the start of its body), at its
 * column, and the k-th of equal matches fingerprinted as the k-th whatever
 * else the document holds. */
START_TEST(many_findings_in_one_document)
{
    enum { N = 4000 };
    sl_ruleset *rs = load_pack("engine.yaml");
    char *both = malloc(12 * N + 8), *alone = malloc(6 * N + 8);
    ck_assert_ptr_nonnull(both);
    ck_assert_ptr_nonnull(alone);
    strcpy(both, "Leak ");
    strcpy(alone, "Leak ");
    for (int k = 0; k < N; k++) {
        strcat(both + 5 + 12 * k, "{{a}} {{b}} ");
        strcat(alone + 5 + 6 * k, "{{a}} ");
    }
    sl_file_result *r = scan(rs, both), *a = scan(rs, alone);
    ck_assert_uint_eq(count_rule(r, "t.forbid-regex"), 2 * N);
    ck_assert_uint_eq(count_rule(a, "t.forbid-regex"), N);
    const size_t ks[] = {0, 1, 2, N / 2, N - 1};
    for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
        size_t k = ks[i];
        const sl_finding *fa = nth_rule(r, "t.forbid-regex", 2 * k);
        const sl_finding *fb = nth_rule(r, "t.forbid-regex", 2 * k + 1);
        ck_assert_uint_eq(fa->line, 1);
        ck_assert_uint_eq(fa->column, 6 + 12 * k);
        ck_assert_str_eq(fa->match, "{{a}}");
        ck_assert_uint_eq(fb->column, 12 + 12 * k);
        ck_assert_str_eq(fb->match, "{{b}}");
        ck_assert_str_eq(fa->fingerprint, nth_rule(a, "t.forbid-regex", k)->fingerprint);
        ck_assert_str_ne(fa->fingerprint,
                         nth_rule(a, "t.forbid-regex", k + 1 < N ? k + 1 : 0)->fingerprint);
    }
    sl_file_result_free(r);
    sl_file_result_free(a);
    free(both);
    free(alone);
    sl_ruleset_free(rs);
}
END_TEST

static long max_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* A page of 20,000 meta tags scanned with the default packs: the findings
 * among the first values and among the last are both there, and the
 * scan's memory stays far below what a prefilter table per value (about
 * 10 KB each) or a 256-byte field per value would take. */
START_TEST(thousands_of_meta_values)
{
    enum { N = 20000 };
    sl_ruleset_options o = {0};
    o.data_dir = SL_SOURCE_ROOT "/rules";
    sl_ruleset *rs = NULL;
    sl_diag d = {{0}};
    ck_assert_msg(sl_ruleset_load(&o, &rs, &d) == SL_OK, "%s", d.message);
    size_t cap = (size_t)N * 64 + 256, len = 0;
    char *html = malloc(cap);
    ck_assert_ptr_nonnull(html);
    len += (size_t)snprintf(html + len, cap - len, "<html><head><title>T</title>\n");
    for (int i = 0; i < N; i++) {
        if (i == 5 || i == N - 5)
            len += (size_t)snprintf(html + len, cap - len,
                                    "<meta name=\"author\" content=\"undefined\">\n");
        else
            len += (size_t)snprintf(html + len, cap - len,
                                    "<meta name=\"keywords\" content=\"value %d\">\n", i);
    }
    snprintf(html + len, cap - len, "</head><body><p>Markets rose on Tuesday.</p></body></html>\n");
    long before = max_rss_kb();
    sl_file_result *r = scan_as(rs, "page.html", html, SL_SEV_ERROR);
    long grew_mb = (max_rss_kb() - before) / 1024;
    ck_assert_uint_eq(count_rule(r, "placeholder.undefined-value"), 2);
    ck_assert_uint_eq(nth_rule(r, "placeholder.undefined-value", 0)->line, 7);
    ck_assert_str_eq(nth_rule(r, "placeholder.undefined-value", 0)->scope, "meta.author");
    ck_assert_uint_eq(nth_rule(r, "placeholder.undefined-value", 1)->line, N - 5 + 2);
    sl_file_result_free(r);
    free(html);
    sl_ruleset_free(rs);
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    return; /* ASan's shadow and quarantine, TSan's shadow, are not the engine's memory */
#endif
    const char *pre = getenv("LD_PRELOAD");
    if (pre && strstr(pre, "vgpreload"))
        return;
    ck_assert_msg(grew_mb < 40, "scanning %d meta values grew the peak by %ld MB", N, grew_mb);
}
END_TEST

START_TEST(catastrophic_regex_is_an_error_not_a_hang)
{
    sl_ruleset *rs = load_pack("redos.yaml");
    char text[200];
    memset(text, 'a', 120);
    strcpy(text + 120, " aaaa!");
    sl_file_result *r = scan(rs, text);
    ck_assert_int_eq(r->verdict, SL_ERROR);
    ck_assert_ptr_nonnull(r->docs[0].error);
    ck_assert_ptr_nonnull(strstr(r->docs[0].error, "t.redos"));
    ck_assert_ptr_nonnull(strstr(r->docs[0].error, "limit"));
    sl_file_result_free(r);
    sl_ruleset_free(rs);
}
END_TEST

/* A rule's conditions are evaluated only where one of its items can match
 * (the prefilter finds its literals): a condition that fails on a
 * document (here a regex past its match limit) does not touch documents
 * the rule has nothing to say about, and does where it does. */
START_TEST(conditions_only_where_an_item_can_match)
{
    sl_ruleset *rs = load_pack("lazy.yaml");
    char text[300];
    memset(text, 0, sizeof text);
    for (size_t i = 0; i < 40; i++)
        memcpy(text + 5 * i, "word ", 5);
    strcat(text, "end! more");
    sl_file_result *r = scan(rs, text);
    ck_assert_int_eq(r->verdict, SL_PASS);
    ck_assert_ptr_null(r->docs[0].error);
    sl_file_result_free(r);

    memcpy(text, "lorem ipsum", 11);
    r = scan(rs, text);
    ck_assert_int_eq(r->verdict, SL_ERROR);
    ck_assert_ptr_nonnull(r->docs[0].error);
    ck_assert_ptr_nonnull(strstr(r->docs[0].error, "t.lazy"));
    sl_file_result_free(r);
    sl_ruleset_free(rs);
}
END_TEST

START_TEST(invalid_utf8_is_scanned)
{
    sl_ruleset *rs = load_pack("engine.yaml");
    sl_file_result *r = scan(rs, "Caf\xe9 \xff\xfe {{abc}} and more");
    ck_assert_int_ne(r->verdict, SL_ERROR);
    ck_assert_uint_eq(count_rule(r, "t.forbid-regex"), 1);
    ck_assert_uint_eq(nth_rule(r, "t.forbid-regex", 0)->column, 9);
    sl_file_result_free(r);
    sl_ruleset_free(rs);
}
END_TEST

/* A leading optional part is left out only where whether a regex matches is
 * all that counts. */
START_TEST(leading_optional_part)
{
    sl_ruleset *rs = load_pack("probe.yaml");
    const char *text = "The court adjourned. (With inputs from PTI)";
    sl_file_result *r = scan(rs, text);
    /* A finding spans the whole match. */
    ck_assert_uint_eq(count_rule(r, "p.forbid"), 1);
    const sl_finding *f = nth_rule(r, "p.forbid", 0);
    ck_assert_str_eq(f->match, "With inputs from PTI");
    ck_assert_uint_eq(f->column, (unsigned)(strstr(text, "With") - text) + 1);
    ck_assert_uint_eq(count_rule(r, "p.saw-detect"), 1);
    /* The exception holds "inputs from PTI" but not the whole match. */
    ck_assert_uint_eq(count_rule(r, "p.saw-detect-exc"), 1);
    ck_assert_uint_eq(count_rule(r, "p.require"), 0);
    ck_assert_uint_eq(count_rule(r, "p.cond"), 0);
    sl_file_result_free(r);

    /* Without the optional part: the exception now holds the match. */
    r = scan(rs, "Inflation rose, inputs from PTI show. Agency inputs from Reuters agree.");
    ck_assert_uint_eq(count_rule(r, "p.forbid"), 1);
    ck_assert_str_eq(nth_rule(r, "p.forbid", 0)->match, "inputs from PTI");
    ck_assert_uint_eq(count_rule(r, "p.saw-detect"), 1);
    ck_assert_uint_eq(count_rule(r, "p.saw-detect-exc"), 0);
    ck_assert_uint_eq(count_rule(r, "p.require"), 0);
    ck_assert_uint_eq(count_rule(r, "p.cond"), 1);
    sl_file_result_free(r);

    /* Nothing to find: the optional words alone do not match. */
    r = scan(rs, "With additional reporting. Agency staff.");
    ck_assert_uint_eq(count_rule(r, "p.forbid"), 0);
    ck_assert_uint_eq(count_rule(r, "p.saw-detect"), 0);
    ck_assert_uint_eq(count_rule(r, "p.require"), 1);
    ck_assert_uint_eq(count_rule(r, "p.cond"), 0);
    sl_file_result_free(r);
    sl_ruleset_free(rs);
}
END_TEST

/* A match starts at or before the last occurrence of each literal it
 * requires, and the engine stops looking past it: a match starting exactly
 * there, or reported from after it (\K), is found, and so is every match
 * of a forbid rule, not only the first. */
START_TEST(matches_up_to_the_last_literal)
{
    sl_ruleset *rs = load_pack("probe.yaml");
    const char *text = "Their inputs were many, and inputs were weighed for weeks. In the end, "
                       "inputs from PTI.";
    sl_file_result *r = scan(rs, text);
    ck_assert_uint_eq(count_rule(r, "p.forbid"), 1);
    const sl_finding *f = nth_rule(r, "p.forbid", 0);
    ck_assert_str_eq(f->match, "inputs from PTI");
    ck_assert_uint_eq(f->column, (unsigned)(strstr(text, "inputs from") - text) + 1);
    ck_assert_uint_eq(count_rule(r, "p.saw-detect"), 1);
    ck_assert_uint_eq(count_rule(r, "p.require"), 0);
    ck_assert_uint_eq(count_rule(r, "p.keep"), 1);
    ck_assert_str_eq(nth_rule(r, "p.keep", 0)->match, "from PTI");
    sl_file_result_free(r);

    r = scan(rs, "With inputs from PTI, and later, with inputs from PTI again.");
    ck_assert_uint_eq(count_rule(r, "p.forbid"), 2);
    ck_assert_str_eq(nth_rule(r, "p.forbid", 1)->match, "with inputs from PTI");
    ck_assert_uint_eq(count_rule(r, "p.keep"), 2);
    sl_file_result_free(r);

    /* The literal's last occurrence is past the only place it could match. */
    r = scan(rs, "inputs from PTI. Other inputs.");
    ck_assert_uint_eq(count_rule(r, "p.forbid"), 1);
    ck_assert_uint_eq(count_rule(r, "p.keep"), 1);
    sl_file_result_free(r);
    sl_ruleset_free(rs);
}
END_TEST

/* One line per finding, for comparing two scans. */
static char *findings_text(const sl_file_result *r)
{
    size_t cap = 1, len = 0;
    char *out = calloc(1, 1);
    for (size_t i = 0; i < r->ndocs; i++)
        for (size_t k = 0; k < r->docs[i].nfindings; k++) {
            const sl_finding *f = &r->docs[i].findings[k];
            char line[1024];
            int n = snprintf(line, sizeof line, "%s %s %u:%u %s\n", f->rule, f->scope, f->line,
                             f->column, f->match);
            ck_assert(n > 0 && (size_t)n < sizeof line);
            if (len + (size_t)n + 1 > cap) {
                cap = 2 * (len + (size_t)n + 1);
                out = realloc(out, cap);
            }
            memcpy(out + len, line, (size_t)n + 1);
            len += (size_t)n;
        }
    return out;
}

/* The prefilter never changes a finding: the default packs over the
 * samples and over documents whose fields share one text (a plain-text
 * file's body, page and markup; a page whose navigation is its title), and
 * a page whose metadata values, scanned as one text, hold their leaks
 * only after the first value, scanned with the prefilter on and off. */
START_TEST(prefilter_changes_no_finding)
{
    sl_ruleset_options o = {0};
    o.data_dir = SL_SOURCE_ROOT "/rules";
    sl_ruleset *rs = NULL;
    sl_diag d = {{0}};
    ck_assert_msg(sl_ruleset_load(&o, &rs, &d) == SL_OK, "%s", d.message);
    static const char *const names[] = {
        "seed-syndicated-leak.txt", "unrendered-template.txt", "piano-paywall-leak.html",
        "ndtv-pti-wire.html",       "de-newsletter-trap.html", "reuters-wire-clean.html",
        "staff-cites-reuters.txt",  "stripped-credit.txt",     "seed-clean.txt"};
    enum { NSAMPLES = sizeof names / sizeof *names, NDOCS = NSAMPLES + 3 };
    char *docs[NDOCS] = {0};
    const char *paths[NDOCS];
    for (size_t i = 0; i < NSAMPLES; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/samples/%s", SL_SOURCE_ROOT, names[i]);
        FILE *f = fopen(path, "rb");
        ck_assert_ptr_nonnull(f);
        docs[i] = calloc(1, 1 << 20);
        fread(docs[i], 1, (1 << 20) - 1, f);
        fclose(f);
        paths[i] = names[i];
    }
    docs[NSAMPLES] = strdup(
        "Markets rally\n\nMUMBAI (PTI) - Shares rose on Monday, traders said. You have reached "
        "your limit of {{free_limit}} free articles. Subscribe now.\n<script "
        "src=\"https://cdn.example.com/zephr-browser.umd.js\"></script>\n<div "
        "class=\"dm-zephr-banner\"></div>\nLorem ipsum dolor sit amet.\n");
    paths[NSAMPLES] = "wire.txt";
    docs[NSAMPLES + 1] =
        strdup("<html><head><title>Hello {{user.first_name}}</title></head><body><nav>Hello "
               "{{user.first_name}}</nav><article><h1>Budget passes</h1><p>NEW DELHI (PTI) - The "
               "council voted on Monday.</p></article></body></html>");
    paths[NSAMPLES + 1] = "nav.html";
    docs[NSAMPLES + 2] = strdup(
        "<html><head><title>Budget passes</title>"
        "<meta name=\"description\" content=\"The council passed the budget on Monday after a "
        "long debate over roads, schools and the new hospital wing in the east of the city.\">"
        "<meta property=\"og:description\" content=\"You have reached your limit of 3 free "
        "articles this month.\">"
        "<meta name=\"twitter:description\" content=\"Rupee settles at undefined; read "
        "{{free_limit}} more\"><meta name=\"author\" content=\"Desk\"></head><body><article>"
        "<h1>Budget passes</h1><p>The council voted on Monday.</p></article></body></html>");
    paths[NSAMPLES + 2] = "meta.html";
    int meta = 0;
    int raw = 0, chrome = 0;
    for (size_t i = 0; i < NDOCS; i++) {
        char *text[2];
        for (int on = 0; on < 2; on++) {
            sl_scan_options opt = {.fail_on = SL_SEV_ERROR};
            sl_scanner *sc = NULL;
            ck_assert_int_eq(sl_scanner_new(rs, &opt, &sc), SL_OK);
            sl_scanner_set_prefilter(sc, on);
            sl_file_result *res = NULL;
            ck_assert_int_eq(sl_scan_buffer(sc, paths[i], docs[i], strlen(docs[i]), &res), SL_OK);
            text[on] = findings_text(res);
            sl_file_result_free(res);
            sl_scanner_free(sc);
        }
        ck_assert_msg(strcmp(text[0], text[1]) == 0, "%s: off:\n%s\non:\n%s", paths[i], text[0],
                      text[1]);
        raw += strstr(text[1], " raw ") != NULL;
        chrome += strstr(text[1], " chrome ") != NULL;
        if (i == NSAMPLES + 2)
            meta = (strstr(text[1], "meta.og:description") != NULL) +
                   (strstr(text[1], "placeholder.undefined-value") != NULL) +
                   (strstr(text[1], "placeholder.mustache") != NULL);
        free(text[0]);
        free(text[1]);
        free(docs[i]);
    }
    ck_assert_int_gt(raw, 0);
    ck_assert_int_gt(chrome, 0);
    ck_assert_int_eq(meta, 3);
    sl_ruleset_free(rs);
}
END_TEST

static Suite *eval_suite(void)
{
    Suite *s = suite_create("eval");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, literal_matches_across_normalization);
    tcase_add_test(tc, overlapping_matches_are_one_finding);
    tcase_add_test(tc, regex_case_and_message);
    tcase_add_test(tc, whole_word);
    tcase_add_test(tc, exceptions_remove_contained_matches);
    tcase_add_test(tc, detect_when_and_rule_items);
    tcase_add_test(tc, leading_optional_part);
    tcase_add_test(tc, matches_up_to_the_last_literal);
    tcase_add_test(tc, unless_any_and_params);
    tcase_add_test(tc, meta_scope_and_html_positions);
    tcase_add_test(tc, text_raw_and_page_are_the_body);
    tcase_add_test(tc, disabled_rules_and_examples);
    tcase_add_test(tc, verdicts_and_thresholds);
    tcase_add_test(tc, size_limit);
    tcase_add_test(tc, fingerprints_ignore_line_numbers);
    tcase_add_test(tc, many_findings_in_one_document);
    tcase_add_test(tc, thousands_of_meta_values);
    tcase_add_test(tc, catastrophic_regex_is_an_error_not_a_hang);
    tcase_add_test(tc, conditions_only_where_an_item_can_match);
    tcase_add_test(tc, invalid_utf8_is_scanned);
    tcase_add_test(tc, prefilter_changes_no_finding);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(eval_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
