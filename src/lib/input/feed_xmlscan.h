/*
 * The XML lexer shared by the feed loader and feed detection
 * (feed_xmlscan.c). Offsets are byte offsets into the buffer given; no
 * function reads at or past `len`.
 */
#ifndef SL_INPUT_FEED_XMLSCAN_H
#define SL_INPUT_FEED_XMLSCAN_H

#include <stddef.h>

#include "text/field.h"

enum { SL_XT_NONE, SL_XT_START, SL_XT_END, SL_XT_EMPTY };

/* A tag: its kind, its '<', its name, and the offset just past its '>'. */
typedef struct sl_xtag {
    int kind;
    size_t start, name, nlen, end;
} sl_xtag;

/* Nonzero when s[p, len) starts with `lit`. */
int sl_xml_starts(const char *s, size_t len, size_t p, const char *lit);
/* Index of `lit` at or after `from`, or `len`. */
size_t sl_xml_find(const char *s, size_t len, size_t from, const char *lit);
/* Past the comment, CDATA section, processing instruction or declaration
 * (a doctype with its internal subset) whose '<' is at p; p itself when a
 * tag starts there. */
size_t sl_xml_skip_other(const char *s, size_t len, size_t p);
/* Finds the next start, end or empty-element tag at or after p, skipping
 * everything else; returns its kind (SL_XT_NONE at the end). A quoted
 * attribute value may hold '>'. */
int sl_xml_next_tag(const char *s, size_t len, size_t p, sl_xtag *t);
/* When the prolog holds a doctype that declares any entity, 1 + the
 * offset of its first "<!ENTITY"; 0 otherwise. */
size_t sl_xml_declares_entities(const char *s, size_t len);
/* Content end of the element whose content starts at `cstart`: *cend is
 * its end tag's '<', *end just past that tag (both `len` when unclosed). */
void sl_xml_content_end(const char *s, size_t len, size_t cstart, size_t *cend, size_t *end);
/* Appends the character data of s[a, b) to f: the five XML entities,
 * character references and HTML's named entities decoded (each mapped to
 * its '&'), CDATA unwrapped, "\r\n" and "\r" as "\n", markup left out. */
sl_status sl_xml_decode_text(const char *s, size_t a, size_t b, sl_field *f);
/* The same, with a space where a tag stands between two words: for a
 * metadata value whose parts are elements ("By JANE DOE<byttl>AP Writer
 * </byttl>" reads "By JANE DOE AP Writer"). */
sl_status sl_xml_decode_words(const char *s, size_t a, size_t b, sl_field *f);
/* Decodes the reference at s[0] == '&' into out; returns the bytes used,
 * 0 when the '&' is literal. */
size_t sl_xml_decode_ref(const char *s, size_t n, char out[8], size_t *outlen);
/* UTF-8 encoding of code point cp into out (1 to 4 bytes). */

#endif
