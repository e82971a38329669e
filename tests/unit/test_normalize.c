/* Check suite: normalization for matching — Unicode folding, whitespace
 * handling, ill-formed UTF-8, and the offset map back to the source. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/field.h"
#include "text/normalize.h"

/* Invisible or look-alike characters, spelled as bytes so the test says
 * exactly what it feeds in; as macros they also end a hex escape cleanly. */
#define RSQUO "\xE2\x80\x99"  /* U+2019 RIGHT SINGLE QUOTATION MARK */
#define LSQUO "\xE2\x80\x98"  /* U+2018 */
#define LDQUO "\xE2\x80\x9C"  /* U+201C */
#define RDQUO "\xE2\x80\x9D"  /* U+201D */
#define BDQUO "\xE2\x80\x9E"  /* U+201E DOUBLE LOW-9 */
#define PRIME "\xE2\x80\xB2"  /* U+2032 */
#define DPRIME "\xE2\x80\xB3" /* U+2033 */
#define ZWSP "\xE2\x80\x8B"   /* U+200B ZERO WIDTH SPACE */
#define ZWJ "\xE2\x80\x8D"    /* U+200D ZERO WIDTH JOINER */
#define WJ "\xE2\x81\xA0"     /* U+2060 WORD JOINER */
#define BOM "\xEF\xBB\xBF"    /* U+FEFF */
#define SHY "\xC2\xAD"        /* U+00AD SOFT HYPHEN */
#define NBSP "\xC2\xA0"       /* U+00A0 */
#define THINSP "\xE2\x80\x89" /* U+2009 THIN SPACE */
#define NNBSP "\xE2\x80\xAF"  /* U+202F NARROW NO-BREAK SPACE */
#define IDSP "\xE3\x80\x80"   /* U+3000 IDEOGRAPHIC SPACE */
#define OGHAM "\xE1\x9A\x80"  /* U+1680 OGHAM SPACE MARK: Zs, no decomposition */
#define EMDASH "\xE2\x80\x94"
#define ENDASH "\xE2\x80\x93"
#define HYPHEN "\xE2\x80\x90"   /* U+2010 */
#define NBHYPHEN "\xE2\x80\x91" /* U+2011 NON-BREAKING HYPHEN */
#define MINUS "\xE2\x88\x92"    /* U+2212 */
#define LSEP "\xE2\x80\xA8"     /* U+2028 LINE SEPARATOR */
#define PSEP "\xE2\x80\xA9"     /* U+2029 PARAGRAPH SEPARATOR */
#define NEL "\xC2\x85"          /* U+0085 NEXT LINE */
#define FI_LIG "\xEF\xAC\x81"   /* U+FB01 LATIN SMALL LIGATURE FI */
#define FFFD "\xEF\xBF\xBD"

/* Normalizes `len` bytes of `s` as if they sat at source offset `base`,
 * checking what holds for every result: the end of the map, the NUL, no
 * NUL inside. */
static void norm_at(const char *s, size_t len, uint32_t base, sl_field *out)
{
    sl_field in = SL_FIELD_INIT;
    ck_assert_int_eq(sl_field_append_span(&in, s, len, base), SL_OK);
    ck_assert_int_eq(sl_normalize(&in, out), SL_OK);
    ck_assert_ptr_nonnull(out->text);
    ck_assert(out->len == 0 || out->nruns > 0);
    ck_assert_uint_eq(out->text[out->len], '\0');
    ck_assert_uint_eq(strlen(out->text), out->len);
    ck_assert_uint_eq(sl_field_offset(out, out->len), base + len);
    sl_field_clear(&in);
    /* The same bytes borrowed (read in place) give the same text and map. */
    sl_field b = SL_FIELD_INIT, bout = SL_FIELD_INIT;
    ck_assert_int_eq(sl_field_borrow(&b, s, len, base), SL_OK);
    ck_assert_int_eq(b.borrowed, 1);
    ck_assert_int_eq(sl_normalize(&b, &bout), SL_OK);
    ck_assert_uint_eq(bout.len, out->len);
    ck_assert_mem_eq(bout.text, out->text, out->len + 1);
    for (size_t i = 0; i <= out->len; i++)
        ck_assert_uint_eq(sl_field_offset(&bout, i), sl_field_offset(out, i));
    sl_field_clear(&bout);
    sl_field_clear(&b);
}

/* The normalized form of a C string, as a malloc'd string. */
static char *norm_str(const char *s)
{
    sl_field out = SL_FIELD_INIT;
    norm_at(s, strlen(s), 0, &out);
    char *r = out.text;
    out.text = NULL;
    sl_field_clear(&out);
    return r;
}

#define ck_norm(in, want)                                                                          \
    do {                                                                                           \
        char *got_ = norm_str(in);                                                                 \
        ck_assert_str_eq(got_, want);                                                              \
        free(got_);                                                                                \
    } while (0)

static void ck_map(const sl_field *f, const uint32_t *want, size_t n)
{
    ck_assert_uint_eq(f->len, n);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(sl_field_offset(f, i) == want[i], "byte %zu ('%c'): offset %u, want %u", i,
                      f->text[i], (unsigned)sl_field_offset(f, i), (unsigned)want[i]);
}

START_TEST(curly_quotes_fold)
{
    ck_norm("You" RSQUO "ve reached", "You've reached");
    ck_norm(LSQUO "single" RSQUO, "'single'");
    ck_norm(LDQUO "double" RDQUO " " BDQUO "low" LDQUO, "\"double\" \"low\"");
    ck_norm("5" PRIME "11" DPRIME, "5'11\"");
    ck_norm("don\xC2\xB4t", "don't");             /* U+00B4 typed for an apostrophe */
    ck_norm("\xEF\xBC\x82x\xEF\xBC\x87", "\"x'"); /* full-width quotes, via NFKC */
}
END_TEST

START_TEST(guillemets_are_kept)
{
    ck_norm("«Field»", "«Field»");
    ck_norm("\xE2\x80\xB9x\xE2\x80\xBA", "\xE2\x80\xB9x\xE2\x80\xBA"); /* single ones too */
    ck_norm("\xC2\xAB" NBSP "Bonjour" NBSP "\xC2\xBB", "\xC2\xAB Bonjour \xC2\xBB");
}
END_TEST

START_TEST(default_ignorables_removed)
{
    ck_norm("Sub" ZWSP "scribe", "Subscribe");
    ck_norm("co" SHY "operate", "cooperate");
    ck_norm(BOM "Title", "Title");
    ck_norm("a" ZWJ "b" WJ "c", "abc");
    ck_norm("x\xEF\xB8\x8Fy", "xy"); /* U+FE0F VARIATION SELECTOR-16 */
    ck_norm("x\xE2\x80\x8Ey", "xy"); /* U+200E LEFT-TO-RIGHT MARK */
    /* Neither starting nor ending a whitespace run. */
    ck_norm("a " ZWSP " b", "a b");
    ck_norm(ZWSP " a " ZWSP, "a");
    ck_norm(ZWSP ZWSP, "");
}
END_TEST

START_TEST(spaces_fold)
{
    ck_norm("a" NBSP "b" THINSP "c", "a b c");
    ck_norm("a" NNBSP "b" IDSP "c" OGHAM "d", "a b c d");
    ck_norm("a\tb", "a b");
    ck_norm("a" NBSP NBSP THINSP "b", "a b");
}
END_TEST

START_TEST(dashes_fold)
{
    ck_norm("a" EMDASH "b" ENDASH "c", "a-b-c");
    ck_norm("x" HYPHEN "y" NBHYPHEN "z", "x-y-z");
    ck_norm(MINUS "5", "-5");
    ck_norm("x\xEF\xBC\x8Dy", "x-y"); /* U+FF0D FULLWIDTH HYPHEN-MINUS */
    ck_norm("x\xEF\xB9\x98y", "x-y"); /* U+FE58 SMALL EM DASH */
}
END_TEST

START_TEST(compatibility_folding)
{
    ck_norm(FI_LIG "nance", "finance");
    ck_norm("\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3", "ABC"); /* ＡＢＣ */
    ck_norm("\xE2\x84\xA2", "TM");                          /* ™ */
    ck_norm("wait\xE2\x80\xA6", "wait...");                 /* … */
    ck_norm("\xE2\x91\xA0", "1");                           /* ① */
    ck_norm("\xE2\x84\xAB", "\xC3\x85");                    /* ANGSTROM SIGN to Å */
    /* Case is left to PCRE2. */
    ck_norm("MiXeD", "MiXeD");
}
END_TEST

START_TEST(plain_text_untouched)
{
    const char *s = "caf\xC3\xA9 \xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4 "
                    "\xE0\xA4\xA8\xE0\xA4\xAE\xE0\xA4\xB8\xE0\xA5\x8D\xE0\xA4\xA4\xE0\xA5\x87 "
                    "\xF0\x9F\x98\x80 \xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82";
    ck_norm(s, s);
    /* A decomposed sequence stays decomposed: folding is per character. */
    ck_norm("e\xCC\x81", "e\xCC\x81");
    /* A spacing diacritic stays one character, not a space and a mark. */
    ck_norm("x¨y", "x¨y");
    /* U+FFFD in the input is a character like any other. */
    ck_norm("a" FFFD "b", "a" FFFD "b");
    ck_norm("!\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~", "!\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~");
}
END_TEST

START_TEST(whitespace_runs)
{
    ck_norm("a  \t b", "a b");
    ck_norm("a \n\n  b", "a\nb");
    ck_norm("a\n \n\t\n b", "a\nb");
    ck_norm("a\r\nb", "a\nb");
    ck_norm("a\rb\r\rc", "a\nb\nc");
    ck_norm("a\vb\fc", "a\nb\nc");
    ck_norm("a" LSEP "b" PSEP "c" NEL "d", "a\nb\nc\nd");
    ck_norm("a" NBSP "\n" NBSP "b", "a\nb");
    ck_norm("  \n\t lead", "lead");
    ck_norm("trail \n\t ", "trail");
    ck_norm(" \t\r\n ", "");
    ck_norm("one\ntwo", "one\ntwo");
}
END_TEST

START_TEST(controls_dropped)
{
    ck_norm("p\x01q\x1Br\x7F", "pqr");
    ck_norm("p\xC2\x80q\xC2\x9Fr", "pqr"); /* C1 controls */
    ck_norm("a \x01 b", "a b");
    /* An embedded NUL is a control like any other. */
    sl_field out = SL_FIELD_INIT;
    norm_at("a\0b", 3, 0, &out);
    ck_assert_str_eq(out.text, "ab");
    const uint32_t want[] = {0, 2};
    ck_map(&out, want, 2);
    sl_field_clear(&out);
}
END_TEST

START_TEST(invalid_utf8)
{
    ck_norm("a\xFF"
            "b",
            "a" FFFD "b");
    ck_norm("\x80\x80", FFFD FFFD);                   /* stray continuation bytes */
    ck_norm("\xE2\x80z", FFFD "z");                   /* truncated: one subpart */
    ck_norm("x\xE2\x80", "x" FFFD);                   /* truncated by the end */
    ck_norm("\xF0\x9F\x98", FFFD);                    /* truncated 4-byte */
    ck_norm("\xC0\xAF", FFFD FFFD);                   /* overlong '/' */
    ck_norm("\xE0\x80\xAF", FFFD FFFD FFFD);          /* overlong 3-byte */
    ck_norm("\xED\xA0\x80", FFFD FFFD FFFD);          /* a UTF-16 surrogate */
    ck_norm("\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD); /* past U+10FFFF */
    ck_norm("\xF5\xFE\xFF", FFFD FFFD FFFD);
    ck_norm("\xC3\xC3\xA9", FFFD "\xC3\xA9"); /* bad byte starts the next */

    /* Each replacement maps to the first byte of what it replaces. */
    sl_field out = SL_FIELD_INIT;
    const char in[] = "a\xE2\x80z\xFF";
    norm_at(in, sizeof in - 1, 100, &out);
    ck_assert_str_eq(out.text, "a" FFFD "z" FFFD);
    const uint32_t want[] = {100, 101, 101, 101, 103, 104, 104, 104};
    ck_map(&out, want, 8);
    sl_field_clear(&out);
}
END_TEST

START_TEST(map_ascii_and_whitespace)
{
    sl_field out = SL_FIELD_INIT;
    const char *s = "  a  \t b \n\n  c  ";
    norm_at(s, strlen(s), 10, &out);
    ck_assert_str_eq(out.text, "a b\nc");
    /* A collapsed space maps to the first char of its run; a break maps to
     * the first line break of its run. */
    const uint32_t want[] = {12, 13, 17, 19, 23};
    ck_map(&out, want, 5);
    /* Trailing whitespace is gone, but the end is the end of the input. */
    ck_assert_uint_eq(sl_field_offset(&out, out.len), 10 + strlen(s));
    sl_field_clear(&out);
}
END_TEST

/* Words joined by single spaces are copied as one run: the spaces keep
 * their own offsets, from the input's map when it has gaps, and a single
 * space before anything that is not visible ASCII is still folded. */
START_TEST(map_word_runs)
{
    sl_field in = SL_FIELD_INIT, out = SL_FIELD_INIT;
    ck_assert_int_eq(sl_field_append_span(&in, "ab c", 4, 10), SL_OK);
    ck_assert_int_eq(sl_field_append_span(&in, " d e ", 5, 30), SL_OK);
    ck_assert_int_eq(sl_field_append_span(&in,
                                          "\xC2\xA0"
                                          "f \tg \n",
                                          8, 50),
                     SL_OK);
    ck_assert_int_eq(sl_field_append_span(&in, "h ", 2, 60), SL_OK);
    ck_assert_int_eq(sl_normalize(&in, &out), SL_OK);
    ck_assert_str_eq(out.text, "ab c d e f g\nh");
    const uint32_t want[] = {10, 11, 12, 13, 30, 31, 32, 33, 34, 52, 53, 55, 57, 60};
    ck_map(&out, want, 14);
    ck_assert_uint_eq(sl_field_offset(&out, out.len), 62);
    sl_field_clear(&in);
    sl_field_clear(&out);
    ck_norm("one two  three four ", "one two three four");
}
END_TEST

START_TEST(map_after_removed_char)
{
    sl_field out = SL_FIELD_INIT;
    const char *s = "Sub" ZWSP "scribe";
    norm_at(s, strlen(s), 0, &out);
    ck_assert_str_eq(out.text, "Subscribe");
    const uint32_t want[] = {0, 1, 2, 6, 7, 8, 9, 10, 11};
    ck_map(&out, want, 9);
    sl_field_clear(&out);
}
END_TEST

START_TEST(map_folded_chars)
{
    sl_field out = SL_FIELD_INIT;
    const char *s = "You" RSQUO "ve " FI_LIG "x" EMDASH NBSP "y";
    norm_at(s, strlen(s), 0, &out);
    ck_assert_str_eq(out.text, "You've fix- y");
    /* The quote maps to its first byte; both letters of the ligature map to
     * the ligature; the no-break space maps to itself. */
    const uint32_t want[] = {0, 1, 2, 3, 6, 7, 8, 9, 9, 12, 13, 16, 18};
    ck_map(&out, want, 13);
    sl_field_clear(&out);
}
END_TEST

START_TEST(map_multibyte_kept)
{
    sl_field out = SL_FIELD_INIT;
    const char *s = "\xC3\xA9z\xF0\x9F\x98\x80";
    norm_at(s, strlen(s), 5, &out);
    ck_assert_str_eq(out.text, s);
    /* Bytes of a multi-byte character all map to its first byte. */
    const uint32_t want[] = {5, 5, 7, 8, 8, 8, 8};
    ck_map(&out, want, 7);
    sl_field_clear(&out);
}
END_TEST

/* The input's own map need not be contiguous (decoded entities, inserted
 * block breaks): the output composes with it. */
START_TEST(map_composes_with_input_map)
{
    sl_field in = SL_FIELD_INIT, out = SL_FIELD_INIT;
    /* "a&amp;b" decoded: '&' stands for 5 source bytes at 11. */
    ck_assert_int_eq(sl_field_append_span(&in, "a", 1, 10), SL_OK);
    ck_assert_int_eq(sl_field_append_at(&in, "&", 1, 11), SL_OK);
    ck_assert_int_eq(sl_field_append_span(&in, "b  ", 3, 16), SL_OK);
    /* "&rsquo;" decoded to U+2019: three bytes standing for offset 19. */
    ck_assert_int_eq(sl_field_append_at(&in, RSQUO, 3, 19), SL_OK);
    ck_assert_int_eq(sl_field_break(&in, 26), SL_OK);
    ck_assert_int_eq(sl_field_append_span(&in, "c", 1, 40), SL_OK);
    ck_assert_int_eq(sl_normalize(&in, &out), SL_OK);
    ck_assert_str_eq(out.text, "a&b '\nc");
    const uint32_t want[] = {10, 11, 16, 17, 19, 26, 40};
    ck_map(&out, want, 7);
    ck_assert_uint_eq(sl_field_offset(&out, out.len), 41);
    sl_field_clear(&in);
    sl_field_clear(&out);
}
END_TEST

START_TEST(output_grows_past_input)
{
    /* U+FDFA folds 3 bytes into 33: the output outgrows the input. */
    const char *lig = "\xEF\xB7\xBA";
    const char *word = "\xD8\xB5\xD9\x84\xD9\x89 \xD8\xA7\xD9\x84\xD9\x84\xD9\x87 "
                       "\xD8\xB9\xD9\x84\xD9\x8A\xD9\x87 \xD9\x88\xD8\xB3\xD9\x84\xD9\x85";
    size_t wl = strlen(word), n = 2000;
    ck_assert_uint_eq(wl, 33);
    char *s = malloc(3 * n);
    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + 3 * i, lig, 3);
    sl_field out = SL_FIELD_INIT;
    norm_at(s, 3 * n, 0, &out);
    ck_assert_uint_eq(out.len, wl * n);
    for (size_t i = 0; i < n; i++) {
        ck_assert(memcmp(out.text + wl * i, word, wl) == 0);
        for (size_t j = 0; j < wl; j++)
            ck_assert_uint_eq(sl_field_offset(&out, wl * i + j), 3 * i);
    }
    sl_field_clear(&out);
    free(s);
}
END_TEST

START_TEST(long_input_map)
{
    /* Longer than any initial buffer, mixing runs of plain ASCII with
     * folded characters; every byte's offset is checked. */
    const char *unit = "Ab  " RSQUO "c" ZWSP "d\n\n";
    size_t ul = strlen(unit), reps = 5000;
    sl_field in = SL_FIELD_INIT, out = SL_FIELD_INIT;
    for (size_t i = 0; i < reps; i++)
        ck_assert_int_eq(sl_field_append_span(&in, unit, ul, i * ul), SL_OK);
    ck_assert_int_eq(sl_normalize(&in, &out), SL_OK);
    /* Per unit: "Ab 'cd\n" (the last unit has no trailing break). */
    ck_assert_uint_eq(out.len, reps * 7 - 1);
    const uint32_t rel[] = {0, 1, 2, 4, 7, 11, 12};
    for (size_t i = 0; i < out.len; i++) {
        ck_assert_uint_eq(out.text[i], "Ab 'cd\n"[i % 7]);
        ck_assert_uint_eq(sl_field_offset(&out, i), (i / 7) * ul + rel[i % 7]);
    }
    ck_assert_uint_eq(sl_field_offset(&out, out.len), reps * ul);
    sl_field_clear(&in);
    sl_field_clear(&out);
}
END_TEST

START_TEST(empty_and_misuse)
{
    sl_field in = SL_FIELD_INIT, out = SL_FIELD_INIT;
    /* An empty field gives an empty field. */
    ck_assert_int_eq(sl_normalize(&in, &out), SL_OK);
    ck_assert_uint_eq(out.len, 0);
    ck_assert_uint_eq(sl_field_offset(&out, 0), 0);
    /* Text that folds to nothing still has its end offset. */
    ck_assert_int_eq(sl_field_append_span(&in, " " ZWSP "\n", 5, 7), SL_OK);
    ck_assert_int_eq(sl_normalize(&in, &out), SL_OK);
    ck_assert_uint_eq(out.len, 0);
    ck_assert_str_eq(out.text, "");
    ck_assert_uint_eq(sl_field_offset(&out, 0), 12);
    sl_field_clear(&out);
    /* The output must start empty. */
    ck_assert_int_eq(sl_field_append_span(&out, "x", 1, 0), SL_OK);
    ck_assert_int_eq(sl_normalize(&in, &out), SL_EINVAL);
    ck_assert_str_eq(out.text, "x");
    sl_field_clear(&in);
    sl_field_clear(&out);
}
END_TEST

/* A borrowed field reads the source in place: its map is base + i, it
 * equals an owned copy of itself, and writing to it makes it an owned
 * copy first, never touching the source. */
START_TEST(borrowed_field)
{
    static const char src[] = "0123456789Some text\nmore";
    char before[sizeof src];
    memcpy(before, src, sizeof src);
    sl_field b = SL_FIELD_INIT, own = SL_FIELD_INIT;
    ck_assert_int_eq(sl_field_borrow(&b, src + 10, 14, 10), SL_OK);
    ck_assert_ptr_eq(b.text, src + 10);
    ck_assert_ptr_null(b.runs);
    ck_assert_uint_eq(sl_field_offset(&b, 0), 10);
    ck_assert_uint_eq(sl_field_offset(&b, 14), 24);
    ck_assert_uint_eq(sl_field_offset(&b, 99), 24);
    ck_assert_int_eq(sl_field_append_span(&own, src + 10, 14, 10), SL_OK);
    ck_assert(sl_field_equal(&b, &own));
    ck_assert(sl_field_equal(&own, &b));
    sl_field other = SL_FIELD_INIT;
    ck_assert_int_eq(sl_field_borrow(&other, src + 10, 14, 11), SL_OK);
    ck_assert(!sl_field_equal(&b, &other));
    ck_assert(!sl_field_equal(&other, &own));
    sl_field_reset(&other);
    ck_assert_uint_eq(other.len, 0);
    ck_assert_int_eq(other.borrowed, 0);

    /* A break, then more text: the field is now its own copy. */
    ck_assert_int_eq(sl_field_break(&b, 23), SL_OK);
    ck_assert_int_eq(sl_field_append_span(&b, "xy", 2, 40), SL_OK);
    ck_assert_int_eq(b.borrowed, 0);
    ck_assert_ptr_ne(b.text, src + 10);
    ck_assert_str_eq(b.text, "Some text\nmore\nxy");
    static const uint32_t want[] = {10, 11, 12, 13, 14, 15, 16, 17, 18,
                                    19, 20, 21, 22, 23, 23, 40, 41};
    ck_map(&b, want, sizeof want / sizeof *want);
    ck_assert_uint_eq(sl_field_offset(&b, b.len), 42);
    ck_assert_mem_eq(src, before, sizeof src);

    /* An empty borrow is an empty field; the limits are those of appends. */
    sl_field e = SL_FIELD_INIT;
    ck_assert_int_eq(sl_field_borrow(&e, src, 0, 5), SL_OK);
    ck_assert_int_eq(e.borrowed, 0);
    ck_assert_uint_eq(e.len, 0);
    ck_assert_int_eq(sl_field_borrow(&e, src, 10, UINT32_MAX - 5), SL_ELIMIT);
    sl_field_clear(&b);
    sl_field_clear(&own);
    sl_field_clear(&other);
    sl_field_clear(&e);
}
END_TEST

START_TEST(string_variant)
{
    char *r = NULL;
    size_t n = 99;
    const char *s = "You" RSQUO "ve  reached\n";
    ck_assert_int_eq(sl_normalize_string(s, strlen(s), &r, &n), SL_OK);
    ck_assert_str_eq(r, "You've reached");
    ck_assert_uint_eq(n, 14);
    free(r);

    /* Only `len` bytes are read. */
    ck_assert_int_eq(sl_normalize_string("abc def", 3, &r, &n), SL_OK);
    ck_assert_str_eq(r, "abc");
    ck_assert_uint_eq(n, 3);
    free(r);

    /* Empty input and empty output are "" (never NULL); outlen may be NULL. */
    ck_assert_int_eq(sl_normalize_string("", 0, &r, &n), SL_OK);
    ck_assert_str_eq(r, "");
    ck_assert_uint_eq(n, 0);
    free(r);
    ck_assert_int_eq(sl_normalize_string(NULL, 0, &r, NULL), SL_OK);
    ck_assert_str_eq(r, "");
    free(r);
    ck_assert_int_eq(sl_normalize_string(" \t" ZWSP, 5, &r, NULL), SL_OK);
    ck_assert_str_eq(r, "");
    free(r);

    /* Patterns with invalid bytes and embedded NULs do not break it. */
    ck_assert_int_eq(sl_normalize_string("a\0\xFFz", 4, &r, &n), SL_OK);
    ck_assert_str_eq(r, "a" FFFD "z");
    ck_assert_uint_eq(n, 5);
    free(r);
}
END_TEST

START_TEST(idempotent)
{
    const char *samples[] = {
        "You" RSQUO "ve reached " EMDASH " sub" ZWSP "scribe\r\n\r\n now",
        FI_LIG " \xEF\xBC\xA1 \xE2\x84\xA2 \xC2\xABx\xC2\xBB \xE2\x80\xB3 \xC2\xA8",
        "\xFF\xE2\x80 a \n b \xEF\xB7\xBA",
    };
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
        char *once = norm_str(samples[i]);
        char *twice = norm_str(once);
        ck_assert_str_eq(twice, once);
        free(once);
        free(twice);
    }
}
END_TEST

/* The fold of ASCII text, written the slow and obvious way: visible
 * characters kept with their offsets; a run of whitespace between two of
 * them becomes one line break (at its first break character) when it holds
 * one, else one space (at its first space); at either end it goes; other
 * controls vanish without starting or ending a run. A byte 0x80 or over
 * stands alone here (0x80, 0xFF: never UTF-8 by itself) and becomes
 * U+FFFD. */
static size_t ascii_model(const char *s, size_t n, char *out, uint32_t *map)
{
    size_t len = 0;
    int pend = 0; /* 0 none, 1 space, 2 break */
    uint32_t pend_off = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c > 0x20 && c != 0x7F) {
            if (pend && len) {
                out[len] = pend == 2 ? '\n' : ' ';
                map[len++] = pend_off;
            }
            pend = 0;
            if (c < 0x80) {
                out[len] = (char)c;
                map[len++] = (uint32_t)i;
                continue;
            }
            for (int k = 0; k < 3; k++) {
                out[len] = "\xEF\xBF\xBD"[k];
                map[len++] = (uint32_t)i;
            }
        } else if (c == '\n' || c == '\r' || c == '\v' || c == '\f') {
            if (pend != 2) {
                pend = 2;
                pend_off = (uint32_t)i;
            }
        } else if (c == ' ' || c == '\t') {
            if (!pend) {
                pend = 1;
                pend_off = (uint32_t)i;
            }
        }
    }
    return len;
}

/* The fold of text[0, n) equals ascii_model's. */
static void ck_model(const char *text, size_t n)
{
    char want[900];
    uint32_t map[900];
    ck_assert_uint_le(n, 300);
    size_t wlen = ascii_model(text, n, want, map);
    sl_field out = SL_FIELD_INIT;
    sl_field in = SL_FIELD_INIT;
    if (n) {
        ck_assert_int_eq(sl_field_append_span(&in, text, n, 0), SL_OK);
        ck_assert_int_eq(sl_normalize(&in, &out), SL_OK);
    }
    ck_assert_msg(out.len == wlen && memcmp(out.text, want, wlen) == 0,
                  "'%.*s': got '%.*s', want '%.*s'", (int)n, text, (int)out.len,
                  out.text ? out.text : "", (int)wlen, want);
    for (size_t i = 0; i < wlen; i++)
        ck_assert_msg(sl_field_offset(&out, i) == map[i], "'%.*s': byte %zu maps to %u, want %u",
                      (int)n, text, i, (unsigned)sl_field_offset(&out, i), (unsigned)map[i]);
    /* The same text from a map with gaps, as a page's text has between its
     * tags: each byte maps to where the gapped map puts the model's. */
    sl_field gin = SL_FIELD_INIT, gout = SL_FIELD_INIT;
    uint32_t at = 7;
    for (size_t k = 0; k < n;) {
        size_t run = 1 + (k * 7 + n) % 13;
        if (run > n - k)
            run = n - k;
        ck_assert_int_eq(sl_field_append_span(&gin, text + k, run, at), SL_OK);
        at += (uint32_t)run + 1 + (uint32_t)(k % 3);
        k += run;
    }
    if (n)
        ck_assert_int_eq(sl_normalize(&gin, &gout), SL_OK);
    ck_assert_uint_eq(gout.len, wlen);
    for (size_t i = 0; i <= wlen; i++) {
        size_t goff = i < wlen ? sl_field_offset(&gin, map[i]) : sl_field_offset(&gin, n);
        ck_assert_msg(sl_field_offset(&gout, i) == goff,
                      "'%.*s' with gaps: byte %zu maps to %zu, want %zu", (int)n, text, i,
                      sl_field_offset(&gout, i), goff);
    }
    sl_field_clear(&gin);
    sl_field_clear(&gout);
    sl_field_clear(&in);
    sl_field_clear(&out);
}

/* Random ASCII texts, mostly long runs of words with single spaces (the
 * path that goes sixteen and eight bytes at a time) broken at every
 * position by double spaces, line breaks, tabs, controls, DEL and bytes
 * that are not ASCII; then every pair of those after a space, at every
 * place in and around the blocks the fast path reads. */
START_TEST(ascii_matches_model)
{
    static const char pieces[] = "abcdefghij.,'-!~ ";
    static const char odd[] = {' ', '\n', '\t', '\r', '\x01', '\x7f', '\x1f', '\f', '\x80', '\xff'};
    unsigned seed = 4242;
    char text[300];
    for (int r = 0; r < 20000; r++) {
        size_t n = 0, len = (size_t)(rand_r(&seed) % 160);
        int rate = 2 + rand_r(&seed) % 40;
        while (n < len) {
            if (rand_r(&seed) % rate == 0)
                text[n++] = odd[rand_r(&seed) % sizeof odd];
            else
                text[n++] = pieces[rand_r(&seed) % (sizeof pieces - 1)];
        }
        ck_model(text, n);
    }
    for (size_t at = 0; at < 40; at++)
        for (size_t a = 0; a < sizeof odd; a++)
            for (size_t b = 0; b <= sizeof odd; b++) {
                size_t n = 0;
                for (size_t k = 0; k < at; k++)
                    text[n++] = k % 5 == 4 ? ' ' : (char)('a' + k % 26);
                text[n++] = ' ';
                text[n++] = odd[a];
                if (b < sizeof odd) {
                    text[n++] = odd[b];
                    ck_model(text, n); /* ending there */
                    text[n++] = 'z';
                }
                ck_model(text, n);
            }
}
END_TEST

static Suite *normalize_suite(void)
{
    Suite *s = suite_create("normalize");
    TCase *tc = tcase_create("fold");
    tcase_add_test(tc, curly_quotes_fold);
    tcase_add_test(tc, guillemets_are_kept);
    tcase_add_test(tc, default_ignorables_removed);
    tcase_add_test(tc, spaces_fold);
    tcase_add_test(tc, dashes_fold);
    tcase_add_test(tc, compatibility_folding);
    tcase_add_test(tc, plain_text_untouched);
    tcase_add_test(tc, whitespace_runs);
    tcase_add_test(tc, controls_dropped);
    tcase_add_test(tc, invalid_utf8);
    tcase_add_test(tc, idempotent);
    tcase_add_test(tc, borrowed_field);
    suite_add_tcase(s, tc);

    tc = tcase_create("map");
    tcase_add_test(tc, map_ascii_and_whitespace);
    tcase_add_test(tc, map_word_runs);
    tcase_add_test(tc, map_after_removed_char);
    tcase_add_test(tc, map_folded_chars);
    tcase_add_test(tc, map_multibyte_kept);
    tcase_add_test(tc, map_composes_with_input_map);
    tcase_add_test(tc, output_grows_past_input);
    tcase_add_test(tc, long_input_map);
    tcase_add_test(tc, empty_and_misuse);
    tcase_add_test(tc, ascii_matches_model);
    suite_add_tcase(s, tc);

    tc = tcase_create("string");
    tcase_add_test(tc, string_variant);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(normalize_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
