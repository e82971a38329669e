/* Prints, for each HTML file named on the command line, the text the HTML
 * loader found visible (body, chrome and code), then a line holding only
 * "\x01". The differential test (differential.py) compares it with
 * html5lib's reading of the same page. */
#include <stdio.h>
#include <stdlib.h>

#include "input/input.h"

int main(int argc, char **argv)
{
    for (int a = 1; a < argc; a++) {
        FILE *f = fopen(argv[a], "rb");
        if (!f) {
            fprintf(stderr, "visible_text: cannot open %s\n", argv[a]);
            return 2;
        }
        char *buf = NULL;
        size_t len = 0, cap = 0, n;
        do {
            if (len + 4096 > cap) {
                cap = cap ? 2 * cap : 65536;
                char *p = realloc(buf, cap);
                if (!p) {
                    fclose(f);
                    free(buf);
                    return 2;
                }
                buf = p;
            }
            n = fread(buf + len, 1, cap - len, f);
            len += n;
        } while (n > 0);
        fclose(f);
        sl_source src;
        sl_doclist docs = {0};
        sl_diag diag;
        sl_status st = sl_input_load(argv[a], buf, len, SL_INPUT_HTML, &src, &docs, &diag);
        free(buf);
        if (st != SL_OK) {
            fprintf(stderr, "visible_text: %s: %s\n", argv[a], diag.message);
            sl_doclist_clear(&docs);
            return 1;
        }
        const sl_document *d = &docs.docs[0];
        const sl_field *fs[] = {&d->body, &d->chrome, &d->code};
        for (size_t k = 0; k < sizeof fs / sizeof fs[0]; k++) {
            if (fs[k]->text)
                fwrite(fs[k]->text, 1, fs[k]->len, stdout);
            putchar('\n');
        }
        fputs("\x01\n", stdout);
        sl_doclist_clear(&docs);
        sl_source_clear(&src);
    }
    return 0;
}
