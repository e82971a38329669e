/*
 * PCRE2 patterns into trees of character sets (rxtree.h).
 *
 * The parser follows PCRE2's syntax closely enough to know where each atom,
 * group and quantifier is: escapes (\d \w \s \h \v in UCP mode, \p{...},
 * \x{...}, \Q...\E), classes with ranges and POSIX names, named and option
 * groups, inline options (?i) (?s) (?x) scoped as PCRE2 scopes them,
 * extended-mode spaces and comments, and quantifiers with their lazy and
 * possessive forms. Anything else it meets (a backreference, a recursion,
 * a condition, a verb, a malformed piece) marks the pattern unsupported:
 * the pattern has already compiled, so that only happens for what the
 * tree does not model, and an analysis then says nothing rather than
 * something wrong.
 */
#include "rules/rxtree.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ------------------------------------------------------------ character sets */

#define CAT(c) (1u << UTF8PROC_CATEGORY_##c)
#define CATS_L (CAT(LU) | CAT(LL) | CAT(LT) | CAT(LM) | CAT(LO))
#define CATS_M (CAT(MN) | CAT(MC) | CAT(ME))
#define CATS_N (CAT(ND) | CAT(NL) | CAT(NO))
#define CATS_P (CAT(PC) | CAT(PD) | CAT(PS) | CAT(PE) | CAT(PI) | CAT(PF) | CAT(PO))
#define CATS_S (CAT(SM) | CAT(SC) | CAT(SK) | CAT(SO))
#define CATS_Z (CAT(ZS) | CAT(ZL) | CAT(ZP))
#define CATS_C (CAT(CC) | CAT(CF) | CAT(CS) | CAT(CO) | CAT(CN))
#define CATS_ALL (CATS_L | CATS_M | CATS_N | CATS_P | CATS_S | CATS_Z | CATS_C)

static void cs_add(sl_cset *s, unsigned c)
{
    if (c < 64)
        s->lo |= (uint64_t)1 << c;
    else if (c < 128)
        s->hi |= (uint64_t)1 << (c - 64);
}

static int cs_has(const sl_cset *s, unsigned c)
{
    return c < 64 ? (int)((s->lo >> c) & 1) : c < 128 ? (int)((s->hi >> (c - 64)) & 1) : 0;
}

static void cs_range(sl_cset *s, unsigned a, unsigned b)
{
    for (unsigned c = a; c <= b && c < 128; c++)
        cs_add(s, c);
}

static void cs_negate(sl_cset *s)
{
    s->lo = ~s->lo;
    s->hi = ~s->hi;
    s->cats = ~s->cats & CATS_ALL;
}

/* Every ASCII character whose category is in `cats`, and those categories
 * beyond ASCII: a Unicode property as a set. */
static sl_cset cs_cats(uint32_t cats)
{
    sl_cset s = {0, 0, cats};
    for (unsigned c = 0; c < 128; c++)
        if (cats & (1u << utf8proc_category((utf8proc_int32_t)c)))
            cs_add(&s, c);
    return s;
}

static void cs_char(sl_cset *s, uint32_t cp)
{
    if (cp < 128)
        cs_add(s, cp);
    else
        s->cats |= 1u << utf8proc_category((utf8proc_int32_t)cp);
}

/* Both cases of every letter, as PCRE2_CASELESS matches them. */
static void cs_fold(sl_cset *s)
{
    for (unsigned c = 'a'; c <= 'z'; c++)
        if (cs_has(s, c) || cs_has(s, c - 32)) {
            cs_add(s, c);
            cs_add(s, c - 32);
        }
    /* The Kelvin sign and the long s fold to k and s: letters already. */
    if (s->cats & (CAT(LU) | CAT(LL) | CAT(LT)))
        s->cats |= CAT(LU) | CAT(LL) | CAT(LT);
}

/* \d \w \s \h \v and their negations, in UCP mode; 0 when `c` is none. */
static int cs_class_escape(char c, sl_cset *out)
{
    sl_cset s = {0, 0, 0};
    switch (c | 0x20) {
    case 'd':
        s = cs_cats(CAT(ND));
        break;
    case 'w':
        s = cs_cats(CATS_L | CATS_N | CAT(MN) | CAT(PC));
        cs_add(&s, '_');
        break;
    case 's':
        /* NEL (U+0085) is a control character: Cc stands for it. */
        s.cats = CATS_Z | CAT(CC);
        cs_range(&s, '\t', '\r');
        cs_add(&s, ' ');
        break;
    case 'h':
        s.cats = CAT(ZS);
        cs_add(&s, '\t');
        cs_add(&s, ' ');
        break;
    case 'v':
        s.cats = CAT(ZL) | CAT(ZP) | CAT(CC);
        cs_range(&s, '\n', '\r');
        break;
    default:
        return 0;
    }
    if (c >= 'A' && c <= 'Z')
        cs_negate(&s);
    *out = s;
    return 1;
}

typedef struct prop_name {
    const char *name;
    uint32_t cats;
} prop_name;

static const prop_name props[] = {
    {"L", CATS_L},
    {"L&", CAT(LU) | CAT(LL) | CAT(LT)},
    {"Lu", CAT(LU)},
    {"Ll", CAT(LL)},
    {"Lt", CAT(LT)},
    {"Lm", CAT(LM)},
    {"Lo", CAT(LO)},
    {"M", CATS_M},
    {"Mn", CAT(MN)},
    {"Mc", CAT(MC)},
    {"Me", CAT(ME)},
    {"N", CATS_N},
    {"Nd", CAT(ND)},
    {"Nl", CAT(NL)},
    {"No", CAT(NO)},
    {"P", CATS_P},
    {"Pc", CAT(PC)},
    {"Pd", CAT(PD)},
    {"Ps", CAT(PS)},
    {"Pe", CAT(PE)},
    {"Pi", CAT(PI)},
    {"Pf", CAT(PF)},
    {"Po", CAT(PO)},
    {"S", CATS_S},
    {"Sm", CAT(SM)},
    {"Sc", CAT(SC)},
    {"Sk", CAT(SK)},
    {"So", CAT(SO)},
    {"Z", CATS_Z},
    {"Zs", CAT(ZS)},
    {"Zl", CAT(ZL)},
    {"Zp", CAT(ZP)},
    {"C", CATS_C},
    {"Cc", CAT(CC)},
    {"Cf", CAT(CF)},
    {"Cs", CAT(CS)},
    {"Co", CAT(CO)},
    {"Cn", CAT(CN)},
    {"Any", CATS_ALL},
    {"Xan", CATS_L | CATS_N},
    {"Xwd", CATS_L | CATS_N},
    {"Xsp", CATS_Z | CAT(CC)},
    {"Xps", CATS_Z | CAT(CC)},
};

/* A \p{...} name (without braces or ^) as a set. A script or another name
 * this table lacks is taken as any character but ASCII punctuation: wide,
 * but scripts rarely meet ASCII in one loop. */
static sl_cset cs_property(const char *name, size_t n)
{
    for (size_t i = 0; i < sizeof props / sizeof props[0]; i++)
        if (strlen(props[i].name) == n && memcmp(props[i].name, name, n) == 0) {
            sl_cset s = cs_cats(props[i].cats);
            if (props[i].name[0] == 'X' && props[i].name[1] == 'w')
                cs_add(&s, '_');
            return s;
        }
    sl_cset s = {0, 0, CATS_ALL};
    if ((n == 5 && memcmp(name, "Latin", 5) == 0) || (n == 6 && memcmp(name, "Common", 6) == 0)) {
        sl_cset a = cs_cats(CATS_ALL);
        s.lo = a.lo;
        s.hi = a.hi;
    }
    return s;
}

/* ------------------------------------------------------------ the parse tree */

typedef struct flags {
    int caseless, dotall, extended;
} flags;

typedef struct parser {
    const char *rx;
    size_t len, i;
    sl_rxnode *nodes;
    size_t n, cap;
    int unsupported; /* a construct the analysis does not model */
    int nomem;
    unsigned depth;
} parser;

static int new_node(parser *p, int kind)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 64;
        if (cap > SL_RX_MAX_NODES) {
            p->unsupported = 1;
            return -1;
        }
        sl_rxnode *nn = realloc(p->nodes, cap * sizeof *nn);
        if (!nn) {
            p->nomem = 1;
            return -1;
        }
        p->nodes = nn;
        p->cap = cap;
    }
    sl_rxnode *x = &p->nodes[p->n];
    memset(x, 0, sizeof *x);
    x->kind = kind;
    return (int)p->n++;
}

static int add_kid(parser *p, int parent, int kid)
{
    sl_rxnode *x = &p->nodes[parent];
    if (x->nkids == x->capkids) {
        size_t cap = x->capkids ? 2 * x->capkids : 4;
        int *k = realloc(x->kids, cap * sizeof *k);
        if (!k) {
            p->nomem = 1;
            return 0;
        }
        x->kids = k;
        x->capkids = cap;
    }
    x->kids[x->nkids++] = kid;
    return 1;
}

static int set_node(parser *p, const sl_cset *s)
{
    int k = new_node(p, SL_RX_SET);
    if (k >= 0)
        p->nodes[k].set = *s;
    return k;
}

static int failed(const parser *p)
{
    return p->unsupported || p->nomem;
}

/* The UTF-8 character at p->i (the pattern is UTF-8: PCRE2_UTF). */
static uint32_t next_char(parser *p)
{
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)p->rx + p->i,
                                          (utf8proc_ssize_t)(p->len - p->i), &cp);
    if (k <= 0) {
        p->unsupported = 1;
        p->i++;
        return 0xFFFD;
    }
    p->i += (size_t)k;
    return (uint32_t)cp;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Skips whitespace and # comments in extended mode. */
static void skip_extended(parser *p, const flags *f)
{
    if (!f->extended)
        return;
    while (p->i < p->len) {
        char c = p->rx[p->i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            p->i++;
        } else if (c == '#') {
            while (p->i < p->len && p->rx[p->i] != '\n')
                p->i++;
        } else {
            break;
        }
    }
}

/* What an escape stands for: a set (returns 1), nothing (an assertion or
 * \E: returns 0), or the code point of a single character (returns 2, in
 * *cp, so that a class can use it as a range end). p->i is past the
 * backslash. */
static int parse_escape(parser *p, int in_class, sl_cset *out, uint32_t *cp)
{
    memset(out, 0, sizeof *out);
    if (p->i >= p->len) {
        p->unsupported = 1;
        return 0;
    }
    char c = p->rx[p->i++];
    if (cs_class_escape(c, out))
        return 1;
    switch (c) {
    case 'b':
        if (in_class) {
            *cp = 8;
            return 2;
        }
        return 0;
    case 'B':
    case 'A':
    case 'z':
    case 'Z':
    case 'G':
    case 'K':
    case 'E':
        return in_class && c != 'E' ? (p->unsupported = 1, 0) : 0;
    case 'N':
        if (in_class || (p->i < p->len && p->rx[p->i] == '{')) {
            p->unsupported = 1;
            return 0;
        }
        *out = cs_cats(CATS_ALL);
        out->lo &= ~((uint64_t)1 << '\n');
        return 1;
    case 'R':
        *out = cs_cats(CAT(ZL) | CAT(ZP) | CAT(CC));
        out->lo = 0;
        cs_range(out, '\n', '\r');
        return 1;
    case 'X':
    case 'C':
        *out = cs_cats(CATS_ALL);
        return 1;
    case 'p':
    case 'P': {
        int neg = c == 'P';
        const char *name;
        size_t n;
        if (p->i < p->len && p->rx[p->i] == '{') {
            size_t e = p->i + 1;
            while (e < p->len && p->rx[e] != '}')
                e++;
            if (e >= p->len) {
                p->unsupported = 1;
                return 0;
            }
            name = p->rx + p->i + 1;
            n = e - p->i - 1;
            p->i = e + 1;
            if (n && name[0] == '^') {
                neg = !neg;
                name++;
                n--;
            }
        } else if (p->i < p->len) {
            name = p->rx + p->i++;
            n = 1;
        } else {
            p->unsupported = 1;
            return 0;
        }
        *out = cs_property(name, n);
        if (neg)
            cs_negate(out);
        return 1;
    }
    case 'a':
        *cp = 7;
        return 2;
    case 'e':
        *cp = 27;
        return 2;
    case 'f':
        *cp = 12;
        return 2;
    case 'n':
        *cp = 10;
        return 2;
    case 'r':
        *cp = 13;
        return 2;
    case 't':
        *cp = 9;
        return 2;
    case 'c':
        if (p->i >= p->len) {
            p->unsupported = 1;
            return 0;
        }
        *cp = (uint32_t)(p->rx[p->i++] & 0x1F);
        return 2;
    case 'x': {
        uint32_t v = 0;
        if (p->i < p->len && p->rx[p->i] == '{') {
            p->i++;
            while (p->i < p->len && hexval(p->rx[p->i]) >= 0 && v < 0x110000)
                v = v * 16 + (uint32_t)hexval(p->rx[p->i++]);
            if (p->i >= p->len || p->rx[p->i] != '}') {
                p->unsupported = 1;
                return 0;
            }
            p->i++;
        } else {
            for (int k = 0; k < 2 && p->i < p->len && hexval(p->rx[p->i]) >= 0; k++)
                v = v * 16 + (uint32_t)hexval(p->rx[p->i++]);
        }
        *cp = v;
        return 2;
    }
    case 'o':
    case '0': {
        uint32_t v = 0;
        if (c == 'o') {
            if (p->i >= p->len || p->rx[p->i] != '{') {
                p->unsupported = 1;
                return 0;
            }
            p->i++;
            while (p->i < p->len && p->rx[p->i] >= '0' && p->rx[p->i] <= '7' && v < 0x110000)
                v = v * 8 + (uint32_t)(p->rx[p->i++] - '0');
            if (p->i >= p->len || p->rx[p->i] != '}') {
                p->unsupported = 1;
                return 0;
            }
            p->i++;
        } else {
            for (int k = 0; k < 2 && p->i < p->len && p->rx[p->i] >= '0' && p->rx[p->i] <= '7'; k++)
                v = v * 8 + (uint32_t)(p->rx[p->i++] - '0');
        }
        *cp = v;
        return 2;
    }
    case 'Q':
        /* Handled by the callers, which see the literal run. */
        p->unsupported = 1;
        return 0;
    default:
        break;
    }
    unsigned char uc = (unsigned char)c;
    if (uc >= 0x80) {
        p->i--;
        *cp = next_char(p);
        return 2;
    }
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        /* Backreferences (\1, \g, \k) and anything else with a letter. */
        p->unsupported = 1;
        return 0;
    }
    *cp = uc;
    return 2;
}

/* [:name:] in a class; p->i is at "[:". Returns 0 when it is not one. */
static int parse_posix(parser *p, sl_cset *out)
{
    static const struct {
        const char *name;
        uint32_t cats;
        const char *ascii; /* a class escape letter, or NULL */
    } posix[] = {
        {"alpha", CATS_L, NULL},
        {"digit", CAT(ND), NULL},
        {"alnum", CATS_L | CATS_N, NULL},
        {"space", CATS_Z | CAT(CC), "s"},
        {"upper", CAT(LU), NULL},
        {"lower", CAT(LL), NULL},
        {"word", 0, "w"},
        {"punct", CATS_P | CATS_S, NULL},
        {"xdigit", 0, NULL},
        {"blank", 0, "h"},
        {"cntrl", CAT(CC), NULL},
        {"graph", CATS_ALL & ~CATS_Z & ~CATS_C, NULL},
        {"print", CATS_ALL & ~CATS_C, NULL},
        {"ascii", 0, NULL},
    };
    size_t e = p->i + 2;
    int neg = e < p->len && p->rx[e] == '^';
    if (neg)
        e++;
    size_t s = e;
    while (e < p->len && p->rx[e] >= 'a' && p->rx[e] <= 'z')
        e++;
    if (e + 1 >= p->len || p->rx[e] != ':' || p->rx[e + 1] != ']')
        return 0;
    for (size_t k = 0; k < sizeof posix / sizeof posix[0]; k++) {
        if (strlen(posix[k].name) != e - s || memcmp(posix[k].name, p->rx + s, e - s) != 0)
            continue;
        if (posix[k].ascii)
            cs_class_escape(posix[k].ascii[0], out);
        else
            *out = cs_cats(posix[k].cats);
        if (strcmp(posix[k].name, "xdigit") == 0) {
            cs_range(out, '0', '9');
            cs_range(out, 'a', 'f');
            cs_range(out, 'A', 'F');
        } else if (strcmp(posix[k].name, "ascii") == 0) {
            cs_range(out, 0, 127);
        }
        if (neg)
            cs_negate(out);
        p->i = e + 2;
        return 1;
    }
    p->unsupported = 1;
    return 0;
}

/* A character class; p->i is past the '['. */
static int parse_class(parser *p, const flags *f)
{
    sl_cset s = {0, 0, 0};
    int neg = 0;
    if (p->i < p->len && p->rx[p->i] == '^') {
        neg = 1;
        p->i++;
    }
    int first = 1;
    while (!failed(p)) {
        if (p->i >= p->len) {
            p->unsupported = 1;
            break;
        }
        char c = p->rx[p->i];
        if (c == ']' && !first) {
            p->i++;
            break;
        }
        first = 0;
        uint32_t lo;
        if (c == '[' && p->i + 1 < p->len && (p->rx[p->i + 1] == ':')) {
            sl_cset t;
            if (parse_posix(p, &t)) {
                sl_cset_union(&s, &t);
                continue;
            }
            if (failed(p))
                break;
        }
        if (c == '\\' && p->i + 1 < p->len && p->rx[p->i + 1] == 'Q') {
            p->i += 2;
            while (p->i < p->len &&
                   !(p->rx[p->i] == '\\' && p->i + 1 < p->len && p->rx[p->i + 1] == 'E'))
                cs_char(&s, next_char(p));
            p->i = p->i < p->len ? p->i + 2 : p->len;
            continue;
        }
        if (c == '\\') {
            p->i++;
            sl_cset t;
            int r = parse_escape(p, 1, &t, &lo);
            if (r == 1) {
                sl_cset_union(&s, &t);
                continue;
            }
            if (r == 0)
                continue;
        } else {
            lo = next_char(p);
        }
        /* A range? */
        if (p->i + 1 < p->len && p->rx[p->i] == '-' && p->rx[p->i + 1] != ']') {
            size_t save = p->i;
            p->i++;
            uint32_t hi;
            if (p->rx[p->i] == '\\') {
                p->i++;
                sl_cset t;
                if (parse_escape(p, 1, &t, &hi) != 2) {
                    /* [a-\d]: '-' is literal. */
                    p->i = save;
                    cs_char(&s, lo);
                    continue;
                }
            } else if (p->rx[p->i] == '[') {
                p->i = save;
                cs_char(&s, lo);
                continue;
            } else {
                hi = next_char(p);
            }
            if (hi < lo) {
                p->unsupported = 1;
                break;
            }
            if (lo < 128)
                cs_range(&s, lo, hi < 128 ? hi : 127);
            if (hi >= 128) {
                uint32_t from = lo < 128 ? 128 : lo;
                if (hi - from > 0x4000)
                    s.cats = CATS_ALL;
                else
                    for (uint32_t k = from; k <= hi; k++)
                        cs_char(&s, k);
            }
            continue;
        }
        cs_char(&s, lo);
    }
    if (f->caseless)
        cs_fold(&s);
    if (neg)
        cs_negate(&s);
    return set_node(p, &s);
}

static int parse_alt(parser *p, flags f);

/* Parses (?flags) or (?flags: at p->i (past "(?"); returns 1 and sets
 * *scoped when a ':' follows. */
static int parse_flag_letters(parser *p, flags *f, int *scoped)
{
    int on = 1;
    while (p->i < p->len) {
        char c = p->rx[p->i++];
        switch (c) {
        case '-':
            on = 0;
            break;
        case '^':
            f->caseless = f->dotall = f->extended = 0;
            break;
        case 'i':
            f->caseless = on;
            break;
        case 's':
            f->dotall = on;
            break;
        case 'x':
            f->extended = on;
            break;
        case 'm':
        case 'n':
        case 'J':
        case 'U':
            break;
        case ')':
            *scoped = 0;
            return 1;
        case ':':
            *scoped = 1;
            return 1;
        default:
            p->unsupported = 1;
            return 0;
        }
    }
    p->unsupported = 1;
    return 0;
}

/* A group; p->i is past the '('. *f may change for the rest of the
 * enclosing group ((?i) alone). */
static int parse_group(parser *p, flags *f)
{
    if (++p->depth > SL_RX_MAX_DEPTH) {
        p->unsupported = 1;
        return -1;
    }
    flags inner = *f;
    int kind = 0; /* 0 group, 1 atomic, 2 look-around (matches nothing) */
    const char *r = p->rx + p->i;
    size_t left = p->len - p->i;
    int k = -1;
    if (left >= 1 && r[0] == '*') {
        /* (*VERB), (*UTF), (*pla:...): not modelled. */
        p->unsupported = 1;
        goto out;
    }
    if (left >= 1 && r[0] == '?') {
        p->i++;
        r++;
        left--;
        if (left >= 1 && (r[0] == ':' || r[0] == '|')) {
            p->i++;
        } else if (left >= 1 && r[0] == '>') {
            p->i++;
            kind = 1;
        } else if (left >= 1 && (r[0] == '=' || r[0] == '!')) {
            p->i++;
            kind = 2;
        } else if (left >= 2 && r[0] == '<' && (r[1] == '=' || r[1] == '!')) {
            p->i += 2;
            kind = 2;
        } else if (left >= 1 && r[0] == '#') {
            while (p->i < p->len && p->rx[p->i] != ')')
                p->i++;
            if (p->i >= p->len)
                p->unsupported = 1;
            p->i++;
            k = new_node(p, SL_RX_EMPTY);
            goto out;
        } else if ((left >= 1 && (r[0] == '<' || r[0] == '\'')) ||
                   (left >= 2 && r[0] == 'P' && r[1] == '<')) {
            /* A named group: skip the name. */
            char close = r[0] == '\'' ? '\'' : '>';
            while (p->i < p->len && p->rx[p->i] != close)
                p->i++;
            p->i++;
        } else {
            int scoped = 0;
            if (!parse_flag_letters(p, &inner, &scoped))
                goto out;
            if (!scoped) {
                /* (?i): the rest of the enclosing group. */
                *f = inner;
                k = new_node(p, SL_RX_EMPTY);
                goto out;
            }
        }
    }
    int body = parse_alt(p, inner);
    if (failed(p))
        goto out;
    if (p->i >= p->len || p->rx[p->i] != ')') {
        p->unsupported = 1;
        goto out;
    }
    p->i++;
    if (kind == 2) {
        k = new_node(p, SL_RX_EMPTY);
    } else if (kind == 1) {
        k = new_node(p, SL_RX_ATOM);
        if (k >= 0 && !add_kid(p, k, body))
            k = -1;
    } else {
        k = body;
    }
out:
    p->depth--;
    return k;
}

/* One atom, without its quantifier; -1 at the end of a sequence. */
static int parse_atom(parser *p, flags *f)
{
    char c = p->rx[p->i];
    sl_cset s = {0, 0, 0};
    uint32_t cp;
    switch (c) {
    case '(':
        p->i++;
        return parse_group(p, f);
    case '[':
        p->i++;
        return parse_class(p, f);
    case '.':
        p->i++;
        s = cs_cats(CATS_ALL);
        if (!f->dotall)
            s.lo &= ~((uint64_t)1 << '\n');
        return set_node(p, &s);
    case '^':
    case '$':
        p->i++;
        return new_node(p, SL_RX_EMPTY);
    case '\\':
        if (p->i + 1 < p->len && p->rx[p->i + 1] == 'Q') {
            /* \Q...\E: a literal run, one atom per character. */
            p->i += 2;
            int seq = new_node(p, SL_RX_SEQ);
            while (seq >= 0 && !failed(p) && p->i < p->len &&
                   !(p->rx[p->i] == '\\' && p->i + 1 < p->len && p->rx[p->i + 1] == 'E')) {
                sl_cset one = {0, 0, 0};
                cs_char(&one, next_char(p));
                if (f->caseless)
                    cs_fold(&one);
                int k = set_node(p, &one);
                if (k < 0 || !add_kid(p, seq, k))
                    return -1;
            }
            p->i = p->i < p->len ? p->i + 2 : p->len;
            return seq;
        }
        p->i++;
        switch (parse_escape(p, 0, &s, &cp)) {
        case 1:
            return set_node(p, &s);
        case 2:
            cs_char(&s, cp);
            if (f->caseless)
                cs_fold(&s);
            return set_node(p, &s);
        default:
            return new_node(p, SL_RX_EMPTY);
        }
    default:
        cs_char(&s, next_char(p));
        if (f->caseless)
            cs_fold(&s);
        return set_node(p, &s);
    }
}

/* Reads a quantifier at p->i, if there is one: *min, *max (-1: none),
 * *possessive. */
static int parse_quantifier(parser *p, long *min, long *max, int *possessive)
{
    if (p->i >= p->len)
        return 0;
    char c = p->rx[p->i];
    if (c == '*' || c == '+' || c == '?') {
        *min = c == '+';
        *max = c == '?' ? 1 : -1;
        p->i++;
    } else if (c == '{') {
        size_t j = p->i + 1;
        long a = 0, b;
        size_t d0 = j;
        while (j < p->len && p->rx[j] >= '0' && p->rx[j] <= '9' && a < 100000)
            a = a * 10 + (p->rx[j++] - '0');
        if (j == d0)
            return 0; /* "{," or "{x": a literal brace */
        if (j < p->len && p->rx[j] == '}') {
            b = a;
        } else if (j < p->len && p->rx[j] == ',') {
            j++;
            size_t d1 = j;
            b = 0;
            while (j < p->len && p->rx[j] >= '0' && p->rx[j] <= '9' && b < 100000)
                b = b * 10 + (p->rx[j++] - '0');
            if (j == d1)
                b = -1;
            if (j >= p->len || p->rx[j] != '}')
                return 0;
        } else {
            return 0;
        }
        *min = a;
        *max = b;
        p->i = j + 1;
    } else {
        return 0;
    }
    *possessive = 0;
    if (p->i < p->len && p->rx[p->i] == '+') {
        *possessive = 1;
        p->i++;
    } else if (p->i < p->len && p->rx[p->i] == '?') {
        p->i++;
    }
    return 1;
}

/* A sequence of quantified atoms, up to '|' or ')' or the end. */
static int parse_seq(parser *p, flags *f)
{
    int seq = new_node(p, SL_RX_SEQ);
    while (seq >= 0 && !failed(p)) {
        skip_extended(p, f);
        if (p->i >= p->len || p->rx[p->i] == '|' || p->rx[p->i] == ')')
            break;
        size_t start = p->i;
        int atom = parse_atom(p, f);
        if (atom < 0 || failed(p))
            return -1;
        skip_extended(p, f);
        long min, max;
        int possessive;
        /* A quantifier after \Q...\E repeats its last character only. */
        size_t qat = p->i;
        if (p->rx[start] == '\\' && start + 1 < p->len && p->rx[start + 1] == 'Q' &&
            p->nodes[atom].kind == SL_RX_SEQ && p->nodes[atom].nkids > 1 &&
            parse_quantifier(p, &min, &max, &possessive)) {
            p->i = qat;
            sl_rxnode *q = &p->nodes[atom];
            int last = q->kids[--q->nkids];
            if (!add_kid(p, seq, atom))
                return -1;
            atom = last;
        }
        while (parse_quantifier(p, &min, &max, &possessive)) {
            if (max >= 0 && max < min) {
                p->unsupported = 1;
                return -1;
            }
            int rep = new_node(p, SL_RX_REP);
            if (rep < 0 || !add_kid(p, rep, atom))
                return -1;
            p->nodes[rep].min = min;
            p->nodes[rep].max = max;
            p->nodes[rep].start = start;
            p->nodes[rep].end = p->i;
            atom = rep;
            if (possessive) {
                int at = new_node(p, SL_RX_ATOM);
                if (at < 0 || !add_kid(p, at, atom))
                    return -1;
                atom = at;
            }
            skip_extended(p, f);
        }
        if (!add_kid(p, seq, atom))
            return -1;
    }
    return failed(p) ? -1 : seq;
}

static int parse_alt(parser *p, flags f)
{
    int alt = new_node(p, SL_RX_ALT);
    while (alt >= 0 && !failed(p)) {
        int seq = parse_seq(p, &f);
        if (seq < 0 || !add_kid(p, alt, seq))
            return -1;
        if (p->i < p->len && p->rx[p->i] == '|') {
            p->i++;
            continue;
        }
        break;
    }
    return failed(p) ? -1 : alt;
}

sl_status sl_rxtree_parse(const char *rx, size_t len, int caseless, sl_rxtree *out)
{
    memset(out, 0, sizeof *out);
    out->rx = rx;
    out->root = -1;
    parser p;
    memset(&p, 0, sizeof p);
    p.rx = rx;
    p.len = len;
    flags f = {caseless, 0, 0};
    int top = parse_alt(&p, f);
    out->nodes = p.nodes;
    out->n = p.n;
    out->cap = p.cap;
    if (p.nomem)
        return SL_ENOMEM;
    /* An unmatched ')' stops the top level early. */
    if (top >= 0 && !p.unsupported && p.i == p.len)
        out->root = top;
    return SL_OK;
}

void sl_rxtree_clear(sl_rxtree *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->nodes[i].kids);
    free(t->nodes);
    memset(t, 0, sizeof *t);
    t->root = -1;
}
