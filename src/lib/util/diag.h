/* Filling an sl_diag with a message that names its place. */
#ifndef SL_UTIL_DIAG_H
#define SL_UTIL_DIAG_H

#include "syndlint/syndlint.h"

/* Formats "file:line:col: rule 'id': message". `file` may be NULL (then
 * no place is written), line/col 0 leave them out, `rule_id` may be NULL.
 * `diag` may be NULL. Returns `st` so callers can `return sl_diag_set(...)`. */
sl_status sl_diag_set(sl_diag *diag, sl_status st, const char *file, unsigned line, unsigned col,
                      const char *rule_id, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

#endif
