/*
 * The entry point of the loaders (sl_input_load) and the two line-based
 * loaders, plain text and Markdown.
 *
 * Both line-based loaders walk the source line by line through
 * src->lines, so every field byte is a source byte copied verbatim (a
 * span) except line ends, which are unified to "\n" and mapped to the
 * source line end. Markdown is not rendered: block markup ("#", "-",
 * ">") stays in the body, because rules match words and a renderer would
 * add a dependency and lose the one-to-one map. What matters is routing
 * (front matter to meta, code to `code`, the rest to `body`) and the inline
 * markup that splits a phrase: link brackets and destinations, images and
 * emphasis delimiters are left out of the body.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "input/charset.h"
#include "input/feed.h"
#include "input/input.h"
#include "input/loadutil.h"
#include "util/buf.h"
#include "util/diag.h"

#define TITLE_MAX_CHARS 150
#define MD_EMPHASIS_DEPTH 8 /* emphasis open at once on a line: "**a _b_ c**" is 2 */
/* How far a link's destination or an emphasis' closing run is looked for,
 * and how many openers a line may try: a line of a megabyte of "*a " or
 * "[a](" costs a bounded search each, not one to the end of the line. */
#define MD_INLINE_WINDOW 2048
#define MD_OPENERS_MAX 512

/* ------------------------------------------------------------------ lines */

/* Content of line k, without its line end: [*start, *end). *next is where
 * the following line starts (or the end of the source). */
static void line_bounds(const sl_source *src, size_t k, size_t *start, size_t *end, size_t *next)
{
    *start = src->lines[k];
    *next = k + 1 < src->nlines ? src->lines[k + 1] : src->len;
    size_t e = *next;
    while (e > *start && (src->data[e - 1] == '\n' || src->data[e - 1] == '\r'))
        e--;
    *end = e;
}

/* Trims ASCII whitespace from both ends of [*s, *e). */
static void trim(const char *data, size_t *s, size_t *e)
{
    while (*s < *e && isspace((unsigned char)data[*s]))
        (*s)++;
    while (*e > *s && isspace((unsigned char)data[*e - 1]))
        (*e)--;
}

/* Columns of leading indentation (a tab advances to the next multiple of
 * four) and the offset of the first non-blank byte. */
static size_t indent_of(const char *data, size_t s, size_t e, size_t *first)
{
    size_t col = 0;
    while (s < e && (data[s] == ' ' || data[s] == '\t')) {
        col = data[s] == '\t' ? (col / 4 + 1) * 4 : col + 1;
        s++;
    }
    *first = s;
    return col;
}

static sl_status oom(sl_diag *diag)
{
    return sl_diag_set(diag, SL_ENOMEM, NULL, 0, 0, NULL, "out of memory loading input");
}

/* ------------------------------------------------------------- plain text */

/* The first non-blank line is a title when it is short, does not end a
 * sentence, and a blank line follows it: the shape of a headline above a
 * story, not of a first paragraph. */
static sl_status text_title(const sl_source *src, sl_field *title)
{
    size_t k = 0, s = 0, e = 0, next = 0;
    for (; k < src->nlines; k++) {
        line_bounds(src, k, &s, &e, &next);
        if (!sl_input_is_blank(src->data + s, e - s))
            break;
    }
    /* The blank line must itself end: "Title\n" alone is one line. */
    if (k + 2 >= src->nlines)
        return SL_OK;
    size_t bs, be, bn;
    line_bounds(src, k + 1, &bs, &be, &bn);
    if (!sl_input_is_blank(src->data + bs, be - bs))
        return SL_OK;
    trim(src->data, &s, &e);
    if (e == s || src->data[e - 1] == '.' ||
        sl_input_utf8_count(src->data + s, e - s) > TITLE_MAX_CHARS)
        return SL_OK;
    return sl_field_append_span(title, src->data + s, e - s, s);
}

sl_status sl_load_text(const sl_source *src, sl_doclist *docs, sl_diag *diag)
{
    sl_document *d = NULL;
    sl_status st = sl_source_index(src);
    if (st == SL_OK)
        st = sl_doclist_add(docs, src->path, &d);
    if (st == SL_OK) {
        d->page_is_body = 1;
        d->raw_is_page = 1;
        st = sl_input_source_text(&d->body, src->data, 0, src->len);
    }
    if (st == SL_OK)
        st = text_title(src, &d->title);
    if (st == SL_ENOMEM)
        return oom(diag);
    if (st != SL_OK)
        return sl_diag_set(diag, st, NULL, 0, 0, NULL, "input too large");
    return SL_OK;
}

/* --------------------------------------------------------------- Markdown */

typedef struct md_state {
    const sl_source *src;
    sl_document *doc;
    int title_from_meta;   /* front matter named a title */
    int in_comment;        /* inside an HTML comment that an earlier line opened */
    int html_block;        /* inside a raw <pre> (1) or <script>/<style> (2) block */
    const char *block_end; /* the tag that ends it: "</pre>", "</script>", "</style>" */
} md_state;

/* Adds meta `name` with source bytes [s, e), unquoted when quoted. */
static sl_status md_meta_value(md_state *m, const char *name, size_t nlen, size_t s, size_t e)
{
    const char *data = m->src->data;
    trim(data, &s, &e);
    if (e - s >= 2 && (data[s] == '"' || data[s] == '\'') && data[e - 1] == data[s]) {
        s++;
        e--;
    }
    if (s == e)
        return SL_OK;
    char key[128];
    if (nlen >= sizeof key)
        return SL_OK;
    memcpy(key, name, nlen);
    key[nlen] = '\0';
    sl_field *f;
    sl_status st = sl_document_add_meta(m->doc, key, &f);
    if (st == SL_OK)
        st = sl_field_append_span(f, data + s, e - s, s);
    if (st == SL_OK && nlen == 5 && sl_input_ci_equal(name, "title", 5) && !m->title_from_meta) {
        m->title_from_meta = 1;
        st = sl_field_append_span(&m->doc->title, data + s, e - s, s);
    }
    return st;
}

/* A value: a scalar, or a flow sequence "[a, b]" giving one meta value
 * per item (several authors). */
static sl_status md_meta_values(md_state *m, const char *name, size_t nlen, size_t s, size_t e)
{
    const char *data = m->src->data;
    trim(data, &s, &e);
    if (e - s < 2 || data[s] != '[' || data[e - 1] != ']')
        return md_meta_value(m, name, nlen, s, e);
    size_t item = s + 1;
    for (size_t i = s + 1; i < e; i++) {
        if (data[i] != ',' && i != e - 1)
            continue;
        sl_status st = md_meta_value(m, name, nlen, item, i);
        if (st != SL_OK)
            return st;
        item = i + 1;
    }
    return SL_OK;
}

/* Reads front matter lines [1, close): "key: value" lines, and "- item"
 * lines under a key with no value. Anything fancier YAML allows (nested
 * maps, block scalars) is skipped: rules need the flat credit fields. */
static sl_status md_front_matter(md_state *m, size_t close)
{
    const sl_source *src = m->src;
    const char *data = src->data;
    size_t list_key = 0, list_len = 0;
    for (size_t k = 1; k < close; k++) {
        size_t s, e, next, first;
        line_bounds(src, k, &s, &e, &next);
        size_t ind = indent_of(data, s, e, &first);
        if (first == e || data[first] == '#')
            continue;
        sl_status st = SL_OK;
        if (data[first] == '-' && (first + 1 == e || data[first + 1] == ' ')) {
            if (list_len)
                st = md_meta_value(m, data + list_key, list_len, first + 1, e);
            if (st != SL_OK)
                return st;
            continue;
        }
        list_len = 0;
        if (ind > 0)
            continue; /* a nested map */
        size_t p = first;
        while (p < e && (isalnum((unsigned char)data[p]) || strchr("_-.", data[p])))
            p++;
        size_t q = p;
        while (q < e && (data[q] == ' ' || data[q] == '\t'))
            q++;
        if (p == first || q >= e || data[q] != ':')
            continue;
        if (sl_input_is_blank(data + q + 1, e - q - 1)) {
            list_key = first;
            list_len = p - first;
            continue;
        }
        if (data[q + 1] != ' ' && data[q + 1] != '\t')
            continue; /* "http://x" is no key */
        st = md_meta_values(m, data + first, p - first, q + 1, e);
        if (st != SL_OK)
            return st;
    }
    return SL_OK;
}

/* Index of the first line after the front matter (0 when there is none):
 * "---" on the first line, closed by "---" or "...". */
static size_t md_skip_front_matter(md_state *m, sl_status *st)
{
    const sl_source *src = m->src;
    size_t s, e, next;
    *st = SL_OK;
    line_bounds(src, 0, &s, &e, &next);
    while (e > s && (src->data[e - 1] == ' ' || src->data[e - 1] == '\t'))
        e--;
    if (e - s != 3 || memcmp(src->data + s, "---", 3) != 0)
        return 0;
    for (size_t k = 1; k < src->nlines; k++) {
        line_bounds(src, k, &s, &e, &next);
        while (e > s && (src->data[e - 1] == ' ' || src->data[e - 1] == '\t'))
            e--;
        if (e - s == 3 &&
            (memcmp(src->data + s, "---", 3) == 0 || memcmp(src->data + s, "...", 3) == 0)) {
            *st = md_front_matter(m, k);
            return k + 1;
        }
    }
    return 0; /* unclosed: an ordinary thematic break */
}

/* Length of a code fence opening at `first` (3+ '`' or '~'), or 0. */
static size_t md_fence(const char *data, size_t first, size_t e, char *ch)
{
    if (first >= e || (data[first] != '`' && data[first] != '~'))
        return 0;
    char c = data[first];
    size_t p = first;
    while (p < e && data[p] == c)
        p++;
    if (p - first < 3)
        return 0;
    /* A backtick fence's info string holds no backtick (else it is an
     * inline code span). */
    if (c == '`' && memchr(data + p, '`', e - p))
        return 0;
    *ch = c;
    return p - first;
}

/* The first level-one ATX heading's text, "# Title #" giving "Title". */
static sl_status md_heading(md_state *m, size_t first, size_t e)
{
    const char *data = m->src->data;
    if (m->doc->title.len || e - first < 2 || data[first] != '#' ||
        (data[first + 1] != ' ' && data[first + 1] != '\t'))
        return SL_OK;
    size_t s = first + 1;
    trim(data, &s, &e);
    size_t c = e;
    while (c > s && data[c - 1] == '#')
        c--;
    if (c == s || data[c - 1] == ' ' || data[c - 1] == '\t') {
        e = c;
        trim(data, &s, &e);
    }
    return e > s ? sl_field_append_span(&m->doc->title, data + s, e - s, s) : SL_OK;
}

/* End of the inline code span opening at p (a run of backticks), just
 * past its closing run; 0 when it does not close on the line. */
static size_t md_code_span(const char *data, size_t p, size_t e, size_t *open_end)
{
    size_t q = p;
    while (q < e && data[q] == '`')
        q++;
    size_t n = q - p, r = q;
    *open_end = q;
    while (r < e) {
        if (data[r] != '`') {
            r++;
            continue;
        }
        size_t t = r;
        while (t < e && data[t] == '`')
            t++;
        if (t - r == n)
            return t;
        r = t;
    }
    return 0;
}

/* The ")" closing a link destination that opens at data[p] == '(' (one
 * level of nested parentheses, as in Wikipedia's URLs), or 0. */
static size_t md_link_dest(const char *data, size_t p, size_t e)
{
    int depth = 0;
    if (e - p > MD_INLINE_WINDOW)
        e = p + MD_INLINE_WINDOW;
    for (size_t i = p; i < e; i++) {
        if (data[i] == '\\') {
            i++;
        } else if (data[i] == '(') {
            if (++depth > 2)
                return 0;
        } else if (data[i] == ')' && --depth == 0) {
            return i;
        }
    }
    return 0;
}

/* For a "[" at p that opens an inline link "[text](dest)" or a reference
 * link "[text][ref]": the "]" that ends the text, and *after just past
 * the destination or reference. 0 for a bracket that is text ("[TK]",
 * "[[FileID]]", a citation "[1]"). */
static size_t md_link(const char *data, size_t p, size_t e, size_t *after)
{
    size_t i = p + 1;
    while (i < e && data[i] != ']' && data[i] != '[') {
        if (data[i] == '\\')
            i++;
        i++;
    }
    if (i + 1 >= e || data[i] != ']' || i == p + 1)
        return 0;
    if (data[i + 1] == '(') {
        size_t close = md_link_dest(data, i + 1, e);
        if (!close)
            return 0;
        *after = close + 1;
        return i;
    }
    if (data[i + 1] == '[') {
        size_t j = i + 2;
        while (j < e && data[j] != ']' && data[j] != '[')
            j++;
        if (j >= e || data[j] != ']')
            return 0;
        *after = j + 1;
        return i;
    }
    return 0;
}

static int md_word(unsigned char c)
{
    return isalnum(c) || c >= 0x80;
}

/* Nonzero when c is one of `set` (strchr alone also finds the NUL). */
static int md_in(unsigned char c, const char *set)
{
    return c && strchr(set, c);
}

/* Length of the run of c at p that may open emphasis (before a word, a
 * price, a number sign, a handle or a link, after the line start, a space
 * or an opening bracket or quote), or 0. */
static size_t md_opener(const char *data, size_t s, size_t p, size_t e)
{
    size_t q = p;
    while (q < e && data[q] == data[p])
        q++;
    unsigned char before = p > s ? (unsigned char)data[p - 1] : ' ';
    unsigned char after = q < e ? (unsigned char)data[q] : ' ';
    int ok = q - p <= 3 && (isspace(before) || md_in(before, "([{\"'")) &&
             (md_word(after) || md_in(after, "\"'($#@["));
    return ok ? q - p : 0;
}

/* The run of `n` delimiters that closes the emphasis opened by the run
 * [p, p + n) on this line (after a word, punctuation, a percent sign or
 * a link, before the line end, a space or punctuation), or 0: delimiters are dropped only in
 * pairs, so "f***", "5 * 3", "*|FNAME|*" and snake_case stay as written.
 * A closer belongs to the nearest opener before it, as in CommonMark: in
 * "**unclosed and **bold**" the first run is text. */
static size_t md_closer(const char *data, size_t s, size_t p, size_t n, size_t e)
{
    char ch = data[p];
    size_t stop = e - p > MD_INLINE_WINDOW ? p + MD_INLINE_WINDOW : e;
    for (size_t i = p + n; i < stop; i++) {
        if (data[i] == '\\') {
            i++;
            continue;
        }
        if (data[i] != ch)
            continue;
        size_t q = i;
        while (q < e && data[q] == ch)
            q++;
        unsigned char before = (unsigned char)data[i - 1];
        unsigned char after = q < e ? (unsigned char)data[q] : ' ';
        if (q - i == n && (md_word(before) || md_in(before, ".,;:!?)]%\"'")) &&
            (isspace(after) || md_in(after, ".,;:!?)]}\"'-")))
            return i;
        if (q - i == n && md_opener(data, s, i, e))
            return 0;
        i = q - 1;
    }
    return 0;
}

/* The first place of `tag` (ASCII, lower case) in s[p, e) in any case,
 * or e. */
static size_t md_find_tag(const char *s, size_t p, size_t e, const char *tag)
{
    size_t n = strlen(tag);
    for (; p + n <= e; p++)
        if (s[p] == '<' && sl_input_ci_equal(s + p, tag, n))
            return p;
    return e;
}

/* Raw inline HTML code at s[p] ("<code>...</code>", also <kbd> and
 * <samp>) closed on the same line: 1 with where its text starts and ends
 * and the position after its end tag. */
static int md_inline_code(const char *s, size_t p, size_t e, size_t *open_end, size_t *close_at,
                          size_t *after)
{
    static const char *const tags[][2] = {
        {"<code", "</code>"}, {"<kbd", "</kbd>"}, {"<samp", "</samp>"}};
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
        size_t n = strlen(tags[i][0]);
        if (e - p <= n || !sl_input_ci_equal(s + p, tags[i][0], n) ||
            (s[p + n] != '>' && s[p + n] != ' '))
            continue;
        const char *gt = memchr(s + p + n, '>', e - p - n);
        if (!gt)
            return 0;
        size_t o = (size_t)(gt - s) + 1, c = md_find_tag(s, o, e, tags[i][1]);
        if (c == e)
            return 0;
        *open_end = o;
        *close_at = c;
        *after = c + strlen(tags[i][1]);
        return 1;
    }
    return 0;
}

/* Appends body line [s, e) plus its line end [e, next). Inline code spans
 * (`x`, ``x``) go to the code field. Links keep their text and lose their
 * brackets and destination, images go whole, and emphasis delimiters
 * around words go, so that "**Already a subscriber?** [Log in](/login)"
 * reads as the phrase it shows; every kept byte is a source span. Spans do
 * not cross lines here; multi-line spans are rare in articles and then
 * stay in the body as written. */
static sl_status md_body_line(md_state *m, size_t s, size_t e, size_t next)
{
    const char *data = m->src->data;
    sl_document *d = m->doc;
    sl_status st = SL_OK;
    size_t run = s, p = s;
    size_t link_end = 0, link_after = 0; /* the open link's "]" and what follows it */
    size_t close_at[MD_EMPHASIS_DEPTH], close_len[MD_EMPHASIS_DEPTH], nclose = 0, openers = 0;
    while (st == SL_OK && p < e) {
        char c = data[p];
        size_t skip_to = 0, after = 0, code_open = 0, code_close = 0;
        if (c == '\\' && p + 1 < e) {
            p += 2;
            continue;
        }
        if (link_end && p == link_end) {
            skip_to = link_after; /* "](dest)" */
            link_end = 0;
        } else if (c == '`') {
            size_t open_end, close = md_code_span(data, p, e, &open_end);
            if (!close) {
                p = open_end;
                continue;
            }
            st = sl_field_append_span(&d->body, data + run, p - run, run);
            if (st == SL_OK)
                st = sl_field_break(&d->code, open_end);
            if (st == SL_OK)
                st = sl_field_append_span(&d->code, data + open_end,
                                          close - (open_end - p) - open_end, open_end);
            run = p = close;
            continue;
        } else if (c == '<' && md_inline_code(data, p, e, &code_open, &code_close, &after)) {
            /* Raw inline HTML code (<code>, <kbd>, <samp>): code, as a
             * backtick span is. */
            st = sl_field_append_span(&d->body, data + run, p - run, run);
            if (st == SL_OK)
                st = sl_field_break(&d->code, code_open);
            if (st == SL_OK)
                st = sl_field_append_span(&d->code, data + code_open, code_close - code_open,
                                          code_open);
            run = p = after;
            continue;
        } else if (c == '<' && e - p >= 4 && memcmp(data + p, "<!--", 4) == 0) {
            /* An HTML comment: the page shows none of it. One left open
             * runs on over the lines after (md_lines). */
            const char *close = sl_input_find(data + p + 4, e - p - 4, "-->", 3);
            skip_to = close ? (size_t)(close - data) + 3 : e;
            m->in_comment = !close;
        } else if (c == '!' && p + 1 < e && data[p + 1] == '[' && !link_end) {
            size_t close = md_link(data, p + 1, e, &after);
            if (close)
                skip_to = after; /* an image: not text a reader sees */
        } else if (c == '[' && !link_end) {
            size_t close = md_link(data, p, e, &after);
            if (close) {
                link_end = close;
                link_after = after;
                skip_to = p + 1;
            }
        } else if (c == '*' || c == '_') {
            for (size_t k = 0; k < nclose && !skip_to; k++)
                if (close_at[k] == p) {
                    skip_to = p + close_len[k];
                    close_at[k] = close_at[--nclose];
                    close_len[k] = close_len[nclose];
                }
            size_t n = skip_to || openers >= MD_OPENERS_MAX ? 0 : md_opener(data, s, p, e);
            size_t close = 0;
            if (n && nclose < MD_EMPHASIS_DEPTH) {
                openers++;
                close = md_closer(data, s, p, n, e);
            }
            if (close) {
                close_at[nclose] = close;
                close_len[nclose++] = n;
                skip_to = p + n;
            }
        }
        if (!skip_to) {
            p++;
            continue;
        }
        st = sl_field_append_span(&d->body, data + run, p - run, run);
        run = p = skip_to;
    }
    if (st == SL_OK)
        st = sl_field_append_span(&d->body, data + run, e - run, run);
    if (st == SL_OK)
        st = sl_input_append_lines(&d->body, data, e, next);
    return st;
}

static sl_status md_code_line(md_state *m, size_t s, size_t next)
{
    return sl_input_append_lines(&m->doc->code, m->src->data, s, next);
}

/* A raw HTML block that opens on this line (CommonMark's first kind):
 * <pre> is code, <script> and <style> are no text a reader sees.
 * Returns 1 or 2 and the tag that ends it, else 0. */
static int md_html_block(const char *s, size_t first, size_t e, const char **end)
{
    static const struct {
        const char *open, *close;
        int kind;
    } blocks[] = {{"<pre", "</pre>", 1}, {"<script", "</script>", 2}, {"<style", "</style>", 2}};
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
        size_t n = strlen(blocks[i].open);
        if (e - first >= n && sl_input_ci_equal(s + first, blocks[i].open, n) &&
            (first + n == e || s[first + n] == '>' || s[first + n] == ' ' ||
             s[first + n] == '\t')) {
            *end = blocks[i].close;
            return blocks[i].kind;
        }
    }
    return 0;
}

/* List items indent their continuation paragraphs; such a paragraph is
 * not an indented code block unless indented four more columns than the
 * item's content. Returns the content column of a list item line, or -1. */
static long md_list_item(const char *data, size_t first, size_t e, size_t ind)
{
    if (ind > 3 || first >= e)
        return -1;
    size_t p = first;
    if (data[p] == '-' || data[p] == '*' || data[p] == '+') {
        p++;
    } else {
        while (p < e && p - first < 9 && isdigit((unsigned char)data[p]))
            p++;
        if (p == first || p >= e || (data[p] != '.' && data[p] != ')'))
            return -1;
        p++;
    }
    if (p < e && data[p] != ' ' && data[p] != '\t')
        return -1;
    size_t q = p;
    while (q < e && (data[q] == ' ' || data[q] == '\t'))
        q++;
    return (long)(ind + (p - first) + (q > p ? q - p : 1));
}

static sl_status md_lines(md_state *m, size_t k0)
{
    const sl_source *src = m->src;
    const char *data = src->data;
    sl_document *d = m->doc;
    int in_fence = 0, prev_blank = 1, in_icode = 0;
    char fence_ch = 0;
    size_t fence_len = 0;
    long list_col = -1;
    sl_status st = SL_OK;
    for (size_t k = k0; st == SL_OK && k < src->nlines; k++) {
        size_t s, e, next, first;
        line_bounds(src, k, &s, &e, &next);
        if (s == next)
            break; /* the empty "line" after a final newline */
        size_t ind = indent_of(data, s, e, &first);
        int blank = first == e;
        if (!m->html_block && !m->in_comment && ind <= 3 && first < e && data[first] == '<' &&
            (m->html_block = md_html_block(data, first, e, &m->block_end)) == 1)
            st = sl_field_break(&d->code, s);
        if (m->html_block) {
            /* A raw <pre> block is code; <script> and <style> are nothing
             * a reader sees. Either runs to the line of its end tag. */
            if (st == SL_OK && m->html_block == 1)
                st = md_code_line(m, s, next);
            if (md_find_tag(data, s, e, m->block_end) < e)
                m->html_block = 0;
            prev_blank = blank;
            continue;
        }
        if (m->in_comment) {
            /* The rest of a comment: nothing until its "-->". */
            const char *close = sl_input_find(data + s, e - s, "-->", 3);
            if (!close)
                continue;
            m->in_comment = 0;
            st = md_body_line(m, (size_t)(close - data) + 3, e, next);
            prev_blank = blank;
            continue;
        }
        char ch = 0;
        size_t flen = ind <= 3 ? md_fence(data, first, e, &ch) : 0;
        if (in_fence) {
            if (flen >= fence_len && ch == fence_ch && first + flen <= e &&
                sl_input_is_blank(data + first + flen, e - first - flen))
                in_fence = 0;
            else
                st = md_code_line(m, s, next);
            continue;
        }
        if (flen) {
            in_fence = 1;
            fence_ch = ch;
            fence_len = flen;
            st = sl_field_break(&d->code, s);
            prev_blank = 1;
            in_icode = 0;
            continue;
        }
        long item = md_list_item(data, first, e, ind);
        size_t code_ind = (list_col >= 0 ? (size_t)list_col : 0) + 4;
        if (!blank && item < 0 && ind >= code_ind && (prev_blank || in_icode)) {
            if (!in_icode)
                st = sl_field_break(&d->code, s);
            if (st == SL_OK)
                st = md_code_line(m, first, next);
            in_icode = 1;
            continue;
        }
        if (blank && in_icode) {
            st = md_code_line(m, s, next);
            continue;
        }
        in_icode = 0;
        if (item >= 0)
            list_col = item;
        else if (!blank && prev_blank && list_col >= 0 && ind < (size_t)list_col)
            list_col = -1;
        if (!m->title_from_meta && ind <= 3)
            st = md_heading(m, first, e);
        if (st == SL_OK)
            st = md_body_line(m, s, e, next);
        prev_blank = blank;
    }
    return st;
}

sl_status sl_load_markdown(const sl_source *src, sl_doclist *docs, sl_diag *diag)
{
    md_state m = {src, NULL, 0, 0, 0, NULL};
    sl_status st = sl_source_index(src);
    if (st == SL_OK)
        st = sl_doclist_add(docs, src->path, &m.doc);
    if (st != SL_OK)
        goto out;
    st = sl_input_source_text(&m.doc->page, src->data, 0, src->len);
    m.doc->raw_is_page = 1;
    if (st != SL_OK)
        goto out;
    size_t k0 = md_skip_front_matter(&m, &st);
    if (st == SL_OK)
        st = md_lines(&m, k0);
out:
    if (st == SL_ENOMEM)
        return oom(diag);
    if (st != SL_OK)
        return sl_diag_set(diag, st, NULL, 0, 0, NULL, "input too large");
    return SL_OK;
}

/* ------------------------------------------------------------ entry point */

int sl_input_is_feed(sl_input_type type)
{
    return type >= SL_INPUT_RSS && type <= SL_INPUT_JSONL;
}

/* Nonzero when the bytes of f after the BOM are UTF-8 that sl_to_utf8
 * would leave as they are; the pass releases the pages it has read. */
static int clean_utf8(const sl_input_file *f, size_t bom)
{
    const char *s = f->data + bom;
    size_t n = f->len - bom, step = (size_t)1 << 20;
    for (size_t i = 0; i < n;) {
        size_t stop = n - i > step ? i + step : n;
        size_t next = sl_charset_utf8_scan(s, n, i, stop);
        if (next < stop)
            return 0;
        sl_input_file_release(f, bom + i, bom + next);
        i = next;
    }
    return 1;
}

/* Nonzero when s[0, n) is well-formed UTF-8 with at least one character
 * beyond ASCII. */
static int utf8_beyond_ascii(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (unsigned char)s[i] < 0x80)
        i++;
    return i < n && sl_charset_utf8_scan(s, n, i, n) >= n;
}

/* Nonzero when s[0, n) is an XML declaration ("<?xml ...?>") followed by
 * nothing but whitespace, comments and processing instructions: an XML
 * file with no element. */
static int xml_without_root(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && isspace((unsigned char)s[i]))
        i++;
    if (n - i < 5 || memcmp(s + i, "<?xml", 5) != 0)
        return 0;
    while (i < n) {
        while (i < n && isspace((unsigned char)s[i]))
            i++;
        if (i == n)
            return 1;
        const char *end = NULL;
        if (n - i >= 2 && s[i] == '<' && s[i + 1] == '?')
            end = sl_input_find(s + i + 2, n - i - 2, "?>", 2);
        else if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0)
            end = sl_input_find(s + i + 4, n - i - 4, "-->", 3);
        else
            return 0;
        if (!end)
            return 0;
        i = (size_t)(end - s) + (s[i + 1] == '?' ? 2 : 3);
    }
    return 1;
}

/* The entry point behind sl_input_load_each (f NULL: data is the caller's
 * and copied) and sl_input_load_file (data is f's, borrowed when it is
 * UTF-8 already). */
static sl_status load(const char *path, const char *data, size_t len, const sl_input_file *f,
                      sl_input_type hint, sl_source *src, sl_input_doc_cb cb, void *user,
                      char *note, size_t cap, sl_diag *diag)
{
    char *utf8 = NULL;
    size_t ulen = 0;
    char declared[64];
    sl_status st = SL_OK;
    sl_doclist docs = {0};
    memset(src, 0, sizeof *src);
    if (note && cap)
        note[0] = '\0';
    if (!data && len) {
        st = sl_diag_set(diag, SL_EINVAL, NULL, 0, 0, NULL, "no input data");
        goto cleanup;
    }
    if (!data)
        data = "";

    const char *charset;
    size_t bom = sl_charset_bom(data, len, &charset);
    /* NUL bytes are ordinary in UTF-16/32; only other files can be told
     * binary by them. */
    if (!charset || sl_charset_is_utf8(charset)) {
        st = sl_charset_check_binary(data + bom, len - bom, diag);
        if (st != SL_OK)
            goto cleanup;
    }
    sl_input_type type = hint != SL_INPUT_AUTO ? hint : sl_input_detect(path, data, len);
    if (type == SL_INPUT_TEXT && xml_without_root(data + bom, len - bom)) {
        /* A feed download cut off after its first line is not a text to
         * pass: it holds nothing to check. */
        st = sl_diag_set(diag, SL_EINPUT, NULL, 0, 0, NULL,
                         "XML declaration and no root element: nothing to check");
        goto cleanup;
    }
    int sniffed = 0;
    /* An HTML page's meta charset, or an XML feed's prolog encoding. */
    int xml_feed = type >= SL_INPUT_RSS && type <= SL_INPUT_NEWSML;
    if (!charset && (type == SL_INPUT_HTML || xml_feed) &&
        sl_charset_sniff_html(data, len, declared, sizeof declared)) {
        /* A page that says UTF-16 in its own ASCII-compatible bytes is not
         * UTF-16; browsers read it as UTF-8, and so do we. */
        if (strncmp(declared, "utf-16", 6) != 0 && strncmp(declared, "utf-32", 6) != 0) {
            charset = declared;
            sniffed = 1;
        }
    }
    /* A page or feed that declares a one-byte charset but whose bytes are
     * all UTF-8, with some character beyond ASCII among them, is UTF-8: a
     * CMS writing UTF-8 under an old windows-1252 declaration is common,
     * and read as declared, "You’ve reached your limit" becomes "Youâ€™ve
     * reached your limit", which no rule matches. Text really in such a
     * charset is almost never valid UTF-8 beyond ASCII. */
    if (sniffed && sl_charset_single_byte(charset) && utf8_beyond_ascii(data + bom, len - bom))
        charset = NULL;
    /* A feed's source is streamed: no line index, memory per item. Other
     * files build their line index when a loader or a finding needs it. */
    int flags = sl_input_is_feed(type) ? SL_SOURCE_STREAM : SL_SOURCE_LAZY;
    const char *text;
    if (f && (!charset || sl_charset_is_utf8(charset)) && clean_utf8(f, bom)) {
        /* UTF-8 already (the common case): no copy, and a mapped feed's
         * pages can be released behind the item being read. */
        text = data + bom;
        ulen = len - bom;
        flags |= SL_SOURCE_BORROWED | (f->map ? SL_SOURCE_PAGEABLE : 0);
    } else {
        st = sl_to_utf8(data + bom, len - bom, charset, &utf8, &ulen, diag);
        if (st == SL_EINPUT && sniffed) {
            /* A label iconv does not know is a typo more often than an
             * exotic charset: read the page as UTF-8 rather than refuse it. */
            st = sl_to_utf8(data + bom, len - bom, NULL, &utf8, &ulen, diag);
        }
        /* The converted copy is all the loaders read from now on. */
        sl_input_file_release(f, 0, len);
        if (st != SL_OK)
            goto cleanup;
        text = utf8;
    }
    if (ulen >= UINT32_MAX) {
        st = sl_diag_set(diag, SL_ELIMIT, NULL, 0, 0, NULL, "file too large (%zu bytes as UTF-8)",
                         ulen);
        goto cleanup;
    }
    st = sl_source_init_with(src, path, text, ulen, flags);
    utf8 = NULL; /* owned by src now (when it was made), even on failure */
    if (st != SL_OK) {
        st = oom(diag);
        goto cleanup;
    }
    char why[400];
    if (hint == SL_INPUT_AUTO && !sl_input_is_blank(src->data, src->len) &&
        sl_input_not_a_feed(path, src->data, src->len, type, why, sizeof why)) {
        st = sl_diag_set(diag, SL_EINPUT, NULL, 0, 0, NULL, "%s", why);
        goto cleanup;
    }
    if (sl_input_is_blank(src->data, src->len)) {
        /* Nothing to read is not unreadable: the engine decides what an
         * empty document means (a require rule fails on it). */
        sl_document *d;
        st = sl_doclist_add(&docs, src->path, &d);
        if (st != SL_OK)
            st = oom(diag);
        else
            st = cb(user, src, d);
        goto cleanup;
    }
    /* A feed that breaks off writes its reason here and into its error
     * document: room for the whole message when the caller has no use
     * for the note. */
    char scratch[600];
    if (!note || !cap)
        note = scratch, cap = sizeof scratch;
    switch (type) {
    case SL_INPUT_RSS:
    case SL_INPUT_ATOM:
    case SL_INPUT_NITF:
    case SL_INPUT_NEWSML:
        st = sl_load_feed_xml(src, cb, user, note, cap, diag);
        goto cleanup;
    case SL_INPUT_JSONFEED:
    case SL_INPUT_NINJS:
    case SL_INPUT_JSONL:
        st = sl_load_feed_json(src, type, cb, user, note, cap, diag);
        goto cleanup;
    case SL_INPUT_HTML:
        st = sl_load_html(src, &docs, diag);
        break;
    case SL_INPUT_MARKDOWN:
        st = sl_load_markdown(src, &docs, diag);
        break;
    default:
        st = sl_load_text(src, &docs, diag);
        break;
    }
    for (size_t i = 0; st == SL_OK && i < docs.ndocs; i++)
        st = cb(user, src, &docs.docs[i]);
cleanup:
    free(utf8);
    sl_doclist_clear(&docs);
    if (st != SL_OK)
        sl_source_clear(src);
    return st;
}

sl_status sl_input_load_each(const char *path, const char *data, size_t len, sl_input_type hint,
                             sl_source *src, sl_input_doc_cb cb, void *user, char *note, size_t cap,
                             sl_diag *diag)
{
    return load(path, data, len, NULL, hint, src, cb, user, note, cap, diag);
}

sl_status sl_input_load_file(const char *path, const sl_input_file *f, sl_input_type hint,
                             sl_source *src, sl_input_doc_cb cb, void *user, char *note, size_t cap,
                             sl_diag *diag)
{
    return load(path, f->data, f->len, f, hint, src, cb, user, note, cap, diag);
}

/* Keeps each document: moves it into the list. */
static sl_status collect(void *user, const sl_source *src, sl_document *doc)
{
    sl_doclist *l = user;
    sl_document *slot;
    (void)src;
    sl_status st = sl_doclist_add(l, "", &slot);
    if (st != SL_OK)
        return st;
    free(slot->id);
    *slot = *doc;
    memset(doc, 0, sizeof *doc);
    return SL_OK;
}

sl_status sl_input_load(const char *path, const char *data, size_t len, sl_input_type hint,
                        sl_source *src, sl_doclist *docs, sl_diag *diag)
{
    size_t ndocs = docs->ndocs;
    sl_status st = sl_input_load_each(path, data, len, hint, src, collect, docs, NULL, 0, diag);
    if (st != SL_OK) {
        /* Leave nothing half-loaded behind. */
        while (docs->ndocs > ndocs)
            sl_document_clear(&docs->docs[--docs->ndocs]);
    }
    return st;
}
