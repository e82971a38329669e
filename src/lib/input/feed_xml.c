/*
 * The XML feed loader: RSS 2.0, RSS 1.0/RDF, Atom 1.0, NITF 3.x and
 * NewsML-G2, one document per item.
 *
 * Design note. libxml2's streaming reader (xmlTextReader) walks the feed;
 * each item element (rss/item, rdf:RDF/item, atom:entry, nitf, newsItem,
 * packageItem) is expanded into a small tree, turned into a document, sent
 * to the sink and freed before the reader moves on, so memory holds one
 * item's tree, never the feed's. The reader reads the source in small
 * chunks (xmlReaderForMemory does not copy it), and at each item the
 * source is told the loader has moved on (sl_source_advance), which
 * releases a mapped file's pages behind it.
 *
 * Positions. The reader gives no byte offsets (only line numbers, which
 * libxml2 2.9 keeps in 16 bits). So the loader keeps a lexer over the
 * source in lockstep with the reader: elements arrive in document order,
 * and so do start tags in the source once comments, CDATA, processing
 * instructions and the doctype are skipped; the k-th element the reader
 * reports is the k-th start tag, which the loader checks by name. From the
 * start tag it knows where the element's content begins, and a scan with
 * depth counting finds where it ends. Text is then decoded from the source
 * itself (character and entity references, CDATA, "\r\n"), so every byte
 * of a title, body or meta value maps to the feed byte that wrote it; a
 * reference maps all its bytes to its '&'. An element whose tag is not
 * where it should be (it cannot happen in a well-formed feed without
 * entity declarations, which are refused) falls back to libxml2's text,
 * mapped to the item's start.
 *
 * Errors. The reader stops at the first well-formedness error, and the
 * items it had not handed out yet that end before the error are parsed one
 * by one (salvage) and sent; the feed is then ERROR, naming the place (in
 * the feed's terms: the wrapper an item is parsed in never shows, and a
 * feed that ends inside its elements is said to be cut off).
 * Three errors are read past instead, as feed readers do (benign_error):
 * an HTML named entity the feed never declared, an ampersand that starts
 * no reference, and a control character XML forbids (U+000B pasted from a
 * word processor), which is dropped. At one, the reader has stopped all
 * the same, so the rest
 * of the feed is read item by item, each parsed on its own with the same
 * options; the text decoder reads both as HTML does.
 *
 * Safety. No network (XML_PARSE_NONET), no DTD loading, no entity
 * substitution. And a feed whose doctype declares any entity is refused
 * before parsing: feeds never need one, and refusing them closes billion
 * laughs, quadratic blow-up and external-entity reads in one check that
 * does not depend on libxml2's version-specific amplification heuristics.
 *
 * Where things go (meta names are those the rule packs scope to):
 *   RSS    title; content:encoded (else description) as HTML to body, the
 *          other as meta.description; guid (RSS 1.0: rdf:about) to the id;
 *          author, dc:creator (creator), dc:rights (rights), dc:publisher,
 *          dc:contributor, media:credit (credit, at any depth), media:title
 *          and media:description (captions, at any depth), source,
 *          link (url), and every other simple child by its local name
 *   Atom   title (text, html or xhtml); content by its type (text, html,
 *          xhtml; out-of-line src= gives nothing), else summary, to body;
 *          author/name (author), contributor/name, rights, source/title
 *          (source), id; a feed-level author and rights are inherited
 *   NITF   hedline/hl1 (else head/title); body.content as XHTML; byline,
 *          distributor, dateline, copyrite, doc.copyright@holder
 *          (copyrightholder), doc-id@id-string to the id; body.head's
 *          hedline/hl2 (subheadline) and abstract (summary, as Atom's)
 *   G2     newsItem and packageItem, @guid to the id; contentMeta headline
 *          (the main one; the others are subheadline),
 *          by, creditline, dateline, slugline, description, infoSource;
 *          itemMeta provider; rightsInfo copyrightHolder, copyrightNotice,
 *          usageTerms; inlineXML as XHTML (NITF inside also gives its
 *          metadata), inlineData as text or HTML; a package's item
 *          references' titles to its body
 * Each item's page is its own markup (the feed is not one article), and
 * its raw is the embedded HTML's article region, else the item's markup.
 */
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/entities.h"
#include "input/feed.h"
#include "input/feed_xmlscan.h"
#include "input/loadutil.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/xmllib.h"

#define NS_ATOM "http://www.w3.org/2005/Atom"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_DCTERMS "http://purl.org/dc/terms/"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_MEDIA "http://search.yahoo.com/mrss/"
#define NS_RSS1 "http://purl.org/rss/1.0/"
#define NS_RSS090 "http://my.netscape.com/rdf/simple/0.9/"
#define NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_G2 "http://iptc.org/std/nar/2006-10-01/"
#define NS_XHTML "http://www.w3.org/1999/xhtml"
/* How deep meta_descendants looks: media:credit sits two or three levels
 * below an item; a hostile nesting is not followed to the bottom. */
#define FEED_META_DEPTH 16

/* No network, no DTD, no entity substitution (safety, see above); the
 * source is UTF-8 already (converted on load), and IGNORE_ENC keeps the
 * prolog's encoding="ISO-8859-1" from converting it a second time. */
#define XML_OPTIONS                                                                                \
    (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_IGNORE_ENC |            \
     XML_PARSE_COMPACT)

/* libxml2's reader (2.9) takes time quadratic in the length of a CDATA
 * section: an item whose body is one 8 MB CDATA section took 6 s, against
 * 0.03 s parsed whole. A feed with a section longer than this is read item
 * by item instead (salvage), each item parsed whole. */
#define CDATA_READER_MAX ((size_t)256 << 10)
/* How far past an element's start long_cdata_ahead looks: well past the
 * chunks the reader has parsed ahead. */
#define CDATA_LOOKAHEAD ((size_t)64 << 10)

/* A pass over the feed's prefix releases the pages behind it this often. */
#define PASS_STEP ((size_t)1 << 20)

/* A namespace argument that matches any namespace (NITF has none or its
 * own; matching by local name is what its readers do). */
#define NS_ANY ((const char *)1)

typedef enum feed_kind { K_NONE, K_RSS, K_ATOM, K_NITF, K_G2 } feed_kind;

/* Where an element of the current item is in the source. */
typedef struct xpos {
    size_t start;  /* its '<' */
    size_t cstart; /* just past its start tag */
    size_t cend;   /* its end tag's '<' (== cstart when empty) */
    size_t end;    /* just past its end tag */
    unsigned char have_end, ok;
} xpos;

typedef struct xml_ctx {
    const sl_source *src;
    const char *s; /* src->data */
    size_t len;
    feed_kind kind;
    sl_doc_sink sink;
    void *user;
    size_t cursor; /* just past the last start tag matched */
    xpos *pos;     /* owned; the current item's elements */
    size_t npos, pos_cap;
    size_t item_start; /* fallback offset for what cannot be aligned */
    size_t nitems;
    sl_field tmp; /* scratch for one value */
    /* Feed-level credit an Atom entry or RSS item inherits. */
    sl_field feed_author, feed_rights;
    char err[400]; /* first parse error the loader stops at */
    int err_line, err_col;
    int benign;        /* the reader stopped at a reference benign_error() reads past */
    int cut;           /* the reader met the end of the feed with elements still open */
    size_t cdata_seen; /* CDATA sections checked up to here (long_cdata_ahead) */
} xml_ctx;

/* Content end of an element whose content starts at x->cstart. */
static void content_end(xml_ctx *c, xpos *x)
{
    if (!x->have_end)
        sl_xml_content_end(c->s, c->len, x->cstart, &x->cend, &x->end);
    x->have_end = 1;
}

/* ------------------------------------------------------------------ nodes */

static int ns_is(xmlNodePtr n, const char *ns)
{
    if (ns == NS_ANY)
        return 1;
    const char *href = n->ns && n->ns->href ? (const char *)n->ns->href : NULL;
    if (!ns)
        return href == NULL;
    return href && strcmp(href, ns) == 0;
}

static int is_el(xmlNodePtr n, const char *ns, const char *local)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, local) == 0 &&
           ns_is(n, ns);
}

/* RSS elements have no namespace in 2.0 and RSS 1.0's or 0.90's in RDF. */
static int is_rss(xmlNodePtr n, const char *local)
{
    return is_el(n, NULL, local) || is_el(n, NS_RSS1, local) || is_el(n, NS_RSS090, local);
}

static xmlNodePtr child(xmlNodePtr n, const char *ns, const char *local)
{
    for (xmlNodePtr k = n ? n->children : NULL; k; k = k->next)
        if (is_el(k, ns, local))
            return k;
    return NULL;
}

/* First descendant in document order. */
static xmlNodePtr descendant(xmlNodePtr n, const char *ns, const char *local)
{
    for (xmlNodePtr k = n ? n->children : NULL; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE)
            continue;
        if (is_el(k, ns, local))
            return k;
        xmlNodePtr d = descendant(k, ns, local);
        if (d)
            return d;
    }
    return NULL;
}

static int has_element_children(xmlNodePtr n)
{
    for (xmlNodePtr k = n->children; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE)
            return 1;
    return 0;
}

/* 1 when the tag name at s[name, name+nlen) is n's qualified name. */
static int qname_at(const char *s, size_t name, size_t nlen, xmlNodePtr n)
{
    const char *local = (const char *)n->name;
    size_t ll = strlen(local);
    const char *prefix = n->ns && n->ns->prefix ? (const char *)n->ns->prefix : NULL;
    if (!prefix)
        return nlen == ll && memcmp(s + name, local, ll) == 0;
    size_t pl = strlen(prefix);
    return nlen == pl + 1 + ll && memcmp(s + name, prefix, pl) == 0 && s[name + pl] == ':' &&
           memcmp(s + name + pl + 1, local, ll) == 0;
}

/* Moves the cursor to n's start tag: the next start tag, which must carry
 * n's name (else the cursor stays and 0 is returned). */
static int match_start(xml_ctx *c, xmlNodePtr n, sl_xtag *t)
{
    size_t p = c->cursor;
    while (sl_xml_next_tag(c->s, c->len, p, t) != SL_XT_NONE) {
        if (t->kind == SL_XT_END) {
            p = t->end;
            continue;
        }
        if (!qname_at(c->s, t->name, t->nlen, n))
            return 0;
        c->cursor = t->end;
        return 1;
    }
    return 0;
}

static sl_status add_pos(xml_ctx *c, xmlNodePtr n, const sl_xtag *t)
{
    if (c->npos == c->pos_cap) {
        size_t cap = c->pos_cap ? 2 * c->pos_cap : 64;
        xpos *p = realloc(c->pos, cap * sizeof *p);
        if (!p)
            return SL_ENOMEM;
        c->pos = p;
        c->pos_cap = cap;
    }
    xpos *x = &c->pos[c->npos++];
    memset(x, 0, sizeof *x);
    if (t) {
        x->ok = 1;
        x->start = t->start;
        x->cstart = t->end;
        if (t->kind == SL_XT_EMPTY) {
            x->cend = x->end = t->end;
            x->have_end = 1;
        }
    }
    n->_private = (void *)(uintptr_t)c->npos;
    return SL_OK;
}

/* Matches the item's descendants with their start tags, in pre-order. */
static sl_status locate_children(xml_ctx *c, xmlNodePtr n)
{
    for (xmlNodePtr k = n->children; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE)
            continue;
        sl_xtag t;
        sl_status st = add_pos(c, k, match_start(c, k, &t) ? &t : NULL);
        if (st == SL_OK)
            st = locate_children(c, k);
        if (st != SL_OK)
            return st;
    }
    return SL_OK;
}

static void forget_positions(xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        n->_private = NULL;
        forget_positions(n->children);
    }
}

static xpos *pos_of(xml_ctx *c, xmlNodePtr n)
{
    uintptr_t k = (uintptr_t)n->_private;
    if (!k || k > c->npos || !c->pos[k - 1].ok)
        return NULL;
    xpos *x = &c->pos[k - 1];
    content_end(c, x);
    return x;
}

/* libxml2's text of n, every byte mapped to `at`: for what cannot be
 * aligned with the source. */
static sl_status fallback_text(xmlNodePtr n, size_t at, sl_field *f)
{
    xmlChar *t = xmlNodeGetContent(n);
    if (!t)
        return SL_OK;
    sl_status st = sl_field_append_at(f, (const char *)t, strlen((const char *)t), at);
    xmlFree(t);
    return st;
}

/* The decoded text of element n (its descendants' text included). */
static sl_status text_of(xml_ctx *c, xmlNodePtr n, sl_field *f)
{
    xpos *x = pos_of(c, n);
    if (!x)
        return fallback_text(n, c->item_start, f);
    return sl_xml_decode_text(c->s, x->cstart, x->cend, f);
}

/* The decoded value of attribute `local` (in namespace ns, or any when
 * ns is NULL) of element n. */
static sl_status attr_of(xml_ctx *c, xmlNodePtr n, const char *ns, const char *local, sl_field *f)
{
    xmlAttrPtr a = ns ? xmlHasNsProp(n, (const xmlChar *)local, (const xmlChar *)ns)
                      : xmlHasProp(n, (const xmlChar *)local);
    if (!a)
        return SL_OK;
    xpos *x = pos_of(c, n);
    if (x) {
        const char *prefix = a->ns && a->ns->prefix ? (const char *)a->ns->prefix : NULL;
        size_t p = x->start + 1;
        while (p < x->cstart && !isspace((unsigned char)c->s[p]) && c->s[p] != '>' &&
               c->s[p] != '/')
            p++;
        sl_tag_attr at;
        while (sl_input_next_attr(c->s, x->cstart, &p, &at)) {
            const char *nm = c->s + at.name;
            size_t ll = strlen(local), pl = prefix ? strlen(prefix) : 0;
            int same = prefix ? at.name_len == pl + 1 + ll && memcmp(nm, prefix, pl) == 0 &&
                                    nm[pl] == ':' && memcmp(nm + pl + 1, local, ll) == 0
                              : at.name_len == ll && memcmp(nm, local, ll) == 0;
            if (same && at.has_value)
                return sl_xml_decode_text(c->s, at.value, at.value + at.value_len, f);
        }
    }
    xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
    if (!v)
        return SL_OK;
    sl_status st = sl_field_append_at(f, (const char *)v, strlen((const char *)v),
                                      x ? x->start : c->item_start);
    xmlFree(v);
    return st;
}

/* ---------------------------------------------------------- item building */

static sl_status meta_text(xml_ctx *c, sl_document *d, const char *name, xmlNodePtr n)
{
    if (!n)
        return SL_OK;
    sl_field_reset(&c->tmp);
    /* Its parts may be elements (NITF's byline and byttl, a dateline's
     * location and date): words apart, not run together. */
    xpos *x = pos_of(c, n);
    sl_status st = x ? sl_xml_decode_words(c->s, x->cstart, x->cend, &c->tmp)
                     : fallback_text(n, c->item_start, &c->tmp);
    return st == SL_OK ? sl_feed_add_meta(d, name, &c->tmp) : st;
}

/* Adds meta `name` for every element ns:local below n, in document order. */
static sl_status meta_descendants(xml_ctx *c, sl_document *d, const char *name, xmlNodePtr n,
                                  const char *ns, const char *local, unsigned depth)
{
    sl_status st = SL_OK;
    if (depth > FEED_META_DEPTH)
        return SL_OK;
    for (xmlNodePtr k = n->children; st == SL_OK && k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE)
            continue;
        if (is_el(k, ns, local))
            st = meta_text(c, d, name, k);
        else
            st = meta_descendants(c, d, name, k, ns, local, depth + 1);
    }
    return st;
}

/* Media RSS in an item or entry, in any media:content or media:group: each
 * credit, and each caption a reader sees under a photo or video
 * (media:title, media:description) as metadata, where a placeholder in it
 * is found. */
static sl_status media_meta(xml_ctx *c, sl_document *d, xmlNodePtr it)
{
    sl_status st = meta_descendants(c, d, "credit", it, NS_MEDIA, "credit", 0);
    if (st == SL_OK)
        st = meta_descendants(c, d, "media:title", it, NS_MEDIA, "title", 0);
    if (st == SL_OK)
        st = meta_descendants(c, d, "media:description", it, NS_MEDIA, "description", 0);
    return st;
}

static sl_status meta_attr(xml_ctx *c, sl_document *d, const char *name, xmlNodePtr n,
                           const char *attr)
{
    if (!n)
        return SL_OK;
    sl_field_reset(&c->tmp);
    sl_status st = attr_of(c, n, NULL, attr, &c->tmp);
    return st == SL_OK ? sl_feed_add_meta(d, name, &c->tmp) : st;
}

static sl_status title_text(xml_ctx *c, sl_document *d, xmlNodePtr n)
{
    if (!n || d->title.len)
        return SL_OK;
    sl_field_reset(&c->tmp);
    sl_status st = text_of(c, n, &c->tmp);
    return st == SL_OK ? sl_feed_copy_trimmed(&d->title, &c->tmp) : st;
}

/* Escaped or CDATA-wrapped HTML: decoded, then read as HTML. */
static sl_status body_html(xml_ctx *c, sl_document *d, xmlNodePtr n)
{
    sl_field_reset(&c->tmp);
    sl_status st = text_of(c, n, &c->tmp);
    return st == SL_OK ? sl_feed_add_html(d, &c->tmp, &d->title) : st;
}

/* Markup written inline (Atom xhtml, NITF body.content, G2 inlineXML):
 * the source bytes are the HTML, each mapped to itself. */
static sl_status body_xhtml(xml_ctx *c, sl_document *d, xmlNodePtr n)
{
    xpos *x = pos_of(c, n);
    sl_field_reset(&c->tmp);
    sl_status st =
        x ? sl_field_append_span(&c->tmp, c->s + x->cstart, x->cend - x->cstart, x->cstart)
          : fallback_text(n, c->item_start, &c->tmp);
    return st == SL_OK ? sl_feed_add_html(d, &c->tmp, &d->title) : st;
}

static sl_status body_text(xml_ctx *c, sl_document *d, xmlNodePtr n)
{
    sl_field_reset(&c->tmp);
    sl_status st = text_of(c, n, &c->tmp);
    if (st != SL_OK || sl_input_is_blank(c->tmp.text ? c->tmp.text : "", c->tmp.len))
        return st;
    st = sl_field_break(&d->body, sl_field_offset(&c->tmp, 0));
    return st == SL_OK ? sl_input_copy_field(&d->body, &c->tmp, 0, c->tmp.len) : st;
}

/* The item's guid or id as the document id. */
static sl_status set_id(xml_ctx *c, sl_document *d, xmlNodePtr key_el, const char *key_attr)
{
    sl_field_reset(&c->tmp);
    sl_status st = SL_OK;
    if (key_el && key_attr)
        st = attr_of(c, key_el, NULL, key_attr, &c->tmp);
    else if (key_el)
        st = text_of(c, key_el, &c->tmp);
    if (st != SL_OK)
        return st;
    return sl_feed_set_id(d, c->src->path, c->tmp.text, c->tmp.len, "item", c->nitems);
}

/* A name-bearing element of Atom (author/name) or NewsML-G2 (a party:
 * @literal, else <name>, else the @qcode's code). */
static sl_status meta_party(xml_ctx *c, sl_document *d, const char *name, xmlNodePtr n)
{
    if (!n)
        return SL_OK;
    sl_field_reset(&c->tmp);
    sl_status st = attr_of(c, n, NULL, "literal", &c->tmp);
    xmlNodePtr nm = child(n, NS_ANY, "name");
    if (st == SL_OK && !c->tmp.len && nm)
        st = text_of(c, nm, &c->tmp);
    if (st == SL_OK && !c->tmp.len && !has_element_children(n))
        st = text_of(c, n, &c->tmp);
    if (st == SL_OK && !c->tmp.len) {
        st = attr_of(c, n, NULL, "qcode", &c->tmp);
        /* "nprov:REUTERS" names REUTERS. */
        const char *colon = c->tmp.text ? memchr(c->tmp.text, ':', c->tmp.len) : NULL;
        if (st == SL_OK && colon) {
            sl_field code = SL_FIELD_INIT;
            size_t k = (size_t)(colon - c->tmp.text) + 1;
            st = sl_input_copy_field(&code, &c->tmp, k, c->tmp.len - k);
            if (st == SL_OK)
                st = sl_feed_add_meta(d, name, &code);
            sl_field_clear(&code);
            return st;
        }
    }
    return st == SL_OK ? sl_feed_add_meta(d, name, &c->tmp) : st;
}

/* Simple children not read otherwise become meta by their local name, so
 * rules can scope to any of them (pubDate, category, comments, ...). */
static sl_status meta_rest(xml_ctx *c, sl_document *d, xmlNodePtr item, const char *const *skip,
                           size_t nskip)
{
    sl_status st = SL_OK;
    for (xmlNodePtr k = item->children; st == SL_OK && k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE || has_element_children(k))
            continue;
        const char *name = (const char *)k->name;
        int skipped = 0;
        for (size_t i = 0; i < nskip && !skipped; i++)
            skipped = strcmp(name, skip[i]) == 0;
        if (!skipped)
            st = meta_text(c, d, name, k);
    }
    return st;
}

static int has_meta(const sl_document *d, const char *name)
{
    for (size_t i = 0; i < d->nmeta; i++)
        if (strcmp(d->meta[i].name, name) == 0)
            return 1;
    return 0;
}

static int link_is_alternate(xmlNodePtr n)
{
    xmlChar *rel = xmlGetProp(n, (const xmlChar *)"rel");
    int alt = !rel || strcmp((const char *)rel, "alternate") == 0;
    xmlFree(rel);
    return alt;
}

static sl_status inherit(xml_ctx *c, sl_document *d, const char *name, const sl_field *from)
{
    (void)c;
    return has_meta(d, name) ? SL_OK : sl_feed_add_meta(d, name, from);
}

/* --------------------------------------------------------------- formats */

static sl_status rss_item(xml_ctx *c, xmlNodePtr it, sl_document *d)
{
    static const char *const done[] = {"title",  "description", "encoded",   "guid",
                                       "author", "creator",     "rights",    "source",
                                       "link",   "credit",      "publisher", "contributor"};
    xmlNodePtr guid = child(it, NS_ANY, "guid");
    sl_status st =
        guid ? set_id(c, d, guid, NULL)
             : set_id(c, d,
                      xmlHasNsProp(it, (const xmlChar *)"about", (const xmlChar *)NS_RDF) ? it
                                                                                          : NULL,
                      "about");
    xmlNodePtr title = NULL, desc = NULL, encoded = NULL;
    for (xmlNodePtr k = it->children; k; k = k->next) {
        if (!title && is_rss(k, "title"))
            title = k;
        else if (!desc && is_rss(k, "description"))
            desc = k;
        else if (!encoded && is_el(k, NS_CONTENT, "encoded"))
            encoded = k;
    }
    if (st == SL_OK)
        st = title_text(c, d, title);
    if (st == SL_OK && (encoded || desc))
        st = body_html(c, d, encoded ? encoded : desc);
    if (st == SL_OK && encoded && desc)
        st = meta_text(c, d, "description", desc);
    for (xmlNodePtr k = it->children; st == SL_OK && k; k = k->next) {
        if (is_rss(k, "author"))
            st = meta_text(c, d, "author", k);
        else if (is_el(k, NS_DC, "creator") || is_el(k, NS_DCTERMS, "creator"))
            st = meta_text(c, d, "creator", k);
        else if (is_el(k, NS_DC, "rights") || is_el(k, NS_DCTERMS, "rights"))
            st = meta_text(c, d, "rights", k);
        else if (is_el(k, NS_DC, "publisher") || is_el(k, NS_DCTERMS, "publisher"))
            st = meta_text(c, d, "publisher", k);
        else if (is_el(k, NS_DC, "contributor") || is_el(k, NS_DCTERMS, "contributor"))
            st = meta_text(c, d, "contributor", k);
        else if (is_rss(k, "source") || is_el(k, NS_DC, "source"))
            st = meta_text(c, d, "source", k);
        else if (is_rss(k, "link"))
            st = meta_text(c, d, "url", k);
    }
    if (st == SL_OK)
        st = media_meta(c, d, it);
    if (st == SL_OK)
        st = meta_rest(c, d, it, done, sizeof done / sizeof done[0]);
    if (st == SL_OK && c->feed_rights.len)
        st = inherit(c, d, "rights", &c->feed_rights);
    return st;
}

/* An Atom text construct (title, summary, content, rights) by its type. */
static sl_status atom_text(xml_ctx *c, sl_document *d, xmlNodePtr n)
{
    xmlChar *type = xmlGetProp(n, (const xmlChar *)"type");
    sl_status st = SL_OK;
    const char *t = type ? (const char *)type : "text";
    if (xmlHasProp(n, (const xmlChar *)"src"))
        st = SL_OK; /* out-of-line content: nothing in the feed to check */
    else if (strcmp(t, "xhtml") == 0)
        st = body_xhtml(c, d, n);
    else if (strcmp(t, "html") == 0 || strcmp(t, "text/html") == 0)
        st = body_html(c, d, n);
    else if (strcmp(t, "text") == 0 || strncmp(t, "text/", 5) == 0 || strstr(t, "xml"))
        st = body_text(c, d, n);
    xmlFree(type);
    return st;
}

/* Nonzero when Atom text construct n holds markup (type="html", "xhtml"). */
static int atom_markup(xmlNodePtr n)
{
    xmlChar *type = xmlGetProp(n, (const xmlChar *)"type");
    int markup = type && (strcmp((const char *)type, "html") == 0 ||
                          strcmp((const char *)type, "xhtml") == 0);
    xmlFree(type);
    return markup;
}

/* The visible text of Atom text construct n, whatever its type, trimmed
 * into `to` (reset first). */
static sl_status atom_plain(xml_ctx *c, xmlNodePtr n, sl_field *to)
{
    sl_field_reset(to);
    if (!atom_markup(n)) {
        sl_field_reset(&c->tmp);
        sl_status st = text_of(c, n, &c->tmp);
        return st == SL_OK ? sl_feed_copy_trimmed(to, &c->tmp) : st;
    }
    sl_document tmp;
    memset(&tmp, 0, sizeof tmp);
    sl_status st = atom_text(c, &tmp, n);
    if (st == SL_OK)
        st = sl_feed_copy_trimmed(to, &tmp.body);
    sl_document_clear(&tmp);
    return st;
}

/* Meta `name` from Atom text construct n: "&lt;b&gt;&amp;copy; 2024
 * AFP&lt;/b&gt;" in a type="html" rights is "© 2024 AFP". */
static sl_status atom_meta(xml_ctx *c, sl_document *d, const char *name, xmlNodePtr n)
{
    if (!n)
        return SL_OK;
    sl_field f = SL_FIELD_INIT;
    sl_status st = atom_plain(c, n, &f);
    if (st == SL_OK && f.len)
        st = sl_feed_add_meta(d, name, &f);
    sl_field_clear(&f);
    return st;
}

static sl_status atom_title(xml_ctx *c, sl_document *d, xmlNodePtr n)
{
    if (!n)
        return SL_OK;
    /* Markup in a title: its visible text is the title. */
    return atom_markup(n) ? atom_plain(c, n, &d->title) : title_text(c, d, n);
}

static sl_status atom_entry(xml_ctx *c, xmlNodePtr e, sl_document *d)
{
    sl_status st = set_id(c, d, child(e, NS_ATOM, "id"), NULL);
    if (st == SL_OK)
        st = atom_title(c, d, child(e, NS_ATOM, "title"));
    xmlNodePtr content = child(e, NS_ATOM, "content"), summary = child(e, NS_ATOM, "summary");
    if (st == SL_OK && (content || summary))
        st = atom_text(c, d, content ? content : summary);
    if (st == SL_OK && content && summary)
        st = atom_meta(c, d, "summary", summary);
    for (xmlNodePtr k = e->children; st == SL_OK && k; k = k->next) {
        if (is_el(k, NS_ATOM, "author"))
            st = meta_party(c, d, "author", k);
        else if (is_el(k, NS_ATOM, "contributor"))
            st = meta_party(c, d, "contributor", k);
        else if (is_el(k, NS_ATOM, "rights"))
            st = atom_meta(c, d, "rights", k);
        else if (is_el(k, NS_ATOM, "source"))
            st = meta_text(c, d, "source", child(k, NS_ATOM, "title"));
        else if (is_el(k, NS_ATOM, "published") || is_el(k, NS_ATOM, "updated"))
            st = meta_text(c, d, (const char *)k->name, k);
        else if (is_el(k, NS_ATOM, "link") && link_is_alternate(k) && !has_meta(d, "url"))
            st = meta_attr(c, d, "url", k, "href");
        else if (is_el(k, NS_DC, "creator"))
            st = meta_text(c, d, "creator", k);
    }
    if (st == SL_OK)
        st = media_meta(c, d, e);
    /* RFC 4287 4.2.1: an entry without an author has its atom:source's
     * (the feed it was copied from, often the agency's), else the feed's;
     * the source's rights are the original's copyright line. */
    xmlNodePtr src = child(e, NS_ATOM, "source");
    if (st == SL_OK && src && !has_meta(d, "author"))
        for (xmlNodePtr k = src->children; st == SL_OK && k; k = k->next)
            if (is_el(k, NS_ATOM, "author"))
                st = meta_party(c, d, "author", k);
    if (st == SL_OK && src && !has_meta(d, "rights"))
        st = atom_meta(c, d, "rights", child(src, NS_ATOM, "rights"));
    if (st == SL_OK && c->feed_author.len)
        st = inherit(c, d, "author", &c->feed_author);
    if (st == SL_OK && c->feed_rights.len)
        st = inherit(c, d, "rights", &c->feed_rights);
    return st;
}

/* Meta `name` from an element of inline markup (NITF's abstract, in
 * paragraphs): its visible text read as HTML is, so that paragraphs break
 * where they end rather than run together or take a credit's comma. */
static sl_status xhtml_meta(xml_ctx *c, sl_document *d, const char *name, xmlNodePtr n)
{
    sl_document tmp;
    memset(&tmp, 0, sizeof tmp);
    sl_field f = SL_FIELD_INIT;
    sl_status st = body_xhtml(c, &tmp, n);
    if (st == SL_OK)
        st = sl_feed_copy_trimmed(&f, &tmp.body);
    if (st == SL_OK && f.len)
        st = sl_feed_add_meta(d, name, &f);
    sl_field_clear(&f);
    sl_document_clear(&tmp);
    return st;
}

static sl_status nitf_meta(xml_ctx *c, xmlNodePtr root, sl_document *d)
{
    static const char *const names[] = {"byline", "distributor", "dateline", "copyrite"};
    sl_status st = SL_OK;
    for (size_t i = 0; st == SL_OK && i < sizeof names / sizeof names[0]; i++)
        st = meta_text(c, d, names[i], descendant(root, NS_ANY, names[i]));
    xmlNodePtr cr = descendant(root, NS_ANY, "doc.copyright");
    if (st == SL_OK && cr)
        st = meta_attr(c, d, "copyrightholder", cr, "holder");
    /* The teaser and the sub-headlines a reader sees above the story: a
     * paywall meter or a placeholder leaks there as in the text. Only
     * body.head's: an hl2 in body.content is a subhead of the text, read
     * with the body already. The abstract is named as an Atom summary is,
     * so the rules that read a feed item's teaser read it. */
    xmlNodePtr head = child(child(root, NS_ANY, "body"), NS_ANY, "body.head");
    for (xmlNodePtr k = head ? head->children : NULL; st == SL_OK && k; k = k->next) {
        if (is_el(k, NS_ANY, "hedline"))
            st = meta_descendants(c, d, "subheadline", k, NS_ANY, "hl2", 0);
        else if (is_el(k, NS_ANY, "abstract"))
            st = xhtml_meta(c, d, "summary", k);
    }
    return st;
}

static sl_status nitf_doc(xml_ctx *c, xmlNodePtr root, sl_document *d)
{
    /* A NITF file is one story: without a doc-id, its id is the path. */
    xmlNodePtr docid = descendant(root, NS_ANY, "doc-id");
    sl_status st = SL_OK;
    if (docid && xmlHasProp(docid, (const xmlChar *)"id-string")) {
        st = set_id(c, d, docid, "id-string");
    } else {
        d->id = sl_strdup(c->src->path);
        st = d->id ? SL_OK : SL_ENOMEM;
    }
    xmlNodePtr hl = descendant(root, NS_ANY, "hl1");
    if (st == SL_OK)
        st = title_text(c, d, hl ? hl : descendant(child(root, NS_ANY, "head"), NS_ANY, "title"));
    xmlNodePtr body = child(root, NS_ANY, "body");
    xmlNodePtr content = child(body, NS_ANY, "body.content");
    if (st == SL_OK && content)
        st = body_xhtml(c, d, content);
    xmlNodePtr tail = child(body, NS_ANY, "body.end");
    if (st == SL_OK && tail)
        st = body_xhtml(c, d, tail);
    if (st == SL_OK)
        st = nitf_meta(c, root, d);
    return st;
}

/* Nonzero for a G2 headline whose role says it is the main one
 * ("hld:main"), or that has no role. */
static int g2_main_headline(xmlNodePtr n)
{
    xmlChar *role = xmlGetProp(n, (const xmlChar *)"role");
    const char *r = role ? (const char *)role : NULL, *colon = r ? strchr(r, ':') : NULL;
    int main_hl = !r || strcmp(colon ? colon + 1 : r, "main") == 0;
    xmlFree(role);
    return main_hl;
}

static sl_status g2_item(xml_ctx *c, xmlNodePtr it, sl_document *d)
{
    sl_status st = set_id(c, d, xmlHasProp(it, (const xmlChar *)"guid") ? it : NULL, "guid");
    xmlNodePtr cm = child(it, NS_ANY, "contentMeta"), im = child(it, NS_ANY, "itemMeta");
    xmlNodePtr ri = child(it, NS_ANY, "rightsInfo");
    /* The main headline is the title, the others (role="hld:subHeadline"
     * and the like) metadata where a placeholder is found as in the title. */
    xmlNodePtr main_hl = NULL, first_hl = NULL;
    for (xmlNodePtr k = cm ? cm->children : NULL; k && !main_hl; k = k->next) {
        if (!is_el(k, NS_ANY, "headline"))
            continue;
        first_hl = first_hl ? first_hl : k;
        main_hl = g2_main_headline(k) ? k : NULL;
    }
    main_hl = main_hl ? main_hl : first_hl;
    if (st == SL_OK)
        st = title_text(c, d, main_hl);
    xmlNodePtr cs = child(it, NS_ANY, "contentSet");
    for (xmlNodePtr k = cs ? cs->children : NULL; st == SL_OK && k; k = k->next) {
        if (is_el(k, NS_ANY, "inlineXML")) {
            st = body_xhtml(c, d, k);
            xmlNodePtr nitf = descendant(k, NS_ANY, "nitf");
            if (st == SL_OK && nitf)
                st = nitf_meta(c, nitf, d);
            break;
        }
        if (is_el(k, NS_ANY, "inlineData")) {
            xmlChar *ct = xmlGetProp(k, (const xmlChar *)"contenttype");
            int html = ct && strstr((const char *)ct, "html");
            xmlFree(ct);
            st = html ? body_html(c, d, k) : body_text(c, d, k);
            break;
        }
    }
    /* A package: its references' titles and descriptions are its text. */
    xmlNodePtr gs = child(it, NS_ANY, "groupSet");
    for (xmlNodePtr g = gs ? gs->children : NULL; st == SL_OK && g; g = g->next)
        for (xmlNodePtr r = g->children; st == SL_OK && r; r = r->next)
            if (is_el(r, NS_ANY, "itemRef")) {
                xmlNodePtr t = child(r, NS_ANY, "title");
                st = t ? body_text(c, d, t) : SL_OK;
                if (st == SL_OK && (t = child(r, NS_ANY, "description")))
                    st = body_text(c, d, t);
            }
    if (st == SL_OK)
        st = meta_party(c, d, "provider", child(im, NS_ANY, "provider"));
    for (xmlNodePtr k = cm ? cm->children : NULL; st == SL_OK && k; k = k->next) {
        if (is_el(k, NS_ANY, "by"))
            st = meta_text(c, d, "by", k);
        else if (is_el(k, NS_ANY, "creditline"))
            st = meta_text(c, d, "creditline", k);
        else if (is_el(k, NS_ANY, "dateline"))
            st = meta_text(c, d, "dateline", k);
        else if (is_el(k, NS_ANY, "slugline"))
            st = meta_text(c, d, "slugline", k);
        else if (is_el(k, NS_ANY, "description"))
            st = meta_text(c, d, "description", k);
        else if (is_el(k, NS_ANY, "headline") && k != main_hl)
            st = meta_text(c, d, "subheadline", k);
        else if (is_el(k, NS_ANY, "infoSource"))
            st = meta_party(c, d, "infosource", k);
        else if (is_el(k, NS_ANY, "creator"))
            st = meta_party(c, d, "creator", k);
        else if (is_el(k, NS_ANY, "contributor"))
            st = meta_party(c, d, "contributor", k);
    }
    for (xmlNodePtr k = ri ? ri->children : NULL; st == SL_OK && k; k = k->next) {
        if (is_el(k, NS_ANY, "copyrightHolder"))
            st = meta_party(c, d, "copyrightholder", k);
        else if (is_el(k, NS_ANY, "copyrightNotice"))
            st = meta_text(c, d, "copyrightnotice", k);
        else if (is_el(k, NS_ANY, "usageTerms"))
            st = meta_text(c, d, "usageterms", k);
    }
    return st;
}

/* ------------------------------------------------------------ the reader */

static int is_item(const xml_ctx *c, xmlNodePtr n, int depth)
{
    switch (c->kind) {
    case K_RSS:
        return is_rss(n, "item");
    case K_ATOM:
        return is_el(n, NS_ATOM, "entry");
    case K_NITF:
        return depth == 0;
    case K_G2:
        return is_el(n, NS_ANY, "newsItem") || is_el(n, NS_ANY, "packageItem");
    default:
        return 0;
    }
}

static feed_kind kind_of_root(xmlNodePtr n)
{
    if (is_el(n, NULL, "rss") || is_el(n, NS_RDF, "RDF"))
        return K_RSS;
    if (is_el(n, NS_ATOM, "feed") || is_el(n, NS_ATOM, "entry"))
        return K_ATOM;
    if (is_el(n, NS_ANY, "nitf"))
        return K_NITF;
    if (is_el(n, NS_ANY, "newsMessage") || is_el(n, NS_ANY, "newsItem") ||
        is_el(n, NS_ANY, "packageItem"))
        return K_G2;
    return K_NONE;
}

/* The feed-level credit field element n fills, or NULL. `parented`: n is
 * in the feed's tree, and its parent must be the channel or feed; an
 * element parsed on its own (salvage) stands outside any item already. */
static sl_field *feed_target(xml_ctx *c, xmlNodePtr n, int parented)
{
    xmlNodePtr up = parented ? n->parent : NULL;
    if (parented && !up)
        return NULL;
    if (c->kind == K_ATOM && is_el(n, NS_ATOM, "author") && (!up || is_el(up, NS_ATOM, "feed")))
        return &c->feed_author;
    if (c->kind == K_ATOM && is_el(n, NS_ATOM, "rights") && (!up || is_el(up, NS_ATOM, "feed")))
        return &c->feed_rights;
    if (c->kind == K_RSS && (is_rss(n, "copyright") || is_el(n, NS_DC, "rights")) &&
        (!up || is_rss(up, "channel")))
        return &c->feed_rights;
    return NULL;
}

/* Reads feed-level credit element n (its start tag t) into `to`. */
static sl_status feed_credit(xml_ctx *c, xmlNodePtr n, const sl_xtag *t, sl_field *to)
{
    xmlNodePtr key = n;
    c->npos = 0;
    c->item_start = t->start;
    sl_status st = add_pos(c, n, t);
    if (st == SL_OK)
        st = locate_children(c, n);
    if (st == SL_OK && to == &c->feed_author)
        key = child(n, NS_ATOM, "name");
    if (st == SL_OK && key && c->kind == K_ATOM && to == &c->feed_rights) {
        st = atom_plain(c, key, to);
    } else if (st == SL_OK && key) {
        sl_field_reset(&c->tmp);
        st = text_of(c, key, &c->tmp);
        if (st == SL_OK)
            st = sl_feed_copy_trimmed(to, &c->tmp);
    }
    forget_positions(n);
    return st;
}

/* Feed-level credit an item inherits (read as the reader passes it). */
static sl_status feed_level(xml_ctx *c, xmlTextReaderPtr r, xmlNodePtr n, const sl_xtag *t,
                            int *consumed)
{
    sl_field *to = feed_target(c, n, 1);
    if (!to || to->len || !t || !xmlTextReaderExpand(r))
        return SL_OK;
    *consumed = 1;
    return feed_credit(c, n, t, to);
}

/* Builds item `it` (its start tag `t`, NULL when it could not be found)
 * and sends it. */
static sl_status emit_item(xml_ctx *c, xmlNodePtr it, const sl_xtag *t)
{
    sl_document d;
    memset(&d, 0, sizeof d);
    c->npos = 0;
    c->nitems++;
    c->item_start = t ? t->start : c->cursor;
    /* Positions are asked from here on, and what is behind is done with. */
    sl_source_advance(c->src, c->item_start);
    sl_status st = add_pos(c, it, t);
    if (st == SL_OK)
        st = locate_children(c, it);
    xpos *x = st == SL_OK ? pos_of(c, it) : NULL;
    if (x)
        st = sl_input_append_lines(&d.page, c->s, x->start, x->end);
    if (st == SL_OK) {
        switch (c->kind) {
        case K_RSS:
            st = rss_item(c, it, &d);
            break;
        case K_ATOM:
            st = atom_entry(c, it, &d);
            break;
        case K_NITF:
            st = nitf_doc(c, it, &d);
            break;
        default:
            st = g2_item(c, it, &d);
            break;
        }
    }
    if (st == SL_OK && !d.raw.len)
        d.raw_is_page = 1;
    if (st == SL_OK)
        st = c->sink(c->user, c->src, &d);
    if (x)
        c->cursor = x->end > c->cursor ? x->end : c->cursor;
    forget_positions(it);
    sl_document_clear(&d);
    return st;
}

/* Nonzero for the errors of a reference that every feed reader reads
 * past, and that the text decoder reads as HTML does (sl_xml_decode_text):
 * an HTML named entity the feed never declared ("&nbsp;", "&rsquo;"), and
 * an ampersand that starts no reference ("AT&T", "?a=1&b=2", "Q & A"); and
 * a control character XML forbids in text, pasted from a word processor.
 * Feeds published from HTML templates carry them often; refusing the feed
 * for one would leave all its items unscanned. */
static int benign_error(const xmlError *e)
{
    switch (e->code) {
    case XML_ERR_UNDECLARED_ENTITY:
        return e->str1 && sl_html_entity(e->str1, strlen(e->str1)) != NULL;
    case XML_ERR_ENTITYREF_SEMICOL_MISSING:
        return 1;
    case XML_ERR_NAME_REQUIRED:
        /* The same code is a tag without a name ("a < b"): only the
         * reference's message is benign. */
        return e->message && strstr(e->message, "EntityRef") != NULL;
    case XML_ERR_INVALID_CHAR:
        /* A C0 control in text ("PCDATA invalid Char value 11"), which
         * recovery drops; not a character reference to one (&#1;), which
         * XML_ERR_INVALID_CHARREF reports. */
        return 1;
    default:
        return 0;
    }
}

/* Keeps the first error that stops the loader, with its place. */
static void keep_error(xml_ctx *c, const xmlError *e, int line, int col)
{
    snprintf(c->err, sizeof c->err, "%s", e->message ? e->message : "malformed XML");
    size_t n = strlen(c->err);
    while (n && (c->err[n - 1] == '\n' || c->err[n - 1] == ' '))
        c->err[--n] = '\0';
    c->err_line = line;
    c->err_col = col;
}

/* The reader's errors. The reader stops at every error (even with
 * XML_PARSE_RECOVER); after a benign one the loader reads on item by item
 * (salvage). */
static void on_error(void *arg, xmlErrorPtr e)
{
    xml_ctx *c = arg;
    if (!e || c->err[0])
        return;
    /* The reader's cap on one text node (10 MB of an item's body) is not
     * the feed's fault, and libxml2 reports it as a plain error before it
     * stops: the rest is read item by item, each without the cap. */
    if (e->code == XML_ERR_NO_MEMORY && e->message && strstr(e->message, "huge text node")) {
        c->benign = 1;
        return;
    }
    if (e->level < XML_ERR_FATAL)
        return;
    if (benign_error(e)) {
        c->benign = 1;
        return;
    }
    keep_error(c, e, e->line, e->int2);
    /* libxml2's push parser, under the reader, says "Extra content at the
     * end of the document" both for bytes after the root element closed
     * and for a feed that ends inside it; only its element stack tells
     * them apart (the pull parser says "Premature end of data" for the
     * second). */
    xmlParserCtxtPtr pc = e->domain == XML_FROM_PARSER ? e->ctxt : NULL;
    c->cut = e->code == XML_ERR_DOCUMENT_END && pc && pc->nameNr > 0;
}

/* The wrapper an element is parsed in on its own (salvage), its
 * attributes (namespace declarations) between the two. */
#define WRAP_START "<w"
#define WRAP_END "</w>"

/* One element parsed on its own, inside a wrapper: buf[prefix] is the
 * feed's byte `at`, buf[body_end] the wrapper's end tag (buf[len] when the
 * element runs to the end of the feed, `open`, and the wrapper is left
 * open too). */
typedef struct lone {
    xml_ctx *c;
    const char *buf;
    size_t len, prefix, at, body_end;
    int open;
    int failed; /* met an error the loader stops at */
} lone;

/* The offset of the 1-based column `col` of the line that starts at `bol`
 * in s[0, len), at most the line's end. libxml2 counts columns in
 * characters (a UTF-8 sequence is one), the loader's offsets are bytes. */
static size_t col_offset(const char *s, size_t len, size_t bol, int col)
{
    size_t p = bol;
    for (int k = 1; k < col && p < len && s[p] != '\n'; k++)
        for (p++; p < len && ((unsigned char)s[p] & 0xC0) == 0x80; p++)
            ;
    return p;
}

/* The 1-based column of s[off] on the line that starts at `bol`. */
static int char_col(const char *s, size_t bol, size_t off)
{
    int col = 1;
    for (size_t p = bol; p < off; p++)
        col += ((unsigned char)s[p] & 0xC0) != 0x80;
    return col;
}

/* The error of a feed that ends inside its elements, in the words of its
 * likely cause (a transfer or a write cut short), placed just past its
 * last byte that is not whitespace: where it was cut. */
static void cut_off(xml_ctx *c)
{
    size_t end = c->len;
    while (end > 0 && isspace((unsigned char)c->s[end - 1]))
        end--;
    unsigned line, col;
    sl_source_position(c->src, end, &line, &col);
    c->err_line = (int)line;
    c->err_col = (int)col;
    snprintf(c->err, sizeof c->err, "the feed ends before its elements close (cut off?)");
}

/* Line ends in s[a, b). */
static int count_nl(const char *s, size_t a, size_t b)
{
    int n = 0;
    for (const char *p = s + a, *end = s + b; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        n++;
    return n;
}

/* Errors of a lone element, placed in the feed: libxml2 gives a line and
 * a column in the wrapper. */
static void on_lone_error(void *arg, xmlErrorPtr e)
{
    xmlParserCtxtPtr pc = arg;
    lone *l = pc ? pc->_private : NULL;
    if (!l || !e || e->level < XML_ERR_FATAL || l->failed || benign_error(e))
        return;
    l->failed = 1;
    xml_ctx *c = l->c;
    if (c->err[0])
        return; /* the reader's error, further on, stays the one reported */
    size_t woff = 0;
    for (int line = 1; line < e->line && woff < l->len; line++) {
        const char *nl = memchr(l->buf + woff, '\n', l->len - woff);
        woff = nl ? (size_t)(nl - l->buf) + 1 : l->len;
    }
    woff = col_offset(l->buf, l->len, woff, e->int2);
    size_t off = woff > l->prefix ? woff - l->prefix : 0;
    off = l->at + off < c->len ? l->at + off : c->len;
    /* An element that runs to the end of the feed, parsed to its end: the
     * error there ("Premature end of data in tag description") is the cut
     * the reader would have met. */
    if (l->open && woff >= l->body_end) {
        cut_off(c);
        return;
    }
    /* One pass from the feed's start: to the element, then to the error. */
    int before = count_nl(c->s, 0, l->at), line = 1 + before + count_nl(c->s, l->at, off);
    size_t bol = off;
    while (bol > 0 && c->s[bol - 1] != '\n')
        bol--;
    keep_error(c, e, line, char_col(c->s, bol, off));
    /* Messages that name the line of an open tag ("tag mismatch: title
     * line 1 and titel") name the wrapper's line k, the feed's line k plus
     * the lines before the element, less the wrapper's own. */
    char from[32];
    snprintf(from, sizeof from, " line %d ", e->int1);
    char *at = e->int1 > 0 ? strstr(c->err, from) : NULL;
    int shift = before - count_nl(l->buf, 0, l->prefix);
    if (at) {
        char rest[sizeof c->err];
        snprintf(rest, sizeof rest, "%s", at + strlen(from));
        snprintf(at, sizeof c->err - (size_t)(at - c->err), " line %d %s", e->int1 + shift, rest);
    }
    /* The wrapper is the loader's, and its name means nothing to the
     * feed's author: an element still open at its end tag (the lexer and
     * libxml2 disagreeing on where the element ends) is named instead. */
    if (woff >= l->body_end && e->code == XML_ERR_TAG_NAME_MISMATCH && e->str1)
        snprintf(c->err, sizeof c->err, "<%s> (line %d) is not closed", e->str1, e->int1 + shift);
    else if (woff >= l->body_end)
        snprintf(c->err, sizeof c->err, "an element is not closed");
}

/* Parses buf (the element at feed offset `at`, after `prefix` bytes of
 * wrapper, and followed by the wrapper's end tag WRAP_END unless `open`:
 * the element runs to the end of the feed) with the reader's options,
 * recovering from the errors benign_error() reads past. A document that
 * met an error the loader stops at is freed, *failed set and NULL
 * returned, the error kept in c->err unless one is there; NULL without
 * *failed is out of memory. */
static xmlDocPtr parse_lone(xml_ctx *c, const char *buf, size_t len, size_t prefix, size_t at,
                            int open, int *failed)
{
    lone l = {c, buf, len, prefix, at, open ? len : len - strlen(WRAP_END), open, 0};
    xmlParserCtxtPtr pc = xmlCreateMemoryParserCtxt(buf, (int)len);
    if (!pc)
        return NULL;
    pc->_private = &l;
    /* HUGE: an item parsed alone may hold a text node past libxml2's 10 MB
     * cap, the one case that sends a feed here for its size; the item is
     * in memory whole anyway, and --max-doc-size bounds it. The reader
     * keeps libxml2's other limits (nesting, name lengths) for the feed. */
    xmlCtxtUseOptions(pc, XML_OPTIONS | XML_PARSE_RECOVER | XML_PARSE_HUGE);
    pc->sax->serror = on_lone_error;
    xmlParseDocument(pc);
    xmlDocPtr doc = pc->myDoc;
    pc->myDoc = NULL;
    xmlFreeParserCtxt(pc);
    *failed = l.failed;
    if (l.failed) {
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

/* The local name of tag t (its name past any prefix) is want[0] or
 * want[1] (either NULL). */
static int local_is(const xml_ctx *c, const sl_xtag *t, const char *const want[2])
{
    const char *name = c->s + t->name, *colon = memchr(name, ':', t->nlen);
    const char *local = colon ? colon + 1 : name;
    size_t ll = t->nlen - (size_t)(local - name);
    for (size_t i = 0; i < 2; i++)
        if (want[i] && strlen(want[i]) == ll && memcmp(local, want[i], ll) == 0)
            return 1;
    return 0;
}

/* The local name of tag t is one of the item elements of c->kind. */
static int item_tag(const xml_ctx *c, const sl_xtag *t)
{
    static const char *const names[][2] = {[K_RSS] = {"item", NULL},
                                           [K_ATOM] = {"entry", NULL},
                                           [K_NITF] = {"nitf", NULL},
                                           [K_G2] = {"newsItem", "packageItem"}};
    return c->kind != K_NONE && local_is(c, t, names[c->kind]);
}

/* The local name of tag t is that of feed-level credit (feed_target
 * decides once it is parsed). */
static int credit_tag(const xml_ctx *c, const sl_xtag *t)
{
    static const char *const names[][2] = {
        [K_RSS] = {"copyright", "rights"}, [K_ATOM] = {"author", "rights"}};
    return (c->kind == K_RSS || c->kind == K_ATOM) && local_is(c, t, names[c->kind]);
}

/* Removes attribute name[0, nlen) from b, a run of ` name="value"`
 * (values without '"'), when b holds it. */
static void drop_attr(sl_buf *b, const char *name, size_t nlen)
{
    size_t p = 0;
    while (p < b->len) {
        const char *eq = memchr(b->data + p, '=', b->len - p);
        const char *q = eq ? memchr(eq + 2, '"', b->len - (size_t)(eq + 2 - b->data)) : NULL;
        if (!q)
            return;
        size_t next = (size_t)(q - b->data) + 1;
        if ((size_t)(eq - b->data) - p - 1 == nlen && memcmp(b->data + p + 1, name, nlen) == 0) {
            memmove(b->data + p, b->data + next, b->len - next);
            b->len -= next - p;
            return;
        }
        p = next;
    }
}

/* The namespace declarations of the start tags in s[0, stop), as
 * attributes to put on a wrapper element. A prefix declared twice (on the
 * rss element and again on the channel) is declared once, as the later
 * declaration, the one in scope at the items: an element may not carry an
 * attribute twice, and libxml2 would refuse the wrapper. */
static sl_status ns_decls(const xml_ctx *c, size_t stop, sl_buf *b)
{
    sl_xtag t;
    size_t p = 0, done = 0;
    sl_status st = SL_OK;
    while (st == SL_OK && sl_xml_next_tag(c->s, stop, p, &t) != SL_XT_NONE) {
        p = t.end;
        if (p - done >= PASS_STEP) {
            sl_source_release(c->src, done, p);
            done = p;
        }
        if (t.kind == SL_XT_END)
            continue;
        size_t q = t.name + t.nlen;
        sl_tag_attr a;
        while (st == SL_OK && sl_input_next_attr(c->s, t.end, &q, &a)) {
            if (a.name_len < 5 || memcmp(c->s + a.name, "xmlns", 5) != 0 || !a.has_value ||
                memchr(c->s + a.value, '"', a.value_len))
                continue;
            drop_attr(b, c->s + a.name, a.name_len);
            st = sl_buf_putc(b, ' ');
            if (st == SL_OK)
                st = sl_buf_append(b, c->s + a.name, a.name_len);
            if (st == SL_OK)
                st = sl_buf_puts(b, "=\"");
            if (st == SL_OK)
                st = sl_buf_append(b, c->s + a.value, a.value_len);
            if (st == SL_OK)
                st = sl_buf_putc(b, '"');
        }
    }
    return st;
}

/* libxml2's reader says "Extra content at the end of the document" where
 * the feed was cut off, or where a CDATA section never closes; the reason
 * is put in those words instead (text after the root element keeps
 * libxml2's words, which are right there). `stop` is the error's offset. */
static void explain_stop(xml_ctx *c, size_t stop)
{
    /* Output printed ahead of the feed, such as a PHP warning before a
     * WordPress feed: libxml2 takes its first tag for the root. */
    size_t i = 0;
    while (i < c->len && isspace((unsigned char)c->s[i]))
        i++;
    const char *decl = c->nitems == 0 && c->len - i > 5
                           ? sl_input_find(c->s + i + 1, c->len - i - 1, "<?xml", 5)
                           : NULL;
    if (decl && memcmp(c->s + i, "<?xml", 5) != 0) {
        unsigned line, col;
        sl_source_position(c->src, (size_t)(decl - c->s), &line, &col);
        c->err_line = (int)line;
        c->err_col = (int)col;
        snprintf(c->err, sizeof c->err,
                 "the XML declaration comes after other output (a PHP warning or an error "
                 "message printed ahead of the feed), which feed readers refuse");
        return;
    }
    if (!strstr(c->err, "Extra content at the end of the document"))
        return;
    i = stop;
    while (i < c->len && isspace((unsigned char)c->s[i]))
        i++;
    if (i >= c->len) {
        cut_off(c);
        return;
    }
    /* libxml2 places it at the section's start or just after "<![CDATA[". */
    for (size_t back = 0; back <= 9 && back <= stop; back++) {
        size_t at = stop - back;
        if (c->len - at >= 9 && memcmp(c->s + at, "<![CDATA[", 9) == 0 &&
            !sl_input_find(c->s + at + 9, c->len - at - 9, "]]>", 3)) {
            snprintf(c->err, sizeof c->err, "a CDATA section that never closes (no \"]]>\")");
            return;
        }
    }
    /* The reader holds back the last bytes of text it has not seen the end
     * of ("a &lt;b" stops before the "b"), so text may follow its place
     * though the feed was cut; its open elements say so (on_error). */
    if (c->cut)
        cut_off(c);
}

/* Nonzero when some CDATA section of the feed is longer than
 * CDATA_READER_MAX. A mapped feed's pages are given back behind the pass,
 * a step at a time, as the reader gives them back behind the item. */
/* The first "<![CDATA[" in s[from, to), or NULL. Found through its "!",
 * which memchr finds far faster than a search for the whole marker, and
 * which feed markup holds almost only there. */
static const char *cdata_open(const char *s, size_t from, size_t to)
{
    for (size_t i = from + 1; i < to;) {
        const char *bang = memchr(s + i, '!', to - i);
        if (!bang)
            return NULL;
        i = (size_t)(bang - s);
        if (s[i - 1] == '<' && to - i >= 8 && memcmp(s + i + 1, "[CDATA[", 7) == 0)
            return s + i - 1;
        i++;
    }
    return NULL;
}

/* Nonzero when a CDATA section longer than CDATA_READER_MAX opens in the
 * bytes after `from` that the reader is about to parse. Asked at every
 * element, it looks a little ahead of the reader (which parses the memory
 * in small chunks) and only at bytes not looked at before, so the feed is
 * passed over once, just before the reader reads the same pages. */
static int long_cdata_ahead(xml_ctx *c, size_t from)
{
    size_t p = c->cdata_seen > from ? c->cdata_seen : from;
    size_t stop = c->len - from > CDATA_LOOKAHEAD ? from + CDATA_LOOKAHEAD : c->len;
    while (p < stop) {
        const char *open = cdata_open(c->s, p, stop);
        if (!open) {
            /* A marker may straddle the end. */
            c->cdata_seen = stop < c->len ? stop - 8 : stop;
            return 0;
        }
        size_t body = (size_t)(open - c->s) + 9;
        size_t span = c->len - body > CDATA_READER_MAX + 3 ? CDATA_READER_MAX + 3 : c->len - body;
        const char *close = sl_input_find(c->s + body, span, "]]>", 3);
        if (!close && span == CDATA_READER_MAX + 3)
            return 1;
        p = close ? (size_t)(close - c->s) + 3 : body + span;
        c->cdata_seen = p;
    }
    return 0;
}

/* After the reader stopped at `stop`: the reader parses ahead in chunks,
 * so items that end before an error may not have been handed out yet; and
 * after a reference the reader cannot read past (c->benign), everything to
 * the end of the feed is left. Each item is parsed on its own (inside a
 * wrapper carrying the feed's namespace declarations), with the same
 * options, and sent; so is feed-level credit the reader has not passed
 * yet. The lexer keeps its positions in the feed. An item with an error
 * the loader stops at ends the salvage, the error kept in c->err. */
static sl_status salvage(xml_ctx *c, size_t stop)
{
    sl_buf wrap = {0}, decls = {0};
    sl_status st = SL_OK;
    sl_xtag t;
    size_t p = c->cursor;
    int have_decls = 0;
    while (st == SL_OK && sl_xml_next_tag(c->s, stop, p, &t) != SL_XT_NONE) {
        p = t.end;
        int item = t.kind != SL_XT_END && item_tag(c, &t);
        if (t.kind == SL_XT_END || (!item && !credit_tag(c, &t)))
            continue;
        size_t cend = t.end, end = t.end;
        if (t.kind == SL_XT_START)
            sl_xml_content_end(c->s, c->len, t.end, &cend, &end);
        if (end > stop)
            break;
        /* Unclosed to the end of the feed (cut off, most likely): the
         * wrapper is left open too, so that libxml2 meets the feed's end
         * with the feed's elements open, as the reader would have, and not
         * a wrapper's end tag they mismatch. */
        int open = t.kind == SL_XT_START && cend == c->len;
        if (!have_decls) {
            st = ns_decls(c, t.start, &decls);
            have_decls = 1;
        }
        wrap.len = 0;
        if (st == SL_OK)
            st = sl_buf_puts(&wrap, WRAP_START);
        if (st == SL_OK && decls.len)
            st = sl_buf_append(&wrap, decls.data, decls.len);
        if (st == SL_OK)
            st = sl_buf_putc(&wrap, '>');
        size_t prefix = wrap.len;
        if (st == SL_OK)
            st = sl_buf_append(&wrap, c->s + t.start, end - t.start);
        if (st == SL_OK && !open)
            st = sl_buf_puts(&wrap, WRAP_END);
        if (st != SL_OK)
            break;
        int failed = 0;
        xmlDocPtr doc = parse_lone(c, wrap.data, wrap.len, prefix, t.start, open, &failed);
        if (!doc) {
            st = failed ? SL_OK : SL_ENOMEM;
            break;
        }
        xmlNodePtr root = xmlDocGetRootElement(doc);
        xmlNodePtr it = root ? root->children : NULL;
        while (it && it->type != XML_ELEMENT_NODE)
            it = it->next;
        if (it && item && is_item(c, it, c->kind == K_NITF ? 0 : 1)) {
            c->cursor = t.end;
            st = emit_item(c, it, &t);
        } else if (it && !item) {
            sl_field *to = feed_target(c, it, 0);
            c->cursor = t.end;
            if (to && !to->len)
                st = feed_credit(c, it, &t, to);
        }
        xmlFreeDoc(doc);
        if (!it)
            break;
        p = end;
    }
    sl_buf_free(&wrap);
    sl_buf_free(&decls);
    return st;
}

sl_status sl_load_feed_xml(const sl_source *src, sl_doc_sink sink, void *user, char *note,
                           size_t cap, sl_diag *diag)
{
    xml_ctx c;
    memset(&c, 0, sizeof c);
    c.src = src;
    c.s = src->data;
    c.len = src->len;
    c.sink = sink;
    c.user = user;
    note[0] = '\0';
    sl_status st = SL_OK;
    xmlTextReaderPtr r = NULL;
    if (src->len > INT_MAX) {
        st = sl_diag_set(diag, SL_ELIMIT, NULL, 0, 0, NULL, "feed too large (%zu bytes)", src->len);
        goto cleanup;
    }
    const char *no_xml = sl_xml_load();
    if (no_xml) {
        st = sl_diag_set(diag, SL_EINPUT, NULL, 0, 0, NULL, "%s", no_xml);
        goto cleanup;
    }
    size_t entity = sl_xml_declares_entities(c.s, c.len);
    if (entity) {
        unsigned line, col;
        sl_source_position(src, entity - 1, &line, &col);
        st = sl_diag_set(diag, SL_EINPUT, NULL, 0, 0, NULL,
                         "XML declares entities in its DOCTYPE (line %u, column %u): refused "
                         "(entity expansion and external entities are not read)",
                         line, col);
        goto cleanup;
    }
    r = xmlReaderForMemory(c.s, (int)c.len, src->path, "UTF-8", XML_OPTIONS);
    if (!r) {
        st = sl_diag_set(diag, SL_ENOMEM, NULL, 0, 0, NULL, "out of memory reading XML");
        goto cleanup;
    }
    xmlTextReaderSetStructuredErrorHandler(r, on_error, &c);
    int rc = xmlTextReaderRead(r);
    int root = 1;
    while (rc == 1 && st == SL_OK) {
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT) {
            rc = xmlTextReaderRead(r);
            continue;
        }
        xmlNodePtr n = xmlTextReaderCurrentNode(r);
        int depth = xmlTextReaderDepth(r);
        if (root) {
            root = 0;
            c.kind = kind_of_root(n);
            if (c.kind == K_NONE) {
                st = sl_diag_set(diag, SL_EINPUT, NULL, 0, 0, NULL,
                                 "XML root element <%s> is no feed syndlint reads", n->name);
                break;
            }
        }
        /* Out of step (it cannot happen in a well-formed feed without
         * entities), the element's text falls back to the cursor. */
        sl_xtag t;
        const sl_xtag *tp = match_start(&c, n, &t) ? &t : NULL;
        if (tp && long_cdata_ahead(&c, tp->start)) {
            /* As after a reference the reader cannot read past: the rest
             * is read item by item, from this element on. */
            c.cursor = tp->start;
            c.benign = 1;
            rc = -1;
            break;
        }
        if (is_item(&c, n, depth)) {
            if (!xmlTextReaderExpand(r)) {
                /* The error is in the item or in the chunk the reader
                 * parsed ahead: salvage reads the item again, and sends it
                 * if it ends before the error. */
                if (tp)
                    c.cursor = tp->start;
                rc = -1;
                break;
            }
            st = emit_item(&c, n, tp);
            rc = xmlTextReaderNext(r);
            continue;
        }
        int consumed = 0;
        st = feed_level(&c, r, n, tp, &consumed);
        rc = consumed ? xmlTextReaderNext(r) : xmlTextReaderRead(r);
    }
    if (st == SL_OK && rc < 0) {
        /* A benign reference stopped the reader: the rest of the feed is
         * read item by item, and the feed is whole unless an item breaks
         * off. */
        int whole = !c.err[0] && c.benign;
        size_t stop = whole ? c.len : c.cursor, line_at;
        if (c.err_line > 0 && sl_source_line_start(src, (size_t)c.err_line, &line_at))
            stop = col_offset(c.s, c.len, line_at, c.err_col);
        if (c.kind == K_NONE) {
            /* The reader may fail before it hands out the root. */
            sl_input_type ty = sl_feed_detect_xml(c.s, c.len < 8192 ? c.len : 8192);
            c.kind = ty == SL_INPUT_RSS      ? K_RSS
                     : ty == SL_INPUT_ATOM   ? K_ATOM
                     : ty == SL_INPUT_NITF   ? K_NITF
                     : ty == SL_INPUT_NEWSML ? K_G2
                                             : K_NONE;
        }
        if (stop > c.cursor)
            st = salvage(&c, stop);
        if (st == SL_OK && (!whole || c.err[0])) {
            char msg[600];
            if (!c.err[0])
                snprintf(c.err, sizeof c.err, "malformed XML");
            else if (c.err_line > 0)
                explain_stop(&c, stop);
            if (c.err_line > 0)
                snprintf(msg, sizeof msg,
                         "malformed XML at line %d, column %d: %s (%zu item%s read before it)",
                         c.err_line, c.err_col, c.err, c.nitems, c.nitems == 1 ? "" : "s");
            else
                snprintf(msg, sizeof msg, "malformed XML: %s (%zu item%s read before it)", c.err,
                         c.nitems, c.nitems == 1 ? "" : "s");
            if (c.nitems == 0) {
                st = sl_diag_set(diag, SL_EINPUT, NULL, 0, 0, NULL, "%s", msg);
            } else {
                snprintf(note, cap, "%s", msg);
                st = sl_feed_emit_error(src, msg, sink, user);
            }
        }
    }
    if (st == SL_ENOMEM)
        sl_diag_set(diag, st, NULL, 0, 0, NULL, "out of memory loading feed");
    else if (st != SL_OK && diag && !diag->message[0])
        sl_diag_set(diag, st, NULL, 0, 0, NULL, "feed too large");
cleanup:
    xmlFreeTextReader(r);
    free(c.pos);
    sl_field_clear(&c.tmp);
    sl_field_clear(&c.feed_author);
    sl_field_clear(&c.feed_rights);
    return st;
}
