#include "util/diag.h"

#include <stdarg.h>
#include <stdio.h>

sl_status sl_diag_set(sl_diag *diag, sl_status st, const char *file, unsigned line, unsigned col,
                      const char *rule_id, const char *fmt, ...)
{
    if (!diag)
        return st;
    size_t cap = sizeof diag->message;
    int n = 0;
    if (file && line && col)
        n = snprintf(diag->message, cap, "%s:%u:%u: ", file, line, col);
    else if (file && line)
        n = snprintf(diag->message, cap, "%s:%u: ", file, line);
    else if (file)
        n = snprintf(diag->message, cap, "%s: ", file);
    if (n < 0 || (size_t)n >= cap)
        n = 0;
    if (rule_id) {
        int m = snprintf(diag->message + n, cap - (size_t)n, "rule '%s': ", rule_id);
        if (m > 0 && (size_t)(n + m) < cap)
            n += m;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(diag->message + n, cap - (size_t)n, fmt, ap);
    va_end(ap);
    return st;
}
