/* Check suite: the report formats beyond JSON — JUnit, SARIF, HTML, CSV,
 * Markdown, JSON Lines — and baselines and trends. Each format is parsed
 * back with a real parser (libxml2, jansson, libcsv) rather than matched as
 * text, with paths and matches that hold commas, quotes, newlines and
 * markup. */
#include <check.h>
#include <csv.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "syndlint/syndlint.h"

static sl_ruleset *load_pack(void)
{
    const char *paths[] = {SL_TEST_FIXTURES "/reports/rules.yaml"};
    sl_ruleset_options o = {0};
    o.rule_paths = paths;
    o.nrule_paths = 1;
    o.data_dir = SL_TEST_FIXTURES "/reports";
    sl_ruleset *rs = NULL;
    sl_diag d = {{0}};
    ck_assert_msg(sl_ruleset_load(&o, &rs, &d) == SL_OK, "%s", d.message);
    return rs;
}

/* The inputs every test reports on: a clean file, a failing one whose path
 * and match need quoting everywhere, a warning-only pass, and an input that
 * could not be scanned. */
static const struct {
    const char *path, *text;
} inputs[] = {
    {"news/clean.txt", "A quiet day\n\nNothing to see."},
    {"news/odd, \"name\"\nhere.txt",
     "Title\n\nText [[a,\"b\"\nc]] and </script><!--<script> {{free_limit}} here."},
    {"other/warn.txt", "Title\n\nYou've reached your limit today."},
    {"other/empty.txt", ""},
};
enum { NINPUTS = sizeof inputs / sizeof inputs[0] };

static sl_file_result *scan(sl_scanner *sc, size_t i)
{
    sl_file_result *r = NULL;
    ck_assert_int_eq(sl_scan_buffer(sc, inputs[i].path, inputs[i].text, strlen(inputs[i].text), &r),
                     SL_OK);
    return r;
}

/* Builds a report of `format` over the inputs, optionally through a
 * baseline and with a compared report. */
static sl_report *make_report(const char *format, const sl_baseline *bl, const sl_baseline *cmp)
{
    sl_ruleset *rs = load_pack();
    sl_scanner *sc = NULL;
    ck_assert_int_eq(sl_scanner_new(rs, NULL, &sc), SL_OK);
    sl_report *rep = NULL;
    ck_assert_int_eq(sl_report_new(format, &rep), SL_OK);
    ck_assert_int_eq(sl_report_set_ruleset(rep, rs), SL_OK);
    if (cmp)
        ck_assert_int_eq(sl_report_set_compare(rep, cmp), SL_OK);
    for (size_t i = 0; i < NINPUTS; i++) {
        sl_file_result *r = scan(sc, i);
        if (bl)
            sl_baseline_apply(bl, r, SL_SEV_ERROR);
        ck_assert_int_eq(sl_report_add(rep, r), SL_OK);
        sl_file_result_free(r);
    }
    sl_scanner_free(sc);
    sl_ruleset_free(rs);
    return rep;
}

static char *render(sl_report *rep, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    sl_diag d = {{0}};
    ck_assert_int_eq(sl_report_write(rep, f, &d), SL_OK);
    fclose(f);
    if (len)
        *len = n;
    return buf;
}

static char *render_format(const char *format, size_t *len)
{
    sl_report *rep = make_report(format, NULL, NULL);
    char *s = render(rep, len);
    sl_report_free(rep);
    return s;
}

START_TEST(formats_known)
{
    const char *ok[] = {"json", "jsonl", "junit", "sarif", "html", "csv", "markdown", "md"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        sl_report *rep = NULL;
        ck_assert_int_eq(sl_report_new(ok[i], &rep), SL_OK);
        ck_assert(sl_report_format_known(ok[i]));
        sl_report_free(rep);
    }
    sl_report *rep = NULL;
    ck_assert_int_eq(sl_report_new("text", &rep), SL_EINVAL);
    ck_assert(!sl_report_format_known("xml"));
    ck_assert(!sl_report_format_known(NULL));
}
END_TEST

/* ---------------------------------------------------------------- CSV */

typedef struct csv_rows {
    char *cells[64][17];
    size_t nrows, ncol;
} csv_rows;

static void on_field(void *s, size_t len, void *data)
{
    csv_rows *r = data;
    if (r->nrows < 64 && r->ncol < 17)
        r->cells[r->nrows][r->ncol] = strndup(s, len);
    r->ncol++;
}

static void on_row(int c, void *data)
{
    (void)c;
    csv_rows *r = data;
    ck_assert_uint_eq(r->ncol, 17);
    r->nrows++;
    r->ncol = 0;
}

START_TEST(csv_round_trips)
{
    size_t len = 0;
    char *out = render_format("csv", &len);
    struct csv_parser p;
    ck_assert_int_eq(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI), 0);
    csv_rows *rows = calloc(1, sizeof *rows);
    ck_assert_uint_eq(csv_parse(&p, out, len, on_field, on_row, rows), len);
    ck_assert_int_eq(csv_fini(&p, on_field, on_row, rows), 0);
    csv_free(&p);
    /* header, clean (1 row), odd (2 findings), warn (1 finding), empty (1 error row) */
    ck_assert_uint_eq(rows->nrows, 6);
    ck_assert_str_eq(rows->cells[0][0], "path");
    ck_assert_str_eq(rows->cells[1][3], "PASS");
    ck_assert_str_eq(rows->cells[2][0], inputs[1].path);
    ck_assert_str_eq(rows->cells[2][4], "test.bracket");
    ck_assert_str_eq(rows->cells[2][11], "[[a,\"b\"\nc]]");
    ck_assert_str_eq(rows->cells[3][11], "{{free_limit}}");
    ck_assert_str_eq(rows->cells[4][3], "PASS");
    ck_assert_str_eq(rows->cells[4][6], "warning");
    ck_assert_str_eq(rows->cells[5][3], "ERROR");
    ck_assert_str_eq(rows->cells[5][14], "empty file: nothing to check");
    /* Nothing suppressed: "no" on finding rows, empty on the others. */
    ck_assert_str_eq(rows->cells[0][15], "suppressed");
    ck_assert_str_eq(rows->cells[0][16], "suppression_reason");
    ck_assert_str_eq(rows->cells[2][15], "no");
    ck_assert_str_eq(rows->cells[2][16], "");
    ck_assert_str_eq(rows->cells[1][15], "");
    /* Every row ends in CRLF. */
    ck_assert(len > 2 && out[len - 2] == '\r' && out[len - 1] == '\n');
    for (size_t i = 0; i < 64; i++)
        for (size_t j = 0; j < 17; j++)
            free(rows->cells[i][j]);
    free(rows);
    free(out);
}
END_TEST

/* ---------------------------------------------------------------- JUnit */

static int xcount(xmlXPathContextPtr ctx, const char *expr)
{
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
    ck_assert_ptr_nonnull(o);
    int n = o->nodesetval ? o->nodesetval->nodeNr : 0;
    xmlXPathFreeObject(o);
    return n;
}

START_TEST(junit_structure)
{
    size_t len = 0;
    char *out = render_format("junit", &len);
    xmlDocPtr doc = xmlReadMemory(out, (int)len, "junit.xml", NULL, XML_PARSE_NONET);
    ck_assert_ptr_nonnull(doc);
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    ck_assert_int_eq(xcount(ctx, "/testsuites/testsuite"), 2); /* news, other */
    ck_assert_int_eq(xcount(ctx, "//testcase"), 4);            /* passing ones included */
    ck_assert_int_eq(xcount(ctx, "//testcase/failure"), 1);
    ck_assert_int_eq(xcount(ctx, "//testcase/error"), 1);
    ck_assert_int_eq(xcount(ctx, "/testsuites/testsuite[@name='news' and @tests='2' and "
                                 "@failures='1' and @errors='0']"),
                     1);
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST "string(//failure)", ctx);
    const char *text = (const char *)o->stringval;
    ck_assert_ptr_nonnull(strstr(text, "test.bracket 3:6"));
    ck_assert_ptr_nonnull(strstr(text, "match: [[a,\"b\"\nc]]"));
    xmlXPathFreeObject(o);
    /* The warning that did not fail its document is still recorded. */
    o = xmlXPathEvalExpression(BAD_CAST "string(//testsuite[@name='other']/system-out)", ctx);
    ck_assert_ptr_nonnull(strstr((const char *)o->stringval, "test.meter"));
    xmlXPathFreeObject(o);
    xmlXPathFreeContext(ctx);
    xmlFreeDoc(doc);
    free(out);
}
END_TEST

/* ---------------------------------------------------------------- SARIF */

START_TEST(sarif_structure)
{
    char *out = render_format("sarif", NULL);
    json_error_t err;
    json_t *root = json_loads(out, 0, &err);
    ck_assert_msg(root != NULL, "%s", err.text);
    ck_assert_str_eq(json_string_value(json_object_get(root, "version")), "2.1.0");
    json_t *run = json_array_get(json_object_get(root, "runs"), 0);
    json_t *driver = json_object_get(json_object_get(run, "tool"), "driver");
    json_t *rules = json_object_get(driver, "rules");
    ck_assert_uint_eq(json_array_size(rules), 3);
    json_t *r0 = json_array_get(rules, 0);
    ck_assert_str_eq(json_string_value(json_object_get(r0, "id")), "test.bracket");
    ck_assert_str_eq(json_string_value(json_object_get(r0, "name")), "TestBracket");
    ck_assert_str_eq(
        json_string_value(json_object_get(json_object_get(r0, "defaultConfiguration"), "level")),
        "error");
    ck_assert_str_eq(json_string_value(json_array_get(
                         json_object_get(json_object_get(r0, "properties"), "tags"), 0)),
                     "placeholder");
    json_t *results = json_object_get(run, "results");
    ck_assert_uint_eq(json_array_size(results), 3);
    size_t i;
    json_t *r;
    json_array_foreach(results, i, r)
    {
        const char *id = json_string_value(json_object_get(r, "ruleId"));
        json_int_t idx = json_integer_value(json_object_get(r, "ruleIndex"));
        ck_assert_str_eq(
            json_string_value(json_object_get(json_array_get(rules, (size_t)idx), "id")), id);
        ck_assert_ptr_nonnull(json_string_value(json_object_get(r, "level")));
        ck_assert_uint_eq(strlen(json_string_value(json_object_get(
                              json_object_get(r, "partialFingerprints"), "syndlint/v1"))),
                          16);
    }
    json_t *loc =
        json_object_get(json_array_get(json_object_get(json_array_get(results, 0), "locations"), 0),
                        "physicalLocation");
    json_t *art = json_object_get(loc, "artifactLocation");
    /* Comma, quote and newline are percent-encoded; the folder slash is not. */
    ck_assert_str_eq(json_string_value(json_object_get(art, "uri")),
                     "news/odd%2C%20%22name%22%0Ahere.txt");
    ck_assert_str_eq(json_string_value(json_object_get(art, "uriBaseId")), "%SRCROOT%");
    json_t *reg = json_object_get(loc, "region");
    ck_assert_int_eq(json_integer_value(json_object_get(reg, "startLine")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(reg, "startColumn")), 6);
    /* The match spans two lines: the end is after "c]]" on the next. */
    ck_assert_int_eq(json_integer_value(json_object_get(reg, "endLine")), 4);
    ck_assert_int_eq(json_integer_value(json_object_get(reg, "endColumn")), 4);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(reg, "snippet"), "text")),
                     "[[a,\"b\"\nc]]");
    json_t *notes = json_object_get(json_array_get(json_object_get(run, "invocations"), 0),
                                    "toolExecutionNotifications");
    ck_assert_uint_eq(json_array_size(notes), 1);
    json_decref(root);
    free(out);
}
END_TEST

/* ---------------------------------------------------------------- HTML */

START_TEST(html_self_contained_and_inert)
{
    char *out = render_format("html", NULL);
    ck_assert_ptr_nonnull(strstr(out, "<!DOCTYPE html>"));
    ck_assert_ptr_nonnull(strstr(out, "Content-Security-Policy"));
    ck_assert_ptr_null(strstr(out, "src="));
    ck_assert_ptr_null(strstr(out, "href="));
    ck_assert_ptr_null(strstr(out, "url("));
    /* The match "</script><!--<script>" cannot end or bend the data block:
     * between its start and the first </script> there is no '<' at all. */
    const char *data = strstr(out, "id=\"syndlint-data\">");
    ck_assert_ptr_nonnull(data);
    data += strlen("id=\"syndlint-data\">");
    const char *end = strstr(data, "</script>");
    ck_assert_ptr_nonnull(end);
    ck_assert_ptr_null(memchr(data, '<', (size_t)(end - data)));
    /* And it is JSON that holds the match intact, with its context. */
    char *json = strndup(data, (size_t)(end - data));
    json_error_t err;
    json_t *root = json_loads(json, 0, &err);
    ck_assert_msg(root != NULL, "%s", err.text);
    json_t *f = json_array_get(
        json_object_get(
            json_array_get(
                json_object_get(json_array_get(json_object_get(root, "files"), 1), "documents"), 0),
            "findings"),
        0);
    ck_assert_str_eq(json_string_value(json_object_get(f, "match")), "[[a,\"b\"\nc]]");
    /* Scanned from a buffer, the file is not there to read: no context. */
    ck_assert(json_is_null(json_object_get(f, "before")));
    ck_assert_int_eq(
        json_integer_value(json_object_get(json_object_get(root, "summary"), "failed")), 1);
    json_decref(root);
    free(json);
    free(out);
}
END_TEST

START_TEST(html_context_from_source)
{
    char dir[] = "/tmp/sl-reports-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/a.txt", dir);
    FILE *f = fopen(path, "w");
    fputs("Title\n\nThe café had {{count}} guests today.\n", f);
    fclose(f);
    sl_ruleset *rs = load_pack();
    sl_scanner *sc = NULL;
    ck_assert_int_eq(sl_scanner_new(rs, NULL, &sc), SL_OK);
    sl_file_result *r = NULL;
    ck_assert_int_eq(sl_scan_file(sc, path, &r), SL_OK);
    sl_report *rep = NULL;
    ck_assert_int_eq(sl_report_new("html", &rep), SL_OK);
    ck_assert_int_eq(sl_report_add(rep, r), SL_OK);
    char *out = render(rep, NULL);
    ck_assert_ptr_nonnull(strstr(out, "\"before\":\"The café had \",\"after\":\" guests today.\""));
    free(out);
    sl_report_free(rep);
    sl_file_result_free(r);
    sl_scanner_free(sc);
    sl_ruleset_free(rs);
    unlink(path);
    rmdir(dir);
}
END_TEST

/* ---------------------------------------------------------------- Markdown, JSONL */

START_TEST(markdown_summary)
{
    char *out = render_format("markdown", NULL);
    ck_assert_ptr_nonnull(strstr(out, "| 4 | 4 | 2 | 1 | 1 | 3 |"));
    ck_assert_ptr_nonnull(strstr(out, "### Files that did not pass"));
    /* The path's quote and newline cannot break out of its code span. */
    ck_assert_ptr_nonnull(strstr(out, "`news/odd, \"name\" here.txt`"));
    ck_assert_ptr_null(strstr(out, "clean.txt"));
    free(out);
}
END_TEST

START_TEST(markdown_cut_off)
{
    sl_report *rep = NULL;
    ck_assert_int_eq(sl_report_new("markdown", &rep), SL_OK);
    for (int i = 0; i < 300; i++) {
        char p[64];
        snprintf(p, sizeof p, "bad/%03d.txt", i);
        sl_file_result *r = NULL;
        ck_assert_int_eq(sl_file_result_error(p, "unreadable", &r), SL_OK);
        ck_assert_int_eq(sl_report_add(rep, r), SL_OK);
        sl_file_result_free(r);
    }
    size_t len = 0;
    char *out = render(rep, &len);
    ck_assert_ptr_nonnull(strstr(out, "bad/049.txt"));
    ck_assert_ptr_null(strstr(out, "bad/050.txt"));
    ck_assert_ptr_nonnull(strstr(out, "and 250 more files"));
    ck_assert_uint_lt(len, 64 * 1024);
    free(out);
    sl_report_free(rep);
}
END_TEST

/* A file's documents are listed apart unless it has one, whose id reads as
 * its path: compared as the report shows them, invalid UTF-8 repaired. */
START_TEST(markdown_documents_apart)
{
    sl_finding f = {.rule = "r.one",
                    .category = "paywall",
                    .message = "leak",
                    .scope = "body",
                    .match = "x",
                    .fingerprint = "fp",
                    .severity = SL_SEV_ERROR,
                    .line = 1,
                    .column = 1};
    /* The first document's id is the path, but there is a second one. */
    sl_doc_result two[2] = {
        {.id = "feed.xml", .verdict = SL_FAIL, .findings = &f, .nfindings = 1},
        {.id = "feed.xml#2", .verdict = SL_FAIL, .findings = &f, .nfindings = 1}};
    /* One document whose id differs from the path only in bytes that are
     * not UTF-8 (each shown as U+FFFD). */
    sl_doc_result one = {.id = "caf\xe9.txt", .verdict = SL_FAIL, .findings = &f, .nfindings = 1};
    sl_file_result files[] = {
        {.path = "feed.xml", .verdict = SL_FAIL, .docs = two, .ndocs = 2},
        {.path = "caf\xe8.txt", .verdict = SL_FAIL, .docs = &one, .ndocs = 1},
        {.path = "other.txt", .verdict = SL_FAIL, .docs = &one, .ndocs = 1},
    };
    sl_report *rep = NULL;
    ck_assert_int_eq(sl_report_new("markdown", &rep), SL_OK);
    for (size_t i = 0; i < 3; i++)
        ck_assert_int_eq(sl_report_add(rep, &files[i]), SL_OK);
    char *out = render(rep, NULL);
    ck_assert_msg(strstr(out, "\n  - **FAIL** `feed.xml`\n    - 1:1 ") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "\n  - **FAIL** `feed.xml#2`\n    - 1:1 ") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "- **FAIL** `caf\xef\xbf\xbd.txt`\n  - 1:1 ") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "- **FAIL** `other.txt`\n  - **FAIL** `caf\xef\xbf\xbd.txt`\n") !=
                      NULL,
                  "%s", out);
    free(out);
    sl_report_free(rep);
}
END_TEST

START_TEST(jsonl_lines)
{
    char *out = render_format("jsonl", NULL);
    size_t n = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"), n++) {
        json_error_t err;
        json_t *o = json_loads(line, 0, &err);
        ck_assert_msg(o != NULL, "%s", err.text);
        ck_assert_str_eq(json_string_value(json_object_get(o, "path")), inputs[n].path);
        ck_assert(json_is_array(json_object_get(o, "findings")));
        json_decref(o);
    }
    ck_assert_uint_eq(n, NINPUTS);
    free(out);
}
END_TEST

/* A document with 60,000 findings, in the formats that write one
 * document's findings as JSON: the reports are whole (every finding, valid
 * JSON), and writing each grows the peak by far less than a tree of them
 * all would take (2 KB a finding and more). */
START_TEST(dense_document_streamed)
{
    enum { N = 60000 };
    sl_finding *fs = malloc(N * sizeof *fs);
    ck_assert_ptr_nonnull(fs);
    for (size_t i = 0; i < N; i++)
        fs[i] = (sl_finding){.rule = "placeholder.mustache",
                             .category = "placeholder",
                             .message = "Unrendered template placeholder {{x}}",
                             .scope = "body",
                             .match = "{{x}}",
                             .fingerprint = "0123456789abcdef",
                             .severity = SL_SEV_ERROR,
                             .line = 1,
                             .column = (unsigned)(6 * i + 1)};
    sl_doc_result doc = {.id = "dense.txt", .verdict = SL_FAIL, .findings = fs, .nfindings = N};
    sl_file_result file = {.path = "dense.txt", .verdict = SL_FAIL, .docs = &doc, .ndocs = 1};
    const char *fmts[] = {"json", "jsonl", "html"};
    for (size_t i = 0; i < 3; i++) {
        sl_report *rep = NULL;
        ck_assert_int_eq(sl_report_new(fmts[i], &rep), SL_OK);
        ck_assert_int_eq(sl_report_add(rep, &file), SL_OK);
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        long before = ru.ru_maxrss;
        size_t len = 0;
        char *out = render(rep, &len);
        getrusage(RUSAGE_SELF, &ru);
        long grew_mb = (ru.ru_maxrss - before) / 1024;
        sl_report_free(rep);
        /* Every finding is there, the last one last. */
        size_t n = 0;
        /* Not strstr from each hit: under ASan every call measures the
         * rest of the 20 MB. */
        for (size_t at = 0; at + 7 <= len; at++)
            n += out[at] == '"' && memcmp(out + at, "\"rule\":", 7) == 0;
        ck_assert_msg(n == N, "%s: %zu findings", fmts[i], n);
        char last[32];
        snprintf(last, sizeof last, "%u", 6 * (N - 1) + 1);
        ck_assert_ptr_nonnull(strstr(out, last));
        if (i < 2) {
            json_error_t err;
            json_t *o = i == 0 ? json_loads(out, 0, &err) : json_loadb(out, len - 1, 0, &err);
            ck_assert_msg(o != NULL, "%s: %s", fmts[i], err.text);
            json_decref(o);
        }
        /* The output itself is 10 to 30 MB; a tree would add 120 MB. */
#if !defined(__SANITIZE_ADDRESS__)
        const char *pre = getenv("LD_PRELOAD");
        if (!pre || !strstr(pre, "vgpreload"))
            ck_assert_msg(grew_mb < 2 * (long)(len >> 20) + 40,
                          "%s: the peak grew by %ld MB for %zu MB", fmts[i], grew_mb, len >> 20);
#endif
        (void)grew_mb;
        free(out);
    }
    free(fs);
}
END_TEST

/* ---------------------------------------------------------------- baselines */

static char *write_json_report(const char *dir, const char *name, const sl_baseline *bl)
{
    char *path = malloc(512);
    snprintf(path, 512, "%s/%s", dir, name);
    sl_report *rep = make_report("json", bl, NULL);
    sl_diag d = {{0}};
    ck_assert_int_eq(sl_report_write_file(rep, path, &d), SL_OK);
    sl_report_free(rep);
    return path;
}

START_TEST(baseline_accepts_known_findings)
{
    char dir[] = "/tmp/sl-baseline-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char *old = write_json_report(dir, "old.json", NULL);
    sl_baseline *bl = NULL;
    sl_diag d = {{0}};
    ck_assert_int_eq(sl_baseline_load(old, &bl, &d), SL_OK);
    ck_assert_uint_eq(sl_baseline_count(bl), 3);
    const sl_baseline_entry *e = sl_baseline_entry_at(bl, 0);
    ck_assert_str_eq(e->rule, "test.bracket");
    ck_assert_str_eq(e->path, inputs[1].path);
    ck_assert(sl_baseline_has(bl, e->fingerprint));
    ck_assert(!sl_baseline_has(bl, "0000000000000000"));

    /* The same scan against its own baseline: nothing fails, the findings
     * are still there, marked. */
    sl_report *rep = make_report("sarif", bl, NULL);
    char *out = render(rep, NULL);
    ck_assert_ptr_nonnull(strstr(out, "\"baselineState\": \"unchanged\""));
    ck_assert_ptr_null(strstr(out, "\"baselineState\": \"new\""));
    free(out);
    sl_report_free(rep);
    char *again = write_json_report(dir, "new.json", bl);
    json_error_t jerr;
    json_t *root = json_load_file(again, 0, &jerr);
    json_t *sum = json_object_get(root, "summary");
    ck_assert_int_eq(json_integer_value(json_object_get(sum, "failed")), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(sum, "findings")), 3);
    json_decref(root);

    /* One more finding than the baseline holds fails, alone. */
    sl_ruleset *rs = load_pack();
    sl_scanner *sc = NULL;
    ck_assert_int_eq(sl_scanner_new(rs, NULL, &sc), SL_OK);
    const char *text =
        "Title\n\nText [[a,\"b\"\nc]] and </script><!--<script> {{free_limit}} here. "
        "{{brand_new}}";
    sl_file_result *r = NULL;
    ck_assert_int_eq(sl_scan_buffer(sc, inputs[1].path, text, strlen(text), &r), SL_OK);
    sl_baseline_apply(bl, r, SL_SEV_ERROR);
    ck_assert_int_eq(r->verdict, SL_FAIL);
    ck_assert_uint_eq(r->docs[0].nfindings, 3);
    ck_assert_int_eq(r->docs[0].findings[0].baseline, 1);
    ck_assert_int_eq(r->docs[0].findings[1].baseline, 1);
    ck_assert_int_eq(r->docs[0].findings[2].baseline, 0);
    sl_file_result_free(r);
    sl_scanner_free(sc);
    sl_ruleset_free(rs);

    sl_baseline_free(bl);
    unlink(old);
    unlink(again);
    rmdir(dir);
    free(old);
    free(again);
}
END_TEST

START_TEST(baseline_rejects_other_files)
{
    char dir[] = "/tmp/sl-baseline-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/x.json", dir);
    /* A finding without a fingerprint cannot be matched: refused. */
    static const char no_fingerprint[] =
        "{\"summary\":{},\"files\":[{\"path\":\"a\",\"documents\":[{\"findings\":["
        "{\"rule\":\"r\"}]}]}]}";
    const char *bad[] = {"not json", "[1,2]", "{\"summary\":{},\"files\":[{\"path\":\"a\"}]}",
                         no_fingerprint};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        FILE *f = fopen(path, "w");
        fputs(bad[i], f);
        fclose(f);
        sl_baseline *bl = NULL;
        sl_diag d = {{0}};
        ck_assert_int_eq(sl_baseline_load(path, &bl, &d), SL_EINPUT);
        ck_assert_ptr_null(bl);
        ck_assert_msg(strstr(d.message, path) != NULL, "%s", d.message);
    }
    sl_baseline *bl = NULL;
    sl_diag d = {{0}};
    snprintf(path, sizeof path, "%s/missing.json", dir);
    ck_assert_int_eq(sl_baseline_load(path, &bl, &d), SL_EIO);
    snprintf(path, sizeof path, "%s/x.json", dir);
    unlink(path);
    rmdir(dir);
}
END_TEST

START_TEST(trend_new_and_fixed)
{
    /* The compared report has a finding this one lacks (fixed), and lacks
     * the {{free_limit}} one (new). Its finding in other/empty.txt, which
     * this run could not scan (ERROR), is not fixed: nothing was checked. */
    char dir[] = "/tmp/sl-trend-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/old.json", dir);
    FILE *f = fopen(path, "w");
    fputs("{\"tool\":{},\"summary\":{},\"files\":[{\"path\":\"gone.txt\",\"documents\":[{\"id\":"
          "\"gone.txt\",\"findings\":[{\"rule\":\"test.meter\",\"message\":\"Meter gone\","
          "\"fingerprint\":\"aaaaaaaaaaaaaaaa\",\"line\":2,\"column\":1}]}]},"
          "{\"path\":\"other/empty.txt\",\"documents\":[{\"id\":\"other/empty.txt\","
          "\"findings\":[{\"rule\":\"test.meter\",\"message\":\"Meter unscanned\","
          "\"fingerprint\":\"bbbbbbbbbbbbbbbb\",\"line\":3,\"column\":1}]}]}]}",
          f);
    fclose(f);
    sl_baseline *old = NULL;
    sl_diag d = {{0}};
    ck_assert_int_eq(sl_baseline_load(path, &old, &d), SL_OK);
    sl_report *md = make_report("markdown", NULL, old);
    char *out = render(md, NULL);
    ck_assert_ptr_nonnull(strstr(out, "**3 new**, **1 fixed**"));
    ck_assert_ptr_nonnull(strstr(out, "Meter gone"));
    ck_assert_ptr_null(strstr(out, "Meter unscanned"));
    free(out);
    sl_report_free(md);
    sl_report *html = make_report("html", NULL, old);
    out = render(html, NULL);
    ck_assert_ptr_nonnull(strstr(out, "\"trend\":{\"new\":3,\"fixedCount\":1"));
    free(out);
    sl_report_free(html);
    sl_baseline_free(old);
    unlink(path);
    rmdir(dir);
}
END_TEST

/* ---------------------------------------------------------------- failed writes */

START_TEST(full_disk_fails_every_format)
{
    if (access("/dev/full", W_OK) != 0)
        return;
    const char *fmts[] = {"json", "jsonl", "junit", "sarif", "html", "csv", "markdown"};
    for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
        sl_report *rep = make_report(fmts[i], NULL, NULL);
        FILE *full = fopen("/dev/full", "w");
        sl_diag d = {{0}};
        ck_assert_msg(sl_report_write(rep, full, &d) == SL_EIO, "%s", fmts[i]);
        ck_assert_msg(strstr(d.message, "No space left on device") != NULL, "%s: %s", fmts[i],
                      d.message);
        fclose(full);
        sl_report_free(rep);
    }
}
END_TEST

/* ---------------------------------------------------------------- spool */

/* A report keeps its documents in memory while they are few and in an
 * unlinked temporary file past 1 MB. Both must render the same bytes in
 * every format, leave nothing behind, and need no temporary file at all
 * when none can be made. */
static char *render_feed(const char *format, const char *tmpdir, sl_ruleset *rs,
                         sl_file_result *const *res, size_t n)
{
    setenv("TMPDIR", tmpdir, 1);
    sl_report *rep = NULL;
    ck_assert_int_eq(sl_report_new(format, &rep), SL_OK);
    ck_assert_int_eq(sl_report_set_ruleset(rep, rs), SL_OK);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(sl_report_add(rep, res[i]), SL_OK);
    char *out = render(rep, NULL);
    /* Rendering twice reads the spool twice. */
    char *again = render(rep, NULL);
    ck_assert_str_eq(out, again);
    free(again);
    sl_report_free(rep);
    unsetenv("TMPDIR");
    return out;
}

START_TEST(spooled_report_same_as_in_memory)
{
    /* JUnit's timestamp is the report's creation time. */
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    enum { NITEMS = 2500 };
    size_t cap = (size_t)NITEMS * 200, len = 0;
    char *feed = malloc(cap);
    for (int i = 0; i < NITEMS; i++)
        len += (size_t)snprintf(feed + len, cap - len,
                                "{\"id\":\"item-%d\",\"title\":\"Café story %d\","
                                "\"body\":\"Le café a dit {{free_limit}} à %d.\"}\n",
                                i, i, i);
    char dir[] = "/tmp/sl-spool-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    sl_ruleset *rs = load_pack();
    sl_scanner *sc = NULL;
    ck_assert_int_eq(sl_scanner_new(rs, NULL, &sc), SL_OK);
    sl_file_result *res[3];
    for (int i = 0; i < 3; i++) {
        char path[64];
        snprintf(path, sizeof path, "feeds/part-%d.jsonl", i);
        ck_assert_int_eq(sl_scan_buffer(sc, path, feed, len, &res[i]), SL_OK);
    }
    const char *fmts[] = {"json", "jsonl", "junit", "sarif", "html", "csv", "markdown"};
    for (size_t k = 0; k < sizeof fmts / sizeof fmts[0]; k++) {
        char *spilled = render_feed(fmts[k], dir, rs, res, 3);
        char *in_memory = render_feed(fmts[k], "/nonexistent/dir", rs, res, 3);
        ck_assert_msg(strcmp(spilled, in_memory) == 0, "%s differs", fmts[k]);
        if (strcmp(fmts[k], "json") == 0) {
            json_error_t err;
            json_t *root = json_loads(spilled, 0, &err);
            ck_assert_msg(root != NULL, "%s", err.text);
            json_t *files = json_object_get(root, "files");
            ck_assert_uint_eq(json_array_size(files), 3);
            json_t *docs = json_object_get(json_array_get(files, 2), "documents");
            ck_assert_uint_eq(json_array_size(docs), NITEMS);
            json_t *last = json_array_get(docs, NITEMS - 1);
            char want[64];
            snprintf(want, sizeof want, "feeds/part-2.jsonl#item-%d", NITEMS - 1);
            ck_assert_str_eq(json_string_value(json_object_get(last, "id")), want);
            ck_assert_uint_eq(json_array_size(json_object_get(last, "findings")), 1);
            ck_assert_int_eq(
                json_integer_value(json_object_get(json_object_get(root, "summary"), "findings")),
                3 * NITEMS);
            json_decref(root);
        }
        free(spilled);
        free(in_memory);
    }
    /* The temporary file was unlinked as soon as it was made. */
    ck_assert_int_eq(rmdir(dir), 0);
    for (int i = 0; i < 3; i++)
        sl_file_result_free(res[i]);
    sl_scanner_free(sc);
    sl_ruleset_free(rs);
    free(feed);
}
END_TEST

/* ---------------------------------------------------------------- a document at a time */

typedef struct collected {
    sl_doc_result *d;
    size_t n, cap;
} collected;

static sl_status collect(void *user, const char *path, sl_doc_result *doc)
{
    collected *c = user;
    ck_assert_str_eq(path, "feed.jsonl");
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 64;
        c->d = realloc(c->d, c->cap * sizeof *c->d);
        ck_assert_ptr_nonnull(c->d);
    }
    c->d[c->n++] = *doc;
    memset(doc, 0, sizeof *doc);
    return SL_OK;
}

static void collected_free(collected *c)
{
    for (size_t i = 0; i < c->n; i++)
        sl_doc_result_clear(&c->d[i]);
    free(c->d);
    memset(c, 0, sizeof *c);
}

static char *jsonl_feed(int n, const char *extra, size_t *len)
{
    size_t cap = (size_t)n * 160 + 256, used = 0;
    char *feed = malloc(cap);
    for (int i = 0; i < n; i++)
        used += (size_t)snprintf(feed + used, cap - used,
                                 "{\"id\":\"n%d\",\"title\":\"Story %d\",\"body\":\"%s\"}\n", i, i,
                                 i % 3 ? "A quiet day." : "Read {{free_limit}} more.");
    if (extra)
        used += (size_t)snprintf(feed + used, cap - used, "%s", extra);
    *len = used;
    return feed;
}

static sl_file_result *scan_feed(sl_ruleset *rs, const char *feed, size_t len, size_t max_docs,
                                 collected *c)
{
    sl_scan_options opt = {0};
    opt.max_documents = max_docs;
    sl_scanner *sc = NULL;
    ck_assert_int_eq(sl_scanner_new(rs, &opt, &sc), SL_OK);
    if (c)
        sl_scanner_set_doc_cb(sc, collect, c);
    sl_file_result *r = NULL;
    ck_assert_int_eq(sl_scan_buffer(sc, "feed.jsonl", feed, len, &r), SL_OK);
    sl_scanner_free(sc);
    return r;
}

/* The callback gets every document, in order, and the same results as
 * without it; a report built a document at a time is the same report. */
START_TEST(documents_handed_over_one_at_a_time)
{
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    sl_ruleset *rs = load_pack();
    size_t len;
    char *feed = jsonl_feed(2000, NULL, &len);
    sl_file_result *whole = scan_feed(rs, feed, len, 0, NULL);
    collected c = {0};
    sl_file_result *rest = scan_feed(rs, feed, len, 0, &c);
    ck_assert_uint_eq(whole->ndocs, 2000);
    ck_assert_uint_eq(c.n, 2000);
    ck_assert_uint_eq(rest->ndocs, 0);
    ck_assert_int_eq(rest->verdict, whole->verdict);
    ck_assert_int_eq(rest->verdict, SL_FAIL);
    for (size_t i = 0; i < c.n; i++) {
        ck_assert_str_eq(c.d[i].id, whole->docs[i].id);
        ck_assert_int_eq(c.d[i].verdict, whole->docs[i].verdict);
        ck_assert_uint_eq(c.d[i].nfindings, whole->docs[i].nfindings);
        for (size_t k = 0; k < c.d[i].nfindings; k++)
            ck_assert_str_eq(c.d[i].findings[k].fingerprint,
                             whole->docs[i].findings[k].fingerprint);
    }
    const char *fmts[] = {"json", "jsonl", "sarif", "junit", "csv", "markdown", "html"};
    for (size_t f = 0; f < sizeof fmts / sizeof fmts[0]; f++) {
        sl_report *a = NULL, *b = NULL;
        ck_assert_int_eq(sl_report_new(fmts[f], &a), SL_OK);
        ck_assert_int_eq(sl_report_new(fmts[f], &b), SL_OK);
        ck_assert_int_eq(sl_report_add(a, whole), SL_OK);
        for (size_t i = 0; i < c.n; i++)
            ck_assert_int_eq(sl_report_add_doc(b, rest->path, &c.d[i]), SL_OK);
        ck_assert_int_eq(sl_report_end_file(b, rest), SL_OK);
        char *ra = render(a, NULL), *rb = render(b, NULL);
        ck_assert_msg(strcmp(ra, rb) == 0, "%s differs", fmts[f]);
        free(ra);
        free(rb);
        sl_report_free(a);
        sl_report_free(b);
    }
    sl_file_result_free(whole);
    sl_file_result_free(rest);
    collected_free(&c);
    free(feed);
    sl_ruleset_free(rs);
}
END_TEST

/* An inline directive anywhere can change any document: such a file is
 * kept whole. A limit hands over what was judged and keeps its ERROR
 * document in the result. */
START_TEST(documents_kept_whole_or_cut_at_a_limit)
{
    sl_ruleset *rs = load_pack();
    size_t len;
    char *feed = jsonl_feed(
        50, "{\"id\":\"d\",\"body\":\"x\\nsyndlint-disable test.mustache: known\"}\n", &len);
    collected c = {0};
    sl_file_result *r = scan_feed(rs, feed, len, 0, &c);
    ck_assert_uint_eq(c.n, 0);
    ck_assert_uint_eq(r->ndocs, 51);
    sl_file_result_free(r);
    free(feed);

    feed = jsonl_feed(300, NULL, &len);
    r = scan_feed(rs, feed, len, 120, &c);
    ck_assert_uint_eq(c.n, 120);
    ck_assert_uint_eq(r->ndocs, 1);
    ck_assert_int_eq(r->verdict, SL_ERROR);
    ck_assert_ptr_nonnull(r->error);
    ck_assert_ptr_nonnull(strstr(r->docs[0].id, "#limit"));
    ck_assert_ptr_nonnull(strstr(r->error, "the first 120 were scanned"));
    sl_file_result_free(r);
    collected_free(&c);
    free(feed);
    sl_ruleset_free(rs);
}
END_TEST

static Suite *reports_suite(void)
{
    Suite *s = suite_create("reports");
    TCase *tc = tcase_create("formats");
    /* The spool test renders 7,500 documents 28 times; sanitizers are slow. */
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, formats_known);
    tcase_add_test(tc, csv_round_trips);
    tcase_add_test(tc, junit_structure);
    tcase_add_test(tc, sarif_structure);
    tcase_add_test(tc, html_self_contained_and_inert);
    tcase_add_test(tc, html_context_from_source);
    tcase_add_test(tc, markdown_summary);
    tcase_add_test(tc, markdown_documents_apart);
    tcase_add_test(tc, markdown_cut_off);
    tcase_add_test(tc, jsonl_lines);
    tcase_add_test(tc, dense_document_streamed);
    tcase_add_test(tc, full_disk_fails_every_format);
    tcase_add_test(tc, spooled_report_same_as_in_memory);
    tcase_add_test(tc, documents_handed_over_one_at_a_time);
    tcase_add_test(tc, documents_kept_whole_or_cut_at_a_limit);
    suite_add_tcase(s, tc);
    TCase *tb = tcase_create("baselines");
    tcase_add_test(tb, baseline_accepts_known_findings);
    tcase_add_test(tb, baseline_rejects_other_files);
    tcase_add_test(tb, trend_new_and_fixed);
    suite_add_tcase(s, tb);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(reports_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
