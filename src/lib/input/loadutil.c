/* memmem */
#define _GNU_SOURCE

#include "input/loadutil.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

#include "util/swar.h"

sl_status sl_input_copy_field(sl_field *dst, const sl_field *from, size_t i, size_t n)
{
    sl_status st = SL_OK;
    size_t end = i + n;
    if (end > from->len)
        end = from->len;
    while (i < end) {
        /* The longest run whose offsets step by one: one span call then
         * keeps the map exact for the whole run. */
        size_t o = sl_field_offset(from, i), j = sl_field_span(from, i, end);
        if (j - i == 1)
            st = sl_field_append_at(dst, from->text + i, 1, o);
        else
            st = sl_field_append_span(dst, from->text + i, j - i, o);
        if (st != SL_OK)
            return st;
        i = j;
    }
    return st;
}

sl_status sl_input_append_lines(sl_field *f, const char *data, size_t start, size_t end)
{
    size_t run = start;
    for (size_t i = start; i < end; i++) {
        const char *cr = memchr(data + i, '\r', end - i);
        if (!cr)
            break;
        i = (size_t)(cr - data);
        sl_status st = sl_field_append_span(f, data + run, i - run, run);
        if (st == SL_OK)
            st = sl_field_append_at(f, "\n", 1, i);
        if (st != SL_OK)
            return st;
        if (i + 1 < end && data[i + 1] == '\n')
            i++;
        run = i + 1;
    }
    if (run < end)
        return sl_field_append_span(f, data + run, end - run, run);
    return SL_OK;
}

sl_status sl_input_source_text(sl_field *f, const char *data, size_t start, size_t end)
{
    if (f->len == 0 && end > start && !memchr(data + start, '\r', end - start))
        return sl_field_borrow(f, data + start, end - start, start);
    return sl_input_append_lines(f, data, start, end);
}

int sl_input_is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i]))
            return 0;
    return 1;
}

size_t sl_input_put_utf8(unsigned long cp, char *out)
{
    if (cp > 0x10FFFF || !utf8proc_codepoint_valid((utf8proc_int32_t)cp))
        cp = 0xFFFD;
    return (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)out);
}

size_t sl_input_utf8_count(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

const char *sl_input_find(const char *hay, size_t n, const char *needle, size_t m)
{
    if (m == 0)
        return hay;
    if (m > n)
        return NULL;
#if defined(__GNUC__)
    /* The needle's first and last bytes, at their distance, sixteen
     * places at a time in the vector registers every target has (W. Muła's
     * SIMD-friendly search): in prose and markup the two rarely both
     * match, and only then are the bytes between compared. glibc's memmem
     * hashes byte pairs one at a time, and the directive marker is
     * searched for in every file. */
    if (m >= 2) {
        const unsigned char *h = (const unsigned char *)hay;
        sl_bytes16 first, last;
        memset(&first, needle[0], 16);
        memset(&last, needle[m - 1], 16);
        size_t i = 0;
        for (; i + m - 1 + 16 <= n; i += 16) {
            sl_bytes16 eq = (sl_bytes16)((sl_bytes16_load(h + i) == first) &
                                         (sl_bytes16_load(h + i + m - 1) == last));
            if (!sl_bytes16_any(eq))
                continue;
            for (size_t k = 0; k < 16; k++)
                if (eq[k] && memcmp(h + i + k + 1, needle + 1, m - 2) == 0)
                    return hay + i + k;
        }
        return i < n ? memmem(hay + i, n - i, needle, m) : NULL;
    }
#endif
    return memmem(hay, n, needle, m);
}

int sl_input_ci_equal(const char *s, const char *lit, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)s[i]) != (unsigned char)lit[i])
            return 0;
    return 1;
}

static int is_tag_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

int sl_input_next_attr(const char *s, size_t len, size_t *pos, sl_tag_attr *a)
{
    size_t p = *pos;
    while (p < len && (is_tag_space(s[p]) || s[p] == '/'))
        p++;
    if (p >= len || s[p] == '>') {
        *pos = p;
        return 0;
    }
    a->name = p;
    /* As in the HTML tokenizer, a leading '=' belongs to the name. */
    p++;
    while (p < len && !is_tag_space(s[p]) && s[p] != '=' && s[p] != '>' && s[p] != '/')
        p++;
    a->name_len = p - a->name;
    a->value = p;
    a->value_len = 0;
    a->has_value = 0;
    size_t q = p;
    while (q < len && is_tag_space(s[q]))
        q++;
    if (q < len && s[q] == '=') {
        q++;
        while (q < len && is_tag_space(s[q]))
            q++;
        a->has_value = 1;
        if (q < len && (s[q] == '"' || s[q] == '\'')) {
            char quote = s[q++];
            a->value = q;
            while (q < len && s[q] != quote)
                q++;
            a->value_len = q - a->value;
            if (q < len)
                q++;
        } else {
            a->value = q;
            while (q < len && !is_tag_space(s[q]) && s[q] != '>')
                q++;
            a->value_len = q - a->value;
        }
        p = q;
    }
    *pos = p;
    return 1;
}
