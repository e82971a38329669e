/* Check suite: sources (line index, line/column of an offset) and fields
 * (text with an offset map). */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/field.h"
#include "text/source.h"

/* A source over a malloc'd copy of `len` bytes of `s` (it takes the copy). */
static void src_init(sl_source *src, const char *s, size_t len)
{
    char *data = malloc(len + 1);
    ck_assert_ptr_nonnull(data);
    memcpy(data, s, len);
    data[len] = '\0';
    ck_assert_int_eq(sl_source_init(src, "t.txt", data, len), SL_OK);
}

static void ck_pos(const sl_source *src, size_t off, unsigned want_line, unsigned want_col)
{
    unsigned line = 0, col = 0;
    sl_source_position(src, off, &line, &col);
    ck_assert_msg(line == want_line && col == want_col, "offset %zu: %u:%u, want %u:%u", off, line,
                  col, want_line, want_col);
}

START_TEST(lf_lines)
{
    sl_source src;
    src_init(&src, "ab\ncd\n\nef", 9);
    ck_assert_str_eq(src.path, "t.txt");
    ck_assert_uint_eq(src.len, 9);
    ck_assert_uint_eq(src.nlines, 4);
    ck_assert_uint_eq(src.lines[0], 0);
    ck_assert_uint_eq(src.lines[1], 3);
    ck_assert_uint_eq(src.lines[2], 6);
    ck_assert_uint_eq(src.lines[3], 7);
    ck_pos(&src, 0, 1, 1);
    ck_pos(&src, 1, 1, 2);
    ck_pos(&src, 2, 1, 3); /* the newline itself ends its line */
    ck_pos(&src, 3, 2, 1);
    ck_pos(&src, 6, 3, 1); /* an empty line */
    ck_pos(&src, 8, 4, 2);
    ck_pos(&src, 9, 4, 3); /* the end */
    sl_source_clear(&src);
}
END_TEST

START_TEST(crlf_and_cr_lines)
{
    sl_source src;
    src_init(&src, "ab\r\ncd\r\n", 8);
    ck_assert_uint_eq(src.nlines, 3);
    ck_assert_uint_eq(src.lines[1], 4);
    ck_assert_uint_eq(src.lines[2], 8);
    ck_pos(&src, 2, 1, 3);
    ck_pos(&src, 3, 1, 4);
    ck_pos(&src, 4, 2, 1);
    ck_pos(&src, 5, 2, 2);
    ck_pos(&src, 8, 3, 1);
    sl_source_clear(&src);

    /* Lone CRs (old Mac files), a CR at the very end, "\n\r" as two ends. */
    src_init(&src, "a\rb\r\rc\n\rd\r", 10);
    ck_assert_uint_eq(src.nlines, 7);
    const size_t want[] = {0, 2, 4, 5, 7, 8, 10};
    for (size_t i = 0; i < src.nlines; i++)
        ck_assert_uint_eq(src.lines[i], want[i]);
    ck_pos(&src, 2, 2, 1);
    ck_pos(&src, 4, 3, 1);
    ck_pos(&src, 5, 4, 1);
    ck_pos(&src, 7, 5, 1);
    ck_pos(&src, 8, 6, 1);
    ck_pos(&src, 9, 6, 2);
    ck_pos(&src, 10, 7, 1);
    sl_source_clear(&src);
}
END_TEST

START_TEST(columns_count_characters)
{
    sl_source src;
    /* n é(2) 😀(4) x \n Ж(2) y */
    const char *s = "n\xC3\xA9\xF0\x9F\x98\x80x\nx\xD0\x96y";
    src_init(&src, s, strlen(s));
    ck_pos(&src, 0, 1, 1);
    ck_pos(&src, 1, 1, 2);
    ck_pos(&src, 3, 1, 3);
    ck_pos(&src, 7, 1, 4);
    ck_pos(&src, 8, 1, 5);
    ck_pos(&src, 10, 2, 2);
    ck_pos(&src, 12, 2, 3);
    /* An offset inside a character gets that character's column. */
    ck_pos(&src, 2, 1, 2);
    ck_pos(&src, 5, 1, 3);
    ck_pos(&src, 11, 2, 2);
    sl_source_clear(&src);
}
END_TEST

START_TEST(columns_over_invalid_utf8)
{
    sl_source src;
    /* Two stray continuation bytes, a truncated sequence, then a letter:
     * one column each, as a U+FFFD each in normalized text and editors. */
    const char *s = "\x80\x80\xE2\x80x\xFFy";
    src_init(&src, s, strlen(s));
    ck_pos(&src, 1, 1, 2);
    ck_pos(&src, 2, 1, 3);
    ck_pos(&src, 4, 1, 4);
    ck_pos(&src, 5, 1, 5);
    ck_pos(&src, 6, 1, 6);
    sl_source_clear(&src);

    /* A sequence cut short by a line end does not swallow it. */
    src_init(&src, "\xE2\x80\nz", 4);
    ck_assert_uint_eq(src.nlines, 2);
    ck_pos(&src, 3, 2, 1);
    sl_source_clear(&src);
}
END_TEST

START_TEST(offset_past_end)
{
    sl_source src;
    src_init(&src, "ab\ncd", 5);
    ck_pos(&src, 5, 2, 3);
    ck_pos(&src, 6, 2, 3);
    ck_pos(&src, (size_t)-1, 2, 3);
    sl_source_clear(&src);

    src_init(&src, "", 0);
    ck_assert_uint_eq(src.nlines, 1);
    ck_pos(&src, 0, 1, 1);
    ck_pos(&src, 10, 1, 1);
    sl_source_clear(&src);
}
END_TEST

START_TEST(many_lines)
{
    /* More lines than the index starts with, found by binary search. */
    size_t n = 5000, len = 0;
    char *data = malloc(n * 8 + 1);
    ck_assert_ptr_nonnull(data);
    for (size_t i = 0; i < n; i++) {
        /* line i has i % 7 characters, then a mix of line ends */
        for (size_t k = 0; k < i % 7; k++)
            data[len++] = 'x';
        if (i % 3 == 0)
            data[len++] = '\n';
        else if (i % 3 == 1)
            data[len++] = '\r';
        else {
            data[len++] = '\r';
            data[len++] = '\n';
        }
    }
    data[len] = '\0';
    sl_source src;
    ck_assert_int_eq(sl_source_init(&src, NULL, data, len), SL_OK);
    ck_assert_str_eq(src.path, "-");
    ck_assert_uint_eq(src.nlines, n + 1);
    for (size_t i = 0; i < n; i++) {
        size_t start = src.lines[i];
        ck_pos(&src, start, (unsigned)i + 1, 1);
        ck_pos(&src, start + i % 7, (unsigned)i + 1, (unsigned)(i % 7) + 1);
    }
    ck_pos(&src, len, (unsigned)n + 1, 1);
    sl_source_clear(&src);
}
END_TEST

/* The line index against a byte-at-a-time reference: "\n", "\r" and
 * "\r\n" at every offset of texts around the eight-byte steps. */
START_TEST(line_index_matches_reference)
{
    const char *const ends[] = {"\n", "\r", "\r\n", "\n\r"};
    char buf[48];
    for (size_t len = 1; len <= 40; len++)
        for (size_t at = 0; at < len; at++)
            for (size_t e = 0; e < 4; e++) {
                memset(buf, 'x', sizeof buf);
                size_t el = strlen(ends[e]);
                memcpy(buf + at, ends[e], at + el <= len ? el : len - at);
                if (len > 20)
                    buf[len - 3] = '\n';
                sl_source src;
                src_init(&src, buf, len);
                uint32_t want[48];
                size_t n = 0;
                want[n++] = 0;
                for (size_t i = 0; i < len; i++)
                    if (buf[i] == '\n' || buf[i] == '\r') {
                        if (buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n')
                            i++;
                        want[n++] = (uint32_t)(i + 1);
                    }
                ck_assert_uint_eq(src.nlines, n);
                for (size_t k = 0; k < n; k++)
                    ck_assert_uint_eq(src.lines[k], want[k]);
                sl_source_clear(&src);
            }
}
END_TEST

/* A lazy source builds its index only when asked, and answers as an
 * indexed one does: positions and line starts, at every offset. */
START_TEST(lazy_index)
{
    static const char text[] = "ab\r\ncd\n\n\xC3\xA9"
                               "f\rg\r\n\nlast";
    size_t len = sizeof text - 1;
    sl_source eager, lazy;
    src_init(&eager, text, len);
    ck_assert_int_eq(
        sl_source_init_with(&lazy, "t.txt", text, len, SL_SOURCE_BORROWED | SL_SOURCE_LAZY), SL_OK);
    ck_assert_ptr_null(lazy.lines);
    size_t off = 0;
    ck_assert_int_eq(sl_source_line_start(&lazy, 3, &off), 1);
    ck_assert_ptr_nonnull(lazy.lines); /* built by the first question */
    ck_assert_uint_eq(off, eager.lines[2]);
    ck_assert_uint_eq(lazy.nlines, eager.nlines);
    for (size_t k = 0; k <= lazy.nlines + 1; k++) {
        size_t a = 0, b = 0;
        ck_assert_int_eq(sl_source_line_start(&lazy, k, &a), sl_source_line_start(&eager, k, &b));
        ck_assert_uint_eq(a, b);
    }
    sl_source_clear(&lazy);

    /* Asked a position first, the same answers at every offset. */
    ck_assert_int_eq(
        sl_source_init_with(&lazy, "t.txt", text, len, SL_SOURCE_BORROWED | SL_SOURCE_LAZY), SL_OK);
    for (size_t i = 0; i <= len + 1; i++) {
        unsigned l1, c1, l2, c2;
        sl_source_position(&lazy, i, &l1, &c1);
        sl_source_position(&eager, i, &l2, &c2);
        ck_assert_msg(l1 == l2 && c1 == c2, "offset %zu: %u:%u vs %u:%u", i, l1, c1, l2, c2);
    }
    ck_assert_int_eq(sl_source_index(&lazy), SL_OK); /* already built: nothing to do */
    ck_assert_uint_eq(lazy.nlines, eager.nlines);
    sl_source_clear(&lazy);
    sl_source_clear(&eager);
}
END_TEST

/* The last position asked is where the next walk may start: whatever the
 * order of the questions, on an indexed, a lazy or a streamed source, the
 * answers are those of a source asked nothing before. */
START_TEST(positions_in_any_order)
{
    char text[4096];
    size_t len = 0;
    static const char *const pieces[] = {
        "word ", "\xC3\xA9t\xC3\xA9 ", "\xE2\x80\x99", "\r\n", "\n", "\r", "\xFF", "\xE2\x82"};
    uint32_t x = 12345;
    while (len < sizeof text - 8) {
        x = x * 1103515245u + 12345u;
        /* Mostly one long line, with a few line ends. */
        size_t k = (x >> 16) % 64;
        const char *p = pieces[k < 48 ? 0 : k < 54 ? 1 : k < 58 ? 2 : 3 + k % 5];
        memcpy(text + len, p, strlen(p));
        len += strlen(p);
    }
    sl_source ref, srcs[3];
    ck_assert_int_eq(sl_source_init_with(&ref, "r.txt", text, len, SL_SOURCE_BORROWED), SL_OK);
    ck_assert_int_eq(sl_source_init_with(&srcs[0], "t.txt", text, len, SL_SOURCE_BORROWED), SL_OK);
    ck_assert_int_eq(
        sl_source_init_with(&srcs[1], "t.txt", text, len, SL_SOURCE_BORROWED | SL_SOURCE_LAZY),
        SL_OK);
    ck_assert_int_eq(
        sl_source_init_with(&srcs[2], "t.txt", text, len, SL_SOURCE_BORROWED | SL_SOURCE_STREAM),
        SL_OK);
    for (int q = 0; q < 6000; q++) {
        x = x * 1103515245u + 12345u;
        /* Runs forward, jumps back, and asks the same offset again. */
        size_t off = q % 3 == 2 ? (size_t)(x >> 8) % (len + 2) : (size_t)q * 7 % (len + 2);
        unsigned l0, c0;
        ref.near_line = 0; /* asked nothing before */
        sl_source_position(&ref, off, &l0, &c0);
        for (int k = 0; k < 3; k++) {
            unsigned l1, c1;
            sl_source_position(&srcs[k], off, &l1, &c1);
            ck_assert_msg(l1 == l0 && c1 == c0, "source %d, offset %zu: %u:%u, want %u:%u", k, off,
                          l1, c1, l0, c0);
        }
    }
    sl_source_clear(&ref);
    for (int k = 0; k < 3; k++)
        sl_source_clear(&srcs[k]);
}
END_TEST

START_TEST(source_clear)
{
    sl_source src;
    src_init(&src, "x", 1);
    sl_source_clear(&src);
    ck_assert_ptr_null(src.data);
    ck_assert_ptr_null(src.lines);
    sl_source_clear(&src); /* twice is harmless */
    sl_source_clear(NULL);
    /* A cleared source still answers. */
    ck_pos(&src, 3, 1, 1);
}
END_TEST

/* ---------------------------------------------------------------- fields */

START_TEST(field_spans_and_points)
{
    sl_field f = SL_FIELD_INIT;
    ck_assert_int_eq(sl_field_append_span(&f, "abc", 3, 10), SL_OK);
    ck_assert_int_eq(sl_field_append_at(&f, "&", 1, 20), SL_OK);
    ck_assert_int_eq(sl_field_append_at(&f, "\xE2\x80\x99", 3, 30), SL_OK);
    ck_assert_int_eq(sl_field_append_span(&f, "yz", 2, 40), SL_OK);
    ck_assert_str_eq(f.text, "abc&\xE2\x80\x99yz");
    ck_assert_uint_eq(f.len, 9);
    const uint32_t want[] = {10, 11, 12, 20, 30, 30, 30, 40, 41, 42};
    for (size_t i = 0; i <= f.len; i++)
        ck_assert_uint_eq(sl_field_offset(&f, i), want[i]);
    /* Four runs; a stretch that steps by one ends where its run does, and
     * each byte of a character that stands for one source byte is its own. */
    ck_assert_uint_eq(f.nruns, 4);
    ck_assert_uint_eq(sl_field_span(&f, 0, f.len), 3);
    ck_assert_uint_eq(sl_field_span(&f, 1, f.len), 3);
    ck_assert_uint_eq(sl_field_span(&f, 1, 2), 2);
    ck_assert_uint_eq(sl_field_span(&f, 3, f.len), 4);
    ck_assert_uint_eq(sl_field_span(&f, 4, f.len), 5);
    ck_assert_uint_eq(sl_field_span(&f, 5, f.len), 6);
    ck_assert_uint_eq(sl_field_span(&f, 7, f.len), 9);
    ck_assert_uint_eq(sl_field_span(&f, 7, 8), 8);
    /* The same text from other offsets is another field. */
    sl_field g = SL_FIELD_INIT, h = SL_FIELD_INIT;
    ck_assert_int_eq(sl_field_append_span(&g, f.text, f.len, 10), SL_OK);
    ck_assert(!sl_field_equal(&f, &g));
    ck_assert_int_eq(sl_field_append_span(&h, "abc", 3, 10), SL_OK);
    ck_assert_int_eq(sl_field_append_at(&h, "&", 1, 20), SL_OK);
    ck_assert_int_eq(sl_field_append_at(&h, "\xE2\x80\x99", 3, 30), SL_OK);
    ck_assert_int_eq(sl_field_append_span(&h, "y", 1, 40), SL_OK);
    ck_assert_int_eq(sl_field_append_span(&h, "z", 1, 41), SL_OK);
    ck_assert(sl_field_equal(&f, &h));
    sl_field_clear(&h);
    ck_assert_int_eq(sl_field_append_span(&h, "abc&", 4, 10), SL_OK);
    ck_assert_int_eq(sl_field_append_span(&h, "\xE2\x80\x99yz", 5, 30), SL_OK);
    ck_assert(!sl_field_equal(&f, &h));
    sl_field_clear(&g);
    sl_field_clear(&h);
    /* An index past the text is the end. */
    ck_assert_uint_eq(sl_field_offset(&f, 100), 42);
    /* After a point append, the end is just past that one source byte. */
    ck_assert_int_eq(sl_field_append_at(&f, "!", 1, 50), SL_OK);
    ck_assert_uint_eq(sl_field_offset(&f, f.len), 51);
    sl_field_clear(&f);
    ck_assert_ptr_null(f.text);
    ck_assert_uint_eq(f.len, 0);
}
END_TEST

START_TEST(field_break)
{
    sl_field f = SL_FIELD_INIT;
    /* Nothing before the first text, never two in a row. */
    ck_assert_int_eq(sl_field_break(&f, 0), SL_OK);
    ck_assert_uint_eq(f.len, 0);
    ck_assert_int_eq(sl_field_append_span(&f, "a", 1, 0), SL_OK);
    ck_assert_int_eq(sl_field_break(&f, 5), SL_OK);
    ck_assert_int_eq(sl_field_break(&f, 6), SL_OK);
    ck_assert_int_eq(sl_field_append_span(&f, "b", 1, 9), SL_OK);
    ck_assert_str_eq(f.text, "a\nb");
    ck_assert_uint_eq(sl_field_offset(&f, 1), 5);
    ck_assert_uint_eq(sl_field_offset(&f, 2), 9);
    sl_field_clear(&f);
}
END_TEST

START_TEST(field_growth)
{
    /* Far past the first allocation, one byte and one chunk at a time. */
    sl_field f = SL_FIELD_INIT;
    for (size_t i = 0; i < 3000; i++)
        ck_assert_int_eq(sl_field_append_span(&f, "xy", i % 2 + 1, 4 * i), SL_OK);
    ck_assert_uint_eq(f.len, 4500);
    ck_assert_uint_eq(strlen(f.text), f.len);
    size_t k = 0;
    for (size_t i = 0; i < 3000; i++)
        for (size_t j = 0; j < i % 2 + 1; j++, k++) {
            ck_assert_uint_eq(f.text[k], "xy"[j]);
            ck_assert_uint_eq(sl_field_offset(&f, k), 4 * i + j);
        }
    ck_assert_uint_eq(sl_field_offset(&f, f.len), 4 * 2999 + 2);
    sl_field_clear(&f);
}
END_TEST

START_TEST(field_empty_and_move)
{
    sl_field a = SL_FIELD_INIT, b = SL_FIELD_INIT;
    /* An empty field answers 0 and frees cleanly. */
    ck_assert_uint_eq(sl_field_offset(&a, 0), 0);
    sl_field_clear(&a);
    sl_field_clear(NULL);
    /* Appending nothing still gives a usable, terminated field. */
    ck_assert_int_eq(sl_field_append_span(&a, "", 0, 7), SL_OK);
    ck_assert_str_eq(a.text, "");
    ck_assert_uint_eq(sl_field_offset(&a, 0), 7);
    sl_field_clear(&a);

    ck_assert_int_eq(sl_field_append_span(&a, "new", 3, 0), SL_OK);
    ck_assert_int_eq(sl_field_append_span(&b, "old", 3, 0), SL_OK);
    sl_field_move(&b, &a); /* b's old text is freed */
    ck_assert_str_eq(b.text, "new");
    ck_assert_uint_eq(b.len, 3);
    ck_assert_ptr_null(a.text);
    ck_assert_ptr_null(a.runs);
    ck_assert_uint_eq(a.len, 0);
    ck_assert_uint_eq(a.cap, 0);
    sl_field_clear(&a);
    sl_field_clear(&b);
}
END_TEST

static Suite *source_suite(void)
{
    Suite *s = suite_create("source");
    TCase *tc = tcase_create("source");
    tcase_add_test(tc, lf_lines);
    tcase_add_test(tc, crlf_and_cr_lines);
    tcase_add_test(tc, columns_count_characters);
    tcase_add_test(tc, columns_over_invalid_utf8);
    tcase_add_test(tc, offset_past_end);
    tcase_add_test(tc, many_lines);
    tcase_add_test(tc, line_index_matches_reference);
    tcase_add_test(tc, lazy_index);
    tcase_add_test(tc, positions_in_any_order);
    tcase_add_test(tc, source_clear);
    suite_add_tcase(s, tc);

    tc = tcase_create("field");
    tcase_add_test(tc, field_spans_and_points);
    tcase_add_test(tc, field_break);
    tcase_add_test(tc, field_growth);
    tcase_add_test(tc, field_empty_and_move);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(source_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
