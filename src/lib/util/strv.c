/* Sets of strings looked up by binary search (see strv.h). */
#include "util/strv.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int sl_strv_push(sl_strv *sv, const char *s)
{
    if (sv->n == sv->cap) {
        size_t cap = sv->cap ? 2 * sv->cap : 64;
        char **p = realloc(sv->v, cap * sizeof *p);
        if (!p)
            return 0;
        sv->v = p;
        sv->cap = cap;
    }
    if (!(sv->v[sv->n] = sl_strdup(s)))
        return 0;
    sv->n++;
    return 1;
}

void sl_strv_sort(sl_strv *sv)
{
    if (sv->n > 1)
        qsort(sv->v, sv->n, sizeof *sv->v, cmp_str);
}

int sl_strv_has(const sl_strv *sv, const char *s)
{
    return s && sv->n && bsearch(&s, sv->v, sv->n, sizeof *sv->v, cmp_str) != NULL;
}

void sl_strv_clear(sl_strv *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    memset(sv, 0, sizeof *sv);
}
