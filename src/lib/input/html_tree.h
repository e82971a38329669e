/*
 * An HTML tokenizer and tree builder that build no tree: they read the
 * source once and tell a visitor, in document order, which elements open
 * and close and where each run of text lies, with byte offsets into the
 * source. Private to the HTML loader.
 *
 * The builder follows the HTML standard's tree construction where it
 * decides which element holds a piece of text, which is all the loader
 * needs: void elements; raw text (script, style, xmp, iframe, noembed,
 * noframes, plaintext) and RCDATA (title, textarea); end tags implied by
 * a start tag (p, li, dd/dt, option, headings); table rows, cells and row
 * groups, which close what is open in the table down to where they
 * belong, imply their row and group, and exist only in a table; end tags
 * that close only what is in scope, and inline end tags that never cross
 * a block; forms that do not nest; "</body>" and "</html>", which close
 * nothing; foreign content (svg, math) with its self-closing tags and the
 * tags that break out of it; an implied <body>. It does not reparent (the
 * adoption agency, foster parenting): those move nodes in a tree, and
 * rarely change which text is hidden. tests/html5/ checks the builder
 * against html5lib on random tag soup.
 */
#ifndef SL_INPUT_HTML_TREE_H
#define SL_INPUT_HTML_TREE_H

#include <stddef.h>

#include "syndlint/syndlint.h"

/* Elements the loader or the builder tells apart; every other name is
 * SL_HK_OTHER and is matched by its name. */
typedef enum sl_html_kind {
    SL_HK_OTHER,
    SL_HK_ADDRESS,
    SL_HK_ARTICLE,
    SL_HK_ASIDE,
    SL_HK_BODY,
    SL_HK_BR,
    SL_HK_BUTTON,
    SL_HK_CAPTION,
    SL_HK_COL,
    SL_HK_COLGROUP,
    SL_HK_DD,
    SL_HK_DIV,
    SL_HK_DT,
    SL_HK_FOOTER,
    SL_HK_FORM,
    SL_HK_H1,
    SL_HK_HEAD,
    SL_HK_HEADER,
    SL_HK_HTML,
    SL_HK_LI,
    SL_HK_MAIN,
    SL_HK_META,
    SL_HK_NAV,
    SL_HK_OL,
    SL_HK_OPTGROUP,
    SL_HK_OPTION,
    SL_HK_P,
    SL_HK_PLAINTEXT,
    SL_HK_SCRIPT,
    SL_HK_TABLE,
    SL_HK_TBODY,
    SL_HK_TD,
    SL_HK_TFOOT,
    SL_HK_TH,
    SL_HK_THEAD,
    SL_HK_TITLE,
    SL_HK_TR,
    SL_HK_UL,
    SL_HK_COUNT
} sl_html_kind;

/* What an element is, for the loader (BLOCK, HIDDEN, CODE) and for the
 * builder (the rest). */
enum {
    SL_HF_VOID = 1u << 0,      /* no content, no end tag */
    SL_HF_BLOCK = 1u << 1,     /* its edges break the visible text */
    SL_HF_HIDDEN = 1u << 2,    /* its text is never on the page */
    SL_HF_CODE = 1u << 3,      /* pre, code */
    SL_HF_RAWTEXT = 1u << 4,   /* text up to its end tag, read verbatim */
    SL_HF_RCDATA = 1u << 5,    /* text up to its end tag, references decoded */
    SL_HF_CLOSES_P = 1u << 6,  /* its start tag ends an open <p> */
    SL_HF_SPECIAL = 1u << 7,   /* an inline end tag never closes across it */
    SL_HF_SCOPE = 1u << 8,     /* end tags inside never close outside it */
    SL_HF_IN_HEAD = 1u << 9,   /* may stand before <body> without implying it */
    SL_HF_FOREIGN = 1u << 10,  /* svg or math, or inside one */
    SL_HF_BREAKOUT = 1u << 11, /* its start tag ends foreign content */
    SL_HF_DETACHED = 1u << 12  /* the builder's: ended, closes with its last child */
};

/* A start tag as written. */
typedef struct sl_html_tag {
    size_t start, end;     /* its '<', and just past its '>' */
    size_t name, name_len; /* its name in the source */
    size_t attrs;          /* where its attributes begin (sl_input_next_attr) */
    int self_closing;
} sl_html_tag;

/* An open element. */
typedef struct sl_html_el {
    size_t ordinal;        /* how many elements opened before it */
    size_t open;           /* offset of its start tag, or of what implied it */
    size_t name, name_len; /* its name in the source (0, 0 when implied) */
    unsigned kind, flags;
    size_t mark[4]; /* the visitor's, zero when it opens */
} sl_html_el;

typedef struct sl_html_visitor {
    void *ctx;
    /* An element opens; `tag` is NULL when the element is implied. */
    sl_status (*open)(void *ctx, sl_html_el *el, const sl_html_tag *tag);
    /* It closes; `end` is past its end tag, or where what closed it begins. */
    sl_status (*close)(void *ctx, sl_html_el *el, size_t end);
    /* Text in [start, end): `raw` when its references are not to be
     * decoded; `parent` is the innermost open element, or NULL. */
    sl_status (*text)(void *ctx, const sl_html_el *parent, size_t start, size_t end, int raw);
} sl_html_visitor;

/* Reads s[0, len) and calls the visitor; every element opened is closed,
 * at `len` at the latest. Stops at the first status a callback returns
 * other than SL_OK and returns it; SL_ENOMEM when the stack cannot grow.
 * Time is linear in len: nesting deeper than SL_HTML_MAX_DEPTH opens and
 * at once closes each further element. */
#define SL_HTML_MAX_DEPTH 1024
sl_status sl_html_parse(const char *s, size_t len, const sl_html_visitor *v);

#endif
