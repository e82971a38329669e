/*
 * Rule examples as tests. Every example becomes a document of its own kind
 * (plain text, HTML or Markdown, with the title and metadata it names) and
 * is evaluated against the whole default profile, so that conditions on
 * other rules behave exactly as in a real scan. A fail example must give a
 * finding of the rule (for a detect rule: the rule must match), a pass
 * example must not.
 */
#include <stdlib.h>
#include <string.h>

#include "eval/scanner.h"
#include "input/input.h"
#include "util/buf.h"
#include "util/diag.h"

/* Lays an example out as one source buffer and builds its document. The
 * source holds the body (or markup) first, then the title and each meta
 * value on lines of their own, so every field maps into it. */
static sl_status example_load(const sl_example *ex, const char *id, sl_source *src,
                              sl_doclist *docs, sl_diag *diag)
{
    sl_status st = SL_OK;
    sl_buf b = SL_BUF_INIT;
    const char *main = ex->html ? ex->html : ex->markdown ? ex->markdown : ex->body ? ex->body : "";
    size_t main_len = strlen(main);
    size_t title_off = 0;
    size_t *meta_off = NULL;
    if ((st = sl_buf_append(&b, main, main_len)) != SL_OK)
        goto cleanup;
    if (ex->title) {
        sl_buf_putc(&b, '\n');
        title_off = b.len;
        sl_buf_puts(&b, ex->title);
    }
    if (ex->nmeta) {
        meta_off = calloc(ex->nmeta, sizeof *meta_off);
        if (!meta_off) {
            st = SL_ENOMEM;
            goto cleanup;
        }
    }
    for (size_t i = 0; i < ex->nmeta; i++) {
        sl_buf_putc(&b, '\n');
        meta_off[i] = b.len;
        st = sl_buf_puts(&b, ex->meta_values[i]);
        if (st != SL_OK)
            goto cleanup;
    }
    size_t len = b.len;
    char *data = sl_buf_steal(&b);
    if (!data) {
        st = SL_ENOMEM;
        goto cleanup;
    }
    st = sl_source_init(src, id, data, len);
    if (st != SL_OK)
        goto cleanup;

    /* The loaders see only the main part, as a file of that kind. */
    sl_source part = *src;
    part.len = main_len;
    if (ex->html)
        st = sl_load_html(&part, docs, diag);
    else if (ex->markdown)
        st = sl_load_markdown(&part, docs, diag);
    else {
        sl_document *d = NULL;
        st = sl_doclist_add(docs, id, &d);
        if (st == SL_OK)
            st = sl_field_append_span(&d->body, main, main_len, 0);
        if (st == SL_OK)
            st = sl_field_append_span(&d->raw, main, main_len, 0);
        if (st == SL_OK)
            st = sl_field_append_span(&d->page, main, main_len, 0);
    }
    if (st != SL_OK)
        goto cleanup;
    if (docs->ndocs == 0) {
        st = sl_diag_set(diag, SL_EINPUT, NULL, 0, 0, NULL, "example produced no document");
        goto cleanup;
    }
    sl_document *d = &docs->docs[0];
    if (ex->title) {
        sl_field_clear(&d->title);
        st = sl_field_append_span(&d->title, ex->title, strlen(ex->title), title_off);
        if (st != SL_OK)
            goto cleanup;
    }
    for (size_t i = 0; i < ex->nmeta; i++) {
        sl_field *f = NULL;
        st = sl_document_add_meta(d, ex->meta_names[i], &f);
        if (st == SL_OK)
            st = sl_field_append_span(f, ex->meta_values[i], strlen(ex->meta_values[i]),
                                      meta_off[i]);
        if (st != SL_OK)
            goto cleanup;
    }
cleanup:
    free(meta_off);
    sl_buf_free(&b);
    return st;
}

static sl_status run_example(sl_scanner *sc, const sl_profile *p, size_t ri, const sl_example *ex,
                             int want_finding, int *ok, char **detail)
{
    const sl_rule *r = &p->rules[ri];
    sl_source src;
    memset(&src, 0, sizeof src);
    sl_doclist docs = {0};
    sl_diag diag = {{0}};
    sl_doc_result res;
    memset(&res, 0, sizeof res);
    unsigned char *outcomes = calloc(p->nrules ? p->nrules : 1, 1);
    sl_buf b = SL_BUF_INIT;
    sl_status st = outcomes ? SL_OK : SL_ENOMEM;
    *ok = 0;
    *detail = NULL;
    if (st != SL_OK)
        goto cleanup;
    st = example_load(ex, r->id, &src, &docs, &diag);
    if (st == SL_EINPUT || st == SL_ELIMIT) {
        sl_buf_printf(&b, "example could not be loaded: %s", diag.message);
        st = SL_OK;
        goto cleanup;
    }
    if (st != SL_OK)
        goto cleanup;
    st = sl_eval_document(sc, p, &src, &docs.docs[0], (int)ri, &res, outcomes);
    if (st != SL_OK)
        goto cleanup;
    if (res.verdict == SL_ERROR) {
        sl_buf_printf(&b, "example could not be scanned: %s", res.error ? res.error : "");
        goto cleanup;
    }
    int got = 0;
    const sl_finding *first = NULL;
    if (r->check == SL_CHECK_DETECT) {
        got = outcomes[ri] != 0;
    } else {
        for (size_t i = 0; i < res.nfindings; i++) {
            if (strcmp(res.findings[i].rule, r->id) == 0) {
                got = 1;
                if (!first)
                    first = &res.findings[i];
            }
        }
    }
    *ok = got == want_finding;
    if (!*ok) {
        if (want_finding)
            sl_buf_printf(&b, "expected %s, got none",
                          r->check == SL_CHECK_DETECT ? "a match" : "a finding");
        else if (first)
            sl_buf_printf(&b, "unexpected finding at %u:%u: %s", first->line, first->column,
                          first->message);
        else
            sl_buf_puts(&b, "unexpected match");
    }
cleanup:
    if (b.len)
        *detail = sl_buf_steal(&b);
    sl_buf_free(&b);
    sl_doc_result_clear(&res);
    sl_doclist_clear(&docs);
    sl_source_clear(&src);
    free(outcomes);
    return st;
}

sl_status sl_ruleset_test(const sl_ruleset *rs, sl_example_cb cb, void *user, size_t *ntested,
                          size_t *nfailed, sl_diag *diag)
{
    sl_scanner *sc = NULL;
    sl_scan_options opt = {.fail_on = SL_SEV_INFO};
    size_t tested = 0, failed = 0;
    sl_status st = sl_scanner_new(rs, &opt, &sc);
    if (st != SL_OK)
        goto cleanup;
    const sl_profile *p = &rs->profiles[0];
    for (size_t ri = 0; ri < p->nrules; ri++) {
        const sl_rule *r = &p->rules[ri];
        for (int pass = 0; pass < 2; pass++) {
            const sl_example *exs = pass ? r->pass_examples : r->fail_examples;
            size_t n = pass ? r->npass : r->nfail;
            for (size_t i = 0; i < n; i++) {
                int ok = 0;
                char *detail = NULL;
                st = run_example(sc, p, ri, &exs[i], !pass, &ok, &detail);
                if (st != SL_OK) {
                    free(detail);
                    sl_diag_set(diag, st, r->file, exs[i].line, 0, r->id,
                                "example could not be run");
                    goto cleanup;
                }
                tested++;
                if (!ok)
                    failed++;
                if (cb)
                    cb(user, r->id, pass ? "pass" : "fail", i, ok, detail ? detail : "");
                free(detail);
            }
        }
    }
cleanup:
    sl_scanner_free(sc);
    if (ntested)
        *ntested = tested;
    if (nfailed)
        *nfailed = failed;
    return st;
}
