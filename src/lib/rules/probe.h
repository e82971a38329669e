/*
 * The existence probe of a regex (probe.c): where only whether a regex
 * matches matters (a detect rule without exceptions, a require rule, a
 * condition), its leading optional part can be left out.
 *
 * `(?:[Ww]ith\s+)?[Ii]nputs?\s+from` matches a text exactly when
 * `[Ii]nputs?\s+from` does, but it can start at every W, w, I and i, and
 * PCRE2 tries each of them; the rest can only start at an I or an i, which
 * PCRE2's JIT finds with a vector search. On prose the difference is an
 * order of magnitude for such a regex.
 */
#ifndef SL_RULES_PROBE_H
#define SL_RULES_PROBE_H

#include <stddef.h>

#include "rules/rxtree.h"
#include "syndlint/syndlint.h"

/* Sets *start to the byte offset in `rx` (PCRE2 syntax as compiled, UTF and
 * UCP mode; `caseless` for PCRE2_CASELESS) where its probe begins: the
 * regex from there on has a non-empty match in a text exactly when the
 * whole regex has one. 0 when no leading part can be left out: the regex
 * does not start with items that may match nothing, the rest can match
 * the empty string, or the regex uses what rxtree.h does not model. */
sl_status sl_regex_probe_start(const char *rx, size_t len, int caseless, size_t *start);
/* The same on the regex already parsed into `t` (`len` bytes). */
size_t sl_rxtree_probe_start(const sl_rxtree *t, size_t len);

#endif
