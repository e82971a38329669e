/*
 * From a file to its result: read within the limits, load documents,
 * evaluate each against the profile that applies to the path, and decide
 * verdicts. Anything that keeps a file from being judged becomes an ERROR
 * result naming the reason, never a failed call: the gate fails closed and
 * the other inputs of the run go on.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "eval/scanner.h"
#include "input/input.h"
#include "util/buf.h"

#define SL_DEFAULT_MAX_FILE_SIZE ((size_t)32 << 20)
/* Backtracking budget per match: enough for any sane rule on a large
 * article, small enough that a catastrophic pattern ends in well under a
 * second. */
#define SL_MATCH_LIMIT 5000000u
#define SL_DEPTH_LIMIT 100000u

sl_status sl_scanner_new(const sl_ruleset *rs, const sl_scan_options *opt, sl_scanner **out)
{
    *out = NULL;
    if (!rs)
        return SL_EINVAL;
    sl_scanner *sc = calloc(1, sizeof *sc);
    if (!sc)
        return SL_ENOMEM;
    sc->rs = rs;
    if (opt)
        sc->opt = *opt;
    if (!sc->opt.fail_on)
        sc->opt.fail_on = SL_SEV_ERROR;
    if (!sc->opt.max_file_size)
        sc->opt.max_file_size = SL_DEFAULT_MAX_FILE_SIZE;
    sc->md = pcre2_match_data_create(16, NULL);
    sc->mctx = pcre2_match_context_create(NULL);
    sc->jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
    if (!sc->md || !sc->mctx) {
        sl_scanner_free(sc);
        return SL_ENOMEM;
    }
    pcre2_set_match_limit(sc->mctx, SL_MATCH_LIMIT);
    pcre2_set_depth_limit(sc->mctx, SL_DEPTH_LIMIT);
    if (sc->jit)
        pcre2_jit_stack_assign(sc->mctx, NULL, sc->jit);
    *out = sc;
    return SL_OK;
}

void sl_scanner_set_prefilter(sl_scanner *sc, int on)
{
    if (sc)
        sc->no_prefilter = !on;
}

void sl_scanner_free(sl_scanner *sc)
{
    if (!sc)
        return;
    pcre2_match_data_free(sc->md);
    pcre2_match_context_free(sc->mctx);
    pcre2_jit_stack_free(sc->jit);
    free(sc);
}

void sl_file_result_free(sl_file_result *res)
{
    if (!res)
        return;
    for (size_t i = 0; i < res->ndocs; i++)
        sl_doc_result_clear(&res->docs[i]);
    free(res->docs);
    free((char *)res->path);
    free((char *)res->error);
    free(res);
}

sl_status sl_file_result_error(const char *path, const char *reason, sl_file_result **out)
{
    *out = NULL;
    sl_file_result *res = calloc(1, sizeof *res);
    if (!res)
        return SL_ENOMEM;
    res->path = sl_strdup(path);
    res->error = sl_strdup(reason);
    res->verdict = SL_ERROR;
    if (!res->path || !res->error) {
        sl_file_result_free(res);
        return SL_ENOMEM;
    }
    *out = res;
    return SL_OK;
}

static int only_whitespace(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
            continue;
        /* A UTF-8 BOM alone is still an empty file. */
        if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBB &&
            (unsigned char)s[i + 2] == 0xBF) {
            i += 2;
            continue;
        }
        return 0;
    }
    return 1;
}

typedef struct scan_sink {
    sl_scanner *sc;
    const sl_profile *p;
    sl_file_result *res;
    size_t cap; /* res->docs slots */
} scan_sink;

/* Judges one document as soon as the loader has built it. */
static sl_status eval_one(void *user, const sl_source *src, sl_document *doc)
{
    scan_sink *k = user;
    sl_file_result *res = k->res;
    if (res->ndocs == k->cap) {
        size_t cap = k->cap ? 2 * k->cap : 4;
        sl_doc_result *d = realloc(res->docs, cap * sizeof *d);
        if (!d)
            return SL_ENOMEM;
        res->docs = d;
        k->cap = cap;
    }
    sl_doc_result *dr = &res->docs[res->ndocs];
    memset(dr, 0, sizeof *dr);
    sl_status st = sl_eval_document(k->sc, k->p, src, doc, -1, dr, NULL);
    res->ndocs++;
    if (st == SL_OK && dr->verdict > res->verdict)
        res->verdict = dr->verdict;
    return st;
}

sl_status sl_scan_buffer(sl_scanner *sc, const char *path, const char *data, size_t len,
                         sl_file_result **out)
{
    sl_status st = SL_OK;
    sl_source src;
    memset(&src, 0, sizeof src);
    sl_diag diag = {{0}};
    sl_file_result *res = NULL;
    *out = NULL;
    if (!path)
        path = "-";

    if (len > sc->opt.max_file_size) {
        char reason[160];
        snprintf(reason, sizeof reason,
                 "file is %zu bytes, over the limit of %zu (--max-file-size)", len,
                 sc->opt.max_file_size);
        return sl_file_result_error(path, reason, out);
    }
    if (only_whitespace(data, len))
        return sl_file_result_error(path, "empty file: nothing to check", out);

    res = calloc(1, sizeof *res);
    if (!res || !(res->path = sl_strdup(path))) {
        st = SL_ENOMEM;
        goto cleanup;
    }
    res->verdict = SL_PASS;
    /* Documents are judged as the loader builds them: a feed's items are
     * never all in memory, only their results. */
    scan_sink sink = {sc, sl_ruleset_profile_for(sc->rs, path), res, 0};
    char note[600];
    st = sl_input_load_each(path, data, len, SL_INPUT_AUTO, &src, eval_one, &sink, note,
                            sizeof note, &diag);
    if (st == SL_EINPUT || st == SL_ELIMIT || st == SL_EIO) {
        sl_file_result_free(res);
        sl_source_clear(&src);
        return sl_file_result_error(path, diag.message[0] ? diag.message : "cannot be read", out);
    }
    if (st != SL_OK)
        goto cleanup;
    if (res->ndocs == 0) {
        st = sl_file_result_error(path, "no document found", out);
        goto cleanup;
    }
    if (note[0]) {
        /* A feed that broke off: its items stand, the file is ERROR. */
        res->error = sl_strdup(note);
        res->verdict = SL_ERROR;
        if (!res->error) {
            st = SL_ENOMEM;
            goto cleanup;
        }
    }
    *out = res;
    res = NULL;
cleanup:
    sl_file_result_free(res);
    sl_source_clear(&src);
    return st;
}

/* Reads a whole regular file (or a pipe, for "-" and process substitution)
 * into memory, giving up past `limit` bytes. */
static sl_status read_all(int fd, size_t limit, char **out, size_t *outlen, int *over)
{
    size_t cap = 64 * 1024, len = 0;
    struct stat stbuf;
    if (fstat(fd, &stbuf) == 0 && S_ISREG(stbuf.st_mode)) {
        if ((size_t)stbuf.st_size > limit) {
            *over = 1;
            *outlen = (size_t)stbuf.st_size;
            return SL_OK;
        }
        cap = (size_t)stbuf.st_size + 1;
    }
    char *buf = malloc(cap);
    if (!buf)
        return SL_ENOMEM;
    for (;;) {
        if (len + 1 >= cap) {
            if (len > limit) {
                *over = 1;
                break;
            }
            char *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                return SL_ENOMEM;
            }
            buf = p;
            cap *= 2;
        }
        ssize_t n = read(fd, buf + len, cap - len - 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            free(buf);
            return SL_EIO;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    if (len > limit)
        *over = 1;
    *out = buf;
    *outlen = len;
    return SL_OK;
}

sl_status sl_scan_file(sl_scanner *sc, const char *path, sl_file_result **out)
{
    *out = NULL;
    int is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return sl_file_result_error(path, strerror(errno), out);
    sl_status st = SL_OK;
    struct stat stbuf;
    if (!is_stdin && fstat(fd, &stbuf) == 0) {
        if (S_ISDIR(stbuf.st_mode)) {
            close(fd);
            return sl_file_result_error(path, "is a directory", out);
        }
        if (!S_ISREG(stbuf.st_mode)) {
            close(fd);
            return sl_file_result_error(path, "not a regular file (device, FIFO or socket)", out);
        }
        /* Opened non-blocking only so that a FIFO could not hang the open. */
        int fl = fcntl(fd, F_GETFL);
        if (fl >= 0)
            fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    }
    char *data = NULL;
    size_t len = 0;
    int over = 0;
    st = read_all(fd, sc->opt.max_file_size, &data, &len, &over);
    if (!is_stdin)
        close(fd);
    if (st == SL_EIO)
        return sl_file_result_error(path, strerror(errno), out);
    if (st != SL_OK)
        return st;
    if (over) {
        char reason[200];
        snprintf(reason, sizeof reason,
                 "file is over the size limit of %zu bytes (--max-file-size)",
                 sc->opt.max_file_size);
        free(data);
        return sl_file_result_error(path, reason, out);
    }
    st = sl_scan_buffer(sc, path, data, len, out);
    free(data);
    return st;
}
