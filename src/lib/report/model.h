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

#include "syndlint/syndlint.h"

typedef enum rm_format {
    RM_JSON,
    RM_JSONL,
    RM_JUNIT,
    RM_SARIF,
    RM_HTML,
    RM_CSV,
    RM_MARKDOWN
} rm_format;

/* Every string below is owned by the model and valid UTF-8. */
typedef struct rm_finding {
    char *rule, *category, *message, *scope, *match, *fingerprint;
    /* Source text around the match, on the lines it starts and ends on;
     * NULL when the source could not be read again (HTML reports only). */
    char *before, *after;
    sl_severity severity;
    unsigned line, column;
    int baseline;
    int suppressed;           /* SL_SUPPRESSED_INLINE or SL_SUPPRESSED_IGNORE */
    char *suppression_reason; /* NULL unless suppressed */
} rm_finding;

typedef struct rm_doc {
    char *id;
    char *title; /* NULL when none */
    char *error; /* NULL unless verdict is SL_ERROR */
    sl_verdict verdict;
    rm_finding *findings;
    size_t nfindings;
} rm_doc;

typedef struct rm_file {
    char *path;
    /* The file's error, or the first document's when the file has none, so
     * a view that shows files first never loses the reason. */
    char *error;
    sl_verdict verdict;
    /* At least one: an input that could not be read is one ERROR document
     * whose id is the path. */
    rm_doc *docs;
    size_t ndocs;
} rm_file;

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
    rm_counts n;
    rm_rule *rules; /* NULL until sl_report_set_ruleset */
    size_t nrules;
    int has_compare;
    rm_old *old;
    size_t nold;
    time_t created; /* when the run started: JUnit timestamps */
    rm_expired *expired;
    size_t nexpired;
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
/* Number of characters in UTF-8 text. */
size_t rm_utf8_chars(const char *s, size_t len);

/* Trend: whether a finding of this report is new since the compared one,
 * and whether a finding of the compared report is fixed (no longer here). */
int rm_is_new(const sl_report *rep, const char *fingerprint);
int rm_is_fixed(const sl_report *rep, const rm_old *o);
void rm_trend_counts(const sl_report *rep, size_t *nnew, size_t *nfixed);

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
sl_status rm_jsonl_file(const rm_file *file, FILE *out);
/* Copies a file result into `dst` (zeroed first). With `context`, reads the
 * source again to keep the text around each finding. */
sl_status rm_file_copy(rm_file *dst, const sl_file_result *res, int context);
void rm_file_clear(rm_file *f);

#endif
