/*
 * Baselines: the findings of an earlier JSON report, looked up by
 * fingerprint. A fingerprint leaves out the line number (DESIGN.md), so a
 * finding keeps its identity when text above it moves; that is what lets a
 * baseline accept yesterday's known findings and fail only on new ones.
 *
 * jansson reads the report; anything that is not the contract's shape is
 * refused with the place it went wrong, rather than half-used.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "syndlint/syndlint.h"
#include "util/buf.h"
#include "util/strv.h"
#include "util/diag.h"

struct sl_baseline {
    sl_baseline_entry *items; /* strings owned */
    size_t n;
    const char **sorted; /* fingerprints, sorted, for lookups; borrowed from items */
    sl_strv judged;      /* ids of the documents the report judged (not ERROR) */
    sl_strv errored;     /* paths of the files it lists as ERROR */
};

void sl_baseline_free(sl_baseline *bl)
{
    if (!bl)
        return;
    for (size_t i = 0; i < bl->n; i++) {
        sl_baseline_entry *e = &bl->items[i];
        free((char *)e->path);
        free((char *)e->doc_id);
        free((char *)e->rule);
        free((char *)e->category);
        free((char *)e->message);
        free((char *)e->match);
        free((char *)e->fingerprint);
    }
    free(bl->items);
    free(bl->sorted);
    sl_strv_clear(&bl->judged);
    sl_strv_clear(&bl->errored);
    free(bl);
}

size_t sl_baseline_count(const sl_baseline *bl)
{
    return bl ? bl->n : 0;
}

const sl_baseline_entry *sl_baseline_entry_at(const sl_baseline *bl, size_t i)
{
    return bl && i < bl->n ? &bl->items[i] : NULL;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int sl_baseline_has(const sl_baseline *bl, const char *fingerprint)
{
    if (!bl || !fingerprint || !bl->n)
        return 0;
    return bsearch(&fingerprint, bl->sorted, bl->n, sizeof *bl->sorted, cmp_str) != NULL;
}

int sl_baseline_unchecked(const sl_baseline *bl, const char *path, const char *doc_id)
{
    if (!bl)
        return 0;
    return sl_strv_has(&bl->errored, path) && !sl_strv_has(&bl->judged, doc_id ? doc_id : path);
}

void sl_baseline_apply(const sl_baseline *bl, sl_file_result *res, sl_severity fail_on)
{
    if (!bl || !res)
        return;
    if (!fail_on)
        fail_on = SL_SEV_ERROR;
    sl_verdict worst = SL_PASS;
    for (size_t i = 0; i < res->ndocs; i++) {
        sl_doc_result *d = &res->docs[i];
        int fails = 0;
        for (size_t k = 0; k < d->nfindings; k++) {
            sl_finding *f = &d->findings[k];
            f->baseline = sl_baseline_has(bl, f->fingerprint);
            if (!f->baseline && !f->suppressed && f->severity >= fail_on)
                fails = 1;
        }
        if (d->verdict != SL_ERROR)
            d->verdict = fails ? SL_FAIL : SL_PASS;
        if (d->verdict > worst)
            worst = d->verdict;
    }
    /* A file without documents, or with an error of its own, stays ERROR. */
    if (res->verdict != SL_ERROR || (!res->error && res->ndocs))
        res->verdict = worst;
}

/* A string member, copied; NULL (and *ok kept) when absent or not a string. */
static const char *opt_str(json_t *obj, const char *key, int *ok)
{
    const char *s = json_string_value(json_object_get(obj, key));
    if (!s)
        return NULL;
    char *c = sl_strdup(s);
    if (!c)
        *ok = 0;
    return c;
}

static sl_status bad_shape(sl_diag *diag, const char *path, const char *what, size_t file,
                           size_t doc, size_t finding)
{
    if (finding != (size_t)-1)
        return sl_diag_set(
            diag, SL_EINPUT, path, 0, 0, NULL,
            "not a syndlint JSON report: files[%zu].documents[%zu].findings[%zu]: %s", file, doc,
            finding, what);
    if (doc != (size_t)-1)
        return sl_diag_set(diag, SL_EINPUT, path, 0, 0, NULL,
                           "not a syndlint JSON report: files[%zu].documents[%zu]: %s", file, doc,
                           what);
    if (file != (size_t)-1)
        return sl_diag_set(diag, SL_EINPUT, path, 0, 0, NULL,
                           "not a syndlint JSON report: files[%zu]: %s", file, what);
    return sl_diag_set(diag, SL_EINPUT, path, 0, 0, NULL, "not a syndlint JSON report: %s", what);
}

sl_status sl_baseline_load(const char *path, sl_baseline **out, sl_diag *diag)
{
    sl_status st = SL_OK;
    *out = NULL;
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    sl_baseline *bl = calloc(1, sizeof *bl);
    size_t cap = 0;
    if (!bl) {
        st = SL_ENOMEM;
        goto cleanup;
    }
    if (!root) {
        if (json_error_code(&jerr) == json_error_cannot_open_file)
            st = sl_diag_set(diag, SL_EIO, path, 0, 0, NULL, "%s", jerr.text);
        else
            st = sl_diag_set(diag, SL_EINPUT, path, (unsigned)jerr.line, (unsigned)jerr.column,
                             NULL, "not valid JSON: %s", jerr.text);
        goto cleanup;
    }
    json_t *files = json_object_get(root, "files");
    if (!json_is_object(root) || !json_is_array(files) ||
        !json_is_object(json_object_get(root, "summary"))) {
        st = bad_shape(diag, path, "no \"summary\" object and \"files\" array", (size_t)-1,
                       (size_t)-1, (size_t)-1);
        goto cleanup;
    }
    size_t fi, di, ki;
    json_t *file, *doc, *f;
    json_array_foreach(files, fi, file)
    {
        json_t *docs = json_object_get(file, "documents");
        const char *fpath = json_string_value(json_object_get(file, "path"));
        if (!fpath || !json_is_array(docs)) {
            st = bad_shape(diag, path, "no \"path\" string and \"documents\" array", fi, (size_t)-1,
                           (size_t)-1);
            goto cleanup;
        }
        const char *fverdict = json_string_value(json_object_get(file, "verdict"));
        if (fverdict && strcmp(fverdict, "ERROR") == 0 && !sl_strv_push(&bl->errored, fpath)) {
            st = SL_ENOMEM;
            goto cleanup;
        }
        json_array_foreach(docs, di, doc)
        {
            json_t *fs = json_object_get(doc, "findings");
            if (!json_is_array(fs)) {
                st = bad_shape(diag, path, "no \"findings\" array", fi, di, (size_t)-1);
                goto cleanup;
            }
            /* A document judged PASS or FAIL; an ERROR one was not checked. */
            const char *id = json_string_value(json_object_get(doc, "id"));
            const char *verdict = json_string_value(json_object_get(doc, "verdict"));
            if (id && verdict && strcmp(verdict, "ERROR") != 0 && !sl_strv_push(&bl->judged, id)) {
                st = SL_ENOMEM;
                goto cleanup;
            }
            json_array_foreach(fs, ki, f)
            {
                if (!json_is_string(json_object_get(f, "fingerprint")) ||
                    !json_is_string(json_object_get(f, "rule"))) {
                    st = bad_shape(diag, path, "no \"rule\" and \"fingerprint\" strings", fi, di,
                                   ki);
                    goto cleanup;
                }
                if (bl->n == cap) {
                    size_t ncap = cap ? 2 * cap : 64;
                    sl_baseline_entry *p = realloc(bl->items, ncap * sizeof *p);
                    if (!p) {
                        st = SL_ENOMEM;
                        goto cleanup;
                    }
                    bl->items = p;
                    cap = ncap;
                }
                sl_baseline_entry *e = &bl->items[bl->n++];
                memset(e, 0, sizeof *e);
                int ok = 1;
                e->path = sl_strdup(fpath);
                e->doc_id = opt_str(doc, "id", &ok);
                e->rule = opt_str(f, "rule", &ok);
                e->category = opt_str(f, "category", &ok);
                e->message = opt_str(f, "message", &ok);
                e->match = opt_str(f, "match", &ok);
                e->fingerprint = opt_str(f, "fingerprint", &ok);
                const char *sev = json_string_value(json_object_get(f, "severity"));
                if (!sev || !sl_severity_parse(sev, &e->severity))
                    e->severity = SL_SEV_ERROR;
                json_int_t line = json_integer_value(json_object_get(f, "line"));
                json_int_t col = json_integer_value(json_object_get(f, "column"));
                e->line = line > 0 && line < (json_int_t)1 << 31 ? (unsigned)line : 0;
                e->column = col > 0 && col < (json_int_t)1 << 31 ? (unsigned)col : 0;
                if (!ok || !e->path) {
                    st = SL_ENOMEM;
                    goto cleanup;
                }
            }
        }
    }
    bl->sorted = malloc((bl->n ? bl->n : 1) * sizeof *bl->sorted);
    if (!bl->sorted) {
        st = SL_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < bl->n; i++)
        bl->sorted[i] = bl->items[i].fingerprint;
    qsort(bl->sorted, bl->n, sizeof *bl->sorted, cmp_str);
    sl_strv_sort(&bl->judged);
    sl_strv_sort(&bl->errored);
    *out = bl;
    bl = NULL;
cleanup:
    if (st == SL_ENOMEM)
        sl_diag_set(diag, st, path, 0, 0, NULL, "out of memory reading the report");
    json_decref(root);
    sl_baseline_free(bl);
    return st;
}
