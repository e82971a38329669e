/* Fuzzes the whole engine over the default rule packs: any input gives a
 * result whose findings sit at real places in the file, within the time
 * limits, without crashing. The rules are compiled once. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "syndlint/syndlint.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sl_ruleset *rules;
static sl_scanner *scanner;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *dir = getenv("SYNDLINT_RULES_DIR");
    sl_ruleset_options opt;
    memset(&opt, 0, sizeof opt);
    opt.data_dir = dir && *dir ? dir : SL_SOURCE_RULES_DIR;
    sl_diag diag;
    if (sl_ruleset_load(&opt, &rules, &diag) != SL_OK || sl_scanner_new(rules, NULL, &scanner) != SL_OK)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"a.txt", "a.md", "a.html", "a.xml", "a.json", "a.jsonl"};
    if (size < 1)
        return 0;
    const char *path = names[data[0] % (sizeof names / sizeof names[0])];
    sl_file_result *res = NULL;
    if (sl_scan_buffer(scanner, path, (const char *)data + 1, size - 1, &res) != SL_OK)
        return 0;
    if (!res)
        abort();
    /* A line can be no further than the number of line breaks allows. */
    size_t lines = 1;
    for (size_t i = 1; i < size; i++)
        lines += data[i] == '\n' || data[i] == '\r';
    for (size_t i = 0; i < res->ndocs; i++)
        for (size_t k = 0; k < res->docs[i].nfindings; k++) {
            const sl_finding *f = &res->docs[i].findings[k];
            if (f->line < 1 || f->column < 1 || f->line > lines || !f->rule || !f->message)
                abort();
        }
    if (res->verdict == SL_ERROR && !res->error) {
        int any = 0;
        for (size_t i = 0; i < res->ndocs; i++)
            any |= res->docs[i].error != NULL;
        if (!any)
            abort(); /* an ERROR must carry its reason */
    }
    sl_file_result_free(res);
    return 0;
}
