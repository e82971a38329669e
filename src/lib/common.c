/* Names of the public enums, shared by every report. */
#include <string.h>

#include "syndlint/syndlint.h"

const char *sl_severity_name(sl_severity sev)
{
    switch (sev) {
    case SL_SEV_INFO:
        return "info";
    case SL_SEV_WARNING:
        return "warning";
    case SL_SEV_ERROR:
        return "error";
    }
    return "error";
}

const char *sl_verdict_name(sl_verdict v)
{
    switch (v) {
    case SL_PASS:
        return "PASS";
    case SL_FAIL:
        return "FAIL";
    case SL_ERROR:
        return "ERROR";
    }
    return "ERROR";
}

int sl_severity_parse(const char *name, sl_severity *out)
{
    static const struct {
        const char *name;
        sl_severity sev;
    } names[] = {{"info", SL_SEV_INFO}, {"warning", SL_SEV_WARNING}, {"error", SL_SEV_ERROR}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (name && strcmp(name, names[i].name) == 0) {
            *out = names[i].sev;
            return 1;
        }
    }
    return 0;
}

const char *sl_version(void)
{
    return SL_VERSION;
}
