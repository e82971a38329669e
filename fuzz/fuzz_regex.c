/* Fuzzes the load-time analyses of a regex (rules/rxtree.c, redos.c,
 * probe.c) on every regex PCRE2 accepts: they must not crash, leak or take
 * long, and must answer SL_OK; a backtracking warning must be one line that
 * quotes a part of the regex; an existence probe must compile and find a
 * non-empty match in exactly the texts where the whole regex finds one (the
 * regex's own text and a few fixed ones, within a match limit). The first
 * byte chooses caseless matching. */
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "rules/probe.h"
#include "rules/redos.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 1 when `code` has a non-empty match in s[0, n), stepping past empty
 * matches as the engine does; 0 when not; -1 when the limit was hit. */
static int nonempty(const pcre2_code *code, const char *s, size_t n, pcre2_match_data *md,
                    pcre2_match_context *mc)
{
    size_t off = 0;
    while (off <= n) {
        int rc = pcre2_match(code, (PCRE2_SPTR)s, n, off, 0, md, mc);
        if (rc == PCRE2_ERROR_NOMATCH)
            return 0;
        if (rc < 0)
            return -1;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        if (ov[1] > ov[0])
            return 1;
        off = ov[0] + 1;
        while (off < n && ((unsigned char)s[off] & 0xC0) == 0x80)
            off++;
    }
    return 0;
}

static void check_probe(const char *rx, size_t len, int caseless, uint32_t flags)
{
    size_t from = 0;
    if (sl_regex_probe_start(rx, len, caseless, &from) != SL_OK)
        abort();
    if (from == 0)
        return;
    int err;
    PCRE2_SIZE off;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)rx, len, flags, &err, &off, NULL);
    pcre2_code *probe = pcre2_compile((PCRE2_SPTR)rx + from, len - from, flags, &err, &off, NULL);
    if (!code || !probe)
        abort();
    pcre2_match_data *md = pcre2_match_data_create(16, NULL);
    pcre2_match_context *mc = pcre2_match_context_create(NULL);
    if (!md || !mc)
        abort();
    pcre2_set_match_limit(mc, 20000);
    pcre2_set_depth_limit(mc, 2000);
    const char *texts[] = {rx, "", "aAbB 09 -_.", "(With inputs from PTI) Rs 300/month {{x}}"};
    size_t lens[] = {len, 0, 11, 41};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        int a = nonempty(code, texts[i], lens[i], md, mc);
        int b = nonempty(probe, texts[i], lens[i], md, mc);
        if (a >= 0 && b >= 0 && a != b)
            abort();
    }
    pcre2_match_context_free(mc);
    pcre2_match_data_free(md);
    pcre2_code_free(probe);
    pcre2_code_free(code);
}

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
    check_probe(rx, len, caseless, flags);
    return 0;
}
