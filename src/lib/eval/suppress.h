/*
 * Suppressions: syndlint-disable comments in the source (inline), and the
 * verdict decision every kind of acceptance (baseline, inline, ignore file)
 * shares.
 */
#ifndef SL_EVAL_SUPPRESS_H
#define SL_EVAL_SUPPRESS_H

#include "syndlint/syndlint.h"

/* qsort order of findings in a document: line, column, rule id. */
int sl_finding_cmp(const void *a, const void *b);

/* Nonzero when the bytes hold the directive marker "syndlint-": without
 * it, sl_suppress_inline has nothing to do. */
int sl_suppress_marked(const char *data, size_t len);

/* Finds the syndlint-disable / -enable / -disable-next directives in the
 * `len` bytes of `data` (the file `res` was scanned from), marks the
 * findings they cover (finding.suppressed, finding.suppression_reason),
 * adds findings of the built-in rules "syndlint.invalid-suppression"
 * (always) and "syndlint.unused-suppression" (with
 * opt->report_unused_suppressions) to the first document, and decides the
 * verdicts again. SL_ENOMEM is the only failure. */
sl_status sl_suppress_inline(const char *data, size_t len, sl_file_result *res,
                             const sl_scan_options *opt);

/* Decides the verdicts of `res` from its findings: a document fails on a
 * finding at least `fail_on` that is neither baselined nor suppressed.
 * ERROR stays ERROR. */
void sl_result_decide(sl_file_result *res, sl_severity fail_on);

#endif
