/*
 * From a file result to the report's records and back: rm_file_add keeps a
 * file's summary in rep->files and encodes its documents to the spool
 * (strings repaired to valid UTF-8 on the way in, so no writer has to
 * care); rm_docs_next decodes them one at a time for the writers.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#include "report/model.h"
#include "util/buf.h"

/* ------------------------------------------------------------ context */

/* The HTML report shows the source text around each finding. The source
 * is read again through a window that moves forward with the findings
 * (which come in source order, document after document), so a large feed
 * costs neither its size in memory nor a walk from its start per finding. */
#define CTX_WIN ((size_t)64 << 10)
#define CONTEXT_BYTES 160

typedef struct ctx_reader {
    int fd;
    uint64_t size;
    char *win; /* owned */
    uint64_t win_off;
    size_t win_len;
    /* Where the last lookup ended: 1-based line and column, byte offset. */
    unsigned line, col;
    uint64_t off;
    /* Positions passed, one every CTX_MARK bytes or so, in order: a lookup
     * behind the last one (findings of one document are not always in
     * source order) starts from the nearest, not from the file's start. */
    struct ctx_mark {
        unsigned line, col;
        uint64_t off;
    } * marks; /* owned */
    size_t nmarks, mcap;
} ctx_reader;

#define CTX_MARK ((uint64_t)16 << 10)

static int ctx_open(ctx_reader *r, const char *path)
{
    memset(r, 0, sizeof *r);
    r->fd = -1;
    if (!path || strcmp(path, "-") == 0)
        return 0;
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return 0;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || !(r->win = malloc(CTX_WIN))) {
        close(fd);
        return 0;
    }
    r->fd = fd;
    r->size = (uint64_t)st.st_size;
    r->line = r->col = 1;
    return 1;
}

static void ctx_close(ctx_reader *r)
{
    if (r->fd >= 0)
        close(r->fd);
    free(r->win);
    free(r->marks);
    memset(r, 0, sizeof *r);
    r->fd = -1;
}

/* Up to `want` bytes at `off` (fewer at the end of the file; *got says how
 * many), valid until the next call. NULL when they cannot be read. */
static const char *ctx_at(ctx_reader *r, uint64_t off, size_t want, size_t *got)
{
    if (want > CTX_WIN)
        want = CTX_WIN;
    if (off >= r->size) {
        *got = 0;
        return r->win;
    }
    if (off < r->win_off || off + want > r->win_off + r->win_len) {
        uint64_t left = r->size - off;
        size_t n = left < CTX_WIN ? (size_t)left : CTX_WIN;
        size_t have = rm_pread(r->fd, r->win, n, off);
        r->win_off = off;
        r->win_len = have;
        if (have == 0)
            return NULL;
    }
    size_t avail = r->win_len - (size_t)(off - r->win_off);
    *got = avail < want ? avail : want;
    return r->win + (off - r->win_off);
}

/* Records the current position as a mark when it is far enough past the
 * last one. Without memory for it, lookups only get slower. */
static void ctx_mark(ctx_reader *r)
{
    /* Only forward of the last mark, which keeps them in order. */
    if (r->nmarks && r->off < r->marks[r->nmarks - 1].off + CTX_MARK)
        return;
    if (r->nmarks == r->mcap) {
        size_t cap = r->mcap ? 2 * r->mcap : 64;
        struct ctx_mark *m = realloc(r->marks, cap * sizeof *m);
        if (!m)
            return;
        r->marks = m;
        r->mcap = cap;
    }
    r->marks[r->nmarks++] = (struct ctx_mark){r->line, r->col, r->off};
}

static int pos_before(unsigned l1, unsigned c1, unsigned l2, unsigned c2)
{
    return l1 < l2 || (l1 == l2 && c1 < c2);
}

/* Byte offset of 1-based (line, column), columns counted in characters (an
 * invalid byte is one); past the end of its line, the line's end.
 * UINT64_MAX when the line is not in the file. */
static uint64_t ctx_find(ctx_reader *r, unsigned line, unsigned column)
{
    if (pos_before(line, column, r->line, r->col)) {
        /* The last mark at or before the target; the file's start if none. */
        size_t lo = 0, hi = r->nmarks;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (pos_before(line, column, r->marks[mid].line, r->marks[mid].col))
                hi = mid;
            else
                lo = mid + 1;
        }
        if (lo) {
            r->line = r->marks[lo - 1].line;
            r->col = r->marks[lo - 1].col;
            r->off = r->marks[lo - 1].off;
        } else {
            r->line = r->col = 1;
            r->off = 0;
        }
    }
    while (r->line < line) {
        size_t got;
        const char *p = ctx_at(r, r->off, CTX_WIN, &got);
        if (!p || got == 0)
            return UINT64_MAX;
        const char *nl = memchr(p, '\n', got);
        if (nl) {
            r->off += (uint64_t)(nl - p) + 1;
            r->line++;
            r->col = 1;
            ctx_mark(r);
        } else {
            r->off += got;
        }
    }
    while (r->col < column) {
        size_t got;
        const char *p = ctx_at(r, r->off, 4, &got);
        if (!p || got == 0 || *p == '\n')
            break;
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)p, (utf8proc_ssize_t)got, &cp);
        r->off += k > 0 ? (uint64_t)k : 1;
        r->col++;
        ctx_mark(r);
    }
    return r->off;
}

/* Backs `i` up to a character boundary. */
static size_t char_start(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}

/* The source text before and after a finding's match (caller frees both);
 * both NULL when the position is not in the source. 0 when out of memory. */
static int context_of(ctx_reader *r, const sl_finding *f, const char *match, char **before,
                      char **after)
{
    *before = *after = NULL;
    uint64_t at = ctx_find(r, f->line, f->column);
    if (at == UINT64_MAX || at > r->size)
        return 1;
    /* Before: up to CONTEXT_BYTES back, not past the start of the line,
     * and up to 3 bytes more to start on a whole character. */
    char back[CONTEXT_BYTES + 4];
    uint64_t from = at > CONTEXT_BYTES + 3 ? at - (CONTEXT_BYTES + 3) : 0;
    size_t nb = 0;
    const char *p = ctx_at(r, from, (size_t)(at - from), &nb);
    if (!p)
        nb = 0;
    if (nb)
        memcpy(back, p, nb);
    size_t b0 = nb;
    while (b0 > 0 && back[b0 - 1] != '\n' && nb - b0 < CONTEXT_BYTES)
        b0--;
    if (b0 < nb)
        b0 = char_start(back, b0);
    /* The match is the source text when the source holds it verbatim;
     * otherwise (entities, markup in between) it is the normalized text,
     * shown after the start of its line. */
    size_t mlen = strlen(match);
    size_t na = 0;
    p = ctx_at(r, at, mlen + CONTEXT_BYTES + 4, &na);
    if (!p)
        na = 0;
    size_t end = 0;
    if (mlen && mlen <= na && memcmp(p, match, mlen) == 0)
        end = mlen;
    size_t e1 = end;
    while (e1 < na && p[e1] != '\n' && e1 - end < CONTEXT_BYTES)
        e1++;
    if (e1 < na)
        e1 = char_start(p, e1);
    *before = sl_strndup(back + b0, nb - b0);
    *after = sl_strndup(p ? p + end : "", e1 - end);
    if (!*before || !*after) {
        free(*before);
        free(*after);
        *before = *after = NULL;
        return 0;
    }
    return 1;
}

/* ------------------------------------------------------------ encoding */

/* Nonzero when `s` is valid UTF-8 (as rm_utf8dup would leave it). */
static int is_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p && *p < 0x80)
        p++;
    if (!*p)
        return 1;
    utf8proc_ssize_t n = (utf8proc_ssize_t)strlen((const char *)p);
    while (n > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p, n, &cp);
        if (k < 0)
            return 0;
        p += k;
        n -= k;
    }
    return 1;
}

/* Encodes a string, repaired to valid UTF-8 when it is not. */
static void enc_text(rm_enc *e, const char *s)
{
    if (!s || is_utf8(s)) {
        rm_enc_str(e, s);
        return;
    }
    int ok = 1;
    char *fixed = rm_utf8dup(s, 0, &ok);
    if (!ok)
        e->ok = 0;
    rm_enc_str(e, fixed);
    free(fixed);
}

static void enc_finding(rm_enc *e, const sl_finding *sf, ctx_reader *src)
{
    const char *match = sf->match ? sf->match : "";
    rm_enc_u32(e, (uint32_t)sf->severity);
    rm_enc_u32(e, sf->line);
    rm_enc_u32(e, sf->column);
    rm_enc_u32(e, sf->baseline != 0);
    rm_enc_u32(e, (uint32_t)sf->suppressed);
    enc_text(e, sf->rule);
    enc_text(e, sf->category);
    enc_text(e, sf->message);
    enc_text(e, sf->scope);
    enc_text(e, match);
    enc_text(e, sf->fingerprint);
    char *before = NULL, *after = NULL;
    if (src && !context_of(src, sf, match, &before, &after))
        e->ok = 0;
    enc_text(e, before);
    enc_text(e, after);
    free(before);
    free(after);
    enc_text(e, sf->suppressed ? (sf->suppression_reason ? sf->suppression_reason : "") : NULL);
}

void rm_file_clear(rm_file *f)
{
    free(f->path);
    free(f->error);
    memset(f, 0, sizeof *f);
}

/* The file being added to: rep->files[rep->nfiles], counted in only when
 * it is closed. */
static sl_status file_open(sl_report *rep, const char *path)
{
    if (rep->open)
        return SL_OK;
    if (rep->nfiles == rep->cap) {
        size_t cap = rep->cap ? 2 * rep->cap : 16;
        rm_file *p = realloc(rep->files, cap * sizeof *p);
        if (!p)
            return SL_ENOMEM;
        rep->files = p;
        rep->cap = cap;
    }
    rm_file *dst = &rep->files[rep->nfiles];
    memset(dst, 0, sizeof *dst);
    int ok = 1;
    dst->path = rm_utf8dup(path ? path : "-", 0, &ok);
    dst->off = rep->spool.size;
    if (!ok) {
        rm_file_clear(dst);
        return SL_ENOMEM;
    }
    rep->open = 1;
    return SL_OK;
}

static sl_status file_doc(sl_report *rep, const char *path, const sl_doc_result *dr, int context)
{
    rm_file *dst = &rep->files[rep->nfiles];
    rm_enc *e = &rep->enc;
    ctx_reader *src = NULL;
    if (context && dr->nfindings && !rep->ctx_tried) {
        rep->ctx_tried = 1;
        ctx_reader *r = malloc(sizeof *r);
        if (r && ctx_open(r, path))
            rep->ctx = r;
        else
            free(r);
    }
    if (context)
        src = rep->ctx;
    rm_enc_begin(e);
    rm_enc_u32(e, (uint32_t)dr->verdict);
    enc_text(e, dr->id);
    enc_text(e, dr->title);
    enc_text(e, dr->error);
    rm_enc_u32(e, (uint32_t)dr->nfindings);
    for (size_t k = 0; k < dr->nfindings; k++)
        enc_finding(e, &dr->findings[k], src);
    sl_status st = rm_enc_end(e, &rep->spool);
    if (st != SL_OK)
        return st;
    int ok = 1;
    if (!dst->error && dr->error && !(dst->error = rm_utf8dup(dr->error, 0, &ok)))
        return SL_ENOMEM;
    /* One document, whose id reads as the path: the writers that list a
     * file's documents list none apart (compared as they show them). */
    dst->single = dst->ndocs == 0 && dr->id && path && rm_utf8_same(dr->id, path);
    dst->ndocs++;
    dst->nfailed += dr->verdict == SL_FAIL;
    dst->nerrors += dr->verdict == SL_ERROR;
    dst->nfindings += dr->nfindings;
    for (size_t k = 0; k < dr->nfindings; k++) {
        rep->n.baseline += dr->findings[k].baseline != 0;
        rep->n.suppressed += dr->findings[k].suppressed != 0;
    }
    return SL_OK;
}

static void file_drop_ctx(sl_report *rep)
{
    if (rep->ctx) {
        ctx_close(rep->ctx);
        free(rep->ctx);
    }
    rep->ctx = NULL;
    rep->ctx_tried = 0;
}

/* Adds what is left of the file (res->docs) and counts it in. */
static sl_status file_close(sl_report *rep, const sl_file_result *res, int context)
{
    rm_file *dst = &rep->files[rep->nfiles];
    sl_status st = SL_OK;
    for (size_t i = 0; st == SL_OK && i < res->ndocs; i++)
        st = file_doc(rep, res->path, &res->docs[i], context);
    if (st == SL_OK && res->error) {
        int ok = 1;
        char *err = rm_utf8dup(res->error, 0, &ok);
        if (!ok) {
            st = SL_ENOMEM;
        } else {
            free(dst->error);
            dst->error = err;
        }
    }
    int nodocs = st == SL_OK && dst->ndocs == 0;
    if (nodocs) {
        /* An input that could not be read still counts as one document
         * that did not pass. */
        rm_enc *e = &rep->enc;
        rm_enc_begin(e);
        rm_enc_u32(e, SL_ERROR);
        enc_text(e, res->path);
        rm_enc_str(e, NULL);
        enc_text(e, res->error);
        rm_enc_u32(e, 0);
        st = rm_enc_end(e, &rep->spool);
        dst->ndocs = dst->nerrors = 1;
        dst->single = 1;
    }
    file_drop_ctx(rep);
    rep->open = 0;
    if (st != SL_OK) {
        /* Records already spooled for this file are never read: the next
         * file's offset starts after them. */
        rm_file_clear(dst);
        return st;
    }
    dst->verdict = nodocs ? SL_ERROR : res->verdict;
    rep->nfiles++;
    rep->n.files++;
    rep->n.docs += dst->ndocs;
    rep->n.findings += dst->nfindings;
    rep->n.failed += dst->nfailed;
    rep->n.errors += dst->nerrors;
    rep->n.passed += dst->ndocs - dst->nfailed - dst->nerrors;
    return SL_OK;
}

sl_status rm_file_add(sl_report *rep, const sl_file_result *res, int context)
{
    sl_status st = file_open(rep, res->path);
    return st == SL_OK ? file_close(rep, res, context) : st;
}

sl_status sl_report_add_doc(sl_report *rep, const char *path, const sl_doc_result *doc)
{
    if (!rep || !doc)
        return SL_EINVAL;
    sl_status st = file_open(rep, path);
    return st == SL_OK ? file_doc(rep, path, doc, rep->format == RM_HTML) : st;
}

sl_status sl_report_end_file(sl_report *rep, const sl_file_result *res)
{
    if (!rep || !res)
        return SL_EINVAL;
    return rm_file_add(rep, res, rep->format == RM_HTML);
}

void rm_file_abandon(sl_report *rep)
{
    if (rep->open)
        rm_file_clear(&rep->files[rep->nfiles]);
    file_drop_ctx(rep);
    rep->open = 0;
}

/* ------------------------------------------------------------ decoding */

#define WIN_SIZE ((size_t)64 << 10)

void rm_docs_begin(rm_doc_iter *it, const sl_report *rep, const rm_file *file)
{
    memset(it, 0, sizeof *it);
    it->sp = &rep->spool;
    it->pos = file->off;
    it->left = file->ndocs;
}

void rm_docs_end(rm_doc_iter *it)
{
    free(it->rec);
    free(it->win);
    free(it->f);
    it->rec = it->win = NULL;
    it->f = NULL;
}

/* Reads through a window, so a file's many small records cost one read of
 * the spool file per window rather than two each. */
static int iter_read(rm_doc_iter *it, uint64_t off, void *dst, size_t n)
{
    if (it->sp->fd < 0 || n > WIN_SIZE)
        return rm_spool_read(it->sp, off, dst, n);
    if (!it->win && !(it->win = malloc(WIN_SIZE)))
        return 0;
    if (off < it->win_off || off + n > it->win_off + it->win_len) {
        uint64_t left = it->sp->size > off ? it->sp->size - off : 0;
        size_t want = left < WIN_SIZE ? (size_t)left : WIN_SIZE;
        if (want < n || !rm_spool_read(it->sp, off, it->win, want))
            return 0;
        it->win_off = off;
        it->win_len = want;
    }
    memcpy(dst, it->win + (off - it->win_off), n);
    return 1;
}

typedef struct cursor {
    char *p, *end;
    int ok;
} cursor;

static uint32_t take_u32(cursor *c)
{
    uint32_t v = 0;
    if ((size_t)(c->end - c->p) < sizeof v) {
        c->ok = 0;
        return 0;
    }
    memcpy(&v, c->p, sizeof v);
    c->p += sizeof v;
    return v;
}

static const char *take_str(cursor *c)
{
    uint32_t n = take_u32(c);
    if (!c->ok || n == UINT32_MAX)
        return NULL;
    if ((size_t)(c->end - c->p) < (size_t)n + 1 || c->p[n] != '\0') {
        c->ok = 0;
        return NULL;
    }
    const char *s = c->p;
    c->p += (size_t)n + 1;
    return s;
}

const rm_doc *rm_docs_next(rm_doc_iter *it)
{
    if (it->failed || it->left == 0)
        return NULL;
    uint32_t len;
    if (!iter_read(it, it->pos, &len, sizeof len))
        goto fail;
    if (len + (size_t)1 > it->rcap) {
        char *r = realloc(it->rec, len + (size_t)1);
        if (!r)
            goto fail;
        it->rec = r;
        it->rcap = len + (size_t)1;
    }
    if (!iter_read(it, it->pos + sizeof len, it->rec, len))
        goto fail;
    it->pos += sizeof len + (uint64_t)len;
    it->left--;

    cursor c = {it->rec, it->rec + len, 1};
    rm_doc *d = &it->doc;
    d->verdict = (sl_verdict)take_u32(&c);
    d->id = take_str(&c);
    d->title = take_str(&c);
    d->error = take_str(&c);
    uint32_t n = take_u32(&c);
    if (!c.ok || n > len)
        goto fail;
    if (n > it->fcap) {
        rm_finding *f = realloc(it->f, n * sizeof *f);
        if (!f)
            goto fail;
        it->f = f;
        it->fcap = n;
    }
    for (uint32_t k = 0; k < n; k++) {
        rm_finding *f = &it->f[k];
        f->severity = (sl_severity)take_u32(&c);
        f->line = take_u32(&c);
        f->column = take_u32(&c);
        f->baseline = (int)take_u32(&c);
        f->suppressed = (int)take_u32(&c);
        f->rule = take_str(&c);
        f->category = take_str(&c);
        f->message = take_str(&c);
        f->scope = take_str(&c);
        f->match = take_str(&c);
        f->fingerprint = take_str(&c);
        f->before = take_str(&c);
        f->after = take_str(&c);
        f->suppression_reason = take_str(&c);
    }
    if (!c.ok)
        goto fail;
    d->findings = n ? it->f : NULL;
    d->nfindings = n;
    return d;
fail:
    it->failed = 1;
    return NULL;
}
