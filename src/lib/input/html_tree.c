/*
 * The HTML tokenizer and tree builder (see html_tree.h).
 *
 * The tokenizer looks for the next '<' with memchr and reads a tag only
 * where one starts; text is handed on as source ranges, undecoded, so the
 * loader maps every byte to where it is written. The builder keeps the
 * stack of open elements, and a count per kind so that most rules ("is a
 * <p> open?") need no walk. A walk down the stack is bounded by
 * SL_HTML_MAX_DEPTH, which keeps the worst case linear.
 */
#include "input/html_tree.h"

#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input/loadutil.h"

/* ------------------------------------------------------------ element table */

typedef struct known {
    const char *name;
    unsigned kind, flags;
} known;

enum {
    V = SL_HF_VOID,
    B = SL_HF_BLOCK,
    H = SL_HF_HIDDEN,
    C = SL_HF_CODE,
    R = SL_HF_RAWTEXT,
    RC = SL_HF_RCDATA,
    P = SL_HF_CLOSES_P,
    S = SL_HF_SPECIAL,
    SC = SL_HF_SCOPE,
    HD = SL_HF_IN_HEAD,
    F = SL_HF_FOREIGN,
    X = SL_HF_BREAKOUT
};

/* Sorted by name (strcmp order) for a binary search. Besides HTML's own
 * elements: the block elements of NITF, whose body.content is read as
 * HTML (block, bq, credit, fn, hl2, media and its caption and producer,
 * nitf-table, note), so that a caption and its credit do not run
 * together; their edges only break the text. */
static const known table[] = {
    {"address", SL_HK_ADDRESS, B | P | S},
    {"applet", SL_HK_OTHER, S | SC},
    {"area", SL_HK_OTHER, V | S},
    {"article", SL_HK_ARTICLE, B | P | S},
    {"aside", SL_HK_ASIDE, B | P | S},
    {"b", SL_HK_OTHER, X},
    {"base", SL_HK_OTHER, V | S | HD},
    {"basefont", SL_HK_OTHER, V | S | HD},
    {"bgsound", SL_HK_OTHER, V | S | HD},
    {"big", SL_HK_OTHER, X},
    {"block", SL_HK_OTHER, B},
    {"blockquote", SL_HK_OTHER, B | P | S | X},
    {"body", SL_HK_BODY, B | S | X},
    {"bq", SL_HK_OTHER, B},
    {"br", SL_HK_BR, V | B | S | X},
    {"button", SL_HK_BUTTON, B | S},
    {"caption", SL_HK_CAPTION, B | S | SC},
    {"center", SL_HK_OTHER, B | P | S | X},
    {"code", SL_HK_OTHER, C | X},
    {"col", SL_HK_COL, V | S},
    {"colgroup", SL_HK_COLGROUP, S},
    {"credit", SL_HK_OTHER, B},
    {"dd", SL_HK_DD, B | P | S | X},
    {"details", SL_HK_OTHER, B | P | S},
    {"dialog", SL_HK_OTHER, B | P},
    {"dir", SL_HK_OTHER, P | S},
    {"div", SL_HK_DIV, B | P | S | X},
    {"dl", SL_HK_OTHER, B | P | S | X},
    {"dt", SL_HK_DT, B | P | S | X},
    {"em", SL_HK_OTHER, X},
    {"embed", SL_HK_OTHER, V | S | X},
    {"fieldset", SL_HK_OTHER, B | P | S},
    {"figcaption", SL_HK_OTHER, B | P | S},
    {"figure", SL_HK_OTHER, B | P | S},
    {"fn", SL_HK_OTHER, B},
    {"footer", SL_HK_FOOTER, B | P | S},
    {"form", SL_HK_FORM, B | P | S},
    {"frame", SL_HK_OTHER, V | S},
    {"frameset", SL_HK_OTHER, S},
    {"h1", SL_HK_H1, B | P | S | X},
    {"h2", SL_HK_OTHER, B | P | S | X},
    {"h3", SL_HK_OTHER, B | P | S | X},
    {"h4", SL_HK_OTHER, B | P | S | X},
    {"h5", SL_HK_OTHER, B | P | S | X},
    {"h6", SL_HK_OTHER, B | P | S | X},
    {"head", SL_HK_HEAD, H | S | HD | X},
    {"header", SL_HK_HEADER, B | P | S},
    {"hgroup", SL_HK_OTHER, B | P | S},
    {"hl2", SL_HK_OTHER, B},
    {"hr", SL_HK_OTHER, V | B | P | S | X},
    {"html", SL_HK_HTML, B | S | SC | HD},
    {"i", SL_HK_OTHER, X},
    {"iframe", SL_HK_OTHER, B | H | S | R},
    {"img", SL_HK_OTHER, V | S | X},
    {"input", SL_HK_OTHER, V | S},
    {"kbd", SL_HK_OTHER, C},
    {"keygen", SL_HK_OTHER, V | S},
    {"legend", SL_HK_OTHER, B},
    {"li", SL_HK_LI, B | P | S | X},
    {"link", SL_HK_OTHER, V | S | HD},
    {"listing", SL_HK_OTHER, P | S | X},
    {"main", SL_HK_MAIN, B | P | S},
    {"marquee", SL_HK_OTHER, S | SC},
    {"math", SL_HK_OTHER, H | F},
    {"media", SL_HK_OTHER, B},
    {"media-caption", SL_HK_OTHER, B},
    {"media-producer", SL_HK_OTHER, B},
    {"menu", SL_HK_OTHER, B | P | S | X},
    {"meta", SL_HK_META, V | S | HD | X},
    {"nav", SL_HK_NAV, B | P | S},
    {"nitf-table", SL_HK_OTHER, B},
    {"nobr", SL_HK_OTHER, X},
    {"noembed", SL_HK_OTHER, H | S | R},
    {"noframes", SL_HK_OTHER, H | S | R | HD},
    {"noscript", SL_HK_OTHER, H | S | HD},
    {"note", SL_HK_OTHER, B},
    {"object", SL_HK_OTHER, S | SC},
    {"ol", SL_HK_OL, B | P | S | X},
    {"optgroup", SL_HK_OPTGROUP, 0},
    {"option", SL_HK_OPTION, B},
    {"p", SL_HK_P, B | P | S | X},
    {"param", SL_HK_OTHER, V | S},
    {"plaintext", SL_HK_PLAINTEXT, P | S | R},
    {"pre", SL_HK_OTHER, B | C | P | S | X},
    {"ruby", SL_HK_OTHER, X},
    {"s", SL_HK_OTHER, X},
    {"samp", SL_HK_OTHER, C},
    {"script", SL_HK_SCRIPT, H | S | R | HD},
    {"section", SL_HK_OTHER, B | P | S},
    {"select", SL_HK_OTHER, B | S},
    {"small", SL_HK_OTHER, X},
    {"source", SL_HK_OTHER, V | S},
    {"span", SL_HK_OTHER, X},
    {"strike", SL_HK_OTHER, X},
    {"strong", SL_HK_OTHER, X},
    {"style", SL_HK_OTHER, H | S | R | HD},
    {"sub", SL_HK_OTHER, X},
    {"summary", SL_HK_OTHER, B | P | S},
    {"sup", SL_HK_OTHER, X},
    {"svg", SL_HK_OTHER, H | F},
    {"table", SL_HK_TABLE, B | P | S | SC | X},
    {"tbody", SL_HK_TBODY, B | S},
    {"td", SL_HK_TD, B | S | SC},
    {"template", SL_HK_OTHER, H | S | SC | HD},
    {"textarea", SL_HK_OTHER, B | S | RC},
    {"tfoot", SL_HK_TFOOT, B | S},
    {"th", SL_HK_TH, B | S | SC},
    {"thead", SL_HK_THEAD, B | S},
    {"title", SL_HK_TITLE, B | S | RC | HD},
    {"tr", SL_HK_TR, B | S},
    {"track", SL_HK_OTHER, V | S},
    {"tt", SL_HK_OTHER, X},
    {"u", SL_HK_OTHER, X},
    {"ul", SL_HK_UL, B | P | S | X},
    {"var", SL_HK_OTHER, X},
    {"wbr", SL_HK_OTHER, V | S},
    {"xmp", SL_HK_OTHER, P | S | R},
};

#define NAME_MAX_KNOWN 14 /* "media-producer" */

/* Headings are told apart by name; they share every rule. */
static int is_heading(const char *s, size_t name, size_t n)
{
    return n == 2 && (s[name] == 'h' || s[name] == 'H') && s[name + 1] >= '1' && s[name + 1] <= '6';
}

/* A name's first eight bytes, lower-cased, as a big-endian number: these
 * compare as strcmp compares the names, and no two known names share
 * them, so the search compares integers and checks the rest once. */
static uint64_t name_key(const char *s, size_t n)
{
    uint64_t k = 0;
    for (size_t i = 0; i < 8; i++)
        k = k << 8 | (i < n ? (unsigned char)tolower((unsigned char)s[i]) : 0u);
    return k;
}

static uint64_t table_keys[sizeof table / sizeof table[0]];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void table_init(void)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        table_keys[i] = name_key(table[i].name, strlen(table[i].name));
}

static const known *lookup(const char *s, size_t name, size_t n)
{
    if (n == 0 || n > NAME_MAX_KNOWN)
        return NULL;
    pthread_once(&table_once, table_init);
    uint64_t key = name_key(s + name, n);
    size_t lo = 0, hi = sizeof table / sizeof table[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (table_keys[mid] == key) {
            const known *k = &table[mid];
            return n <= 8 || (strlen(k->name) == n &&
                              sl_input_ci_equal(s + name + 8, k->name + 8, n - 8))
                       ? k
                       : NULL;
        }
        if (key < table_keys[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* ------------------------------------------------------------------ builder */

typedef struct builder {
    const char *s;
    size_t len;
    const sl_html_visitor *v;
    sl_html_el *stack;
    size_t depth, cap;
    size_t counts[SL_HK_COUNT]; /* open elements of each kind */
    size_t headings;            /* open h1-h6 */
    size_t ordinal;
    int body_state;  /* 0 none yet, 1 opened */
    size_t body_end; /* past the first "</body>" while a body was open, or 0 */
    size_t html_end; /* past the first "</html>", or 0 */
    int form_open;   /* a <form> opened and no "</form>" since */
    sl_status st;
} builder;

static sl_html_el *top(builder *b)
{
    return b->depth ? &b->stack[b->depth - 1] : NULL;
}

static void close_top(builder *b, size_t end)
{
    sl_html_el *el = &b->stack[b->depth - 1];
    if (b->st == SL_OK)
        b->st = b->v->close(b->v->ctx, el, end);
    b->counts[el->kind]--;
    if (is_heading(b->s, el->name, el->name_len))
        b->headings--;
    b->depth--;
    if (b->depth && (b->stack[b->depth - 1].flags & SL_HF_DETACHED))
        close_top(b, end);
}

/* Closes the elements above stack[i], at `others`, then stack[i] at `end`. */
static void close_to(builder *b, size_t i, size_t end, size_t others)
{
    while (b->depth > i + 1)
        close_top(b, others);
    if (b->depth == i + 1)
        close_top(b, end);
}

/* Opens an element: pushed, or opened and closed at once when it holds
 * nothing (void, self-closed foreign) or the stack is at its bound. */
static void open_el(builder *b, unsigned kind, unsigned flags, const sl_html_tag *t, size_t at,
                    int push)
{
    sl_html_el tmp, *el = &tmp;
    if (push && b->depth < SL_HTML_MAX_DEPTH) {
        if (b->depth == b->cap) {
            size_t cap = b->cap ? 2 * b->cap : 64;
            sl_html_el *p = realloc(b->stack, cap * sizeof *p);
            if (!p) {
                b->st = SL_ENOMEM;
                return;
            }
            b->stack = p;
            b->cap = cap;
        }
        el = &b->stack[b->depth++];
        b->counts[kind]++;
    } else {
        push = 0;
    }
    memset(el, 0, sizeof *el);
    el->ordinal = b->ordinal++;
    el->open = at;
    el->kind = kind;
    el->flags = flags;
    if (t) {
        el->name = t->name;
        el->name_len = t->name_len;
        if (push && is_heading(b->s, t->name, t->name_len))
            b->headings++;
    }
    if (b->st == SL_OK)
        b->st = b->v->open(b->v->ctx, el, t);
    if (!push && b->st == SL_OK)
        b->st = b->v->close(b->v->ctx, el, t ? t->end : at);
}

/* Does stack entry e stand for the element named like tag t? */
static int same_name(const builder *b, const sl_html_el *e, const sl_html_tag *t, unsigned kind)
{
    if (kind != SL_HK_OTHER)
        return e->kind == kind;
    return e->kind == SL_HK_OTHER && e->name_len == t->name_len && e->name_len &&
           strncasecmp(b->s + e->name, b->s + t->name, t->name_len) == 0;
}

enum scope { SCOPE, SCOPE_LIST, SCOPE_BUTTON, SCOPE_TABLE, SCOPE_INLINE };

/* Index of the nearest open element that `match` accepts, searching down
 * the stack no further than the scope allows; -1 when there is none. */
typedef int (*matcher)(const builder *b, const sl_html_el *e, const sl_html_tag *t, unsigned kind);

static long find_open(const builder *b, enum scope scope, matcher match, const sl_html_tag *t,
                      unsigned kind)
{
    for (size_t i = b->depth; i-- > 0;) {
        const sl_html_el *e = &b->stack[i];
        if (match(b, e, t, kind))
            return (long)i;
        switch (scope) {
        case SCOPE_INLINE:
            if (e->flags & SL_HF_SPECIAL)
                return -1;
            break;
        case SCOPE_TABLE:
            if (e->kind == SL_HK_TABLE || e->kind == SL_HK_HTML)
                return -1;
            break;
        case SCOPE_LIST:
            if (e->kind == SL_HK_OL || e->kind == SL_HK_UL)
                return -1;
            /* fall through */
        case SCOPE_BUTTON:
            if (scope == SCOPE_BUTTON && e->kind == SL_HK_BUTTON)
                return -1;
            /* fall through */
        case SCOPE:
            if (e->flags & SL_HF_SCOPE)
                return -1;
            break;
        }
    }
    return -1;
}

static int match_name(const builder *b, const sl_html_el *e, const sl_html_tag *t, unsigned kind)
{
    return same_name(b, e, t, kind);
}

static int match_heading(const builder *b, const sl_html_el *e, const sl_html_tag *t, unsigned kind)
{
    (void)t;
    (void)kind;
    return is_heading(b->s, e->name, e->name_len);
}

static int match_dd_dt(const builder *b, const sl_html_el *e, const sl_html_tag *t, unsigned kind)
{
    (void)b, (void)t, (void)kind;
    return e->kind == SL_HK_DD || e->kind == SL_HK_DT;
}

/* An <li> (or <dd>/<dt>) start tag closes the open one, unless a block
 * other than address, div or p stands between them. */
static long find_list_item(const builder *b, matcher match, unsigned kind)
{
    for (size_t i = b->depth; i-- > 0;) {
        const sl_html_el *e = &b->stack[i];
        if (match(b, e, NULL, kind))
            return (long)i;
        if ((e->flags & SL_HF_SPECIAL) && e->kind != SL_HK_ADDRESS && e->kind != SL_HK_DIV &&
            e->kind != SL_HK_P)
            return -1;
    }
    return -1;
}

static int is_table_part(unsigned kind)
{
    return kind == SL_HK_TR || kind == SL_HK_TD || kind == SL_HK_TH || kind == SL_HK_TBODY ||
           kind == SL_HK_THEAD || kind == SL_HK_TFOOT || kind == SL_HK_CAPTION ||
           kind == SL_HK_COLGROUP || kind == SL_HK_COL;
}

/* Index of the innermost open table, or -1. */
static long nearest_table(const builder *b)
{
    if (!b->counts[SL_HK_TABLE])
        return -1;
    for (size_t i = b->depth; i-- > 0;)
        if (b->stack[i].kind == SL_HK_TABLE)
            return (long)i;
    return -1;
}

static void close_p(builder *b, size_t at)
{
    if (!b->counts[SL_HK_P])
        return;
    long i = find_open(b, SCOPE_BUTTON, match_name, NULL, SL_HK_P);
    if (i >= 0)
        close_to(b, (size_t)i, at, at);
}

static void imply_body(builder *b, size_t at)
{
    if (b->counts[SL_HK_HEAD]) {
        long i = find_open(b, SCOPE, match_name, NULL, SL_HK_HEAD);
        if (i >= 0)
            close_to(b, (size_t)i, at, at);
    }
    b->body_state = 1;
    open_el(b, SL_HK_BODY, SL_HF_BLOCK | SL_HF_SPECIAL | SL_HF_BREAKOUT, NULL, at, 1);
}

/* Before <body>, at the top level: where text or a body element implies
 * the <body>. */
static int before_body(builder *b)
{
    sl_html_el *e = top(b);
    return b->body_state == 0 && (!e || e->kind == SL_HK_HTML || e->kind == SL_HK_HEAD);
}

static void start_tag(builder *b, const sl_html_tag *t, const known *k)
{
    unsigned kind = k ? k->kind : SL_HK_OTHER, flags = k ? k->flags : 0;
    sl_html_el *e = top(b);
    if (e && (e->flags & SL_HF_FOREIGN)) {
        if (!(flags & SL_HF_BREAKOUT)) {
            open_el(b, SL_HK_OTHER, SL_HF_FOREIGN, t, t->start, !t->self_closing);
            return;
        }
        while ((e = top(b)) && (e->flags & SL_HF_FOREIGN))
            close_top(b, t->start);
    }
    switch (kind) {
    case SL_HK_HTML:
        if (b->counts[SL_HK_HTML] || b->body_state)
            return;
        break;
    case SL_HK_HEAD:
        if (b->counts[SL_HK_HEAD] || b->body_state)
            return;
        break;
    case SL_HK_BODY:
        if (b->body_state)
            return;
        if (b->counts[SL_HK_HEAD]) {
            long i = find_open(b, SCOPE, match_name, NULL, SL_HK_HEAD);
            if (i >= 0)
                close_to(b, (size_t)i, t->start, t->start);
        }
        b->body_state = 1;
        break;
    default:
        if (!(flags & SL_HF_IN_HEAD) && before_body(b))
            imply_body(b, t->start);
        break;
    }
    if (is_table_part(kind)) {
        /* Rows, cells and row groups exist only in a table, and first
         * close what is open in it down to where they belong. */
        long keep = nearest_table(b);
        if (keep < 0)
            return;
        long row = -1, group = -1;
        for (size_t j = (size_t)keep + 1; j < b->depth; j++) {
            unsigned k2 = b->stack[j].kind;
            if (k2 == SL_HK_TR)
                row = (long)j;
            else if (k2 == SL_HK_TBODY || k2 == SL_HK_THEAD || k2 == SL_HK_TFOOT)
                group = (long)j;
        }
        if ((kind == SL_HK_TD || kind == SL_HK_TH) && row >= 0)
            keep = row;
        else if ((kind == SL_HK_TD || kind == SL_HK_TH || kind == SL_HK_TR) && group >= 0)
            keep = group;
        while (b->depth > (size_t)keep + 1)
            close_top(b, t->start);
        /* A cell outside a row, a row outside a row group: the group and
         * the row are implied, so that "</tr>" and "</tbody>" find them. */
        int cell = kind == SL_HK_TD || kind == SL_HK_TH;
        if ((cell || kind == SL_HK_TR) && group < 0 && row < 0)
            open_el(b, SL_HK_TBODY, SL_HF_BLOCK | SL_HF_SPECIAL, NULL, t->start, 1);
        if (cell && row < 0)
            open_el(b, SL_HK_TR, SL_HF_BLOCK | SL_HF_SPECIAL, NULL, t->start, 1);
        open_el(b, kind, flags, t, t->start, !(flags & SL_HF_VOID));
        return;
    }
    if (kind == SL_HK_TABLE && b->counts[SL_HK_TABLE]) {
        /* A table inside a table but outside its cells ends the first. */
        long tb = nearest_table(b);
        int in_cell = 0;
        for (size_t j = (size_t)tb + 1; tb >= 0 && j < b->depth && !in_cell; j++)
            in_cell = b->stack[j].kind == SL_HK_TD || b->stack[j].kind == SL_HK_TH ||
                      b->stack[j].kind == SL_HK_CAPTION;
        if (tb >= 0 && !in_cell)
            close_to(b, (size_t)tb, t->start, t->start);
    }
    if (kind == SL_HK_FORM) {
        /* Forms do not nest: a <form> inside one is ignored, as in
         * browsers, until a "</form>". */
        if (b->form_open)
            return;
        b->form_open = 1;
    }
    if (flags & SL_HF_CLOSES_P)
        close_p(b, t->start);
    long i = -1;
    if (is_heading(b->s, t->name, t->name_len)) {
        e = top(b);
        if (e && is_heading(b->s, e->name, e->name_len))
            close_top(b, t->start);
    } else if (kind == SL_HK_LI && b->counts[SL_HK_LI]) {
        i = find_list_item(b, match_name, SL_HK_LI);
    } else if ((kind == SL_HK_DD || kind == SL_HK_DT) &&
               (b->counts[SL_HK_DD] || b->counts[SL_HK_DT])) {
        i = find_list_item(b, match_dd_dt, kind);
    } else if (kind == SL_HK_OPTION || kind == SL_HK_OPTGROUP) {
        if ((e = top(b)) && e->kind == SL_HK_OPTION)
            close_top(b, t->start);
        if (kind == SL_HK_OPTGROUP && (e = top(b)) && e->kind == SL_HK_OPTGROUP)
            close_top(b, t->start);
    } else if (kind == SL_HK_BUTTON && b->counts[SL_HK_BUTTON]) {
        i = find_open(b, SCOPE, match_name, t, kind);
    }
    if (i >= 0)
        close_to(b, (size_t)i, t->start, t->start);
    int push = !(flags & SL_HF_VOID) && !((flags & SL_HF_FOREIGN) && t->self_closing);
    open_el(b, kind, flags, t, t->start, push);
}

static void end_tag(builder *b, const sl_html_tag *t, const known *k)
{
    unsigned kind = k ? k->kind : SL_HK_OTHER, flags = k ? k->flags : 0;
    long i;
    /* Foreign content: the nearest element of that name, as written. */
    if (top(b) && (top(b)->flags & SL_HF_FOREIGN)) {
        for (size_t j = b->depth; j-- > 0 && (b->stack[j].flags & SL_HF_FOREIGN);) {
            const sl_html_el *e = &b->stack[j];
            if (e->name_len == t->name_len &&
                strncasecmp(b->s + e->name, b->s + t->name, t->name_len) == 0) {
                close_to(b, j, t->end, t->start);
                return;
            }
        }
    }
    switch (kind) {
    case SL_HK_HTML:
    case SL_HK_BODY:
        /* As in browsers, these close nothing: what follows a stray
         * "</body>" (an embed's, a template's) still stands in the
         * elements open before it. They only mark where the markup of
         * the body and the page was meant to end (see close_at_end). */
        if (b->counts[SL_HK_BODY] && !b->body_end)
            b->body_end = kind == SL_HK_BODY ? t->end : t->start;
        if (kind == SL_HK_HTML && b->counts[SL_HK_HTML] && !b->html_end)
            b->html_end = t->end;
        return;
    case SL_HK_FORM:
        /* "</form>" ends the form alone: what it holds and is still open
         * stays open, in the form, and the form closes after it. */
        if (!b->form_open)
            return;
        b->form_open = 0;
        if ((i = find_open(b, SCOPE, match_name, t, kind)) < 0)
            return;
        if ((size_t)i + 1 == b->depth)
            close_top(b, t->end);
        else
            b->stack[i].flags |= SL_HF_DETACHED;
        return;
    case SL_HK_BR:
        /* "</br>" is read as "<br>", as browsers do. */
        open_el(b, SL_HK_BR, flags, NULL, t->start, 0);
        return;
    case SL_HK_P:
        if (b->counts[SL_HK_P] && (i = find_open(b, SCOPE_BUTTON, match_name, t, kind)) >= 0)
            close_to(b, (size_t)i, t->end, t->start);
        else /* a "</p>" with no <p> stands for an empty paragraph */
            open_el(b, SL_HK_P, flags, NULL, t->start, 0);
        return;
    case SL_HK_LI:
        if (b->counts[SL_HK_LI] && (i = find_open(b, SCOPE_LIST, match_name, t, kind)) >= 0)
            close_to(b, (size_t)i, t->end, t->start);
        return;
    default:
        break;
    }
    if (is_heading(b->s, t->name, t->name_len)) {
        if (b->headings && (i = find_open(b, SCOPE, match_heading, t, kind)) >= 0)
            close_to(b, (size_t)i, t->end, t->start);
        return;
    }
    if (kind != SL_HK_OTHER && !b->counts[kind])
        return;
    /* A table and its parts end whatever cell is open inside them. */
    enum scope scope = kind == SL_HK_TABLE || is_table_part(kind) ? SCOPE_TABLE
                       : (flags & SL_HF_SPECIAL)                  ? SCOPE
                                                                  : SCOPE_INLINE;
    i = find_open(b, scope, match_name, t, kind);
    if (i >= 0)
        close_to(b, (size_t)i, t->end, t->start);
}

static void text(builder *b, size_t start, size_t end, int raw)
{
    if (start >= end || b->st != SL_OK)
        return;
    if (!raw && before_body(b)) {
        /* Leading whitespace stays where it is; the first other character
         * opens the body. */
        size_t q = start;
        while (q < end && (b->s[q] == ' ' || b->s[q] == '\t' || b->s[q] == '\n' ||
                           b->s[q] == '\r' || b->s[q] == '\f'))
            q++;
        if (q == end) {
            if (b->depth && b->st == SL_OK)
                b->st = b->v->text(b->v->ctx, top(b), start, end, raw);
            return;
        }
        if (q > start && b->depth && b->st == SL_OK)
            b->st = b->v->text(b->v->ctx, top(b), start, q, raw);
        imply_body(b, q);
        start = q;
    } else if ((!b->depth || b->body_end) && sl_input_is_blank(b->s + start, end - start)) {
        return; /* whitespace outside every element, or after the body's end */
    }
    if (b->st == SL_OK)
        b->st = b->v->text(b->v->ctx, top(b), start, end, raw);
}

/* ---------------------------------------------------------------- tokenizer */

static int tag_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Offset past the first `lit` at or after `from`, or len. */
static size_t past(const char *s, size_t len, size_t from, const char *lit)
{
    size_t n = strlen(lit);
    if (from >= len)
        return len;
    const char *hit = sl_input_find(s + from, len - from, lit, n);
    return hit ? (size_t)(hit - s) + n : len;
}

/* Offset of the end tag "</name" (any case, then a delimiter) that ends
 * raw text begun at `from`, or len. */
static size_t raw_end(const char *s, size_t len, size_t from, const sl_html_tag *t)
{
    size_t n = t->name_len;
    while (from < len) {
        const char *lt = memchr(s + from, '<', len - from);
        if (!lt)
            return len;
        size_t q = (size_t)(lt - s);
        if (q + 2 + n <= len && s[q + 1] == '/' && strncasecmp(s + q + 2, s + t->name, n) == 0 &&
            (q + 2 + n == len || tag_space(s[q + 2 + n]) || s[q + 2 + n] == '/' ||
             s[q + 2 + n] == '>'))
            return q;
        from = q + 1;
    }
    return len;
}

/* Reads the tag at s[q] == '<' (start or end, per `end_tag`) into t.
 * Returns 0 when the file ends inside it: such a tag is dropped. */
static int read_tag(const char *s, size_t len, size_t q, int end_tag, sl_html_tag *t)
{
    size_t p = q + 1 + (end_tag ? 1 : 0);
    t->start = q;
    t->name = p;
    while (p < len && !tag_space(s[p]) && s[p] != '/' && s[p] != '>')
        p++;
    t->name_len = p - t->name;
    t->attrs = p;
    sl_tag_attr a;
    while (sl_input_next_attr(s, len, &p, &a))
        ;
    if (p >= len)
        return 0;
    t->self_closing = p > t->attrs && s[p - 1] == '/';
    t->end = p + 1;
    return 1;
}

/* Reads the markup at s[q] == '<' and returns the offset past it; q when
 * the '<' is only text. */
static size_t markup(builder *b, size_t q)
{
    const char *s = b->s;
    size_t len = b->len;
    if (q + 1 >= len)
        return q;
    char c = s[q + 1];
    if (c == '!') {
        if (len - q >= 4 && memcmp(s + q, "<!--", 4) == 0) {
            /* "<!-->" and "<!--->" are whole (empty) comments. */
            if (q + 4 < len && s[q + 4] == '>')
                return q + 5;
            if (q + 5 < len && s[q + 4] == '-' && s[q + 5] == '>')
                return q + 6;
            return past(s, len, q + 4, "-->");
        }
        if (top(b) && (top(b)->flags & SL_HF_FOREIGN) && len - q >= 9 &&
            memcmp(s + q, "<![CDATA[", 9) == 0) {
            /* Real CDATA only in svg and math; in HTML it is a bogus comment. */
            const char *hit = sl_input_find(s + q + 9, len - q - 9, "]]>", 3);
            size_t te = hit ? (size_t)(hit - s) : len;
            text(b, q + 9, te, 1);
            return hit ? te + 3 : len;
        }
        return past(s, len, q + 2, ">");
    }
    if (c == '?')
        return past(s, len, q + 2, ">");
    sl_html_tag t;
    if (c == '/') {
        if (q + 2 >= len)
            return q;
        if (s[q + 2] == '>')
            return q + 3;
        if (!isalpha((unsigned char)s[q + 2]))
            return past(s, len, q + 2, ">");
        if (!read_tag(s, len, q, 1, &t))
            return len;
        end_tag(b, &t, lookup(s, t.name, t.name_len));
        return t.end;
    }
    if (!isalpha((unsigned char)c))
        return q;
    if (!read_tag(s, len, q, 0, &t))
        return len;
    const known *k = lookup(s, t.name, t.name_len);
    int foreign = top(b) && (top(b)->flags & SL_HF_FOREIGN) && !(k && (k->flags & SL_HF_BREAKOUT));
    start_tag(b, &t, foreign ? NULL : k);
    if (foreign || !k || !(k->flags & (SL_HF_RAWTEXT | SL_HF_RCDATA)) || b->st != SL_OK)
        return t.end;
    /* The element's text runs to its own end tag (to the end of the file
     * for plaintext); the end tag is then read as markup. Its text is
     * dropped when the element could not be pushed (the depth bound):
     * it must not pass for the text of the element around it. */
    size_t e = k->kind == SL_HK_PLAINTEXT ? len : raw_end(s, len, t.end, &t);
    if (top(b) && top(b)->ordinal + 1 == b->ordinal)
        text(b, t.end, e, (k->flags & SL_HF_RAWTEXT) != 0);
    return e;
}

/* At the end of the input every open element closes: the html element
 * where its end tag was written, the body and what it holds where the
 * body's was (when that is not before they opened), the rest at the end. */
static void close_at_end(builder *b)
{
    size_t body = b->depth;
    for (size_t i = 0; i < b->depth; i++)
        if (b->stack[i].kind == SL_HK_BODY) {
            body = i;
            break;
        }
    while (b->depth) {
        const sl_html_el *e = top(b);
        size_t end = b->len;
        if (e->kind == SL_HK_HTML && b->html_end >= e->open && b->html_end)
            end = b->html_end;
        else if (b->depth > body && b->body_end && b->body_end >= e->open)
            end = b->body_end;
        close_top(b, end);
    }
}

sl_status sl_html_parse(const char *s, size_t len, const sl_html_visitor *v)
{
    builder b;
    memset(&b, 0, sizeof b);
    b.s = s;
    b.len = len;
    b.v = v;
    size_t p = 0;
    while (p < len && b.st == SL_OK) {
        /* Text runs to the next '<' that starts markup. */
        size_t q = p, m = p;
        for (;;) {
            const char *lt = q < len ? memchr(s + q, '<', len - q) : NULL;
            if (!lt) {
                q = m = len;
                break;
            }
            q = (size_t)(lt - s);
            if (q + 1 < len && (isalpha((unsigned char)s[q + 1]) || s[q + 1] == '!' ||
                                s[q + 1] == '?' || (s[q + 1] == '/' && q + 2 < len)))
                break;
            q++;
        }
        text(&b, p, q, 0);
        if (q >= len || b.st != SL_OK)
            break;
        m = markup(&b, q);
        /* Markup that turns out to be text ("</ x" is a bogus comment,
         * but "<" then a non-letter is not markup at all). */
        if (m == q) {
            text(&b, q, q + 1, 0);
            m = q + 1;
        }
        p = m;
    }
    close_at_end(&b);
    free(b.stack);
    return b.st;
}
