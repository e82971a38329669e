/* Unit tests: the scan command's document spool (src/cli/docspool.c), where
 * the results of a feed scanned ahead of the printer wait for their turn.
 * Every field of a document's result comes back as it went in, NULL
 * strings stay NULL, records come back in order, and a damaged spool is
 * reported rather than read short. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static char *sdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* A document result with `nf` findings, every field set and distinct. */
static void make_doc(sl_doc_result *d, int k, size_t nf)
{
    char buf[64];
    memset(d, 0, sizeof *d);
    snprintf(buf, sizeof buf, "feed.xml#item-%d", k);
    d->id = sdup(buf);
    d->title = k % 2 ? sdup("A title with \"quotes\" and UTF-8: café") : NULL;
    d->error = k % 3 == 2 ? sdup("item HTML nested more than 1000 levels deep") : NULL;
    d->verdict = k % 3 == 2 ? SL_ERROR : nf ? SL_FAIL : SL_PASS;
    d->nfindings = nf;
    d->findings = nf ? calloc(nf, sizeof *d->findings) : NULL;
    for (size_t i = 0; i < nf; i++) {
        sl_finding *f = &d->findings[i];
        f->rule = sdup("placeholder.mustache");
        f->category = sdup("placeholder");
        f->message = sdup("Unrendered template placeholder {{free_limit}}");
        f->scope = sdup(i % 2 ? "meta.author" : "body");
        f->match = sdup(i % 2 ? "" : "{{free_limit}}");
        f->fingerprint = sdup("7ac811684bf959bb");
        f->severity = i % 2 ? SL_SEV_WARNING : SL_SEV_ERROR;
        f->line = 1000 + (unsigned)i;
        f->column = 7 + (unsigned)k;
        f->baseline = (int)(i % 2);
        f->suppressed = i % 3 == 1 ? SL_SUPPRESSED_INLINE : i % 3 == 2 ? SL_SUPPRESSED_IGNORE : 0;
        f->suppression_reason = f->suppressed ? sdup("filled in by the CMS at publish time") : NULL;
    }
}

static void str_eq(const char *a, const char *b)
{
    if (!a || !b)
        ck_assert_ptr_eq(a, b);
    else
        ck_assert_str_eq(a, b);
}

static void doc_eq(const sl_doc_result *a, const sl_doc_result *b)
{
    str_eq(a->id, b->id);
    str_eq(a->title, b->title);
    str_eq(a->error, b->error);
    ck_assert_int_eq(a->verdict, b->verdict);
    ck_assert_uint_eq(a->nfindings, b->nfindings);
    for (size_t i = 0; i < a->nfindings; i++) {
        const sl_finding *x = &a->findings[i], *y = &b->findings[i];
        str_eq(x->rule, y->rule);
        str_eq(x->category, y->category);
        str_eq(x->message, y->message);
        str_eq(x->scope, y->scope);
        str_eq(x->match, y->match);
        str_eq(x->fingerprint, y->fingerprint);
        str_eq(x->suppression_reason, y->suppression_reason);
        ck_assert_int_eq(x->severity, y->severity);
        ck_assert_uint_eq(x->line, y->line);
        ck_assert_uint_eq(x->column, y->column);
        ck_assert_int_eq(x->baseline, y->baseline);
        ck_assert_int_eq(x->suppressed, y->suppressed);
    }
}

START_TEST(round_trip)
{
    enum { N = 300 };
    sl_doc_result *docs = calloc(N, sizeof *docs);
    ck_assert_ptr_nonnull(docs);
    for (int k = 0; k < N; k++)
        make_doc(&docs[k], k, (size_t)(k % 5));
    FILE *spool = NULL;
    /* In batches, as a queue is moved out each time it fills. */
    ck_assert_int_eq(cli_docspool_put(&spool, docs, 100), 1);
    ck_assert_ptr_nonnull(spool);
    ck_assert_int_eq(cli_docspool_put(&spool, docs + 100, N - 100), 1);
    ck_assert_int_eq(fseek(spool, 0, SEEK_SET), 0);
    for (int k = 0; k < N; k++) {
        sl_doc_result d;
        ck_assert_int_eq(cli_docspool_get(spool, &d), 1);
        doc_eq(&d, &docs[k]);
        sl_doc_result_clear(&d);
    }
    sl_doc_result end;
    ck_assert_int_eq(cli_docspool_get(spool, &end), 0);
    fclose(spool);
    for (int k = 0; k < N; k++)
        sl_doc_result_clear(&docs[k]);
    free(docs);
}
END_TEST

/* Cut anywhere inside its last record, a spool gives back the records
 * before it and then an error, never a document read short or the end. */
START_TEST(damaged)
{
    sl_doc_result docs[2];
    make_doc(&docs[0], 1, 2);
    make_doc(&docs[1], 2, 3);
    FILE *spool = NULL;
    ck_assert_int_eq(cli_docspool_put(&spool, docs, 1), 1);
    long first = ftell(spool);
    ck_assert_int_eq(cli_docspool_put(&spool, docs + 1, 1), 1);
    long whole = ftell(spool);
    ck_assert_int_gt(whole, first);
    char *bytes = malloc((size_t)whole);
    ck_assert_ptr_nonnull(bytes);
    ck_assert_int_eq(fseek(spool, 0, SEEK_SET), 0);
    ck_assert_uint_eq(fread(bytes, 1, (size_t)whole, spool), (size_t)whole);
    for (long cut = first + 1; cut < whole; cut++) {
        FILE *f = fmemopen(bytes, (size_t)cut, "r");
        ck_assert_ptr_nonnull(f);
        sl_doc_result d;
        ck_assert_int_eq(cli_docspool_get(f, &d), 1);
        doc_eq(&d, &docs[0]);
        sl_doc_result_clear(&d);
        ck_assert_int_eq(cli_docspool_get(f, &d), -1);
        ck_assert_ptr_null(d.id);
        ck_assert_uint_eq(d.nfindings, 0);
        fclose(f);
    }
    free(bytes);
    fclose(spool);
    sl_doc_result_clear(&docs[0]);
    sl_doc_result_clear(&docs[1]);
}
END_TEST

/* Without a place for a temporary file, nothing is written and the
 * caller keeps its documents. */
START_TEST(no_temp_dir)
{
    sl_doc_result d;
    make_doc(&d, 1, 1);
    const char *old = getenv("TMPDIR");
    char *saved = old ? strdup(old) : NULL;
    setenv("TMPDIR", "/nonexistent/syndlint-test", 1);
    FILE *spool = NULL;
    ck_assert_int_eq(cli_docspool_put(&spool, &d, 1), 0);
    ck_assert_ptr_null(spool);
    if (saved)
        setenv("TMPDIR", saved, 1);
    else
        unsetenv("TMPDIR");
    free(saved);
    ck_assert_str_eq(d.id, "feed.xml#item-1");
    sl_doc_result_clear(&d);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("docspool");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, round_trip);
    tcase_add_test(tc, damaged);
    tcase_add_test(tc, no_temp_dir);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
