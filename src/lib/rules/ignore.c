/*
 * The central ignore file (syndlint-ignore.yaml):
 *
 *   ignore:
 *     - fingerprint: 3f1c0a9e5b7d2c41
 *       reason: quoted in a media-criticism piece
 *     - path: archive/2019-*
 *       rule: paywall            # a rule id or a category
 *       reason: the archive keeps pages as they were published
 *       expires: 2026-12-31
 *
 * Validated as strictly as a rule pack (unknown keys, wrong types, missing
 * reasons and bad dates are file:line:col errors), because an ignore file
 * that silently accepts a typo accepts findings nobody meant to accept.
 * An entry past its expiry date stays loaded but suppresses nothing, so
 * the caller can say which entries need a decision again.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eval/suppress.h"
#include "rules/loader.h"
#include "util/buf.h"
#include "util/diag.h"

/* A fingerprint entry under its fingerprint. */
typedef struct fp_ref {
    const char *fp;
    size_t i; /* index in items */
} fp_ref;

struct sl_ignore {
    char *path;             /* owned: where it was loaded from */
    sl_ignore_entry *items; /* strings owned */
    size_t n;
    /* The entries in effect, indexed: fingerprint entries sorted by
     * fingerprint (then by place), the path and rule entries in order. An
     * ignore file of thousands of accepted fingerprints then costs a binary
     * search per finding, not a pass over the file. */
    fp_ref *by_fp; /* owned */
    size_t nfp;
    size_t *globs; /* owned */
    size_t nglobs;
};

void sl_ignore_free(sl_ignore *ig)
{
    if (!ig)
        return;
    for (size_t i = 0; i < ig->n; i++) {
        sl_ignore_entry *e = &ig->items[i];
        free((char *)e->fingerprint);
        free((char *)e->path);
        free((char *)e->rule);
        free((char *)e->reason);
        free((char *)e->expires);
    }
    free(ig->items);
    free(ig->path);
    free(ig->by_fp);
    free(ig->globs);
    free(ig);
}

static int fp_cmp(const void *a, const void *b)
{
    const fp_ref *x = a, *y = b;
    int r = strcmp(x->fp, y->fp);
    return r ? r : x->i < y->i ? -1 : x->i > y->i;
}

/* Builds the index of the entries in effect (see struct sl_ignore). */
static sl_status index_entries(sl_ignore *ig)
{
    ig->by_fp = malloc((ig->n + 1) * sizeof *ig->by_fp);
    ig->globs = malloc((ig->n + 1) * sizeof *ig->globs);
    if (!ig->by_fp || !ig->globs)
        return SL_ENOMEM;
    for (size_t i = 0; i < ig->n; i++) {
        const sl_ignore_entry *e = &ig->items[i];
        if (e->expired)
            continue;
        if (e->fingerprint)
            ig->by_fp[ig->nfp++] = (fp_ref){e->fingerprint, i};
        else
            ig->globs[ig->nglobs++] = i;
    }
    if (ig->nfp)
        qsort(ig->by_fp, ig->nfp, sizeof *ig->by_fp, fp_cmp);
    return SL_OK;
}

size_t sl_ignore_count(const sl_ignore *ig)
{
    return ig ? ig->n : 0;
}

const sl_ignore_entry *sl_ignore_entry_at(const sl_ignore *ig, size_t i)
{
    return ig && i < ig->n ? &ig->items[i] : NULL;
}

const char *sl_ignore_path(const sl_ignore *ig)
{
    return ig ? ig->path : NULL;
}

/* A real calendar date spelled YYYY-MM-DD. */
static int valid_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return 0;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 0;
    return 1;
}

static sl_status dup_opt(const char *s, const char **out)
{
    *out = NULL;
    if (!s)
        return SL_OK;
    *out = sl_strdup(s);
    return *out ? SL_OK : SL_ENOMEM;
}

static const char *const entry_keys[] = {"fingerprint", "path", "rule", "reason", "expires", NULL};
static const char *const top_keys[] = {"ignore", NULL};

sl_status sl_ignore_load(const char *path, const char *today, sl_ignore **out, sl_diag *diag)
{
    *out = NULL;
    yaml_document_t doc;
    sl_status st = sl_yaml_load(path, &doc, diag);
    if (st != SL_OK)
        return st;
    char now[16];
    if (!today) {
        time_t t = time(NULL);
        struct tm tm;
        localtime_r(&t, &tm);
        strftime(now, sizeof now, "%Y-%m-%d", &tm);
        today = now;
    }
    sl_ignore *ig = calloc(1, sizeof *ig);
    if (!ig || !(ig->path = sl_strdup(path))) {
        st = SL_ENOMEM;
        goto cleanup;
    }
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root)
        goto done; /* an empty file ignores nothing */
    if ((st = sl_ycheck_map(&doc, root, top_keys, "an ignore file", path, NULL, diag)) != SL_OK)
        goto cleanup;
    yaml_node_t *list = sl_yget(&doc, root, "ignore", NULL);
    if (!list || (list->type == YAML_SCALAR_NODE && !sl_yis_text(list)))
        goto done;
    if (list->type != YAML_SEQUENCE_NODE) {
        st = sl_yerr(diag, path, list, NULL, "'ignore' must be a list of entries, not %s",
                     sl_ytype(list));
        goto cleanup;
    }
    size_t n = (size_t)(list->data.sequence.items.top - list->data.sequence.items.start);
    ig->items = calloc(n ? n : 1, sizeof *ig->items);
    if (!ig->items) {
        st = SL_ENOMEM;
        goto cleanup;
    }
    for (yaml_node_item_t *it = list->data.sequence.items.start; it < list->data.sequence.items.top;
         it++) {
        yaml_node_t *m = sl_ynode(&doc, *it);
        if ((st = sl_ycheck_map(&doc, m, entry_keys, "an ignore entry", path, NULL, diag)) != SL_OK)
            goto cleanup;
        const char *v[5] = {0};
        yaml_node_t *vn[5] = {0};
        for (int k = 0; k < 5; k++) {
            vn[k] = sl_yget(&doc, m, entry_keys[k], NULL);
            if (!vn[k])
                continue;
            if (vn[k]->type != YAML_SCALAR_NODE || !sl_yis_text(vn[k])) {
                st = sl_yerr(diag, path, vn[k], NULL, "'%s' must be a string, not %s",
                             entry_keys[k], sl_ytype(vn[k]));
                goto cleanup;
            }
            v[k] = sl_ystr(vn[k]);
            if (!v[k][0]) {
                st = sl_yerr(diag, path, vn[k], NULL, "'%s' is empty", entry_keys[k]);
                goto cleanup;
            }
        }
        if (!v[3]) {
            st = sl_yerr(diag, path, m, NULL,
                         "an ignore entry needs a 'reason': say why the finding is accepted");
            goto cleanup;
        }
        if (v[0] && (v[1] || v[2])) {
            st = sl_yerr(diag, path, m, NULL,
                         "an ignore entry names either a 'fingerprint' or a 'path' and a "
                         "'rule', not both");
            goto cleanup;
        }
        if (!v[0] && !(v[1] && v[2])) {
            st = sl_yerr(diag, path, m, NULL,
                         "an ignore entry needs a 'fingerprint', or a 'path' glob and a 'rule'");
            goto cleanup;
        }
        if (v[4] && !valid_date(v[4])) {
            st = sl_yerr(diag, path, vn[4], NULL, "'expires' must be a date YYYY-MM-DD, not '%s'",
                         v[4]);
            goto cleanup;
        }
        sl_ignore_entry *e = &ig->items[ig->n++];
        e->line = sl_yline(m);
        if (dup_opt(v[0], &e->fingerprint) || dup_opt(v[1], &e->path) || dup_opt(v[2], &e->rule) ||
            dup_opt(v[3], &e->reason) || dup_opt(v[4], &e->expires)) {
            st = SL_ENOMEM;
            goto cleanup;
        }
        e->expired = e->expires && strcmp(e->expires, today) < 0;
    }
done:
    if ((st = index_entries(ig)) != SL_OK)
        goto cleanup;
    *out = ig;
    ig = NULL;
cleanup:
    if (st == SL_ENOMEM)
        sl_diag_set(diag, st, path, 0, 0, NULL, "out of memory reading the ignore file");
    sl_ignore_free(ig);
    yaml_document_delete(&doc);
    return st;
}

static int entry_covers(const sl_ignore_entry *e, const char *path, const sl_finding *f)
{
    if (e->expired)
        return 0;
    if (e->fingerprint)
        return f->fingerprint && strcmp(e->fingerprint, f->fingerprint) == 0;
    if (strcmp(e->rule, f->rule) != 0 && strcmp(e->rule, f->category) != 0)
        return 0;
    if (fnmatch(e->path, path, 0) == 0)
        return 1;
    /* "./a.txt" on the command line, "a.txt" in the file (or the reverse). */
    const char *p = path;
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    const char *g = e->path;
    while (g[0] == '.' && g[1] == '/')
        g += 2;
    return fnmatch(g, p, 0) == 0;
}

/* The first entry in effect (in file order) that covers f, or NULL. */
static const sl_ignore_entry *first_cover(const sl_ignore *ig, const char *path,
                                          const sl_finding *f)
{
    size_t first = ig->n;
    if (f->fingerprint && ig->nfp) {
        size_t lo = 0, hi = ig->nfp;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (strcmp(ig->by_fp[mid].fp, f->fingerprint) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < ig->nfp && strcmp(ig->by_fp[lo].fp, f->fingerprint) == 0)
            first = ig->by_fp[lo].i;
    }
    for (size_t k = 0; k < ig->nglobs && ig->globs[k] < first; k++)
        if (entry_covers(&ig->items[ig->globs[k]], path, f))
            return &ig->items[ig->globs[k]];
    return first < ig->n ? &ig->items[first] : NULL;
}

sl_status sl_ignore_apply(const sl_ignore *ig, sl_file_result *res, sl_severity fail_on)
{
    if (!ig || !res)
        return SL_OK;
    for (size_t i = 0; i < res->ndocs; i++) {
        sl_doc_result *d = &res->docs[i];
        for (size_t k = 0; k < d->nfindings; k++) {
            sl_finding *f = &d->findings[k];
            if (f->suppressed)
                continue;
            const sl_ignore_entry *e = first_cover(ig, res->path, f);
            if (!e)
                continue;
            f->suppression_reason = sl_strdup(e->reason);
            if (!f->suppression_reason)
                return SL_ENOMEM;
            f->suppressed = SL_SUPPRESSED_IGNORE;
        }
    }
    sl_result_decide(res, fail_on);
    return SL_OK;
}
