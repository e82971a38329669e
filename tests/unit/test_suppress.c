/* Check suite: inline suppressions (sl_scan_buffer with syndlint-disable
 * directives) and the ignore file (sl_ignore_load, sl_ignore_apply),
 * through the public API only. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "syndlint/syndlint.h"

static sl_ruleset *rs;

static void setup(void)
{
    const char *paths[] = {SL_TEST_FIXTURES "/reports/rules.yaml"};
    sl_ruleset_options o = {0};
    o.rule_paths = paths;
    o.nrule_paths = 1;
    o.data_dir = SL_TEST_FIXTURES "/reports";
    sl_diag d = {{0}};
    ck_assert_msg(sl_ruleset_load(&o, &rs, &d) == SL_OK, "%s", d.message);
}

static void teardown(void)
{
    sl_ruleset_free(rs);
    rs = NULL;
}

static sl_file_result *scan(const char *path, const char *text, const sl_scan_options *opt)
{
    sl_scanner *sc = NULL;
    ck_assert_int_eq(sl_scanner_new(rs, opt, &sc), SL_OK);
    sl_file_result *res = NULL;
    ck_assert_int_eq(sl_scan_buffer(sc, path, text, strlen(text), &res), SL_OK);
    sl_scanner_free(sc);
    ck_assert_ptr_nonnull(res);
    ck_assert_uint_eq(res->ndocs, 1);
    return res;
}

static const sl_finding *find(const sl_file_result *res, const char *rule, unsigned line)
{
    for (size_t i = 0; i < res->docs[0].nfindings; i++) {
        const sl_finding *f = &res->docs[0].findings[i];
        if (strcmp(f->rule, rule) == 0 && f->line == line)
            return f;
    }
    return NULL;
}

static const char *text = "Title\n"
                          "\n"
                          "syndlint-disable-next test.mustache: known template\n"
                          "One {{a}} here.\n"
                          "Two {{b}} here.\n";

START_TEST(disable_next_line)
{
    sl_file_result *res = scan("a.txt", text, NULL);
    const sl_finding *f = find(res, "test.mustache", 4);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->suppressed, SL_SUPPRESSED_INLINE);
    ck_assert_str_eq(f->suppression_reason, "known template");
    f = find(res, "test.mustache", 5);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->suppressed, 0);
    ck_assert_ptr_null(f->suppression_reason);
    ck_assert_int_eq(res->verdict, SL_FAIL);
    sl_file_result_free(res);
}
END_TEST

START_TEST(category_range_passes)
{
    const char *t = "<html><body><article><h1>Title</h1>\n"
                    "<!-- syndlint-disable placeholder: CMS fills these -->\n"
                    "<p>One {{a}} and [[b]].</p>\n"
                    "</article></body></html>\n";
    sl_file_result *res = scan("a.html", t, NULL);
    ck_assert_uint_ge(res->docs[0].nfindings, 2);
    for (size_t i = 0; i < res->docs[0].nfindings; i++)
        ck_assert_int_eq(res->docs[0].findings[i].suppressed, SL_SUPPRESSED_INLINE);
    ck_assert_int_eq(res->verdict, SL_PASS);
    ck_assert_int_eq(res->docs[0].verdict, SL_PASS);
    sl_file_result_free(res);

    sl_scan_options o = {0};
    o.no_inline_suppressions = 1;
    res = scan("a.html", t, &o);
    ck_assert_int_eq(res->verdict, SL_FAIL);
    ck_assert_int_eq(res->docs[0].findings[0].suppressed, 0);
    sl_file_result_free(res);
}
END_TEST

START_TEST(no_reason_and_unused)
{
    const char *t = "Title\n"
                    "\n"
                    "syndlint-disable-next test.mustache\n"
                    "One {{a}} here.\n"
                    "syndlint-disable-next test.meter: nothing below\n"
                    "Fine.\n";
    sl_scan_options o = {0};
    o.report_unused_suppressions = 1;
    sl_file_result *res = scan("a.txt", t, &o);
    const sl_finding *f = find(res, "syndlint.invalid-suppression", 3);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->severity, SL_SEV_WARNING);
    ck_assert_int_eq(find(res, "test.mustache", 4)->suppressed, 0);
    f = find(res, "syndlint.unused-suppression", 5);
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(f->category, "syndlint");
    ck_assert_int_eq(strlen(f->fingerprint), 16);
    ck_assert_int_eq(res->verdict, SL_FAIL);
    sl_file_result_free(res);
}
END_TEST

static char *write_tmp(const char *content)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/sl-ignore-XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, content, strlen(content)), (ssize_t)strlen(content));
    close(fd);
    return path;
}

START_TEST(ignore_file)
{
    char *p = write_tmp("ignore:\n"
                        "  - path: 'news/*'\n"
                        "    rule: test.mustache\n"
                        "    reason: accepted\n"
                        "  - path: '*'\n"
                        "    rule: placeholder\n"
                        "    reason: old exception\n"
                        "    expires: 2020-01-01\n");
    sl_ignore *ig = NULL;
    sl_diag d = {{0}};
    ck_assert_msg(sl_ignore_load(p, "2025-06-01", &ig, &d) == SL_OK, "%s", d.message);
    unlink(p);
    ck_assert_uint_eq(sl_ignore_count(ig), 2);
    ck_assert_int_eq(sl_ignore_entry_at(ig, 0)->expired, 0);
    ck_assert_int_eq(sl_ignore_entry_at(ig, 1)->expired, 1);
    ck_assert_uint_eq(sl_ignore_entry_at(ig, 1)->line, 5);

    sl_file_result *res = scan("news/a.txt", "Title\n\nOne {{a}} here.\n", NULL);
    ck_assert_int_eq(res->verdict, SL_FAIL);
    ck_assert_int_eq(sl_ignore_apply(ig, res, SL_SEV_ERROR), SL_OK);
    ck_assert_int_eq(res->docs[0].findings[0].suppressed, SL_SUPPRESSED_IGNORE);
    ck_assert_str_eq(res->docs[0].findings[0].suppression_reason, "accepted");
    ck_assert_int_eq(res->verdict, SL_PASS);
    sl_file_result_free(res);

    /* The expired entry would cover this one: it does not. */
    res = scan("other/a.txt", "Title\n\nOne [[a]] here.\n", NULL);
    ck_assert_int_eq(sl_ignore_apply(ig, res, SL_SEV_ERROR), SL_OK);
    ck_assert_int_eq(res->docs[0].findings[0].suppressed, 0);
    ck_assert_int_eq(res->verdict, SL_FAIL);
    sl_file_result_free(res);
    sl_ignore_free(ig);
}
END_TEST

START_TEST(ignore_file_errors)
{
    static const struct {
        const char *yaml, *want;
    } cases[] = {
        {"ignore:\n  - path: a\n    rule: b\n", ":2:5: an ignore entry needs a 'reason'"},
        {"ignore:\n  - fingerprint: x\n    reason: r\n    expires: 2025-13-01\n",
         ":4:14: 'expires' must be a date"},
        {"ignore:\n  - fingerprint: [x]\n    reason: r\n", ":2:18: 'fingerprint' must be a string"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *p = write_tmp(cases[i].yaml);
        sl_ignore *ig = NULL;
        sl_diag d = {{0}};
        ck_assert_int_eq(sl_ignore_load(p, "2025-01-01", &ig, &d), SL_ERULE);
        unlink(p);
        ck_assert_ptr_null(ig);
        ck_assert_msg(strstr(d.message, cases[i].want) != NULL, "%s", d.message);
    }
    sl_ignore_free(NULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("suppress");
    TCase *tc = tcase_create("suppress");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, disable_next_line);
    tcase_add_test(tc, category_range_passes);
    tcase_add_test(tc, no_reason_and_unused);
    tcase_add_test(tc, ignore_file);
    tcase_add_test(tc, ignore_file_errors);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
