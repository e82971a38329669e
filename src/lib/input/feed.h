/*
 * Feed loaders: every item of a feed is its own document.
 *
 * The XML loader (feed_xml.c) reads RSS 2.0, RSS 1.0/RDF, Atom 1.0, NITF 3.x
 * and NewsML-G2 with libxml2's streaming reader; the JSON loader
 * (feed_json.c) reads JSON Feed 1.1, IPTC ninjs (1.x, 2.x, 3.x names) and
 * JSON Lines. Both hand each item to a sink as soon as it is built and
 * clear it afterwards, so the documents of a feed are never all in memory
 * at once. The source is streamed (text/source.h): both call
 * sl_source_advance at each item, so positions need no index of the whole
 * feed, and a mapped file's pages behind the item are released
 * (sl_input_load_file): memory follows the largest item, not the feed.
 *
 * Every field keeps the offset map of the other loaders: each byte of an
 * item's title, body or meta value maps to its byte in the feed's source,
 * so a finding is reported at its line and column in the feed file. HTML
 * carried inside an item (escaped, in CDATA, XHTML, or a JSON string) goes
 * through sl_load_html with the maps composed (sl_feed_add_html).
 *
 * Ids: "path#guid" (RSS guid, Atom id, NewsML-G2 guid, JSON id or uri);
 * an item without one is "path#item-N" (N counts items from 1; for JSON
 * Lines "path#line-N"), stable as long as the feed's order is.
 *
 * A feed that breaks off (malformed XML or JSON after some items) keeps
 * the items read before the break: the loader sends them, then one ERROR
 * document "path#parse-error" saying where the input broke, returns SL_OK
 * and leaves the same words in *note for the file.
 */
#ifndef SL_INPUT_FEED_H
#define SL_INPUT_FEED_H

#include "input/input.h"

/* Receives one document; `doc` is borrowed for the call (the loader
 * clears it afterwards). A status other than SL_OK stops the loader. */
typedef sl_status (*sl_doc_sink)(void *user, const sl_source *src, sl_document *doc);

/* The XML loader decides the format from the root element; the JSON one
 * takes the detected `type` (SL_INPUT_JSONFEED, _NINJS, _JSONL). `note`
 * (`cap` bytes) receives the parse error of a feed that broke off, else "".
 * SL_EINPUT (reason in diag) when nothing could be read: not a feed, broken
 * before its first item, or a DOCTYPE declaring entities. */
sl_status sl_load_feed_xml(const sl_source *src, sl_doc_sink sink, void *user, char *note,
                           size_t cap, sl_diag *diag);
sl_status sl_load_feed_json(const sl_source *src, sl_input_type type, sl_doc_sink sink, void *user,
                            char *note, size_t cap, sl_diag *diag);

/* Feed types by content: `s` holds the file's first bytes as ASCII (BOM
 * dropped), `path` may be NULL. SL_INPUT_AUTO when it is no feed. */
sl_input_type sl_feed_detect_xml(const char *s, size_t n);
sl_input_type sl_feed_detect_json(const char *path, const char *s, size_t n);

/* --------------------------------------------------- shared item helpers */

/* Runs the HTML loader over `html`, markup whose byte i stands for feed
 * source offset sl_field_offset(html, i), and appends the fragment's body, code and
 * raw to doc's (a line break between parts), composing the maps so they
 * point into the feed. When `title` is not NULL and empty, the fragment's
 * title (its <title> or first <h1>) fills it. */
sl_status sl_feed_add_html(sl_document *doc, const sl_field *html, sl_field *title);

/* Appends `from` to `to` without the ASCII whitespace at both ends. */
sl_status sl_feed_copy_trimmed(sl_field *to, const sl_field *from);

/* Adds meta `name` with `value` trimmed; nothing when it is blank. */
sl_status sl_feed_add_meta(sl_document *doc, const char *name, const sl_field *value);

/* Sets doc->id to "path#key" (key trimmed), or to "path#PREFIX-N" when the
 * key is NULL or blank. */
sl_status sl_feed_set_id(sl_document *doc, const char *path, const char *key, size_t klen,
                         const char *prefix, size_t n);

/* Builds the "path#parse-error" document and sends it. */
sl_status sl_feed_emit_error(const sl_source *src, const char *message, sl_doc_sink sink,
                             void *user);

#endif
