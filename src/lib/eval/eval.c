/*
 * Evaluating one document against one profile's rules.
 *
 * Each field is normalized at most once per document, the first time a rule
 * looks at it; every scope is a view (a byte range) into a normalized field,
 * so `lead` and `tail` cost nothing beyond finding their word boundaries.
 * Rules run in the profile's dependency order, so that a condition or a
 * {rule: ID} item reads an outcome that is already decided.
 *
 * The prefilter (prefilter.h) is consulted before every regex search: the
 * first time a field is searched by a pattern that has literals, one pass
 * over the field records where each pattern's literals occur, and a search
 * whose range holds none of them is skipped. The table lives with the
 * field's normalized text, so each field is scanned once per document.
 *
 * A match is reported at the source position of its first byte, through the
 * normalized field's offset map. The matched text quoted in a finding is
 * the source text when it is plain (a text file, a run of HTML text without
 * markup or entities), else the normalized text, which is what a reader of
 * the page saw.
 */
#include "eval/scanner.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eval/prefilter.h"
#include "eval/suppress.h"
#include "text/normalize.h"
#include "util/buf.h"
#include "util/hash.h"

/* The document fields a scope can name, in this order; meta fields come
 * after them. */
enum { F_TITLE, F_BODY, F_CODE, F_RAW, F_PAGE, F_CHROME, NFIXED };

/* Normalized copies of a document's fields, made on first use. */
typedef struct doc_texts {
    const sl_document *doc;
    sl_field fixed[NFIXED];
    unsigned char done[NFIXED];
    /* same[i] - 1 is the field whose normalized text and prefilter hits
     * field i shares, its input being identical (a plain-text document's
     * body, raw and page are one text); 0: its own. */
    unsigned char same[NFIXED];
    sl_field *meta; /* doc->nmeta entries */
    unsigned char *meta_done;
    /* Prefilter hits per field (title..chrome, then meta), made on first
     * use. NULL when the prefilter is off or not yet run for that field.
     * A field whose text stands for others is scanned once for all of
     * them when the loader says so (hits_fields); the others borrow its
     * table (hits_owned 0). */
    const sl_prefilter *pf; /* borrowed; NULL: prefilter off */
    sl_pf_hit *hits[NFIXED];
    unsigned hits_fields[NFIXED];
    unsigned char hits_owned[NFIXED];
    /* The first META_HITS metadata values, scanned as one text (each after
     * a NUL): meta_base[i] is where value i starts in it. */
    sl_pf_hit *meta_hits; /* owned; NULL: not made (or out of memory) */
    size_t *meta_base;    /* owned */
    int meta_tried;
} doc_texts;

typedef struct view {
    const sl_field *f;
    int field; /* F_TITLE..F_CHROME; NFIXED + i: meta i */
    size_t start, end;
    /* Borrowed: the scope's name; NULL for a metadata view, named
     * "meta.NAME" by view_scope only when a finding or an error needs it. */
    const char *scope;
} view;

typedef struct span {
    size_t start, end;
} span;

/* Where a rule first matched in the document, for a require rule whose
 * condition it satisfied: its finding is placed there. */
typedef struct first_match {
    view v;
    span m;
    int set;
} first_match;

/* Findings gathered for one document before they are sorted. */
typedef struct finding_list {
    sl_finding *items;
    size_t n, cap;
} finding_list;

typedef struct eval_state {
    sl_scanner *sc;
    const sl_profile *p;
    const sl_source *src;
    doc_texts t;
    unsigned char *outcome;
    first_match *first; /* per rule */
    finding_list findings;
    char *error; /* set when a match hit a limit */
    char scope_buf[256];
} eval_state;

/* The field whose normalized text stands for field `which`. */
static int texts_rep(const doc_texts *t, int which)
{
    return t->same[which] ? t->same[which] - 1 : which;
}

static sl_status texts_get(doc_texts *t, int which, const sl_field **out)
{
    static const size_t offs[NFIXED] = {
        offsetof(sl_document, title), offsetof(sl_document, body), offsetof(sl_document, code),
        offsetof(sl_document, raw),   offsetof(sl_document, page), offsetof(sl_document, chrome)};
    if (!t->done[which]) {
        const sl_field *in = (const sl_field *)((const char *)t->doc + offs[which]);
        /* Fields the loader did not copy stand for the ones they equal. */
        if (which == F_RAW && t->doc->raw_is_page)
            t->same[which] = (unsigned char)(t->doc->page_is_body ? F_BODY + 1 : F_PAGE + 1);
        else if (which == F_PAGE && t->doc->page_is_body)
            t->same[which] = F_BODY + 1;
        if (t->same[which] && !t->done[t->same[which] - 1]) {
            const sl_field *ignored;
            sl_status st = texts_get(t, t->same[which] - 1, &ignored);
            if (st != SL_OK)
                return st;
        }
        for (int k = 0; k < NFIXED && !t->same[which]; k++) {
            const sl_field *o = (const sl_field *)((const char *)t->doc + offs[k]);
            if (k != which && t->done[k] && !t->same[k] && sl_field_equal(in, o))
                t->same[which] = (unsigned char)(k + 1);
        }
        if (!t->same[which]) {
            sl_status st = sl_normalize(in, &t->fixed[which]);
            if (st != SL_OK)
                return st;
        }
        t->done[which] = 1;
    }
    *out = &t->fixed[texts_rep(t, which)];
    return SL_OK;
}

static sl_status texts_meta(doc_texts *t, size_t i, const sl_field **out)
{
    if (!t->meta) {
        size_t n = t->doc->nmeta ? t->doc->nmeta : 1;
        t->meta = calloc(n, sizeof *t->meta);
        t->meta_done = calloc(n, 1);
        if (!t->meta || !t->meta_done)
            return SL_ENOMEM;
    }
    if (!t->meta_done[i]) {
        sl_status st = sl_normalize(&t->doc->meta[i].value, &t->meta[i]);
        if (st != SL_OK)
            return st;
        t->meta_done[i] = 1;
    }
    *out = &t->meta[i];
    return SL_OK;
}

static void texts_clear(doc_texts *t)
{
    for (int i = 0; i < NFIXED; i++)
        sl_field_clear(&t->fixed[i]);
    if (t->meta)
        for (size_t i = 0; i < t->doc->nmeta; i++)
            sl_field_clear(&t->meta[i]);
    free(t->meta);
    free(t->meta_done);
    for (int i = 0; i < NFIXED; i++)
        if (t->hits_owned[i])
            free(t->hits[i]);
    free(t->meta_hits);
    free(t->meta_base);
}

_Static_assert(SL_PF_TITLE == 1u << F_TITLE && SL_PF_BODY == 1u << F_BODY &&
                   SL_PF_CODE == 1u << F_CODE && SL_PF_RAW == 1u << F_RAW &&
                   SL_PF_PAGE == 1u << F_PAGE && SL_PF_CHROME == 1u << F_CHROME,
               "field bits follow the field order");

/* The fields whose views read the text of fixed field `which`, as far as
 * the loader tells: one scan then serves them all. */
static unsigned scan_fields(const sl_document *d, int which)
{
    unsigned f = 1u << which;
    for (int round = 0; round < 2; round++) {
        if (d->page_is_body && (f & (SL_PF_BODY | SL_PF_PAGE)))
            f |= SL_PF_BODY | SL_PF_PAGE;
        if (d->raw_is_page && (f & (SL_PF_RAW | SL_PF_PAGE)))
            f |= SL_PF_RAW | SL_PF_PAGE;
    }
    return f;
}

/* Metadata values of a document that get a hit table of their own. */
#define META_HITS 64

/* The hit table for a view of fixed field `which`; NULL when out of memory. */
static const sl_pf_hit *fixed_hits(doc_texts *t, int which, const sl_field *f)
{
    if (t->hits[which])
        return t->hits[which];
    unsigned fields = scan_fields(t->doc, which);
    int rep = texts_rep(t, which);
    for (int k = 0; k < NFIXED; k++)
        if (k != which && t->hits[k] && t->hits_fields[k] == fields && texts_rep(t, k) == rep) {
            t->hits[which] = t->hits[k];
            t->hits_fields[which] = fields;
            return t->hits[which];
        }
    sl_pf_hit *h = malloc(sl_prefilter_slots(t->pf) * sizeof *h);
    if (!h)
        return NULL;
    sl_prefilter_scan(t->pf, fields, f->text, f->len, h);
    t->hits[which] = h;
    t->hits_fields[which] = fields;
    t->hits_owned[which] = 1;
    return h;
}

/* Scans the first META_HITS metadata values as one text, each after a
 * NUL, which no literal holds: a page has a handful of short values, and
 * a scan of each cost more in setting up its table than in reading it.
 * An occurrence that runs across a NUL lies within no value's window, so
 * the windows' answers are those of scans of their own. Nothing is made
 * when memory runs out: the patterns then simply run. */
static void meta_scan(doc_texts *t)
{
    t->meta_tried = 1;
    size_t n = t->doc->nmeta < META_HITS ? t->doc->nmeta : META_HITS, len = 0;
    char *text = NULL;
    const sl_field *f;
    if (!(t->meta_base = malloc((n ? n : 1) * sizeof *t->meta_base)))
        return;
    for (size_t i = 0; i < n; i++) {
        if (texts_meta(t, i, &f) != SL_OK)
            goto fail;
        len += f->len + 1;
    }
    if (!(text = malloc(len ? len : 1)) ||
        !(t->meta_hits = malloc(sl_prefilter_slots(t->pf) * sizeof *t->meta_hits)))
        goto fail;
    len = 0;
    for (size_t i = 0; i < n; i++) {
        texts_meta(t, i, &f); /* made above */
        text[len++] = '\0';
        t->meta_base[i] = len;
        memcpy(text + len, f->text, f->len);
        len += f->len;
    }
    sl_prefilter_scan(t->pf, SL_PF_META, text, len, t->meta_hits);
    free(text);
    return;
fail:
    free(text);
    free(t->meta_hits);
    t->meta_hits = NULL;
}

/* The prefilter's hit table for view `v`; in *fields the fields its scan
 * was for, and in *base where the view's text starts in the text
 * scanned. NULL when there is none (no prefilter, out of memory, a
 * metadata value past the first META_HITS). */
static const sl_pf_hit *view_hits(doc_texts *t, const view *v, unsigned *fields, size_t *base)
{
    *fields = 0;
    *base = 0;
    if (!t->pf)
        return NULL;
    if (v->field < NFIXED) {
        const sl_pf_hit *hits = fixed_hits(t, v->field, v->f);
        *fields = t->hits_fields[v->field];
        return hits;
    }
    /* A document with thousands of metadata values (a page of meta tags,
     * a JSON-LD list of authors) would make a long text of them. Past the
     * first META_HITS values the patterns simply run; the values are
     * short, and the findings are the same. */
    size_t i = (size_t)(v->field - NFIXED);
    if (i >= META_HITS)
        return NULL;
    if (!t->meta_tried)
        meta_scan(t);
    if (!t->meta_hits)
        return NULL;
    *fields = SL_PF_META;
    *base = t->meta_base[i];
    return t->meta_hits;
}

/* Zero when hit table `hits` of a scan for `fields` shows that `pat`
 * cannot match in [from, end). A pattern is only matched in the fields of
 * its scopes, so the scan for the view's fields always covers it; should
 * it not, or should there be no table, it may. */
static inline int hits_may(const sl_pf_hit *hits, unsigned fields, const sl_pattern *pat,
                           size_t from, size_t end)
{
    return !hits || !pat->pf_slot || !sl_prefilter_covers(pat, fields) ||
           sl_prefilter_may_pattern(hits, pat, from, end);
}

/* Nonzero unless the prefilter shows that `pat` cannot match in the view
 * from `from` on; then *last, unless `last` is NULL, is the last offset a
 * match can start at, or PCRE2_UNSET when the prefilter does not know. Any
 * doubt (no literals, out of memory) means "may". */
static int prefilter_may(doc_texts *t, const sl_pattern *pat, const view *v, size_t from,
                         size_t *last)
{
    if (last)
        *last = PCRE2_UNSET;
    if (!t->pf || !pat->pf_slot)
        return 1;
    unsigned fields;
    size_t base;
    const sl_pf_hit *hits = view_hits(t, v, &fields, &base);
    if (!hits || !sl_prefilter_covers(pat, fields))
        return 1;
    if (!sl_prefilter_may_pattern(hits, pat, base + from, base + v->end))
        return 0;
    /* Every set has an occurrence starting at base + from or later. */
    if (last)
        *last = sl_prefilter_last_start(hits, pat, base + v->end) - base;
    return 1;
}

static int is_space(char c)
{
    return c == ' ' || c == '\n';
}

/* End of the first `words` words of f[start..). */
static size_t lead_end(const sl_field *f, unsigned words)
{
    size_t i = 0, n = 0;
    while (i < f->len) {
        while (i < f->len && is_space(f->text[i]))
            i++;
        if (i == f->len)
            break;
        if (n == words)
            break;
        while (i < f->len && !is_space(f->text[i]))
            i++;
        n++;
    }
    /* Back over the separator we stopped at. */
    while (i > 0 && i < f->len && is_space(f->text[i - 1]))
        i--;
    return n < words ? f->len : i;
}

/* Start of the last `words` words of f. */
static size_t tail_start(const sl_field *f, unsigned words)
{
    size_t i = f->len, n = 0;
    while (i > 0) {
        while (i > 0 && is_space(f->text[i - 1]))
            i--;
        if (i == 0)
            break;
        while (i > 0 && !is_space(f->text[i - 1]))
            i--;
        if (++n == words)
            break;
    }
    return i;
}

/* The scope name of a view, as reports show it; valid until the next
 * call. */
static const char *view_scope(eval_state *s, const view *v)
{
    if (v->scope)
        return v->scope;
    snprintf(s->scope_buf, sizeof s->scope_buf, "meta.%s", s->t.doc->meta[v->field - NFIXED].name);
    return s->scope_buf;
}

typedef sl_status (*view_fn)(eval_state *s, const view *v, void *user, int *stop);

static int kind_field(sl_scope_kind k)
{
    switch (k) {
    case SL_SCOPE_TITLE:
        return F_TITLE;
    case SL_SCOPE_BODY:
    case SL_SCOPE_LEAD:
    case SL_SCOPE_TAIL:
        return F_BODY;
    case SL_SCOPE_CODE:
        return F_CODE;
    case SL_SCOPE_RAW:
        return F_RAW;
    case SL_SCOPE_PAGE:
        return F_PAGE;
    case SL_SCOPE_CHROME:
        return F_CHROME;
    case SL_SCOPE_META:
        break;
    }
    return -1;
}

/* Calls fn for every view a scope stands for (several for meta.*). */
static sl_status for_each_view(eval_state *s, const sl_scope *sc, view_fn fn, void *user, int *stop)
{
    sl_status st = SL_OK;
    view v = {0};
    if (sc->kind != SL_SCOPE_META) {
        st = texts_get(&s->t, kind_field(sc->kind), &v.f);
        if (st != SL_OK)
            return st;
        v.field = kind_field(sc->kind);
        v.start = 0;
        v.end = v.f->len;
        if (sc->kind == SL_SCOPE_LEAD)
            v.end = lead_end(v.f, sc->words);
        else if (sc->kind == SL_SCOPE_TAIL)
            v.start = tail_start(v.f, sc->words);
        v.scope = sc->name;
        if (v.end <= v.start)
            return SL_OK;
        return fn(s, &v, user, stop);
    }
    const sl_document *d = s->t.doc;
    /* Most meta scopes are "*"; the others name one field, and a page has
     * dozens: the first byte rules out most before strcmp is called. */
    int all = sc->meta[0] == '*' && sc->meta[1] == '\0';
    for (size_t i = 0; i < d->nmeta && !*stop; i++) {
        const char *name = d->meta[i].name;
        if (!all && (name[0] != sc->meta[0] || strcmp(sc->meta, name) != 0))
            continue;
        st = texts_meta(&s->t, i, &v.f);
        if (st != SL_OK)
            return st;
        v.field = NFIXED + (int)i;
        v.start = 0;
        v.end = v.f->len;
        if (v.end == 0)
            continue;
        v.scope = NULL;
        st = fn(s, &v, user, stop);
        if (st != SL_OK)
            return st;
    }
    return SL_OK;
}

/* Finds the next match of `pat` in the view at or after `*off`. Returns 1
 * with the span on a match, 0 when there is none, -1 when a limit was hit
 * (s->error set). With `exists`, only whether there is a match counts and
 * the span may leave out the regex's leading optional part (its probe). */
static int next_match(eval_state *s, const sl_pattern *pat, int exists, const view *v, size_t *off,
                      span *m, const char *rule_id)
{
    size_t last;
    if (!prefilter_may(&s->t, pat, v, *off, &last))
        return 0;
    /* Past the last occurrence of a required literal no match can start:
     * without the limit, a regex whose literal is in the first paragraph
     * would look for a start through the rest of the text. */
    pcre2_set_offset_limit(s->sc->mctx, last);
    const pcre2_code *code =
        sl_jit_table_get(s->sc->rs->jits, exists && pat->probe ? pat->probe : pat->code, pat->jit);
    while (*off <= v->end) {
        int rc = pcre2_match(code, (PCRE2_SPTR)v->f->text, v->end, *off, 0, s->sc->md, s->sc->mctx);
        if (rc == PCRE2_ERROR_NOMATCH)
            return 0;
        if (rc < 0) {
            if (!s->error) {
                PCRE2_UCHAR msg[256];
                pcre2_get_error_message(rc, msg, sizeof msg);
                /* Name the option that raises the limit that was hit. */
                const char *opt = rc == PCRE2_ERROR_MATCHLIMIT       ? " (--regex-match-limit)"
                                  : rc == PCRE2_ERROR_JIT_STACKLIMIT ? " (--jit-stack)"
                                                                     : "";
                sl_buf b = SL_BUF_INIT;
                sl_buf_printf(&b, "rule '%s': %s while matching %s%s", rule_id, (const char *)msg,
                              view_scope(s, v), opt);
                s->error = sl_buf_steal(&b);
            }
            return -1;
        }
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->sc->md);
        if (ov[1] <= ov[0]) {
            /* An empty match says nothing; step one character on. */
            size_t i = ov[0] + 1;
            while (i < v->end && ((unsigned char)v->f->text[i] & 0xC0) == 0x80)
                i++;
            *off = i;
            continue;
        }
        m->start = ov[0];
        m->end = ov[1];
        *off = ov[1];
        return 1;
    }
    return 0;
}

static int any_match(eval_state *s, const sl_pattern *pat, const view *v, const char *rule_id)
{
    size_t off = v->start;
    span m;
    return next_match(s, pat, 1, v, &off, &m, rule_id);
}

/* ------------------------------------------------------------ conditions */

typedef struct cond_probe {
    const sl_pattern *pat;
    const char *rule_id;
    int hit;
} cond_probe;

static sl_status probe_view(eval_state *s, const view *v, void *user, int *stop)
{
    cond_probe *cp = user;
    int r = any_match(s, cp->pat, v, cp->rule_id);
    if (r != 0) {
        cp->hit = r > 0;
        *stop = 1;
    }
    return SL_OK;
}

static sl_status cond_eval(eval_state *s, const sl_cond *c, const char *rule_id, int *out)
{
    sl_status st = SL_OK;
    int v = 0;
    switch (c->kind) {
    case SL_COND_RULE:
        v = s->outcome[c->rule] != 0;
        break;
    case SL_COND_MATCH: {
        cond_probe cp = {&c->pat, rule_id, 0};
        int stop = 0;
        for (size_t i = 0; i < c->nscopes && !stop; i++) {
            st = for_each_view(s, &c->scopes[i], probe_view, &cp, &stop);
            if (st != SL_OK)
                return st;
        }
        v = cp.hit;
        break;
    }
    case SL_COND_ALL:
    case SL_COND_ANY: {
        int all = c->kind == SL_COND_ALL;
        v = all;
        for (size_t i = 0; i < c->nkids; i++) {
            int k = 0;
            st = cond_eval(s, &c->kids[i], rule_id, &k);
            if (st != SL_OK)
                return st;
            if (all && !k) {
                v = 0;
                break;
            }
            if (!all && k) {
                v = 1;
                break;
            }
        }
        break;
    }
    case SL_COND_NOT:
        st = cond_eval(s, &c->kids[0], rule_id, &v);
        v = !v;
        break;
    }
    *out = v;
    return st;
}

/* ------------------------------------------------------------ findings */

static size_t utf8_len(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0)
        return 2;
    if ((c & 0xF0) == 0xE0)
        return 3;
    if ((c & 0xF8) == 0xF0)
        return 4;
    return 1;
}

/* The text to quote for a match: the source slice when it is plain text,
 * else the normalized text. */
static char *quote_match(const sl_source *src, const view *v, span m)
{
    size_t s0 = sl_field_offset(v->f, m.start);
    size_t s1 = sl_field_offset(v->f, m.end - 1);
    if (s1 < src->len)
        s1 += utf8_len((unsigned char)src->data[s1]);
    size_t nlen = m.end - m.start;
    int plain = s1 > s0 && s1 <= src->len && s1 - s0 <= 4 * nlen + 16;
    for (size_t i = s0; plain && i < s1; i++)
        if (src->data[i] == '<' || src->data[i] == '&' || src->data[i] == '\0')
            plain = 0;
    if (plain)
        return sl_strndup(src->data + s0, s1 - s0);
    return sl_strndup(v->f->text + m.start, nlen);
}

/* Expands {match} and {rule} in a rule's message. */
static char *format_message(const sl_rule *r, const char *match)
{
    sl_buf b = SL_BUF_INIT;
    const char *p = r->message ? r->message : r->id;
    while (*p) {
        if (strncmp(p, "{match}", 7) == 0) {
            /* Quote at most 80 characters, cut on a character boundary. */
            size_t n = 0, chars = 0;
            while (match[n] && chars < 80) {
                n += utf8_len((unsigned char)match[n]);
                chars++;
            }
            for (size_t i = 0; i < n && match[i]; i++)
                sl_buf_putc(&b, match[i] == '\n' ? ' ' : match[i]);
            if (match[n])
                sl_buf_puts(&b, "...");
            p += 7;
        } else if (strncmp(p, "{rule}", 6) == 0) {
            sl_buf_puts(&b, r->id);
            p += 6;
        } else {
            sl_buf_putc(&b, *p++);
        }
    }
    return sl_buf_steal(&b);
}

/* A finding's match: none, the text matched, or the text shown (a require
 * finding's trigger) with the fingerprint of a finding without a match, so
 * that baselines written before it was shown still hold it. */
enum { MATCH_NONE, MATCH_TEXT, MATCH_SHOWN };

static sl_status add_finding(eval_state *s, const sl_rule *r, const view *v, span m, int has_match)
{
    finding_list *fl = &s->findings;
    if (fl->n == fl->cap) {
        size_t cap = fl->cap ? 2 * fl->cap : 8;
        sl_finding *p = realloc(fl->items, cap * sizeof *p);
        if (!p)
            return SL_ENOMEM;
        fl->items = p;
        fl->cap = cap;
    }
    sl_finding *f = &fl->items[fl->n];
    memset(f, 0, sizeof *f);
    size_t off = v ? sl_field_offset(v->f, m.start) : 0;
    sl_source_position(s->src, off, &f->line, &f->column);
    char *match = has_match ? quote_match(s->src, v, m) : sl_strdup("");
    /* The fingerprint's normalized match, kept until the document is done. */
    char *norm =
        has_match == MATCH_TEXT ? sl_strndup(v->f->text + m.start, m.end - m.start) : sl_strdup("");
    f->match = match;
    f->fingerprint = norm;
    f->rule = sl_strdup(r->id);
    f->category = sl_strdup(r->category);
    f->severity = r->severity;
    f->scope = sl_strdup(v ? view_scope(s, v) : (r->nscopes ? r->scopes[0].name : "body"));
    f->message = format_message(r, match ? match : "");
    fl->n++;
    if (!match || !norm || !f->scope || !f->message || !f->rule || !f->category)
        return SL_ENOMEM;
    return SL_OK;
}

/* Source positions (line << 32 | column, never 0) in an open-addressed
 * table: the positions a rule has reported in a document. */
typedef struct pos_set {
    uint64_t *slot; /* owned; cap entries, 0 for empty */
    size_t cap, n;
} pos_set;

static size_t pos_hash(uint64_t key, size_t cap)
{
    return (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 32) & (cap - 1);
}

static int pos_has(const pos_set *ps, uint64_t key)
{
    if (!ps->cap)
        return 0;
    for (size_t i = pos_hash(key, ps->cap);; i = (i + 1) & (ps->cap - 1)) {
        if (ps->slot[i] == key)
            return 1;
        if (!ps->slot[i])
            return 0;
    }
}

static sl_status pos_add(pos_set *ps, uint64_t key)
{
    if (2 * (ps->n + 1) > ps->cap) {
        size_t cap = ps->cap ? 2 * ps->cap : 64;
        uint64_t *slot = calloc(cap, sizeof *slot);
        if (!slot)
            return SL_ENOMEM;
        for (size_t i = 0; i < ps->cap; i++) {
            if (!ps->slot[i])
                continue;
            size_t j = pos_hash(ps->slot[i], cap);
            while (slot[j])
                j = (j + 1) & (cap - 1);
            slot[j] = ps->slot[i];
        }
        free(ps->slot);
        ps->slot = slot;
        ps->cap = cap;
    }
    size_t i = pos_hash(key, ps->cap);
    while (ps->slot[i] && ps->slot[i] != key)
        i = (i + 1) & (ps->cap - 1);
    if (!ps->slot[i]) {
        ps->slot[i] = key;
        ps->n++;
    }
    return SL_OK;
}

typedef struct rule_run {
    const sl_rule *r;
    int matched;
    size_t first;  /* index of this rule's first finding in the document */
    size_t upto;   /* findings [first, upto) are in `seen` */
    pos_set seen;  /* where this rule's findings are */
    int seen_full; /* out of memory for `seen`: look through the findings */
} rule_run;

/* True when this rule already reported a finding at the same source
 * position through another scope (a text file's first line is both its
 * title and the start of its body). The positions are kept in a table, so
 * a document with a hundred thousand findings of one rule is not n^2. */
static int seen_at(eval_state *s, rule_run *rr, const view *v, span m)
{
    const sl_rule *r = rr->r;
    unsigned line, col;
    sl_source_position(s->src, sl_field_offset(v->f, m.start), &line, &col);
    for (; !rr->seen_full && rr->upto < s->findings.n; rr->upto++) {
        const sl_finding *f = &s->findings.items[rr->upto];
        if (strcmp(f->rule, r->id) == 0 &&
            pos_add(&rr->seen, (uint64_t)f->line << 32 | f->column) != SL_OK)
            rr->seen_full = 1;
    }
    if (!rr->seen_full)
        return pos_has(&rr->seen, (uint64_t)line << 32 | col);
    for (size_t i = rr->first; i < s->findings.n; i++) {
        const sl_finding *f = &s->findings.items[i];
        if (f->line == line && f->column == col && strcmp(f->rule, r->id) == 0)
            return 1;
    }
    return 0;
}

static int span_cmp(const void *a, const void *b)
{
    const span *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    /* At one start, the longest first: it is the one kept. */
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1;
    return 0;
}

static sl_status push_span(span **arr, size_t *n, size_t *cap, span m)
{
    if (*n == *cap) {
        size_t c = *cap ? 2 * *cap : 8;
        span *p = realloc(*arr, c * sizeof *p);
        if (!p)
            return SL_ENOMEM;
        *arr = p;
        *cap = c;
    }
    (*arr)[(*n)++] = m;
    return SL_OK;
}

/* Collects the spans of every exception pattern in a view. */
static sl_status exception_spans(eval_state *s, const sl_rule *r, const view *v, span **out,
                                 size_t *nout)
{
    span *arr = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < r->nexceptions; i++) {
        size_t off = v->start;
        span m;
        int rc;
        while ((rc = next_match(s, &r->exceptions[i], 0, v, &off, &m, r->id)) == 1) {
            if (n == cap) {
                cap = cap ? 2 * cap : 8;
                span *p = realloc(arr, cap * sizeof *p);
                if (!p) {
                    free(arr);
                    return SL_ENOMEM;
                }
                arr = p;
            }
            arr[n++] = m;
        }
    }
    *out = arr;
    *nout = n;
    return SL_OK;
}

/* Matches of one forbid or detect rule in one view. A rule's patterns
 * often overlap (a meter message and its "N free articles left" part):
 * overlapping matches are one problem in the text, so they are merged into
 * their union and reported once. */
static sl_status forbid_view(eval_state *s, const view *v, void *user, int *stop)
{
    rule_run *rr = user;
    const sl_rule *r = rr->r;
    span *exc = NULL, *hits = NULL;
    size_t nexc = 0, nhits = 0, caphits = 0;
    sl_status st = SL_OK;
    int excs_done = 0;
    /* A detect rule stops at its first match; without exceptions, which
     * look at where a match lies, only whether there is one counts. */
    int exists = r->check == SL_CHECK_DETECT && r->nexceptions == 0;
    /* The view's hit table once, so that the many patterns the prefilter
     * rules out cost a look at their slots and no call each. */
    unsigned fields = 0;
    size_t vbase = 0;
    const sl_pf_hit *vh = NULL;
    int vh_done = 0;
    for (size_t i = 0; i < r->npatterns; i++) {
        const sl_pattern *pat = &r->patterns[i];
        if (!pat->code)
            continue;
        if (pat->pf_slot && !vh_done) {
            vh = view_hits(&s->t, v, &fields, &vbase);
            vh_done = 1;
        }
        if (!hits_may(vh, fields, pat, vbase + v->start, vbase + v->end))
            continue;
        size_t off = v->start;
        span m;
        int rc;
        while ((rc = next_match(s, pat, exists, v, &off, &m, r->id)) == 1) {
            if (r->nexceptions && !excs_done) {
                st = exception_spans(s, r, v, &exc, &nexc);
                if (st != SL_OK)
                    goto out;
                excs_done = 1;
            }
            int excused = 0;
            for (size_t k = 0; k < nexc && !excused; k++)
                excused = exc[k].start <= m.start && exc[k].end >= m.end;
            if (excused)
                continue;
            rr->matched = 1;
            first_match *fm = &s->first[r - s->p->rules];
            if (!fm->set)
                *fm = (first_match){*v, m, 1};
            if (r->check == SL_CHECK_DETECT) {
                *stop = 1;
                goto out;
            }
            st = push_span(&hits, &nhits, &caphits, m);
            if (st != SL_OK)
                goto out;
        }
        if (rc < 0) {
            *stop = 1;
            goto out;
        }
    }
    if (nhits > 1)
        qsort(hits, nhits, sizeof *hits, span_cmp);
    /* Merge overlapping matches in place into their union. */
    size_t nmerged = 0;
    for (size_t i = 0; i < nhits; i++) {
        if (nmerged > 0 && hits[i].start < hits[nmerged - 1].end) {
            if (hits[i].end > hits[nmerged - 1].end)
                hits[nmerged - 1].end = hits[i].end;
            continue;
        }
        hits[nmerged++] = hits[i];
    }
    for (size_t i = 0; i < nmerged; i++) {
        if (seen_at(s, rr, v, hits[i]))
            continue;
        st = add_finding(s, r, v, hits[i], MATCH_TEXT);
        if (st != SL_OK)
            goto out;
    }
out:
    free(hits);
    free(exc);
    return st;
}

static sl_status require_view(eval_state *s, const view *v, void *user, int *stop)
{
    rule_run *rr = user;
    const sl_rule *r = rr->r;
    for (size_t i = 0; i < r->npatterns && !rr->matched; i++) {
        const sl_pattern *pat = &r->patterns[i];
        if (!pat->code)
            continue;
        int rc = any_match(s, pat, v, r->id);
        if (rc < 0)
            break;
        rr->matched = rc > 0;
    }
    if (rr->matched || s->error)
        *stop = 1;
    return SL_OK;
}

/* rule_may_match's walk over a rule's views. */
typedef struct rule_may {
    const sl_rule *r;
    int may; /* some item may match in a view seen so far */
} rule_may;

/* The first match of a rule whose outcome made condition `c` true (the
 * dateline that made a document wire copy), or NULL. */
static const first_match *cond_trigger(const eval_state *s, const sl_cond *c)
{
    if (c->kind == SL_COND_RULE)
        return s->outcome[c->rule] && s->first[c->rule].set ? &s->first[c->rule] : NULL;
    if (c->kind != SL_COND_ALL && c->kind != SL_COND_ANY)
        return NULL;
    for (size_t k = 0; k < c->nkids; k++) {
        const first_match *t = cond_trigger(s, &c->kids[k]);
        if (t)
            return t;
    }
    return NULL;
}

/* Where a require finding is reported when no condition placed it: the
 * start of the first non-empty view of its first scope, else the top of
 * the file. */
static sl_status first_view(eval_state *s, const view *v, void *user, int *stop)
{
    *(view *)user = *v;
    *stop = 1;
    return SL_OK;
}

/* view_fn: sets rule_may.may and stops when the prefilter cannot rule out
 * a match of some item of the rule in the view. */
static sl_status may_view(eval_state *s, const view *v, void *user, int *stop)
{
    rule_may *rm = user;
    for (size_t i = 0; i < rm->r->npatterns; i++)
        if (rm->r->patterns[i].code &&
            prefilter_may(&s->t, &rm->r->patterns[i], v, v->start, NULL)) {
            rm->may = 1;
            *stop = 1;
            break;
        }
    return SL_OK;
}

/* Zero when no item of a forbid or detect rule can match in any of its
 * views: then its conditions need not be evaluated, since the rule matches
 * nothing whatever they say. A condition may cost more than the rule (a
 * phrase in every document, another rule's scopes). Rules with {rule: ID}
 * items are matched by outcomes, not text, and always go on. */
static sl_status rule_may_match(eval_state *s, const sl_rule *r, int *may)
{
    *may = 1;
    if (r->check == SL_CHECK_REQUIRE || !s->t.pf)
        return SL_OK;
    for (size_t i = 0; i < r->npatterns; i++)
        if (r->patterns[i].rule_ref >= 0 || !r->patterns[i].code)
            return SL_OK;
    rule_may rm = {r, 0};
    int stop = 0;
    for (size_t i = 0; i < r->nscopes && !stop; i++) {
        sl_status st = for_each_view(s, &r->scopes[i], may_view, &rm, &stop);
        if (st != SL_OK)
            return st;
    }
    *may = rm.may;
    return SL_OK;
}

static sl_status run_rule(eval_state *s, size_t idx)
{
    const sl_rule *r = &s->p->rules[idx];
    sl_status st = SL_OK;
    int applies = 1;
    if (r->when || r->unless) {
        int may;
        st = rule_may_match(s, r, &may);
        if (st != SL_OK || !may)
            return st;
    }
    if (r->when) {
        st = cond_eval(s, r->when, r->id, &applies);
        if (st != SL_OK || !applies)
            return st;
    }
    if (r->unless) {
        int ex = 0;
        st = cond_eval(s, r->unless, r->id, &ex);
        if (st != SL_OK || ex)
            return st;
    }
    rule_run rr = {r, 0, s->findings.n, s->findings.n, {NULL, 0, 0}, 0};
    int stop = 0;
    if (r->check == SL_CHECK_REQUIRE || r->check == SL_CHECK_DETECT) {
        /* {rule: ID} items are satisfied by that rule's outcome. */
        for (size_t i = 0; i < r->npatterns; i++)
            if (r->patterns[i].rule_ref >= 0 && s->outcome[r->patterns[i].rule_ref])
                rr.matched = 1;
    }
    view_fn fn = r->check == SL_CHECK_REQUIRE ? require_view : forbid_view;
    /* A forbid rule looks at every scope (each match is a finding); the
     * others stop at the first match. */
    for (size_t i = 0; i < r->nscopes && !stop && !(rr.matched && r->check != SL_CHECK_FORBID);
         i++) {
        st = for_each_view(s, &r->scopes[i], fn, &rr, &stop);
        if (st != SL_OK || s->error)
            goto cleanup;
    }
    s->outcome[idx] = (unsigned char)rr.matched;
    const first_match *trig = r->when ? cond_trigger(s, r->when) : NULL;
    if (r->check == SL_CHECK_REQUIRE && !rr.matched && trig) {
        /* At what made the rule apply, quoted: a reader sees which
         * dateline or credit asked for what is missing. */
        st = add_finding(s, r, &trig->v, trig->m, MATCH_SHOWN);
    } else if (r->check == SL_CHECK_REQUIRE && !rr.matched) {
        view v = {0};
        int stop2 = 0;
        for (size_t i = 0; i < r->nscopes && !stop2; i++) {
            st = for_each_view(s, &r->scopes[i], first_view, &v, &stop2);
            if (st != SL_OK)
                goto cleanup;
        }
        span m = {0, 0};
        if (v.f)
            m.start = v.start;
        st = add_finding(s, r, v.f ? &v : NULL, m, MATCH_NONE);
    }
cleanup:
    free(rr.seen.slot);
    return st;
}

int sl_finding_cmp(const void *a, const void *b)
{
    const sl_finding *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->column != y->column)
        return x->column < y->column ? -1 : 1;
    return strcmp(x->rule, y->rule);
}

/* A finding's key for counting occurrences: equal rule and match, in
 * finding order. */
typedef struct occ_key {
    const char *rule, *match;
    size_t i;
} occ_key;

static int occ_cmp(const void *a, const void *b)
{
    const occ_key *x = a, *y = b;
    int r = strcmp(x->rule, y->rule);
    if (!r)
        r = strcmp(x->match, y->match);
    if (!r)
        r = x->i < y->i ? -1 : x->i > y->i;
    return r;
}

/* 64-bit FNV-1a over the parts that identify a finding across runs: rule,
 * document id, normalized match and its occurrence index (no line number,
 * so edits above a finding do not change it). */
static sl_status fingerprint_all(finding_list *fl, const char *doc_id)
{
    /* While hashing, f->fingerprint still holds the normalized match; the
     * hashes replace them only once every occurrence index is known. A
     * finding's occurrence index is the number of findings before it with
     * the same rule and match: its place in its group once sorted, so a
     * document with a hundred thousand findings costs n log n, not n^2. */
    if (fl->n == 0)
        return SL_OK;
    size_t n = fl->n;
    char(*hex)[17] = malloc(n * sizeof *hex);
    occ_key *keys = malloc(n * sizeof *keys);
    unsigned *occ = malloc(n * sizeof *occ);
    sl_status st = SL_ENOMEM;
    if (!hex || !keys || !occ)
        goto cleanup;
    for (size_t i = 0; i < fl->n; i++)
        keys[i] = (occ_key){fl->items[i].rule, fl->items[i].fingerprint, i};
    qsort(keys, fl->n, sizeof *keys, occ_cmp);
    for (size_t k = 0; k < fl->n; k++)
        occ[keys[k].i] = k > 0 && strcmp(keys[k].rule, keys[k - 1].rule) == 0 &&
                                 strcmp(keys[k].match, keys[k - 1].match) == 0
                             ? occ[keys[k - 1].i] + 1
                             : 0;
    for (size_t i = 0; i < fl->n; i++) {
        const sl_finding *f = &fl->items[i];
        uint64_t h = SL_FNV1A_BASIS;
        h = sl_fnv1a(h, f->rule, strlen(f->rule) + 1);
        h = sl_fnv1a(h, doc_id, strlen(doc_id) + 1);
        h = sl_fnv1a(h, f->fingerprint, strlen(f->fingerprint) + 1);
        h = sl_fnv1a(h, &occ[i], sizeof occ[i]);
        snprintf(hex[i], sizeof hex[i], "%016llx", (unsigned long long)h);
    }
    st = SL_OK;
    for (size_t i = 0; i < fl->n; i++) {
        char *fp = sl_strdup(hex[i]);
        if (!fp) {
            st = SL_ENOMEM;
            break;
        }
        free((char *)fl->items[i].fingerprint);
        fl->items[i].fingerprint = fp;
    }
cleanup:
    free(hex);
    free(keys);
    free(occ);
    return st;
}

static char *title_text(eval_state *s)
{
    const sl_field *t = NULL;
    if (texts_get(&s->t, F_TITLE, &t) != SL_OK || t->len == 0)
        return NULL;
    char *out = sl_strndup(t->text, t->len);
    if (out)
        for (char *p = out; *p; p++)
            if (*p == '\n')
                *p = ' ';
    return out;
}

sl_status sl_eval_document(sl_scanner *sc, const sl_profile *p, const sl_source *src,
                           const sl_document *doc, int force_rule, sl_doc_result *out,
                           unsigned char *outcomes)
{
    sl_status st = SL_OK;
    eval_state s;
    memset(&s, 0, sizeof s);
    s.sc = sc;
    s.p = p;
    s.src = src;
    s.t.doc = doc;
    s.t.pf = sc->no_prefilter ? NULL : p->pf;
    s.outcome = calloc(p->nrules ? p->nrules : 1, 1);
    s.first = calloc(p->nrules ? p->nrules : 1, sizeof *s.first);
    out->id = sl_strdup(doc->id);
    if (!s.outcome || !s.first || !out->id) {
        st = SL_ENOMEM;
        goto cleanup;
    }
    out->title = title_text(&s);
    if (doc->error) {
        out->verdict = SL_ERROR;
        out->error = sl_strdup(doc->error);
        goto cleanup;
    }
    for (size_t k = 0; k < p->nrules && !s.error; k++) {
        size_t i = p->order ? p->order[k] : k;
        if (!p->rules[i].enabled && (int)i != force_rule)
            continue;
        if (sl_scanner_timed_out(sc)) {
            sl_buf b = SL_BUF_INIT;
            sl_buf_printf(&b, "timed out after %us (--timeout)", sc->opt.timeout_s);
            s.error = sl_buf_steal(&b);
            break;
        }
        st = run_rule(&s, i);
        if (st != SL_OK)
            goto cleanup;
    }
    if (s.findings.n)
        qsort(s.findings.items, s.findings.n, sizeof *s.findings.items, sl_finding_cmp);
    st = fingerprint_all(&s.findings, doc->id);
    if (st != SL_OK)
        goto cleanup;
    out->verdict = SL_PASS;
    for (size_t i = 0; i < s.findings.n; i++)
        if (s.findings.items[i].severity >= sc->opt.fail_on)
            out->verdict = SL_FAIL;
    if (s.error) {
        out->verdict = SL_ERROR;
        out->error = s.error;
        s.error = NULL;
    }
    if (outcomes)
        memcpy(outcomes, s.outcome, p->nrules);
cleanup:
    out->findings = s.findings.items;
    out->nfindings = s.findings.n;
    free(s.error);
    free(s.outcome);
    free(s.first);
    texts_clear(&s.t);
    return st;
}

void sl_doc_result_clear(sl_doc_result *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nfindings; i++) {
        sl_finding *f = &d->findings[i];
        free((char *)f->rule);
        free((char *)f->category);
        free((char *)f->message);
        free((char *)f->scope);
        free((char *)f->match);
        free((char *)f->fingerprint);
        free((char *)f->suppression_reason);
    }
    free(d->findings);
    free((char *)d->id);
    free((char *)d->title);
    free((char *)d->error);
    memset(d, 0, sizeof *d);
}
