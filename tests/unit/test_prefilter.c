/* Check suite: required-literal extraction, the literal prefilter, and the
 * existence probes (rules/probe.h).
 *
 * Besides the shapes, property tests: random regexes over a small
 * alphabet against random texts (whenever PCRE2 matches, one of the
 * extracted literals occurs, caselessly), and every pattern of the default
 * packs against their own examples and the samples (whenever PCRE2 matches,
 * the prefilter allowed it); for probes, random regexes and the default
 * packs' patterns, whose probe must find a match exactly when the whole
 * regex does. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "eval/prefilter.h"
#include "rules/literals.h"
#include "rules/probe.h"
#include "rules/ruleset.h"
#include "syndlint/syndlint.h"
#include "text/normalize.h"

/* The literal sets of `rx`, in the extractor's order, each sorted and
 * joined with '|', the sets joined with " & "; "" for none. */
static char *lits_of(const char *rx)
{
    sl_litsets ls;
    ck_assert_int_eq(sl_regex_literals(rx, strlen(rx), &ls), SL_OK);
    char **v = ls.lits;
    size_t len = 1;
    for (size_t i = 0; i < ls.nlits; i++)
        len += strlen(v[i]) + 3;
    char *out = calloc(1, len);
    for (size_t k = 0, a = 0; k < ls.nsets; a = ls.set_end[k++]) {
        size_t b = ls.set_end[k];
        for (size_t i = a; i + 1 < b; i++)
            for (size_t j = i + 1; j < b; j++)
                if (strcmp(v[i], v[j]) > 0) {
                    char *t = v[i];
                    v[i] = v[j];
                    v[j] = t;
                }
        if (k)
            strcat(out, " & ");
        for (size_t i = a; i < b; i++) {
            if (i > a)
                strcat(out, "|");
            strcat(out, v[i]);
        }
    }
    sl_litsets_clear(&ls);
    return out;
}

#define LITS(rx, want)                                                                             \
    do {                                                                                           \
        char *got_ = lits_of(rx);                                                                  \
        ck_assert_msg(strcmp(got_, want) == 0, "%s: got '%s', want '%s'", rx, got_, want);         \
        free(got_);                                                                                \
    } while (0)

START_TEST(test_shapes)
{
    /* A set of a short word ("now") is left out when another set is not
     * one: prose is full of it. */
    LITS("Subscribe\\W+now", "subscribe");
    LITS("Subscribe\\W+today", "subscribe & today");
    LITS("Read\\W+for\\W+free", "read & free");
    LITS("\\b(?:art|par)\\b", "art|par");
    /* Every piece of a match is required: up to four sets, all of which
     * must occur; a short further set ("by") filters nothing and is left
     * out, and so is one of English's commonest words ("your", "with",
     * "from"), or one that may be any of them ("read|used"). */
    LITS("you\\S+ve\\W+reached\\W+your\\W+limit", "reached & limit");
    LITS("(?:free|paid)\\W+articles?\\W+left", "article & left & free|paid");
    LITS("with\\W+inputs\\W+from\\W+agencies", "agencies & inputs");
    LITS("(?:read|used)\\W+(?:free|paid)\\W+articles", "articles & free|paid");
    LITS("(?:ready|unused)\\W+(?:free|paid)\\W+articles", "articles & ready|unused & free|paid");
    /* Only such words: the first set stands, as with short ones. */
    LITS("this\\W+year", "this");
    LITS("from\\W+which", "which");
    /* Whitespace is what normalized text has there: one space or one line
     * break (literals write both as a space), so a phrase is one string;
     * a literal is cut to its first 16 bytes. */
    LITS("Subscribe\\s+now", "subscribe now");
    LITS("with\\s+inputs\\s+from\\s+agencies", "with inputs from");
    LITS("(?:free|paid)\\s+articles?\\s+left",
         "free article lef|free articles le|paid article lef|paid articles le");
    LITS("this\\h+year", "this year");
    LITS("this\\v+year", "this year");
    LITS("this\\R+year", "this year");
    LITS("this[\\s]year", "this year");
    LITS("this[ \\t]+year", "this\tyear|this year");
    LITS("this\\nyear", "this year");
    /* Two in a row never occur; an optional one would double the strings
     * of the run: the run stops there. */
    LITS("march\\s{2}rally", "march & rally");
    LITS("march\\s*rally", "march & rally");
    LITS("march\\s?rally", "march & rally");
    LITS("cut\\s*short", "short");
    /* A short further set is kept when it is a symbol prose seldom holds,
     * not when it is made of prose ("rs", "by", "-"). */
    LITS("\xc2\xa9\\s*Provided\\s+by", "provided by & \xc2\xa9");
    LITS("(?:\\$|Rs\\.?)\\s?\\d+\\s*/\\s*month", "month & /");
    LITS("Agency\\s*-\\s*Reuters", "reuters & agency");
    LITS("abc", "abc");
    LITS("\\((?:Reuters|AP)\\)", "(ap)|(reuters)");
    LITS("(?:a|b)c", "ac|bc");
    LITS("[Rr]eporting\\s+by", "reporting by");
    LITS("(?:a\\d+bcde|efgh\\W+hijk)", "bcde|efgh & bcde|hijk");
    LITS("(?:a\\d+bcd|efg\\W+hij)", "bcd|efg");
    LITS("(?:a\\d+bcd|efg\\s+hij)", "bcd|efg hij");
    LITS("Rs\\.?\\s?\\d", "rs");
    LITS("colou?r", "color|colour");
    LITS("x(?=abc)", "x");
    LITS("(?<![\\w-])TK(?:TK)+", "tk");
    LITS("\\QC++\\E rocks", "c++ rocks");
    LITS("a{3}", "aaa");
    LITS("(?:ab){2,}", "ab");
    LITS("(?i:jan|feb)\\s+\\d", "feb |jan ");
    LITS("\\x{20B9}\\s?\\d", "\xe2\x82\xb9");
    LITS("(?:foo|bar|ba)z", "barz|baz|fooz");
    /* Nothing required, or nothing understood: no literals. */
    LITS("\\w+", "");
    LITS("a|\\d", "");
    LITS("(?:abc)?\\d", "");
    LITS("(a)\\1", "");
    LITS("(?x) a b c", "");
    /* A quantifier after \E, an empty \Q\E or a comment repeats the item
     * before it: "J\E*b" matches "b". */
    LITS("J\\E*b", "");
    LITS("J\\Q\\E+b", "");
    LITS("J(?#c)?b", "");
    LITS("(*UTF)abc", "");
    LITS("(?(1)a|b)", "");
    LITS("a{,3}", "");
    /* A cased non-ASCII letter may match its other case: not a literal. */
    LITS("caf\xc3\xa9s", "caf");
    LITS("caf\xc3\xa9 culture", " culture");
    LITS("\xc3\xa9", "");
    /* Caseless matching is left to the prefilter's folding. */
    LITS("ABC", "abc");
}
END_TEST

/* ------------------------------------------------------------ properties */

static unsigned rnd(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) & 0x7fff;
}

static void gen_regex(unsigned *s, char *out, size_t cap, int depth)
{
    static const char *const atoms[] = {
        "a",     "b",   "A",   "B",   "-",   ".",        "\\s",    "\\w",      "[ab]",  "[^a]",
        "[aA-]", "\\b", "^",   "$",   "\\.", "\xc3\xa9", "(?i)",   "\\Qa-\\E", "(?=a)", "(?<!b)",
        " ",     "\\h", "\\v", "\\R", "\\n", "\\t",      "[\\s,]", "[ \\t]",   "\\S",   "\\N"};
    static const char *const quants[] = {"", "", "", "?", "*", "+", "{2}", "{1,2}", "{0,2}", "+?"};
    size_t n = 1 + rnd(s) % 4;
    for (size_t i = 0; i < n && strlen(out) + 40 < cap; i++) {
        if (depth < 2 && rnd(s) % 4 == 0) {
            strcat(out, rnd(s) % 2 ? "(?:" : "(");
            gen_regex(s, out, cap, depth + 1);
            if (rnd(s) % 2) {
                strcat(out, "|");
                gen_regex(s, out, cap, depth + 1);
            }
            strcat(out, ")");
        } else {
            strcat(out, atoms[rnd(s) % (sizeof atoms / sizeof *atoms)]);
        }
        const char *q = quants[rnd(s) % (sizeof quants / sizeof *quants)];
        char last = out[strlen(out) - 1];
        if (last != '^' && last != '$' && last != 'b' && last != ')')
            strcat(out, q);
        else if (last == ')' && q[0] && out[strlen(out) - 2] != 'i')
            strcat(out, q);
    }
}

/* Whether `lit` occurs in text as the prefilter compares: ASCII letters
 * caselessly, and a line break for a space. */
static int contains_folded(const char *text, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    for (size_t i = 0; i + n <= len; i++) {
        size_t k = 0;
        while (k < n) {
            char c = text[i + k];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (c == '\n')
                c = ' ';
            if (c != lit[k])
                break;
            k++;
        }
        if (k == n)
            return 1;
    }
    return 0;
}

/* The rule loader's compile flags. */
static uint32_t rule_flags(int caseless)
{
    return PCRE2_UTF | PCRE2_UCP | PCRE2_MULTILINE | PCRE2_MATCH_INVALID_UTF |
           PCRE2_USE_OFFSET_LIMIT | (caseless ? PCRE2_CASELESS : 0);
}

/* The last start of a caseless occurrence of `lit` in text, or -1. */
static long last_folded(const char *text, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    for (size_t i = len >= n ? len - n + 1 : 0; i-- > 0;)
        if (contains_folded(text + i, n, lit))
            return (long)i;
    return -1;
}

/* The matches of `code` in text one after another, from each match's end,
 * without and with an offset limit, compared: the limit must lose none.
 * Returns the number of matches. */
static size_t same_with_limit(const pcre2_code *code, const char *text, size_t len, size_t limit,
                              pcre2_match_data *md, const char *what)
{
    pcre2_match_context *mc = pcre2_match_context_create(NULL);
    pcre2_match_data *md2 = pcre2_match_data_create(8, NULL);
    pcre2_set_offset_limit(mc, limit);
    size_t off = 0, n = 0;
    for (;;) {
        int a = pcre2_match(code, (PCRE2_SPTR)text, len, off, 0, md, NULL);
        int b = pcre2_match(code, (PCRE2_SPTR)text, len, off, 0, md2, mc);
        ck_assert_msg((a >= 0) == (b >= 0), "%s: %s at %zu with the offset limit %zu in '%.80s'",
                      what, a >= 0 ? "a match is lost" : "a match appears", off, limit, text);
        if (a < 0)
            break;
        PCRE2_SIZE *x = pcre2_get_ovector_pointer(md), *y = pcre2_get_ovector_pointer(md2);
        ck_assert_msg(x[0] == y[0] && x[1] == y[1], "%s: the match at %zu moves with the limit",
                      what, (size_t)x[0]);
        n++;
        off = x[1] > off ? x[1] : off + 1;
        if (off > len)
            break;
    }
    pcre2_match_data_free(md2);
    pcre2_match_context_free(mc);
    return n;
}

/* A random regex in rx (and whether it is caseless), compiled as rules are;
 * NULL when PCRE2 refuses it. */
static pcre2_code *random_regex(unsigned *seed, char *rx, size_t cap, int *caseless)
{
    rx[0] = '\0';
    gen_regex(seed, rx, cap, 0);
    *caseless = rnd(seed) % 2;
    int err;
    PCRE2_SIZE off;
    return pcre2_compile((PCRE2_SPTR)rx, strlen(rx), rule_flags(*caseless), &err, &off, NULL);
}

/* A random text of up to nine pieces of the regexes' alphabet. */
static size_t random_text(unsigned *seed, char *text)
{
    static const char *const alpha[] = {"a", "b",  "A",  "B",  "-", " ",    "\xc3\xa9", "\xc3\x89",
                                        ".", "\n", "\t", "  ", ",", " \n ", "\xc2\xa0"};
    text[0] = '\0';
    size_t n = rnd(seed) % 10;
    for (size_t i = 0; i < n; i++)
        strcat(text, alpha[rnd(seed) % (sizeof alpha / sizeof *alpha)]);
    return strlen(text);
}

START_TEST(test_random_regexes)
{
    unsigned seed = 12345;
    pcre2_match_data *md = pcre2_match_data_create(8, NULL);
    size_t checked = 0, limited = 0;
    for (int r = 0; r < 3000; r++) {
        char rx[256];
        int caseless;
        pcre2_code *code = random_regex(&seed, rx, sizeof rx, &caseless);
        if (!code)
            continue;
        sl_litsets ls;
        ck_assert_int_eq(sl_regex_literals(rx, strlen(rx), &ls), SL_OK);
        for (int t = 0; t < 60 && ls.nsets; t++) {
            /* The engine matches normalized text only (text/normalize.h),
             * which the sets may count on: one ' ' or "\n" between
             * visible characters. */
            char raw[128], *text = NULL;
            size_t len = 0;
            ck_assert_int_eq(sl_normalize_string(raw, random_text(&seed, raw), &text, &len), SL_OK);
            if (pcre2_match(code, (PCRE2_SPTR)text, len, 0, 0, md, NULL) < 0) {
                free(text);
                continue;
            }
            /* Every set has a literal in the text; no match starts after
             * the last occurrence of any set (the engine's offset limit). */
            size_t limit = len;
            for (size_t k = 0, a = 0; k < ls.nsets; a = ls.set_end[k++]) {
                int found = 0;
                long last = -1;
                for (size_t i = a; i < ls.set_end[k]; i++) {
                    found |= contains_folded(text, len, ls.lits[i]);
                    long at = last_folded(text, len, ls.lits[i]);
                    last = at > last ? at : last;
                }
                ck_assert_msg(found, "/%s/%s matches '%s' but no literal of set %zu ('%s') occurs",
                              rx, caseless ? "i" : "", text, k, ls.lits[a]);
                if ((size_t)last < limit)
                    limit = (size_t)last;
            }
            limited += same_with_limit(code, text, len, limit, md, rx) > 0 && limit < len;
            checked++;
            free(text);
        }
        sl_litsets_clear(&ls);
        pcre2_code_free(code);
    }
    pcre2_match_data_free(md);
    ck_assert_uint_gt(checked, 1000);
    /* Matches where the limit fell before the end of the text. */
    ck_assert_uint_gt(limited, 300);
}
END_TEST

/* Every text the default packs talk about: their examples, plus the
 * samples, in their original case and upper-cased. */
typedef struct texts {
    char **v;
    size_t n, cap;
} texts;

static void add_text(texts *t, const char *s, size_t len)
{
    if (!s)
        return;
    if (t->n + 2 > t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->v = realloc(t->v, t->cap * sizeof *t->v);
    }
    char *norm = NULL;
    size_t nlen = 0;
    ck_assert_int_eq(sl_normalize_string(s, len, &norm, &nlen), SL_OK);
    t->v[t->n++] = norm;
    char *up = strdup(norm);
    for (char *p = up; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    t->v[t->n++] = up;
}

static void add_example(texts *t, const sl_example *e)
{
    const char *parts[] = {e->title, e->body, e->html, e->markdown};
    for (size_t i = 0; i < 4; i++)
        if (parts[i])
            add_text(t, parts[i], strlen(parts[i]));
    for (size_t i = 0; i < e->nmeta; i++)
        add_text(t, e->meta_values[i], strlen(e->meta_values[i]));
}

/* The default packs; the caller frees them. */
static sl_ruleset *load_default_packs(void)
{
    sl_ruleset_options o = {0};
    o.data_dir = SL_SOURCE_ROOT "/rules";
    sl_ruleset *rs = NULL;
    sl_diag d = {{0}};
    ck_assert_msg(sl_ruleset_load(&o, &rs, &d) == SL_OK, "%s", d.message);
    return rs;
}

/* Every fail example of every rule of `p`, and its pass examples too when
 * `pass` is nonzero. */
static void add_rule_examples(texts *t, const sl_profile *p, int pass)
{
    for (size_t i = 0; i < p->nrules; i++) {
        const sl_rule *r = &p->rules[i];
        for (size_t k = 0; k < r->nfail; k++)
            add_example(t, &r->fail_examples[k]);
        for (size_t k = 0; pass && k < r->npass; k++)
            add_example(t, &r->pass_examples[k]);
    }
}

static void texts_free(texts *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i]);
    free(t->v);
}

/* 1 when code has a nonempty match in text, 0 when not, -1 when PCRE2
 * stops at a limit. */
static int has_nonempty(const pcre2_code *code, const char *text, size_t len, pcre2_match_data *md);

static void check_pattern(const sl_prefilter *pf, const sl_pattern *pat, const texts *t,
                          pcre2_match_data *md, sl_pf_hit *hits, size_t *checked)
{
    if (!pat->code)
        return;
    /* A probe finds a match exactly where the whole regex does. */
    for (size_t i = 0; i < t->n && pat->probe; i++) {
        size_t len = strlen(t->v[i]);
        int whole = has_nonempty(pat->code, t->v[i], len, md);
        ck_assert_msg(whole >= 0 && whole == has_nonempty(pat->probe, t->v[i], len, md),
                      "pattern '%s' and its probe disagree on '%.80s'", pat->text, t->v[i]);
        (*checked)++;
    }
    if (!pat->pf_slot)
        return;
    for (size_t i = 0; i < t->n; i++) {
        size_t len = strlen(t->v[i]);
        sl_prefilter_scan(pf, SL_PF_ALL, t->v[i], len, hits);
        /* The engine's offset limit loses no match, of the regex or of its
         * probe (\K and look-behinds included). */
        if (sl_prefilter_may_pattern(hits, pat, 0, len)) {
            size_t limit = sl_prefilter_last_start(hits, pat, len);
            same_with_limit(pat->code, t->v[i], len, limit, md, pat->text);
            if (pat->probe)
                same_with_limit(pat->probe, t->v[i], len, limit, md, pat->probe_text);
        }
        size_t off = 0;
        while (off <= len &&
               pcre2_match(pat->code, (PCRE2_SPTR)t->v[i], len, off, 0, md, NULL) >= 0) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            ck_assert_msg(sl_prefilter_may_pattern(hits, pat, off, ov[1]),
                          "pattern '%s' matches at %zu in '%.80s' but the prefilter skipped it",
                          pat->text, (size_t)ov[0], t->v[i]);
            (*checked)++;
            off = ov[1] > off ? ov[1] : off + 1;
        }
    }
}

START_TEST(test_default_packs)
{
    sl_ruleset *rs = load_default_packs();
    const sl_profile *p = &rs->profiles[0];
    ck_assert_ptr_nonnull(p->pf);
    texts t = {0};
    add_rule_examples(&t, p, 1);
    static const char *const samples[] = {"seed-syndicated-leak.txt", "unrendered-template.txt",
                                          "piano-paywall-leak.html", "ndtv-pti-wire.html"};
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/samples/%s", SL_SOURCE_ROOT, samples[i]);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        static char buf[1 << 20];
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        add_text(&t, buf, n);
    }
    pcre2_match_data *md = pcre2_match_data_create(16, NULL);
    sl_pf_hit *hits = malloc((sl_prefilter_slots(p->pf) + 1) * sizeof *hits);
    size_t checked = 0;
    for (size_t i = 0; i < p->nrules; i++) {
        const sl_rule *r = &p->rules[i];
        for (size_t k = 0; k < r->npatterns; k++)
            check_pattern(p->pf, &r->patterns[k], &t, md, hits, &checked);
        for (size_t k = 0; k < r->nexceptions; k++)
            check_pattern(p->pf, &r->exceptions[k], &t, md, hits, &checked);
    }
    ck_assert_uint_gt(checked, 100);
    /* The credit line's leading "With" is optional: its probe starts at
     * "[Ii]nputs". */
    const sl_pattern *inputs = NULL;
    for (size_t i = 0; i < p->nrules && !inputs; i++)
        if (strcmp(p->rules[i].id, "attribution.inputs-credit") == 0)
            inputs = &p->rules[i].patterns[0];
    ck_assert_ptr_nonnull(inputs);
    ck_assert_ptr_nonnull(inputs->probe);
    ck_assert(strncmp(inputs->probe_text, "[Ii]nputs?\\s+", 13) == 0);
    free(hits);
    pcre2_match_data_free(md);
    texts_free(&t);
    sl_ruleset_free(rs);
}
END_TEST

/* sl_pattern_fn: the number of pattern slots, past the highest one seen. */
static sl_status count_slots(void *user, const sl_rule *r, sl_pattern *pat, sl_pattern_role role,
                             const sl_scope *scopes, size_t nscopes)
{
    size_t *n = user;
    (void)r, (void)role, (void)scopes, (void)nscopes;
    if (pat->pf_slot && pat->pf_slot - 1 + pat->lits.nsets > *n)
        *n = pat->pf_slot - 1 + pat->lits.nsets;
    return SL_OK;
}

/* The four-lane scan gives exactly the hits of one pass from the start,
 * over texts whose quarter boundaries fall everywhere in and around the
 * default packs' literals (their examples, one after another). */
START_TEST(test_lanes)
{
    sl_ruleset *rs = load_default_packs();
    const sl_profile *p = &rs->profiles[0];
    texts t = {0};
    add_rule_examples(&t, p, 0);
    size_t cap = 1, len = 0;
    for (size_t i = 0; i < t.n; i++)
        cap += strlen(t.v[i]) + 1;
    char *all = malloc(cap);
    for (size_t i = 0; i < t.n; i++) {
        size_t n = strlen(t.v[i]);
        memcpy(all + len, t.v[i], n);
        len += n;
        all[len++] = ' ';
    }
    ck_assert_uint_gt(len, 8192);
    size_t nslots = sl_prefilter_slots(p->pf), npattern = 0;
    sl_pf_hit *one = malloc(nslots * sizeof *one), *four = malloc(nslots * sizeof *four);
    /* The patterns' slots are the answer; the literals' scratch after them
     * (the order they were first met in, for one) depends on the lanes. */
    for (size_t i = 0; i < p->nrules; i++)
        ck_assert_int_eq(sl_rule_each_pattern(&p->rules[i], count_slots, &npattern), SL_OK);
    ck_assert_uint_gt(npattern, 100);
    ck_assert_uint_lt(npattern, nslots);
    size_t compared = 0;
    for (size_t n = 1000; n <= len; n += n < 6000 ? 37 : 997)
        for (size_t from = 0; from + n <= len && from < 64; from += 13) {
            sl_prefilter_scan_lanes(p->pf, SL_PF_ALL, all + from, n, one, 1);
            sl_prefilter_scan_lanes(p->pf, SL_PF_ALL, all + from, n, four, 4);
            for (size_t k = 0; k < npattern; k++)
                ck_assert_msg(
                    one[k].min_end == four[k].min_end && one[k].max_start1 == four[k].max_start1,
                    "slot %zu over %zu bytes at %zu: (%u, %u) vs (%u, %u)", k, n, from,
                    one[k].min_end, one[k].max_start1, four[k].min_end, four[k].max_start1);
            compared++;
        }
    ck_assert_uint_gt(compared, 100);
    free(one);
    free(four);
    free(all);
    texts_free(&t);
    sl_ruleset_free(rs);
}
END_TEST

/* The pattern of rule `id` at index k. */
static const sl_pattern *rule_pattern(const sl_profile *p, const char *id, size_t k)
{
    for (size_t i = 0; i < p->nrules; i++)
        if (strcmp(p->rules[i].id, id) == 0)
            return &p->rules[i].patterns[k];
    ck_abort_msg("no rule %s", id);
    return NULL;
}

/* Each field is scanned for the literals of the patterns matched in it:
 * the markup's automaton leaves out the visible text's literals, and a
 * scan for any set of fields fills every entry of the patterns it covers
 * exactly as the scan for all fields does. */
START_TEST(test_fields)
{
    sl_ruleset *rs = load_default_packs();
    const sl_profile *p = &rs->profiles[0];
    const sl_pattern *zephr = rule_pattern(p, "paywall.vendor-zephr", 0);
    const sl_pattern *lorem = rule_pattern(p, "placeholder.lorem-ipsum", 0);
    ck_assert_uint_eq(zephr->pf_fields, SL_PF_RAW);
    ck_assert(lorem->pf_fields & SL_PF_BODY);
    ck_assert(!(lorem->pf_fields & SL_PF_RAW));
    ck_assert(sl_prefilter_covers(zephr, SL_PF_RAW));
    ck_assert(sl_prefilter_covers(zephr, SL_PF_BODY | SL_PF_RAW | SL_PF_PAGE));
    ck_assert(!sl_prefilter_covers(zephr, SL_PF_BODY));
    ck_assert(!sl_prefilter_covers(lorem, SL_PF_RAW));

    /* In markup, sets of "<" or "=" after a long literal are dropped; in
     * visible text they are rare and kept. */
    const sl_pattern *amp = rule_pattern(p, "paywall.amp-subscriptions", 0);
    ck_assert_uint_eq(amp->lits.nsets, 2);
    ck_assert_str_eq(amp->lits.lits[amp->lits.nlits - 1], "content-not-gran");
    const sl_pattern *ftl = rule_pattern(p, "placeholder.template-tag", 4);
    ck_assert(!(ftl->pf_fields & (SL_PF_RAW | SL_PF_PAGE)));
    ck_assert_uint_eq(ftl->lits.nsets, 2);
    ck_assert_str_eq(ftl->lits.lits[ftl->lits.nlits - 1], ">");

    /* An exception runs only where an item matched: it has no literal
     * sets, no slot and no probe, while its rule's item has all three. */
    const sl_rule *obj = NULL;
    for (size_t i = 0; i < p->nrules && !obj; i++)
        if (strcmp(p->rules[i].id, "placeholder.object-object") == 0)
            obj = &p->rules[i];
    ck_assert_ptr_nonnull(obj);
    ck_assert_uint_gt(obj->nexceptions, 0);
    ck_assert_uint_gt(obj->patterns[0].lits.nsets, 0);
    ck_assert_uint_gt(obj->patterns[0].pf_slot, 0);
    for (size_t k = 0; k < obj->nexceptions; k++) {
        ck_assert_uint_eq(obj->exceptions[k].lits.nsets, 0);
        ck_assert_uint_eq(obj->exceptions[k].pf_slot, 0);
        ck_assert_ptr_null(obj->exceptions[k].probe);
        ck_assert_ptr_nonnull(obj->exceptions[k].code);
    }

    size_t all_lits, raw_lits, meta_lits, n_states, n_cls;
    sl_prefilter_stats(p->pf, SL_PF_ALL, &all_lits, &n_states, &n_cls);
    sl_prefilter_stats(p->pf, SL_PF_RAW, &raw_lits, &n_states, &n_cls);
    sl_prefilter_stats(p->pf, SL_PF_META, &meta_lits, &n_states, &n_cls);
    ck_assert_uint_gt(all_lits, 200);
    ck_assert_uint_lt(4 * raw_lits, all_lits);
    /* The metadata's literals are over half of all: it shares the
     * automaton of all fields rather than build one nearly as large. */
    ck_assert_uint_le(meta_lits, all_lits);

    texts t = {0};
    add_rule_examples(&t, p, 1);
    const char *mixed = "<div class=\"dm-zephr-banner\"></div><script "
                        "src=\"/js/zephr-browser.min.js\"></script> Lorem ipsum dolor {{name}}";
    add_text(&t, mixed, strlen(mixed));
    size_t nslots = sl_prefilter_slots(p->pf);
    sl_pf_hit *all = malloc(nslots * sizeof *all), *part = malloc(nslots * sizeof *part);
    static const unsigned sets[] = {SL_PF_TITLE,
                                    SL_PF_BODY,
                                    SL_PF_CODE,
                                    SL_PF_RAW,
                                    SL_PF_PAGE,
                                    SL_PF_CHROME,
                                    SL_PF_META,
                                    SL_PF_BODY | SL_PF_PAGE,
                                    SL_PF_RAW | SL_PF_PAGE,
                                    SL_PF_BODY | SL_PF_RAW | SL_PF_PAGE,
                                    SL_PF_TITLE | SL_PF_RAW};
    size_t compared = 0, raw_hits = 0;
    for (size_t i = 0; i < t.n; i++) {
        size_t len = strlen(t.v[i]);
        sl_prefilter_scan(p->pf, SL_PF_ALL, t.v[i], len, all);
        for (size_t k = 0; k < sizeof sets / sizeof *sets; k++) {
            sl_prefilter_scan(p->pf, sets[k], t.v[i], len, part);
            for (size_t r = 0; r < p->nrules; r++) {
                const sl_rule *rule = &p->rules[r];
                for (size_t j = 0; j < rule->npatterns + rule->nexceptions; j++) {
                    const sl_pattern *pat = j < rule->npatterns
                                                ? &rule->patterns[j]
                                                : &rule->exceptions[j - rule->npatterns];
                    if (!pat->pf_slot || !sl_prefilter_covers(pat, sets[k]))
                        continue;
                    for (size_t q = 0; q < pat->lits.nsets; q++) {
                        const sl_pf_hit *a = &all[pat->pf_slot - 1 + q];
                        const sl_pf_hit *b = &part[pat->pf_slot - 1 + q];
                        ck_assert_msg(a->min_end == b->min_end && a->max_start1 == b->max_start1,
                                      "%s, fields %#x: (%u, %u) vs (%u, %u) in '%.60s'", rule->id,
                                      sets[k], a->min_end, a->max_start1, b->min_end, b->max_start1,
                                      t.v[i]);
                        compared++;
                    }
                    if (pat == zephr && sets[k] == SL_PF_RAW)
                        raw_hits += sl_prefilter_may_pattern(part, pat, 0, len);
                }
            }
        }
    }
    ck_assert_uint_gt(compared, 10000);
    ck_assert_uint_gt(raw_hits, 0);
    free(all);
    free(part);
    texts_free(&t);
    sl_ruleset_free(rs);
}
END_TEST

/* The prefilter's ASCII folding is exact only because NFKC has already
 * turned the two non-ASCII characters PCRE2 matches caselessly with ASCII
 * letters into those letters. */
START_TEST(test_nfkc_assumption)
{
    char *out = NULL;
    size_t n = 0;
    ck_assert_int_eq(sl_normalize_string("\xe2\x84\xaa\xc5\xbf", 5, &out, &n), SL_OK);
    ck_assert_str_eq(out, "Ks");
    free(out);
}
END_TEST

/* Ranges: a literal outside the view does not let the pattern run there. */
START_TEST(test_ranges)
{
    sl_ruleset *rs = load_default_packs();
    const sl_profile *p = &rs->profiles[0];
    const sl_pattern *lorem = NULL;
    for (size_t i = 0; i < p->nrules && !lorem; i++)
        if (strcmp(p->rules[i].id, "placeholder.lorem-ipsum") == 0)
            lorem = &p->rules[i].patterns[0];
    ck_assert_ptr_nonnull(lorem);
    ck_assert_uint_gt(lorem->pf_slot, 0);
    /* Its literal is "lorem ipsum dolo" (cut to 16 bytes), at [12, 28). */
    ck_assert_str_eq(lorem->lits.lits[0], "lorem ipsum dolo");
    const char *text = "Some words. LOREM ipsum\ndolor. More words.";
    sl_pf_hit *hits = malloc(sl_prefilter_slots(p->pf) * sizeof *hits);
    sl_prefilter_scan(p->pf, SL_PF_BODY, text, strlen(text), hits);
    ck_assert(sl_prefilter_may(hits, lorem->pf_slot, 0, strlen(text)));
    ck_assert(sl_prefilter_may(hits, lorem->pf_slot, 12, 28));
    ck_assert(!sl_prefilter_may(hits, lorem->pf_slot, 0, 27));
    ck_assert(!sl_prefilter_may(hits, lorem->pf_slot, 13, strlen(text)));
    sl_prefilter_scan(p->pf, SL_PF_BODY, "nothing here", 12, hits);
    ck_assert(!sl_prefilter_may(hits, lorem->pf_slot, 0, 12));
    free(hits);
    sl_ruleset_free(rs);
}
END_TEST

/* ------------------------------------------------------------ probes */

/* Where the probe of `rx` starts; 0: none. */
static size_t probe_at(const char *rx, int caseless)
{
    size_t at = 99;
    ck_assert_int_eq(sl_regex_probe_start(rx, strlen(rx), caseless, &at), SL_OK);
    return at;
}

START_TEST(test_probe_shapes)
{
    /* The leading optional items go; what may not be skipped stays. */
    ck_assert_uint_eq(probe_at("(?:[Ww]ith\\s+)?(?:[Aa]dditional\\s+|[Aa]gency\\s+)?[Ii]nputs?", 0),
                      49);
    ck_assert_uint_eq(probe_at("(?:this\\W+)?story", 1), 12);
    ck_assert_uint_eq(probe_at("a*b{0,3}c", 0), 8);
    ck_assert_uint_eq(probe_at("a??\\bword", 0), 3);
    ck_assert_uint_eq(probe_at("x?(?i)y", 0), 2);
    /* Nothing to leave out, or not safe to. */
    ck_assert_uint_eq(probe_at("inputs?", 0), 0);
    ck_assert_uint_eq(probe_at("(?i)a?b", 0), 0);     /* an option first: stays first */
    ck_assert_uint_eq(probe_at("\\ba?b", 0), 0);      /* an assertion first */
    ck_assert_uint_eq(probe_at("a?b|c", 0), 0);       /* two alternatives */
    ck_assert_uint_eq(probe_at("a?b?", 0), 0);        /* all optional */
    ck_assert_uint_eq(probe_at("a?(?=b)", 0), 0);     /* the rest matches empty */
    ck_assert_uint_eq(probe_at("a?(?:b|)", 0), 0);    /* the rest matches empty */
    ck_assert_uint_eq(probe_at("(?:a)?+b", 0), 0);    /* possessive: atomic */
    ck_assert_uint_eq(probe_at("(?>a?)b", 0), 0);     /* atomic group */
    ck_assert_uint_eq(probe_at("(a)?b\\1", 0), 0);    /* a backreference ties them */
    ck_assert_uint_eq(probe_at("(?#note)a?b", 0), 0); /* a comment first */
    ck_assert_uint_eq(probe_at("a{1,2}b", 0), 0);     /* not optional */
}
END_TEST

/* Whether `code` has a non-empty match in text[0..len), stepping past
 * empty matches as the engine does. */
static int has_nonempty(const pcre2_code *code, const char *text, size_t len, pcre2_match_data *md)
{
    size_t off = 0;
    while (off <= len) {
        int rc = pcre2_match(code, (PCRE2_SPTR)text, len, off, 0, md, NULL);
        if (rc == PCRE2_ERROR_NOMATCH)
            return 0;
        if (rc < 0)
            return -1; /* a limit: nested quantifiers over whitespace */
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        if (ov[1] > ov[0])
            return 1;
        off = ov[0] + 1;
        while (off < len && ((unsigned char)text[off] & 0xC0) == 0x80)
            off++;
    }
    return 0;
}

START_TEST(test_random_probes)
{
    unsigned seed = 777;
    pcre2_match_data *md = pcre2_match_data_create(8, NULL);
    size_t probes = 0, checked = 0, matched = 0;
    for (int r = 0; r < 6000; r++) {
        char rx[256];
        int caseless, err;
        PCRE2_SIZE off;
        pcre2_code *code = random_regex(&seed, rx, sizeof rx, &caseless);
        if (!code)
            continue;
        size_t at = probe_at(rx, caseless);
        pcre2_code *probe = at ? pcre2_compile((PCRE2_SPTR)rx + at, strlen(rx) - at,
                                               rule_flags(caseless), &err, &off, NULL)
                               : NULL;
        ck_assert_msg(!at || probe, "probe of /%s/ from %zu does not compile", rx, at);
        probes += probe != NULL;
        for (int t = 0; t < 80 && probe; t++) {
            char text[128];
            size_t len = random_text(&seed, text);
            int whole = has_nonempty(code, text, len, md),
                part = has_nonempty(probe, text, len, md);
            if (whole < 0 || part < 0)
                continue; /* PCRE2 gave up: no answer to compare */
            ck_assert_msg(whole == part, "/%s/%s and its probe /%s/ disagree on '%s'", rx,
                          caseless ? "i" : "", rx + at, text);
            checked++;
            matched += whole;
        }
        pcre2_code_free(probe);
        pcre2_code_free(code);
    }
    pcre2_match_data_free(md);
    ck_assert_uint_gt(probes, 500);
    ck_assert_uint_gt(matched, 2000);
    ck_assert_uint_gt(checked, 4 * matched / 3);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("prefilter");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_shapes);
    tcase_add_test(tc, test_random_regexes);
    tcase_add_test(tc, test_default_packs);
    tcase_add_test(tc, test_nfkc_assumption);
    tcase_add_test(tc, test_ranges);
    tcase_add_test(tc, test_lanes);
    tcase_add_test(tc, test_fields);
    tcase_add_test(tc, test_probe_shapes);
    tcase_add_test(tc, test_random_probes);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
