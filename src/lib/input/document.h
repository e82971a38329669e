/*
 * The document model every loader produces and the engine consumes. A file
 * yields one or more documents (a text or HTML file one; a feed, one per
 * item). All documents of a file share its sl_source, whose offsets their
 * fields' maps refer to.
 */
#ifndef SL_INPUT_DOCUMENT_H
#define SL_INPUT_DOCUMENT_H

#include "text/field.h"
#include "text/source.h"

typedef struct sl_meta {
    char *name;     /* owned; lower-case ("author", "publisher", "og:title") */
    sl_field value; /* owned */
} sl_meta;

typedef struct sl_document {
    char *id;        /* owned; the path, or path#item for a feed item */
    sl_field title;  /* <title>/og:title/<h1>; a Markdown heading; may be empty */
    sl_field body;   /* visible article text, block boundaries as "\n" */
    sl_field chrome; /* visible page text outside the article: navigation,
                        banners, asides, footers (HTML only) */
    sl_field code;   /* text of <pre>/<code> (or fenced code), kept out of body */
    sl_field raw;    /* markup of the article region (<article>, main, else <body>) */
    sl_field page;   /* the whole source */
    sl_meta *meta;   /* owned array */
    size_t nmeta;
    size_t meta_cap;
    char *error; /* owned; non-NULL when this document could not be read */
    /* Set when the loader left `page` (`raw`) empty because it is the same
     * text, with the same offsets, as `body` (`page`): a plain-text file is
     * its own article and page, a Markdown file its own article markup.
     * Not copying them spares a whole-file copy and its offset map twice
     * per file; read them with sl_document_page and sl_document_raw. */
    unsigned char page_is_body, raw_is_page;
} sl_document;

typedef struct sl_doclist {
    sl_document *docs; /* owned array */
    size_t ndocs;
    size_t cap;
} sl_doclist;

/* Appends a zeroed document with the given id; *out points into the list
 * (valid until the next append). */
sl_status sl_doclist_add(sl_doclist *l, const char *id, sl_document **out);
void sl_doclist_clear(sl_doclist *l);

/* Adds a meta field; returns its value field to append into. Several
 * values with one name are allowed (several authors). */
sl_status sl_document_add_meta(sl_document *d, const char *name, sl_field **out);
void sl_document_clear(sl_document *d);

/* The document's page and raw fields, wherever they are held. Borrowed. */
const sl_field *sl_document_page(const sl_document *d);
const sl_field *sl_document_raw(const sl_document *d);

#endif
