/*
 * The report model shared by every writer. sl_report_add copies each file
 * result into this model (strings repaired to valid UTF-8 on the way in, so
 * no writer has to care), and sl_report_write hands the model to the writer
 * of the report's format. Each format lives in its own file; this header is
 * the only thing they share.
 */
#ifndef SL_REPORT_MODEL_H
#define SL_REPORT_MODEL_H

#include <stdio.h>
#include <time.h>

#include <jansson.h>

#include "report/spool.h"
#include "syndlint/syndlint.h"
#include "util/strv.h"

typedef enum rm_format {
    RM_JSON,
    RM_JSONL,
    RM_JUNIT,
    RM_SARIF,
    RM_HTML,
    RM_CSV,
    RM_MARKDOWN
} rm_format;

/* A document as a writer reads it back from the spool (rm_docs_next).
 * Every string is valid UTF-8 and lives in the iterator, until its next
 * document. */
typedef struct rm_finding {
    const char *rule, *category, *message, *scope, *match, *fingerprint;
    /* Source text around the match, on the lines it starts and ends on;
     * NULL when the source could not be read again (HTML reports only). */
    const char *before, *after;
    sl_severity severity;
    unsigned line, column;
    int baseline;
    int suppressed;                 /* SL_SUPPRESSED_INLINE or SL_SUPPRESSED_IGNORE */
    const char *suppression_reason; /* NULL unless suppressed */
} rm_finding;

typedef struct rm_doc {
    const char *id;
    const char *title; /* NULL when none */
    const char *error; /* NULL unless verdict is SL_ERROR */
    sl_verdict verdict;
    rm_finding *findings;
    size_t nfindings;
} rm_doc;

/* A file of the report; its documents are in the spool. */
typedef struct rm_file {
    char *path; /* owned, valid UTF-8 */
    /* The file's error, or the first document's when the file has none, so
     * a view that shows files first never loses the reason. Owned. */
    char *error;
    sl_verdict verdict;
    /* At least one document: an input that could not be read is one ERROR
     * document whose id is the path. */
    size_t ndocs, nfailed, nerrors, nfindings;
    int single;   /* one document, whose id is the path */
    uint64_t off; /* where its documents start in the spool */
} rm_file;

/* Reads a file's documents back, in order:
 *
 *     rm_doc_iter it;
 *     rm_docs_begin(&it, rep, file);
 *     for (const rm_doc *d; (d = rm_docs_next(&it));) ...
 *     if (it.failed) ...   (the spool could not be read, or no memory)
 *     rm_docs_end(&it);
 */
typedef struct rm_doc_iter {
    const rm_spool *sp;
    uint64_t pos;
    size_t left; /* documents still to read */
    char *rec;   /* owned: the current record */
    size_t rcap;
    char *win; /* owned: read-ahead of the spool file */
    uint64_t win_off;
    size_t win_len;
    rm_finding *f; /* owned: the current document's findings */
    size_t fcap;
    rm_doc doc;
    int failed;
} rm_doc_iter;

void rm_docs_begin(rm_doc_iter *it, const sl_report *rep, const rm_file *file);
const rm_doc *rm_docs_next(rm_doc_iter *it);
void rm_docs_end(rm_doc_iter *it);

typedef struct rm_rule {
    char *id, *category, *check, *message, *description;
    sl_severity severity;
} rm_rule;

/* A finding of the report compared against (--compare). */
typedef struct rm_old {
    char *path, *doc_id, *rule, *category, *message, *match, *fingerprint;
    sl_severity severity;
    unsigned line, column;
} rm_old;

/* An entry of the ignore file past its expiry date (sl_report_set_ignore):
 * it suppresses nothing any more and wants a new decision. */
typedef struct rm_expired {
    char *file;    /* the ignore file's path */
    unsigned line; /* where the entry starts in it */
    /* "FILE:LINE: expired ignore entry (expired DATE; fingerprint F): it
     * no longer suppresses", or "...; path GLOB, rule R)..." */
    char *message;
} rm_expired;

typedef struct rm_counts {
    size_t files, docs, passed, failed, errors, findings, baseline, suppressed;
} rm_counts;

struct sl_report {
    rm_format format;
    rm_file *files;
    size_t nfiles, cap;
    rm_spool spool; /* every file's documents, in order */
    rm_enc enc;     /* scratch for encoding one document */
    /* sl_report_add_doc has begun files[nfiles]; sl_report_end_file ends it. */
    int open;
    struct ctx_reader *ctx; /* owned: its source, for the HTML report's context */
    int ctx_tried;
    rm_counts n;
    rm_rule *rules; /* NULL until sl_report_set_ruleset */
    size_t nrules;
    int has_compare;
    rm_old *old;
    size_t nold;
    time_t created; /* when the run started: JUnit timestamps */
    rm_expired *expired;
    size_t nexpired;
    /* Set by sl_report_write when comparing: the fingerprints of this
     * report's findings and of the compared one's, sorted, so that "new"
     * and "fixed" are binary searches. Strings owned. */
    sl_strv fps, old_fps;
    sl_strv judged;  /* ids of this run's documents that were judged (not ERROR) */
    sl_strv errored; /* paths of this run's files that are ERROR */
    size_t nnew, nfixed;
};

/* A JSON string from UTF-8 text; NULL gives JSON null. */
json_t *rm_jstr(const char *s);
/* json_object_set_new that records a failure in *ok instead of leaking. */
void rm_set(json_t *obj, const char *key, json_t *val, int *ok);
/* The finding as the JSON contract spells it (plus "baseline": true when
 * `with_baseline` and the finding is baselined). NULL when out of memory. */
json_t *rm_finding_json(const rm_finding *f, int with_baseline);
/* Copies a string, replacing invalid UTF-8 with U+FFFD; when `xml_safe`,
 * control characters XML 1.0 cannot carry are replaced too. NULL for NULL
 * or when out of memory (then *ok is cleared). Caller frees. */
char *rm_utf8dup(const char *s, int xml_safe, int *ok);
/* Nonzero when `a` and `b` read the same once repaired as rm_utf8dup
 * repairs them (xml_safe off): what the reports show of them. */
int rm_utf8_same(const char *a, const char *b);
/* Number of characters in UTF-8 text. */
size_t rm_utf8_chars(const char *s, size_t len);

/* The report's summary counts as the JSON report spells them, plus
 * "baseline" when `with_baseline`. NULL when out of memory. */
json_t *rm_summary_json(const sl_report *rep, int with_baseline);

/* Trend: whether a finding of this report is new since the compared one,
 * and whether a finding of the compared report is fixed (no longer here).
 * Valid in writers (sl_report_write prepares them). */
int rm_is_new(const sl_report *rep, const char *fingerprint);
int rm_is_fixed(const sl_report *rep, const rm_old *o);
void rm_trend_counts(const sl_report *rep, size_t *nnew, size_t *nfixed);

/* Dumps `v` as JSON_INDENT(2) would inside a document, each line after the
 * first indented by `indent` more spaces: how the streaming writers put
 * jansson's pieces of one large document together. 0 on a write error. */
int rm_dump_indented(const json_t *v, FILE *out, int indent);
/* Dumps `v` as the element that follows `n` others of an array whose
 * elements stand 8 spaces in (the documents of a file, SARIF's results).
 * 0 on a write error. */
int rm_dump_element(const json_t *v, FILE *out, size_t n);

/* Writers: each renders the whole model to `out`. A write error is found
 * by the caller through ferror/fflush; these return SL_ENOMEM or SL_EIO
 * only for failures of their own. */
sl_status rm_write_json(const sl_report *rep, FILE *out);
sl_status rm_write_jsonl(const sl_report *rep, FILE *out);
sl_status rm_write_junit(const sl_report *rep, FILE *out);
sl_status rm_write_sarif(const sl_report *rep, FILE *out);
sl_status rm_write_html(const sl_report *rep, FILE *out);
sl_status rm_write_csv(const sl_report *rep, FILE *out);
sl_status rm_write_markdown(const sl_report *rep, FILE *out);

/* One JSON Lines object per document of `file` (shared by the jsonl report
 * and the streaming sl_file_result_write_jsonl). */
sl_status rm_jsonl_file(const sl_report *rep, const rm_file *file, FILE *out);
/* Adds a file result to `rep`: the file to rep->files, its documents
 * encoded to the spool. With `context`, reads the source again to keep the
 * text around each finding. */
sl_status rm_file_add(sl_report *rep, const sl_file_result *res, int context);
/* Drops a file begun by sl_report_add_doc and never ended. */
void rm_file_abandon(sl_report *rep);
void rm_file_clear(rm_file *f);

#endif
