/* Fuzzes the loaders (type and charset detection, text, Markdown, HTML and
 * every feed format sl_input_load dispatches to). Invariant checked: every
 * field's offset map points inside the source. The first byte picks the
 * file name the loader sees, so extension-based paths are exercised. */
#include <stdlib.h>

#include "input/input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_field(const sl_field *f, const sl_source *src)
{
    for (size_t i = 0; i <= f->len && (f->runs || f->borrowed); i++)
        if (sl_field_offset(f, i) > src->len + 1)
            abort();
    /* Runs start at 0, ascend and lie inside the text. */
    for (size_t k = 0; k < f->nruns; k++) {
        size_t at = f->runs[k].at & ~SL_RUN_FIXED;
        if (k == 0 ? at != 0 : at <= (f->runs[k - 1].at & ~SL_RUN_FIXED) || at >= f->len)
            abort();
    }
    /* A borrowed field is the source's bytes themselves, not terminated. */
    if (f->borrowed && (f->text < src->data || f->text + f->len > src->data + src->len))
        abort();
    if (f->text && !f->borrowed && f->text[f->len] != '\0')
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"a.txt",  "a.md",    "a.html", "a.xml",
                                        "a.json", "a.jsonl", "a.rss",  "-"};
    if (size < 1)
        return 0;
    const char *path = names[data[0] % (sizeof names / sizeof names[0])];
    sl_source src;
    sl_doclist docs = {0};
    sl_diag diag;
    sl_status st =
        sl_input_load(path, (const char *)data + 1, size - 1, SL_INPUT_AUTO, &src, &docs, &diag);
    if (st == SL_OK) {
        for (size_t i = 0; i < docs.ndocs; i++) {
            const sl_document *d = &docs.docs[i];
            check_field(&d->title, &src);
            check_field(&d->body, &src);
            check_field(&d->code, &src);
            check_field(&d->raw, &src);
            check_field(&d->page, &src);
            for (size_t k = 0; k < d->nmeta; k++)
                check_field(&d->meta[k].value, &src);
        }
    }
    sl_doclist_clear(&docs);
    if (st == SL_OK)
        sl_source_clear(&src);
    return 0;
}
