/*
 * Load-time warnings about regexes that can backtrack catastrophically
 * (redos.c): the analysis of one regex, and the ruleset's list of warnings
 * that sl_ruleset_warning_count/sl_ruleset_warning hand out.
 */
#ifndef SL_RULES_REDOS_H
#define SL_RULES_REDOS_H

#include <stddef.h>

#include "rules/ruleset.h"
#include "rules/rxtree.h"

/* Looks for a repeated part of `rx` (PCRE2 syntax as compiled, UTF and UCP
 * mode; `caseless` for PCRE2_CASELESS) that can match one text in more
 * than one way. On SL_OK, *why is NULL when none was found (or the regex
 * uses what the analysis does not model), else a one-line explanation
 * naming the part and its offset in `rx`, malloc'd and owned by the
 * caller. SL_ENOMEM leaves *why NULL. */
sl_status sl_regex_backtrack_risk(const char *rx, size_t len, int caseless, char **why);
/* The same on a regex already parsed (t->root -1: not modelled, no
 * warning). */
sl_status sl_rxtree_backtrack_risk(const sl_rxtree *t, char **why);

/* Fills rs->warnings from the patterns of every profile whose `backtrack`
 * is set, one "FILE:LINE:COL: rule 'ID': ..." line per pattern as written
 * (profiles compile the same pattern again; it is listed once). */
sl_status sl_ruleset_collect_warnings(sl_ruleset *rs);

/* Frees what sl_ruleset_collect_warnings made. */
void sl_ruleset_warnings_clear(sl_ruleset *rs);

#endif
