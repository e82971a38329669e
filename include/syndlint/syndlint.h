/*
 * syndlint: a compliance scanner for syndicated news content.
 *
 * The public API. A program loads a ruleset once (sl_ruleset_load), creates one
 * scanner per thread (sl_scanner_new), scans files or buffers into results
 * (sl_scan_file, sl_scan_buffer), and hands the results to a report
 * (sl_report_new, sl_report_add, sl_report_write).
 *
 * Conventions: every fallible function returns an sl_status and writes its
 * result through an out-parameter; on failure a one-line message naming the
 * place (file:line:col, rule id) is left in the sl_diag passed in. The library
 * never exits or aborts. Every _free function accepts NULL.
 */
#ifndef SYNDLINT_SYNDLINT_H
#define SYNDLINT_SYNDLINT_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(SL_BUILDING_LIBRARY) && defined(__GNUC__)
#define SL_API __attribute__((visibility("default")))
#else
#define SL_API
#endif

#define SL_VERSION "0.1.0"

/* Status codes returned by fallible functions. */
typedef enum sl_status {
    SL_OK = 0,
    SL_ENOMEM,   /* out of memory */
    SL_EIO,      /* a file could not be read or written */
    SL_ERULE,    /* a rule pack or the project config is invalid */
    SL_EINPUT,   /* an input could not be scanned (malformed, binary, ...) */
    SL_ELIMIT,   /* an input is over a configured limit */
    SL_EINVAL,   /* the caller passed an invalid argument */
    SL_ENOTFOUND /* a named thing (rule id, file) does not exist */
} sl_status;

/* A diagnostic: the one-line message of the last failure, already naming
 * the place ("rules/x.yaml:12:5: rule 'a.b': unknown key 'forbidd'"). */
typedef struct sl_diag {
    char message[1024];
} sl_diag;

typedef enum sl_severity { SL_SEV_INFO = 1, SL_SEV_WARNING = 2, SL_SEV_ERROR = 3 } sl_severity;

typedef enum sl_verdict { SL_PASS = 0, SL_FAIL = 1, SL_ERROR = 2 } sl_verdict;

/* Static strings: "info", "warning", "error"; "PASS", "FAIL", "ERROR". */
SL_API const char *sl_severity_name(sl_severity sev);
SL_API const char *sl_verdict_name(sl_verdict v);
/* Parses "info" | "warning" | "error"; returns 0 on an unknown name. */
SL_API int sl_severity_parse(const char *name, sl_severity *out);
SL_API const char *sl_version(void);

/* ---------------------------------------------------------------- ruleset */

/* A compiled, immutable set of rules. Safe to share between threads once
 * loaded: nothing in it changes while scanners use it. */
typedef struct sl_ruleset sl_ruleset;

typedef struct sl_ruleset_options {
    /* The project config (syndlint.yaml), or NULL for none. Borrowed. */
    const char *config_path;
    /* Rule pack files or directories to load in addition to (or, when the
     * config names packs, besides) the config's packs. Borrowed. */
    const char *const *rule_paths;
    size_t nrule_paths;
    /* Where the default packs live, for pack names such as "default" and
     * "publishers/ndtv": "rules" in a checkout; NULL means the installed
     * data directory (PREFIX/share/syndlint/rules). Borrowed. */
    const char *data_dir;
    /* When nonzero, load only rule_paths and the config, not the default
     * packs (the default packs load when neither names any pack). */
    int no_default_packs;
    /* When nonzero, regexes are not JIT-compiled: the same answers, more
     * slowly. For memory checkers such as valgrind, which cannot follow
     * JIT-generated code. */
    int no_jit;
    /* Threads that compile the rules (JIT and analyses), 0 meaning one:
     * the same ruleset whatever the number. */
    unsigned jobs;
} sl_ruleset_options;

/* Loads, validates and compiles the rules. On success *out owns the
 * ruleset; free it with sl_ruleset_free. On SL_ERULE, diag names the file,
 * line, column and rule id of the first problem and *out is NULL. */
SL_API sl_status sl_ruleset_load(const sl_ruleset_options *opt, sl_ruleset **out, sl_diag *diag);
SL_API void sl_ruleset_free(sl_ruleset *rs);

/* Read-only description of one rule, owned by the ruleset. */
typedef struct sl_rule_info {
    const char *id;
    const char *category;
    const char *check; /* "forbid", "require" or "detect" */
    const char *message;
    const char *description;
    const char *file; /* pack file that defined it */
    unsigned line;    /* where the rule starts in that file */
    sl_severity severity;
    int enabled; /* zero when disabled by the config */
    size_t nfail_examples;
    size_t npass_examples;
    /* Nonzero when one of its patterns has no literal for the prefilter, so
     * its regex runs over every document in scope. */
    int slow;
} sl_rule_info;

/* Rules of the default profile, in load order. */
SL_API size_t sl_ruleset_rule_count(const sl_ruleset *rs);
SL_API const sl_rule_info *sl_ruleset_rule(const sl_ruleset *rs, size_t i);

/* Load-time warnings: the rules load and run, but something in them is
 * risky, such as a regex that can backtrack catastrophically (a repeated
 * part that can match one text in more than one way: (a+)+, (\w+\s?)*).
 * Each is one line naming the place, "FILE:LINE:COL: rule 'ID': ...",
 * owned by the ruleset, in load order; every profile's rules count. */
SL_API size_t sl_ruleset_warning_count(const sl_ruleset *rs);
SL_API const char *sl_ruleset_warning(const sl_ruleset *rs, size_t i);

/* Writes a human-readable explanation of rule `id` (patterns, scopes,
 * conditions, examples) to `out`. SL_ENOTFOUND if there is no such rule. */
SL_API sl_status sl_ruleset_explain(const sl_ruleset *rs, const char *id, FILE *out);

/* Called once per rule example by sl_ruleset_test. `ok` is nonzero when
 * the example behaved as documented; `detail` explains a failure. */
typedef void (*sl_example_cb)(void *user, const char *rule_id, const char *kind /* "fail"|"pass" */,
                              size_t index, int ok, const char *detail);

/* Runs every rule's examples: each fail example must give a finding of that
 * rule, each pass example must not. Sets *nfailed to the number that did
 * not behave. */
SL_API sl_status sl_ruleset_test(const sl_ruleset *rs, sl_example_cb cb, void *user,
                                 size_t *ntested, size_t *nfailed, sl_diag *diag);

/* ---------------------------------------------------------------- results */

/* One finding. Every string is owned by the enclosing sl_file_result. */
typedef struct sl_finding {
    const char *rule;
    const char *category;
    const char *message;
    const char *scope; /* "title", "body", "meta.author", ... */
    const char *match; /* the matched source text; "" for a require rule */
    const char *fingerprint;
    sl_severity severity;
    unsigned line;   /* 1-based, in the source file */
    unsigned column; /* 1-based, in characters */
    /* Nonzero when a baseline (sl_baseline_apply) already holds this
     * finding's fingerprint: it is reported, but does not fail the document. */
    int baseline;
    /* Nonzero when a suppression covers this finding: SL_SUPPRESSED_INLINE
     * for a syndlint-disable comment in the source, SL_SUPPRESSED_IGNORE for
     * an entry of an ignore file (sl_ignore_apply). Reported, never failing. */
    int suppressed;
    /* The suppression's reason; NULL unless suppressed. Owned like the
     * other strings. */
    const char *suppression_reason;
} sl_finding;

#define SL_SUPPRESSED_INLINE 1
#define SL_SUPPRESSED_IGNORE 2

typedef struct sl_doc_result {
    const char *id;
    const char *title; /* NULL when the document has none */
    const char *error; /* NULL unless verdict is SL_ERROR */
    sl_verdict verdict;
    sl_finding *findings;
    size_t nfindings;
} sl_doc_result;

typedef struct sl_file_result {
    const char *path;
    const char *error; /* NULL unless the file could not be scanned */
    sl_verdict verdict;
    sl_doc_result *docs;
    size_t ndocs;
} sl_file_result;

SL_API void sl_file_result_free(sl_file_result *res);
/* Frees the strings and findings of one document result and zeroes it. */
SL_API void sl_doc_result_clear(sl_doc_result *d);

/* ---------------------------------------------------------------- scanner */

typedef struct sl_scan_options {
    sl_severity fail_on;  /* lowest severity that fails a document (default error) */
    size_t max_file_size; /* bytes; 0 means the default (32 MiB) */
    /* Nonzero: syndlint-disable comments in the source are ignored. */
    int no_inline_suppressions;
    /* Nonzero: a suppression comment that covers no finding is reported as
     * a warning finding of rule "syndlint.unused-suppression". */
    int report_unused_suppressions;
    /* Documents per file (feed items); more make the file ERROR, the
     * documents before the limit keeping their results. 0: 100000. */
    size_t max_documents;
    /* Element or array/object nesting depth of HTML, XML and JSON inputs;
     * deeper makes the file ERROR. 0: 1000. (libxml2 also refuses XML
     * feeds nested deeper than its own limit of 256.) */
    unsigned max_depth;
    /* Seconds per file, checked between documents and between rules; a
     * file over its time is ERROR "timed out after Ns". 0: no limit. */
    unsigned timeout_s;
    /* PCRE2 match limit per regex match; 0: 5000000. Hitting it makes the
     * document ERROR naming the rule. */
    unsigned long regex_match_limit;
    /* Fields are only ever appended here: the offsets of the ones above
     * do not move. */
    /* Bytes of one document's text: its title, body, page chrome, code
     * and metadata together (not the source markup, which max_file_size
     * bounds). A larger document is ERROR naming its size and the limit;
     * the file's other documents are still scanned. 0: 64 MiB, twice the
     * default file size, so that by default no document of a file within
     * max_file_size is refused (decoding can make text longer than its
     * source). */
    size_t max_doc_size;
    /* Largest PCRE2 JIT stack of a scanner (one per thread), in bytes; a
     * regex that needs more makes its document ERROR naming the rule.
     * 0: 1 MiB. Ignored for a ruleset loaded with no_jit. */
    size_t jit_stack_size;
} sl_scan_options;

/* Per-thread scanning state (PCRE2 match data, scratch buffers). The ruleset
 * is borrowed and must outlive the scanner. */
typedef struct sl_scanner sl_scanner;

SL_API sl_status sl_scanner_new(const sl_ruleset *rs, const sl_scan_options *opt, sl_scanner **out);
SL_API void sl_scanner_free(sl_scanner *sc);

/* With `on` zero, every regex runs on every text in scope instead of only
 * those whose literals the prefilter found (the default is on). Findings
 * are the same either way; this is for tests and measurements. */
SL_API void sl_scanner_set_prefilter(sl_scanner *sc, int on);

/* Receives each document of a file as soon as it is judged, in order, so
 * that a caller can report and drop it instead of holding a feed's every
 * result until the whole file is judged. A file's first 16 documents are
 * kept and handed over together when a 17th comes, each later one at
 * once: a file of fewer stays in its sl_file_result as without a callback.
 * The callee takes the contents of `*doc` (it frees them with
 * sl_doc_result_clear, now or later); a status other than SL_OK stops the
 * file and is returned by the scan call. The file's sl_file_result then
 * holds only what was not handed over: its path, error and verdict (the
 * worst of every document's, or ERROR for the file itself), and in docs
 * the documents that come after a limit stopped the file (one ERROR
 * document saying so). A file whose source holds an inline suppression
 * directive ("syndlint-...") is not handed over document by document,
 * unless directives are off: a directive anywhere in it can change any of
 * its documents, so all of them stay in docs as without a callback. `path`
 * is the file's, as the scan call was given it. The callback runs on the
 * scanning thread. NULL `cb` turns it off. */
typedef sl_status (*sl_doc_cb)(void *user, const char *path, sl_doc_result *doc);
SL_API void sl_scanner_set_doc_cb(sl_scanner *sc, sl_doc_cb cb, void *user);

/* Scans `len` bytes of `data` as the file `path` (used for the document id,
 * profile selection and reports; "-" for stdin). The input type is decided
 * from the content and the path's extension. A malformed or unscannable input
 * is not a failure of this call: it gives SL_OK with a result whose verdict
 * is SL_ERROR and whose `error` says why. *out is owned by the caller. */
SL_API sl_status sl_scan_buffer(sl_scanner *sc, const char *path, const char *data, size_t len,
                                sl_file_result **out);

/* Reads `path` (within the size limit) and scans it as sl_scan_buffer does;
 * a file that cannot be read gives an SL_ERROR result naming the reason. */
SL_API sl_status sl_scan_file(sl_scanner *sc, const char *path, sl_file_result **out);

/* Builds an SL_ERROR result for an input that could not even be read
 * (used by callers that find a problem before scanning, such as a symlink
 * loop). `reason` is copied. */
SL_API sl_status sl_file_result_error(const char *path, const char *reason, sl_file_result **out);

/* ---------------------------------------------------------------- fetching */

/* Inputs by URL (http:// and https:// only), fetched with libcurl. */
typedef struct sl_fetch_options {
    long timeout_ms;         /* the whole transfer; 0 means 30 s */
    long connect_timeout_ms; /* 0 means 10 s */
    size_t max_size;         /* body bytes; 0 means 32 MiB; a larger body is an error */
    long max_redirects;      /* 0 means 5; negative: follow none */
    /* A conditional-GET cache (ETag, Last-Modified): a feed that has not
     * changed since the last run is answered 304 and read from here. NULL
     * for none. Copied; created (0700) when missing. */
    const char *cache_dir;
} sl_fetch_options;

/* Immutable once created; one fetcher serves every thread. Create it
 * before starting threads: it initialises libcurl. */
typedef struct sl_fetcher sl_fetcher;

SL_API sl_status sl_fetcher_new(const sl_fetch_options *opt, sl_fetcher **out, sl_diag *diag);
SL_API void sl_fetcher_free(sl_fetcher *f);

/* Nonzero when `s` is an http:// or https:// URL. */
SL_API int sl_is_url(const char *s);

/* Fetches `url`: on success *data (malloc'd, NUL-terminated, owned by the
 * caller) holds the body and *len its length; *from_cache (may be NULL) is
 * set when the server answered 304 and the cached copy was used. Failures
 * leave the reason in diag: SL_EIO for an HTTP status other than 200 or
 * 304 ("HTTP 404") or a network error (timeout, too many redirects,
 * connection refused), SL_ELIMIT for a body over max_size, SL_EINVAL for a
 * URL of another scheme. */
SL_API sl_status sl_fetch(sl_fetcher *f, const char *url, char **data, size_t *len, int *from_cache,
                          sl_diag *diag);

/* Fetches `url` and scans the body as sl_scan_buffer does, with the URL as
 * the path (feed items get ids "URL#guid"). A feed that cannot be fetched
 * gives SL_OK with an SL_ERROR result naming the HTTP status or the network
 * error. */
SL_API sl_status sl_scan_url(sl_scanner *sc, sl_fetcher *f, const char *url, sl_file_result **out);

/* ---------------------------------------------------------------- reports */

/* A report collects the results of one scan and renders them in one format.
 * It copies what it needs from each result, so results can be freed as soon
 * as they are added, and one scan can feed any number of reports. */
typedef struct sl_report sl_report;

/* Formats: "json" (the contract in DESIGN.md), "jsonl" (one object per
 * document), "junit" (JUnit XML), "sarif" (SARIF 2.1.0), "html" (one
 * self-contained page), "csv" (RFC 4180, a row per finding and per passing
 * document), "markdown" (alias "md"; a CI job summary). SL_EINVAL for
 * unknown ones. */
SL_API sl_status sl_report_new(const char *format, sl_report **out);
SL_API void sl_report_free(sl_report *rep);
/* Nonzero when `format` names a report format sl_report_new accepts. */
SL_API int sl_report_format_known(const char *format);
/* Appends one file's results. The report keeps what it needs; `res` stays
 * owned by the caller. An "html" report also reads the source file again
 * (when it still can) to show each finding in its context. */
SL_API sl_status sl_report_add(sl_report *rep, const sl_file_result *res);
/* The same, a document at a time, for a scanner's document callback
 * (sl_scanner_set_doc_cb): sl_report_add_doc adds one document of the file
 * `path` as soon as it is judged (only read during the call), and
 * sl_report_end_file ends that file with its result, whose docs (the
 * documents not handed over, if any) are added first. sl_report_add(rep,
 * res) is sl_report_end_file(rep, res) with no document added before. */
SL_API sl_status sl_report_add_doc(sl_report *rep, const char *path, const sl_doc_result *doc);
SL_API sl_status sl_report_end_file(sl_report *rep, const sl_file_result *res);
/* Describes the rules that ran (SARIF lists them in tool.driver; other
 * formats use their descriptions). The rule infos are copied; `rs` is only
 * read during the call. Rules disabled by the config are left out. */
SL_API sl_status sl_report_set_ruleset(sl_report *rep, const sl_ruleset *rs);
/* Writes the whole report to `out`. */
SL_API sl_status sl_report_write(sl_report *rep, FILE *out, sl_diag *diag);
/* Writes the report to `path` atomically (sl_write_file_atomic). */
SL_API sl_status sl_report_write_file(sl_report *rep, const char *path, sl_diag *diag);

/* Writes the whole of a file's content to `out`; `user` is the caller's.
 * Returns SL_OK, or a status with `diag` set (SL_EIO when `out` fails). */
typedef sl_status (*sl_file_writer)(FILE *out, void *user, sl_diag *diag);
/* Writes `path` whole or not at all: `write` fills a temporary file in the
 * same directory, which is flushed to disk and renamed into place, so a
 * failure or an interruption leaves any earlier file untouched. A symbolic
 * link is followed and its target replaced, never the link; a FIFO, a
 * device or a terminal (/dev/stdout) is written in place, as there is no
 * file to replace. A failure's message is "cannot write WHAT: reason". */
SL_API sl_status sl_write_file_atomic(const char *path, const char *what, sl_file_writer write,
                                      void *user, sl_diag *diag);
/* Removes the temporary file of every sl_write_file_atomic in progress, so
 * that a process ending at once leaves none beside its reports. Only
 * unlink(2) is called: safe in a signal handler, for one that then ends
 * the process (the writers are not told). */
SL_API void sl_write_file_atomic_abandon(void);

/* Writes one JSON Lines object per document of `res` to `out` and flushes,
 * so a pipeline sees each document as soon as it is decided. The objects are
 * those of the "jsonl" report. */
SL_API sl_status sl_file_result_write_jsonl(const sl_file_result *res, FILE *out, sl_diag *diag);

/* ---------------------------------------------------------------- baselines */

/* The findings of an earlier JSON report, for baselines (--baseline), trends
 * (--compare) and `syndlint diff`. Immutable once loaded. */
typedef struct sl_baseline sl_baseline;

/* One finding of a loaded report. Strings are owned by the sl_baseline. */
typedef struct sl_baseline_entry {
    const char *path;
    const char *doc_id;
    const char *rule;
    const char *category;
    const char *message;
    const char *match;
    const char *fingerprint;
    sl_severity severity;
    unsigned line;
    unsigned column;
} sl_baseline_entry;

/* Reads a JSON report (the contract in DESIGN.md) from `path`. On success
 * *out is owned by the caller (sl_baseline_free). SL_EIO when the file
 * cannot be read, SL_EINPUT when it is not such a report; diag says why. */
SL_API sl_status sl_baseline_load(const char *path, sl_baseline **out, sl_diag *diag);
SL_API void sl_baseline_free(sl_baseline *bl);
/* Findings in report order; the entry is owned by `bl`. */
SL_API size_t sl_baseline_count(const sl_baseline *bl);
SL_API const sl_baseline_entry *sl_baseline_entry_at(const sl_baseline *bl, size_t i);
/* Nonzero when the baseline holds a finding with this fingerprint. */
SL_API int sl_baseline_has(const sl_baseline *bl, const char *fingerprint);
/* Nonzero when the report could not check document `doc_id` of file
 * `path`: the file is ERROR and the document is not among those it judged
 * (PASS or FAIL), as with a file emptied, unreadable or over a limit, or a
 * feed item after the place it broke off. A finding of an earlier report
 * there is not known to be fixed. (A file the report does not list at all
 * was removed: its findings are gone.) */
SL_API int sl_baseline_unchecked(const sl_baseline *bl, const char *path, const char *doc_id);
/* Marks the findings of `res` whose fingerprint `bl` holds (finding.baseline)
 * and decides the verdicts again: a document fails only on a finding that
 * is not in the baseline and is at least `fail_on`. ERROR stays ERROR. */
SL_API void sl_baseline_apply(const sl_baseline *bl, sl_file_result *res, sl_severity fail_on);
/* Adds a trend to "html" and "markdown" reports: the findings new since
 * `old` and those fixed since. The entries are copied; `old` is only read
 * during the call. Other formats ignore it. */
SL_API sl_status sl_report_set_compare(sl_report *rep, const sl_baseline *old);

/* ---------------------------------------------------------------- ignore file */

/* A central ignore file (syndlint-ignore.yaml): findings accepted by
 * fingerprint, or by path glob plus rule id or category, each with a reason
 * and an optional expiry date. Immutable once loaded. */
typedef struct sl_ignore sl_ignore;

/* One entry. Strings are owned by the sl_ignore; absent ones are NULL. */
typedef struct sl_ignore_entry {
    const char *fingerprint;
    const char *path; /* glob, as fnmatch(3) without flags: '*' crosses '/' */
    const char *rule; /* rule id or category */
    const char *reason;
    const char *expires; /* "YYYY-MM-DD" */
    unsigned line;       /* where the entry starts in the file */
    int expired;         /* the expiry date is before `today` (sl_ignore_load) */
} sl_ignore_entry;

/* Reads and strictly validates `path`; `today` ("YYYY-MM-DD", NULL for the
 * current local date) decides which entries have expired. On success *out
 * is owned by the caller (sl_ignore_free). SL_EIO when unreadable, SL_ERULE
 * with "file:line:col: message" when invalid. */
SL_API sl_status sl_ignore_load(const char *path, const char *today, sl_ignore **out,
                                sl_diag *diag);
SL_API void sl_ignore_free(sl_ignore *ig);
SL_API size_t sl_ignore_count(const sl_ignore *ig);
SL_API const sl_ignore_entry *sl_ignore_entry_at(const sl_ignore *ig, size_t i);
/* The path the ignore file was loaded from, as given to sl_ignore_load;
 * owned by `ig`. */
SL_API const char *sl_ignore_path(const sl_ignore *ig);
/* Marks the findings of `res` that an unexpired entry covers (suppressed =
 * SL_SUPPRESSED_IGNORE, with the entry's reason) unless already suppressed,
 * and decides the verdicts again as sl_baseline_apply does. Expired entries
 * suppress nothing. */
SL_API sl_status sl_ignore_apply(const sl_ignore *ig, sl_file_result *res, sl_severity fail_on);
/* Records the expired entries of `ig` in the report, each named by the
 * ignore file's path and the entry's line: SARIF lists them as tool
 * configuration notifications (level warning), JUnit in <system-err>,
 * Markdown and HTML as a notice. The JSON, JSON Lines and CSV reports keep
 * their shapes. The entries are copied; `ig` is only read during the call. */
SL_API sl_status sl_report_set_ignore(sl_report *rep, const sl_ignore *ig);

#ifdef __cplusplus
}
#endif

#endif
