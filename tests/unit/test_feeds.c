/* Unit tests: the feed loaders (RSS 2.0, RSS 1.0/RDF, Atom, NITF,
 * NewsML-G2, JSON Feed, ninjs, JSON Lines): detection by content, one
 * document per item, ids, metadata, embedded HTML, offset maps into the
 * feed file, XML safety, broken feeds, and attribution by metadata with
 * the default rule packs; streamed sources and mapped files give the
 * positions an indexed source gives, and the loader's memory follows the
 * item, not the feed. */
#include <check.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "input/feed.h"
#include "input/input.h"
#include "syndlint/syndlint.h"
#include "util/buf.h"

#ifndef SL_TEST_FIXTURES
#define SL_TEST_FIXTURES "tests/fixtures"
#endif
#ifndef SL_SOURCE_ROOT
#define SL_SOURCE_ROOT "."
#endif

/* ---------------------------------------------------------------- helpers */

static char *slurp(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/feeds/%s", SL_TEST_FIXTURES, name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open fixture %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

typedef struct loaded {
    sl_source src;
    sl_doclist docs;
    sl_diag diag;
    sl_status st;
} loaded;

/* Loads fixture `name` under the path `as` (the extension may lie). */
static void load_as(loaded *l, const char *name, const char *as)
{
    size_t len;
    char *data = slurp(name, &len);
    memset(l, 0, sizeof *l);
    l->st = sl_input_load(as, data, len, SL_INPUT_AUTO, &l->src, &l->docs, &l->diag);
    free(data);
}

static void load(loaded *l, const char *name)
{
    load_as(l, name, name);
    ck_assert_msg(l->st == SL_OK, "%s: %s", name, l->diag.message);
}

static void unload(loaded *l)
{
    sl_doclist_clear(&l->docs);
    sl_source_clear(&l->src);
}

static const sl_document *doc(const loaded *l, const char *id)
{
    for (size_t i = 0; i < l->docs.ndocs; i++)
        if (strcmp(l->docs.docs[i].id, id) == 0)
            return &l->docs.docs[i];
    ck_abort_msg("no document %s", id);
    return NULL;
}

static const char *text(const sl_field *f)
{
    return f->text ? f->text : "";
}

/* The first value of meta `name`, or "". */
static const char *meta(const sl_document *d, const char *name)
{
    for (size_t i = 0; i < d->nmeta; i++)
        if (strcmp(d->meta[i].name, name) == 0)
            return text(&d->meta[i].value);
    return "";
}

/* The values of meta `name`, in order, joined by " | ". */
static const char *metas(const sl_document *d, const char *name)
{
    static char out[512];
    out[0] = '\0';
    for (size_t i = 0; i < d->nmeta; i++)
        if (strcmp(d->meta[i].name, name) == 0)
            snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", out[0] ? " | " : "",
                     text(&d->meta[i].value));
    return out;
}

static const sl_field *meta_field(const sl_document *d, const char *name)
{
    for (size_t i = 0; i < d->nmeta; i++)
        if (strcmp(d->meta[i].name, name) == 0)
            return &d->meta[i].value;
    ck_abort_msg("no meta %s in %s", name, d->id);
    return NULL;
}

/* `needle` occurs in field f, and the offset map sends its first byte to
 * the source offset where the source writes `written`. */
static void maps_to(const loaded *l, const sl_field *f, const char *needle, const char *written)
{
    const char *hit = strstr(text(f), needle);
    ck_assert_msg(hit != NULL, "'%s' not in '%s'", needle, text(f));
    size_t off = sl_field_offset(f, (size_t)(hit - f->text));
    ck_assert_msg(off + strlen(written) <= l->src.len &&
                      memcmp(l->src.data + off, written, strlen(written)) == 0,
                  "'%s' maps to offset %zu: '%.20s', want '%s'", needle, off, l->src.data + off,
                  written);
}

/* --------------------------------------------------------------- detection */

static sl_input_type detect(const char *path, const char *s)
{
    return sl_input_detect(path, s, strlen(s));
}

START_TEST(detect_by_content)
{
    static const struct {
        const char *name;
        sl_input_type type;
    } cases[] = {{"rss2.xml", SL_INPUT_RSS},           {"rss1.rdf", SL_INPUT_RSS},
                 {"atom.xml", SL_INPUT_ATOM},          {"latin1.rss", SL_INPUT_RSS},
                 {"nitf.xml", SL_INPUT_NITF},          {"newsml-g2.xml", SL_INPUT_NEWSML},
                 {"jsonfeed.json", SL_INPUT_JSONFEED}, {"ninjs1.json", SL_INPUT_NINJS},
                 {"ninjs2.json", SL_INPUT_NINJS},      {"ninjs3.json", SL_INPUT_NINJS},
                 {"items.jsonl", SL_INPUT_JSONL}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        char *data = slurp(cases[i].name, &len);
        /* Saved as .txt: the content still decides. */
        ck_assert_msg(sl_input_detect("feed.txt", data, len) == cases[i].type, "%s: %d",
                      cases[i].name, (int)sl_input_detect("feed.txt", data, len));
        free(data);
    }
    ck_assert_int_eq(sl_input_detect("x", "<?xml version='1.0'?><sitemap/>", 31), SL_INPUT_TEXT);
    ck_assert_int_eq(sl_input_detect("x", "<feed>", 6), SL_INPUT_TEXT); /* no Atom namespace */
    ck_assert_int_eq(sl_input_detect("x.json", "{\"a\": 1}", 8), SL_INPUT_TEXT);
    ck_assert_int_eq(detect("x", "{\"id\": 1, \"body\": \"a\"}\n{\"id\": 2, \"body\": \"b\"}\n"),
                     SL_INPUT_JSONL);
    /* Templates open with the same brackets, balanced line by line, but
     * are no JSON: a Jinja page stays HTML, an unrendered article text. */
    ck_assert_int_eq(
        detect("page.html", "{% extends \"base.html\" %}\n{% block body %}<p>{{ story }}</p>\n"),
        SL_INPUT_HTML);
    ck_assert_int_eq(detect("story.txt", "{{headline}}\n{{body}}\n"), SL_INPUT_TEXT);
    ck_assert_int_eq(detect("story.txt", "[% INCLUDE header %]\n[% story.body %]\n"),
                     SL_INPUT_TEXT);
    ck_assert_int_eq(detect("story.txt", "{\"id\": 1}\n{{body}}\n"), SL_INPUT_TEXT);
    /* JSON with space or an empty object first is still JSON Lines. */
    ck_assert_int_eq(detect("x", "{ \"id\": 1 }\n{}\n"), SL_INPUT_JSONL);
}
END_TEST

/* --------------------------------------------------------------------- RSS */

START_TEST(rss2_items)
{
    loaded l;
    load(&l, "rss2.xml");
    ck_assert_uint_eq(l.docs.ndocs, 4);
    /* Document order, ids from guids, a positional id without one. */
    ck_assert_str_eq(l.docs.docs[0].id, "rss2.xml#pti-2024-0001");
    ck_assert_str_eq(l.docs.docs[1].id, "rss2.xml#https://partner.example/markets");
    ck_assert_str_eq(l.docs.docs[2].id, "rss2.xml#item-3");
    ck_assert_str_eq(l.docs.docs[3].id, "rss2.xml#reuters-oil-1");

    const sl_document *d = &l.docs.docs[0];
    ck_assert_str_eq(text(&d->title), "Cabinet approves relief package");
    ck_assert_str_eq(meta(d, "creator"), "PTI");
    ck_assert_str_eq(meta(d, "url"), "https://partner.example/relief");
    maps_to(&l, meta_field(d, "creator"), "PTI", "PTI</dc:creator>");
    /* Escaped HTML is parsed as HTML: no tags in the body, and each
     * word maps to where the feed writes it. */
    ck_assert_ptr_null(strstr(text(&d->body), "<p>"));
    ck_assert_ptr_nonnull(strstr(text(&d->body), "auto-generated from a syndicated feed"));
    maps_to(&l, &d->body, "relief package for farmers", "relief package for farmers");
    maps_to(&l, &d->title, "relief", "relief package</title>");
    /* The item's page is its own markup, not the whole feed. */
    ck_assert_ptr_nonnull(strstr(text(&d->page), "<guid isPermaLink"));
    ck_assert_ptr_null(strstr(text(&d->page), "Markets close"));

    d = &l.docs.docs[1];
    /* CDATA HTML */
    ck_assert_ptr_nonnull(strstr(text(&d->body), "Shares rose for a third day."));
    maps_to(&l, &d->body, "Shares rose", "Shares rose");

    d = &l.docs.docs[2];
    /* content:encoded wins the body; description becomes meta. */
    ck_assert_ptr_nonnull(strstr(text(&d->body), "You have read {{free_limit}} stories."));
    ck_assert_ptr_null(strstr(text(&d->body), "{{template}}"));
    ck_assert_ptr_nonnull(strstr(text(&d->code), "{{template}}"));
    ck_assert_ptr_nonnull(strstr(text(&d->raw), "class=\"story\""));
    ck_assert_str_eq(meta(d, "description"), "A short summary.");
    ck_assert_str_eq(meta(d, "pubdate"), "Mon, 04 Mar 2024 10:00:00 +0000");
    maps_to(&l, &d->body, "{{free_limit}}", "{{free_limit}} stories");
    maps_to(&l, &d->code, "{{template}}", "{{template}}</code>");

    d = &l.docs.docs[3];
    ck_assert_str_eq(meta(d, "source"), "Reuters");
    ck_assert_str_eq(meta(d, "rights"), "© 2024 Reuters");
    ck_assert_str_eq(meta(d, "credit"), "Reuters");
    /* References decode, and map to their '&'. */
    ck_assert_str_eq(text(&d->body), "Oil rose on Tuesday & traders \xE2\x80\x9C"
                                     "cheered\xE2\x80\x9D.\n");
    maps_to(&l, &d->body, "& traders", "&amp; traders");
    maps_to(&l, &d->body, "\xE2\x80\x9C", "&#8220;");
    unload(&l);
}
END_TEST

START_TEST(item_markup_without_region)
{
    /* An item's HTML that holds no body text (a lone vendor script) is
     * still the item's raw markup, decoded, not the item's escaped XML. */
    static const char rss[] =
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>F</title>"
        "<item><guid>s1</guid><title>T</title><description>&lt;script "
        "src=\"https://cdn.tinypass.com/api/tinypass.min.js\"&gt;&lt;/script&gt;"
        "</description></item></channel></rss>";
    loaded l;
    memset(&l, 0, sizeof l);
    l.st = sl_input_load("s.xml", rss, sizeof rss - 1, SL_INPUT_AUTO, &l.src, &l.docs, &l.diag);
    ck_assert_msg(l.st == SL_OK, "%s", l.diag.message);
    ck_assert_uint_eq(l.docs.ndocs, 1);
    const sl_document *d = &l.docs.docs[0];
    ck_assert_ptr_nonnull(strstr(text(sl_document_raw(d)), "<script src=\"https://cdn.tinypass"));
    maps_to(&l, sl_document_raw(d), "<script", "&lt;script");
    unload(&l);
}
END_TEST

START_TEST(rss1_rdf)
{
    loaded l;
    load(&l, "rss1.rdf");
    ck_assert_uint_eq(l.docs.ndocs, 2);
    const sl_document *d = doc(&l, "rss1.rdf#https://wire.example/a");
    ck_assert_str_eq(text(&d->title), "Flood warning issued");
    ck_assert_str_eq(meta(d, "creator"), "Press Trust of India");
    ck_assert_str_eq(text(&d->body), "Rivers rose across the state.\n");
    unload(&l);
}
END_TEST

START_TEST(latin1_prolog)
{
    loaded l;
    load(&l, "latin1.rss");
    ck_assert_uint_eq(l.docs.ndocs, 1);
    const sl_document *d = &l.docs.docs[0];
    ck_assert_str_eq(d->id, "latin1.rss#caf\xC3\xA9");
    ck_assert_str_eq(text(&d->title), "Caf\xC3\xA9 reopens");
    maps_to(&l, &d->body, "{{placeholder}}", "{{placeholder}}");
    unsigned line, col;
    const char *hit = strstr(text(&d->body), "{{placeholder}}");
    sl_source_position(&l.src, sl_field_offset(&d->body, (size_t)(hit - d->body.text)), &line,
                       &col);
    ck_assert_uint_eq(line, 5);
    ck_assert_uint_eq(col, 33); /* in characters: the é is one */
    unload(&l);
}
END_TEST

/* -------------------------------------------------------------------- Atom */

/* Loads feed text `xml` as `path`. */
static void load_text(loaded *l, const char *path, const char *xml)
{
    memset(l, 0, sizeof *l);
    l->st = sl_input_load(path, xml, strlen(xml), SL_INPUT_AUTO, &l->src, &l->docs, &l->diag);
    ck_assert_msg(l->st == SL_OK, "%s: %s", path, l->diag.message);
}

/* Every media:credit of an item counts, in any media:content or
 * media:group; an item's own furniture (an <aside> in its content) is its
 * chrome. */
START_TEST(rss_media_credits_and_item_markup)
{
    loaded l;
    load_text(
        &l, "m.xml",
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\" "
        "xmlns:media=\"http://search.yahoo.com/mrss/\"><channel><title>c</title>\n"
        "<item><guid>g1</guid><title>t</title>\n"
        "<media:content url=\"a.jpg\"><media:credit>Jane Roe</media:credit></media:content>\n"
        "<media:group><media:content url=\"b.jpg\"><media:credit>AFP</media:credit>"
        "</media:content></media:group>\n"
        "<media:content url=\"c.jpg\"><media:credit>Reuters</media:credit>"
        "<media:title>Rescue {{photo_title}}</media:title></media:content>\n"
        "<media:group><media:description>Photo: {{caption}}</media:description></media:group>\n"
        "<description>&lt;header&gt;By Reuters Staff&lt;/header&gt;&lt;article&gt;&lt;p&gt;"
        "Floods.&lt;/p&gt;&lt;/article&gt;&lt;aside&gt;Hi {{user.first_name}}&lt;/aside&gt;"
        "&lt;footer&gt;(With inputs from PTI)&lt;/footer&gt;&lt;nav&gt;Log in&lt;/nav&gt;"
        "</description></item>\n</channel></rss>\n");
    const sl_document *d = doc(&l, "m.xml#g1");
    size_t n = 0;
    const char *want[] = {"Jane Roe", "AFP", "Reuters"};
    for (size_t i = 0; i < d->nmeta; i++)
        if (strcmp(d->meta[i].name, "credit") == 0) {
            ck_assert_uint_lt(n, 3);
            ck_assert_str_eq(text(&d->meta[i].value), want[n++]);
        }
    ck_assert_uint_eq(n, 3);
    /* Captions a reader sees under the photo are metadata. */
    ck_assert_str_eq(meta(d, "media:title"), "Rescue {{photo_title}}");
    ck_assert_str_eq(meta(d, "media:description"), "Photo: {{caption}}");
    maps_to(&l, meta_field(d, "media:description"), "{{caption}}", "{{caption}}</media:desc");
    /* An item has no site around it: its header, aside, footer and nav,
     * and what lies outside its <article>, are its body, and its raw
     * markup is all of it. */
    ck_assert_str_eq(text(&d->body), "By Reuters Staff\nFloods.\nHi {{user.first_name}}\n"
                                     "(With inputs from PTI)\nLog in\n");
    ck_assert_uint_eq(d->chrome.len, 0);
    maps_to(&l, &d->body, "{{user", "{{user.first_name}}&lt;/aside");
    maps_to(&l, &d->body, "(With", "(With inputs from PTI)&lt;/footer");
    ck_assert_ptr_nonnull(strstr(text(sl_document_raw(d)), "<header>By Reuters Staff</header>"));
    ck_assert_ptr_nonnull(strstr(text(sl_document_raw(d)), "<nav>Log in</nav>"));
    unload(&l);

    /* A video entry's caption, as YouTube's Atom feed carries it. */
    load_text(&l, "v.atom",
              "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" "
              "xmlns:media=\"http://search.yahoo.com/mrss/\"><title>t</title>\n"
              "<entry><id>yt:1</id><title>Floods</title><media:group><media:title>Floods"
              "</media:title><media:description>Hello {{viewer_name}}! (Video: AFP)"
              "</media:description></media:group></entry></feed>\n");
    d = doc(&l, "v.atom#yt:1");
    ck_assert_str_eq(meta(d, "media:description"), "Hello {{viewer_name}}! (Video: AFP)");
    ck_assert_str_eq(meta(d, "media:title"), "Floods");
    unload(&l);
}
END_TEST

/* Atom rights and summaries written as markup (type="html", "xhtml")
 * give their visible text, at the feed's level and the entry's. */
START_TEST(atom_markup_text_constructs)
{
    loaded l;
    load_text(&l, "r.atom",
              "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
              "<title>t</title><id>f</id>\n"
              "<rights type=\"html\">&amp;copy; 2024 &lt;b&gt;AFP&lt;/b&gt;</rights>\n"
              "<entry><id>e1</id><title>a</title><content>Text.</content></entry>\n"
              "<entry><id>e2</id><title>b</title><rights type=\"xhtml\"><div "
              "xmlns=\"http://www.w3.org/1999/xhtml\">&#169; <b>Reuters</b></div></rights>"
              "<summary type=\"html\">&lt;p&gt;A &lt;i&gt;short&lt;/i&gt; one&lt;/p&gt;</summary>"
              "<content>Text.</content></entry>\n"
              "<entry><id>e3</id><title>c</title><rights type=\"html\">&amp;copy; "
              "&lt;b&gt;PTI&lt;/b&gt;</rights><content>Text.</content></entry>\n</feed>\n");
    const sl_document *d = doc(&l, "r.atom#e1");
    ck_assert_str_eq(meta(d, "rights"), "\xC2\xA9 2024 AFP");
    d = doc(&l, "r.atom#e2");
    ck_assert_str_eq(meta(d, "rights"), "\xC2\xA9 Reuters");
    ck_assert_str_eq(meta(d, "summary"), "A short one");
    maps_to(&l, meta_field(d, "summary"), "short", "short&lt;/i");
    ck_assert_str_eq(meta(doc(&l, "r.atom#e3"), "rights"), "\xC2\xA9 PTI");
    unload(&l);
}
END_TEST

/* A feed with a CDATA section longer than libxml2's reader takes in
 * reasonable time is read item by item: every item, with its positions. */
START_TEST(long_cdata_read_item_by_item)
{
    size_t big = 300u << 10;
    const char *head = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>c</title>\n"
                       "<copyright>(c) 2026 AFP</copyright>\n"
                       "<item><guid>a</guid><title>Long</title><description><![CDATA[<p>";
    const char *tail = "</p><p>Hello {{user.name}}</p>]]></description></item>\n"
                       "<item><guid>b</guid><title>b</title>"
                       "<description>You have {{free_limit}} left.</description></item>\n"
                       "</channel></rss>\n";
    char *xml = malloc(strlen(head) + big + strlen(tail) + 1);
    ck_assert_ptr_nonnull(xml);
    strcpy(xml, head);
    size_t n = strlen(head);
    for (size_t i = 0; i < big; i++)
        xml[n++] = i % 60 == 59 ? ' ' : 'w';
    strcpy(xml + n, tail);
    loaded l;
    load_text(&l, "big.xml", xml);
    ck_assert_uint_eq(l.docs.ndocs, 2);
    const sl_document *a = doc(&l, "big.xml#a"), *b = doc(&l, "big.xml#b");
    ck_assert_ptr_null(a->error);
    ck_assert_uint_gt(a->body.len, big);
    maps_to(&l, &a->body, "{{user.name}}", "{{user.name}}</p>]]>");
    maps_to(&l, &b->body, "{{free_limit}}", "{{free_limit}} left");
    ck_assert_str_eq(meta(b, "rights"), "(c) 2026 AFP");
    unload(&l);
    free(xml);
}
END_TEST

START_TEST(atom_entries)
{
    loaded l;
    load(&l, "atom.xml");
    ck_assert_uint_eq(l.docs.ndocs, 3);
    const sl_document *d = doc(&l, "atom.xml#tag:wire.example,2024:1");
    /* An unusual prefix (a:) for the Atom namespace; xhtml content. */
    ck_assert_str_eq(text(&d->title), "Ceasefire talks resume");
    ck_assert_ptr_nonnull(strstr(text(&d->body), "Talks resumed in Cairo on Monday."));
    ck_assert_ptr_null(strstr(text(&d->body), "x:p"));
    maps_to(&l, &d->body, "Talks resumed", "Talks resumed");
    /* No author of its own: the feed's (RFC 4287 4.2.1). */
    ck_assert_str_eq(meta(d, "author"), "Reuters");

    d = doc(&l, "atom.xml#tag:wire.example,2024:2");
    ck_assert_str_eq(text(&d->title), "Budget passed");
    ck_assert_str_eq(meta(d, "author"), "Staff Reporter");
    ck_assert_str_eq(meta(d, "rights"), "© 2024 Example Daily");
    ck_assert_str_eq(text(&d->body), "The budget passed. Read {{free_limit}} more.\n");
    maps_to(&l, &d->body, "{{free_limit}}", "{{free_limit}} more");

    d = doc(&l, "atom.xml#tag:wire.example,2024:3");
    ck_assert_str_eq(text(&d->body), "Summary only, in text.");
    ck_assert_str_eq(meta(d, "source"), "Yonhap");
    /* Copied from another feed: its atom:source's author comes before the
     * feed's, and its rights are the entry's. */
    ck_assert_str_eq(meta(d, "author"), "Yonhap News Agency");
    ck_assert_str_eq(meta(d, "rights"), "Copyright 2024 Yonhap News Agency");
    unload(&l);
}
END_TEST

/* --------------------------------------------------------- NITF, NewsML-G2 */

START_TEST(nitf_story)
{
    loaded l;
    load(&l, "nitf.xml");
    ck_assert_uint_eq(l.docs.ndocs, 1);
    const sl_document *d = &l.docs.docs[0];
    ck_assert_str_eq(d->id, "nitf.xml#AP-2024-0042");
    ck_assert_str_eq(text(&d->title), "Wildfire forces thousands to flee");
    ck_assert_str_eq(meta(d, "distributor"), "The Associated Press");
    ck_assert_str_eq(meta(d, "byline"), "By Jane Doe, Associated Press Writer");
    ck_assert_str_eq(meta(d, "dateline"), "HAYWARD, Calif.");
    ck_assert_str_eq(meta(d, "copyrightholder"), "The Associated Press");
    ck_assert_ptr_nonnull(strstr(text(&d->body), "A wildfire forced thousands"));
    ck_assert_ptr_nonnull(strstr(text(&d->body), "Copyright 2024 The Associated Press."));
    maps_to(&l, meta_field(d, "distributor"), "The Associated", "The Associated Press</dis");
    unload(&l);
}
END_TEST

START_TEST(newsml_items_and_package)
{
    loaded l;
    load(&l, "newsml-g2.xml");
    ck_assert_uint_eq(l.docs.ndocs, 3);
    const sl_document *d = doc(&l, "newsml-g2.xml#urn:newsml:reuters.com:20240304:nL1N1");
    ck_assert_str_eq(text(&d->title), "Central bank holds rates");
    ck_assert_str_eq(meta(d, "creditline"), "Reuters");
    ck_assert_str_eq(meta(d, "provider"), "REUTERS");
    ck_assert_str_eq(meta(d, "copyrightholder"), "Thomson Reuters");
    ck_assert_str_eq(meta(d, "dateline"), "LONDON, March 4");
    ck_assert_ptr_nonnull(strstr(text(&d->body), "The central bank held rates on Monday."));
    maps_to(&l, &d->body, "central bank held", "central bank held");

    d = doc(&l, "newsml-g2.xml#urn:newsml:example.com:20240304:opta");
    ck_assert_str_eq(meta(d, "creditline"), "Opta Sports");
    ck_assert_str_eq(meta(d, "provider"), "Example Sports");
    ck_assert_ptr_nonnull(strstr(text(&d->body), "A goal in the 90th minute"));

    d = doc(&l, "newsml-g2.xml#urn:newsml:reuters.com:20240304:pkg1");
    ck_assert_str_eq(text(&d->title), "Markets package");
    ck_assert_str_eq(text(&d->body), "Central bank holds rates");
    unload(&l);
}
END_TEST

/* -------------------------------------------------------------------- JSON */

START_TEST(jsonfeed_items)
{
    loaded l;
    load(&l, "jsonfeed.json");
    ck_assert_uint_eq(l.docs.ndocs, 3);
    const sl_document *d = doc(&l, "jsonfeed.json#jf-1");
    ck_assert_str_eq(text(&d->title), "Caf\xC3\xA9 chain expands");
    maps_to(&l, &d->title, "\xC3\xA9", "\\u00e9");
    ck_assert_str_eq(meta(d, "author"), "PTI");
    ck_assert_str_eq(meta(d, "url"), "https://partner.example/jf-1");
    ck_assert_ptr_nonnull(strstr(text(&d->body), "Bhopal (PTI): More will follow."));
    maps_to(&l, &d->body, "{{free_limit}}", "{{free_limit}}</p>");

    d = doc(&l, "jsonfeed.json#jf-2");
    /* No authors of its own: the feed's (JSON Feed 1.1). */
    ck_assert_str_eq(meta(d, "author"), "Partner Desk");
    ck_assert_ptr_nonnull(strstr(text(&d->body), "Text only.\n(Only the headline"));
    maps_to(&l, &d->body, "\n(Only", "\\n(Only");
    doc(&l, "jsonfeed.json#item-3");
    unload(&l);
}
END_TEST

START_TEST(ninjs_versions)
{
    loaded l;
    load(&l, "ninjs1.json");
    ck_assert_uint_eq(l.docs.ndocs, 1);
    const sl_document *d = &l.docs.docs[0];
    ck_assert_str_eq(d->id, "ninjs1.json#http://example.com/ninjs/1");
    ck_assert_str_eq(text(&d->title), "Storm hits coast");
    ck_assert_str_eq(meta(d, "byline"), "Jane Doe");
    ck_assert_str_eq(meta(d, "copyrightholder"), "Agence France-Presse");
    ck_assert_str_eq(meta(d, "copyrightnotice"), "© 2024 AFP");
    ck_assert_str_eq(meta(d, "located"), "MARSEILLE");
    ck_assert_str_eq(text(&d->body), "A storm hit the coast on Monday.");
    unload(&l);

    load(&l, "ninjs2.json");
    d = &l.docs.docs[0];
    ck_assert_str_eq(text(&d->title), "Election results due");
    ck_assert_str_eq(meta(d, "by"), "dpa");
    ck_assert_str_eq(meta(d, "infosource"), "dpa");
    ck_assert_ptr_nonnull(strstr(text(&d->body), "Counting began."));
    ck_assert_ptr_null(strstr(text(&d->body), "<p>"));
    unload(&l);

    load(&l, "ninjs3.json");
    d = &l.docs.docs[0];
    ck_assert_str_eq(text(&d->title), "Quake shakes city");
    ck_assert_str_eq(meta(d, "copyrightholder"), "Kyodo"); /* copyrightHolder */
    ck_assert_str_eq(meta(d, "usageterms"), "Editorial use only");
    ck_assert_str_eq(text(&d->body), "The quake struck at dawn.");
    unload(&l);
}
END_TEST

START_TEST(json_lines)
{
    loaded l;
    load(&l, "items.jsonl");
    ck_assert_uint_eq(l.docs.ndocs, 5);
    ck_assert_str_eq(meta(doc(&l, "items.jsonl#j1"), "creator"), "IANS");
    const sl_document *d = doc(&l, "items.jsonl#j2");
    ck_assert_str_eq(text(&d->body), "HTML body\nRead {{free_limit}} more\n");
    maps_to(&l, &d->body, "{{free_limit}}", "{{free_limit}} more");
    d = doc(&l, "items.jsonl#line-4");
    ck_assert_uint_eq(d->nmeta, 2); /* two authors */
    /* One bad line is one ERROR item; the next line is still read. */
    d = doc(&l, "items.jsonl#line-5");
    ck_assert_ptr_nonnull(d->error);
    ck_assert_ptr_nonnull(strstr(d->error, "line 5"));
    doc(&l, "items.jsonl#j5");
    unload(&l);
}
END_TEST

/* ------------------------------------------------------------------ safety */

static int external_loads;

static xmlParserInputPtr counting_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    (void)url;
    (void)id;
    (void)ctxt;
    external_loads++;
    return NULL;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

START_TEST(billion_laughs_refused_fast)
{
    xmlExternalEntityLoader old = xmlGetExternalEntityLoader();
    xmlSetExternalEntityLoader(counting_loader);
    external_loads = 0;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    loaded l;
    load_as(&l, "billion-laughs.xml", "billion-laughs.xml");
    ck_assert_int_eq(l.st, SL_EINPUT);
    ck_assert_ptr_nonnull(strstr(l.diag.message, "entities"));
    ck_assert_msg(seconds_since(&t0) < 1.0, "took %.2f s", seconds_since(&t0));
    ck_assert_int_eq(external_loads, 0);
    unload(&l);
    xmlSetExternalEntityLoader(old);
}
END_TEST

/* Reads every field of every document into one string. */
static char *all_text(const loaded *l)
{
    size_t cap = 1, n = 0;
    for (size_t i = 0; i < l->docs.ndocs; i++) {
        const sl_document *d = &l->docs.docs[i];
        cap += d->title.len + d->body.len + d->code.len + d->raw.len + d->page.len + 8;
        for (size_t k = 0; k < d->nmeta; k++)
            cap += d->meta[k].value.len + 1;
    }
    char *s = calloc(cap, 1);
    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < l->docs.ndocs; i++) {
        const sl_document *d = &l->docs.docs[i];
        const sl_field *fs[] = {&d->title, &d->body, &d->code, &d->raw, &d->page};
        for (size_t k = 0; k < 5; k++) {
            memcpy(s + n, text(fs[k]), fs[k]->len);
            n += fs[k]->len;
        }
        for (size_t k = 0; k < d->nmeta; k++) {
            memcpy(s + n, text(&d->meta[k].value), d->meta[k].value.len);
            n += d->meta[k].value.len;
        }
    }
    return s;
}

START_TEST(external_entities_never_read)
{
    xmlExternalEntityLoader old = xmlGetExternalEntityLoader();
    xmlSetExternalEntityLoader(counting_loader);
    external_loads = 0;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    loaded l;
    /* The path names the fixture directory, where xxe-secret.txt is. */
    char path[512];
    snprintf(path, sizeof path, "%s/feeds/xxe.xml", SL_TEST_FIXTURES);
    load_as(&l, "xxe.xml", path);
    ck_assert_int_eq(l.st, SL_EINPUT);
    ck_assert_ptr_null(strstr(l.diag.message, "TOP-SECRET"));
    ck_assert_msg(seconds_since(&t0) < 1.0, "took %.2f s", seconds_since(&t0));
    unload(&l);

    /* An external DTD (no entity declared in the file) is allowed, and
     * never loaded: nothing it declares shows up. */
    snprintf(path, sizeof path, "%s/feeds/external-dtd.xml", SL_TEST_FIXTURES);
    load_as(&l, "external-dtd.xml", path);
    ck_assert_int_eq(l.st, SL_OK);
    ck_assert_uint_eq(l.docs.ndocs, 1);
    char *all = all_text(&l);
    ck_assert_ptr_null(strstr(all, "TOP-SECRET"));
    ck_assert_ptr_nonnull(strstr(all, "Body & text."));
    free(all);
    ck_assert_int_eq(external_loads, 0);
    unload(&l);
    xmlSetExternalEntityLoader(old);
}
END_TEST

/* --------------------------------------------------------- broken, streams */

static void load_str(loaded *l, const char *path, const char *s)
{
    memset(l, 0, sizeof *l);
    l->st = sl_input_load(path, s, strlen(s), SL_INPUT_AUTO, &l->src, &l->docs, &l->diag);
}

START_TEST(malformed_keeps_parsed_items)
{
    loaded l;
    load(&l, "malformed.xml");
    ck_assert_uint_eq(l.docs.ndocs, 3);
    ck_assert_str_eq(l.docs.docs[0].id, "malformed.xml#ok-1");
    ck_assert_str_eq(l.docs.docs[1].id, "malformed.xml#ok-2");
    const sl_document *e = &l.docs.docs[2];
    ck_assert_str_eq(e->id, "malformed.xml#parse-error");
    ck_assert_ptr_nonnull(e->error);
    ck_assert_ptr_nonnull(strstr(e->error, "line 5"));
    ck_assert_ptr_nonnull(strstr(e->error, "2 items read before it"));
    unload(&l);

    /* Broken before any item: the whole file is unreadable. */
    memset(&l, 0, sizeof l);
    const char *bad = "<rss><channel><title>x</chanel></rss>";
    l.st = sl_input_load("b.xml", bad, strlen(bad), SL_INPUT_AUTO, &l.src, &l.docs, &l.diag);
    ck_assert_int_eq(l.st, SL_EINPUT);
    ck_assert_ptr_nonnull(strstr(l.diag.message, "malformed XML at line 1"));
    unload(&l);

    /* A feed cut off, and a CDATA section never closed: libxml2 says
     * "Extra content at the end of the document" for both; the reason is
     * given instead, with the place. */
    const char *cut = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>t</title>\n"
                      "<item><guid>a</guid><title>a</title></item>\n"
                      "<item><guid>b</guid><title>b</title><description>Cut mid-sen";
    load_str(&l, "cut.xml", cut);
    ck_assert_int_eq(l.st, SL_OK);
    ck_assert_uint_eq(l.docs.ndocs, 2);
    ck_assert_str_eq(l.docs.docs[1].error,
                     "malformed XML at line 4, column 61: the feed ends before its elements "
                     "close (cut off?) (1 item read before it)");
    unload(&l);
    const char *open_cdata = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>\n"
                             "<item><guid>a</guid><description><![CDATA[<p>never closed</p>"
                             "</description></item></channel></rss>\n";
    load_str(&l, "cdata.xml", open_cdata);
    ck_assert_int_eq(l.st, SL_EINPUT);
    ck_assert_ptr_nonnull(strstr(l.diag.message, "a CDATA section that never closes"));
    ck_assert_ptr_nonnull(strstr(l.diag.message, "line 3"));
    unload(&l);
}
END_TEST

/* A feed that ends inside its elements is named cut off wherever the
 * reader's place lands: libxml2's column counts characters, not bytes (an
 * em dash on the line), and the reader holds back the text it has not
 * seen the end of ("a &lt;b" stops before the "b"). Its words, "Extra
 * content at the end of the document", are right only for bytes after the
 * root element, and kept there. The place is where the feed ends. */
START_TEST(cut_off_named_as_such)
{
    loaded l;
    const char *nitf = "<?xml version=\"1.0\"?>\n<nitf><head><title>T</title></head><body>"
                       "<body.content><p>HAYWARD (AP) \xE2\x80\x94 A fire.</p><p>Crews fought the";
    load_str(&l, "c.nitf", nitf);
    ck_assert_int_eq(l.st, SL_EINPUT);
    ck_assert_str_eq(l.diag.message, "malformed XML at line 2, column 104: the feed ends before "
                                     "its elements close (cut off?) (0 items read before it)");
    unload(&l);

    const char *held = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>t</title>\n"
                       "<item><guid>a</guid><title>a</title></item>\n"
                       "<item><guid>b</guid><description>a &lt;b";
    load_str(&l, "held.rss", held);
    ck_assert_int_eq(l.st, SL_OK);
    ck_assert_uint_eq(l.docs.ndocs, 2);
    ck_assert_str_eq(l.docs.docs[1].error,
                     "malformed XML at line 4, column 41: the feed ends before its elements "
                     "close (cut off?) (1 item read before it)");
    unload(&l);

    /* A CDATA section never closed, after wide characters on its line:
     * found where libxml2's column, in characters, places it. */
    const char *cdata = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>\n"
                        "<item><guid>a</guid><title>\xE2\x80\x94\xE2\x80\x94\xE2\x80\x94"
                        "\xE2\x80\x94\xE2\x80\x94\xE2\x80\x94</title><description><![CDATA[<p>x"
                        "</p></description></item></channel></rss>\n";
    load_str(&l, "cdata.rss", cdata);
    ck_assert_int_eq(l.st, SL_EINPUT);
    ck_assert_str_eq(l.diag.message, "malformed XML at line 3, column 64: a CDATA section that "
                                     "never closes (no \"]]>\") (0 items read before it)");
    unload(&l);

    /* Content after the root element closed: libxml2's words stand. */
    const char *after = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>t</title>\n"
                        "<item><guid>a</guid><title>a</title></item></channel></rss>\n"
                        "<p>Warning: cache miss";
    load_str(&l, "after.rss", after);
    ck_assert_int_eq(l.st, SL_OK);
    ck_assert_uint_eq(l.docs.ndocs, 2);
    ck_assert_str_eq(l.docs.docs[1].error,
                     "malformed XML at line 4, column 1: Extra content at the end of the "
                     "document (1 item read before it)");
    unload(&l);
}
END_TEST

/* After a reference the reader cannot read past, the items are parsed one
 * by one inside a wrapper element of the loader's. Its name, its place and
 * its attributes never reach a message: an item cut off at the end of the
 * feed is named cut off, at the feed's end, as the reader names it; a
 * break inside an item is placed at its line and column (in characters);
 * and a prefix the rss element and the channel both declare is declared
 * once on the wrapper, which would be refused otherwise. */
START_TEST(salvage_speaks_in_feed_terms)
{
    loaded l;
    const char *cut = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>t</title>\n"
                      "<item><guid>a</guid><title>One</title></item>\n"
                      "<item><guid>b</guid><title>AT&T results</title><description>AT&T said";
    load_str(&l, "cut.rss", cut);
    ck_assert_int_eq(l.st, SL_OK);
    ck_assert_uint_eq(l.docs.ndocs, 2);
    ck_assert_str_eq(l.docs.docs[1].error,
                     "malformed XML at line 4, column 70: the feed ends before its elements "
                     "close (cut off?) (1 item read before it)");
    unload(&l);

    /* A break placed as the reader places it (the same feed without the
     * reference), wide characters before it in the item and on its line. */
    char mismatch[] =
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>t&nbsp;</title>\n"
        "<item><guid>a</guid><title>Caf\xC3\xA9</title></item>"
        "<item><guid>b</guid><title>Tw\xC3\xB6</title><description>\xC3\xA9\xC3\xA9 x"
        "</titel></item>\n<item><guid>c</guid><title>Three</title></item></channel></rss>\n";
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1)
            memcpy(strstr(mismatch, "&nbsp;"), "      ", 6);
        load_str(&l, "mm.rss", mismatch);
        ck_assert_int_eq(l.st, SL_OK);
        ck_assert_uint_eq(l.docs.ndocs, 2);
        ck_assert_str_eq(l.docs.docs[1].error,
                         "malformed XML at line 3, column 110: Opening and ending tag mismatch: "
                         "description line 3 and titel (1 item read before it)");
        unload(&l);
    }

    const char *ns =
        "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
        "<channel xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><title>t&nbsp;</title>\n"
        "<item><guid>a</guid><title>One</title><dc:creator>Desk</dc:creator></item>\n"
        "<item><guid>b</guid><title>Two</title></item></channel></rss>\n";
    load_str(&l, "ns.rss", ns);
    ck_assert_msg(l.st == SL_OK, "%s", l.diag.message);
    ck_assert_uint_eq(l.docs.ndocs, 2);
    ck_assert_ptr_null(l.docs.docs[1].error);
    ck_assert_str_eq(meta(doc(&l, "ns.rss#a"), "creator"), "Desk");
    unload(&l);
}
END_TEST

/* Loads the feed in string s as `path`. */
START_TEST(html_references_read_past)
{
    /* HTML's named entities, never declared, and ampersands that start no
     * reference: feeds made from HTML templates carry them, and every feed
     * reader reads past them. So does the loader, in the channel, in items,
     * in attributes, and after the reader stopped at one. */
    const char *rss =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<rss version=\"2.0\"><channel><title>Example&nbsp;News</title>\n"
        "<copyright>&copy; 2026 Example&rsquo;s Media</copyright>\n"
        "<item><title>Markets&nbsp;rally on AT&T deal</title>"
        "<link>https://example.com/a?x=1&y=2</link><guid>a1</guid>"
        "<description>Q & A: shares rose. {{free_limit}} left.</description></item>\n"
        "<item><title>Second</title><guid>b1</guid><description>Plain.</description></item>\n"
        "</channel></rss>\n";
    loaded l;
    load_str(&l, "h.xml", rss);
    ck_assert_msg(l.st == SL_OK, "%s", l.diag.message);
    ck_assert_uint_eq(l.docs.ndocs, 2);
    const sl_document *a = doc(&l, "h.xml#a1"), *b = doc(&l, "h.xml#b1");
    ck_assert_ptr_null(a->error);
    ck_assert_ptr_null(b->error);
    ck_assert_str_eq(text(&a->title), "Markets\xC2\xA0rally on AT&T deal");
    ck_assert_ptr_nonnull(strstr(text(&a->body), "Q & A: shares rose."));
    maps_to(&l, &a->body, "{{free_limit}}", "{{free_limit}}");
    maps_to(&l, &a->title, "AT&T", "AT&T");
    ck_assert_str_eq(meta(a, "url"), "https://example.com/a?x=1&y=2");
    /* Feed-level credit read after the reader stopped, inherited by both. */
    ck_assert_str_eq(meta(a, "rights"), "\xC2\xA9 2026 Example\xE2\x80\x99s Media");
    ck_assert_str_eq(meta(b, "rights"), "\xC2\xA9 2026 Example\xE2\x80\x99s Media");
    unload(&l);

    /* Atom: the feed's author comes after the entry that stopped the
     * reader, and the entry after it inherits it. */
    const char *atom =
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title><id>urn:f</id>\n"
        "<entry><id>urn:1</id><title>It&rsquo;s here</title>"
        "<content type=\"text\">One.</content></entry>\n"
        "<author><name>Desk&nbsp;Editor</name></author>\n"
        "<entry><id>urn:2</id><title>Two</title><content type=\"text\">Two.</content></entry>\n"
        "</feed>\n";
    load_str(&l, "h.atom", atom);
    ck_assert_msg(l.st == SL_OK, "%s", l.diag.message);
    ck_assert_uint_eq(l.docs.ndocs, 2);
    ck_assert_str_eq(text(&doc(&l, "h.atom#urn:1")->title), "It\xE2\x80\x99s here");
    ck_assert_str_eq(meta(doc(&l, "h.atom#urn:2"), "author"), "Desk\xC2\xA0"
                                                              "Editor");
    maps_to(&l, meta_field(doc(&l, "h.atom#urn:2"), "author"), "Editor", "Editor");
    unload(&l);

    /* A control character pasted from a word processor, in a title and in
     * a description: read past (normalization drops it), and the items
     * after it read. */
    const char *ctl = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>c</title>\n"
                      "<item><guid>a</guid><title>Pasted\x0b from Word</title>"
                      "<description>ok\x1f here</description></item>\n"
                      "<item><guid>b</guid><title>b</title>"
                      "<description>You have {{free_limit}} left.</description></item>\n"
                      "</channel></rss>\n";
    load_str(&l, "c.xml", ctl);
    ck_assert_msg(l.st == SL_OK, "%s", l.diag.message);
    ck_assert_uint_eq(l.docs.ndocs, 2);
    ck_assert_ptr_null(doc(&l, "c.xml#a")->error);
    ck_assert_ptr_nonnull(strstr(text(&doc(&l, "c.xml#a")->title), "from Word"));
    ck_assert_ptr_nonnull(strstr(text(&doc(&l, "c.xml#a")->body), "here"));
    maps_to(&l, &doc(&l, "c.xml#b")->body, "{{free_limit}}", "{{free_limit}}");
    unload(&l);

    /* NITF: the story is the root. */
    const char *nitf = "<nitf><head><title>Head&nbsp;line</title></head><body><body.head>"
                       "<hedline><hl1>Head&nbsp;line</hl1></hedline></body.head>"
                       "<body.content><p>Text &mdash; more.</p></body.content></body></nitf>\n";
    load_str(&l, "h.nitf.xml", nitf);
    ck_assert_msg(l.st == SL_OK, "%s", l.diag.message);
    ck_assert_uint_eq(l.docs.ndocs, 1);
    ck_assert_ptr_null(l.docs.docs[0].error);
    ck_assert_str_eq(text(&l.docs.docs[0].title), "Head\xC2\xA0line");
    ck_assert_ptr_nonnull(strstr(text(&l.docs.docs[0].body), "Text \xE2\x80\x94 more."));
    unload(&l);
}
END_TEST

/* ninjs associations: the captions under a story's photos are metadata
 * (1.x an object of objects, 2.x an array); their credits are not. */
START_TEST(ninjs_association_captions)
{
    loaded l;
    load_str(&l, "a.json",
             "{\"uri\":\"u1\",\"type\":\"composite\",\"headline\":\"H\",\"body_text\":\"Text.\","
             "\"associations\":{\"featureimage\":{\"uri\":\"i1\",\"description_text\":"
             "\"Photo: {{caption}}\",\"byline\":\"AFP\"}}}\n");
    ck_assert_msg(l.st == SL_OK, "%s", l.diag.message);
    const sl_document *d = &l.docs.docs[0];
    ck_assert_str_eq(meta(d, "caption"), "Photo: {{caption}}");
    maps_to(&l, meta_field(d, "caption"), "{{caption}}", "{{caption}}\"");
    for (size_t i = 0; i < d->nmeta; i++)
        ck_assert_str_ne(text(&d->meta[i].value), "AFP");
    unload(&l);
    load_str(&l, "b.json",
             "{\"uri\":\"u2\",\"headline\":\"H\",\"body_text\":\"Text.\",\"associations\":"
             "[{\"name\":\"img\",\"headline\":\"Rescue at dawn\"},\"x\"]}\n");
    ck_assert_msg(l.st == SL_OK, "%s", l.diag.message);
    ck_assert_str_eq(meta(&l.docs.docs[0], "caption"), "Rescue at dawn");
    unload(&l);
}
END_TEST

/* A file named as a feed that holds something else (an error page, an
 * API error, another XML format) is said to be so, not read as what it
 * holds and passed; a feed with output printed ahead of it is read as the
 * feed, and the error names where the output makes it unreadable. */
START_TEST(not_a_feed)
{
    static const struct {
        const char *path, *data, *what;
    } bad[] = {
        {"s3.xml", "<?xml version=\"1.0\"?>\n<Error><Code>AccessDenied</Code></Error>\n",
         "XML whose root element is <Error>"},
        {"p.rss",
         "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>x</body></html>",
         "an HTML page titled \"502 Bad Gateway\""},
        {"api.json", "{\"error\": {\"code\": 429, \"message\": \"Rate limit\"}}\n",
         "JSON that reports an error"},
        {"page.json", "<html><body>Bad gateway</body></html>", "an HTML page"},
        {"f.atom", "Service unavailable\n", "no feed"},
        {"g.rss", "{\"id\": 1}", "JSON with no items"},
    };
    char why[400];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t n = strlen(bad[i].data);
        sl_input_type t = sl_input_detect(bad[i].path, bad[i].data, n);
        ck_assert_msg(sl_input_not_a_feed(bad[i].path, bad[i].data, n, t, why, sizeof why), "%s",
                      bad[i].path);
        ck_assert_msg(strstr(why, bad[i].what) != NULL, "%s: %s", bad[i].path, why);
        loaded l;
        load_str(&l, bad[i].path, bad[i].data);
        ck_assert_int_eq(l.st, SL_EINPUT);
        ck_assert_ptr_nonnull(strstr(l.diag.message, bad[i].what));
        unload(&l);
    }
    /* What its name does not promise as a feed is read as it is. */
    const char *page = "<!DOCTYPE html><html><body><p>Text.</p></body></html>";
    ck_assert(!sl_input_not_a_feed("a.html", page, strlen(page), SL_INPUT_HTML, why, sizeof why));
    ck_assert(!sl_input_not_a_feed("a.txt", page, strlen(page), SL_INPUT_HTML, why, sizeof why));
    ck_assert(!sl_input_not_a_feed("-", page, strlen(page), SL_INPUT_HTML, why, sizeof why));
    /* A .xml or .json file may be any data: a manifest or a sitemap is read
     * as text, as before. */
    const char *manifest = "{\"files\": 16, \"errors_planted\": {\"a\": 1}}";
    ck_assert(!sl_input_not_a_feed("manifest.json", manifest, strlen(manifest),
                                   sl_input_detect("manifest.json", manifest, strlen(manifest)),
                                   why, sizeof why));
    const char *nested = "{\"data\": {\"error\": null}}";
    ck_assert(
        !sl_input_not_a_feed("n.json", nested, strlen(nested), SL_INPUT_TEXT, why, sizeof why));
    const char *sitemap = "<?xml version=\"1.0\"?><urlset><url><loc>x</loc></url></urlset>";
    ck_assert(!sl_input_not_a_feed("sitemap.xml", sitemap, strlen(sitemap), SL_INPUT_TEXT, why,
                                   sizeof why));

    const char *php = "<br />\n<b>Warning</b>:  Cannot modify header information in "
                      "<b>feed-rss2.php</b><br />\n<?xml version=\"1.0\"?>\n<rss version=\"2.0\">"
                      "<channel><title>t</title><item><guid>a</guid><title>A</title>"
                      "<description>Text.</description></item></channel></rss>\n";
    ck_assert_int_eq(sl_input_detect("feed.xml", php, strlen(php)), SL_INPUT_RSS);
    loaded l;
    load_str(&l, "feed.xml", php);
    ck_assert_int_eq(l.st, SL_EINPUT);
    ck_assert_msg(strstr(l.diag.message, "line 3, column 1: the XML declaration comes after "
                                         "other output") != NULL,
                  "%s", l.diag.message);
    unload(&l);
}
END_TEST

START_TEST(nitf_blocks)
{
    loaded l;
    /* NITF's own blocks break the text: a photo's caption and its credit,
     * a subhead, a quote and its credit do not run together. */
    load_str(&l, "m.nitf.xml",
             "<nitf><body><body.content><p>Para.</p><hl2>Subhead</hl2><media media-type=\"image\">"
             "<media-reference source=\"x.jpg\"/><media-caption>Rescuers at the site."
             "</media-caption><media-producer>REUTERS/Stringer</media-producer></media>"
             "<bq><block><p>We will rebuild.</p></block><credit>The mayor</credit></bq><fn>Note"
             "</fn></body.content></body></nitf>\n");
    ck_assert_msg(l.st == SL_OK, "%s", l.diag.message);
    ck_assert_str_eq(text(&l.docs.docs[0].body), "Para.\nSubhead\nRescuers at the site.\n"
                                                 "REUTERS/Stringer\nWe will rebuild.\nThe mayor\n"
                                                 "Note\n");
    maps_to(&l, &l.docs.docs[0].body, "REUTERS/Stringer", "REUTERS/Stringer</media-producer>");
    unload(&l);

    /* A metadata value made of elements keeps its parts apart: "By JANE
     * DOE, AP Economics Writer" credits AP where "DOEAP" did not. */
    load_str(&l, "b.nitf.xml",
             "<nitf><body><body.head><byline>By JANE DOE<byttl>AP Economics Writer</byttl>"
             "</byline><dateline><location>HAYWARD</location>, <story.date>March 5"
             "</story.date></dateline><distributor><org>AP</org></distributor></body.head>"
             "<body.content><p>Text.</p></body.content></body></nitf>\n");
    ck_assert_msg(l.st == SL_OK, "%s", l.diag.message);
    const sl_document *d = &l.docs.docs[0];
    ck_assert_str_eq(meta(d, "byline"), "By JANE DOE, AP Economics Writer");
    ck_assert_str_eq(meta(d, "dateline"), "HAYWARD, March 5");
    ck_assert_str_eq(meta(d, "distributor"), "AP");
    maps_to(&l, meta_field(d, "byline"), "AP Econ", "AP Economics Writer</byttl>");
    unload(&l);
}
END_TEST

/* What a reader sees above the story besides its headline: NITF's
 * sub-headlines (hl2) and abstract, NewsML-G2's other headlines. A meter
 * or a placeholder leaks there as in the text, so each is metadata (the
 * abstract named as an Atom summary is, for the rules that read a feed
 * item's teaser), mapped to the feed's bytes. */
START_TEST(nitf_g2_teasers_and_subheadlines)
{
    loaded l;
    load_str(&l, "s.nitf",
             "<nitf><head><title>Zoo</title></head><body><body.head><hedline>\n"
             "<hl1>Zoo news</hl1><hl2>{{subheadline}}</hl2><hl2>Second deck</hl2></hedline>\n"
             "<byline>By Tom</byline><abstract><p>You&#8217;ve reached your limit.</p>"
             "<p>Of 3 free articles.</p></abstract></body.head>\n"
             "<body.content><p>Text.</p><hl2>A subhead</hl2></body.content></body></nitf>\n");
    ck_assert_msg(l.st == SL_OK, "%s", l.diag.message);
    const sl_document *d = &l.docs.docs[0];
    ck_assert_str_eq(text(&d->title), "Zoo news");
    /* body.content's hl2 is the text's subhead, read with the body. */
    ck_assert_str_eq(metas(d, "subheadline"), "{{subheadline}} | Second deck");
    /* Its paragraphs as HTML's: apart, without a credit's comma. */
    ck_assert_str_eq(meta(d, "summary"),
                     "You\xE2\x80\x99ve reached your limit.\nOf 3 free articles.");
    ck_assert_ptr_nonnull(strstr(text(&d->body), "A subhead"));
    maps_to(&l, meta_field(d, "subheadline"), "{{sub", "{{subheadline}}</hl2>");
    maps_to(&l, meta_field(d, "summary"), "Of 3 free", "Of 3 free articles.</p>");
    maps_to(&l, meta_field(d, "summary"), "ve reached", "ve reached");
    unload(&l);

    /* G2: the main headline is the title wherever it stands, the others
     * are sub-headlines. */
    load_str(&l, "s.xml",
             "<newsItem xmlns=\"http://iptc.org/std/nar/2006-10-01/\" guid=\"urn:t4\">"
             "<contentMeta><headline role=\"hld:subHeadline\">{{subhead}}</headline>\n"
             "<headline role=\"hld:main\">Port strike ends</headline>"
             "<headline role=\"hld:kicker\">Docks</headline></contentMeta><contentSet>"
             "<inlineData contenttype=\"text/plain\">Dockworkers returned.</inlineData>"
             "</contentSet></newsItem>\n");
    ck_assert_msg(l.st == SL_OK, "%s", l.diag.message);
    d = &l.docs.docs[0];
    ck_assert_str_eq(text(&d->title), "Port strike ends");
    ck_assert_str_eq(metas(d, "subheadline"), "{{subhead}} | Docks");
    maps_to(&l, meta_field(d, "subheadline"), "{{subhead}}", "{{subhead}}</headline>");
    unload(&l);

    /* Headlines without roles: the first is the title, as before. */
    load_str(&l, "t.xml",
             "<newsItem xmlns=\"http://iptc.org/std/nar/2006-10-01/\" guid=\"urn:t5\">"
             "<contentMeta><headline>First</headline><headline>Second</headline></contentMeta>"
             "</newsItem>\n");
    ck_assert_msg(l.st == SL_OK, "%s", l.diag.message);
    ck_assert_str_eq(text(&l.docs.docs[0].title), "First");
    ck_assert_str_eq(metas(&l.docs.docs[0], "subheadline"), "Second");
    unload(&l);
}
END_TEST

/* What stands between and around the items is checked too: a doubled,
 * missing, leading or trailing comma is an error at its place, the items
 * before it stand, and none after it is silently dropped. */
START_TEST(json_structure_between_items)
{
    static const struct {
        const char *path, *json, *kept, *error;
    } cases[] = {
        {"d.json",
         "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[\n"
         "{\"id\":\"b1\",\"content_text\":\"A.\"},,{\"id\":\"b2\",\"content_text\":\"B.\"}]}\n",
         "d.json#b1", "line 2, column 33: unexpected ','"},
        {"m.json",
         "[{\"uri\":\"n1\",\"body_text\":\"A.\"}\n {\"uri\":\"n2\",\"body_text\":\"B.\"}]\n",
         "m.json#n1", "line 2, column 2: unexpected '{'"},
        {"t.json", "[{\"uri\":\"n1\",\"body_text\":\"A.\"},]\n", "t.json#n1",
         "line 1, column 32: unexpected ']'"},
        {"l.json",
         "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[,"
         "{\"id\":\"b1\",\"content_text\":\"A.\"}]}\n",
         NULL, "line 1, column 56: unexpected ','"},
        {"f.json",
         "{\"version\":\"https://jsonfeed.org/version/1.1\",,\"items\":["
         "{\"id\":\"b1\",\"content_text\":\"A.\"}]}\n",
         NULL, "line 1, column 47: unexpected ','"},
        {"k.json",
         "{\"version\":\"https://jsonfeed.org/version/1.1\" \"items\":["
         "{\"id\":\"b1\",\"content_text\":\"A.\"}]}\n",
         NULL, "line 1, column 47: unexpected '\"'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        loaded l;
        load_str(&l, cases[i].path, cases[i].json);
        if (!cases[i].kept) {
            ck_assert_int_eq(l.st, SL_EINPUT);
            ck_assert_msg(strstr(l.diag.message, cases[i].error) != NULL, "%s: %s", cases[i].path,
                          l.diag.message);
            unload(&l);
            continue;
        }
        ck_assert_msg(l.st == SL_OK, "%s", l.diag.message);
        ck_assert_uint_eq(l.docs.ndocs, 2);
        ck_assert_str_eq(l.docs.docs[0].id, cases[i].kept);
        ck_assert_ptr_null(l.docs.docs[0].error);
        ck_assert_ptr_nonnull(l.docs.docs[1].error);
        ck_assert_msg(strstr(l.docs.docs[1].error, cases[i].error) != NULL, "%s: %s", cases[i].path,
                      l.docs.docs[1].error);
        unload(&l);
    }
}
END_TEST

/* A JSON feed cut off in transfer keeps its whole items before the cut,
 * as an XML feed does; the cut is an ERROR document with its place, so
 * the file never passes. Cut before any whole item, or a single ninjs
 * object cut off, it is an error with nothing read. */
START_TEST(json_cut_off_keeps_whole_items)
{
    static const char *const jf = "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[\n"
                                  "{\"id\":\"c1\",\"content_text\":\"A.\"},\n"
                                  "{\"id\":\"c2\",\"content_text\":\"B.\"},\n"
                                  "{\"id\":\"c3\",\"content_text\":\"Cut mid-sen";
    static const struct {
        const char *path, *json;
        size_t kept;
        const char *error;
    } cases[] = {
        /* inside an item */
        {"a.json", jf, 2, "line 4, column "},
        /* between items, after a comma */
        {"b.json",
         "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[\n"
         "{\"id\":\"c1\",\"content_text\":\"A.\"},\n",
         1, "line 3, column 1: unexpected end of input"},
        /* the items array closed, the feed cut after it */
        {"c.json",
         "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[\n"
         "{\"id\":\"c1\",\"content_text\":\"A.\"}],\n\"home_page_url\":\"https://ex",
         1, "line 3, column 28: unterminated object"},
        /* a ninjs array */
        {"n.json",
         "[{\"uri\":\"n1\",\"body_text\":\"A.\"},\n {\"uri\":\"n2\",\"body_text\":\"B.\"},\n "
         "{\"uri\":",
         2, "line 3, column "},
        /* nothing whole before the cut */
        {"d.json", "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[{\"id\":\"c1\",",
         0, "line 1, column "},
        {"e.json", "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"T", 0,
         "line 1, column 57: unterminated object"},
        {"s.json", "{\"uri\":\"n1\",\"body_text\":\"A.\",\"headline\":\"Cut", 0,
         "line 1, column 45: unterminated object"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        loaded l;
        load_str(&l, cases[i].path, cases[i].json);
        if (!cases[i].kept) {
            ck_assert_msg(l.st == SL_EINPUT, "%s: status %d", cases[i].path, (int)l.st);
            ck_assert_msg(strstr(l.diag.message, cases[i].error) != NULL, "%s: %s", cases[i].path,
                          l.diag.message);
            unload(&l);
            continue;
        }
        ck_assert_msg(l.st == SL_OK, "%s: %s", cases[i].path, l.diag.message);
        ck_assert_uint_eq(l.docs.ndocs, cases[i].kept + 1);
        for (size_t k = 0; k < cases[i].kept; k++)
            ck_assert_ptr_null(l.docs.docs[k].error);
        const sl_document *e = &l.docs.docs[cases[i].kept];
        ck_assert_ptr_nonnull(e->error);
        ck_assert_msg(strstr(e->error, cases[i].error) != NULL, "%s: %s", cases[i].path, e->error);
        ck_assert_msg(strstr(e->error, cases[i].kept == 1 ? "(1 item read before it)"
                                                          : "(2 items read before it)") != NULL,
                      "%s: %s", cases[i].path, e->error);
        unload(&l);
    }
    /* The kept items are the whole ones, with their text. */
    loaded l;
    load_str(&l, "a.json", jf);
    ck_assert_str_eq(l.docs.docs[0].id, "a.json#c1");
    ck_assert_str_eq(l.docs.docs[1].id, "a.json#c2");
    ck_assert_str_eq(l.docs.docs[1].body.text, "B.");
    unload(&l);
}
END_TEST

START_TEST(other_errors_still_stop)
{
    /* A name no standard declares is not read past. */
    loaded l;
    load_str(&l, "u.xml",
             "<rss><channel><title>x</title>\n"
             "<item><title>One &bogus; two</title><guid>a</guid></item></channel></rss>");
    ck_assert_int_eq(l.st, SL_EINPUT);
    ck_assert_ptr_nonnull(strstr(l.diag.message, "line 2, column 25"));
    ck_assert_ptr_nonnull(strstr(l.diag.message, "'bogus'"));
    unload(&l);

    /* Nor is a '<' that starts no tag, though libxml2 gives it the code of
     * a reference without a name. */
    load_str(&l, "lt.xml",
             "<rss><channel><title>x</title>\n"
             "<item><title>a < b</title><guid>a</guid></item></channel></rss>");
    ck_assert_int_eq(l.st, SL_EINPUT);
    ck_assert_msg(strstr(l.diag.message, "line 2, column 17: StartTag: invalid element name"), "%s",
                  l.diag.message);
    unload(&l);

    /* Read past a reference, then broken further on, beyond the reader's
     * first chunk: the items before the break stand, and the break is
     * placed in the feed as the reader would place it. */
    enum { N = 40 };
    sl_buf feed = {0};
    ck_assert_int_eq(sl_buf_puts(&feed, "<rss version=\"2.0\"><channel><title>t</title>\n"), SL_OK);
    for (int i = 1; i <= N; i++) {
        char item[200];
        snprintf(item, sizeof item,
                 "<item><guid>g%d</guid><title>Item%s%d</title>"
                 "<description>Body %d.</description></item>\n",
                 i, i == 1 ? "&nbsp;" : " ", i, i);
        ck_assert_int_eq(sl_buf_puts(&feed, item), SL_OK);
    }
    ck_assert_int_eq(sl_buf_puts(&feed, "<item><guid>x</guid><title>Bad</titel></item>\n"), SL_OK);
    ck_assert_int_eq(sl_buf_puts(&feed, "<item><guid>y</guid><title>Later</title></item>\n"),
                     SL_OK);
    ck_assert_int_eq(sl_buf_puts(&feed, "</channel></rss>\n"), SL_OK);
    ck_assert_int_eq(sl_buf_putc(&feed, '\0'), SL_OK);
    load_str(&l, "late.xml", feed.data);
    ck_assert_msg(l.st == SL_OK, "%s", l.diag.message);
    ck_assert_uint_eq(l.docs.ndocs, N + 1);
    ck_assert_str_eq(text(&doc(&l, "late.xml#g1")->title), "Item\xC2\xA0"
                                                           "1");
    ck_assert_str_eq(text(&doc(&l, "late.xml#g40")->title), "Item 40");
    /* The same feed without the reference: the reader itself stops at
     * the break. Both place it alike, the open tag's line included, and
     * keep every item before it (the one the reader was expanding when it
     * stopped too). */
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            unload(&l);
            memcpy(strstr(feed.data, "&nbsp;"), "      ", 6);
            load_str(&l, "late.xml", feed.data);
            ck_assert_msg(l.st == SL_OK, "%s", l.diag.message);
            ck_assert_uint_eq(l.docs.ndocs, N + 1);
        }
        for (int i = 1; i <= N; i++) {
            char id[32];
            snprintf(id, sizeof id, "late.xml#g%d", i);
            ck_assert_ptr_null(doc(&l, id)->error);
        }
        const sl_document *e = &l.docs.docs[N];
        ck_assert_str_eq(e->id, "late.xml#parse-error");
        ck_assert_msg(strstr(e->error, "line 42, column 39: Opening and ending tag mismatch: "
                                       "title line 42 and titel (40 items read before it)") != NULL,
                      "%s", e->error);
    }
    unload(&l);
    sl_buf_free(&feed);
}
END_TEST

typedef struct counter {
    size_t n;
    char first[64], last[64];
} counter;

static sl_status count_doc(void *user, const sl_source *src, sl_document *d)
{
    counter *c = user;
    (void)src;
    if (c->n++ == 0)
        snprintf(c->first, sizeof c->first, "%s", d->id);
    snprintf(c->last, sizeof c->last, "%s", d->id);
    return SL_OK;
}

START_TEST(items_stream_one_at_a_time)
{
    enum { N = 3000 };
    size_t cap = (size_t)N * 160 + 256, len = 0;
    char *feed = malloc(cap);
    ck_assert_ptr_nonnull(feed);
    len +=
        (size_t)snprintf(feed + len, cap - len, "<rss version=\"2.0\"><channel><title>t</title>\n");
    for (int i = 1; i <= N; i++)
        len += (size_t)snprintf(feed + len, cap - len,
                                "<item><guid>g%d</guid><title>Item %d</title>"
                                "<description>&lt;p&gt;Body %d&lt;/p&gt;</description></item>\n",
                                i, i, i);
    len += (size_t)snprintf(feed + len, cap - len, "</channel></rss>\n");
    sl_source src;
    sl_diag diag = {{0}};
    counter c = {0};
    char note[256];
    ck_assert_int_eq(sl_input_load_each("big.xml", feed, len, SL_INPUT_AUTO, &src, count_doc, &c,
                                        note, sizeof note, &diag),
                     SL_OK);
    ck_assert_uint_eq(c.n, N);
    ck_assert_str_eq(c.first, "big.xml#g1");
    ck_assert_str_eq(c.last, "big.xml#g3000");
    ck_assert_str_eq(note, "");
    sl_source_clear(&src);
    free(feed);
}
END_TEST

/* ------------------------------------------ streamed sources, mapped files */

/* Under a sanitizer, whose shadow memory is not the loader's. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SL_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SL_TEST_ASAN 1
#endif
#endif

static unsigned long rng_next(unsigned long *x)
{
    *x = *x * 6364136223846793005UL + 1442695040888963407UL;
    return *x >> 33;
}

/* Bytes that exercise every way of counting: "\n", "\r\n", lone "\r",
 * two- to four-byte characters, and ill-formed UTF-8 (a stray byte, a
 * truncated sequence, an encoded surrogate). */
static char *tricky_text(size_t n, unsigned long seed)
{
    static const char *const parts[] = {"a",    "word ",    "\n",           "\r\n",
                                        "\r",   "\xC3\xA9", "\xE6\x97\xA5", "\xF0\x9F\x98\x80",
                                        "\xFF", "\xC3",     "\xE2\x80",     "\xED\xA0\x80",
                                        "  ",   "<p>",      "\n\n"};
    char *s = malloc(n + 8);
    ck_assert_ptr_nonnull(s);
    size_t len = 0;
    while (len < n) {
        const char *p = parts[rng_next(&seed) % (sizeof parts / sizeof parts[0])];
        size_t k = strlen(p);
        if (len + k > n)
            break;
        memcpy(s + len, p, k);
        len += k;
    }
    memset(s + len, 'z', n - len);
    s[n] = '\0';
    return s;
}

static void same_position(const sl_source *a, const sl_source *b, size_t off)
{
    unsigned la, ca, lb, cb;
    sl_source_position(a, off, &la, &ca);
    sl_source_position(b, off, &lb, &cb);
    ck_assert_msg(la == lb && ca == cb, "offset %zu: indexed %u:%u, streamed %u:%u", off, la, ca,
                  lb, cb);
}

START_TEST(streamed_positions_match_index)
{
    enum { N = 300000 };
    char *text = tricky_text(N, 7);
    char *copy = malloc(N + 1);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, text, N + 1);
    sl_source ix, st;
    ck_assert_int_eq(sl_source_init(&ix, "t", copy, N), SL_OK);
    ck_assert_int_eq(sl_source_init_with(&st, "t", text, N, SL_SOURCE_BORROWED | SL_SOURCE_STREAM),
                     SL_OK);
    ck_assert_ptr_null(st.lines);
    unsigned long seed = 11;
    /* Items of 1 to 3000 bytes in file order: positions in the item, just
     * past it, behind it (an inherited value), and far ahead. */
    for (size_t base = 0; base < N;) {
        sl_source_advance(&st, base);
        for (int k = 0; k < 20; k++)
            same_position(&ix, &st, base + rng_next(&seed) % 4000);
        same_position(&ix, &st, rng_next(&seed) % (base + 1));
        if (rng_next(&seed) % 50 == 0)
            same_position(&ix, &st, N - rng_next(&seed) % 100);
        base += 1 + rng_next(&seed) % 3000;
    }
    for (size_t off = N - 600; off <= N + 2; off++)
        same_position(&ix, &st, off);
    /* Line starts, for libxml2's error lines. */
    for (size_t line = 1; line <= ix.nlines; line += 1 + line / 3) {
        size_t a = 0, b = 0;
        ck_assert(sl_source_line_start(&ix, line, &a));
        ck_assert_msg(sl_source_line_start(&st, line, &b), "line %zu", line);
        ck_assert_uint_eq(a, b);
    }
    size_t dummy;
    ck_assert(!sl_source_line_start(&st, ix.nlines + 1, &dummy));
    ck_assert(!sl_source_line_start(&st, 0, &dummy));
    sl_source_clear(&ix);
    sl_source_clear(&st);
    free(text);
}
END_TEST

/* A temporary file holding s[0, n); the caller unlinks it. */
static void write_temp(char *path, size_t cap, const char *s, size_t n)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, cap, "%s/sl-feed-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(s, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
}

/* Each document as one line: id, title, and where its title, body and
 * page start and end in the feed. */
static sl_status describe_doc(void *user, const sl_source *src, sl_document *d)
{
    sl_buf *b = user;
    const sl_field *f[] = {&d->title, &d->body, &d->page};
    sl_status st = sl_buf_printf(b, "%s|%s", d->id, d->title.text ? d->title.text : "");
    for (size_t i = 0; st == SL_OK && i < 3; i++) {
        if (!f[i]->len)
            continue;
        unsigned l0, c0, l1, c1;
        sl_source_position(src, sl_field_offset(f[i], 0), &l0, &c0);
        sl_source_position(src, sl_field_offset(f[i], f[i]->len - 1), &l1, &c1);
        st = sl_buf_printf(b, "|%u:%u-%u:%u", l0, c0, l1, c1);
    }
    return st == SL_OK ? sl_buf_putc(b, '\n') : st;
}

/* Loads s[0, n) both ways, read into memory and mapped from a file, and
 * checks they give the same documents at the same places; s is large
 * enough to be mapped (files under 64 KiB are read). */
static void same_both_ways(const char *name, const char *s, size_t n, size_t want_docs)
{
    char path[512];
    write_temp(path, sizeof path, s, n);
    sl_buf a = SL_BUF_INIT, b = SL_BUF_INIT;
    sl_source src;
    sl_diag diag = {{0}};
    char note[600];
    ck_assert_int_eq(sl_input_load_each(name, s, n, SL_INPUT_AUTO, &src, describe_doc, &a, note,
                                        sizeof note, &diag),
                     SL_OK);
    sl_source_clear(&src);
    int fd = open(path, O_RDONLY);
    ck_assert_int_ge(fd, 0);
    sl_input_file f;
    int over = 0;
    ck_assert_int_eq(sl_input_file_read(fd, (size_t)1 << 30, &f, &over), SL_OK);
    close(fd);
    ck_assert_int_eq(over, 0);
    ck_assert_ptr_nonnull(f.map);
    ck_assert_uint_eq(f.len, n);
    ck_assert_int_eq(f.data[n], '\0');
    ck_assert_int_eq(sl_input_load_file(name, &f, SL_INPUT_AUTO, &src, describe_doc, &b, note,
                                        sizeof note, &diag),
                     SL_OK);
    sl_source_clear(&src);
    sl_input_file_close(&f);
    unlink(path);
    size_t lines = 0;
    for (size_t i = 0; i < a.len; i++)
        lines += a.data[i] == '\n';
    ck_assert_uint_eq(lines, want_docs);
    ck_assert_uint_eq(a.len, b.len);
    ck_assert_msg(memcmp(a.data, b.data, a.len) == 0, "%s: documents differ", name);
    sl_buf_free(&a);
    sl_buf_free(&b);
}

/* An RSS feed of n items, "\r\n" and lone "\r" among its line ends, non-
 * ASCII text, some items inheriting the channel's rights. */
static void rss_feed(sl_buf *b, int n, const char *junk)
{
    ck_assert_int_eq(sl_buf_puts(b, "<?xml version=\"1.0\"?>\r\n<rss version=\"2.0\" "
                                    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel>\r"
                                    "<copyright>\xC2\xA9 Caf\xC3\xA9 Wire</copyright>\n"),
                     SL_OK);
    for (int i = 0; i < n; i++)
        ck_assert_int_eq(
            sl_buf_printf(b,
                          "<item>%s<guid>g%d</guid><title>Caf\xC3\xA9 \xE6\x97\xA5 %d%s</title>\r\n"
                          "<dc:creator>PTI</dc:creator><description>&lt;p&gt;Body %d, "
                          "\xF0\x9F\x98\x80 {{free_limit}}&lt;/p&gt;</description></item>%s",
                          i % 3 ? "\n" : "", i, i, i == n / 2 ? junk : "", i, i % 2 ? "\r" : "\n"),
            SL_OK);
    ck_assert_int_eq(sl_buf_puts(b, "</channel></rss>\n"), SL_OK);
}

START_TEST(mapped_file_loads_as_read)
{
    long pg = sysconf(_SC_PAGESIZE);
    /* A feed larger than the release steps, UTF-8 already: borrowed. */
    sl_buf b = SL_BUF_INIT;
    rss_feed(&b, 6000, "");
    same_both_ways("big.rss", b.data, b.len, 6000);
    /* Exactly a whole number of pages: the NUL after it is the zero page. */
    b.len = 0;
    rss_feed(&b, 600, "");
    size_t target = ((b.len + (size_t)pg - 1) / (size_t)pg + 1) * (size_t)pg;
    while (b.len < target)
        ck_assert_int_eq(sl_buf_putc(&b, '\n'), SL_OK);
    ck_assert_uint_eq(b.len % (size_t)pg, 0);
    same_both_ways("pages.rss", b.data, b.len, 600);
    /* A byte that is no UTF-8: the whole file is converted, as before. */
    b.len = 0;
    rss_feed(&b, 2000, " \xFF\xC3 ");
    same_both_ways("junk.rss", b.data, b.len, 2000);
    /* JSON Lines, and a JSON Feed on one line. */
    b.len = 0;
    for (int i = 0; i < 4000; i++)
        ck_assert_int_eq(sl_buf_printf(&b,
                                       "{\"id\": \"j%d\", \"title\": \"T\\u00e9 %d\", \"body\": "
                                       "\"caf\xC3\xA9 {{x}}\", \"meta\": {\"creator\": \"PTI\"}}\n",
                                       i, i),
                         SL_OK);
    same_both_ways("lines.jsonl", b.data, b.len, 4000);
    b.len = 0;
    ck_assert_int_eq(sl_buf_puts(&b, "{\"version\": \"https://jsonfeed.org/version/1.1\", "
                                     "\"authors\": [{\"name\": \"PTI\"}], \"items\": ["),
                     SL_OK);
    for (int i = 0; i < 3000; i++)
        ck_assert_int_eq(sl_buf_printf(&b,
                                       "%s{\"id\": \"i%d\", \"content_html\": \"<p>\xC3\xA9 %d "
                                       "{{x}}</p>\"}",
                                       i ? ", " : "", i, i),
                         SL_OK);
    ck_assert_int_eq(sl_buf_puts(&b, "]}"), SL_OK);
    same_both_ways("feed.json", b.data, b.len, 3000);
    sl_buf_free(&b);
}
END_TEST

static sl_status drop_doc(void *user, const sl_source *src, sl_document *d)
{
    (void)src;
    (void)d;
    (*(size_t *)user)++;
    return SL_OK;
}

static long max_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* The loader over a 48 MB mapped feed of 2 KB items: its peak memory grows
 * by far less than the feed (a copy of the feed alone would be 48 MB). */
START_TEST(loader_memory_follows_the_item)
{
#ifdef SL_TEST_ASAN
    return; /* a sanitizer's shadow (ASan's quarantine) is not the loader's memory */
#endif
    const char *pre = getenv("LD_PRELOAD");
    if (pre && strstr(pre, "vgpreload"))
        return; /* valgrind: neither the time nor the measure */
    enum { ITEMS = 24000 };
    char path[512];
    const char *dir = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/sl-big-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *out = fdopen(fd, "wb");
    ck_assert_ptr_nonnull(out);
    char pad[1801];
    memset(pad, 'p', sizeof pad - 1);
    pad[sizeof pad - 1] = '\0';
    fputs("<rss version=\"2.0\"><channel><title>t</title>\n", out);
    for (int i = 0; i < ITEMS; i++)
        fprintf(out,
                "<item><guid>g%d</guid><title>Item %d</title><!-- %s -->\n"
                "<description>&lt;p&gt;Body %d&lt;/p&gt;</description></item>\n",
                i, i, pad, i);
    fputs("</channel></rss>\n", out);
    ck_assert_int_eq(fclose(out), 0);

    long before = max_rss_kb();
    fd = open(path, O_RDONLY);
    ck_assert_int_ge(fd, 0);
    sl_input_file f;
    int over = 0;
    ck_assert_int_eq(sl_input_file_read(fd, (size_t)1 << 30, &f, &over), SL_OK);
    close(fd);
    size_t feed_mb = f.len >> 20, n = 0;
    sl_source src;
    sl_diag diag = {{0}};
    char note[256];
    ck_assert_int_eq(sl_input_load_file("big.xml", &f, SL_INPUT_AUTO, &src, drop_doc, &n, note,
                                        sizeof note, &diag),
                     SL_OK);
    long grew_mb = (max_rss_kb() - before) / 1024;
    sl_source_clear(&src);
    sl_input_file_close(&f);
    unlink(path);
    ck_assert_uint_eq(n, ITEMS);
    ck_assert_uint_ge(feed_mb, 40);
    ck_assert_msg(grew_mb < 12, "loading a %zu MB feed grew the peak by %ld MB", feed_mb, grew_mb);
}
END_TEST

/* ---------------------------------------------- attribution with the packs */

static sl_file_result *scan_default(const char *name)
{
    sl_ruleset_options o = {0};
    o.data_dir = SL_SOURCE_ROOT "/rules";
    sl_ruleset *rs = NULL;
    sl_diag d = {{0}};
    ck_assert_msg(sl_ruleset_load(&o, &rs, &d) == SL_OK, "%s", d.message);
    sl_scanner *sc = NULL;
    ck_assert_int_eq(sl_scanner_new(rs, NULL, &sc), SL_OK);
    size_t len;
    char *data = slurp(name, &len);
    sl_file_result *r = NULL;
    ck_assert_int_eq(sl_scan_buffer(sc, name, data, len, &r), SL_OK);
    free(data);
    sl_scanner_free(sc);
    sl_ruleset_free(rs);
    return r;
}

static const sl_doc_result *result(const sl_file_result *r, const char *id)
{
    for (size_t i = 0; i < r->ndocs; i++)
        if (strcmp(r->docs[i].id, id) == 0)
            return &r->docs[i];
    ck_abort_msg("no result for %s", id);
    return NULL;
}

static int has_rule(const sl_doc_result *d, const char *rule)
{
    for (size_t i = 0; i < d->nfindings; i++)
        if (strcmp(d->findings[i].rule, rule) == 0)
            return 1;
    return 0;
}

START_TEST(attribution_by_metadata)
{
    sl_file_result *r = scan_default("rss2.xml");
    /* Credited to PTI only in dc:creator: passes. */
    const sl_doc_result *d = result(r, "rss2.xml#pti-2024-0001");
    ck_assert_int_eq(d->verdict, SL_PASS);
    ck_assert_uint_eq(d->nfindings, 0);
    /* A notice and no credit anywhere: fails attribution. */
    d = result(r, "rss2.xml#https://partner.example/markets");
    ck_assert_int_eq(d->verdict, SL_FAIL);
    ck_assert(has_rule(d, "attribution.notice-needs-credit"));
    /* The finding is placed in the feed file, at the notice that asked
     * for a credit. */
    for (size_t i = 0; i < d->nfindings; i++)
        if (strcmp(d->findings[i].rule, "attribution.notice-needs-credit") == 0)
            ck_assert_uint_eq(d->findings[i].line, 24);
    sl_file_result_free(r);

    r = scan_default("newsml-g2.xml");
    /* A NewsML-G2 creditline of Reuters: passes. */
    ck_assert_int_eq(result(r, "newsml-g2.xml#urn:newsml:reuters.com:20240304:nL1N1")->verdict,
                     SL_PASS);
    /* A third party's creditline is no agency credit. */
    d = result(r, "newsml-g2.xml#urn:newsml:example.com:20240304:opta");
    ck_assert_int_eq(d->verdict, SL_FAIL);
    ck_assert(has_rule(d, "attribution.notice-needs-credit"));
    sl_file_result_free(r);

    /* An NITF distributor credits the agency. */
    r = scan_default("nitf.xml");
    ck_assert_int_eq(r->docs[0].verdict, SL_PASS);
    sl_file_result_free(r);

    /* A broken feed is ERROR, its parsed items judged. */
    r = scan_default("malformed.xml");
    ck_assert_int_eq(r->verdict, SL_ERROR);
    ck_assert_ptr_nonnull(r->error);
    ck_assert_int_eq(result(r, "malformed.xml#ok-1")->verdict, SL_PASS);
    sl_file_result_free(r);
}
END_TEST

/* The packs read the new fields: a placeholder in a sub-headline (any
 * meta), a meter in an NITF abstract (the summary, with the other teaser
 * fields). */
START_TEST(teasers_and_subheadlines_checked)
{
    const char *nitf =
        "<nitf><head><title>Zoo</title><docdata><doc-id id-string=\"z1\"/></docdata></head>"
        "<body><body.head><hedline><hl1>Zoo welcomes twin red pandas</hl1>"
        "<hl2>{{subheadline}}</hl2></hedline><abstract><p>You&#8217;ve reached your limit of 3 "
        "free articles this month.</p></abstract></body.head><body.content><p>The city zoo "
        "welcomed twin red panda cubs on Monday.</p></body.content></body></nitf>\n";
    sl_ruleset_options o = {0};
    o.data_dir = SL_SOURCE_ROOT "/rules";
    sl_ruleset *rs = NULL;
    sl_diag dg = {{0}};
    ck_assert_msg(sl_ruleset_load(&o, &rs, &dg) == SL_OK, "%s", dg.message);
    sl_scanner *sc = NULL;
    ck_assert_int_eq(sl_scanner_new(rs, NULL, &sc), SL_OK);
    sl_file_result *r = NULL;
    ck_assert_int_eq(sl_scan_buffer(sc, "z.nitf", nitf, strlen(nitf), &r), SL_OK);
    const sl_doc_result *d = result(r, "z.nitf#z1");
    ck_assert(has_rule(d, "placeholder.mustache"));
    ck_assert(has_rule(d, "paywall.meter-message"));
    sl_file_result_free(r);
    sl_scanner_free(sc);
    sl_ruleset_free(rs);
}
END_TEST

START_TEST(repeated_guids_get_ids_of_their_own)
{
    /* A feed that repeats a guid: the later items get ~2, ~3..., in the
     * order they come; a guid that is itself "a~2" is only counted, and
     * hundreds of repeats (past the first table's size) keep every id
     * unique, with the same ids on a second scan. */
    sl_buf feed = {0};
    ck_assert_int_eq(sl_buf_puts(&feed, "<rss version=\"2.0\"><channel><title>t</title>"), SL_OK);
    const char *guids[] = {"a", "a", "a~2", "b", "a"};
    for (size_t i = 0; i < 5; i++)
        ck_assert_int_eq(sl_buf_printf(&feed,
                                       "<item><guid>%s</guid><title>T</title>"
                                       "<description>Text %zu.</description></item>",
                                       guids[i], i),
                         SL_OK);
    for (int i = 0; i < 300; i++)
        ck_assert_int_eq(sl_buf_printf(&feed,
                                       "<item><guid>g%d</guid><title>T</title>"
                                       "<description>Text.</description></item>",
                                       i % 100),
                         SL_OK);
    ck_assert_int_eq(sl_buf_puts(&feed, "</channel></rss>\n"), SL_OK);
    sl_ruleset_options o = {0};
    o.data_dir = SL_SOURCE_ROOT "/rules";
    sl_ruleset *rs = NULL;
    sl_diag d = {{0}};
    ck_assert_msg(sl_ruleset_load(&o, &rs, &d) == SL_OK, "%s", d.message);
    sl_scanner *sc = NULL;
    ck_assert_int_eq(sl_scanner_new(rs, NULL, &sc), SL_OK);
    sl_file_result *r[2] = {NULL, NULL};
    for (int k = 0; k < 2; k++)
        ck_assert_int_eq(sl_scan_buffer(sc, "f.xml", feed.data, feed.len, &r[k]), SL_OK);
    ck_assert_uint_eq(r[0]->ndocs, 305);
    const char *want[] = {"f.xml#a", "f.xml#a~2", "f.xml#a~2~2", "f.xml#b", "f.xml#a~3"};
    for (size_t i = 0; i < 5; i++)
        ck_assert_str_eq(r[0]->docs[i].id, want[i]);
    ck_assert_str_eq(r[0]->docs[5].id, "f.xml#g0");
    ck_assert_str_eq(r[0]->docs[105].id, "f.xml#g0~2");
    ck_assert_str_eq(r[0]->docs[304].id, "f.xml#g99~3");
    for (size_t i = 0; i < r[0]->ndocs; i++) {
        ck_assert_str_eq(r[0]->docs[i].id, r[1]->docs[i].id);
        for (size_t j = 0; j < i; j++)
            ck_assert_str_ne(r[0]->docs[i].id, r[0]->docs[j].id);
    }
    sl_file_result_free(r[0]);
    sl_file_result_free(r[1]);
    sl_scanner_free(sc);
    sl_ruleset_free(rs);
    sl_buf_free(&feed);
}
END_TEST

static Suite *feeds_suite(void)
{
    Suite *s = suite_create("feeds");
    TCase *tc = tcase_create("formats");
    tcase_add_test(tc, detect_by_content);
    tcase_add_test(tc, not_a_feed);
    tcase_add_test(tc, rss2_items);
    tcase_add_test(tc, item_markup_without_region);
    tcase_add_test(tc, rss1_rdf);
    tcase_add_test(tc, latin1_prolog);
    tcase_add_test(tc, atom_entries);
    tcase_add_test(tc, rss_media_credits_and_item_markup);
    tcase_add_test(tc, atom_markup_text_constructs);
    tcase_add_test(tc, long_cdata_read_item_by_item);
    tcase_add_test(tc, nitf_story);
    tcase_add_test(tc, nitf_blocks);
    tcase_add_test(tc, nitf_g2_teasers_and_subheadlines);
    tcase_add_test(tc, repeated_guids_get_ids_of_their_own);
    tcase_add_test(tc, newsml_items_and_package);
    tcase_add_test(tc, jsonfeed_items);
    tcase_add_test(tc, json_structure_between_items);
    tcase_add_test(tc, json_cut_off_keeps_whole_items);
    tcase_add_test(tc, ninjs_versions);
    tcase_add_test(tc, ninjs_association_captions);
    tcase_add_test(tc, json_lines);
    suite_add_tcase(s, tc);
    tc = tcase_create("safety");
    tcase_add_test(tc, billion_laughs_refused_fast);
    tcase_add_test(tc, external_entities_never_read);
    tcase_add_test(tc, malformed_keeps_parsed_items);
    tcase_add_test(tc, cut_off_named_as_such);
    tcase_add_test(tc, salvage_speaks_in_feed_terms);
    tcase_add_test(tc, html_references_read_past);
    tcase_add_test(tc, other_errors_still_stop);
    tcase_add_test(tc, items_stream_one_at_a_time);
    suite_add_tcase(s, tc);
    tc = tcase_create("streaming");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, streamed_positions_match_index);
    tcase_add_test(tc, mapped_file_loads_as_read);
    tcase_add_test(tc, loader_memory_follows_the_item);
    suite_add_tcase(s, tc);
    tc = tcase_create("rules");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, attribution_by_metadata);
    tcase_add_test(tc, teasers_and_subheadlines_checked);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    xmlInitParser();
    SRunner *sr = srunner_create(feeds_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    xmlCleanupParser();
    return failed ? 1 : 0;
}
