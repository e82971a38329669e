/*
 * Required literals of a regex (see literals.h).
 *
 * The regex source is parsed by recursive descent into, for each node,
 * what RE2's prefilter calls its "info":
 *   - exact: the finite set of every string the node can match, when the
 *     node is simple enough (literal runs, small classes, alternations of
 *     those, x? over them);
 *   - req: otherwise up to SL_LITERAL_SETS sets of strings, all of which
 *     hold: every match contains one string of each set. None: nothing
 *     known.
 * A concatenation multiplies runs of exact neighbours together ("(" x
 * {reuters, ap} x ")" gives {"(reuters)", "(ap)"}) and keeps the best
 * requirements of all its pieces, since every piece lies inside the match;
 * an alternation unites its branches' requirements pairwise (a set from
 * each branch), and knows nothing as soon as one branch knows nothing; a
 * repeat with a minimum of zero knows nothing. "Best" means the longest
 * shortest string, then the fewest strings: a long literal is rare in
 * text, so the regex behind it seldom runs. Keeping several sets matters
 * because prose is full of any one word of a boilerplate sentence
 * ("article", "limit", "you") but seldom holds all of them.
 *
 * Correctness rests on four facts:
 *   - anything not understood (backreferences, recursion, conditionals,
 *     verbs, extended mode, callouts) abandons the whole regex, and
 *     lookarounds contribute nothing (their text lies outside the match);
 *   - the prefilter compares ASCII letters caselessly and every other byte
 *     exactly, so a literal is found wherever a caseless or case-sensitive
 *     PCRE2 match of it could be, with two exceptions in caseless UCP
 *     mode, U+212A KELVIN SIGN ~ k and U+017F LONG S ~ s, which NFKC
 *     normalization turns into k and s before any text is matched (an
 *     exhaustive search of PCRE2 10.42's caseless sets finds no others);
 *   - a non-ASCII character with any case mapping is not used as a
 *     literal (it could match its other case), only as "some character";
 *   - the text matched is normalized (text/normalize.h): its only
 *     whitespace is a single ' ' or "\n" between visible characters, so
 *     \s, \h, \v and \R match one of those two bytes, a repeat of them
 *     (\s+) exactly one, and never two in a row. Literals write both as
 *     ' ', which the prefilter takes for "\n" too.
 */
#include "rules/literals.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "util/buf.h"

/* Bounds that keep the sets, and the work to build them, small. */
#define EXACT_MAX 64 /* strings in an exact set */
#define REQ_MAX 256  /* strings in a requirement */
#define STR_MAX 64   /* bytes in one exact string */
#define CLASS_MAX 8  /* members of a class taken as exact */
#define DEPTH_MAX 64 /* group nesting */
#define PROSE_MAX 3  /* a string this short made of letters is all over prose */
#define LIT_MAX 16   /* bytes of a literal the prefilter looks for */

typedef struct strset {
    char **v; /* owned vector of strings held by the parser's arena */
    size_t n, cap;
} strset;

/* Requirements that hold together, best first. */
typedef struct conj {
    strset s[SL_LITERAL_SETS];
    size_t n;
} conj;

typedef struct info {
    int exact;  /* nonzero: `set` is every string the node matches */
    strset set; /* exact only */
    conj req;   /* !exact: every match contains one string of each set */
} info;

/* The strings of every set live in chunks freed together at the end: a
 * long alternation makes and drops thousands of them, and one malloc and
 * free each cost more than the analysis. Each string is preceded by its
 * length, since sets are compared often. */
typedef struct chunk {
    struct chunk *next;
    size_t used, cap;
    uint32_t data[]; /* a length, then the string's bytes and NUL, rounded */
} chunk;

#define CHUNK_MIN 8192

typedef struct parser {
    const char *s;
    size_t i, n;
    int bail;  /* a construct we do not understand: no literals at all */
    int nomem; /* out of memory */
    int depth;
    chunk *strings; /* owned: the newest first */
} parser;

/* A byte as literals hold it: ASCII letters lowercased, and a line break
 * written as a space, since the prefilter takes them for one another
 * (normalized text has a single ' ' or "\n" wherever a regex's \s can
 * match, and a set of literals need not say which). */
static char fold_byte(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c == '\n' ? ' ' : c;
}

/* A copy of s[0..len), folded (fold_byte), in the arena; NULL when out of
 * memory. */
static char *intern(parser *p, const char *s, size_t len)
{
    size_t words = 1 + (len + 1 + sizeof(uint32_t) - 1) / sizeof(uint32_t);
    chunk *c = p->strings;
    if (!c || c->cap - c->used < words) {
        size_t cap = words > CHUNK_MIN ? words : CHUNK_MIN;
        if (!(c = malloc(sizeof *c + cap * sizeof(uint32_t)))) {
            p->nomem = 1;
            return NULL;
        }
        c->next = p->strings;
        c->used = 0;
        c->cap = cap;
        p->strings = c;
    }
    uint32_t *at = c->data + c->used;
    c->used += words;
    at[0] = (uint32_t)len;
    char *out = (char *)(at + 1);
    for (size_t i = 0; i < len; i++)
        out[i] = fold_byte(s[i]);
    out[len] = '\0';
    return out;
}

static size_t slen(const char *v)
{
    return ((const uint32_t *)(const void *)v)[-1];
}

static void arena_free(parser *p)
{
    while (p->strings) {
        chunk *next = p->strings->next;
        free(p->strings);
        p->strings = next;
    }
}

static void set_free(strset *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}

static void conj_free(conj *c)
{
    for (size_t k = 0; k < c->n; k++)
        set_free(&c->s[k]);
    c->n = 0;
}

static void info_free(info *x)
{
    set_free(&x->set);
    conj_free(&x->req);
    x->exact = 0;
}

/* Adds s[0..len), already folded, known not to be present. */
static int set_push_folded(parser *p, strset *set, const char *s, size_t len)
{
    if (set->n == set->cap) {
        size_t cap = set->cap ? 2 * set->cap : 4;
        char **v = realloc(set->v, cap * sizeof *v);
        if (!v) {
            p->nomem = 1;
            return 0;
        }
        set->v = v;
        set->cap = cap;
    }
    char *c = intern(p, s, len);
    if (!c)
        return 0;
    set->v[set->n++] = c;
    return 1;
}

/* Adds s[0..len), already folded, unless present. */
static int set_add_folded(parser *p, strset *set, const char *s, size_t len)
{
    for (size_t i = 0; i < set->n; i++)
        if (slen(set->v[i]) == len && memcmp(set->v[i], s, len) == 0)
            return 1;
    return set_push_folded(p, set, s, len);
}

/* Nonzero when h (hn bytes) contains n (nn bytes); the strings of a set
 * are short, and their lengths known. */
static int contains(const char *h, size_t hn, const char *n, size_t nn)
{
    if (nn > hn)
        return 0;
    if (nn == 0)
        return 1;
    for (const char *q = h, *last = h + (hn - nn); q <= last; q++) {
        q = memchr(q, n[0], (size_t)(last - q) + 1);
        if (!q)
            return 0;
        if (memcmp(q + 1, n + 1, nn - 1) == 0)
            return 1;
    }
    return 0;
}

/* Adds s[0..len) folded unless present. */
static int set_add(parser *p, strset *set, const char *s, size_t len)
{
    char folded[STR_MAX + 1] = {0};
    if (len <= STR_MAX) {
        for (size_t i = 0; i < len; i++)
            folded[i] = fold_byte(s[i]);
        s = folded;
    }
    return set_add_folded(p, set, s, len);
}

static int set_has_empty(const strset *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (!s->v[i][0])
            return 1;
    return 0;
}

static size_t set_minlen(const strset *s)
{
    size_t m = SIZE_MAX;
    for (size_t i = 0; i < s->n; i++)
        if (slen(s->v[i]) < m)
            m = slen(s->v[i]);
    return m;
}

/* Nonzero when requirement `a` filters better than `b`. */
static int better(const strset *a, const strset *b)
{
    size_t la = set_minlen(a), lb = set_minlen(b);
    if (la != lb)
        return la > lb;
    return a->n < b->n;
}

static info info_exact1(parser *p, const char *s, size_t len)
{
    info x = {0};
    x.exact = 1;
    set_add(p, &x.set, s, len);
    return x;
}

static int set_equal(const strset *a, const strset *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++) {
        size_t j = 0;
        while (j < b->n && (slen(a->v[i]) != slen(b->v[j]) || strcmp(a->v[i], b->v[j]) != 0))
            j++;
        if (j == b->n)
            return 0;
    }
    return 1;
}

/* English's most frequent words of four letters or more (the Oxford
 * English Corpus's hundred commonest, and the forms news prose uses of
 * its verbs), sorted for bsearch. Any English text has one every few
 * words, whatever it is about. */
static const char *const frequent_words[] = {
    "about",  "after", "also",  "back", "because", "been",  "being", "came", "come",
    "could",  "even",  "first", "from", "gave",    "give",  "going", "good", "have",
    "having", "into",  "just",  "know", "like",    "look",  "made",  "make", "more",
    "most",   "only",  "other", "over", "people",  "said",  "says",  "some", "take",
    "than",   "that",  "their", "them", "then",    "there", "these", "they", "think",
    "this",   "time",  "took",  "used", "want",    "well",  "were",  "what", "when",
    "which",  "will",  "with",  "work", "would",   "year",  "years", "your"};

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Nonzero when v (len bytes) is one of them, with or without the spaces
 * around it that \s gives a literal ("with ", " from "). */
static int frequent_word(const char *v, size_t len)
{
    while (len > 0 && v[0] == ' ')
        v++, len--;
    while (len > 0 && v[len - 1] == ' ')
        len--;
    char w[16];
    if (len < 4 || len >= sizeof w || memchr(v, '\0', len))
        return 0;
    memcpy(w, v, len);
    w[len] = '\0';
    const char *key = w;
    return bsearch(&key, frequent_words, sizeof frequent_words / sizeof *frequent_words,
                   sizeof *frequent_words, str_cmp) != NULL;
}

/* Nonzero when some string of the set is short and made of what prose is
 * made of, letters, digits, spaces, hyphens, quotes, periods and commas
 * ("by", "rs", "-", "for", "art", "may"): a text is full of it (one byte
 * in 25 of news prose ends "for", "art", "est", "mar", "may" or the like,
 * inside longer words), or is one of the frequent words above: the set
 * would cost a prefilter hit per occurrence and filter nothing. A short
 * symbol ("/", "©", "{") is rare in prose and is kept. */
static int common_in_prose(const strset *s)
{
    for (size_t i = 0; i < s->n; i++) {
        const char *v = s->v[i];
        if (frequent_word(v, slen(v)))
            return 1;
        if (slen(v) > PROSE_MAX)
            continue;
        int plain = 1;
        for (const char *c = v; *c && plain; c++)
            plain = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || strchr(" -.,'\"", *c);
        if (plain)
            return 1;
    }
    return 0;
}

/* Nonzero when a text holding a string of `a` always holds one of `b`
 * ("your" holds "you"): `b` then filters nothing more. */
static int implies(const strset *a, const strset *b)
{
    for (size_t i = 0; i < a->n; i++) {
        size_t j = 0;
        while (j < b->n && !contains(a->v[i], slen(a->v[i]), b->v[j], slen(b->v[j])))
            j++;
        if (j == b->n)
            return 0;
    }
    return 1;
}

/* Adds the requirement *cand (taken: left empty) to c, in order of
 * quality, keeping the best SL_LITERAL_SETS. An empty set, or one with the
 * empty string, requires nothing and is dropped. */
static void conj_add(conj *c, strset *cand)
{
    if (!cand->n || set_has_empty(cand)) {
        set_free(cand);
        return;
    }
    for (size_t k = 0; k < c->n; k++)
        if (set_equal(&c->s[k], cand) || implies(&c->s[k], cand)) {
            set_free(cand);
            return;
        }
    for (size_t k = 0; k < c->n;)
        if (implies(cand, &c->s[k])) {
            set_free(&c->s[k]);
            memmove(&c->s[k], &c->s[k + 1], (c->n - k - 1) * sizeof c->s[0]);
            c->n--;
        } else {
            k++;
        }
    size_t pos = c->n;
    while (pos > 0 && better(cand, &c->s[pos - 1]))
        pos--;
    if (pos >= SL_LITERAL_SETS) {
        set_free(cand);
        return;
    }
    if (c->n == SL_LITERAL_SETS)
        set_free(&c->s[--c->n]);
    memmove(&c->s[pos + 1], &c->s[pos], (c->n - pos) * sizeof c->s[0]);
    c->s[pos] = *cand;
    c->n++;
    memset(cand, 0, sizeof *cand);
}

/* Moves every requirement of src into dst. */
static void conj_merge(conj *dst, conj *src)
{
    for (size_t k = 0; k < src->n; k++)
        conj_add(dst, &src->s[k]);
    src->n = 0;
}

/* The requirements a node gives its parent, moved out of x (which is left
 * empty). Returns 0 when it gives none. */
static int take_req(info *x, conj *out)
{
    memset(out, 0, sizeof *out);
    if (x->exact) {
        conj_add(out, &x->set);
    } else {
        *out = x->req;
        memset(&x->req, 0, sizeof x->req);
    }
    info_free(x);
    return out->n > 0;
}

/* a x b, or 0 (and nothing built) when it would be too large. */
static int product(parser *p, const strset *a, const strset *b, strset *out)
{
    memset(out, 0, sizeof *out);
    if (a->n * b->n > EXACT_MAX)
        return 0;
    /* Room for every pair at once: most products keep them all. */
    if (a->n * b->n > 0 && !(out->v = malloc(a->n * b->n * sizeof *out->v))) {
        p->nomem = 1;
        return 0;
    }
    out->cap = a->n * b->n;
    /* When a's strings, or b's, all have one length, no two pairs give the
     * same string (distinct strings of one length differ within it), and
     * the search for a duplicate is left out. */
    int distinct = 1;
    for (size_t i = 1; i < a->n && distinct; i++)
        distinct = slen(a->v[i]) == slen(a->v[0]);
    if (!distinct) {
        distinct = 1;
        for (size_t j = 1; j < b->n && distinct; j++)
            distinct = slen(b->v[j]) == slen(b->v[0]);
    }
    char buf[2 * STR_MAX + 1];
    for (size_t i = 0; i < a->n; i++)
        for (size_t j = 0; j < b->n; j++) {
            size_t la = slen(a->v[i]), lb = slen(b->v[j]);
            if (la + lb > STR_MAX) {
                set_free(out);
                return 0;
            }
            memcpy(buf, a->v[i], la);
            memcpy(buf + la, b->v[j], lb);
            if (!(distinct ? set_push_folded : set_add_folded)(p, out, buf, la + lb)) {
                set_free(out);
                return 0;
            }
        }
    return 1;
}

/* ------------------------------------------------------------ characters */

static size_t utf8_decode(const char *s, size_t n, int32_t *cp)
{
    utf8proc_int32_t c = 0;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &c);
    if (k <= 0) {
        *cp = -1;
        return 1;
    }
    *cp = c;
    return (size_t)k;
}

/* A code point that can stand in a literal: no NUL, and for non-ASCII no
 * case mapping (see the notes at the top). */
static int cp_literal(int32_t cp)
{
    if (cp <= 0)
        return 0;
    if (cp < 0x80)
        return 1;
    return utf8proc_tolower(cp) == cp && utf8proc_toupper(cp) == cp && utf8proc_totitle(cp) == cp;
}

/* One character as a node: exact when it can stand in a literal, else
 * "some character" (nothing known). */
static info info_cp(parser *p, int32_t cp)
{
    info x = {0};
    if (!cp_literal(cp))
        return x;
    utf8proc_uint8_t b[4];
    utf8proc_ssize_t k = utf8proc_encode_char(cp, b);
    return info_exact1(p, (const char *)b, (size_t)k);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* \x{hhh} or \xhh after the "x"; -1 (and bail) when malformed. */
static int32_t parse_hex(parser *p)
{
    int32_t v = 0;
    if (p->i < p->n && p->s[p->i] == '{') {
        size_t j = p->i + 1, digits = 0;
        while (j < p->n && hexval(p->s[j]) >= 0 && digits < 8) {
            v = v * 16 + hexval(p->s[j++]);
            digits++;
        }
        if (j >= p->n || p->s[j] != '}' || digits == 0) {
            p->bail = 1;
            return -1;
        }
        p->i = j + 1;
        return v;
    }
    for (int k = 0; k < 2 && p->i < p->n && hexval(p->s[p->i]) >= 0; k++)
        v = v * 16 + hexval(p->s[p->i++]);
    return v;
}

/* Skips the property of \p or \P ({Name} or one letter). */
static void skip_property(parser *p)
{
    if (p->i < p->n && p->s[p->i] == '{') {
        while (p->i < p->n && p->s[p->i] != '}')
            p->i++;
        if (p->i >= p->n)
            p->bail = 1;
        p->i++;
    } else {
        p->i++;
    }
}

enum { ESC_CHAR, ESC_ANY, ESC_EMPTY, ESC_QUOTE, ESC_WS };

/* An escape after the backslash: a character (*cp), a class of
 * characters, a zero-width assertion, or the start of \Q. Sets p->bail for
 * backreferences and anything else not understood. */
static int parse_escape(parser *p, int in_class, int32_t *cp)
{
    if (p->i >= p->n) {
        p->bail = 1;
        return ESC_ANY;
    }
    char c = p->s[p->i++];
    switch (c) {
    case 'N':
        /* \N{U+hhhh} names one character: rare enough to give up on. */
        if (p->i < p->n && p->s[p->i] == '{')
            break;
        return ESC_ANY;
    /* Whitespace, as the text being matched has it: normalized text
     * (text/normalize.h) holds no whitespace but a single ' ' or "\n"
     * between visible characters, whatever the source had (tabs, runs,
     * NBSP, CRLF, U+2028...), and literals write both as ' '. */
    case 's':
    case 'h':
    case 'v':
        return ESC_WS;
    case 'R':
        if (in_class)
            break;
        return ESC_WS;
    case 'd':
    case 'D':
    case 'w':
    case 'W':
    case 'S':
    case 'H':
    case 'V':
    case 'X':
    case 'C':
        return ESC_ANY;
    case 'p':
    case 'P':
        skip_property(p);
        return ESC_ANY;
    case 'b':
        if (in_class) {
            *cp = 0x08;
            return ESC_CHAR;
        }
        return ESC_EMPTY;
    case 'B':
    case 'A':
    case 'Z':
    case 'z':
    case 'G':
    case 'K':
        if (in_class)
            break;
        return ESC_EMPTY;
    case 'E':
        if (in_class)
            break;
        return ESC_EMPTY;
    case 'Q':
        if (in_class)
            break;
        return ESC_QUOTE;
    case 'n':
        *cp = '\n';
        return ESC_CHAR;
    case 't':
        *cp = '\t';
        return ESC_CHAR;
    case 'r':
        *cp = '\r';
        return ESC_CHAR;
    case 'f':
        *cp = '\f';
        return ESC_CHAR;
    case 'e':
        *cp = 0x1B;
        return ESC_CHAR;
    case 'a':
        *cp = 0x07;
        return ESC_CHAR;
    case 'x':
        *cp = parse_hex(p);
        return ESC_CHAR;
    default:
        if ((unsigned char)c >= 0x80) {
            p->i--;
            p->i += utf8_decode(p->s + p->i, p->n - p->i, cp);
            return ESC_CHAR;
        }
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
            *cp = (unsigned char)c;
            return ESC_CHAR;
        }
        break;
    }
    /* Backreferences, octal, \g, \k, \c, \o, \u and anything unknown. */
    p->bail = 1;
    return ESC_ANY;
}

/* ------------------------------------------------------------ classes */

/* [...] after the "[": exact when it is a short list of characters. */
static info parse_class(parser *p)
{
    info x = {0};
    int neg = 0, many = 0, first = 1;
    strset mem = {0};
    if (p->i < p->n && p->s[p->i] == '^') {
        neg = 1;
        p->i++;
    }
    for (;;) {
        if (p->i >= p->n) {
            p->bail = 1;
            break;
        }
        char c = p->s[p->i];
        if (c == ']' && !first) {
            p->i++;
            break;
        }
        first = 0;
        int32_t lo = -1;
        if (c == '[' && p->i + 1 < p->n && p->s[p->i + 1] == ':') {
            const char *end = NULL;
            for (size_t j = p->i + 2; j + 1 < p->n; j++)
                if (p->s[j] == ':' && p->s[j + 1] == ']') {
                    end = p->s + j;
                    break;
                } else if (p->s[j] == ']') {
                    break;
                }
            if (end) {
                p->i = (size_t)(end - p->s) + 2;
                many = 1;
                continue;
            }
            lo = '[';
            p->i++;
        } else if (c == '\\') {
            p->i++;
            int k = parse_escape(p, 1, &lo);
            if (p->bail)
                break;
            if (k == ESC_WS) {
                if (!set_add(p, &mem, " ", 1))
                    break;
                continue;
            }
            if (k != ESC_CHAR) {
                many = 1;
                continue;
            }
        } else {
            p->i += utf8_decode(p->s + p->i, p->n - p->i, &lo);
        }
        if (lo < 0) {
            p->bail = 1;
            break;
        }
        int32_t hi = lo;
        if (p->i + 1 < p->n && p->s[p->i] == '-' && p->s[p->i + 1] != ']') {
            p->i++;
            if (p->s[p->i] == '\\') {
                p->i++;
                int k = parse_escape(p, 1, &hi);
                if (p->bail || k != ESC_CHAR) {
                    /* [a-\d] is an error or a literal '-' depending on the
                     * version: not worth knowing. */
                    p->bail = 1;
                    break;
                }
            } else if (p->s[p->i] == '[') {
                p->bail = 1;
                break;
            } else {
                p->i += utf8_decode(p->s + p->i, p->n - p->i, &hi);
            }
            if (hi < lo) {
                p->bail = 1;
                break;
            }
        }
        if (hi - lo >= CLASS_MAX) {
            many = 1;
            continue;
        }
        for (int32_t cp = lo; cp <= hi && !many; cp++) {
            if (!cp_literal(cp)) {
                many = 1;
                break;
            }
            utf8proc_uint8_t b[4];
            utf8proc_ssize_t k = utf8proc_encode_char(cp, b);
            if (!set_add(p, &mem, (const char *)b, (size_t)k))
                break;
            if (mem.n > CLASS_MAX)
                many = 1;
        }
    }
    if (!p->bail && !p->nomem && !neg && !many && mem.n) {
        x.exact = 1;
        x.set = mem;
        return x;
    }
    set_free(&mem);
    return x;
}

/* ------------------------------------------------------------ structure */

static info parse_alt(parser *p);

/* Nonzero when every string of `s` is one whitespace byte. Normalized
 * text never has two in a row (text/normalize.h), so a repeat of such a
 * set matches at most one. */
static int single_spaces(const strset *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (slen(s->v[i]) != 1 || !strchr(" \n\t\r\f\v", s->v[i][0]))
            return 0;
    return s->n > 0;
}

/* Applies {min,max} (max < 0: unbounded) to x. */
static info repeat(parser *p, info x, long min, long max)
{
    info r = {0};
    if (min == 1 && max == 1)
        return x;
    if (x.exact && single_spaces(&x.set)) {
        /* x+ is x. Two or more cannot match, and knowing nothing of it
         * is what is safe to say; nor is x* or x? taken as x or nothing,
         * since every optional space of a phrase would double the
         * strings of its run. */
        if (min != 1) {
            info_free(&x);
            return r;
        }
        return x;
    }
    if (min == 0) {
        if (max == 1 && x.exact) {
            set_add(p, &x.set, "", 0);
            return x;
        }
        info_free(&x);
        return r;
    }
    if (x.exact && min == max && min <= 4) {
        strset acc = {0};
        set_add(p, &acc, "", 0);
        for (long k = 0; k < min; k++) {
            strset next;
            if (!product(p, &acc, &x.set, &next)) {
                set_free(&acc);
                goto req;
            }
            set_free(&acc);
            acc = next;
        }
        info_free(&x);
        r.exact = 1;
        r.set = acc;
        return r;
    }
req:
    /* At least one copy is there, so its requirements hold. */
    take_req(&x, &r.req);
    return r;
}

/* Parses a quantifier at p->i, if any; returns 0 when there is none. */
static int parse_quant(parser *p, long *min, long *max)
{
    if (p->i >= p->n)
        return 0;
    char c = p->s[p->i];
    if (c == '*' || c == '+' || c == '?') {
        *min = c == '+';
        *max = c == '?' ? 1 : -1;
        p->i++;
    } else if (c == '{') {
        size_t j = p->i + 1;
        long a = 0, b = -1;
        int da = 0, db = 0, comma = 0;
        while (j < p->n && p->s[j] >= '0' && p->s[j] <= '9' && da < 6)
            a = a * 10 + (p->s[j++] - '0'), da++;
        if (j < p->n && p->s[j] == ',') {
            comma = 1;
            j++;
            b = 0;
            while (j < p->n && p->s[j] >= '0' && p->s[j] <= '9' && db < 6)
                b = b * 10 + (p->s[j++] - '0'), db++;
        }
        if (j < p->n && p->s[j] == '}' && da > 0) {
            *min = a;
            *max = !comma ? a : db ? b : -1;
            p->i = j + 1;
        } else if (da > 0 || (comma && j < p->n && p->s[j] == '}') ||
                   (j < p->n && (p->s[j] == ' ' || p->s[j] == '}'))) {
            /* {,n}, { 1 } and friends changed meaning between PCRE2
             * versions: do not guess. */
            p->bail = 1;
            return 0;
        } else {
            return 0; /* a literal '{' follows */
        }
    } else {
        return 0;
    }
    if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '?'))
        p->i++;
    return 1;
}

/* The text of a \Q...\E run. */
/* Nonzero when a quantifier stands at p->i. After something that matches
 * nothing and is not an item (\E, an empty \Q\E, a comment), PCRE2
 * applies it to the item before: the analysis gives up rather than
 * follow. */
static int quantifier_next(const parser *p)
{
    return p->i < p->n && strchr("*+?{", p->s[p->i]);
}

static info parse_quoted(parser *p)
{
    size_t start = p->i;
    while (p->i < p->n && !(p->s[p->i] == '\\' && p->i + 1 < p->n && p->s[p->i + 1] == 'E'))
        p->i++;
    size_t end = p->i;
    if (p->i < p->n)
        p->i += 2;
    /* A quantifier after \Q..\E applies to the last character only. */
    for (size_t k = start; k < end; k++)
        if ((unsigned char)p->s[k] >= 0x80 || p->s[k] == '\0') {
            info x = {0};
            return x;
        }
    if (end > start && quantifier_next(p)) {
        info x = {0};
        return x;
    }
    if (end == start && quantifier_next(p))
        p->bail = 1;
    return info_exact1(p, p->s + start, end - start);
}

/* A group after "(". */
static info parse_group(parser *p)
{
    info x = {0};
    int zero_width = 0;
    if (++p->depth > DEPTH_MAX) {
        p->bail = 1;
        return x;
    }
    if (p->i < p->n && p->s[p->i] == '*') {
        p->bail = 1; /* (*VERB) and (*pla:...) */
        return x;
    }
    if (p->i < p->n && p->s[p->i] == '?') {
        p->i++;
        char c = p->i < p->n ? p->s[p->i] : '\0';
        if (c == '#') {
            while (p->i < p->n && p->s[p->i] != ')')
                p->i++;
            if (p->i >= p->n)
                p->bail = 1;
            p->i++;
            p->depth--;
            if (quantifier_next(p))
                p->bail = 1;
            return info_exact1(p, "", 0);
        } else if (c == ':' || c == '>' || c == '|') {
            p->i++;
        } else if (c == '=' || c == '!') {
            p->i++;
            zero_width = 1;
        } else if (c == '<' && p->i + 1 < p->n &&
                   (p->s[p->i + 1] == '=' || p->s[p->i + 1] == '!')) {
            p->i += 2;
            zero_width = 1;
        } else if (c == '<' || c == '\'' ||
                   (c == 'P' && p->i + 1 < p->n && p->s[p->i + 1] == '<')) {
            char close = c == '\'' ? '\'' : '>';
            while (p->i < p->n && p->s[p->i] != close)
                p->i++;
            if (p->i >= p->n) {
                p->bail = 1;
                return x;
            }
            p->i++;
        } else {
            /* Option settings: (?i) (?-i) (?i:...) (?^). Case does not
             * matter here (see the top); extended mode changes what every
             * character means, so it ends the analysis. */
            size_t j = p->i;
            while (j < p->n && strchr("imnsJU-^", p->s[j]) && p->s[j])
                j++;
            if (j >= p->n || (p->s[j] != ')' && p->s[j] != ':') || j == p->i) {
                p->bail = 1; /* (?x), recursion, conditionals, callouts */
                return x;
            }
            p->i = j + 1;
            if (p->s[j] == ')') {
                p->depth--;
                return info_exact1(p, "", 0);
            }
        }
    }
    info sub = parse_alt(p);
    if (p->i >= p->n || p->s[p->i] != ')')
        p->bail = 1;
    p->i++;
    p->depth--;
    if (zero_width) {
        /* The asserted text lies outside the match. */
        info_free(&sub);
        return info_exact1(p, "", 0);
    }
    return sub;
}

static info parse_atom(parser *p)
{
    info x = {0};
    char c = p->s[p->i];
    int32_t cp = -1;
    switch (c) {
    case '(':
        p->i++;
        return parse_group(p);
    case '[':
        if (p->i + 7 <= p->n &&
            (memcmp(p->s + p->i, "[[:<:]]", 7) == 0 || memcmp(p->s + p->i, "[[:>:]]", 7) == 0)) {
            p->i += 7;
            return info_exact1(p, "", 0);
        }
        p->i++;
        return parse_class(p);
    case '.':
        p->i++;
        return x;
    case '^':
    case '$':
        p->i++;
        return info_exact1(p, "", 0);
    case '*':
    case '+':
    case '?':
        p->bail = 1;
        return x;
    case '\\': {
        p->i++;
        int k = parse_escape(p, 0, &cp);
        if (k == ESC_EMPTY) {
            if (quantifier_next(p))
                p->bail = 1;
            return info_exact1(p, "", 0);
        }
        if (k == ESC_QUOTE)
            return parse_quoted(p);
        if (k == ESC_ANY)
            return x;
        if (k == ESC_WS)
            return info_exact1(p, " ", 1);
        return info_cp(p, cp);
    }
    default:
        p->i += utf8_decode(p->s + p->i, p->n - p->i, &cp);
        return info_cp(p, cp);
    }
}

static info parse_concat(parser *p)
{
    info r = {0};
    strset run = {0};
    conj best = {0};
    int in_run = 1, all_exact = 1;
    set_add(p, &run, "", 0);
    while (p->i < p->n && p->s[p->i] != '|' && p->s[p->i] != ')' && !p->bail && !p->nomem) {
        info x = parse_atom(p);
        long min, max;
        while (!p->bail && parse_quant(p, &min, &max))
            x = repeat(p, x, min, max);
        if (x.exact) {
            strset next;
            if (in_run && product(p, &run, &x.set, &next)) {
                set_free(&run);
                run = next;
                info_free(&x);
            } else {
                /* Too many or too long: the run so far becomes a candidate
                 * and a new one starts here. */
                all_exact = 0;
                if (in_run)
                    conj_add(&best, &run);
                set_free(&run);
                run = x.set;
                memset(&x.set, 0, sizeof x.set);
                in_run = 1;
            }
        } else {
            all_exact = 0;
            if (in_run)
                conj_add(&best, &run);
            set_free(&run);
            in_run = 0;
            conj req;
            if (take_req(&x, &req))
                conj_merge(&best, &req);
        }
        if (!in_run) {
            set_add(p, &run, "", 0);
            in_run = 1;
        }
    }
    if (all_exact) {
        conj_free(&best);
        r.exact = 1;
        r.set = run;
        return r;
    }
    conj_add(&best, &run);
    set_free(&run);
    r.req = best;
    return r;
}

static info parse_alt(parser *p)
{
    info acc = parse_concat(p);
    while (p->i < p->n && p->s[p->i] == '|' && !p->bail && !p->nomem) {
        p->i++;
        info b = parse_concat(p);
        if (acc.exact && b.exact && acc.set.n + b.set.n <= EXACT_MAX) {
            for (size_t i = 0; i < b.set.n; i++)
                set_add(p, &acc.set, b.set.v[i], slen(b.set.v[i]));
            info_free(&b);
            continue;
        }
        conj ra, rb;
        int ha = take_req(&acc, &ra), hb = take_req(&b, &rb);
        /* A match of either branch contains a string of any set of its
         * own: so of the union of a set of each. */
        for (size_t i = 0; ha && hb && i < ra.n; i++)
            for (size_t j = 0; j < rb.n; j++) {
                if (ra.s[i].n + rb.s[j].n > REQ_MAX)
                    continue;
                strset u = {0};
                for (size_t k = 0; k < ra.s[i].n; k++)
                    set_add(p, &u, ra.s[i].v[k], slen(ra.s[i].v[k]));
                for (size_t k = 0; k < rb.s[j].n; k++)
                    set_add(p, &u, rb.s[j].v[k], slen(rb.s[j].v[k]));
                conj_add(&acc.req, &u);
            }
        conj_free(&ra);
        conj_free(&rb);
    }
    return acc;
}

/* Drops every string that contains another one of the set: finding the
 * shorter one is already enough. */
static void minimize(parser *p, strset *s)
{
    /* Decide everything first: the strings are compared with each other. */
    unsigned char *drop = calloc(s->n ? s->n : 1, 1);
    if (!drop) {
        p->nomem = 1;
        return;
    }
    for (size_t i = 0; i < s->n; i++)
        for (size_t j = 0; j < s->n && !drop[i]; j++)
            drop[i] = j != i && slen(s->v[j]) <= slen(s->v[i]) &&
                      (slen(s->v[j]) < slen(s->v[i]) || j < i) &&
                      contains(s->v[i], slen(s->v[i]), s->v[j], slen(s->v[j]));
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++)
        if (!drop[i])
            s->v[k++] = s->v[i];
    s->n = k;
    free(drop);
}

void sl_litsets_clear(sl_litsets *ls)
{
    for (size_t i = 0; i < ls->nlits; i++)
        free(ls->lits[i]);
    free(ls->lits);
    memset(ls, 0, sizeof *ls);
}

sl_status sl_regex_literals(const char *rx, size_t len, sl_litsets *out)
{
    parser p = {rx, 0, len, 0, 0, 0, NULL};
    memset(out, 0, sizeof *out);
    info top = parse_alt(&p);
    conj req = {0};
    if (p.i < p.n)
        p.bail = 1; /* an unbalanced ')' */
    if (!p.bail && !p.nomem && take_req(&top, &req)) {
        /* A requirement that prose is full of is dropped when another one
         * is not (when all are, the first is kept), and so is one another
         * implies. */
        size_t total = 0, kept = 0, plain = 0;
        for (size_t k = 0; k < req.n; k++) {
            minimize(&p, &req.s[k]);
            plain += !common_in_prose(&req.s[k]);
        }
        for (size_t k = 0; k < req.n; k++) {
            int drop = common_in_prose(&req.s[k]) && (plain > 0 || k > 0);
            for (size_t j = 0; j < kept && !drop; j++)
                drop = implies(&req.s[j], &req.s[k]);
            if (drop) {
                set_free(&req.s[k]);
                continue;
            }
            req.s[kept++] = req.s[k];
            total += req.s[k].n;
        }
        req.n = kept;
        if (!p.nomem && total && !(out->lits = malloc(total * sizeof *out->lits)))
            p.nomem = 1;
        for (size_t k = 0; k < req.n && !p.nomem; k++) {
            size_t first = out->nlits;
            for (size_t i = 0; i < req.s[k].n && !p.nomem; i++) {
                /* A long literal is cut to its first LIT_MAX bytes (at a
                 * character's start): a text holding it holds the prefix,
                 * which is rare enough already, and every byte more is a
                 * state more in the prefilter's automaton. */
                const char *v = req.s[k].v[i];
                size_t vlen = slen(v);
                if (vlen > LIT_MAX) {
                    vlen = LIT_MAX;
                    while (vlen > 0 && ((unsigned char)v[vlen] & 0xC0) == 0x80)
                        vlen--;
                }
                int dup = 0;
                for (size_t j = first; j < out->nlits && !dup; j++)
                    dup = strlen(out->lits[j]) == vlen && memcmp(out->lits[j], v, vlen) == 0;
                if (dup)
                    continue;
                char *c = sl_strndup(v, vlen);
                if (!c)
                    p.nomem = 1;
                else
                    out->lits[out->nlits++] = c;
            }
            out->set_end[out->nsets++] = out->nlits;
        }
    }
    conj_free(&req);
    info_free(&top);
    arena_free(&p);
    if (p.nomem) {
        sl_litsets_clear(out);
        return SL_ENOMEM;
    }
    return SL_OK;
}
