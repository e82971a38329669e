/*
 * Per-thread scanning state and the evaluation entry point shared by file
 * scanning and the rule-example runner.
 */
#ifndef SL_EVAL_SCANNER_H
#define SL_EVAL_SCANNER_H

#include "eval/jitcache.h"
#include "input/document.h"
#include "rules/ruleset.h"

struct sl_scanner {
    const sl_ruleset *rs; /* borrowed */
    sl_scan_options opt;
    pcre2_match_data *md;      /* owned */
    pcre2_match_context *mctx; /* owned; carries the match limits */
    pcre2_jit_stack *jit;      /* owned */
    int no_prefilter;          /* sl_scanner_set_prefilter(sc, 0) */
    double deadline;           /* monotonic seconds the current file must end by; 0: none */
    sl_doc_cb doc_cb;          /* sl_scanner_set_doc_cb; NULL: none */
    void *doc_user;
};

/* Nonzero when the file being scanned is past its --timeout deadline. */
int sl_scanner_timed_out(const sl_scanner *sc);

/* Builds the result of one document: evaluates every enabled rule of
 * profile `p` (and rule `force_rule` even if disabled; -1 for none) in
 * dependency order. `outcomes`, when not NULL, receives one byte per rule:
 * nonzero when the rule matched. `out` must be zeroed; its strings are
 * malloc'd and freed with the file result. A regex that hits the match
 * limit makes the document ERROR (out->verdict, out->error); that is not a
 * failure of the call. */
sl_status sl_eval_document(sl_scanner *sc, const sl_profile *p, const sl_source *src,
                           const sl_document *doc, int force_rule, sl_doc_result *out,
                           unsigned char *outcomes);

#endif
