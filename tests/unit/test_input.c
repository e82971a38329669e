/* Unit tests: input type detection, charset conversion, the plain-text and
 * Markdown loaders, and sl_input_load's sniffing (BOMs, UTF-16, invalid
 * UTF-8, binary and empty files). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field_text.h"
#include "input/charset.h"
#include "input/input.h"
#include "input/loadutil.h"

#ifndef SL_TEST_FIXTURES
#define SL_TEST_FIXTURES "tests/fixtures"
#endif

/* ---------------------------------------------------------------- helpers */

static char *slurp(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/input/%s", SL_TEST_FIXTURES, name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open fixture %s", path);
    char *buf = malloc(1 << 16);
    ck_assert_ptr_nonnull(buf);
    *len = fread(buf, 1, 1 << 16, f);
    fclose(f);
    return buf;
}

typedef struct loaded {
    sl_source src;
    sl_doclist docs;
    sl_diag diag;
    sl_status st;
} loaded;

static void load_mem(loaded *l, const char *path, const char *data, size_t len)
{
    memset(l, 0, sizeof *l);
    l->st = sl_input_load(path, data, len, SL_INPUT_AUTO, &l->src, &l->docs, &l->diag);
}

static void load_fixture(loaded *l, const char *name)
{
    size_t len;
    char *data = slurp(name, &len);
    load_mem(l, name, data, len);
    free(data);
    ck_assert_msg(l->st == SL_OK, "%s: %s", name, l->diag.message);
    ck_assert_uint_eq(l->docs.ndocs, 1);
}

static void unload(loaded *l)
{
    sl_doclist_clear(&l->docs);
    sl_source_clear(&l->src);
}

/* Asserts that byte `i` of `f` comes from source line:col. */
static void assert_pos(const sl_source *src, const sl_field *f, size_t i, unsigned line,
                       unsigned col)
{
    unsigned l, c;
    ck_assert_uint_le(i, f->len);
    sl_source_position(src, sl_field_offset(f, i), &l, &c);
    ck_assert_msg(l == line && c == col, "byte %zu ('%c') at %u:%u, expected %u:%u", i,
                  i < f->len ? f->text[i] : '$', l, c, line, col);
}

static const sl_field *meta(const sl_document *d, const char *name, size_t nth)
{
    for (size_t i = 0; i < d->nmeta; i++)
        if (strcmp(d->meta[i].name, name) == 0 && nth-- == 0)
            return &d->meta[i].value;
    return NULL;
}

static size_t meta_count(const sl_document *d, const char *name)
{
    size_t n = 0;
    for (size_t i = 0; i < d->nmeta; i++)
        n += strcmp(d->meta[i].name, name) == 0;
    return n;
}

/* ---------------------------------------------------------------- detect */

#define DETECT(path, s) sl_input_detect((path), (s), sizeof(s) - 1)

START_TEST(detect_by_content)
{
    ck_assert_int_eq(DETECT("a.txt", "<!DOCTYPE html><p>x"), SL_INPUT_HTML);
    ck_assert_int_eq(DETECT("a.txt", "  \n<!doctype HTML>"), SL_INPUT_HTML);
    ck_assert_int_eq(DETECT(NULL, "\n\t<html lang=en>"), SL_INPUT_HTML);
    ck_assert_int_eq(DETECT("a", "<div class=x>hi</div>"), SL_INPUT_HTML);
    ck_assert_int_eq(DETECT("a", "<p>hi"), SL_INPUT_HTML);
    ck_assert_int_eq(DETECT("a", "<ARTICLE>"), SL_INPUT_HTML);
    ck_assert_int_eq(DETECT("a", "<!-- saved page --><body>"), SL_INPUT_HTML);
    ck_assert_int_eq(DETECT("a", "<?xml version=\"1.0\"?>\n<html>"), SL_INPUT_HTML);
    ck_assert_int_eq(DETECT("a", "\xEF\xBB\xBF<head>"), SL_INPUT_HTML);
    /* "<paragraph" is no <p>; a feed is no page (test_feeds.c covers feeds). */
    ck_assert_int_eq(DETECT("a", "<paragraph>"), SL_INPUT_TEXT);
    ck_assert_int_eq(DETECT("a", "<?xml version=\"1.0\"?><rss>"), SL_INPUT_RSS);
    ck_assert_int_eq(DETECT("a", "Plain <p> later"), SL_INPUT_TEXT);
    ck_assert_int_eq(DETECT(NULL, ""), SL_INPUT_TEXT);
}
END_TEST

START_TEST(detect_by_extension)
{
    ck_assert_int_eq(DETECT("dir/page.HTML", "just words"), SL_INPUT_HTML);
    ck_assert_int_eq(DETECT("page.htm", "just words"), SL_INPUT_HTML);
    ck_assert_int_eq(DETECT("page.xhtml", ""), SL_INPUT_HTML);
    ck_assert_int_eq(DETECT("notes.md", "# Title"), SL_INPUT_MARKDOWN);
    ck_assert_int_eq(DETECT("notes.markdown", "x"), SL_INPUT_MARKDOWN);
    ck_assert_int_eq(DETECT("notes.txt", "x"), SL_INPUT_TEXT);
    ck_assert_int_eq(DETECT("dir.md/notes", "x"), SL_INPUT_TEXT);
    ck_assert_int_eq(DETECT(".md", "x"), SL_INPUT_TEXT);
    /* Markdown often opens with raw HTML: only a strong signal wins. */
    ck_assert_int_eq(DETECT("README.md", "<div align=center>logo</div>\n# T"), SL_INPUT_MARKDOWN);
    ck_assert_int_eq(DETECT("saved.md", "<!DOCTYPE html><html>"), SL_INPUT_HTML);
}
END_TEST

START_TEST(detect_utf16)
{
    static const char le[] = "\xFF\xFE<\0h\0t\0m\0l\0>\0";
    static const char be[] = "\xFE\xFF\0<\0p\0>\0x";
    ck_assert_int_eq(sl_input_detect("a.txt", le, sizeof le - 1), SL_INPUT_HTML);
    ck_assert_int_eq(sl_input_detect("a.txt", be, sizeof be - 1), SL_INPUT_HTML);
}
END_TEST

/* --------------------------------------------------------------- charset */

static void assert_conv(const char *in, size_t len, const char *cs, const char *want)
{
    char *out = NULL;
    size_t outlen = 0;
    sl_diag d = {{0}};
    ck_assert_int_eq(sl_to_utf8(in, len, cs, &out, &outlen, &d), SL_OK);
    ck_assert_uint_eq(outlen, strlen(want));
    ck_assert_str_eq(out, want);
    free(out);
}

#define CONV(in, cs, want) assert_conv((in), sizeof(in) - 1, (cs), (want))

START_TEST(charset_utf8_sanitized)
{
    CONV("caf\xC3\xA9 \xE2\x82\xAC", NULL, "caf\xC3\xA9 \xE2\x82\xAC");
    /* One character per offending byte: a stray byte is read as
     * windows-1252 (Windows text labelled UTF-8: curly quotes, accented
     * letters), the five bytes it leaves undefined and NUL as U+FFFD. */
    CONV("a\xFF"
         "b",
         NULL,
         "a\xC3\xBF"
         "b");
    CONV("You\x92ve reached, caf\xE9 \x93ok\x94 \x81", NULL,
         "You\xE2\x80\x99ve reached, caf\xC3\xA9 \xE2\x80\x9Cok\xE2\x80\x9D \xEF\xBF\xBD");
    CONV("\xC0\xAF", "utf-8", "\xC3\x80\xC2\xAF");
    CONV("\xED\xA0\x80", "UTF8", "\xC3\xAD\xC2\xA0\xE2\x82\xAC");
    CONV("\xF4\x90\x80\x80", NULL, "\xC3\xB4\xEF\xBF\xBD\xE2\x82\xAC\xE2\x82\xAC");
    /* A sequence cut short (a lead byte and the continuation bytes it
     * allows, then none): U+FFFD for each of its bytes. */
    CONV("x\xE2\x82", NULL, "x\xEF\xBF\xBD\xEF\xBF\xBD");
    CONV("\xE2\x80 x\xF0\x9F\x98!", NULL,
         "\xEF\xBF\xBD\xEF\xBF\xBD x\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD!");
    CONV("a\0b", NULL,
         "a\xEF\xBF\xBD"
         "b");
    CONV("", NULL, "");
}
END_TEST

START_TEST(charset_iconv)
{
    CONV("\x93hi\x94 caf\xE9", "windows-1252", "\xE2\x80\x9Chi\xE2\x80\x9D caf\xC3\xA9");
    /* Pages labelled latin-1 are read as windows-1252, as browsers do. */
    CONV("\x96 \x80", "ISO-8859-1", "\xE2\x80\x93 \xE2\x82\xAC");
    /* 0x81 is undefined in windows-1252. */
    CONV("a\x81z", "windows-1252", "a\xEF\xBF\xBDz");
    CONV("\xE9t\xE9", "iso-8859-15", "\xC3\xA9t\xC3\xA9");
    CONV("h\0i\0\xAC\x20", "UTF-16LE", "hi\xE2\x82\xAC");
    /* An odd trailing byte of UTF-16 is an incomplete character. */
    CONV("h\0i", "UTF-16LE", "h\xEF\xBF\xBD");
    CONV("\x82\xA0", "shift_jis", "\xE3\x81\x82");
}
END_TEST

START_TEST(charset_unknown)
{
    char *out = (char *)"x";
    size_t outlen = 9;
    sl_diag d = {{0}};
    ck_assert_int_eq(sl_to_utf8("abc", 3, "no-such-charset", &out, &outlen, &d), SL_EINPUT);
    ck_assert_ptr_null(out);
    ck_assert_str_eq(d.message, "unsupported charset 'no-such-charset'");
}
END_TEST

static void assert_sniff(const char *html, const char *want)
{
    char cs[64] = "";
    int found = sl_charset_sniff_html(html, strlen(html), cs, sizeof cs);
    if (!want) {
        ck_assert_msg(!found, "found '%s' in %s", cs, html);
        return;
    }
    ck_assert_msg(found, "nothing found in %s", html);
    ck_assert_str_eq(cs, want);
}

START_TEST(charset_sniff)
{
    assert_sniff("<html><head><meta charset=\"Windows-1252\">", "windows-1252");
    assert_sniff("<meta charset=iso-8859-1>", "iso-8859-1");
    assert_sniff("<META HTTP-EQUIV='content-type' CONTENT='text/html; Charset=Shift_JIS'>",
                 "shift_jis");
    assert_sniff("<meta content=\"text/html; charset=koi8-r\" http-equiv=\"Content-Type\">",
                 "koi8-r");
    assert_sniff("<?xml version=\"1.0\" encoding=\"ISO-8859-2\"?>\n<html>", "iso-8859-2");
    assert_sniff("<!-- <meta charset=\"koi8-r\"> --><meta charset=utf-8>", "utf-8");
    assert_sniff("<div title='<meta charset=koi8-r>'></div>", NULL);
    assert_sniff("<meta name=author content=\"charset=koi8-r\">", NULL);
    assert_sniff("<html><p>no declaration</p>", NULL);

    /* Only the first 1024 bytes count. */
    char late[1200];
    memset(late, ' ', sizeof late);
    memcpy(late + 1100, "<meta charset=koi8-r>", 21);
    late[1121] = '\0';
    assert_sniff(late, NULL);
}
END_TEST

START_TEST(charset_bom)
{
    const char *cs;
    ck_assert_uint_eq(sl_charset_bom("\xEF\xBB\xBFx", 4, &cs), 3);
    ck_assert_str_eq(cs, "UTF-8");
    ck_assert_uint_eq(sl_charset_bom("\xFF\xFEx\0", 4, &cs), 2);
    ck_assert_str_eq(cs, "UTF-16LE");
    ck_assert_uint_eq(sl_charset_bom("\xFE\xFF\0x", 4, &cs), 2);
    ck_assert_str_eq(cs, "UTF-16BE");
    ck_assert_uint_eq(sl_charset_bom("\xFF\xFE\0\0", 4, &cs), 4);
    ck_assert_str_eq(cs, "UTF-32LE");
    ck_assert_uint_eq(sl_charset_bom("abc", 3, &cs), 0);
    ck_assert_ptr_null(cs);
}
END_TEST

/* ------------------------------------------------------------ plain text */

START_TEST(text_title_and_body)
{
    loaded l;
    load_fixture(&l, "story.txt");
    const sl_document *d = &l.docs.docs[0];
    ck_assert_str_eq(d->id, "story.txt");
    ck_assert_str_eq(text_of(&d->title), "Markets close higher");
    /* The body is the whole text, title included. */
    ck_assert_str_eq(text_of(&d->body), "Markets close higher\n\nMUMBAI (Reuters) - Shares rose "
                                        "on Monday.\nThe rupee held steady.\n");
    ck_assert_ptr_eq(sl_document_page(d), &d->body);
    ck_assert_uint_eq(d->page.len, 0); /* not copied */
    /* Without a "\r", the body is the source itself, read in place. */
    ck_assert_int_eq(d->body.borrowed, 1);
    ck_assert_ptr_eq(d->body.text, l.src.data);
    ck_assert_ptr_eq(sl_document_raw(d), &d->body);
    ck_assert_str_eq(text_of(&d->code), "");
    ck_assert_uint_eq(d->nmeta, 0);
    assert_pos(&l.src, &d->title, 0, 1, 1);
    size_t i = index_of(&d->body, "(Reuters)");
    assert_pos(&l.src, &d->body, i, 3, 8);
    i = index_of(&d->body, "rupee");
    assert_pos(&l.src, &d->body, i, 4, 5);
    assert_pos(&l.src, &d->body, d->body.len, 5, 1);
    unload(&l);
}
END_TEST

START_TEST(text_crlf)
{
    loaded l;
    load_fixture(&l, "crlf.txt");
    const sl_document *d = &l.docs.docs[0];
    ck_assert_str_eq(text_of(&d->title), "Markets close higher");
    ck_assert_str_eq(text_of(&d->body), "Markets close higher\n\nShares rose.\nRupee steady.\n");
    ck_assert_int_eq(d->body.borrowed, 0); /* line ends unified in a copy */
    ck_assert_str_eq(text_of(sl_document_page(d)), text_of(&d->body));
    size_t i = index_of(&d->body, "Rupee");
    assert_pos(&l.src, &d->body, i, 4, 1);
    /* The "\n" standing for "\r\n" maps to the end of its line. */
    assert_pos(&l.src, &d->body, i - 1, 3, 13);
    unload(&l);
}
END_TEST

static void assert_text_title(const char *text, const char *want)
{
    loaded l;
    load_mem(&l, "t.txt", text, strlen(text));
    ck_assert_int_eq(l.st, SL_OK);
    ck_assert_uint_eq(l.docs.ndocs, 1);
    ck_assert_str_eq(text_of(&l.docs.docs[0].title), want);
    unload(&l);
}

START_TEST(text_title_rules)
{
    assert_text_title("\n\n  Spaced title  \n\nbody\n", "Spaced title");
    assert_text_title("Will rates fall?\n\nbody\n", "Will rates fall?");
    assert_text_title("A first sentence.\n\nbody\n", "");
    assert_text_title("No blank line\nbody\n", "");
    assert_text_title("Only a line\n", "");
    char long_line[200];
    memset(long_line, 'x', 151);
    strcpy(long_line + 151, "\n\nbody\n");
    assert_text_title(long_line, "");
    long_line[150] = '\n';
    long_line[151] = '\n';
    strcpy(long_line + 152, "body\n");
    ck_assert_uint_eq(strlen(long_line), 157);
    loaded l;
    load_mem(&l, "t.txt", long_line, strlen(long_line));
    ck_assert_uint_eq(l.docs.docs[0].title.len, 150);
    unload(&l);
}
END_TEST

START_TEST(text_bom_utf8)
{
    loaded l;
    load_fixture(&l, "bom-utf8.txt");
    const sl_document *d = &l.docs.docs[0];
    /* The BOM is dropped; offsets refer to the converted text. */
    ck_assert_uint_eq(l.src.len, 26);
    ck_assert_str_eq(text_of(&d->title), "Headline here");
    ck_assert_str_eq(text_of(&d->body), "Headline here\n\nBody line.\n");
    assert_pos(&l.src, &d->title, 0, 1, 1);
    assert_pos(&l.src, &d->body, index_of(&d->body, "line."), 3, 6);
    unload(&l);
}
END_TEST

START_TEST(text_utf16_bom)
{
    loaded l;
    load_fixture(&l, "utf16le.txt");
    const sl_document *d = &l.docs.docs[0];
    ck_assert_str_eq(text_of(&d->title), "Title \xC3\xA9t\xC3\xA9");
    ck_assert_str_eq(text_of(&d->body), "Title \xC3\xA9t\xC3\xA9\n\nBody \xE2\x82\xAC text.\n");
    /* Columns count characters: the euro sign is one. */
    assert_pos(&l.src, &d->body, index_of(&d->body, "text"), 3, 8);
    unload(&l);

    static const char be[] = "\xFE\xFF\0T\0i\0t\0l\0e\0\n\0\n\0B\0o\0d\0y";
    load_mem(&l, "be.txt", be, sizeof be - 1);
    ck_assert_int_eq(l.st, SL_OK);
    ck_assert_str_eq(text_of(&l.docs.docs[0].body), "Title\n\nBody");
    ck_assert_str_eq(text_of(&l.docs.docs[0].title), "Title");
    unload(&l);
}
END_TEST

START_TEST(text_invalid_utf8)
{
    loaded l;
    load_fixture(&l, "invalid.txt");
    const sl_document *d = &l.docs.docs[0];
    /* Stray bytes read as windows-1252, one character each. */
    ck_assert_str_eq(text_of(&d->body), "Headline\n\nCaf\xC3\xA9 \xC3\xBF bad "
                                        "\xC3\x80\xC2\xAF end\n");
    assert_pos(&l.src, &d->body, index_of(&d->body, "\xC3\xBF"), 3, 6);
    assert_pos(&l.src, &d->body, index_of(&d->body, "\xC3\x80"), 3, 12);
    assert_pos(&l.src, &d->body, index_of(&d->body, "\xC2\xAF"), 3, 13);
    assert_pos(&l.src, &d->body, index_of(&d->body, "end"), 3, 15);
    unload(&l);
}
END_TEST

/* An XML declaration with no element after it (a feed download cut off
 * after its first line) is refused, not passed as an empty text. */
START_TEST(xml_without_root_refused)
{
    loaded l;
    static const char *const none[] = {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "\xEF\xBB\xBF  <?xml version=\"1.0\"?><!-- feed -->\n<?pi x?>\n"};
    for (size_t i = 0; i < 2; i++) {
        load_mem(&l, "cut.xml", none[i], strlen(none[i]));
        ck_assert_int_eq(l.st, SL_EINPUT);
        ck_assert_str_eq(l.diag.message, "XML declaration and no root element: nothing to check");
        unload(&l);
    }
    static const char *const some[] = {"<?xml version=\"1.0\"?>\nPlain text {{x}}\n",
                                       "<?xml version=\"1.0\"?><!-- unclosed comment\n"};
    for (size_t i = 0; i < 2; i++) {
        load_mem(&l, "t.txt", some[i], strlen(some[i]));
        ck_assert_int_eq(l.st, SL_OK);
        unload(&l);
    }
}
END_TEST

START_TEST(text_binary)
{
    loaded l;
    size_t len;
    char *data = slurp("binary.txt", &len);
    load_mem(&l, "binary.txt", data, len);
    free(data);
    ck_assert_int_eq(l.st, SL_EINPUT);
    ck_assert_str_eq(l.diag.message, "binary file (NUL byte at offset 4)");
    ck_assert_uint_eq(l.docs.ndocs, 0);
    ck_assert_ptr_null(l.src.data);
    unload(&l);

    static const char ctl[] = "ab\x01\x02\x03\x04\x05\x06\x07\x08 cdefghij";
    load_mem(&l, "ctl.txt", ctl, sizeof ctl - 1);
    ck_assert_int_eq(l.st, SL_EINPUT);
    ck_assert_str_eq(l.diag.message, "binary file (8 control characters in the first 19 bytes)");
    unload(&l);

    /* Counted over the whole first 8 KiB, across the counter's blocks: a
     * control every 7th byte is binary, one every 11th is not (10%). */
    char *spread = malloc(10001);
    for (size_t gap = 7; gap <= 11; gap += 4) {
        size_t want = 0;
        for (size_t i = 0; i < 10000; i++) {
            spread[i] = i % gap == 3 ? (char)(i % 2 ? 0x7F : 0x01) : 'x';
            want += i < 8192 && i % gap == 3;
        }
        load_mem(&l, "spread.txt", spread, 10000);
        if (gap == 7) {
            char msg[120];
            snprintf(msg, sizeof msg,
                     "binary file (%zu control characters in the first 8192 bytes)", want);
            ck_assert_int_eq(l.st, SL_EINPUT);
            ck_assert_str_eq(l.diag.message, msg);
        } else {
            ck_assert_int_eq(l.st, SL_OK);
        }
        unload(&l);
    }
    /* Whitespace controls, ESC and UTF-8 are text, in any position of the
     * words the counter skips; a NUL after them is found where it is. */
    static const char mixed[] = "caf\xC3\xA9 \x1B[1mbold\x1B[0m\r\n\t\v\f line\x01end";
    load_mem(&l, "mixed.txt", mixed, sizeof mixed - 1);
    ck_assert_int_eq(l.st, SL_OK);
    unload(&l);
    static const char late_nul[] = "0123456789abcdef\tline\x7F\x00 rest of it";
    load_mem(&l, "late.txt", late_nul, sizeof late_nul - 1);
    ck_assert_int_eq(l.st, SL_EINPUT);
    ck_assert_str_eq(l.diag.message, "binary file (NUL byte at offset 22)");
    unload(&l);

    /* Nothing but controls: every one counted, however many a block holds. */
    memset(spread, 0x01, 10000);
    load_mem(&l, "controls.txt", spread, 10000);
    ck_assert_int_eq(l.st, SL_EINPUT);
    ck_assert_str_eq(l.diag.message,
                     "binary file (8192 control characters in the first 8192 bytes)");
    unload(&l);
    free(spread);

    /* NUL bytes past the first 8 KiB do not make a file binary; they
     * become U+FFFD. */
    char *big = malloc(9001);
    memset(big, 'a', 9000);
    big[8500] = '\0';
    load_mem(&l, "late-nul.txt", big, 9000);
    free(big);
    ck_assert_int_eq(l.st, SL_OK);
    ck_assert_uint_eq(l.src.len, 9002);
    ck_assert_mem_eq(l.src.data + 8500, "\xEF\xBF\xBD", 3);
    unload(&l);
}
END_TEST

START_TEST(text_empty)
{
    static const char *const inputs[] = {"", "  \n\t\r\n", "\xEF\xBB\xBF"};
    static const char *const paths[] = {"e.txt", "e.html", "e.md"};
    for (size_t k = 0; k < 3; k++) {
        for (size_t p = 0; p < 3; p++) {
            loaded l;
            load_mem(&l, paths[p], inputs[k], strlen(inputs[k]));
            ck_assert_int_eq(l.st, SL_OK);
            ck_assert_uint_eq(l.docs.ndocs, 1);
            const sl_document *d = &l.docs.docs[0];
            ck_assert_str_eq(d->id, paths[p]);
            ck_assert_uint_eq(
                d->title.len + d->body.len + d->code.len + d->raw.len + d->page.len + d->nmeta, 0);
            unload(&l);
        }
    }
}
END_TEST

START_TEST(load_hint_and_null_path)
{
    loaded l;
    memset(&l, 0, sizeof l);
    static const char md[] = "# Head\n\ntext `x`\n";
    l.st = sl_input_load(NULL, md, sizeof md - 1, SL_INPUT_MARKDOWN, &l.src, &l.docs, &l.diag);
    ck_assert_int_eq(l.st, SL_OK);
    ck_assert_str_eq(l.docs.docs[0].id, "-");
    ck_assert_str_eq(text_of(&l.docs.docs[0].title), "Head");
    ck_assert_str_eq(text_of(&l.docs.docs[0].code), "x");
    unload(&l);
}
END_TEST

/* -------------------------------------------------------------- Markdown */

START_TEST(markdown_fixture)
{
    loaded l;
    load_fixture(&l, "story.md");
    const sl_document *d = &l.docs.docs[0];
    ck_assert_str_eq(text_of(&d->title), "Wire copy: rates unchanged");
    assert_pos(&l.src, &d->title, 0, 2, 9);
    ck_assert_str_eq(text_of(&d->body),
                     "# Heading that is not the title\n"
                     "\n"
                     "NEW DELHI (Reuters) - The central bank kept rates unchanged, see .\n"
                     "\n"
                     "\n"
                     "- a list item\n"
                     "\n"
                     "    a list continuation paragraph\n"
                     "\n"
                     "Indented code follows:\n"
                     "\n"
                     "Last line with  done.\n");
    ck_assert_str_eq(text_of(&d->code), "rate_id\n"
                                        "print(\"{{placeholder}}\")\n"
                                        "SELECT * FROM t;\n"
                                        "-- more\n"
                                        "\n"
                                        "tilde fence\n"
                                        "double `tick` span");
    /* Front matter stays out of the body, and in the page. */
    ck_assert_ptr_null(strstr(text_of(&d->body), "Jane"));
    ck_assert_ptr_nonnull(strstr(text_of(&d->page), "author: Jane Doe"));
    ck_assert_ptr_eq(sl_document_raw(d), &d->page);

    ck_assert_str_eq(text_of(meta(d, "title", 0)), "Wire copy: rates unchanged");
    ck_assert_str_eq(text_of(meta(d, "author", 0)), "Jane Doe");
    ck_assert_str_eq(text_of(meta(d, "credit", 0)), "Reuters");
    ck_assert_uint_eq(meta_count(d, "tags"), 2);
    ck_assert_str_eq(text_of(meta(d, "tags", 1)), "rates");
    ck_assert_uint_eq(meta_count(d, "authors"), 2);
    ck_assert_str_eq(text_of(meta(d, "authors", 1)), "B. Two");
    assert_pos(&l.src, meta(d, "authors", 1), 0, 8, 5);
    assert_pos(&l.src, meta(d, "credit", 0), 0, 4, 9);

    assert_pos(&l.src, &d->body, index_of(&d->body, "(Reuters)"), 12, 11);
    assert_pos(&l.src, &d->code, index_of(&d->code, "rate_id"), 12, 67);
    assert_pos(&l.src, &d->code, index_of(&d->code, "{{placeholder}}"), 15, 8);
    assert_pos(&l.src, &d->code, index_of(&d->code, "SELECT"), 24, 5);
    assert_pos(&l.src, &d->code, index_of(&d->code, "tilde"), 28, 1);
    assert_pos(&l.src, &d->code, index_of(&d->code, "double"), 30, 18);
    assert_pos(&l.src, &d->body, index_of(&d->body, "done"), 30, 39);
    unload(&l);
}
END_TEST

static void load_md(loaded *l, const char *text)
{
    load_mem(l, "t.md", text, strlen(text));
    ck_assert_int_eq(l->st, SL_OK);
    ck_assert_uint_eq(l->docs.ndocs, 1);
}

START_TEST(markdown_heading_title)
{
    loaded l;
    load_md(&l, "Intro line\n\n## Sub\n\n#   Main headline ##  \n\ntext\n\n# Second\n");
    ck_assert_str_eq(text_of(&l.docs.docs[0].title), "Main headline");
    assert_pos(&l.src, &l.docs.docs[0].title, 0, 5, 5);
    unload(&l);

    load_md(&l, "#hashtag is no heading\n\n    # indented is code\n");
    ck_assert_str_eq(text_of(&l.docs.docs[0].title), "");
    ck_assert_str_eq(text_of(&l.docs.docs[0].code), "# indented is code\n");
    unload(&l);

    /* An unclosed "---" is a thematic break, not front matter. */
    load_md(&l, "---\ntitle: x\n\n# Real\n");
    ck_assert_str_eq(text_of(&l.docs.docs[0].title), "Real");
    ck_assert_uint_eq(l.docs.docs[0].nmeta, 0);
    ck_assert_str_eq(text_of(&l.docs.docs[0].body), "---\ntitle: x\n\n# Real\n");
    unload(&l);
}
END_TEST

START_TEST(markdown_code)
{
    loaded l;
    load_md(&l, "Para one\n    lazy continuation\n\n````\n```\nnot closed by shorter\n````\n"
                "after `a` and \\`not code\\` and `` unclosed\n");
    const sl_document *d = &l.docs.docs[0];
    ck_assert_str_eq(text_of(&d->body), "Para one\n    lazy continuation\n\n"
                                        "after  and \\`not code\\` and `` unclosed\n");
    ck_assert_str_eq(text_of(&d->code), "```\nnot closed by shorter\na");
    unload(&l);

    /* An unclosed fence runs to the end of the file. */
    load_md(&l, "x\r\n~~~\r\ncode {{a}}\r\n");
    d = &l.docs.docs[0];
    ck_assert_str_eq(text_of(&d->body), "x\n");
    ck_assert_str_eq(text_of(&d->code), "code {{a}}\n");
    assert_pos(&l.src, &d->code, 5, 3, 6);
    unload(&l);
}
END_TEST

/* Inline markup that splits a phrase is left out of the body; what is
 * text, or placeholder syntax, stays as written. */
START_TEST(markdown_inline_markup)
{
    loaded l;
    load_md(&l, "**Already a subscriber?** [Log in](https://x.example/a_(b)) now\n"
                "![chart](/img.png) Sales *rose* 5 * 3 = 15, snake_case_name, __bold__.\n"
                "{{free_limit}} and *|FNAME|* and [TK] and [[FileID]] and [1] stay; "
                "[ref link][r1] and \\*not emphasis\\*.\n"
                "He said f*** off, s**t, **unclosed, and **a _b_ c**.\n"
                "*one **two** three* and ****four**** stars.\n"
                "**$1 for 6 months.** Renews; _#1 seed_, **@desk**, **[Read](/r)** "
                "and **50%** off; *|LNAME|* and *$x stay.\n");
    const sl_document *d = &l.docs.docs[0];
    ck_assert_str_eq(text_of(&d->body),
                     "Already a subscriber? Log in now\n"
                     " Sales rose 5 * 3 = 15, snake_case_name, bold.\n"
                     "{{free_limit}} and *|FNAME|* and [TK] and [[FileID]] and [1] stay; "
                     "ref link and \\*not emphasis\\*.\n"
                     "He said f*** off, s**t, **unclosed, and a b c.\n"
                     "one two three and ****four**** stars.\n"
                     "$1 for 6 months. Renews; #1 seed, @desk, Read "
                     "and 50% off; *|LNAME|* and *$x stay.\n");
    assert_pos(&l.src, &d->body, index_of(&d->body, "Already"), 1, 3);
    assert_pos(&l.src, &d->body, index_of(&d->body, "Log in"), 1, 28);
    assert_pos(&l.src, &d->body, index_of(&d->body, " now"), 1, 60);
    assert_pos(&l.src, &d->body, index_of(&d->body, "rose"), 2, 27);
    assert_pos(&l.src, &d->body, index_of(&d->body, "ref link"), 3, 69);
    unload(&l);
}
END_TEST

/* An HTML comment is no text a reader sees, on one line or over several,
 * a fence inside it included; code keeps its own "<!--". */
START_TEST(markdown_comments)
{
    loaded l;
    load_md(&l, "Para <!-- CMS fills {{related}} --> after.\n"
                "<!--\nnote {{x}}\n```\n-->Seen {{y}}.\n"
                "`<!-- code -->` and <!-- open\n\nstill {{z}} -->\nLast.\n");
    const sl_document *d = &l.docs.docs[0];
    ck_assert_str_eq(text_of(&d->body), "Para  after.\n\nSeen {{y}}.\n and \n\nLast.\n");
    ck_assert_str_eq(text_of(&d->code), "<!-- code -->");
    assert_pos(&l.src, &d->body, index_of(&d->body, " after"), 1, 36);
    assert_pos(&l.src, &d->body, index_of(&d->body, "Seen"), 5, 4);
    unload(&l);
}
END_TEST

/* Raw HTML code in Markdown is code as a backtick span is: inline
 * <code>, <kbd> and <samp>, and a <pre> block to its end tag; a <script>
 * or <style> block is no text at all. */
START_TEST(markdown_raw_html_code)
{
    loaded l;
    load_md(&l, "Saw <code>{{ total }}</code> and <KBD>Ctrl</KBD> and <code>open.\n"
                "<pre class=\"x\">\nHello {{ name }}\n</pre>\n"
                "<script>var a = \"{{b}}\";\n</script>\n"
                "<style>p{}</style>\nLast {{z}}.\n");
    const sl_document *d = &l.docs.docs[0];
    ck_assert_str_eq(text_of(&d->body), "Saw  and  and <code>open.\nLast {{z}}.\n");
    ck_assert_str_eq(text_of(&d->code),
                     "{{ total }}\nCtrl\n<pre class=\"x\">\nHello {{ name }}\n</pre>\n");
    assert_pos(&l.src, &d->body, index_of(&d->body, "Last"), 8, 1);
    assert_pos(&l.src, &d->code, index_of(&d->code, "{{ total"), 1, 11);
    unload(&l);
}
END_TEST

START_TEST(markdown_front_matter)
{
    loaded l;
    load_md(&l, "---\r\nTitle: 'Quoted: title'\r\nurl: http://x\r\nbyline:   Staff  \r\n"
                "nested:\r\n  key: v\r\n# comment: no\r\n...\r\nBody\r\n");
    const sl_document *d = &l.docs.docs[0];
    ck_assert_str_eq(text_of(&d->title), "Quoted: title");
    ck_assert_str_eq(text_of(meta(d, "title", 0)), "Quoted: title");
    ck_assert_str_eq(text_of(meta(d, "url", 0)), "http://x");
    ck_assert_str_eq(text_of(meta(d, "byline", 0)), "Staff");
    ck_assert_ptr_null(meta(d, "nested", 0));
    ck_assert_ptr_null(meta(d, "key", 0));
    ck_assert_ptr_null(meta(d, "# comment", 0));
    ck_assert_uint_eq(d->nmeta, 3);
    ck_assert_str_eq(text_of(&d->body), "Body\n");
    assert_pos(&l.src, &d->body, 0, 9, 1);
    assert_pos(&l.src, meta(d, "byline", 0), 0, 4, 11);
    unload(&l);
}
END_TEST

/* ------------------------------------------------------- HTML via loader */

START_TEST(load_html_declared_charset)
{
    loaded l;
    load_fixture(&l, "latin1.html");
    const sl_document *d = &l.docs.docs[0];
    ck_assert_str_eq(text_of(&d->title), "Caf\xC3\xA9");
    ck_assert_str_eq(text_of(&d->body), "\n\xE2\x80\x9CQuoted\xE2\x80\x9D caf\xC3\xA9 "
                                        "\xE2\x80\x93 price \xE2\x82\xAC 5\n\nLine two\n\n");
    assert_pos(&l.src, &d->body, index_of(&d->body, "caf"), 5, 13);
    assert_pos(&l.src, &d->body, index_of(&d->body, "price"), 5, 20);
    assert_pos(&l.src, &d->body, index_of(&d->body, "two"), 6, 9);
    unload(&l);
}
END_TEST

START_TEST(load_html_utf16)
{
    loaded l;
    load_fixture(&l, "utf16be.html");
    const sl_document *d = &l.docs.docs[0];
    ck_assert_str_eq(text_of(&d->body), "Hello \xC3\xA9\n");
    ck_assert_str_eq(text_of(&d->raw), "<body><p>Hello \xC3\xA9</p></body>");
    assert_pos(&l.src, &d->body, 6, 1, 22);
    unload(&l);
}
END_TEST

START_TEST(load_html_bad_label)
{
    /* A charset iconv does not know: the page is read as UTF-8. */
    loaded l;
    static const char page[] = "<meta charset=\"x-bogus\"><p>caf\xC3\xA9</p>";
    load_mem(&l, "bogus.html", page, sizeof page - 1);
    ck_assert_int_eq(l.st, SL_OK);
    ck_assert_str_eq(text_of(&l.docs.docs[0].body), "caf\xC3\xA9\n");
    unload(&l);
}
END_TEST

/* UTF-8 under a one-byte label (a CMS's old windows-1252 declaration) is
 * read as UTF-8; text really in that charset, or under a multi-byte label,
 * as declared. */
START_TEST(load_html_utf8_mislabelled)
{
    loaded l;
    static const char utf8[] = "<meta charset=\"windows-1252\"><p>You\xE2\x80\x99ve read it</p>";
    load_mem(&l, "a.html", utf8, sizeof utf8 - 1);
    ck_assert_int_eq(l.st, SL_OK);
    ck_assert_str_eq(text_of(&l.docs.docs[0].body), "You\xE2\x80\x99ve read it\n");
    unload(&l);
    static const char latin[] = "<meta http-equiv=\"Content-Type\" content=\"text/html; "
                                "charset=ISO-8859-1\"><p>caf\xC3\xA9</p>";
    load_mem(&l, "b.html", latin, sizeof latin - 1);
    ck_assert_str_eq(text_of(&l.docs.docs[0].body), "caf\xC3\xA9\n");
    unload(&l);
    /* Real windows-1252: 0x92 is its right quote, invalid as UTF-8. */
    static const char cp1252[] = "<meta charset=\"windows-1252\"><p>You\x92ve caf\xE9</p>";
    load_mem(&l, "c.html", cp1252, sizeof cp1252 - 1);
    ck_assert_str_eq(text_of(&l.docs.docs[0].body), "You\xE2\x80\x99ve caf\xC3\xA9\n");
    unload(&l);
    /* All ASCII: nothing to decide, the same text either way. */
    static const char ascii[] = "<meta charset=\"windows-1252\"><p>plain</p>";
    load_mem(&l, "d.html", ascii, sizeof ascii - 1);
    ck_assert_str_eq(text_of(&l.docs.docs[0].body), "plain\n");
    unload(&l);
    /* A feed's prolog says the same. */
    static const char feed[] = "<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n"
                               "<rss version=\"2.0\"><channel><title>t</title><item><guid>a</guid>"
                               "<title>t</title><description>You\xE2\x80\x99ve read 3 of 5 free "
                               "articles</description></item></channel></rss>\n";
    load_mem(&l, "e.rss", feed, sizeof feed - 1);
    ck_assert_int_eq(l.st, SL_OK);
    ck_assert_ptr_nonnull(strstr(text_of(&l.docs.docs[0].body), "You\xE2\x80\x99ve read 3 of 5"));
    unload(&l);
    ck_assert(sl_charset_single_byte("ISO-8859-15"));
    ck_assert(sl_charset_single_byte("Windows-1251"));
    ck_assert(!sl_charset_single_byte("shift_jis"));
    ck_assert(!sl_charset_single_byte("gbk"));
    ck_assert(!sl_charset_single_byte(NULL));
}
END_TEST

/* The word-at-a-time scanners against byte-at-a-time references, with a
 * NUL, a high byte, a control or a needle at every offset of short texts. */
static size_t ref_utf8_scan(const unsigned char *u, size_t n, size_t from, size_t stop)
{
    size_t i = from;
    while (i < stop && i < n) {
        if (u[i] == 0)
            return i;
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = u[i] >= 0xC2 && u[i] <= 0xDF ? 2 : 0;
        if (!k || i + 1 >= n || (u[i + 1] & 0xC0) != 0x80)
            return i;
        i += k;
    }
    return i;
}

START_TEST(scanners_match_references)
{
    char buf[40];
    const unsigned char odd[] = {0x00, 0xC3, 0xFF, 0x01, 0x7F, 0x1B};
    for (size_t len = 0; len <= sizeof buf - 2; len++)
        for (size_t at = 0; at < len; at++)
            for (size_t k = 0; k < sizeof odd; k++) {
                memset(buf, 'a', sizeof buf);
                buf[at] = (char)odd[k];
                if (odd[k] == 0xC3 && at + 1 < len)
                    buf[at + 1] = (char)0xA9; /* a well-formed two-byte sequence */
                for (size_t from = 0; from <= len; from += 3) {
                    size_t want = ref_utf8_scan((const unsigned char *)buf, len, from, len);
                    ck_assert_uint_eq(sl_charset_utf8_scan(buf, len, from, len), want);
                }
                sl_diag d = {{0}};
                sl_status st = sl_charset_check_binary(buf, len, &d);
                ck_assert_int_eq(st,
                                 odd[k] == 0x00 || (len < 10 && (odd[k] == 0x01 || odd[k] == 0x7F))
                                     ? SL_EINPUT
                                     : SL_OK);
            }
    for (size_t len = 0; len <= sizeof buf - 2; len++)
        for (size_t at = 0; at + 2 <= len; at++) {
            memset(buf, 'x', sizeof buf);
            memcpy(buf + at, "ab", 2);
            ck_assert_ptr_eq(sl_input_find(buf, len, "ab", 2), buf + at);
            ck_assert_ptr_eq(sl_input_find(buf, len, "ba", 2), NULL);
            ck_assert_ptr_eq(sl_input_find(buf, at + 1, "ab", 2), NULL);
            ck_assert_ptr_eq(sl_input_find(buf, len, "", 0), buf);
        }
    /* Random haystacks and needles over three letters: matches, near
     * matches (first and last byte right, middle wrong) and overlaps at
     * every place around the sixteen-byte blocks, against the obvious
     * search. */
    unsigned seed = 7;
    char hay[100], needle[8];
    for (int r = 0; r < 40000; r++) {
        size_t n = (size_t)(rand_r(&seed) % sizeof hay), m = 1 + (size_t)(rand_r(&seed) % 7);
        for (size_t i = 0; i < n; i++)
            hay[i] = (char)('a' + rand_r(&seed) % (r % 2 ? 2 : 3));
        for (size_t i = 0; i < m; i++)
            needle[i] = (char)('a' + rand_r(&seed) % 2);
        const char *want = NULL;
        for (size_t i = 0; i + m <= n && !want; i++)
            if (memcmp(hay + i, needle, m) == 0)
                want = hay + i;
        ck_assert_ptr_eq(sl_input_find(hay, n, needle, m), want);
    }
}
END_TEST

static Suite *input_suite(void)
{
    Suite *s = suite_create("input");
    TCase *tc = tcase_create("detect");
    tcase_add_test(tc, detect_by_content);
    tcase_add_test(tc, detect_by_extension);
    tcase_add_test(tc, detect_utf16);
    suite_add_tcase(s, tc);

    tc = tcase_create("charset");
    tcase_add_test(tc, charset_utf8_sanitized);
    tcase_add_test(tc, charset_iconv);
    tcase_add_test(tc, charset_unknown);
    tcase_add_test(tc, charset_sniff);
    tcase_add_test(tc, charset_bom);
    suite_add_tcase(s, tc);

    tc = tcase_create("text");
    tcase_add_test(tc, text_title_and_body);
    tcase_add_test(tc, text_crlf);
    tcase_add_test(tc, text_title_rules);
    tcase_add_test(tc, text_bom_utf8);
    tcase_add_test(tc, text_utf16_bom);
    tcase_add_test(tc, text_invalid_utf8);
    tcase_add_test(tc, text_binary);
    tcase_add_test(tc, xml_without_root_refused);
    tcase_add_test(tc, scanners_match_references);
    tcase_add_test(tc, text_empty);
    tcase_add_test(tc, load_hint_and_null_path);
    suite_add_tcase(s, tc);

    tc = tcase_create("markdown");
    tcase_add_test(tc, markdown_fixture);
    tcase_add_test(tc, markdown_heading_title);
    tcase_add_test(tc, markdown_code);
    tcase_add_test(tc, markdown_front_matter);
    tcase_add_test(tc, markdown_inline_markup);
    tcase_add_test(tc, markdown_comments);
    tcase_add_test(tc, markdown_raw_html_code);
    suite_add_tcase(s, tc);

    tc = tcase_create("html-load");
    tcase_add_test(tc, load_html_declared_charset);
    tcase_add_test(tc, load_html_utf16);
    tcase_add_test(tc, load_html_bad_label);
    tcase_add_test(tc, load_html_utf8_mislabelled);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(input_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
