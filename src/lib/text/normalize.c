/*
 * Normalization for matching (see normalize.h for what is folded).
 *
 * Design notes:
 *   - Folding is per character, never across characters: each input
 *     character becomes zero or more output bytes that all map to the
 *     source offset of that character's first byte. This keeps the offset
 *     map exact and simple. The price is that NFKC composition does not
 *     join a base letter with a separate combining mark that follows it;
 *     patterns go through the same function, so both sides agree.
 *   - Printable ASCII is by far the most common input and never changes, so
 *     runs of it are copied with memcpy without decoding or asking utf8proc
 *     anything. utf8proc is consulted only for non-ASCII characters, and its
 *     decomposition machinery only for those that have a decomposition.
 *   - Whitespace is not written when seen but remembered as "pending" (a
 *     space or a line break, with the offset of the character that started
 *     it) and written just before the next visible character. That gives
 *     run collapsing, dropping around line breaks, and dropping of leading
 *     and trailing whitespace in one place, and characters that vanish
 *     (zero-width, controls) neither start nor end a run.
 *   - The output's text is grown here rather than through
 *     sl_field_append_*, and its map is the input's runs cut where a
 *     copied stretch crosses them (entities, inserted breaks): a stretch
 *     of words copied costs one run, not four bytes a byte.
 */
#include "text/normalize.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "util/swar.h"

enum { PEND_NONE, PEND_SPACE, PEND_BREAK };

typedef struct norm {
    sl_field *out;
    int pend;          /* PEND_*: whitespace seen since the last visible char */
    uint32_t pend_off; /* source offset of the char that started it */
} norm;

/* The longest NFKC expansion of one code point is 18 (U+FDFA); leave room. */
#define FOLD_MAX 32

/* Writes the pending whitespace, if any and if something visible precedes
 * it (leading whitespace is dropped), and reserves room for `n` more bytes. */
static sl_status begin_visible(norm *st, size_t n)
{
    sl_field *f = st->out;
    sl_status rc = sl_field_reserve(f, n + 1);
    if (rc != SL_OK)
        return rc;
    if (st->pend != PEND_NONE && f->len > 0) {
        if ((rc = sl_field_add_run(f, f->len, 1, st->pend_off, 1)) != SL_OK)
            return rc;
        f->text[f->len] = st->pend == PEND_BREAK ? '\n' : ' ';
        f->len++;
    }
    st->pend = PEND_NONE;
    return SL_OK;
}

/* Appends `n` bytes standing for the one source character at `off`. */
static sl_status put(norm *st, const char *s, size_t n, uint32_t off)
{
    sl_status rc = begin_visible(st, n);
    if (rc != SL_OK)
        return rc;
    sl_field *f = st->out;
    if ((rc = sl_field_add_run(f, f->len, n, off, 0)) != SL_OK)
        return rc;
    memcpy(f->text + f->len, s, n);
    f->len += n;
    return SL_OK;
}

static void whitespace(norm *st, int kind, uint32_t off)
{
    /* A break absorbs the spaces before it; spaces after a break are
     * absorbed by it. The run maps to the char that decided its kind. */
    if (kind == PEND_BREAK && st->pend != PEND_BREAK) {
        st->pend = PEND_BREAK;
        st->pend_off = off;
    } else if (kind == PEND_SPACE && st->pend == PEND_NONE) {
        st->pend = PEND_SPACE;
        st->pend_off = off;
    }
}

/* Quotation marks, primes and the minus sign, which rules spell as ASCII.
 * Deliberately not every Pi/Pf character: guillemets are the real quotation
 * marks of French or Russian prose and of placeholder forms such as «Field»,
 * and rules tell them apart from straight quotes. Checked before NFKC, which
 * would turn a double prime into two single ones. */
static int punct_fold(int32_t cp)
{
    switch (cp) {
    case 0x00B4: /* ACUTE ACCENT, a common stand-in for an apostrophe */
    case 0x2018: /* LEFT SINGLE QUOTATION MARK */
    case 0x2019: /* RIGHT SINGLE QUOTATION MARK */
    case 0x201A: /* SINGLE LOW-9 QUOTATION MARK */
    case 0x201B: /* SINGLE HIGH-REVERSED-9 QUOTATION MARK */
    case 0x2032: /* PRIME */
    case 0x2035: /* REVERSED PRIME */
        return '\'';
    case 0x201C: /* LEFT DOUBLE QUOTATION MARK */
    case 0x201D: /* RIGHT DOUBLE QUOTATION MARK */
    case 0x201E: /* DOUBLE LOW-9 QUOTATION MARK */
    case 0x201F: /* DOUBLE HIGH-REVERSED-9 QUOTATION MARK */
    case 0x2033: /* DOUBLE PRIME */
    case 0x2036: /* REVERSED DOUBLE PRIME */
        return '"';
    case 0x2212: /* MINUS SIGN: Sm, not Pd, but typeset for a hyphen-minus */
        return '-';
    default:
        return 0;
    }
}

static size_t utf8_encode(int32_t cp, char *b)
{
    if (cp < 0x80) {
        b[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    b[0] = (char)(0xF0 | (cp >> 18));
    b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decodes one character at p (n > 0 bytes left) into *cp, or -1 when the
 * bytes are ill-formed. Returns the bytes used. An ill-formed stretch is cut
 * into maximal subparts (Unicode 3.9, "U+FFFD substitution of maximal
 * subparts"): a truncated sequence counts as one, a stray byte as one, and a
 * byte that cannot continue the sequence starts the next character. */
static size_t utf8_decode(const unsigned char *p, size_t n, int32_t *cp)
{
    unsigned char c = p[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF; /* range allowed for the 2nd byte */
    int32_t v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* past U+10FFFF */
    } else {
        *cp = -1; /* continuation byte, C0/C1 overlong lead, F5..FF */
        return 1;
    }
    for (size_t i = 1; i <= need; i++) {
        if (i >= n || p[i] < (i == 1 ? lo : 0x80) || p[i] > (i == 1 ? hi : 0xBF)) {
            *cp = -1;
            return i;
        }
        v = (v << 6) | (p[i] & 0x3F);
    }
    *cp = v;
    return need + 1;
}

/* Handles one code point that needs no further folding. `orig` holds its
 * UTF-8 bytes when they can be copied as they are, else NULL. */
static sl_status put_cp(norm *st, int32_t cp, const char *orig, size_t orig_len, uint32_t off)
{
    char b[4];
    if (cp < 0x80) {
        if (cp > 0x20 && cp < 0x7F) {
            b[0] = (char)cp;
            return put(st, b, 1, off);
        }
        if (cp == ' ' || cp == '\t')
            whitespace(st, PEND_SPACE, off);
        else if (cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f')
            whitespace(st, PEND_BREAK, off);
        /* other C0 controls and DEL: dropped */
        return SL_OK;
    }
    int q = punct_fold(cp);
    if (q) {
        b[0] = (char)q;
        return put(st, b, 1, off);
    }
    const utf8proc_property_t *prop = utf8proc_get_property(cp);
    if (prop->ignorable)
        return SL_OK;
    switch (prop->category) {
    case UTF8PROC_CATEGORY_ZS:
        whitespace(st, PEND_SPACE, off);
        return SL_OK;
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
        whitespace(st, PEND_BREAK, off);
        return SL_OK;
    case UTF8PROC_CATEGORY_CC:
        if (cp == 0x85) /* NEXT LINE */
            whitespace(st, PEND_BREAK, off);
        return SL_OK;
    case UTF8PROC_CATEGORY_PD:
        return put(st, "-", 1, off);
    default:
        break;
    }
    if (orig)
        return put(st, orig, orig_len, off);
    return put(st, b, utf8_encode(cp, b), off);
}

/* One non-ASCII input character (valid UTF-8, `len` bytes at s). */
static sl_status put_char(norm *st, int32_t cp, const char *s, size_t len, uint32_t off)
{
    const utf8proc_property_t *prop = utf8proc_get_property(cp);
    /* A character without a decomposition mapping is its own NFKC form
     * (Hangul syllables decompose algorithmically but recompose to
     * themselves), so the decomposition calls are skipped for it. */
    if (prop->decomp_seqindex == UINT16_MAX || prop->ignorable || punct_fold(cp))
        return put_cp(st, cp, s, len, off);

    utf8proc_int32_t buf[FOLD_MAX];
    const utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT;
    /* utf8proc_decompose (not _char) puts combining marks in canonical
     * order, which composition expects. */
    utf8proc_ssize_t n =
        utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, buf, FOLD_MAX, opt);
    if (n > 0 && n <= FOLD_MAX)
        n = utf8proc_normalize_utf32(buf, n, opt);
    /* Spacing diacritics (U+00A8 DIAERESIS, U+02D8 BREVE, U+FE70 ARABIC
     * FATHATAN ISOLATED FORM, ...) fold to a space plus a combining mark,
     * which would split a word and leave the mark on nothing: keep them. A
     * failure (buffer too short) cannot happen; keep the char then too. */
    if (n <= 0 || n > FOLD_MAX || (n > 1 && buf[0] == ' '))
        return put_cp(st, cp, s, len, off);
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        sl_status rc = put_cp(st, buf[i], NULL, 0, off);
        if (rc != SL_OK)
            return rc;
    }
    return SL_OK;
}

static int ascii_visible(unsigned char c)
{
    return c > 0x20 && c < 0x7F;
}

/* The high bit of each byte of w that is visible ASCII (0x21-0x7E). No sum
 * carries into the next byte: each is at most 0x7F + 0x5F. */
static inline uint64_t visible8(uint64_t w)
{
    uint64_t lo = w & ~SL_SWAR_HIGH;
    uint64_t ge21 = (lo + 0x5F * SL_SWAR_ONES) & SL_SWAR_HIGH;
    uint64_t is7f = (lo + SL_SWAR_ONES) & SL_SWAR_HIGH;
    return ge21 & ~is7f & ~(w & SL_SWAR_HIGH);
}

/* The high bit of each byte of w that is a space. */
static inline uint64_t space8(uint64_t w)
{
    uint64_t t = w ^ (0x20 * SL_SWAR_ONES);
    return ~(((t & ~SL_SWAR_HIGH) + ~SL_SWAR_HIGH) | t) & SL_SWAR_HIGH;
}

/* Nonzero when each of the eight bytes at p continues a run of ordinary
 * words (see fold): a visible character, or a space followed by one (p[8]
 * is read). Eight bytes at a time, whatever the byte order: lanes only
 * meet lanes of the same position. */
static inline int words8(const unsigned char *p)
{
    uint64_t w = sl_swar_load(p), next = sl_swar_load(p + 1);
    return (visible8(w) | (space8(w) & visible8(next))) == SL_SWAR_HIGH;
}

#if defined(__GNUC__)
/* words8 sixteen bytes at a time (p[16] is read): runs of words are most
 * of a text, and this test is most of the time spent copying them. */
static inline int words16(const unsigned char *p)
{
    sl_bytes16 w = sl_bytes16_load(p), next = sl_bytes16_load(p + 1);
    const sl_bytes16 space = {' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
                              ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '};
    const sl_bytes16 del = space + 0x5F;
    return sl_bytes16_all((sl_bytes16)((w > space) & (w < del)) |
                          (sl_bytes16)((w == space) & (next > space) & (next < del)));
}
#endif

/* Where the input's bytes are in the source: base + i, or the runs of
 * the input field's map, looked up in the order fold reads them. */
typedef struct in_map {
    const sl_field_run *runs; /* NULL: base + i */
    size_t nruns;
    size_t k;    /* the run of the byte last looked up */
    size_t next; /* where run k + 1 starts; SIZE_MAX after the last */
    uint32_t base;
} in_map;

static void in_map_init(in_map *m, const sl_field *in)
{
    memset(m, 0, sizeof *m);
    if (in && !in->borrowed) {
        m->runs = in->runs;
        m->nruns = in->nruns;
        m->next = in->nruns > 1 ? in->runs[1].at & ~SL_RUN_FIXED : SIZE_MAX;
    } else {
        m->base = in ? in->base : 0;
    }
}

/* The source offset of input byte i, no smaller than the last asked. */
static inline uint32_t in_off(in_map *m, size_t i)
{
    if (!m->runs)
        return m->base + (uint32_t)i;
    while (i >= m->next) {
        m->k++;
        m->next = m->k + 1 < m->nruns ? m->runs[m->k + 1].at & ~SL_RUN_FIXED : SIZE_MAX;
    }
    const sl_field_run *r = &m->runs[m->k];
    return r->at & SL_RUN_FIXED ? r->off : r->off + (uint32_t)(i - r->at);
}

/* Adds the runs of input bytes [i, j), appended as they are to out's
 * text: one for each of the input's runs they cross. */
static sl_status copy_runs(sl_field *out, in_map *m, size_t i, size_t j)
{
    if (!m->runs)
        return sl_field_add_run(out, out->len, j - i, m->base + (uint32_t)i, 1);
    size_t at = out->len;
    while (i < j) {
        uint32_t off = in_off(m, i);
        size_t stop = m->next < j ? m->next : j;
        sl_status rc = sl_field_add_run(out, at, stop - i, off, !(m->runs[m->k].at & SL_RUN_FIXED));
        if (rc != SL_OK)
            return rc;
        at += stop - i;
        i = stop;
    }
    return SL_OK;
}

/* The common core: `in` is the input field whose text is text[0, n), or
 * NULL for offsets that are byte positions. */
static sl_status fold(const char *text, const sl_field *in, size_t n, sl_field *out)
{
    in_map map;
    in_map_init(&map, in);
    norm st = {out, PEND_NONE, 0};
    const unsigned char *p = (const unsigned char *)text;
    sl_status rc = SL_OK;
    if (n >= UINT32_MAX) {
        rc = SL_ELIMIT;
        goto cleanup;
    }
    /* Most text shrinks or keeps its length: one allocation up front. */
    rc = sl_field_reserve(out, n);
    if (rc != SL_OK)
        goto cleanup;
    size_t i = 0;
    while (i < n) {
        uint32_t off = in_off(&map, i);
        if (ascii_visible(p[i])) {
            /* A single space between visible characters is its own fold
             * (the pending space would be written with its own offset), so
             * a run of ordinary words is copied at once. */
            size_t j = i + 1;
#if defined(__GNUC__)
            while (n - j >= 17 && words16(p + j))
                j += 16;
#endif
            while (n - j >= 9 && words8(p + j))
                j += 8;
            for (;;) {
                while (j < n && ascii_visible(p[j]))
                    j++;
                if (j + 1 < n && p[j] == ' ' && ascii_visible(p[j + 1]))
                    j += 2;
                else
                    break;
            }
            rc = begin_visible(&st, j - i);
            if (rc != SL_OK)
                goto cleanup;
            rc = copy_runs(out, &map, i, j);
            if (rc != SL_OK)
                goto cleanup;
            memcpy(out->text + out->len, text + i, j - i);
            out->len += j - i;
            i = j;
            continue;
        }
        if (p[i] < 0x80) {
            rc = put_cp(&st, p[i], NULL, 0, off);
            i++;
        } else {
            int32_t cp;
            size_t len = utf8_decode(p + i, n - i, &cp);
            if (cp < 0)
                rc = put(&st, "\xEF\xBF\xBD", 3, off); /* U+FFFD */
            else
                rc = put_char(&st, cp, text + i, len, off);
            i += len;
        }
        if (rc != SL_OK)
            goto cleanup;
    }
    /* Trailing whitespace is dropped with the pending state. */
    rc = sl_field_reserve(out, 0);
    if (rc != SL_OK)
        goto cleanup;
    out->text[out->len] = '\0';
    out->end = in && !in->borrowed ? in->end : map.base + (uint32_t)n;
cleanup:
    if (rc != SL_OK)
        sl_field_clear(out);
    return rc;
}

sl_status sl_normalize(const sl_field *in, sl_field *out)
{
    if (!in || !out || out->len != 0)
        return SL_EINVAL;
    /* An empty field may have no buffers at all; so does its result. */
    if (in->len == 0)
        return SL_OK;
    if (!in->text || (!in->runs && !in->borrowed))
        return SL_EINVAL;
    return fold(in->text, in, in->len, out);
}

sl_status sl_normalize_string(const char *s, size_t len, char **out, size_t *outlen)
{
    sl_field f = SL_FIELD_INIT;
    sl_status rc = SL_OK;
    *out = NULL;
    if (outlen)
        *outlen = 0;
    if (len > 0) {
        if (!s)
            return SL_EINVAL;
        rc = fold(s, NULL, len, &f);
        if (rc != SL_OK)
            goto cleanup;
    }
    if (!f.text) {
        f.text = malloc(1);
        if (!f.text) {
            rc = SL_ENOMEM;
            goto cleanup;
        }
        f.text[0] = '\0';
    }
    *out = f.text;
    if (outlen)
        *outlen = f.len;
    f.text = NULL;
cleanup:
    sl_field_clear(&f);
    return rc;
}
