/* Fuzzes normalization and its offset map: the output must be valid UTF-8,
 * the map must stay inside the input's offsets and never run backwards,
 * normalizing twice must change nothing, and the same bytes borrowed in
 * place (at a source offset of 7) must give the same text, the map
 * shifted by 7. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "text/normalize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sl_field in = SL_FIELD_INIT, out = SL_FIELD_INIT, again = SL_FIELD_INIT;
    sl_field lent = SL_FIELD_INIT, lent_out = SL_FIELD_INIT;
    if (sl_field_append_span(&in, (const char *)data, size, 0) != SL_OK)
        goto done;
    if (sl_normalize(&in, &out) != SL_OK)
        goto done;
    for (size_t i = 0; i < out.len; i++) {
        if (sl_field_offset(&out, i) > size)
            abort();
        if (i > 0 && sl_field_offset(&out, i) < sl_field_offset(&out, i - 1))
            abort();
    }
    utf8proc_int32_t cp;
    for (size_t i = 0; i < out.len;) {
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)out.text + i,
                                              (utf8proc_ssize_t)(out.len - i), &cp);
        if (n <= 0)
            abort();
        i += (size_t)n;
    }
    if (sl_field_borrow(&lent, (const char *)data, size, 7) != SL_OK ||
        sl_normalize(&lent, &lent_out) != SL_OK)
        goto done;
    if (lent_out.len != out.len || (out.len && memcmp(lent_out.text, out.text, out.len) != 0))
        abort();
    for (size_t i = 0; i <= out.len && out.len; i++)
        if (sl_field_offset(&lent_out, i) != sl_field_offset(&out, i) + 7)
            abort();
    if (sl_normalize(&out, &again) != SL_OK)
        goto done;
    if (again.len != out.len || (out.len && memcmp(again.text, out.text, out.len) != 0))
        abort();
done:
    sl_field_clear(&in);
    sl_field_clear(&out);
    sl_field_clear(&again);
    sl_field_clear(&lent);
    sl_field_clear(&lent_out);
    return 0;
}
