/* Fuzzes the load-time backtracking analysis (rules/rxtree.c, redos.c) on
 * every regex PCRE2 accepts: it must not crash, leak or take long, must
 * answer SL_OK, and a warning must be one line that quotes a part of the
 * regex. The first byte chooses caseless matching and whether the rest is
 * compiled with PCRE2_EXTENDED as an inline option would. */
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "rules/redos.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096)
        return 0;
    int caseless = data[0] & 1;
    const char *rx = (const char *)data + 1;
    size_t len = size - 1;
    /* Only what the rule loader lets through: a regex that compiles the
     * way rules are compiled. */
    uint32_t flags = PCRE2_UTF | PCRE2_UCP | PCRE2_MULTILINE | PCRE2_MATCH_INVALID_UTF;
    if (caseless)
        flags |= PCRE2_CASELESS;
    int err;
    PCRE2_SIZE off;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)rx, len, flags, &err, &off, NULL);
    if (!code)
        return 0;
    pcre2_code_free(code);
    char *why = NULL;
    if (sl_regex_backtrack_risk(rx, len, caseless, &why) != SL_OK)
        abort();
    if (why && (why[0] != '\'' || strchr(why, '\n') || !strstr(why, "' at offset ")))
        abort();
    free(why);
    return 0;
}
