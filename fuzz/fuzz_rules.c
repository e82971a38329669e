/* Fuzzes the rule-pack and project-config loader: any bytes must load or
 * fail with a diagnostic, never crash, hang or leak. The first byte chooses
 * whether the rest is read as a pack or as a config. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "syndlint/syndlint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char path[64];
    int fd = fuzz_memfile(data + 1, size - 1, path, sizeof path);
    if (fd < 0)
        return 0;
    const char *paths[] = {path};
    sl_ruleset_options opt;
    memset(&opt, 0, sizeof opt);
    opt.data_dir = "/nonexistent";
    if (data[0] & 1) {
        opt.config_path = path;
    } else {
        opt.rule_paths = paths;
        opt.nrule_paths = 1;
    }
    sl_ruleset *rs = NULL;
    sl_diag diag;
    if (sl_ruleset_load(&opt, &rs, &diag) == SL_OK) {
        if (!rs)
            abort();
        /* A loaded ruleset must also explain and self-test without harm. */
        size_t n = sl_ruleset_rule_count(rs);
        FILE *devnull = fopen("/dev/null", "w");
        for (size_t i = 0; i < n && devnull; i++)
            sl_ruleset_explain(rs, sl_ruleset_rule(rs, i)->id, devnull);
        if (devnull)
            fclose(devnull);
        size_t ntested = 0, nfailed = 0;
        sl_ruleset_test(rs, NULL, NULL, &ntested, &nfailed, &diag);
    } else if (rs || !diag.message[0]) {
        abort(); /* a failure must say why and return nothing */
    }
    sl_ruleset_free(rs);
    close(fd);
    return 0;
}
