/*
 * Inline suppressions. A directive is found in the raw source, whatever
 * the input type, in one of two spellings:
 *
 *   <!-- syndlint-disable RULE-OR-CATEGORY: reason -->   (HTML, Markdown, feeds)
 *   syndlint-disable RULE-OR-CATEGORY: reason             (a line of its own)
 *
 * with the verbs disable (until a matching enable, or the end of the file),
 * enable, and disable-next (the next line with content: the rest of the
 * comment's own line when something follows the comment there, else the
 * next non-blank line that is not itself a directive).
 *
 * Directives become ranges of source positions (line, column), the same
 * coordinates findings carry, so a finding in any scope of any document of
 * the file is covered when its position falls in a range. A directive
 * without a reason (or without a target) suppresses nothing and is itself
 * reported, so an unexplained "ignore this" can never slip into a gate.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eval/suppress.h"
#include "util/buf.h"
#include "util/hash.h"

enum { D_DISABLE, D_ENABLE, D_NEXT };

typedef struct directive {
    int kind;
    char *target; /* rule id or category; "" when none was given */
    char *reason; /* NULL when none was given */
    char *text;   /* the directive as written, for messages */
    unsigned line, col;
    unsigned end_col; /* column just past the comment (or the line) */
    /* Covered positions: from <= pos < to; to_line 0 is the end of file. */
    unsigned from_line, from_col, to_line, to_col;
    int used;
} directive;

typedef struct dlist {
    directive *d;
    size_t n, cap;
    unsigned char *dline; /* per line: 1 when the line holds only a directive */
    size_t nlines;
    size_t *starts; /* starts[ln]: offset of line ln (1-based), nstarts lines */
    size_t nstarts;
} dlist;

static const char *const verbs[] = {"disable-next", "disable", "enable"};
static const int verb_kind[] = {D_NEXT, D_DISABLE, D_ENABLE};

static unsigned chars_between(const char *a, const char *b)
{
    unsigned n = 0;
    for (; a < b; a++)
        n += ((unsigned char)*a & 0xC0) != 0x80;
    return n;
}

/* memmem, which C11 and POSIX leave out. */
static const char *find(const char *h, size_t n, const char *needle, size_t m)
{
    for (const char *p = h; m <= n && p <= h + (n - m); p++) {
        p = memchr(p, needle[0], (size_t)(h + (n - m) - p) + 1);
        if (!p)
            return NULL;
        if (memcmp(p, needle, m) == 0)
            return p;
    }
    return NULL;
}

int sl_suppress_marked(const char *data, size_t len)
{
    return find(data, len, "syndlint-", 9) != NULL;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static sl_status push(dlist *l, int kind, const char *target, size_t tlen, const char *reason,
                      size_t rlen, const char *text, size_t xlen, unsigned line, unsigned col,
                      unsigned end_col)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        directive *p = realloc(l->d, cap * sizeof *p);
        if (!p)
            return SL_ENOMEM;
        l->d = p;
        l->cap = cap;
    }
    directive *d = &l->d[l->n++];
    memset(d, 0, sizeof *d);
    d->kind = kind;
    d->target = sl_strndup(target, tlen);
    d->reason = reason ? sl_strndup(reason, rlen) : NULL;
    d->text = sl_strndup(text, xlen);
    d->line = line;
    d->col = col;
    d->end_col = end_col;
    if (!d->target || (reason && !d->reason) || !d->text)
        return SL_ENOMEM;
    return SL_OK;
}

/* Parses the directives of one line [s, e) (line number `line`). */
static sl_status parse_line(dlist *l, const char *s, const char *e, unsigned line)
{
    const char *p = s;
    while (p < e && is_space(*p))
        p++;
    const char *first = p;
    int only = 0;
    for (const char *q = s; q < e;) {
        const char *hit = find(q, (size_t)(e - q), "syndlint-", 9);
        if (!hit)
            break;
        q = hit + 9;
        /* Allowed: at the start of the line, or right inside "<!--". */
        const char *b = hit;
        while (b > s && is_space(b[-1]))
            b--;
        int in_comment = b - s >= 4 && memcmp(b - 4, "<!--", 4) == 0;
        if (hit != first && !in_comment)
            continue;
        int kind = -1;
        const char *v = hit + 9;
        for (size_t k = 0; k < sizeof verbs / sizeof verbs[0]; k++) {
            size_t vl = strlen(verbs[k]);
            if ((size_t)(e - v) >= vl && memcmp(v, verbs[k], vl) == 0 &&
                (v + vl == e || is_space(v[vl]) || v[vl] == ':' || v[vl] == '-')) {
                kind = verb_kind[k];
                v += vl;
                break;
            }
        }
        if (kind < 0)
            continue;
        /* The directive ends at "-->" when in a comment, else at the line end. */
        const char *stop = e;
        const char *close = in_comment ? find(v, (size_t)(e - v), "-->", 3) : NULL;
        if (close)
            stop = close;
        const char *x = stop;
        while (x > hit && is_space(x[-1]))
            x--;
        const char *text_end = x;
        const char *colon = memchr(v, ':', (size_t)(stop - v));
        const char *tend = colon ? colon : stop;
        const char *reason = NULL;
        size_t rlen = 0;
        if (colon) {
            reason = colon + 1;
            while (reason < stop && is_space(*reason))
                reason++;
            const char *re = stop;
            while (re > reason && is_space(re[-1]))
                re--;
            rlen = (size_t)(re - reason);
            if (rlen == 0)
                reason = NULL;
        }
        unsigned col = chars_between(s, in_comment ? b - 4 : hit) + 1;
        unsigned end_col = chars_between(s, close ? close + 3 : e) + 1;
        if (hit == first) {
            only = 1;
        } else if (b - 4 == first) {
            const char *r = close ? close + 3 : e;
            while (r < e && is_space(*r))
                r++;
            only = r == e;
        }
        /* Targets: one or more, separated by commas or spaces. */
        const char *t = v;
        int any = 0;
        sl_status st = SL_OK;
        while (t < tend && st == SL_OK) {
            while (t < tend && (is_space(*t) || *t == ','))
                t++;
            const char *te = t;
            while (te < tend && !is_space(*te) && *te != ',')
                te++;
            if (te > t) {
                st = push(l, kind, t, (size_t)(te - t), reason, rlen, hit, (size_t)(text_end - hit),
                          line, col, end_col);
                any = 1;
            }
            t = te;
        }
        if (st == SL_OK && !any)
            st = push(l, kind, "", 0, reason, rlen, hit, (size_t)(text_end - hit), line, col,
                      end_col);
        if (st != SL_OK)
            return st;
        if (close)
            q = close + 3;
    }
    if (only && line < l->nlines)
        l->dline[line] = 1;
    return SL_OK;
}

static int pos_lt(unsigned l1, unsigned c1, unsigned l2, unsigned c2)
{
    return l1 < l2 || (l1 == l2 && c1 < c2);
}

static int covers(const directive *d, unsigned line, unsigned col)
{
    if (pos_lt(line, col, d->from_line, d->from_col))
        return 0;
    return d->to_line == 0 || pos_lt(line, col, d->to_line, d->to_col);
}

/* A directive's index under a key (its target, or its text), for lookups
 * in n log n where a file with thousands of directives would otherwise
 * take n^2. */
typedef struct dref {
    const char *key;
    unsigned line, col; /* a position the lookup orders by, when it does */
    size_t i;           /* index in the list */
} dref;

static int dref_cmp(const void *a, const void *b)
{
    const dref *x = a, *y = b;
    int r = strcmp(x->key, y->key);
    if (r)
        return r;
    if (x->line != y->line || x->col != y->col)
        return pos_lt(x->line, x->col, y->line, y->col) ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* First entry of sorted r[0, n) not before (key, line, col, i). */
static size_t dref_lower(const dref *r, size_t n, const char *key, unsigned line, unsigned col,
                         size_t i)
{
    dref want = {key, line, col, i};
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (dref_cmp(&r[mid], &want) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Sets every directive's covered range. A disable runs to the first
 * enable after it that names its target or nothing; a disable-next covers
 * the rest of its own line when something follows it there, else the next
 * line that is neither blank nor a directive alone: `next_line[ln]`, the
 * first such line at or after ln (0: none). */
static sl_status set_ranges(dlist *l, const char *data, size_t len)
{
    sl_status st = SL_ENOMEM;
    size_t nl = l->nlines, nstarts = l->nstarts;
    const size_t *starts = l->starts;
    unsigned *next_line = calloc(nl + 2, sizeof *next_line);
    dref *named = malloc((l->n + 1) * sizeof *named);
    size_t *any = malloc((l->n + 1) * sizeof *any);
    if (!next_line || !named || !any)
        goto cleanup;
    size_t nnamed = 0, nany = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (l->d[i].kind != D_ENABLE)
            continue;
        if (l->d[i].target[0])
            named[nnamed++] = (dref){l->d[i].target, 0, 0, i};
        else
            any[nany++] = i;
    }
    if (nnamed)
        qsort(named, nnamed, sizeof *named, dref_cmp);
    for (size_t ln = nstarts; ln >= 1; ln--) {
        const char *p = data + starts[ln], *end = data + len;
        const char *le = memchr(p, '\n', (size_t)(end - p));
        if (!le)
            le = end;
        int blank = 1;
        for (const char *r = p; r < le; r++)
            blank &= is_space(*r);
        next_line[ln] = !blank && !(ln < nl && l->dline[ln]) ? (unsigned)ln : next_line[ln + 1];
    }
    for (size_t i = 0; i < l->n; i++) {
        directive *d = &l->d[i];
        if (d->kind == D_DISABLE) {
            d->from_line = d->line;
            d->from_col = d->end_col;
            size_t j = l->n;
            /* The first unnamed enable after i. */
            size_t lo = 0, hi = nany;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (any[mid] <= i)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo < nany)
                j = any[lo];
            /* The first enable naming the target after i. */
            size_t k = dref_lower(named, nnamed, d->target, 0, 0, i + 1);
            if (k < nnamed && strcmp(named[k].key, d->target) == 0 && named[k].i < j)
                j = named[k].i;
            if (j < l->n) {
                d->to_line = l->d[j].line;
                d->to_col = l->d[j].col;
            }
        } else if (d->kind == D_NEXT) {
            /* Something after the comment on its own line? */
            const char *end = data + len;
            const char *p = d->line <= nstarts ? data + starts[d->line] : end;
            const char *le = memchr(p, '\n', (size_t)(end - p));
            if (!le)
                le = end;
            const char *after = p;
            for (unsigned c = 1; after < le && c < d->end_col; c++) {
                after++;
                while (after < le && ((unsigned char)*after & 0xC0) == 0x80)
                    after++;
            }
            int rest = 0;
            for (const char *r = after; r < le; r++)
                rest |= !is_space(*r);
            if (rest && !l->dline[d->line]) {
                d->from_line = d->line;
                d->from_col = d->end_col;
                d->to_line = d->line + 1;
                d->to_col = 1;
                continue;
            }
            unsigned ln = d->line + 1 <= nstarts ? next_line[d->line + 1] : 0;
            if (ln) {
                d->from_line = ln;
                d->from_col = 1;
                d->to_line = ln + 1;
                d->to_col = 1;
            } else {
                d->from_line = d->to_line = (unsigned)-1; /* nothing follows */
            }
        }
    }
    st = SL_OK;
cleanup:
    free(next_line);
    free(named);
    free(any);
    return st;
}

/* Appends a finding of built-in rule `rule` to doc, whose findings array
 * has room for *cap. */
static sl_status add_builtin(sl_doc_result *doc, size_t *cap, const char *rule, const directive *d,
                             const char *message, unsigned occ)
{
    if (doc->nfindings == *cap) {
        size_t c = *cap ? 2 * *cap : 8;
        sl_finding *p = realloc(doc->findings, c * sizeof *p);
        if (!p)
            return SL_ENOMEM;
        doc->findings = p;
        *cap = c;
    }
    sl_finding *f = &doc->findings[doc->nfindings++];
    memset(f, 0, sizeof *f);
    uint64_t h = SL_FNV1A_BASIS;
    h = sl_fnv1a(h, rule, strlen(rule) + 1);
    h = sl_fnv1a(h, doc->id, strlen(doc->id) + 1);
    h = sl_fnv1a(h, d->text, strlen(d->text) + 1);
    h = sl_fnv1a(h, &occ, sizeof occ);
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)h);
    f->rule = sl_strdup(rule);
    f->category = sl_strdup("syndlint");
    f->message = sl_strdup(message);
    f->scope = sl_strdup("raw");
    f->match = sl_strdup(d->text);
    f->fingerprint = sl_strdup(hex);
    f->severity = SL_SEV_WARNING;
    f->line = d->line;
    f->column = d->col;
    if (!f->rule || !f->category || !f->message || !f->scope || !f->match || !f->fingerprint)
        return SL_ENOMEM;
    return SL_OK;
}

static int valid(const directive *d)
{
    return d->kind != D_ENABLE && d->target[0] && d->reason;
}

/* For each directive, the number of directives before it written the
 * same (the occurrence index of its built-in finding's fingerprint).
 * malloc'd; NULL when out of memory. */
static unsigned *occurrences(const dlist *l)
{
    unsigned *occ = malloc((l->n + 1) * sizeof *occ);
    dref *r = malloc((l->n + 1) * sizeof *r);
    if (!occ || !r) {
        free(occ);
        free(r);
        return NULL;
    }
    for (size_t j = 0; j < l->n; j++)
        r[j] = (dref){l->d[j].text, 0, 0, j};
    if (l->n)
        qsort(r, l->n, sizeof *r, dref_cmp);
    for (size_t k = 0; k < l->n; k++)
        occ[r[k].i] = k > 0 && strcmp(r[k].key, r[k - 1].key) == 0 ? occ[r[k - 1].i] + 1 : 0;
    free(r);
    return occ;
}

/* A min-heap of directive indices: the active directives of a sweep, the
 * first written on top. */
typedef struct dheap {
    size_t *a;
    size_t n;
} dheap;

static void heap_push(dheap *h, size_t v)
{
    size_t i = h->n++;
    while (i > 0 && h->a[(i - 1) / 2] > v) {
        h->a[i] = h->a[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->a[i] = v;
}

static void heap_pop(dheap *h)
{
    size_t v = h->a[--h->n], i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && h->a[c + 1] < h->a[c])
            c++;
        if (h->a[c] >= v)
            break;
        h->a[i] = h->a[c];
        i = c;
    }
    if (h->n)
        h->a[i] = v;
}

/* Marks the findings the valid directives cover, each with the reason of
 * the first directive (as written) covering it, and marks every directive
 * that covers a finding as used. Findings already suppressed (by an
 * earlier kind of acceptance) neither change nor use a directive.
 *
 * Both sides are sorted by key (a finding is keyed by its rule and by its
 * category, a directive by its target) and position, and swept together:
 * a file with thousands of directives and findings takes n log n. */
static sl_status apply(dlist *l, sl_file_result *res)
{
    sl_status st = SL_ENOMEM;
    size_t nf = 0, nv = 0;
    for (size_t i = 0; i < res->ndocs; i++)
        for (size_t k = 0; k < res->docs[i].nfindings; k++)
            nf += !res->docs[i].findings[k].suppressed;
    for (size_t j = 0; j < l->n; j++)
        nv += valid(&l->d[j]) != 0;
    if (nf == 0 || nv == 0)
        return SL_OK;
    dref *fk = malloc(2 * nf * sizeof *fk);
    sl_finding **fs = malloc(nf * sizeof *fs);
    size_t *best = malloc(nf * sizeof *best);
    dref *dv = malloc(nv * sizeof *dv);
    dheap h = {malloc(nv * sizeof *h.a), 0};
    if (!fk || !fs || !best || !dv || !h.a)
        goto cleanup;
    size_t n = 0, m = 0;
    for (size_t i = 0; i < res->ndocs; i++)
        for (size_t k = 0; k < res->docs[i].nfindings; k++) {
            sl_finding *f = &res->docs[i].findings[k];
            if (f->suppressed)
                continue;
            best[m] = l->n;
            fs[m] = f;
            fk[n++] = (dref){f->rule, f->line, f->column, m};
            if (strcmp(f->category, f->rule) != 0)
                fk[n++] = (dref){f->category, f->line, f->column, m};
            m++;
        }
    for (size_t j = 0, k = 0; j < l->n; j++)
        if (valid(&l->d[j]))
            dv[k++] = (dref){l->d[j].target, l->d[j].from_line, l->d[j].from_col, j};
    qsort(fk, n, sizeof *fk, dref_cmp);
    qsort(dv, nv, sizeof *dv, dref_cmp);

    /* Used: some finding under its target lies in its range. */
    for (size_t k = 0; k < nv; k++) {
        directive *d = &l->d[dv[k].i];
        size_t at = dref_lower(fk, n, d->target, d->from_line, d->from_col, 0);
        if (at < n && strcmp(fk[at].key, d->target) == 0 && covers(d, fk[at].line, fk[at].col))
            d->used = 1;
    }
    /* First covering directive: per key, findings in position order, the
     * directives begun by then on a heap by index, the ended ones dropped
     * from its top. */
    for (size_t a = 0, b = 0; a < n;) {
        size_t a_end = a;
        while (a_end < n && strcmp(fk[a_end].key, fk[a].key) == 0)
            a_end++;
        while (b < nv && strcmp(dv[b].key, fk[a].key) < 0)
            b++;
        h.n = 0;
        for (size_t x = a; x < a_end; x++) {
            while (b < nv && strcmp(dv[b].key, fk[x].key) == 0 &&
                   !pos_lt(fk[x].line, fk[x].col, dv[b].line, dv[b].col))
                heap_push(&h, dv[b++].i);
            while (h.n && !covers(&l->d[h.a[0]], fk[x].line, fk[x].col))
                heap_pop(&h);
            if (h.n && h.a[0] < best[fk[x].i])
                best[fk[x].i] = h.a[0];
        }
        a = a_end;
    }
    for (size_t k = 0; k < m; k++) {
        if (best[k] == l->n)
            continue;
        fs[k]->suppressed = SL_SUPPRESSED_INLINE;
        fs[k]->suppression_reason = sl_strdup(l->d[best[k]].reason);
        if (!fs[k]->suppression_reason)
            goto cleanup;
    }
    st = SL_OK;
cleanup:
    free(fk);
    free(fs);
    free(best);
    free(dv);
    free(h.a);
    return st;
}

void sl_result_decide(sl_file_result *res, sl_severity fail_on)
{
    if (!res)
        return;
    if (!fail_on)
        fail_on = SL_SEV_ERROR;
    sl_verdict worst = SL_PASS;
    for (size_t i = 0; i < res->ndocs; i++) {
        sl_doc_result *d = &res->docs[i];
        int fails = 0;
        for (size_t k = 0; k < d->nfindings; k++) {
            const sl_finding *f = &d->findings[k];
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

sl_status sl_suppress_inline(const char *data, size_t len, sl_file_result *res,
                             const sl_scan_options *opt)
{
    if (!res || res->ndocs == 0 || !sl_suppress_marked(data, len))
        return SL_OK;
    sl_status st = SL_OK;
    dlist l;
    memset(&l, 0, sizeof l);
    l.nlines = 2;
    for (size_t i = 0; i < len; i++)
        l.nlines += data[i] == '\n';
    l.dline = calloc(l.nlines, 1);
    l.starts = malloc((l.nlines + 1) * sizeof *l.starts);
    if (!l.dline || !l.starts) {
        st = SL_ENOMEM;
        goto cleanup;
    }
    const char *p = data, *end = data + len;
    for (unsigned line = 1; p < end && st == SL_OK; line++) {
        l.starts[++l.nstarts] = (size_t)(p - data);
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        if (find(p, (size_t)(e - p), "syndlint-", 9))
            st = parse_line(&l, p, e, line);
        p = nl ? nl + 1 : end;
    }
    if (st != SL_OK)
        goto cleanup;
    st = set_ranges(&l, data, len);
    if (st == SL_OK)
        st = apply(&l, res);
    if (st != SL_OK)
        goto cleanup;

    sl_doc_result *first = &res->docs[0];
    size_t before = first->nfindings, cap = before;
    unsigned *occ = occurrences(&l);
    if (!occ) {
        st = SL_ENOMEM;
        goto cleanup;
    }
    for (size_t j = 0; j < l.n && st == SL_OK; j++) {
        const directive *d = &l.d[j];
        char msg[512];
        if (d->kind != D_ENABLE && !d->target[0]) {
            snprintf(msg, sizeof msg,
                     "suppression names no rule or category (write 'syndlint-%s RULE: reason')",
                     d->kind == D_NEXT ? "disable-next" : "disable");
            st = add_builtin(first, &cap, "syndlint.invalid-suppression", d, msg, occ[j]);
        } else if (d->kind != D_ENABLE && !d->reason) {
            snprintf(msg, sizeof msg,
                     "suppression of '%.200s' gives no reason, so it suppresses nothing (write "
                     "'syndlint-%s %.200s: reason')",
                     d->target, d->kind == D_NEXT ? "disable-next" : "disable", d->target);
            st = add_builtin(first, &cap, "syndlint.invalid-suppression", d, msg, occ[j]);
        } else if (valid(d) && !d->used && opt && opt->report_unused_suppressions) {
            snprintf(msg, sizeof msg, "suppression of '%.200s' matched no finding", d->target);
            st = add_builtin(first, &cap, "syndlint.unused-suppression", d, msg, occ[j]);
        }
    }
    free(occ);
    if (st == SL_OK && first->nfindings != before)
        qsort(first->findings, first->nfindings, sizeof *first->findings, sl_finding_cmp);
    if (st == SL_OK)
        sl_result_decide(res, opt ? opt->fail_on : SL_SEV_ERROR);
cleanup:
    for (size_t j = 0; j < l.n; j++) {
        free(l.d[j].target);
        free(l.d[j].reason);
        free(l.d[j].text);
    }
    free(l.d);
    free(l.dline);
    free(l.starts);
    return st;
}
