/*
 * Inputs by URL: a desk audits its partners' live feeds nightly.
 *
 * libcurl does the transfer, restricted to http and https (redirects
 * included), with a redirect limit, a connect timeout, a whole-transfer
 * timeout and a body size limit enforced as bytes arrive (a server that
 * lies in Content-Length, or sends a gzip bomb, is cut off at the limit,
 * counted after decompression). No signals (CURLOPT_NOSIGNAL): fetches run
 * on worker threads.
 *
 * The conditional-GET cache keeps, per URL, the last body and the ETag and
 * Last-Modified that came with it: DIR/<hash>.body and DIR/<hash>.meta
 * (the URL, the ETag, the date, one per line; the URL is checked, so a
 * hash collision is a miss, not a wrong feed). The next fetch sends
 * If-None-Match and If-Modified-Since, and a 304 is answered from the
 * cache. Entries are written to a temporary file and renamed, body first,
 * so a concurrent or interrupted run sees an old entry or a new one, never
 * half of one.
 *
 * libcurl is loaded with dlopen when the first fetcher is made, not linked:
 * with the TLS, HTTP/2, LDAP and Kerberos libraries it pulls in, linking
 * it cost every run about 4 ms of dynamic linking, more than scanning a
 * typical article, and only a run with a URL among its inputs needs it.
 * The library stays loaded for the life of the process.
 */
#include <curl/curl.h>
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "syndlint/syndlint.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/dl.h"

#define DEFAULT_TIMEOUT_MS 30000L
#define DEFAULT_CONNECT_MS 10000L
#define DEFAULT_MAX_SIZE ((size_t)32 << 20)
#define DEFAULT_REDIRECTS 5L

/* The libcurl functions used here, resolved once. */
typedef struct curl_api {
    CURLcode (*global_init)(long flags);
    void (*global_cleanup)(void);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *h, CURLoption opt, ...);
    CURLcode (*easy_perform)(CURL *h);
    CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
    const char *(*easy_strerror)(CURLcode rc);
    void (*easy_cleanup)(CURL *h);
    struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
    void (*slist_free_all)(struct curl_slist *l);
} curl_api;

#define LIBCURL_SONAME "libcurl.so.4"

static curl_api curl;
static char curl_error[256]; /* why it could not be loaded; "" when it was */
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_load(void)
{
    void *lib = dlopen(LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *why = dlerror();
        snprintf(curl_error, sizeof curl_error, "URL inputs need libcurl (%s): %s", LIBCURL_SONAME,
                 why ? why : "cannot load it");
        return;
    }
    static const sl_dl_sym syms[] = {
        {"curl_global_init", offsetof(curl_api, global_init)},
        {"curl_global_cleanup", offsetof(curl_api, global_cleanup)},
        {"curl_easy_init", offsetof(curl_api, easy_init)},
        {"curl_easy_setopt", offsetof(curl_api, easy_setopt)},
        {"curl_easy_perform", offsetof(curl_api, easy_perform)},
        {"curl_easy_getinfo", offsetof(curl_api, easy_getinfo)},
        {"curl_easy_strerror", offsetof(curl_api, easy_strerror)},
        {"curl_easy_cleanup", offsetof(curl_api, easy_cleanup)},
        {"curl_slist_append", offsetof(curl_api, slist_append)},
        {"curl_slist_free_all", offsetof(curl_api, slist_free_all)},
    };
    curl_api api;
    const char *missing = sl_dl_bind(lib, syms, sizeof syms / sizeof *syms, &api);
    if (missing) {
        snprintf(curl_error, sizeof curl_error, "URL inputs need libcurl: %s lacks %s",
                 LIBCURL_SONAME, missing);
        dlclose(lib);
        return;
    }
    curl = api;
}

struct sl_fetcher {
    sl_fetch_options opt;
    char *cache_dir; /* owned; NULL without a cache */
};

int sl_is_url(const char *s)
{
    return s && (strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0);
}

/* mkdir -p, each level 0700. */
static int make_dirs(const char *path)
{
    char *p = sl_strdup(path);
    int rc = 0;
    if (!p)
        return -1;
    for (char *q = p + 1; rc == 0; q++) {
        if (*q != '/' && *q != '\0')
            continue;
        char c = *q;
        *q = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST)
            rc = -1;
        *q = c;
        if (c == '\0')
            break;
    }
    free(p);
    return rc;
}

sl_status sl_fetcher_new(const sl_fetch_options *opt, sl_fetcher **out, sl_diag *diag)
{
    *out = NULL;
    sl_fetcher *f = calloc(1, sizeof *f);
    if (!f)
        return sl_diag_set(diag, SL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    if (opt)
        f->opt = *opt;
    if (f->opt.timeout_ms <= 0)
        f->opt.timeout_ms = DEFAULT_TIMEOUT_MS;
    if (f->opt.connect_timeout_ms <= 0)
        f->opt.connect_timeout_ms = DEFAULT_CONNECT_MS;
    if (!f->opt.max_size)
        f->opt.max_size = DEFAULT_MAX_SIZE;
    if (f->opt.max_redirects == 0)
        f->opt.max_redirects = DEFAULT_REDIRECTS;
    f->opt.cache_dir = NULL;
    if (opt && opt->cache_dir && opt->cache_dir[0]) {
        f->cache_dir = sl_strdup(opt->cache_dir);
        if (!f->cache_dir) {
            free(f);
            return sl_diag_set(diag, SL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        }
        if (make_dirs(f->cache_dir) != 0) {
            sl_status st =
                sl_diag_set(diag, SL_EIO, NULL, 0, 0, NULL, "cannot create cache directory %s: %s",
                            f->cache_dir, strerror(errno));
            free(f->cache_dir);
            free(f);
            return st;
        }
    }
    pthread_once(&curl_once, curl_load);
    if (curl_error[0]) {
        free(f->cache_dir);
        free(f);
        return sl_diag_set(diag, SL_EIO, NULL, 0, 0, NULL, "%s", curl_error);
    }
    if (curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        free(f->cache_dir);
        free(f);
        return sl_diag_set(diag, SL_EIO, NULL, 0, 0, NULL, "cannot initialise libcurl");
    }
    *out = f;
    return SL_OK;
}

void sl_fetcher_free(sl_fetcher *f)
{
    if (!f)
        return;
    curl.global_cleanup();
    free(f->cache_dir);
    free(f);
}

/* ------------------------------------------------------------------ cache */

typedef struct cache_entry {
    char body[4096], meta[4096]; /* paths */
    char etag[512], modified[128];
    int valid; /* meta read and its URL matches */
} cache_entry;

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

/* Reads line `n` (0-based) of `text` into out, without its newline. */
static void line_of(const char *text, int n, char *out, size_t cap)
{
    out[0] = '\0';
    for (; n > 0 && text; n--) {
        text = strchr(text, '\n');
        if (text)
            text++;
    }
    if (!text)
        return;
    size_t len = strcspn(text, "\n");
    if (len >= cap)
        return;
    memcpy(out, text, len);
    out[len] = '\0';
}

static void cache_lookup(const sl_fetcher *f, const char *url, cache_entry *e)
{
    memset(e, 0, sizeof *e);
    if (!f->cache_dir)
        return;
    unsigned long long h = (unsigned long long)fnv1a(url);
    snprintf(e->body, sizeof e->body, "%s/%016llx.body", f->cache_dir, h);
    snprintf(e->meta, sizeof e->meta, "%s/%016llx.meta", f->cache_dir, h);
    FILE *m = fopen(e->meta, "rb");
    if (!m)
        return;
    char text[8192];
    size_t n = fread(text, 1, sizeof text - 1, m);
    fclose(m);
    text[n] = '\0';
    char first[4096];
    line_of(text, 0, first, sizeof first);
    if (strcmp(first, url) != 0)
        return;
    line_of(text, 1, e->etag, sizeof e->etag);
    line_of(text, 2, e->modified, sizeof e->modified);
    e->valid = e->etag[0] || e->modified[0];
}

/* Writes `len` bytes to `path` through a temporary file and a rename. */
static int write_atomic(const char *path, const char *data, size_t len)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    FILE *o = fopen(tmp, "wb");
    if (!o)
        return -1;
    int ok = fwrite(data, 1, len, o) == len;
    ok = fclose(o) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* Stores a 200 response that carries a validator. Failing to cache is not
 * failing to fetch: the next run simply fetches in full. */
static void cache_store(const cache_entry *e, const char *url, const char *etag,
                        const char *modified, const char *data, size_t len)
{
    if (!e->body[0] || (!etag[0] && !modified[0]))
        return;
    sl_buf m = {0};
    if (sl_buf_printf(&m, "%s\n%s\n%s\n", url, etag, modified) == SL_OK &&
        write_atomic(e->body, data, len) == 0)
        write_atomic(e->meta, m.data, m.len);
    sl_buf_free(&m);
}

static sl_status cache_read(const cache_entry *e, char **data, size_t *len, size_t limit)
{
    FILE *in = fopen(e->body, "rb");
    if (!in)
        return SL_EIO;
    sl_buf b = {0};
    char chunk[65536];
    size_t n;
    sl_status st = SL_OK;
    while (st == SL_OK && (n = fread(chunk, 1, sizeof chunk, in)) > 0)
        st = b.len + n > limit ? SL_ELIMIT : sl_buf_append(&b, chunk, n);
    fclose(in);
    if (st != SL_OK) {
        sl_buf_free(&b);
        return st;
    }
    *len = b.len;
    *data = sl_buf_steal(&b);
    return *data ? SL_OK : SL_ENOMEM;
}

/* -------------------------------------------------------------- transfer */

typedef struct transfer {
    sl_buf body;
    size_t limit;
    int over;
    int oom;
    char etag[512], modified[128]; /* of the last response */
} transfer;

static size_t on_body(char *p, size_t size, size_t n, void *user)
{
    transfer *t = user;
    size_t bytes = size * n;
    if (t->body.len + bytes > t->limit) {
        t->over = 1;
        return 0; /* aborts the transfer */
    }
    if (sl_buf_append(&t->body, p, bytes) != SL_OK) {
        t->oom = 1;
        return 0;
    }
    return bytes;
}

/* Copies header `name`'s value from line p[0, n) into out, trimmed. */
static int header_value(const char *p, size_t n, const char *name, char *out, size_t cap)
{
    size_t nl = strlen(name);
    if (n <= nl || strncasecmp(p, name, nl) != 0 || p[nl] != ':')
        return 0;
    size_t s = nl + 1, e = n;
    while (s < e && (p[s] == ' ' || p[s] == '\t'))
        s++;
    while (e > s && (p[e - 1] == '\r' || p[e - 1] == '\n' || p[e - 1] == ' '))
        e--;
    if (e - s >= cap || memchr(p + s, '\n', e - s))
        return 1;
    memcpy(out, p + s, e - s);
    out[e - s] = '\0';
    return 1;
}

static size_t on_header(char *p, size_t size, size_t n, void *user)
{
    transfer *t = user;
    size_t bytes = size * n;
    /* A new response (after a redirect) starts over. */
    if (bytes >= 5 && strncmp(p, "HTTP/", 5) == 0)
        t->etag[0] = t->modified[0] = '\0';
    else if (!header_value(p, bytes, "ETag", t->etag, sizeof t->etag))
        header_value(p, bytes, "Last-Modified", t->modified, sizeof t->modified);
    return bytes;
}

sl_status sl_fetch(sl_fetcher *f, const char *url, char **data, size_t *len, int *from_cache,
                   sl_diag *diag)
{
    *data = NULL;
    *len = 0;
    if (from_cache)
        *from_cache = 0;
    if (!sl_is_url(url))
        return sl_diag_set(diag, SL_EINVAL, NULL, 0, 0, NULL,
                           "unsupported URL scheme (only http:// and https://)");
    sl_status st = SL_OK;
    transfer t;
    memset(&t, 0, sizeof t);
    t.limit = f->opt.max_size;
    cache_entry ce;
    cache_lookup(f, url, &ce);
    struct curl_slist *hdrs = NULL;
    char line[700];
    CURL *h = curl.easy_init();
    if (!h)
        return sl_diag_set(diag, SL_ENOMEM, NULL, 0, 0, NULL, "cannot create a transfer");
    if (ce.valid && ce.etag[0]) {
        snprintf(line, sizeof line, "If-None-Match: %s", ce.etag);
        hdrs = curl.slist_append(hdrs, line);
    }
    if (ce.valid && ce.modified[0]) {
        snprintf(line, sizeof line, "If-Modified-Since: %s", ce.modified);
        struct curl_slist *n2 = curl.slist_append(hdrs, line);
        hdrs = n2 ? n2 : hdrs;
    }
    curl.easy_setopt(h, CURLOPT_URL, url);
    curl.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl.easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl.easy_setopt(h, CURLOPT_FOLLOWLOCATION, f->opt.max_redirects > 0 ? 1L : 0L);
    curl.easy_setopt(h, CURLOPT_MAXREDIRS, f->opt.max_redirects > 0 ? f->opt.max_redirects : 0L);
    curl.easy_setopt(h, CURLOPT_TIMEOUT_MS, f->opt.timeout_ms);
    curl.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, f->opt.connect_timeout_ms);
    curl.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl.easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->opt.max_size);
    curl.easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl.easy_setopt(h, CURLOPT_USERAGENT, "syndlint/" SL_VERSION);
    curl.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl.easy_setopt(h, CURLOPT_WRITEDATA, &t);
    curl.easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl.easy_setopt(h, CURLOPT_HEADERDATA, &t);
    if (hdrs)
        curl.easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    CURLcode rc = curl.easy_perform(h);
    long status = 0;
    curl.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (t.oom) {
        st = sl_diag_set(diag, SL_ENOMEM, NULL, 0, 0, NULL, "out of memory fetching");
    } else if (t.over || rc == CURLE_FILESIZE_EXCEEDED) {
        st = sl_diag_set(diag, SL_ELIMIT, NULL, 0, 0, NULL,
                         "response body over the size limit of %zu bytes", f->opt.max_size);
    } else if (rc == CURLE_OPERATION_TIMEDOUT) {
        st = sl_diag_set(diag, SL_EIO, NULL, 0, 0, NULL, "timed out after %ld ms: %s",
                         f->opt.timeout_ms, curl.easy_strerror(rc));
    } else if (rc == CURLE_TOO_MANY_REDIRECTS) {
        st = sl_diag_set(diag, SL_EIO, NULL, 0, 0, NULL, "too many redirects (more than %ld)",
                         f->opt.max_redirects);
    } else if (rc != CURLE_OK) {
        st = sl_diag_set(diag, SL_EIO, NULL, 0, 0, NULL, "%s", curl.easy_strerror(rc));
    } else if (status == 304 && ce.valid) {
        st = cache_read(&ce, data, len, f->opt.max_size);
        if (st == SL_OK && from_cache)
            *from_cache = 1;
        else if (st != SL_OK)
            st = sl_diag_set(diag, st == SL_ELIMIT ? SL_ELIMIT : SL_EIO, NULL, 0, 0, NULL,
                             "HTTP 304 but the cached copy cannot be read");
    } else if (status != 200) {
        st = sl_diag_set(diag, SL_EIO, NULL, 0, 0, NULL, "HTTP %ld", status);
    } else {
        cache_store(&ce, url, t.etag, t.modified, t.body.data ? t.body.data : "", t.body.len);
        *len = t.body.len;
        *data = sl_buf_steal(&t.body);
        if (!*data)
            st = sl_diag_set(diag, SL_ENOMEM, NULL, 0, 0, NULL, "out of memory fetching");
    }
    sl_buf_free(&t.body);
    curl.slist_free_all(hdrs);
    curl.easy_cleanup(h);
    return st;
}

sl_status sl_scan_url(sl_scanner *sc, sl_fetcher *f, const char *url, sl_file_result **out)
{
    char *data = NULL;
    size_t len = 0;
    sl_diag diag = {{0}};
    *out = NULL;
    sl_status st = sl_fetch(f, url, &data, &len, NULL, &diag);
    if (st == SL_ENOMEM)
        return st;
    if (st != SL_OK)
        return sl_file_result_error(url, diag.message[0] ? diag.message : "cannot be fetched", out);
    st = sl_scan_buffer(sc, url, data, len, out);
    free(data);
    return st;
}
