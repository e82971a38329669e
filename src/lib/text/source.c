/*
 * Positions in a source file.
 *
 * Design note. Lines end at "\n", "\r\n" or a lone "\r"; columns count
 * characters from the line start, an ill-formed UTF-8 sequence counting as
 * normalization shows it (char_len). An indexed source finds a line by
 * binary search over every line start. A streamed source (a feed, read an
 * item at a time) keeps instead:
 *   - a base mark: the line and column of a character boundary at or just
 *     before the current item's start, moved forward by sl_source_advance
 *     (walking only the bytes between the old and the new item);
 *   - the line starts after the base, indexed lazily as positions are
 *     asked, and dropped as the base moves past them;
 *   - a mark every MARK_STEP bytes behind the base, so a position asked
 *     behind it (an inherited feed-level value) walks at most that far.
 * Every way gives the same line and column as the full index would: marks
 * are character boundaries reached by walking from the start, and a
 * character never spans a line end (line-end bytes are never continuation
 * bytes), so walking on from a mark segments as walking from the line
 * start does. Memory follows the largest item, and a pageable source also
 * releases the pages of its mapping behind the base.
 */
#include "text/source.h"

#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/swar.h"

/* A mark behind the base every this many bytes. */
#define MARK_STEP ((size_t)64 << 10)
/* Pages behind the base are released in batches of at least this much. */
#define RELEASE_STEP ((size_t)256 << 10)
/* A position this far past the indexed window is walked to, not indexed:
 * only error messages ask that far ahead. */
#define FAR_AHEAD ((size_t)4 << 20)

typedef struct mark {
    size_t off, line, col; /* off is a character boundary */
} mark;

struct sl_source_stream {
    mark base;
    uint32_t *starts; /* line starts in (base.off, hi], ascending */
    size_t nstarts, cap;
    size_t hi;   /* bytes [base.off, hi) are indexed */
    mark *marks; /* ascending; marks[0] is the file's start */
    size_t nmarks, mcap;
    int pageable;
    const char *released; /* pages below this address were released */
};

static uintptr_t page_size(void)
{
    long n = sysconf(_SC_PAGESIZE);
    return n > 0 ? (uintptr_t)n : 4096;
}

void sl_mapped_release(const char *lo, const char *hi)
{
    uintptr_t pg = page_size();
    uintptr_t a = ((uintptr_t)lo + pg - 1) & ~(pg - 1), b = (uintptr_t)hi & ~(pg - 1);
    if (lo && b > a)
        madvise((void *)a, b - a, MADV_DONTNEED);
}

static sl_status build_index(sl_source *src)
{
    if (src->lines)
        return SL_OK;
    size_t cap = 64, n = 0;
    uint32_t *lines = malloc(cap * sizeof *lines);
    if (!lines)
        return SL_ENOMEM;
    const char *data = src->data;
    size_t len = src->len;
    lines[n++] = 0;
    /* Most files end their lines with "\n" alone: then each line start is
     * one memchr away, which scans far faster than the loop below. */
    int lf_only = !memchr(data, '\r', len);
    for (size_t i = 0; i < len; i++) {
        if (lf_only) {
            const char *nl = memchr(data + i, '\n', len - i);
            if (!nl)
                break;
            i = (size_t)(nl - data);
        }
        /* Skip eight bytes at a time while none is '\n' or '\r'. */
        while (len - i >= 8) {
            uint64_t w = sl_swar_load(data + i);
            if (sl_swar_has(w, '\n') | sl_swar_has(w, '\r'))
                break;
            i += 8;
        }
        if (i >= len)
            break;
        char c = data[i];
        if (c != '\n' && c != '\r')
            continue;
        if (c == '\r' && i + 1 < len && data[i + 1] == '\n')
            i++;
        if (n == cap) {
            uint32_t *p = realloc(lines, 2 * cap * sizeof *lines);
            if (!p) {
                free(lines);
                return SL_ENOMEM;
            }
            lines = p;
            cap *= 2;
        }
        lines[n++] = (uint32_t)(i + 1);
    }
    src->lines = lines;
    src->nlines = n;
    return SL_OK;
}

sl_status sl_source_init_with(sl_source *src, const char *path, const char *data, size_t len,
                              int flags)
{
    memset(src, 0, sizeof *src);
    src->data = data;
    src->len = len;
    if (!(flags & SL_SOURCE_BORROWED))
        src->owned = (char *)data;
    if (len >= UINT32_MAX)
        return SL_ELIMIT;
    src->path = sl_strdup(path ? path : "-");
    if (!src->path)
        return SL_ENOMEM;
    if (!(flags & SL_SOURCE_STREAM))
        return flags & SL_SOURCE_LAZY ? SL_OK : build_index(src);
    sl_source_stream *st = calloc(1, sizeof *st);
    if (!st)
        return SL_ENOMEM;
    src->stream = st;
    st->base = (mark){0, 1, 1};
    st->marks = malloc(16 * sizeof *st->marks);
    if (!st->marks)
        return SL_ENOMEM;
    st->mcap = 16;
    st->marks[st->nmarks++] = st->base;
    st->pageable = (flags & SL_SOURCE_PAGEABLE) && (flags & SL_SOURCE_BORROWED);
    st->released = (const char *)((uintptr_t)data & ~(page_size() - 1));
    return SL_OK;
}

sl_status sl_source_index(const sl_source *src)
{
    if (src->stream || !src->data)
        return SL_OK;
    /* The index is a cache: building it changes no answer, and a source is
     * read by one thread at a time. */
    return build_index((sl_source *)src);
}

sl_status sl_source_init(sl_source *src, const char *path, char *data, size_t len)
{
    return sl_source_init_with(src, path, data, len, 0);
}

void sl_source_clear(sl_source *src)
{
    if (!src)
        return;
    free(src->path);
    free(src->owned);
    free(src->lines);
    if (src->stream) {
        free(src->stream->starts);
        free(src->stream->marks);
        free(src->stream);
    }
    memset(src, 0, sizeof *src);
}

/* Bytes in the character at p (n > 0 bytes left). Ill-formed UTF-8 counts
 * as editors and normalization show it: one U+FFFD per maximal ill-formed
 * subpart (a truncated sequence is one character, a stray byte is one). */
static size_t char_len(const unsigned char *p, size_t n)
{
    unsigned char c = p[0], lo = 0x80, hi = 0xBF;
    if (c < 0xC2 || c > 0xF4)
        return 1;
    size_t need = c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    if (c == 0xE0)
        lo = 0xA0; /* overlong */
    else if (c == 0xED)
        hi = 0x9F; /* surrogates */
    else if (c == 0xF0)
        lo = 0x90; /* overlong */
    else if (c == 0xF4)
        hi = 0x8F; /* past U+10FFFF */
    for (size_t i = 1; i <= need; i++) {
        if (i >= n || p[i] < lo || p[i] > hi)
            return i;
        lo = 0x80;
        hi = 0xBF;
    }
    return need + 1;
}

/* Walks from mark *m on to `off`, crossing line ends: *m becomes the mark
 * of the character holding the byte at off (off itself unless it is
 * inside a character). */
static void walk(const char *d, size_t len, mark *m, size_t off)
{
    size_t o = m->off, line = m->line, col = m->col;
    while (o < off) {
        char c = d[o];
        if (c == '\n' || (c == '\r' && !(o + 1 < len && d[o + 1] == '\n'))) {
            line++;
            col = 1;
            o++;
            continue;
        }
        size_t k = char_len((const unsigned char *)d + o, len - o);
        if (o + k > off)
            break; /* inside a character: that character's column */
        o += k;
        col++;
    }
    *m = (mark){o, line, col};
}

/* Indexes the line starts of bytes [hi, target). 0 when out of memory
 * (the index then stays as it was, still exact up to its hi). */
static int index_to(sl_source_stream *st, const char *d, size_t len, size_t target)
{
    size_t i = st->hi;
    if (target > len)
        target = len;
    for (; i < target; i++) {
        char c = d[i];
        if (c != '\n' && c != '\r')
            continue;
        size_t at = c == '\r' && i + 1 < len && d[i + 1] == '\n' ? i + 1 : i;
        if (st->nstarts == st->cap) {
            size_t cap = st->cap ? 2 * st->cap : 64;
            uint32_t *p = realloc(st->starts, cap * sizeof *p);
            if (!p) {
                st->hi = i;
                return 0;
            }
            st->starts = p;
            st->cap = cap;
        }
        st->starts[st->nstarts++] = (uint32_t)(at + 1);
        i = at;
    }
    if (i > st->hi)
        st->hi = i;
    return 1;
}

/* Number of indexed line starts at or before off. */
static size_t starts_upto(const sl_source_stream *st, size_t off)
{
    size_t lo = 0, hi = st->nstarts;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (st->starts[mid] <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The nearest point at or before off (>= the base) the window knows:
 * the last indexed line start, else the base. */
static mark window_mark(const sl_source_stream *st, size_t off)
{
    size_t k = starts_upto(st, off);
    if (k == 0)
        return st->base;
    return (mark){st->starts[k - 1], st->base.line + k, 1};
}

/* The last mark behind the base at or before off. */
static mark mark_before(const sl_source_stream *st, size_t off)
{
    size_t lo = 0, hi = st->nmarks;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (st->marks[mid].off <= off)
            lo = mid;
        else
            hi = mid;
    }
    return st->marks[lo];
}

/* Moves mark m (at or before off) on to the last position asked, when
 * that lies between the two: walking on from any exact mark gives the
 * same answer, and many findings along one long line then cost one walk
 * along it, not one each from its start. */
static void nearer(const sl_source *src, mark *m, size_t off)
{
    if (src->near_line && src->near_off > m->off && src->near_off <= off)
        *m = (mark){src->near_off, src->near_line, src->near_col};
}

/* Keeps m as the last position asked. The source is read by one thread at
 * a time. */
static void remember(const sl_source *src, const mark *m)
{
    sl_source *w = (sl_source *)src;
    w->near_off = m->off;
    w->near_line = m->line;
    w->near_col = m->col;
}

static void stream_position(const sl_source *src, size_t off, mark *m)
{
    sl_source_stream *st = src->stream;
    const char *d = src->data;
    size_t len = src->len;
    if (off < st->base.off) {
        *m = mark_before(st, off);
        size_t from = m->off;
        nearer(src, m, off);
        walk(d, len, m, off);
        if (st->pageable)
            sl_mapped_release(d + from, d + off);
        return;
    }
    if (off <= st->hi || off - st->hi <= FAR_AHEAD)
        index_to(st, d, len, off);
    *m = window_mark(st, off);
    size_t from = m->off > st->hi ? m->off : st->hi;
    nearer(src, m, off);
    walk(d, len, m, off);
    if (st->pageable && off > st->hi)
        sl_mapped_release(d + from, d + off);
}

void sl_source_position(const sl_source *src, size_t off, unsigned *line, unsigned *col)
{
    if (off > src->len)
        off = src->len;
    if (src->stream) {
        mark m;
        stream_position(src, off, &m);
        remember(src, &m);
        *line = (unsigned)m.line;
        *col = (unsigned)m.col;
        return;
    }
    if (!src->lines && (!src->data || sl_source_index(src) != SL_OK)) {
        /* Never initialized; or out of memory for the index: walk. */
        mark m = {0, 1, 1};
        if (src->data) {
            nearer(src, &m, off);
            walk(src->data, src->len, &m, off);
            remember(src, &m);
        }
        *line = (unsigned)m.line;
        *col = (unsigned)m.col;
        return;
    }
    size_t lo = 0, hi = src->nlines;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (src->lines[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    mark m = {src->lines[lo], lo + 1, 1};
    nearer(src, &m, off);
    walk(src->data, src->len, &m, off);
    remember(src, &m);
    *line = (unsigned)m.line;
    *col = (unsigned)m.col;
}

/* Counts line ends on from mark m (on a line before or at `line`) to the
 * start of `line`. */
static int line_from(const sl_source *src, mark m, size_t line, size_t *off)
{
    const char *d = src->data;
    size_t n = m.line;
    for (size_t i = m.off; i < src->len && n < line; i++) {
        if (d[i] == '\n' || (d[i] == '\r' && !(i + 1 < src->len && d[i + 1] == '\n'))) {
            if (++n == line) {
                *off = i + 1;
                return 1;
            }
        }
    }
    if (n == line) { /* the first line, or a mark's own line */
        *off = m.off;
        while (*off > 0 && d[*off - 1] != '\n' && d[*off - 1] != '\r')
            (*off)--;
        return 1;
    }
    return 0;
}

int sl_source_line_start(const sl_source *src, size_t line, size_t *off)
{
    if (line == 0 || !src->data)
        return 0;
    if (!src->stream) {
        if (src->lines || sl_source_index(src) == SL_OK) {
            if (line > src->nlines)
                return 0;
            *off = src->lines[line - 1];
            return 1;
        }
        /* Out of memory for the index: count from the start. */
        return line_from(src, (mark){0, 1, 1}, line, off);
    }
    const sl_source_stream *st = src->stream;
    /* From the last mark on an earlier line (or the first mark), counting
     * line ends; only error messages ask, so no index is kept. */
    size_t k = 0;
    for (size_t i = 0; i < st->nmarks; i++)
        if (st->marks[i].line < line)
            k = i;
    return line_from(src, st->base.line < line ? st->base : st->marks[k], line, off);
}

void sl_source_advance(const sl_source *src, size_t off)
{
    sl_source_stream *st = src->stream;
    if (!st || off <= st->base.off)
        return;
    if (off > src->len)
        off = src->len;
    const char *d = src->data;
    /* Out of memory for the index, walk all the way from the base. */
    mark m = index_to(st, d, src->len, off) ? window_mark(st, off) : st->base;
    walk(d, src->len, &m, off);
    /* The starts at or before the new base are behind it now. */
    size_t used = starts_upto(st, m.off);
    if (used) {
        memmove(st->starts, st->starts + used, (st->nstarts - used) * sizeof *st->starts);
        st->nstarts -= used;
    }
    if (m.off > st->hi)
        st->hi = m.off;
    st->base = m;
    if (m.off - st->marks[st->nmarks - 1].off >= MARK_STEP) {
        if (st->nmarks == st->mcap) {
            mark *p = realloc(st->marks, 2 * st->mcap * sizeof *p);
            if (p) {
                st->marks = p;
                st->mcap *= 2;
            }
        }
        /* Out of memory, the previous mark serves: slower, still exact. */
        if (st->nmarks < st->mcap)
            st->marks[st->nmarks++] = m;
    }
    if (st->pageable && (size_t)(d + m.off - st->released) >= RELEASE_STEP) {
        sl_mapped_release(st->released, d + m.off);
        st->released = (const char *)((uintptr_t)(d + m.off) & ~(page_size() - 1));
    }
}

void sl_source_release(const sl_source *src, size_t from, size_t to)
{
    if (!src->stream || !src->stream->pageable || from >= to)
        return;
    if (to > src->len)
        to = src->len;
    /* The mapping starts on a page: rounding `from` down stays inside it. */
    const char *lo = (const char *)((uintptr_t)(src->data + from) & ~(page_size() - 1));
    sl_mapped_release(lo, src->data + to);
}
