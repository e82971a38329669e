/* Check suite: the JSON report — contract shape, counts, repair of invalid
 * UTF-8, and atomic writing. */
#include <check.h>
#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "syndlint/syndlint.h"

static sl_ruleset *load_engine_pack(void)
{
    const char *paths[] = {SL_TEST_FIXTURES "/eval/engine.yaml"};
    sl_ruleset_options o = {0};
    o.rule_paths = paths;
    o.nrule_paths = 1;
    o.data_dir = SL_TEST_FIXTURES "/eval";
    sl_ruleset *rs = NULL;
    sl_diag d = {{0}};
    ck_assert_msg(sl_ruleset_load(&o, &rs, &d) == SL_OK, "%s", d.message);
    return rs;
}

static void add_scan(sl_report *rep, sl_scanner *sc, const char *path, const char *text)
{
    sl_file_result *r = NULL;
    ck_assert_int_eq(sl_scan_buffer(sc, path, text, strlen(text), &r), SL_OK);
    ck_assert_int_eq(sl_report_add(rep, r), SL_OK);
    sl_file_result_free(r);
}

static json_t *write_and_parse(sl_report *rep)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sl_diag d = {{0}};
    ck_assert_int_eq(sl_report_write(rep, f, &d), SL_OK);
    fclose(f);
    json_error_t err;
    json_t *root = json_loadb(buf, len, 0, &err);
    ck_assert_msg(root != NULL, "invalid JSON: %s", err.text);
    free(buf);
    return root;
}

static sl_report *sample_report(void)
{
    sl_ruleset *rs = load_engine_pack();
    sl_scanner *sc = NULL;
    ck_assert_int_eq(sl_scanner_new(rs, NULL, &sc), SL_OK);
    sl_report *rep = NULL;
    ck_assert_int_eq(sl_report_new("json", &rep), SL_OK);
    add_scan(rep, sc, "clean.txt", "A quiet day for the Daily Planet.");
    add_scan(rep, sc, "leak.txt", "Title\n\nYou've reached your limit. {{x}} Daily Planet");
    add_scan(rep, sc, "bad\xff\x01name.txt", "");
    sl_scanner_free(sc);
    sl_ruleset_free(rs);
    return rep;
}

START_TEST(contract_shape_and_counts)
{
    sl_report *rep = sample_report();
    json_t *root = write_and_parse(rep);
    const char *keys[] = {"tool", "summary", "files"};
    size_t i = 0;
    const char *k;
    json_t *v;
    json_object_foreach(root, k, v)
    {
        ck_assert_uint_lt(i, 3);
        ck_assert_str_eq(k, keys[i++]);
    }
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(root, "tool"), "name")),
                     "syndlint");
    json_t *sum = json_object_get(root, "summary");
    ck_assert_int_eq(json_integer_value(json_object_get(sum, "files")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(sum, "documents")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(sum, "passed")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(sum, "failed")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(sum, "errors")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(sum, "findings")), 2);

    json_t *files = json_object_get(root, "files");
    json_t *leak = json_array_get(files, 1);
    ck_assert_str_eq(json_string_value(json_object_get(leak, "verdict")), "FAIL");
    ck_assert(json_is_null(json_object_get(leak, "error")));
    json_t *doc = json_array_get(json_object_get(leak, "documents"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(doc, "id")), "leak.txt");
    ck_assert_str_eq(json_string_value(json_object_get(doc, "title")), "Title");
    json_t *f0 = json_array_get(json_object_get(doc, "findings"), 0);
    const char *fkeys[] = {"rule", "category", "severity", "message",    "scope",
                           "line", "column",   "match",    "fingerprint"};
    i = 0;
    json_object_foreach(f0, k, v)
    {
        ck_assert_uint_lt(i, 9);
        ck_assert_str_eq(k, fkeys[i++]);
    }
    ck_assert_uint_eq(i, 9);
    ck_assert_int_eq(json_integer_value(json_object_get(f0, "line")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(f0, "column")), 1);

    /* The unreadable input counts as one document in error. */
    json_t *bad = json_array_get(files, 2);
    ck_assert_str_eq(json_string_value(json_object_get(bad, "verdict")), "ERROR");
    ck_assert_str_eq(json_string_value(json_object_get(bad, "error")),
                     "empty file: nothing to check");
    /* The invalid byte in the path is repaired, the control byte kept. */
    ck_assert_str_eq(json_string_value(json_object_get(bad, "path")),
                     "bad\xEF\xBF\xBD\x01name.txt");
    json_t *bdoc = json_array_get(json_object_get(bad, "documents"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(bdoc, "verdict")), "ERROR");
    json_decref(root);
    sl_report_free(rep);
    sl_report_free(NULL);
}
END_TEST

START_TEST(unknown_format)
{
    sl_report *rep = NULL;
    ck_assert_int_eq(sl_report_new("yaml", &rep), SL_EINVAL);
    ck_assert_ptr_null(rep);
}
END_TEST

START_TEST(atomic_write_replaces_or_keeps)
{
    char dir[] = "/tmp/sl-report-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/r.json", dir);
    FILE *f = fopen(path, "w");
    fputs("old", f);
    fclose(f);

    sl_report *rep = sample_report();
    sl_diag d = {{0}};
    ck_assert_int_eq(sl_report_write_file(rep, path, &d), SL_OK);
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    ck_assert_ptr_nonnull(root);
    json_decref(root);

    /* A destination that cannot be written leaves no file behind and names
     * the path. */
    char bad[300];
    snprintf(bad, sizeof bad, "%s/missing/r.json", dir);
    ck_assert_int_eq(sl_report_write_file(rep, bad, &d), SL_EIO);
    ck_assert_ptr_nonnull(strstr(d.message, bad));
    ck_assert_int_ne(access(bad, F_OK), 0);

    /* /dev/full: the write fails, the earlier report stays whole. */
    if (access("/dev/full", W_OK) == 0) {
        FILE *full = fopen("/dev/full", "w");
        ck_assert_int_eq(sl_report_write(rep, full, &d), SL_EIO);
        fclose(full);
    }
    root = json_load_file(path, 0, &err);
    ck_assert_ptr_nonnull(root);
    json_decref(root);
    sl_report_free(rep);
    unlink(path);
    rmdir(dir);
}
END_TEST

/* The temporary files in `dir`. */
static int count_tmp(const char *dir)
{
    int n = 0;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d)) != NULL;)
        n += strstr(e->d_name, ".tmp-") != NULL;
    if (d)
        closedir(d);
    return n;
}

typedef struct abandon_ctx {
    const char *dir;
    int before, after;
} abandon_ctx;

/* A writer interrupted by a second signal: the handler abandons the
 * write while the report is half written. */
static sl_status write_then_abandon(FILE *out, void *user, sl_diag *diag)
{
    abandon_ctx *c = user;
    (void)diag;
    fputs("{\"half\":", out);
    fflush(out);
    c->before = count_tmp(c->dir);
    sl_write_file_atomic_abandon();
    c->after = count_tmp(c->dir);
    return SL_OK;
}

static sl_status write_whole(FILE *out, void *user, sl_diag *diag)
{
    (void)user, (void)diag;
    return fputs("{\"new\": true}\n", out) >= 0 ? SL_OK : SL_EIO;
}

/* A process that ends during a write leaves no temporary file, and the
 * earlier file as it was; a write that is over is not undone. */
START_TEST(atomic_write_abandoned)
{
    char dir[] = "/tmp/sl-abandon-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/r.json", dir);
    FILE *f = fopen(path, "w");
    fputs("{\"old\": true}\n", f);
    fclose(f);

    abandon_ctx c = {dir, -1, -1};
    sl_diag d = {{0}};
    /* Here the writer goes on, so its rename fails; a real handler ends
     * the process instead. */
    ck_assert_int_eq(sl_write_file_atomic(path, "the report", write_then_abandon, &c, &d), SL_EIO);
    ck_assert_int_eq(c.before, 1);
    ck_assert_int_eq(c.after, 0);
    ck_assert_int_eq(count_tmp(dir), 0);
    char buf[64] = "";
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(fgets(buf, sizeof buf, f));
    fclose(f);
    ck_assert_str_eq(buf, "{\"old\": true}\n");

    ck_assert_int_eq(sl_write_file_atomic(path, "the report", write_whole, NULL, &d), SL_OK);
    sl_write_file_atomic_abandon();
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(fgets(buf, sizeof buf, f));
    fclose(f);
    ck_assert_str_eq(buf, "{\"new\": true}\n");
    ck_assert_int_eq(count_tmp(dir), 0);

    /* Each write gives its note back: after many, one is still noted. */
    for (int i = 0; i < 20; i++)
        ck_assert_int_eq(sl_write_file_atomic(path, "the report", write_whole, NULL, &d), SL_OK);
    c.before = c.after = -1;
    ck_assert_int_eq(sl_write_file_atomic(path, "the report", write_then_abandon, &c, &d), SL_EIO);
    ck_assert_int_eq(c.before, 1);
    ck_assert_int_eq(c.after, 0);
    unlink(path);
    rmdir(dir);
}
END_TEST

static Suite *report_suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("json");
    tcase_add_test(tc, contract_shape_and_counts);
    tcase_add_test(tc, unknown_format);
    tcase_add_test(tc, atomic_write_replaces_or_keeps);
    tcase_add_test(tc, atomic_write_abandoned);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(report_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
