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
    SL_INPUT_HTML
} sl_input_type;

/* `data`/`len` are borrowed; `src` receives its own UTF-8 copy. */
sl_status sl_input_load(const char *path, const char *data, size_t len, sl_input_type hint,
                        sl_source *src, sl_doclist *docs, sl_diag *diag);

/* Decides the type of a file from its first bytes and its path. */
sl_input_type sl_input_detect(const char *path, const char *data, size_t len);

/* Loaders over a source already in UTF-8; each appends one document with id
 * src->path. Exposed for the rule-example runner and tests. */
sl_status sl_load_text(const sl_source *src, sl_doclist *docs, sl_diag *diag);
sl_status sl_load_markdown(const sl_source *src, sl_doclist *docs, sl_diag *diag);
sl_status sl_load_html(const sl_source *src, sl_doclist *docs, sl_diag *diag);

/* Converts `len` bytes in `charset` (NULL: UTF-8) to UTF-8, replacing invalid
 * sequences with U+FFFD. *out is malloc'd and NUL-terminated. */
sl_status sl_to_utf8(const char *data, size_t len, const char *charset, char **out, size_t *outlen,
                     sl_diag *diag);

#endif
