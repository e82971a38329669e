/* Scans one article through the public API and prints its verdict and
 * findings. Build against an installed syndlint:
 *
 *   cc api-example.c $(pkg-config --cflags --libs syndlint) -o api-example
 */
#include <stdio.h>
#include <syndlint/syndlint.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s ARTICLE\n", argv[0]);
        return 2;
    }
    int code = 2;
    sl_ruleset *rs = NULL;
    sl_scanner *sc = NULL;
    sl_file_result *res = NULL;
    sl_diag diag = {{0}};
    sl_ruleset_options opt = {0}; /* no data_dir: the installed default packs */
    if (sl_ruleset_load(&opt, &rs, &diag) != SL_OK) {
        fprintf(stderr, "%s\n", diag.message);
        goto out;
    }
    if (sl_scanner_new(rs, NULL, &sc) != SL_OK || sl_scan_file(sc, argv[1], &res) != SL_OK)
        goto out;
    printf("%s %s\n", sl_verdict_name(res->verdict), res->path);
    for (size_t i = 0; i < res->ndocs; i++)
        for (size_t k = 0; k < res->docs[i].nfindings; k++) {
            const sl_finding *f = &res->docs[i].findings[k];
            printf("  %u:%u %s %s\n", f->line, f->column, f->rule, f->message);
        }
    code = res->verdict == SL_PASS ? 0 : res->verdict == SL_FAIL ? 1 : 3;
out:
    sl_file_result_free(res);
    sl_scanner_free(sc);
    sl_ruleset_free(rs);
    return code;
}
