/* Fuzzes the load-time analyses of a regex (rules/rxtree.c, redos.c,
 * probe.c, literals.c) on every regex PCRE2 accepts: they must not crash,
 * leak or take long, and must answer SL_OK; a backtracking warning must be
 * one line that quotes a part of the regex; an existence probe must compile
 * and find a non-empty match in exactly the texts where the whole regex
 * finds one (the regex's own text and a few fixed ones, within a match
 * limit); and wherever the regex matches such a text once normalized (the
 * only text the engine matches), every one of its required literal sets
 * must occur there as the prefilter compares (ASCII letters caselessly, a
 * line break for a space). The first byte chooses caseless matching. */
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "rules/literals.h"
#include "rules/probe.h"
#include "rules/redos.h"
#include "text/normalize.h"

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

/* Whether lit occurs in t[0, n) as the prefilter compares. */
static int occurs(const char *t, size_t n, const char *lit)
{
    size_t m = strlen(lit);
    for (size_t i = 0; i + m <= n; i++) {
        size_t k = 0;
        for (; k < m; k++) {
            char c = t[i + k];
            c = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c == '\n' ? ' ' : c;
            if (c != lit[k])
                break;
        }
        if (k == m)
            return 1;
    }
    return 0;
}

static void check_literals(const char *rx, size_t len, uint32_t flags)
{
    sl_litsets ls;
    if (sl_regex_literals(rx, len, &ls) != SL_OK)
        abort();
    int err;
    PCRE2_SIZE off;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)rx, len, flags, &err, &off, NULL);
    pcre2_match_data *md = pcre2_match_data_create(16, NULL);
    pcre2_match_context *mc = pcre2_match_context_create(NULL);
    if (!code || !md || !mc)
        abort();
    pcre2_set_match_limit(mc, 20000);
    pcre2_set_depth_limit(mc, 2000);
    const char *texts[] = {rx, "With  inputs\tfrom\r\n\nPTI", "aAbB 09 -_.\n x",
                           "(With inputs from PTI) Rs 300/month {{x}}"};
    size_t lens[] = {len, 23, 14, 41};
    for (size_t i = 0; i < sizeof texts / sizeof *texts && ls.nsets; i++) {
        char *t = NULL;
        size_t n = 0;
        if (sl_normalize_string(texts[i], lens[i], &t, &n) != SL_OK)
            abort();
        if (pcre2_match(code, (PCRE2_SPTR)t, n, 0, 0, md, mc) >= 0)
            for (size_t k = 0, a = 0; k < ls.nsets; a = ls.set_end[k++]) {
                int found = 0;
                for (size_t j = a; j < ls.set_end[k] && !found; j++)
                    found = occurs(t, n, ls.lits[j]);
                if (!found)
                    abort();
            }
        free(t);
    }
    pcre2_match_context_free(mc);
    pcre2_match_data_free(md);
    pcre2_code_free(code);
    sl_litsets_clear(&ls);
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
    check_literals(rx, len, flags);
    return 0;
}
