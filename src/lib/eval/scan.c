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
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "eval/docids.h"
#include "eval/scanner.h"
#include "eval/suppress.h"
#include "input/input.h"
#include "util/buf.h"

#define SL_DEFAULT_MAX_FILE_SIZE ((size_t)32 << 20)
/* Backtracking budget per match: enough for any sane rule on a large
 * article, small enough that a catastrophic pattern ends in well under a
 * second. */
#define SL_MATCH_LIMIT 5000000u
#define SL_DEPTH_LIMIT 100000u
#define SL_DEFAULT_MAX_DOCUMENTS ((size_t)100000)
/* Documents a file keeps before it hands them to the document callback. */
#define SL_STREAM_AFTER 16
#define SL_DEFAULT_MAX_DEPTH 1000u
#define SL_DEFAULT_MAX_DOC_SIZE ((size_t)64 << 20)
/* The JIT stack grows from 32 KiB up to this; PCRE2's own default, with no
 * stack assigned, is 32 KiB. */
#define SL_DEFAULT_JIT_STACK ((size_t)1 << 20)
#define SL_JIT_STACK_START ((size_t)32 << 10)

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int sl_scanner_timed_out(const sl_scanner *sc)
{
    return sc->deadline > 0 && now_s() >= sc->deadline;
}

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
    if (!sc->opt.max_documents)
        sc->opt.max_documents = SL_DEFAULT_MAX_DOCUMENTS;
    if (!sc->opt.max_depth)
        sc->opt.max_depth = SL_DEFAULT_MAX_DEPTH;
    if (!sc->opt.regex_match_limit)
        sc->opt.regex_match_limit = SL_MATCH_LIMIT;
    if (sc->opt.regex_match_limit > UINT32_MAX)
        sc->opt.regex_match_limit = UINT32_MAX;
    if (!sc->opt.max_doc_size)
        sc->opt.max_doc_size = SL_DEFAULT_MAX_DOC_SIZE;
    if (!sc->opt.jit_stack_size)
        sc->opt.jit_stack_size = SL_DEFAULT_JIT_STACK;
    size_t jit_max = sc->opt.jit_stack_size;
    size_t jit_start = jit_max < SL_JIT_STACK_START ? jit_max : SL_JIT_STACK_START;
    sc->md = pcre2_match_data_create(16, NULL);
    sc->mctx = pcre2_match_context_create(NULL);
    /* Without a stack of its own, a JIT match would use PCRE2's 32 KiB
     * default whatever the option says: where there is JIT, failing to
     * make one is failing. */
    uint32_t has_jit = 0;
    if (pcre2_config(PCRE2_CONFIG_JIT, &has_jit) < 0)
        has_jit = 0;
    sc->jit = has_jit ? pcre2_jit_stack_create(jit_start, jit_max, NULL) : NULL;
    if (!sc->md || !sc->mctx || (has_jit && !sc->jit)) {
        sl_scanner_free(sc);
        return SL_ENOMEM;
    }
    pcre2_set_match_limit(sc->mctx, (uint32_t)sc->opt.regex_match_limit);
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

void sl_scanner_set_doc_cb(sl_scanner *sc, sl_doc_cb cb, void *user)
{
    if (sc) {
        sc->doc_cb = cb;
        sc->doc_user = user;
    }
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

/* HTML elements that never nest (void) or that the parser closes by
 * itself: counting them would call a page of unclosed <p>s deep. Looked
 * up by length first: this runs for every start tag of every page. */
static int html_flat(const char *name, size_t n)
{
    static const char *const by_len[][12] = {
        [1] = {"p"},
        [2] = {"br", "hr", "li", "dt", "dd", "tr", "td", "th", "rb", "rt", "rp"},
        [3] = {"col", "img", "wbr"},
        [4] = {"area", "base", "link", "meta"},
        [5] = {"embed", "input", "param", "track", "tbody", "thead", "tfoot", "frame"},
        [6] = {"source", "option", "keygen"},
        [8] = {"optgroup", "colgroup"},
    };
    if (n == 0 || n >= sizeof by_len / sizeof *by_len)
        return 0;
    /* Lowered once, then compared as bytes: strncasecmp for each entry
     * was most of this pass's time. */
    char low[sizeof by_len / sizeof *by_len];
    for (size_t i = 0; i < n; i++)
        low[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] - 'A' + 'a' : name[i]);
    for (size_t i = 0; i < 12 && by_len[n][i]; i++)
        if (by_len[n][i][0] == low[0] && memcmp(by_len[n][i], low, n) == 0)
            return 1;
    return 0;
}

/* Skips from `i` past the first occurrence of `end`; returns len when
 * there is none. */
static size_t skip_past(const char *d, size_t len, size_t i, const char *end)
{
    size_t n = strlen(end);
    for (; i + n <= len; i++)
        if (memcmp(d + i, end, n) == 0)
            return i + n;
    return len;
}

/* The deepest nesting of elements (markup) or arrays and objects (JSON),
 * counted on the raw bytes before any parser sees them, so that a
 * 10,000-deep file is refused with a reason instead of reaching a
 * recursive loader. Stops counting past `limit`. For HTML the count is a
 * lower bound (elements the parser closes by itself are not counted). A
 * mapped file's pages are released behind the count (f may be NULL). */
static unsigned nesting_depth(sl_input_type type, const char *d, size_t len, unsigned limit,
                              const sl_input_file *f)
{
    size_t done = 0, step = (size_t)1 << 20;
    unsigned depth = 0, max = 0;
    if (type == SL_INPUT_JSONFEED || type == SL_INPUT_NINJS || type == SL_INPUT_JSONL) {
        int in_str = 0;
        for (size_t i = 0; i < len && max <= limit; i++) {
            if (i - done >= step) {
                sl_input_file_release(f, done, i);
                done = i;
            }
            char c = d[i];
            if (in_str) {
                if (c == '\\')
                    i++;
                else if (c == '"')
                    in_str = 0;
            } else if (c == '"') {
                in_str = 1;
            } else if (c == '[' || c == '{') {
                if (++depth > max)
                    max = depth;
            } else if ((c == ']' || c == '}') && depth > 0) {
                depth--;
            }
        }
        return max;
    }
    int html = type == SL_INPUT_HTML;
    if (!html && !(type >= SL_INPUT_RSS && type <= SL_INPUT_NEWSML))
        return 0;
    for (size_t i = 0; i < len && max <= limit; i++) {
        const char *lt = memchr(d + i, '<', len - i);
        if (!lt)
            break;
        i = (size_t)(lt - d);
        if (i - done >= step) {
            sl_input_file_release(f, done, i);
            done = i;
        }
        if (i + 1 >= len)
            continue;
        char c = d[i + 1];
        if (c == '!') {
            if (len - i >= 4 && memcmp(d + i, "<!--", 4) == 0)
                i = skip_past(d, len, i + 4, "-->") - 1;
            else if (len - i >= 9 && memcmp(d + i, "<![CDATA[", 9) == 0)
                i = skip_past(d, len, i + 9, "]]>") - 1;
            continue;
        }
        if (c == '?') {
            i = skip_past(d, len, i + 2, "?>") - 1;
            continue;
        }
        if (c == '/') {
            if (depth > 0)
                depth--;
            continue;
        }
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'))
            continue;
        size_t n0 = i + 1, n1 = n0;
        while (n1 < len && d[n1] != '>' && d[n1] != '/' && d[n1] != ' ' && d[n1] != '\t' &&
               d[n1] != '\n' && d[n1] != '\r')
            n1++;
        size_t j = n1;
        char q = 0;
        for (; j < len; j++) {
            if (q) {
                if (d[j] == q)
                    q = 0;
            } else if (d[j] == '"' || d[j] == '\'') {
                q = d[j];
            } else if (d[j] == '>') {
                break;
            }
        }
        int self_closing = j < len && j > n0 && d[j - 1] == '/';
        if (!self_closing && !(html && html_flat(d + n0, n1 - n0))) {
            if (++depth > max)
                max = depth;
            if (html && ((n1 - n0 == 6 && strncasecmp(d + n0, "script", 6) == 0) ||
                         (n1 - n0 == 5 && strncasecmp(d + n0, "style", 5) == 0))) {
                /* Raw text: its '<' are not tags. */
                size_t k = j;
                for (;;) {
                    const char *p = k < len ? memchr(d + k, '<', len - k) : NULL;
                    if (!p) {
                        k = len;
                        break;
                    }
                    k = (size_t)(p - d);
                    if (k + 1 < len && d[k + 1] == '/')
                        break;
                    k++;
                }
                j = k > 0 ? k - 1 : k;
            }
        }
        i = j < len ? j : len;
    }
    return max;
}

typedef struct scan_sink {
    sl_scanner *sc;
    const sl_profile *p;
    sl_file_result *res;
    size_t cap;      /* res->docs slots */
    char limit[160]; /* why loading stopped early: a limit; "" otherwise */
    int stream;      /* documents go to sc->doc_cb as they are judged */
    size_t ndocs;    /* documents judged, handed over or not */
    int timed_out;   /* a document was stopped by --timeout */
    int handing;     /* past SL_STREAM_AFTER: each document goes at once */
    char timeout_msg[160];
    sl_docids ids; /* the file's document ids so far */
    int feed;      /* the file is a feed: its items' HTML has its own depth */
} scan_sink;

/* Bytes of a document's text: title, body, chrome, code and metadata.
 * Not `raw` and `page`: they are the source's own markup, which
 * --max-file-size bounds. */
static size_t doc_size(const sl_document *doc)
{
    size_t n = doc->title.len + doc->body.len + doc->chrome.len + doc->code.len;
    for (size_t i = 0; i < doc->nmeta; i++)
        n += doc->meta[i].value.len;
    return n;
}

/* The result of a document over a limit, never evaluated: ERROR with the
 * reason. A document over --max-doc-size says its size and the limit; a
 * feed item whose HTML nests deeper than --max-depth is ERROR as the same
 * HTML in a file of its own is (the feed's own nesting is counted before
 * it is read, but an item's HTML is escaped text or CDATA there, and only
 * its markup shows its depth). */
static sl_status doc_over_limit(const sl_document *doc, const char *reason, sl_doc_result *dr)
{
    dr->id = sl_strdup(doc->id ? doc->id : "");
    dr->error = sl_strdup(reason);
    dr->verdict = SL_ERROR;
    return dr->id && dr->error ? SL_OK : SL_ENOMEM;
}

/* Judges one document as soon as the loader has built it. */
static sl_status eval_one(void *user, const sl_source *src, sl_document *doc)
{
    scan_sink *k = user;
    sl_file_result *res = k->res;
    if (k->ndocs >= k->sc->opt.max_documents) {
        snprintf(k->limit, sizeof k->limit,
                 "more than %zu documents (--max-documents); the first %zu were scanned",
                 k->sc->opt.max_documents, k->ndocs);
        return SL_ELIMIT;
    }
    if (sl_scanner_timed_out(k->sc)) {
        snprintf(k->limit, sizeof k->limit,
                 "timed out after %us (--timeout); %zu documents scanned", k->sc->opt.timeout_s,
                 k->ndocs);
        return SL_ELIMIT;
    }
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
    sl_status st = sl_docids_unique(&k->ids, &doc->id);
    if (st != SL_OK)
        return st;
    size_t size = doc_size(doc);
    const sl_field *raw = k->feed ? sl_document_raw(doc) : NULL;
    char reason[200];
    if (size > k->sc->opt.max_doc_size) {
        snprintf(reason, sizeof reason,
                 "document is %zu bytes, over the limit of %zu (--max-doc-size)", size,
                 k->sc->opt.max_doc_size);
        st = doc_over_limit(doc, reason, dr);
    } else if (raw && raw->len &&
               nesting_depth(SL_INPUT_HTML, raw->text, raw->len, k->sc->opt.max_depth, NULL) >
                   k->sc->opt.max_depth) {
        snprintf(reason, sizeof reason, "item HTML nested more than %u levels deep (--max-depth)",
                 k->sc->opt.max_depth);
        st = doc_over_limit(doc, reason, dr);
    } else {
        st = sl_eval_document(k->sc, k->p, src, doc, -1, dr, NULL);
    }
    res->ndocs++;
    k->ndocs++;
    if (st != SL_OK)
        return st;
    if (dr->verdict > res->verdict)
        res->verdict = dr->verdict;
    if (dr->error && strstr(dr->error, "(--timeout)") && !k->timed_out) {
        k->timed_out = 1;
        snprintf(k->timeout_msg, sizeof k->timeout_msg, "%s", dr->error);
    }
    /* Handed over once the file has more than a few documents: the first
     * ones together, then each as it comes. A file of one document (most
     * of a corpus of articles) keeps the plain path and costs nothing. */
    if (k->stream && (k->handing || res->ndocs > SL_STREAM_AFTER)) {
        k->handing = 1;
        for (size_t i = 0; i < res->ndocs; i++) {
            st = k->sc->doc_cb(k->sc->doc_user, res->path, &res->docs[i]);
            if (st != SL_OK) {
                /* The callee took those before (and this one, if it
                 * zeroed it); the rest are freed with the result. */
                memmove(res->docs, res->docs + i, (res->ndocs - i) * sizeof *res->docs);
                res->ndocs -= i;
                return st;
            }
        }
        res->ndocs = 0;
    }
    return SL_OK;
}

/* sl_scan_buffer, and sl_scan_file with `f` (NULL otherwise): the bytes
 * of a file, whose pages the passes release behind them when it is mapped. */
static sl_status scan_bytes(sl_scanner *sc, const char *path, const char *data, size_t len,
                            const sl_input_file *f, sl_file_result **out)
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
    /* Detected once: the depth count and the loader both need the type. */
    sl_input_type type = sl_input_detect(path, data, len);
    char why[400];
    if (sl_input_not_a_feed(path, data, len, type, why, sizeof why))
        return sl_file_result_error(path, why, out);
    unsigned depth = nesting_depth(type, data, len, sc->opt.max_depth, f);
    if (depth > sc->opt.max_depth) {
        char reason[160];
        snprintf(reason, sizeof reason, "nested more than %u levels deep (--max-depth)",
                 sc->opt.max_depth);
        return sl_file_result_error(path, reason, out);
    }
    sc->deadline = sc->opt.timeout_s ? now_s() + sc->opt.timeout_s : 0;

    res = calloc(1, sizeof *res);
    if (!res || !(res->path = sl_strdup(path))) {
        st = SL_ENOMEM;
        goto cleanup;
    }
    res->verdict = SL_PASS;
    /* Documents are judged as the loader builds them: a feed's items are
     * never all in memory, only their results. */
    scan_sink sink;
    memset(&sink, 0, sizeof sink);
    sink.sc = sc;
    sink.p = sl_ruleset_profile_for(sc->rs, path);
    sink.res = res;
    sink.feed = sl_input_is_feed(type);
    /* Handed over one by one only when no inline directive can change a
     * document after it is judged. The marker test is one pass over the
     * file that releases its pages behind it. */
    int directives = !sc->opt.no_inline_suppressions &&
                     (f ? sl_input_file_mentions(f, "syndlint-") : sl_suppress_marked(data, len));
    sink.stream = sc->doc_cb != NULL && !directives;
    char note[600];
    st = f ? sl_input_load_file(path, f, type, &src, eval_one, &sink, note, sizeof note, &diag)
           : sl_input_load_each(path, data, len, type, &src, eval_one, &sink, note, sizeof note,
                                &diag);
    sl_docids_clear(&sink.ids);
    sc->deadline = 0;
    if (st == SL_OK && !sink.limit[0] && sink.timed_out)
        snprintf(sink.limit, sizeof sink.limit, "%s", sink.timeout_msg);
    if (sink.limit[0] && (st == SL_OK || st == SL_ELIMIT)) {
        /* Stopped at a limit: the documents judged so far stand, the
         * file is ERROR with the reason, never a silent pass. */
        sl_source_clear(&src);
        free((char *)res->error);
        res->error = sl_strdup(sink.limit);
        res->verdict = SL_ERROR;
        if (!res->error) {
            st = SL_ENOMEM;
            goto cleanup;
        }
        /* An ERROR document as a feed that broke off has one, so that
         * every count and report shows the file was not wholly judged. */
        if (res->ndocs == sink.cap) {
            sl_doc_result *d = realloc(res->docs, (sink.cap + 1) * sizeof *d);
            if (!d) {
                st = SL_ENOMEM;
                goto cleanup;
            }
            res->docs = d;
        }
        sl_doc_result *dr = &res->docs[res->ndocs];
        memset(dr, 0, sizeof *dr);
        size_t idlen = strlen(path) + sizeof "#limit";
        char *id = malloc(idlen);
        if (id)
            snprintf(id, idlen, "%s#limit", path);
        dr->id = id;
        dr->error = sl_strdup(sink.limit);
        dr->verdict = SL_ERROR;
        res->ndocs++;
        if (!dr->id || !dr->error) {
            st = SL_ENOMEM;
            goto cleanup;
        }
        *out = res;
        return SL_OK;
    }
    if (st == SL_EINPUT || st == SL_ELIMIT || st == SL_EIO) {
        sl_file_result_free(res);
        sl_source_clear(&src);
        return sl_file_result_error(path, diag.message[0] ? diag.message : "cannot be read", out);
    }
    if (st != SL_OK)
        goto cleanup;
    if (sink.ndocs == 0) {
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
    if (directives) {
        st = sl_suppress_inline(data, len, res, &sc->opt);
        if (st != SL_OK)
            goto cleanup;
    }
    *out = res;
    res = NULL;
cleanup:
    sl_file_result_free(res);
    sl_source_clear(&src);
    return st;
}

sl_status sl_scan_buffer(sl_scanner *sc, const char *path, const char *data, size_t len,
                         sl_file_result **out)
{
    return scan_bytes(sc, path, data, len, NULL, out);
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
    const struct stat *sb = NULL;
    if (!is_stdin && fstat(fd, &stbuf) == 0) {
        if (S_ISDIR(stbuf.st_mode)) {
            close(fd);
            return sl_file_result_error(path, "is a directory", out);
        }
        if (!S_ISREG(stbuf.st_mode)) {
            close(fd);
            return sl_file_result_error(path, "not a regular file (device, FIFO or socket)", out);
        }
        /* Opened non-blocking only so that a FIFO could not hang the open.
         * O_NONBLOCK is left set: reading or mapping a regular file never
         * gives EAGAIN, and clearing it cost two calls per file. */
        sb = &stbuf;
    }
    /* A regular file is mapped: a feed's pages are released behind the
     * item being read, so memory follows its largest item (input.h). The
     * file just opened is at its start and its fstat is known: standard
     * input is neither. */
    sl_input_file file;
    int over = 0;
    st = is_stdin ? sl_input_file_read(fd, sc->opt.max_file_size, &file, &over)
                  : sl_input_file_read_opened(fd, sb, sc->opt.max_file_size, &file, &over);
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
        sl_input_file_close(&file);
        return sl_file_result_error(path, reason, out);
    }
    st = scan_bytes(sc, path, file.data, file.len, &file, out);
    sl_input_file_close(&file);
    return st;
}
