/*
 * schema.org metadata from an HTML page's JSON-LD scripts, private to the
 * HTML loader.
 */
#ifndef SL_INPUT_JSONLD_H
#define SL_INPUT_JSONLD_H

#include "input/document.h"

/* Parses `json` (the text of one <script type="application/ld+json">,
 * NUL-terminated) and, for every article object in it (@type NewsArticle,
 * Article, ReportageNewsArticle, AnalysisNewsArticle or BlogPosting; at
 * the top, in an array or in @graph), adds meta values to `d`: "author"
 * (one per author), "publisher", "isaccessibleforfree" ("true"/"false"),
 * "headline", and "credit" (sourceOrganization, copyrightHolder,
 * creditText). The first headline is also appended to `headline` when that
 * is empty. Values are mapped to where they appear in src->data[start,
 * end), the script's text, or to `start` when they cannot be found there.
 * Malformed JSON is ignored: SL_OK with nothing added. */
sl_status sl_jsonld_read(const sl_source *src, size_t start, size_t end, const char *json,
                         sl_document *d, sl_field *headline);

#endif
