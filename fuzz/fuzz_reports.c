/* Fuzzes the report writers' escaping. The input is split at NUL bytes
 * into strings (arbitrary bytes otherwise: invalid UTF-8, control
 * characters, newlines, quotes, "]]>", "</script>", "-->"), which become
 * the paths, document ids, titles, errors, rule ids, messages and matches
 * of a few file results. Every format is rendered to memory and read back
 * with an independent parser; whatever the bytes, each must be valid and
 * must carry the strings as the model's UTF-8 repair left them:
 *
 *   json, jsonl  jansson parses them; paths, ids, rules, messages and
 *                matches come back equal to the repaired strings
 *   sarif        jansson parses it; one result per finding, each with its
 *                rule id, and an artifact URI that is percent-encoded
 *                (no raw space, control or non-ASCII byte) and decodes to
 *                the path
 *   junit        libxml2 reads it without a single error; one <testcase>
 *                per document
 *   csv          libcsv (strict) reads it back: every row has the 17
 *                columns, one row per finding or finding-less document,
 *                the path column equal to the repaired path
 *   html         the embedded JSON block ends at the one "</script" the
 *                writer put there, holds no "<" at all, parses as JSON
 *                with the paths intact; libxml2's HTML parser reads the
 *                page and finds the data block's text whole
 *   markdown     valid UTF-8 with no control character but newlines, and
 *                exactly as many lines as the same report with every
 *                string replaced by "x": input text never adds a line
 *
 * A violation aborts (this harness only; the library never does).
 *
 * Input layout: byte 0 and 1 give the shape (files, documents, findings,
 * verdicts, severities, flags), the rest is NUL-separated strings, used
 * round-robin so that a short input still fills every field.
 */
#include <csv.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval/scanner.h"
#include "report/model.h"
#include "syndlint/syndlint.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            fprintf(stderr, "fuzz_reports: check failed at line %d: %s\n", __LINE__, #c);          \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static void quiet_xml(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    xmlInitParser();
    xmlSetGenericErrorFunc(NULL, quiet_xml);
    return 0;
}

/* ------------------------------------------------------------ the input */

typedef struct strings {
    char **s;
    size_t n, next;
} strings;

static const char *take(strings *st)
{
    if (st->n == 0)
        return "";
    return st->s[st->next++ % st->n];
}

/* ------------------------------------------------------------ results */

enum { MAX_FILES = 3, MAX_DOCS = 3, MAX_FINDINGS = 3 };

static char *repaired(const char *s, int xml);

/* Each string of a result: its bytes from the input, or for the plain twin
 * of a report (markdown's line count) a token "sN", N the index of the
 * first input string that reads the same once repaired: a writer may
 * compare strings (a document whose id is its file's path is not listed
 * apart), so the twin keeps which strings are equal. */
static char *field(strings *st, int plain)
{
    size_t at = st->n ? st->next % st->n : 0;
    const char *s = take(st);
    if (!plain) {
        char *r = strdup(s);
        CHECK(r);
        return r;
    }
    size_t first = at;
    char *me = repaired(s, 0);
    for (size_t i = 0; i < at; i++) {
        char *other = repaired(st->s[i], 0);
        int eq = strcmp(me, other) == 0;
        free(other);
        if (eq) {
            first = i;
            break;
        }
    }
    free(me);
    char tok[32];
    snprintf(tok, sizeof tok, "s%zu", first);
    char *r = strdup(tok);
    CHECK(r);
    return r;
}

typedef struct shape {
    size_t nfiles;
    size_t ndocs[MAX_FILES];
    size_t nfind[MAX_FILES][MAX_DOCS];
    sl_verdict verdict[MAX_FILES][MAX_DOCS];
    int unreadable[MAX_FILES]; /* no documents: the file's error only */
    unsigned flags;
} shape;

static void decide_shape(shape *sh, const uint8_t *data, size_t size)
{
    uint8_t a = size > 0 ? data[0] : 0, b = size > 1 ? data[1] : 0;
    memset(sh, 0, sizeof *sh);
    sh->nfiles = 1 + a % MAX_FILES;
    sh->flags = b;
    uint32_t bits = (uint32_t)a * 2654435761u ^ (uint32_t)b * 40503u;
    for (size_t i = 0; i < sh->nfiles; i++) {
        sh->unreadable[i] = i == 1 && (a & 0x80);
        sh->ndocs[i] = sh->unreadable[i] ? 0 : 1 + (bits >> (i * 2)) % MAX_DOCS;
        for (size_t j = 0; j < sh->ndocs[i]; j++) {
            unsigned r = (bits >> ((i * 3 + j) % 24)) & 0xff;
            sh->nfind[i][j] = r % (MAX_FINDINGS + 1);
            sh->verdict[i][j] = sh->nfind[i][j] ? SL_FAIL : (r & 0x10) ? SL_ERROR : SL_PASS;
        }
    }
}

static void results_new(const shape *sh, strings *st, int plain, sl_file_result *out)
{
    st->next = 0;
    for (size_t i = 0; i < sh->nfiles; i++) {
        sl_file_result *r = &out[i];
        memset(r, 0, sizeof *r);
        r->path = field(st, plain);
        r->verdict = SL_PASS;
        if (sh->unreadable[i]) {
            r->error = field(st, plain);
            r->verdict = SL_ERROR;
            continue;
        }
        r->ndocs = sh->ndocs[i];
        r->docs = calloc(r->ndocs, sizeof *r->docs);
        CHECK(r->docs);
        for (size_t j = 0; j < r->ndocs; j++) {
            sl_doc_result *d = &r->docs[j];
            d->id = field(st, plain);
            d->title = (sh->flags & 1) ? NULL : field(st, plain);
            d->verdict = sh->verdict[i][j];
            if (d->verdict == SL_ERROR)
                d->error = field(st, plain);
            if (d->verdict > r->verdict)
                r->verdict = d->verdict;
            d->nfindings = sh->nfind[i][j];
            d->findings = d->nfindings ? calloc(d->nfindings, sizeof *d->findings) : NULL;
            CHECK(!d->nfindings || d->findings);
            for (size_t k = 0; k < d->nfindings; k++) {
                sl_finding *f = &d->findings[k];
                f->rule = field(st, plain);
                f->category = field(st, plain);
                f->message = field(st, plain);
                f->scope = field(st, plain);
                f->match = field(st, plain);
                f->fingerprint = field(st, plain);
                f->severity = (sl_severity)(1 + (k + j + sh->flags) % 3);
                f->line = 1 + (unsigned)(k * 7 + j);
                f->column = 1 + (unsigned)(sh->flags >> 2);
                f->baseline = (sh->flags >> 4) & 1 && k == 0;
                f->suppressed = (sh->flags >> 5) & 1 && k == 1 ? SL_SUPPRESSED_INLINE : 0;
                if (f->suppressed)
                    f->suppression_reason = field(st, plain);
            }
        }
    }
}

static void results_free(const shape *sh, sl_file_result *res)
{
    for (size_t i = 0; i < sh->nfiles; i++) {
        sl_file_result *r = &res[i];
        for (size_t j = 0; j < r->ndocs; j++)
            sl_doc_result_clear(&r->docs[j]);
        free(r->docs);
        free((char *)r->path);
        free((char *)r->error);
    }
}

/* ------------------------------------------------------------ helpers */

/* The string as the report model keeps it: invalid UTF-8 (and, for XML,
 * the control characters XML cannot carry) replaced by U+FFFD. */
static char *repaired(const char *s, int xml)
{
    int ok = 1;
    char *r = rm_utf8dup(s, xml, &ok);
    CHECK(ok && r);
    return r;
}

static int same(const char *raw, const char *got, int xml)
{
    char *want = repaired(raw, xml);
    int eq = got && strcmp(want, got) == 0;
    free(want);
    return eq;
}

static int valid_utf8(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t k = c < 0x80             ? 1
                   : (c & 0xE0) == 0xC0 ? 2
                   : (c & 0xF0) == 0xE0 ? 3
                   : (c & 0xF8) == 0xF0 ? 4
                                        : 0;
        if (k == 0 || i + k > n || (k == 2 && c < 0xC2) || (k == 4 && c > 0xF4))
            return 0;
        for (size_t j = 1; j < k; j++)
            if (((unsigned char)s[i + j] & 0xC0) != 0x80)
                return 0;
        i += k;
    }
    return 1;
}

typedef struct rendered {
    char *buf;
    size_t len;
} rendered;

static rendered render(const char *format, const shape *sh, const sl_file_result *res)
{
    sl_report *rep = NULL;
    CHECK(sl_report_new(format, &rep) == SL_OK);
    for (size_t i = 0; i < sh->nfiles; i++)
        CHECK(sl_report_add(rep, &res[i]) == SL_OK);
    rendered r = {NULL, 0};
    FILE *f = open_memstream(&r.buf, &r.len);
    CHECK(f);
    sl_diag diag;
    CHECK(sl_report_write(rep, f, &diag) == SL_OK);
    CHECK(fclose(f) == 0);
    sl_report_free(rep);
    /* Every format is text: valid UTF-8 with no NUL. */
    CHECK(strlen(r.buf) == r.len);
    CHECK(valid_utf8(r.buf, r.len));
    return r;
}

static size_t total_docs(const shape *sh)
{
    size_t n = 0;
    for (size_t i = 0; i < sh->nfiles; i++)
        n += sh->unreadable[i] ? 1 : sh->ndocs[i];
    return n;
}

static size_t total_findings(const shape *sh)
{
    size_t n = 0;
    for (size_t i = 0; i < sh->nfiles; i++)
        for (size_t j = 0; j < sh->ndocs[i]; j++)
            n += sh->nfind[i][j];
    return n;
}

/* ------------------------------------------------------------ JSON */

static void check_finding_json(const sl_finding *f, json_t *jf)
{
    CHECK(json_is_object(jf));
    CHECK(same(f->rule, json_string_value(json_object_get(jf, "rule")), 0));
    CHECK(same(f->message, json_string_value(json_object_get(jf, "message")), 0));
    CHECK(same(f->match, json_string_value(json_object_get(jf, "match")), 0));
    CHECK(same(f->scope, json_string_value(json_object_get(jf, "scope")), 0));
    CHECK(json_integer_value(json_object_get(jf, "line")) == (json_int_t)f->line);
}

/* One document's object; `with_error`: it carries its own "error" (JSON
 * Lines; the JSON report has the error on the file only). */
static void check_doc_json(const sl_file_result *r, size_t j, json_t *jd, int with_error)
{
    CHECK(json_is_object(jd));
    if (r->ndocs == 0) {
        CHECK(same(r->path, json_string_value(json_object_get(jd, "id")), 0));
        if (with_error)
            CHECK(same(r->error, json_string_value(json_object_get(jd, "error")), 0));
        return;
    }
    const sl_doc_result *d = &r->docs[j];
    CHECK(same(d->id, json_string_value(json_object_get(jd, "id")), 0));
    json_t *t = json_object_get(jd, "title");
    CHECK(d->title ? same(d->title, json_string_value(t), 0) : json_is_null(t));
    if (with_error) {
        json_t *e = json_object_get(jd, "error");
        CHECK(d->error ? same(d->error, json_string_value(e), 0) : json_is_null(e));
    }
    json_t *fs = json_object_get(jd, "findings");
    CHECK(json_is_array(fs) && json_array_size(fs) == d->nfindings);
    for (size_t k = 0; k < d->nfindings; k++)
        check_finding_json(&d->findings[k], json_array_get(fs, k));
}

static void check_json(const shape *sh, const sl_file_result *res, const rendered *out)
{
    json_error_t err;
    json_t *root = json_loadb(out->buf, out->len, 0, &err);
    CHECK(root);
    json_t *files = json_object_get(root, "files");
    CHECK(json_is_array(files) && json_array_size(files) == sh->nfiles);
    for (size_t i = 0; i < sh->nfiles; i++) {
        json_t *jf = json_array_get(files, i);
        CHECK(same(res[i].path, json_string_value(json_object_get(jf, "path")), 0));
        /* The file's error, else its first document's. */
        const char *why = res[i].error;
        for (size_t j = 0; !why && j < res[i].ndocs; j++)
            why = res[i].docs[j].error;
        json_t *e = json_object_get(jf, "error");
        CHECK(why ? same(why, json_string_value(e), 0) : json_is_null(e));
        json_t *docs = json_object_get(jf, "documents");
        size_t nd = res[i].ndocs ? res[i].ndocs : 1;
        CHECK(json_is_array(docs) && json_array_size(docs) == nd);
        for (size_t j = 0; j < nd; j++)
            check_doc_json(&res[i], j, json_array_get(docs, j), 0);
    }
    json_t *sum = json_object_get(root, "summary");
    CHECK(json_integer_value(json_object_get(sum, "documents")) == (json_int_t)total_docs(sh));
    CHECK(json_integer_value(json_object_get(sum, "findings")) == (json_int_t)total_findings(sh));
    json_decref(root);
}

static void check_jsonl(const shape *sh, const sl_file_result *res, const rendered *out)
{
    const char *p = out->buf, *end = out->buf + out->len;
    for (size_t i = 0; i < sh->nfiles; i++) {
        size_t nd = res[i].ndocs ? res[i].ndocs : 1;
        for (size_t j = 0; j < nd; j++) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            CHECK(nl);
            json_error_t err;
            json_t *o = json_loadb(p, (size_t)(nl - p), 0, &err);
            CHECK(o);
            CHECK(same(res[i].path, json_string_value(json_object_get(o, "path")), 0));
            check_doc_json(&res[i], j, o, 1);
            json_decref(o);
            p = nl + 1;
        }
    }
    CHECK(p == end);
}

/* ------------------------------------------------------------ SARIF */

static int uri_char(unsigned char c)
{
    return c > 0x20 && c < 0x7f && c != '"' && c != '<' && c != '>' && c != '\\' && c != '^' &&
           c != '`' && c != '{' && c != '|' && c != '}';
}

static void check_uri(const char *path, const char *uri)
{
    CHECK(uri);
    for (const char *p = uri; *p; p++)
        CHECK(uri_char((unsigned char)*p));
    if (path[0] == '/')
        return; /* relative to the working directory or file://: not compared */
    char *want = repaired(path, 0);
    const char *w = want;
    while (strncmp(w, "./", 2) == 0)
        w += 2;
    char *got = xmlURIUnescapeString(uri, 0, NULL);
    CHECK(got && strcmp(got, w) == 0);
    xmlFree(got);
    free(want);
}

static void check_sarif(const shape *sh, const sl_file_result *res, const rendered *out)
{
    json_error_t err;
    json_t *root = json_loadb(out->buf, out->len, 0, &err);
    CHECK(root);
    json_t *run = json_array_get(json_object_get(root, "runs"), 0);
    json_t *results = json_object_get(run, "results");
    CHECK(json_is_array(results) && json_array_size(results) == total_findings(sh));
    size_t n = 0;
    for (size_t i = 0; i < sh->nfiles; i++)
        for (size_t j = 0; j < res[i].ndocs; j++)
            for (size_t k = 0; k < res[i].docs[j].nfindings; k++, n++) {
                json_t *r = json_array_get(results, n);
                const sl_finding *f = &res[i].docs[j].findings[k];
                CHECK(same(f->rule, json_string_value(json_object_get(r, "ruleId")), 0));
                json_t *loc = json_array_get(json_object_get(r, "locations"), 0);
                json_t *art =
                    json_object_get(json_object_get(loc, "physicalLocation"), "artifactLocation");
                check_uri(res[i].path, json_string_value(json_object_get(art, "uri")));
            }
    json_decref(root);
}

/* ------------------------------------------------------------ JUnit */

static void count_errors(void *user, xmlErrorPtr e)
{
    (void)e;
    (*(int *)user)++;
}

static size_t count_elements(xmlNodePtr n, const char *name)
{
    size_t c = 0;
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST name) == 0)
            c++;
        c += count_elements(n->children, name);
    }
    return c;
}

static void check_junit(const shape *sh, const rendered *out)
{
    int errors = 0;
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    CHECK(ctxt);
    xmlSetStructuredErrorFunc(&errors, count_errors);
    xmlDocPtr doc =
        xmlCtxtReadMemory(ctxt, out->buf, (int)out->len, "junit.xml", "UTF-8", XML_PARSE_NONET);
    xmlSetStructuredErrorFunc(NULL, NULL);
    CHECK(doc && errors == 0 && ctxt->wellFormed && ctxt->errNo == 0);
    CHECK(count_elements(xmlDocGetRootElement(doc), "testcase") == total_docs(sh));
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
}

/* ------------------------------------------------------------ CSV */

typedef struct csv_state {
    size_t rows, fields, bad_rows;
    char *path; /* the current row's first field */
    const shape *sh;
    const sl_file_result *res;
    size_t file, doc, finding; /* where the next data row belongs */
} csv_state;

static void csv_field(void *s, size_t len, void *user)
{
    csv_state *c = user;
    if (c->fields == 0) {
        free(c->path);
        c->path = strndup(s ? s : "", len);
        CHECK(c->path);
    }
    c->fields++;
}

/* Moves (file, doc, finding) to the row after this one. */
static const sl_file_result *csv_next(csv_state *c)
{
    const sl_file_result *r = &c->res[c->file];
    size_t nd = r->ndocs ? r->ndocs : 1;
    size_t nf = r->ndocs ? r->docs[c->doc].nfindings : 0;
    if (++c->finding >= (nf ? nf : 1)) {
        c->finding = 0;
        if (++c->doc >= nd) {
            c->doc = 0;
            c->file++;
        }
    }
    return r;
}

static void csv_row(int term, void *user)
{
    (void)term;
    csv_state *c = user;
    if (c->fields != 17)
        c->bad_rows++;
    if (c->rows > 0) {
        CHECK(c->file < c->sh->nfiles);
        const sl_file_result *r = csv_next(c);
        CHECK(same(r->path, c->path, 0));
    }
    c->rows++;
    c->fields = 0;
}

static void check_csv(const shape *sh, const sl_file_result *res, const rendered *out)
{
    struct csv_parser p;
    CHECK(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) == 0);
    csv_state c = {0, 0, 0, NULL, sh, res, 0, 0, 0};
    CHECK(csv_parse(&p, out->buf, out->len, csv_field, csv_row, &c) == out->len);
    CHECK(csv_fini(&p, csv_field, csv_row, &c) == 0);
    csv_free(&p);
    free(c.path);
    size_t want = 1;
    for (size_t i = 0; i < sh->nfiles; i++) {
        if (sh->unreadable[i])
            want++;
        for (size_t j = 0; j < sh->ndocs[i]; j++)
            want += sh->nfind[i][j] ? sh->nfind[i][j] : 1;
    }
    CHECK(c.bad_rows == 0 && c.rows == want && c.file == sh->nfiles);
}

/* ------------------------------------------------------------ HTML */

static const char data_open[] = "<script type=\"application/json\" id=\"syndlint-data\">";

static xmlNodePtr find_data(xmlNodePtr n, size_t *nscripts)
{
    xmlNodePtr found = NULL;
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && xmlStrcasecmp(n->name, BAD_CAST "script") == 0) {
            (*nscripts)++;
            xmlChar *id = xmlGetProp(n, BAD_CAST "id");
            if (id && xmlStrcmp(id, BAD_CAST "syndlint-data") == 0)
                found = n;
            xmlFree(id);
        }
        xmlNodePtr f = find_data(n->children, nscripts);
        if (f)
            found = f;
    }
    return found;
}

static void check_html(const shape *sh, const sl_file_result *res, const rendered *out)
{
    const char *open = strstr(out->buf, data_open);
    CHECK(open);
    const char *body = open + sizeof data_open - 1;
    const char *close = strstr(body, "</script");
    CHECK(close && strncmp(close, "</script>\n<script>\n", 19) == 0);
    size_t n = (size_t)(close - body);
    /* No "<" at all: no "</script", "<!--" or "<script" can change how
     * the HTML parser reads the block. */
    CHECK(memchr(body, '<', n) == NULL);
    json_error_t err;
    json_t *root = json_loadb(body, n, 0, &err);
    CHECK(root);
    json_t *files = json_object_get(root, "files");
    CHECK(json_array_size(files) == sh->nfiles);
    for (size_t i = 0; i < sh->nfiles; i++)
        CHECK(same(res[i].path,
                   json_string_value(json_object_get(json_array_get(files, i), "path")), 0));
    json_decref(root);

    htmlDocPtr doc = htmlReadMemory(out->buf, (int)out->len, "report.html", "UTF-8",
                                    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    CHECK(doc);
    size_t nscripts = 0;
    xmlNodePtr data = find_data(xmlDocGetRootElement(doc), &nscripts);
    CHECK(data && nscripts == 2);
    xmlChar *text = xmlNodeGetContent(data);
    if (!text || xmlStrlen(text) != (int)n || memcmp(text, body, n) != 0) {
        fprintf(stderr, "--- data block\n%.*s\n--- as libxml2's HTML parser read it\n%s\n---\n",
                (int)n, body, text ? (const char *)text : "(none)");
        CHECK(!"html: the data block is not read back whole");
    }
    xmlFree(text);
    xmlFreeDoc(doc);
}

/* ------------------------------------------------------------ Markdown */

static size_t count_lines(const rendered *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->len; i++) {
        unsigned char c = (unsigned char)r->buf[i];
        CHECK(c >= 0x20 || c == '\n');
        n += c == '\n';
    }
    return n;
}

/* ------------------------------------------------------------ driver */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    shape sh;
    decide_shape(&sh, data, size);
    strings st = {NULL, 0, 0};
    size_t off = size > 2 ? 2 : size;
    /* Strings between NULs; the last one runs to the end. */
    char *copy = malloc(size - off + 1);
    CHECK(copy);
    memcpy(copy, data + off, size - off);
    copy[size - off] = '\0';
    st.s = calloc(size - off + 1, sizeof *st.s);
    CHECK(st.s);
    for (size_t i = 0; i <= size - off; i++)
        if (i == 0 || copy[i - 1] == '\0')
            st.s[st.n++] = copy + i;
    /* The HTML report reads a file's source again for context: keep the
     * fuzzer from naming devices and such (a read of /dev/stdin waits). */
    for (size_t i = 0; i < st.n; i++)
        if (strstr(st.s[i], "/dev") || strstr(st.s[i], "/proc") || strstr(st.s[i], "/sys") ||
            strstr(st.s[i], "/run")) {
            free(st.s);
            free(copy);
            return 0;
        }

    sl_file_result res[MAX_FILES], plain[MAX_FILES];
    results_new(&sh, &st, 0, res);
    results_new(&sh, &st, 1, plain);

    rendered r = render("json", &sh, res);
    check_json(&sh, res, &r);
    free(r.buf);
    r = render("jsonl", &sh, res);
    check_jsonl(&sh, res, &r);
    free(r.buf);
    r = render("sarif", &sh, res);
    check_sarif(&sh, res, &r);
    free(r.buf);
    r = render("junit", &sh, res);
    check_junit(&sh, &r);
    free(r.buf);
    r = render("csv", &sh, res);
    check_csv(&sh, res, &r);
    free(r.buf);
    r = render("html", &sh, res);
    check_html(&sh, res, &r);
    free(r.buf);
    r = render("markdown", &sh, res);
    rendered twin = render("markdown", &sh, plain);
    if (count_lines(&r) != count_lines(&twin)) {
        fprintf(stderr, "--- markdown\n%s--- with every string \"x\"\n%s---\n", r.buf, twin.buf);
        CHECK(!"markdown: input text changed the number of lines");
    }
    free(r.buf);
    free(twin.buf);

    results_free(&sh, res);
    results_free(&sh, plain);
    free(st.s);
    free(copy);
    return 0;
}
