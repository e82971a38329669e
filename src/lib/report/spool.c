/*
 * The report's document spool (spool.h). The temporary file is created in
 * $TMPDIR (else /tmp) and unlinked at once, so nothing is left behind by a
 * run that is killed; when no temporary file can be made the spool stays in
 * memory, which costs memory but never a report.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/spool.h"

#define WBUF_SIZE ((size_t)64 << 10)

void rm_spool_init(rm_spool *sp)
{
    memset(sp, 0, sizeof *sp);
    sp->fd = -1;
}

void rm_spool_clear(rm_spool *sp)
{
    free(sp->mem);
    free(sp->wbuf);
    if (sp->fd >= 0)
        close(sp->fd);
    rm_spool_init(sp);
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return 0;
        p += k;
        n -= (size_t)k;
    }
    return 1;
}

/* Moves the spool from memory to a temporary file. 0 leaves it in memory. */
static int spill(rm_spool *sp)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    size_t n = strlen(dir) + sizeof "/syndlint-report-XXXXXX";
    char *tmpl = malloc(n);
    char *wbuf = malloc(WBUF_SIZE);
    if (!tmpl || !wbuf) {
        free(tmpl);
        free(wbuf);
        return 0;
    }
    snprintf(tmpl, n, "%s/syndlint-report-XXXXXX", dir);
    int fd = mkstemp(tmpl);
    if (fd >= 0) {
        unlink(tmpl);
        fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    free(tmpl);
    if (fd < 0 || !write_all(fd, sp->mem, sp->len)) {
        if (fd >= 0)
            close(fd);
        free(wbuf);
        return 0;
    }
    free(sp->mem);
    sp->mem = NULL;
    sp->len = sp->cap = 0;
    sp->fd = fd;
    sp->wbuf = wbuf;
    sp->wlen = 0;
    return 1;
}

sl_status rm_spool_flush(rm_spool *sp)
{
    if (sp->fd < 0 || sp->wlen == 0)
        return sp->err ? SL_EIO : SL_OK;
    if (!write_all(sp->fd, sp->wbuf, sp->wlen)) {
        sp->err = errno ? errno : EIO;
        return SL_EIO;
    }
    sp->wlen = 0;
    return SL_OK;
}

sl_status rm_spool_put(rm_spool *sp, const void *p, size_t n)
{
    if (sp->err)
        return SL_EIO;
    if (sp->fd < 0 && !sp->no_file && sp->len + n > RM_SPOOL_MEM && !spill(sp))
        sp->no_file = 1;
    if (sp->fd < 0) {
        if (sp->len + n > sp->cap) {
            size_t cap = sp->cap ? sp->cap : 4096;
            while (cap < sp->len + n)
                cap *= 2;
            char *m = realloc(sp->mem, cap);
            if (!m)
                return SL_ENOMEM;
            sp->mem = m;
            sp->cap = cap;
        }
        memcpy(sp->mem + sp->len, p, n);
        sp->len += n;
        sp->size += n;
        return SL_OK;
    }
    if (sp->wlen + n > WBUF_SIZE && rm_spool_flush(sp) != SL_OK)
        return SL_EIO;
    if (n > WBUF_SIZE) {
        if (!write_all(sp->fd, p, n)) {
            sp->err = errno ? errno : EIO;
            return SL_EIO;
        }
    } else {
        memcpy(sp->wbuf + sp->wlen, p, n);
        sp->wlen += n;
    }
    sp->size += n;
    return SL_OK;
}

size_t rm_pread(int fd, void *dst, size_t n, uint64_t off)
{
    char *p = dst;
    size_t have = 0;
    while (have < n) {
        ssize_t k = pread(fd, p + have, n - have, (off_t)(off + have));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        have += (size_t)k;
    }
    return have;
}

int rm_spool_read(const rm_spool *sp, uint64_t off, void *dst, size_t n)
{
    if (off > sp->size || n > sp->size - off)
        return 0;
    if (sp->fd < 0) {
        memcpy(dst, sp->mem + off, n);
        return 1;
    }
    return rm_pread(sp->fd, dst, n, off) == n;
}

/* ------------------------------------------------------------ records */

static void enc_put(rm_enc *e, const void *p, size_t n)
{
    if (!e->ok)
        return;
    if (e->len + n > e->cap) {
        size_t cap = e->cap ? e->cap : 1024;
        while (cap < e->len + n)
            cap *= 2;
        char *d = realloc(e->data, cap);
        if (!d) {
            e->ok = 0;
            return;
        }
        e->data = d;
        e->cap = cap;
    }
    memcpy(e->data + e->len, p, n);
    e->len += n;
}

void rm_enc_begin(rm_enc *e)
{
    e->len = 0;
    e->ok = 1;
    uint32_t placeholder = 0;
    enc_put(e, &placeholder, sizeof placeholder);
}

void rm_enc_u32(rm_enc *e, uint32_t v)
{
    enc_put(e, &v, sizeof v);
}

void rm_enc_str(rm_enc *e, const char *s)
{
    if (!s) {
        rm_enc_u32(e, UINT32_MAX);
        return;
    }
    size_t n = strlen(s);
    if (n >= UINT32_MAX) {
        e->ok = 0;
        return;
    }
    rm_enc_u32(e, (uint32_t)n);
    enc_put(e, s, n + 1);
}

sl_status rm_enc_end(rm_enc *e, rm_spool *sp)
{
    if (!e->ok)
        return SL_ENOMEM;
    if (e->len - sizeof(uint32_t) >= UINT32_MAX)
        return SL_ENOMEM;
    uint32_t body = (uint32_t)(e->len - sizeof(uint32_t));
    memcpy(e->data, &body, sizeof body);
    return rm_spool_put(sp, e->data, e->len);
}

void rm_enc_free(rm_enc *e)
{
    free(e->data);
    memset(e, 0, sizeof *e);
}
