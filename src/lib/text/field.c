#include "text/field.h"

#include <stdlib.h>
#include <string.h>

/* Copies the borrowed field's bytes into a buffer of its own, with room
 * for `cap` bytes; its map becomes one run. */
static sl_status own(sl_field *f, size_t cap)
{
    char *t = malloc(cap);
    sl_field_run *r = malloc(8 * sizeof *r);
    if (!t || !r) {
        free(t);
        free(r);
        return SL_ENOMEM;
    }
    memcpy(t, f->text, f->len);
    t[f->len] = '\0';
    r[0].at = 0;
    r[0].off = f->base;
    f->text = t;
    f->cap = cap;
    f->runs = r;
    f->nruns = f->len > 0;
    f->runcap = 8;
    f->end = f->base + (uint32_t)f->len;
    f->base = 0;
    f->borrowed = 0;
    return SL_OK;
}

sl_status sl_field_reserve(sl_field *f, size_t extra)
{
    if (f->len + extra + 1 <= f->cap)
        return SL_OK;
    /* Lengths are kept in 31 bits (a run's start), offsets in 32. */
    if (extra >= SL_RUN_FIXED || f->len + extra >= SL_RUN_FIXED)
        return SL_ELIMIT;
    /* Small to start: a page may hold thousands of short fields (meta
     * values), each also normalized. A field that grows again is a long
     * one being built piece by piece: it skips to 256, as many
     * reallocations as it had before. */
    size_t cap = !f->cap ? 16 : f->cap < 256 ? 256 : f->cap;
    while (cap < f->len + extra + 1)
        cap *= 2;
    if (f->borrowed)
        return own(f, cap);
    char *t = realloc(f->text, cap);
    if (!t)
        return SL_ENOMEM;
    f->text = t;
    f->cap = cap;
    return SL_OK;
}

sl_status sl_field_borrow(sl_field *f, const char *s, size_t n, size_t src_off)
{
    if (n >= SL_RUN_FIXED || src_off >= UINT32_MAX - n)
        return SL_ELIMIT;
    sl_field_clear(f);
    if (n == 0)
        return SL_OK;
    f->text = (char *)s;
    f->len = n;
    f->base = (uint32_t)src_off;
    f->borrowed = 1;
    return SL_OK;
}

sl_status sl_field_push_run(sl_field *f, size_t at, uint32_t off, int spread)
{
    if (f->nruns == f->runcap) {
        size_t cap = f->runcap ? 2 * f->runcap : 8;
        sl_field_run *r = realloc(f->runs, cap * sizeof *r);
        if (!r)
            return SL_ENOMEM;
        f->runs = r;
        f->runcap = cap;
    }
    f->runs[f->nruns].at = (uint32_t)at | (spread ? 0 : SL_RUN_FIXED);
    f->runs[f->nruns].off = off;
    f->nruns++;
    return SL_OK;
}

/* The index of the run holding byte i < len of an owned field. */
static size_t run_of(const sl_field *f, size_t i)
{
    size_t lo = 0, hi = f->nruns;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if ((f->runs[mid].at & ~SL_RUN_FIXED) <= i)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

size_t sl_field_run_offset(const sl_field *f, size_t i)
{
    if (i >= f->len || !f->nruns)
        return f->end;
    const sl_field_run *r = &f->runs[run_of(f, i)];
    return r->at & SL_RUN_FIXED ? r->off : r->off + (i - r->at);
}

size_t sl_field_span(const sl_field *f, size_t i, size_t end)
{
    if (end > f->len)
        end = f->len;
    if (i >= end)
        return end;
    if (f->borrowed)
        return end;
    size_t k = run_of(f, i);
    if (f->runs[k].at & SL_RUN_FIXED)
        return i + 1;
    size_t next = k + 1 < f->nruns ? f->runs[k + 1].at & ~SL_RUN_FIXED : f->len;
    return next < end ? next : end;
}

static sl_status field_append(sl_field *f, const char *s, size_t n, size_t src_off, int spread)
{
    sl_status st = sl_field_reserve(f, n);
    if (st != SL_OK)
        return st;
    if (n && (st = sl_field_add_run(f, f->len, n, (uint32_t)src_off, spread)) != SL_OK)
        return st;
    memcpy(f->text + f->len, s, n);
    f->len += n;
    f->text[f->len] = '\0';
    f->end = (uint32_t)(src_off + (spread ? n : 1));
    return SL_OK;
}

sl_status sl_field_append_span(sl_field *f, const char *s, size_t n, size_t src_off)
{
    return field_append(f, s, n, src_off, 1);
}

sl_status sl_field_append_at(sl_field *f, const char *s, size_t n, size_t src_off)
{
    return field_append(f, s, n, src_off, 0);
}

sl_status sl_field_break(sl_field *f, size_t src_off)
{
    if (f->len == 0 || f->text[f->len - 1] == '\n')
        return SL_OK;
    return sl_field_append_at(f, "\n", 1, src_off);
}

int sl_field_equal(const sl_field *a, const sl_field *b)
{
    if (a->len != b->len)
        return 0;
    if (a->len == 0)
        return 1;
    if (memcmp(a->text, b->text, a->len) != 0)
        return 0;
    if (a->borrowed && b->borrowed)
        return a->base == b->base;
    /* Runs are joined the same way whoever wrote them, so equal maps are
     * mostly equal runs; telling the rare others apart only costs a field
     * normalized twice. */
    if (a->borrowed || b->borrowed) {
        const sl_field *own = a->borrowed ? b : a, *bor = a->borrowed ? a : b;
        return own->nruns == 1 && !(own->runs[0].at & SL_RUN_FIXED) &&
               own->runs[0].off == bor->base && own->end == bor->base + bor->len;
    }
    return a->nruns == b->nruns && a->end == b->end &&
           memcmp(a->runs, b->runs, a->nruns * sizeof *a->runs) == 0;
}

void sl_field_move(sl_field *to, sl_field *from)
{
    sl_field_clear(to);
    *to = *from;
    memset(from, 0, sizeof *from);
}

void sl_field_reset(sl_field *f)
{
    if (f->borrowed) {
        memset(f, 0, sizeof *f);
        return;
    }
    f->len = 0;
    f->nruns = 0;
    f->end = 0;
    if (f->text)
        f->text[0] = '\0';
}

void sl_field_clear(sl_field *f)
{
    if (!f)
        return;
    if (!f->borrowed)
        free(f->text);
    free(f->runs);
    memset(f, 0, sizeof *f);
}
