/*
 * Patterns to PCRE2 codes.
 *
 * Two texts come out of one pattern: what the author wrote with ${param}
 * values inserted verbatim (kept in sl_pattern.text, for explain and
 * reports), and the regex source handed to PCRE2. Literals become regexes
 * here so the engine has only one kind of pattern: the literal is folded
 * exactly as document text is (sl_normalize_string), every ASCII
 * punctuation character is escaped, and each run of whitespace becomes
 * \s+ so that a phrase broken across lines or blocks still matches.
 *
 * A parameter inside a regex must match literally. \Q...\E would break on
 * a value containing "\E", so each metacharacter is escaped on its own
 * instead; escaping every ASCII punctuation character is always safe in
 * PCRE2 (a backslash before a non-alphanumeric character means that
 * character).
 *
 * whole_word uses look-arounds on letters, digits and '_' rather than \b,
 * because \b would consider a literal beginning with punctuation.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "rules/literals.h"
#include "rules/loader.h"
#include "rules/probe.h"
#include "rules/redos.h"
#include "text/normalize.h"
#include "util/buf.h"
#include "util/diag.h"

#define WW_OPEN "(?<![\\p{L}\\p{N}_])(?:"
#define WW_CLOSE ")(?![\\p{L}\\p{N}_])"

static int is_name_start(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}

static int is_name_char(char ch)
{
    return is_name_start(ch) || (ch >= '0' && ch <= '9') || ch == '-';
}

static int is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

static sl_status escape_into(sl_buf *b, const char *s, size_t n, int spaces_flexible)
{
    sl_status st = SL_OK;
    for (size_t i = 0; i < n && st == SL_OK; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (spaces_flexible && is_space((char)ch)) {
            while (i + 1 < n && is_space(s[i + 1]))
                i++;
            st = sl_buf_puts(b, "\\s+");
        } else if (ch < 0x80 && !((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                                  (ch >= '0' && ch <= '9') || ch == ' ' || ch >= 0x80)) {
            char esc[2] = {'\\', (char)ch};
            st = sl_buf_append(b, esc, 2);
        } else {
            st = sl_buf_putc(b, (char)ch);
        }
    }
    return st;
}

static const char *lookup(const sl_param_chain *pc, const char *name, size_t len)
{
    for (size_t i = 0; i < pc->n; i++) {
        const sl_params *ps = pc->layers[i];
        for (size_t j = 0; ps && j < ps->n; j++)
            if (strlen(ps->items[j].name) == len && memcmp(ps->items[j].name, name, len) == 0)
                return ps->items[j].value;
    }
    return NULL;
}

/* Builds `text` (values inserted verbatim) and, for a regex, `rx` (values
 * escaped). */
static sl_status substitute(const sl_pattern *pat, const sl_param_chain *pc, sl_buf *text,
                            sl_buf *rx, const char *file, const char *rule_id, sl_diag *diag)
{
    sl_status st = SL_OK;
    const char *s = pat->text;
    while (*s && st == SL_OK) {
        const char *dollar = strstr(s, "${");
        size_t lit = dollar ? (size_t)(dollar - s) : strlen(s);
        if ((st = sl_buf_append(text, s, lit)) != SL_OK ||
            (pat->is_regex && (st = sl_buf_append(rx, s, lit)) != SL_OK))
            return st;
        if (!dollar)
            break;
        const char *name = dollar + 2, *e = name;
        if (is_name_start(*e))
            while (is_name_char(*e))
                e++;
        if (e == name || *e != '}')
            return sl_diag_set(diag, SL_ERULE, file, pat->line, pat->col, rule_id,
                               "malformed parameter reference at offset %zu: expected "
                               "${name}",
                               (size_t)(dollar - pat->text));
        const char *value = lookup(pc, name, (size_t)(e - name));
        if (!value)
            return sl_diag_set(diag, SL_ERULE, file, pat->line, pat->col, rule_id,
                               "unknown parameter '${%.*s}'", (int)(e - name), name);
        if ((st = sl_buf_puts(text, value)) != SL_OK)
            return st;
        if (pat->is_regex) {
            /* Fold the value as document text is folded, so a value with a
             * curly quote still matches. */
            char *norm = NULL;
            size_t nlen = 0;
            if ((st = sl_normalize_string(value, strlen(value), &norm, &nlen)) != SL_OK)
                return st;
            st = escape_into(rx, norm, nlen, 0);
            free(norm);
        }
        s = e + 1;
    }
    return st;
}

/* The existence probe (rules/probe.h) of the regex `rx`, parsed into
 * `tree`; pat->probe is NULL on entry. A whole_word regex is wrapped in
 * look-arounds that must stay at the start of the whole match, so it has
 * none. A probe that fails to compile is only a lost optimisation. */
static sl_status compile_probe(sl_pattern *pat, const sl_rxtree *tree, const char *rx, size_t len,
                               uint32_t flags)
{
    if (pat->whole_word)
        return SL_OK;
    size_t from = sl_rxtree_probe_start(tree, len);
    if (from == 0)
        return SL_OK;
    int err = 0;
    PCRE2_SIZE off = 0;
    pcre2_code *probe = pcre2_compile((PCRE2_SPTR)rx + from, len - from, flags, &err, &off, NULL);
    if (!probe)
        return err == PCRE2_ERROR_HEAPLIMIT || err == PCRE2_ERROR_NOMEMORY ? SL_ENOMEM : SL_OK;
    char *text = sl_strndup(rx + from, len - from);
    if (!text) {
        pcre2_code_free(probe);
        return SL_ENOMEM;
    }
    pat->probe = probe;
    pat->probe_text = text;
    return SL_OK;
}

sl_status sl_pattern_prepare(sl_pattern *pat, const sl_param_chain *pc, const char *file,
                             const char *rule_id, sl_diag *diag)
{
    sl_buf text = SL_BUF_INIT, rx = SL_BUF_INIT;
    char *norm = NULL;
    sl_status st = substitute(pat, pc, &text, &rx, file, rule_id, diag);
    if (st != SL_OK)
        goto cleanup;
    if (!pat->is_regex) {
        size_t nlen = 0;
        if ((st = sl_normalize_string(text.data ? text.data : "", text.len, &norm, &nlen)) != SL_OK)
            goto cleanup;
        /* Edge spaces would demand whitespace around the phrase. */
        size_t a = 0, z = nlen;
        while (a < z && is_space(norm[a]))
            a++;
        while (z > a && is_space(norm[z - 1]))
            z--;
        if (a == z) {
            st = sl_diag_set(diag, SL_ERULE, file, pat->line, pat->col, rule_id, "empty literal");
            goto cleanup;
        }
        if ((st = escape_into(&rx, norm + a, z - a, 1)) != SL_OK)
            goto cleanup;
    } else if (rx.len == 0) {
        st = sl_diag_set(diag, SL_ERULE, file, pat->line, pat->col, rule_id, "empty regex");
        goto cleanup;
    }
    /* PCRE2_USE_OFFSET_LIMIT: a match holds an occurrence of each of the
     * regex's required literals, so the engine stops looking for one past
     * the last place the prefilter saw them (eval.c, next_match). */
    uint32_t flags =
        PCRE2_UTF | PCRE2_UCP | PCRE2_MULTILINE | PCRE2_MATCH_INVALID_UTF | PCRE2_USE_OFFSET_LIMIT;
    if (pat->ignore_case)
        flags |= PCRE2_CASELESS;
    /* PCRE2 compiles it in sl_pattern_finish, which the loader runs for
     * every pattern at once, on several threads; an invalid regex is
     * reported from there (sl_profile_finish). */
    pcre2_code_free(pat->code);
    pat->code = NULL;
    free(pat->pending);
    pat->pending_len = rx.len;
    pat->pending_flags = flags;
    pat->jit = !pc->no_jit;
    pat->compile_err = 0;
    pat->pending = sl_buf_steal(&rx);
    free(pat->text);
    pat->text = sl_buf_steal(&text);
    if (!pat->text || !pat->pending)
        st = SL_ENOMEM;
cleanup:
    free(norm);
    sl_buf_free(&text);
    sl_buf_free(&rx);
    return st;
}

/* Compiles the regex `rx` of `pat` into pat->code; SL_ERULE with
 * pat->compile_err set when PCRE2 rejects it. */
static sl_status compile_code(sl_pattern *pat, const char *rx, size_t len)
{
    sl_buf src = SL_BUF_INIT;
    sl_status st = SL_OK;
    uint32_t flags = pat->pending_flags;
    int err = 0;
    PCRE2_SIZE off = 0;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)rx, len, flags, &err, &off, NULL);
    if (code && pat->whole_word) {
        /* The regex alone is valid, so its groups and classes are closed
         * and wrapping it cannot change what it means; the \E ends a
         * trailing \Q that would otherwise swallow the wrapper (a lone
         * \E is ignored). */
        pcre2_code_free(code);
        if ((st = sl_buf_puts(&src, WW_OPEN)) != SL_OK ||
            (st = sl_buf_append(&src, rx, len)) != SL_OK ||
            (st = sl_buf_puts(&src, "\\E" WW_CLOSE)) != SL_OK)
            goto cleanup;
        code = pcre2_compile((PCRE2_SPTR)src.data, src.len, flags, &err, &off, NULL);
        if (!code && err != PCRE2_ERROR_HEAPLIMIT && err != PCRE2_ERROR_NOMEMORY) {
            /* Only an extended-mode comment running to the end can do
             * this: it swallows the closing part. */
            pat->compile_err = SL_COMPILE_ERR_WHOLE_WORD;
            st = SL_ERULE;
            goto cleanup;
        }
    }
    if (!code) {
        if (err == PCRE2_ERROR_HEAPLIMIT || err == PCRE2_ERROR_NOMEMORY) {
            st = SL_ENOMEM;
            goto cleanup;
        }
        pat->compile_err = err;
        pat->compile_off = (size_t)off;
        st = SL_ERULE;
        goto cleanup;
    }
    pat->code = code;
cleanup:
    sl_buf_free(&src);
    return st;
}

sl_status sl_pattern_finish(sl_pattern *pat)
{
    if (!pat->pending)
        return SL_OK;
    const char *rx = pat->pending;
    size_t len = pat->pending_len;
    sl_rxtree tree = {NULL, NULL, 0, 0, -1}; /* cleared whether parsed or not */
    sl_status st = SL_OK;
    pcre2_code_free(pat->code);
    pat->code = NULL;
    pat->compile_err = 0;
    /* The analyses below expect a regex PCRE2 accepts. */
    if ((st = compile_code(pat, rx, len)) != SL_OK)
        goto cleanup;
    /* From the regex before any whole_word wrapping: look-arounds add no
     * required text. */
    sl_litsets_clear(&pat->lits);
    if (!pat->exception && (st = sl_regex_literals(rx, len, &pat->lits)) != SL_OK)
        goto cleanup;
    /* The regex's shape, parsed once for two analyses: what makes it
     * backtrack catastrophically, for the load warning, and its existence
     * probe. A literal has neither (a run of spaces is one \s+). */
    free(pat->backtrack);
    pcre2_code_free(pat->probe);
    free(pat->probe_text);
    pat->backtrack = pat->probe_text = NULL;
    pat->probe = NULL;
    if (pat->is_regex && ((st = sl_rxtree_parse(rx, len, pat->ignore_case, &tree)) != SL_OK ||
                          (st = sl_rxtree_backtrack_risk(&tree, &pat->backtrack)) != SL_OK ||
                          (!pat->exception &&
                           (st = compile_probe(pat, &tree, rx, len, pat->pending_flags)) != SL_OK)))
        goto cleanup;
    free(pat->pending);
    pat->pending = NULL;
cleanup:
    sl_rxtree_clear(&tree);
    return st;
}

/* ------------------------------------------------------------ finishing */

/* The patterns of a profile left pending, shared by the finishing threads,
 * which take them one at a time. */
typedef struct finish_work {
    sl_pattern **v;
    size_t n, cap;
    atomic_int nomem;
} finish_work;

/* sl_pattern_fn: a pattern left pending joins the work. */
static sl_status push_pending(void *user, const sl_rule *r, sl_pattern *pat, sl_pattern_role role,
                              const sl_scope *scopes, size_t nscopes)
{
    finish_work *w = user;
    (void)r;
    (void)scopes;
    (void)nscopes;
    if (!pat->pending)
        return SL_OK;
    pat->exception = role == SL_PATTERN_EXCEPTION;
    if (w->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 64;
        sl_pattern **v = realloc(w->v, cap * sizeof *v);
        if (!v)
            return SL_ENOMEM;
        w->v = v;
        w->cap = cap;
    }
    w->v[w->n++] = pat;
    return SL_OK;
}

/* sl_pool_fn: finishes pattern i. */
static void finish_one(void *arg, size_t i)
{
    finish_work *w = arg;
    /* A regex PCRE2 rejects stays in its pattern, to be reported in load
     * order once every pattern is done. */
    if (sl_pattern_finish(w->v[i]) == SL_ENOMEM)
        atomic_store(&w->nomem, 1);
}

/* The first pattern, in load order, whose regex PCRE2 rejected. */
typedef struct first_error {
    const sl_rule *r;
    const sl_pattern *pat;
} first_error;

/* sl_pattern_fn: within a rule, the first error is the one written first. */
static sl_status find_error(void *user, const sl_rule *r, sl_pattern *pat, sl_pattern_role role,
                            const sl_scope *scopes, size_t nscopes)
{
    first_error *fe = user;
    (void)role;
    (void)scopes;
    (void)nscopes;
    if (!pat->compile_err)
        return SL_OK;
    if (!fe->pat || pat->line < fe->pat->line ||
        (pat->line == fe->pat->line && pat->col < fe->pat->col)) {
        fe->r = r;
        fe->pat = pat;
    }
    return SL_OK;
}

static sl_status report_error(const first_error *fe, sl_diag *diag)
{
    const sl_pattern *pat = fe->pat;
    if (pat->compile_err == SL_COMPILE_ERR_WHOLE_WORD)
        return sl_diag_set(diag, SL_ERULE, fe->r->file, pat->line, pat->col, fe->r->id,
                           "invalid regex: cannot be combined with whole_word (a trailing "
                           "comment?)");
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(pat->compile_err, msg, sizeof msg);
    /* The offset counts within the regex as written, after ${param}
     * substitution. */
    return sl_diag_set(diag, SL_ERULE, fe->r->file, pat->line, pat->col, fe->r->id,
                       "invalid regex: %s at offset %zu", (const char *)msg, pat->compile_off);
}

sl_status sl_profile_finish(sl_profile *p, sl_pool *pool, sl_diag *diag)
{
    finish_work w;
    memset(&w, 0, sizeof w);
    atomic_init(&w.nomem, 0);
    sl_status st = SL_OK;
    for (size_t i = 0; i < p->nrules && st == SL_OK; i++)
        st = sl_rule_each_pattern(&p->rules[i], push_pending, &w);
    if (st != SL_OK) {
        sl_diag_set(diag, st, NULL, 0, 0, NULL, "out of memory compiling the rules");
        goto cleanup;
    }
    /* Each pattern is finished by one thread and touches nothing else, so
     * the result does not depend on how many there are. */
    sl_pool_for(pool, w.n, finish_one, &w);
    if (atomic_load(&w.nomem)) {
        st = sl_diag_set(diag, SL_ENOMEM, NULL, 0, 0, NULL, "out of memory compiling the rules");
        goto cleanup;
    }
    /* Rules are in load order: the first with an error has the error the
     * author meets first. */
    first_error fe = {NULL, NULL};
    for (size_t i = 0; i < p->nrules && !fe.pat; i++)
        sl_rule_each_pattern(&p->rules[i], find_error, &fe);
    if (fe.pat)
        st = report_error(&fe, diag);
cleanup:
    free(w.v);
    return st;
}
