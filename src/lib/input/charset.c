/*
 * Conversion of a file's bytes to UTF-8, and the sniffing that decides
 * which charset to convert from.
 *
 * Whatever the input charset, the result goes through one last pass that
 * replaces every byte that is not part of a well-formed UTF-8 sequence with
 * U+FFFD, and every NUL with U+FFFD too: the rest of the engine treats text
 * as C strings and PCRE2 subjects in UTF mode, and both must never see a
 * NUL in the middle or an ill-formed sequence. Replacing byte by byte (not
 * sequence by sequence) keeps the count of replacements predictable.
 */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input/charset.h"
#include "input/input.h"
#include "input/loadutil.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/swar.h"

#define REPLACEMENT "\xEF\xBF\xBD"
#define SNIFF_HTML_BYTES 1024
#define SNIFF_BINARY_BYTES 8192

/* Length of the well-formed UTF-8 sequence at s[0] (n > 0 bytes left), or
 * 0 when s[0] starts none. NUL counts as ill-formed here (see the note). */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c == 0)
        return 0;
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* past U+10FFFF */
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return len;
}

/* windows-1252's characters for 0x80-0x9F (0: undefined there). */
static const uint16_t cp1252_c1[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* The UTF-8 of byte b (0x80 or more) read as windows-1252, or U+FFFD for
 * the five bytes it leaves undefined; returns its length (out holds 4). */
static size_t cp1252_utf8(unsigned char b, char *out)
{
    unsigned cp = b < 0xA0 ? cp1252_c1[b - 0x80] : b;
    return sl_input_put_utf8(cp ? cp : 0xFFFD, out);
}

/* Bytes a sequence that lead byte c starts has, when c starts one (2 to
 * 4), else 0; *lo and *hi bound its second byte. */
static size_t lead_len(unsigned char c, unsigned char *lo, unsigned char *hi)
{
    *lo = 0x80;
    *hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        return 2;
    if (c >= 0xE0 && c <= 0xEF) {
        *lo = c == 0xE0 ? 0xA0 : 0x80;
        *hi = c == 0xED ? 0x9F : 0xBF;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        *lo = c == 0xF0 ? 0x90 : 0x80;
        *hi = c == 0xF4 ? 0x8F : 0xBF;
        return 4;
    }
    return 0;
}

/* Appends s[0, n) to `out` as well-formed UTF-8, one character for each
 * byte that is not: a NUL, or a sequence cut short (a lead byte and the
 * continuation bytes it allows, then none), becomes U+FFFD per byte; any
 * other stray byte is read as windows-1252. Text declared UTF-8 that is
 * not is nearly always Windows text, and its curly quotes and accented
 * letters are what the rules read ("You\x92ve reached" is "You've
 * reached", not "You?ve"). */
static sl_status utf8_sanitize(const char *s, size_t n, sl_buf *out)
{
    const unsigned char *u = (const unsigned char *)s;
    sl_status st = sl_buf_reserve(out, n);
    size_t run = 0, i = 0, cut = 0; /* cut: bytes left of a sequence cut short */
    while (st == SL_OK && i < n) {
        size_t k = cut ? 0 : utf8_seq_len(u + i, n - i);
        if (k) {
            i += k;
            continue;
        }
        st = sl_buf_append(out, s + run, i - run);
        unsigned char lo, hi;
        size_t need = u[i] ? lead_len(u[i], &lo, &hi) : 0;
        char ch[4];
        if (cut) {
            cut--;
            st = st == SL_OK ? sl_buf_append(out, REPLACEMENT, 3) : st;
        } else if (need && i + 1 < n && u[i + 1] >= lo && u[i + 1] <= hi) {
            /* A lead byte followed by what it allows, then broken off:
             * the bytes of the sequence it began, each U+FFFD. */
            size_t j = i + 1;
            while (j < n && j - i < need && u[j] >= 0x80 && u[j] <= 0xBF)
                j++;
            cut = j - i - 1;
            st = st == SL_OK ? sl_buf_append(out, REPLACEMENT, 3) : st;
        } else if (u[i] >= 0x80) {
            st = st == SL_OK ? sl_buf_append(out, ch, cp1252_utf8(u[i], ch)) : st;
        } else {
            st = st == SL_OK ? sl_buf_append(out, REPLACEMENT, 3) : st; /* NUL */
        }
        i++;
        run = i;
    }
    if (st == SL_OK)
        st = sl_buf_append(out, s + run, n - run);
    return st;
}

size_t sl_charset_utf8_scan(const char *s, size_t n, size_t from, size_t stop)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = from;
    if (stop > n)
        stop = n;
    while (i < stop) {
        /* ASCII bytes, none NUL, 32 then 8 at a time: the common case. */
        while (stop - i >= 32) {
            uint64_t bad = 0;
            for (int k = 0; k < 4; k++) {
                uint64_t w = sl_swar_load(u + i + 8 * k);
                bad |= sl_swar_high(w) | sl_swar_zero(w);
            }
            if (bad)
                break;
            i += 32;
        }
        while (stop - i >= 8) {
            uint64_t w = sl_swar_load(u + i);
            if (sl_swar_high(w) | sl_swar_zero(w))
                break;
            i += 8;
        }
        if (i >= stop)
            break;
        if (u[i] - 1u < 0x7Fu) { /* ASCII but NUL */
            i++;
            continue;
        }
        size_t k = utf8_seq_len(u + i, n - i);
        if (!k)
            return i;
        i += k;
    }
    return i;
}

int sl_charset_is_utf8(const char *name)
{
    return name && (strcasecmp(name, "utf-8") == 0 || strcasecmp(name, "utf8") == 0 ||
                    strcasecmp(name, "unicode-1-1-utf-8") == 0);
}

int sl_charset_single_byte(const char *label)
{
    static const char *const prefixes[] = {"windows-125", "cp125",    "x-cp125",   "iso-8859",
                                           "iso8859",     "iso_8859", "latin",     "l1",
                                           "us-ascii",    "ascii",    "cp819",     "ibm819",
                                           "iso-ir-100",  "koi8",     "macintosh", "x-mac-roman"};
    for (size_t i = 0; label && i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (strncasecmp(label, prefixes[i], strlen(prefixes[i])) == 0)
            return 1;
    return 0;
}

/* Maps the labels web pages use onto names glibc's iconv knows. The HTML
 * standard decodes ISO-8859-1 and ASCII labels as windows-1252: pages that
 * say latin-1 are written on Windows and use its curly quotes and dashes
 * in 0x80-0x9F, which strict ISO-8859-1 would turn into C1 controls. */
static const char *iconv_name(const char *label)
{
    static const char *const cp1252[] = {
        "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1",       "us-ascii",    "ascii",
        "cp819",      "ibm819",    "iso-ir-100", "cp1252", "x-cp1252", "windows-1252"};
    for (size_t i = 0; i < sizeof cp1252 / sizeof cp1252[0]; i++)
        if (strcasecmp(label, cp1252[i]) == 0)
            return "WINDOWS-1252";
    if (strcasecmp(label, "gb2312") == 0 || strcasecmp(label, "x-gbk") == 0)
        return "GBK";
    if (strcasecmp(label, "x-sjis") == 0)
        return "SHIFT_JIS";
    return label;
}

/* Size of one code unit, which is how far an undecodable sequence is
 * skipped: skipping one byte of UTF-16 would misalign everything after. */
static size_t unit_size(const char *name)
{
    if (strncasecmp(name, "utf-16", 6) == 0 || strncasecmp(name, "ucs-2", 5) == 0)
        return 2;
    if (strncasecmp(name, "utf-32", 6) == 0 || strncasecmp(name, "ucs-4", 5) == 0)
        return 4;
    return 1;
}

static sl_status iconv_convert(iconv_t cd, const char *data, size_t len, size_t unit, sl_buf *out)
{
    sl_status st = sl_buf_reserve(out, len + len / 2 + 64);
    char *in = (char *)data;
    size_t inleft = len;
    int flushing = 0;
    while (st == SL_OK) {
        char *op = out->data + out->len;
        size_t oleft = out->cap - out->len - 1;
        /* A final call with no input flushes stateful encodings
         * (ISO-2022-JP) back to their initial shift state. */
        size_t r =
            flushing ? iconv(cd, NULL, NULL, &op, &oleft) : iconv(cd, &in, &inleft, &op, &oleft);
        int err = errno;
        out->len = (size_t)(op - out->data);
        out->data[out->len] = '\0';
        if (r != (size_t)-1) {
            if (flushing)
                break;
            flushing = 1;
            continue;
        }
        if (err == E2BIG) {
            st = sl_buf_reserve(out, out->cap);
        } else if (err == EILSEQ || err == EINVAL) {
            /* EINVAL: an incomplete sequence at the very end. */
            st = sl_buf_append(out, REPLACEMENT, 3);
            size_t skip = err == EINVAL ? inleft : (unit < inleft ? unit : inleft);
            in += skip;
            inleft -= skip;
        } else {
            st = SL_EINPUT;
        }
    }
    return st;
}

sl_status sl_to_utf8(const char *data, size_t len, const char *charset, char **out, size_t *outlen,
                     sl_diag *diag)
{
    sl_buf conv = SL_BUF_INIT, res = SL_BUF_INIT;
    iconv_t cd = (iconv_t)-1;
    sl_status st = SL_OK;
    *out = NULL;
    *outlen = 0;

    if (charset && !sl_charset_is_utf8(charset)) {
        const char *name = iconv_name(charset);
        cd = iconv_open("UTF-8", name);
        if (cd == (iconv_t)-1) {
            st =
                sl_diag_set(diag, SL_EINPUT, NULL, 0, 0, NULL, "unsupported charset '%s'", charset);
            goto cleanup;
        }
        st = iconv_convert(cd, data, len, unit_size(name), &conv);
        if (st != SL_OK) {
            if (st == SL_EINPUT)
                sl_diag_set(diag, st, NULL, 0, 0, NULL, "cannot decode input as '%s'", charset);
            goto cleanup;
        }
        data = conv.data ? conv.data : "";
        len = conv.len;
    }
    /* Even iconv's output is sanitized: it may hold NULs (U+0000 in UTF-16). */
    st = utf8_sanitize(data, len, &res);
    if (st != SL_OK)
        goto cleanup;
    *outlen = res.len;
    *out = sl_buf_steal(&res);
    if (!*out)
        st = SL_ENOMEM;
cleanup:
    if (cd != (iconv_t)-1)
        iconv_close(cd);
    sl_buf_free(&conv);
    sl_buf_free(&res);
    if (st == SL_ENOMEM)
        sl_diag_set(diag, st, NULL, 0, 0, NULL, "out of memory converting input");
    return st;
}

size_t sl_charset_bom(const char *data, size_t len, const char **charset)
{
    const unsigned char *u = (const unsigned char *)data;
    *charset = NULL;
    /* UTF-32LE's mark starts with UTF-16LE's: test the longer one first. */
    if (len >= 4 && u[0] == 0xFF && u[1] == 0xFE && u[2] == 0 && u[3] == 0) {
        *charset = "UTF-32LE";
        return 4;
    }
    if (len >= 4 && u[0] == 0 && u[1] == 0 && u[2] == 0xFE && u[3] == 0xFF) {
        *charset = "UTF-32BE";
        return 4;
    }
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        *charset = "UTF-8";
        return 3;
    }
    if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
        *charset = "UTF-16LE";
        return 2;
    }
    if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
        *charset = "UTF-16BE";
        return 2;
    }
    return 0;
}

/* Copies a charset label out of s[0, n), trimmed of spaces and quotes.
 * Labels are short ASCII names; anything else is not a label. */
static int copy_label(const char *s, size_t n, char *out, size_t cap)
{
    while (n && (isspace((unsigned char)*s) || *s == '"' || *s == '\'')) {
        s++;
        n--;
    }
    size_t k = 0;
    while (k < n && (isalnum((unsigned char)s[k]) || strchr("-_.:", s[k])))
        k++;
    if (k == 0 || k >= cap)
        return 0;
    for (size_t i = 0; i < k; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[k] = '\0';
    return 1;
}

/* The charset named in a Content-Type value ("text/html; charset=x"). */
static int content_type_charset(const char *s, size_t n, char *out, size_t cap)
{
    for (size_t i = 0; i + 7 <= n; i++) {
        if (!sl_input_ci_equal(s + i, "charset", 7))
            continue;
        size_t j = i + 7;
        while (j < n && isspace((unsigned char)s[j]))
            j++;
        if (j < n && s[j] == '=')
            return copy_label(s + j + 1, n - j - 1, out, cap);
    }
    return 0;
}

/* Reads the attributes of the <meta tag whose name ends at *pos. */
static int meta_charset(const char *s, size_t n, size_t *pos, char *out, size_t cap)
{
    sl_tag_attr a;
    int http_ct = 0, found = 0;
    size_t content = 0, content_len = 0;
    int has_content = 0;
    while (sl_input_next_attr(s, n, pos, &a)) {
        if (a.name_len == 7 && sl_input_ci_equal(s + a.name, "charset", 7) && !found)
            found = copy_label(s + a.value, a.value_len, out, cap);
        else if (a.name_len == 10 && sl_input_ci_equal(s + a.name, "http-equiv", 10))
            http_ct = a.value_len == 12 && sl_input_ci_equal(s + a.value, "content-type", 12);
        else if (a.name_len == 7 && sl_input_ci_equal(s + a.name, "content", 7)) {
            content = a.value;
            content_len = a.value_len;
            has_content = 1;
        }
    }
    if (found)
        return 1;
    if (http_ct && has_content)
        return content_type_charset(s + content, content_len, out, cap);
    return 0;
}

/* The encoding="..." of an XML prolog starting at s[0]. */
static int xml_prolog_charset(const char *s, size_t n, char *out, size_t cap)
{
    const char *end = NULL;
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == '?' && s[i + 1] == '>') {
            end = s + i;
            break;
        }
    if (!end)
        return 0;
    size_t m = (size_t)(end - s);
    for (size_t i = 0; i + 8 <= m; i++) {
        if (memcmp(s + i, "encoding", 8) != 0)
            continue;
        size_t j = i + 8;
        while (j < m && isspace((unsigned char)s[j]))
            j++;
        if (j < m && s[j] == '=')
            return copy_label(s + j + 1, m - j - 1, out, cap);
    }
    return 0;
}

int sl_charset_sniff_html(const char *data, size_t len, char *out, size_t cap)
{
    size_t n = len < SNIFF_HTML_BYTES ? len : SNIFF_HTML_BYTES;
    size_t i = 0;
    while (i < n && isspace((unsigned char)data[i]))
        i++;
    if (n - i >= 5 && memcmp(data + i, "<?xml", 5) == 0 &&
        xml_prolog_charset(data + i, n - i, out, cap))
        return 1;
    while (i < n) {
        if (data[i] != '<') {
            i++;
            continue;
        }
        if (n - i >= 4 && memcmp(data + i, "<!--", 4) == 0) {
            /* A commented-out <meta> declares nothing. */
            const char *e = NULL;
            for (size_t j = i + 4; j + 3 <= n; j++)
                if (memcmp(data + j, "-->", 3) == 0) {
                    e = data + j;
                    break;
                }
            if (!e)
                return 0;
            i = (size_t)(e - data) + 3;
            continue;
        }
        size_t j = i + 1;
        if (j < n && data[j] == '/')
            j++;
        if (j >= n || !isalpha((unsigned char)data[j])) {
            i++;
            continue;
        }
        size_t name = j;
        while (j < n && isalnum((unsigned char)data[j]))
            j++;
        if (data[i + 1] != '/' && j - name == 4 && sl_input_ci_equal(data + name, "meta", 4) &&
            meta_charset(data, n, &j, out, cap))
            return 1;
        /* Skip the rest of any tag, so a "<meta" inside an attribute
         * value is not taken for a tag. */
        sl_tag_attr a;
        while (sl_input_next_attr(data, n, &j, &a))
            ;
        i = j + 1;
    }
    return 0;
}

sl_status sl_charset_check_binary(const char *data, size_t len, sl_diag *diag)
{
    size_t n = len < SNIFF_BINARY_BYTES ? len : SNIFF_BINARY_BYTES;
    const char *nul = memchr(data, 0, n);
    if (nul)
        return sl_diag_set(diag, SL_EINPUT, NULL, 0, 0, NULL,
                           "binary file (NUL byte at offset %zu)", (size_t)(nul - data));
    /* Branch-free, so the compiler can vectorize the count; counted in
     * blocks of 255 bytes into a byte, so each lane is a byte too. */
    size_t controls = 0;
    for (size_t at = 0; at < n; at += 255) {
        size_t end = n - at > 255 ? at + 255 : n;
        uint8_t block = 0;
        for (size_t i = at; i < end; i++) {
            unsigned char c = (unsigned char)data[i];
            block += (uint8_t)((c < 0x20 && (c < '\t' || c > '\r') && c != 0x1B) | (c == 0x7F));
        }
        controls += block;
    }
    if (controls * 10 > n)
        return sl_diag_set(diag, SL_EINPUT, NULL, 0, 0, NULL,
                           "binary file (%zu control characters in the first %zu bytes)", controls,
                           n);
    return SL_OK;
}
