/*
 * Loaders: from a file's bytes to documents.
 *
 * sl_input_load is the one entry point the engine calls. It decides the
 * input type from the content (a BOM, "<!DOCTYPE html", "<html", leading
 * markup) and from the path's extension, converts the bytes to UTF-8
 * (honouring a BOM and an HTML page's declared charset), fills `src`, and
 * appends the file's documents to `docs`.
 *
 * A file that cannot be scanned (binary content, an encoding that cannot be
 * decoded, ...) gives SL_EINPUT with a reason in diag (no place prefix: the
 * caller adds the path). Invalid UTF-8 in a file declared or assumed UTF-8
 * is not fatal: each invalid byte is replaced with U+FFFD, mapped to the
 * offending source byte.
 */
#ifndef SL_INPUT_INPUT_H
#define SL_INPUT_INPUT_H

#include "input/document.h"

typedef enum sl_input_type {
    SL_INPUT_AUTO = 0,
    SL_INPUT_TEXT,
    SL_INPUT_MARKDOWN,
    SL_INPUT_HTML,
    /* Feeds: one document per item (feed.h). */
    SL_INPUT_RSS,      /* RSS 2.0, RSS 1.0/RDF */
    SL_INPUT_ATOM,     /* Atom 1.0 feed or entry */
    SL_INPUT_NITF,     /* NITF 3.x */
    SL_INPUT_NEWSML,   /* NewsML-G2 newsMessage, newsItem, packageItem */
    SL_INPUT_JSONFEED, /* JSON Feed 1.x */
    SL_INPUT_NINJS,    /* IPTC ninjs 1.x-3.x: an object, or an array of them */
    SL_INPUT_JSONL     /* JSON Lines: one article object per line */
} sl_input_type;

/* `data`/`len` are borrowed; `src` receives its own UTF-8 copy (a feed's
 * source is streamed: text/source.h). */
sl_status sl_input_load(const char *path, const char *data, size_t len, sl_input_type hint,
                        sl_source *src, sl_doclist *docs, sl_diag *diag);

/* Called by sl_input_load_each with each document as soon as it is built;
 * `doc` is borrowed for the call. A status other than SL_OK stops loading
 * and is returned. */
typedef sl_status (*sl_input_doc_cb)(void *user, const sl_source *src, sl_document *doc);

/* As sl_input_load, but hands each document to `cb` instead of keeping
 * them: a feed's items are built, judged and dropped one at a time. A feed
 * that breaks off after some items still gives SL_OK (the items read, then
 * an ERROR document "path#parse-error") and leaves the parse error in
 * `note` (`cap` bytes; "" otherwise) for the file's result. */
sl_status sl_input_load_each(const char *path, const char *data, size_t len, sl_input_type hint,
                             sl_source *src, sl_input_doc_cb cb, void *user, char *note, size_t cap,
                             sl_diag *diag);

/* A file's bytes for the loaders. A regular file is mapped read-only
 * (MAP_PRIVATE), so that a feed's pages can be released behind the item
 * being read and memory follows the largest item, not the file; anything
 * else (standard input, a pipe, an empty or unmappable file) is read into
 * memory. Either way data[len] is '\0'. The mapping is of the file as it
 * is: a file truncated by another process while it is being scanned makes
 * reading its lost pages fail with SIGBUS, as with any mapped file. */
typedef struct sl_input_file {
    const char *data; /* the bytes; borrowed from `map` or `buf` */
    size_t len;
    char *buf; /* owned; the bytes when read, else NULL */
    void *map; /* owned; the mapping (the file, then a page of zeros) */
    size_t map_len;
} sl_input_file;

/* Reads the open file `fd` (the caller closes it; the mapping does not
 * need it). A regular file larger than `limit` sets *over and reads
 * nothing; a pipe is read up to just past `limit`, then *over is set.
 * SL_EIO (errno kept) when reading fails. Free with sl_input_file_close. */
sl_status sl_input_file_read(int fd, size_t limit, sl_input_file *f, int *over);

struct stat;

/* As sl_input_file_read, for a file the caller has just opened and
 * fstat'ed into `sb` (NULL: unknown, read to the end): it is read from its
 * start, so neither call is made again (a scan of many small files is
 * mostly system calls). */
sl_status sl_input_file_read_opened(int fd, const struct stat *sb, size_t limit, sl_input_file *f,
                                    int *over);

/* Releases the resident pages of a mapped file that hold bytes [from, to),
 * all but the page holding byte `to`: they are read back from the file if
 * touched again. Nothing for a file that was read into memory. For passes
 * over the whole file, which release the bytes behind them as they go. */
void sl_input_file_release(const sl_input_file *f, size_t from, size_t to);

/* Nonzero when the bytes hold `lit`; a pass that releases the pages it
 * has read. */
int sl_input_file_mentions(const sl_input_file *f, const char *lit);

void sl_input_file_close(sl_input_file *f);

/* As sl_input_load_each over the bytes of `f`, without copying them when
 * they are UTF-8 already (the common case): `src` then borrows them, so
 * `f` must outlive `src`. For a feed, the source is streamed (text/source.h)
 * and, when `f` is mapped, its pages are released behind the item being
 * read. A file in another charset, or with bytes that are not UTF-8, is
 * converted as a whole, as sl_input_load_each does. */
sl_status sl_input_load_file(const char *path, const sl_input_file *f, sl_input_type hint,
                             sl_source *src, sl_input_doc_cb cb, void *user, char *note, size_t cap,
                             sl_diag *diag);

/* Nonzero for the feed types, whose items are documents of their own. */
int sl_input_is_feed(sl_input_type type);

/* Decides the type of a file from its first bytes and its path. */
sl_input_type sl_input_detect(const char *path, const char *data, size_t len);
/* Nonzero, with the reason in `why` (cap bytes), when `path` names a feed
 * (.rss, .atom, .rdf, .nitf, .newsml) but `type`, detected from the
 * content, is none, or when a .xml or .json file holds what a server
 * answers in place of a feed (an HTML page, an XML <Error>, a JSON
 * {"error": ...}). Scanned as what it holds, it would pass with nothing of
 * the feed checked. Other .xml and .json data is read as text. */
int sl_input_not_a_feed(const char *path, const char *data, size_t len, sl_input_type type,
                        char *why, size_t cap);

/* Loaders over a source already in UTF-8; each appends one document with id
 * src->path. Exposed for the rule-example runner and tests. */
sl_status sl_load_text(const sl_source *src, sl_doclist *docs, sl_diag *diag);
sl_status sl_load_markdown(const sl_source *src, sl_doclist *docs, sl_diag *diag);
sl_status sl_load_html(const sl_source *src, sl_doclist *docs, sl_diag *diag);
/* The same for markup that is all story, a feed item's HTML: no region and
 * no page furniture, every visible text is body (an <aside> or <footer>
 * there is the item's own, and what a partner republishes). */
sl_status sl_load_html_part(const sl_source *src, sl_doclist *docs, sl_diag *diag);

/* Converts `len` bytes in `charset` (NULL: UTF-8) to UTF-8, replacing invalid
 * sequences with U+FFFD. *out is malloc'd and NUL-terminated. */
sl_status sl_to_utf8(const char *data, size_t len, const char *charset, char **out, size_t *outlen,
                     sl_diag *diag);

#endif
