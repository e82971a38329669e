/*
 * Sets of strings looked up by binary search: copies pushed while a set
 * is gathered, then sorted once, then asked. The reports use them for
 * fingerprints and for the documents and files a run judged.
 */
#ifndef SL_UTIL_STRV_H
#define SL_UTIL_STRV_H

#include <stddef.h>

typedef struct sl_strv {
    char **v; /* owned: n copies, of cap slots */
    size_t n, cap;
} sl_strv;

#define SL_STRV_INIT                                                                               \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/* Appends a copy of s; 0 when out of memory (the set is left as it was). */
int sl_strv_push(sl_strv *sv, const char *s);
/* Sorts the strings (strcmp order) for sl_strv_has. */
void sl_strv_sort(sl_strv *sv);
/* Nonzero when the sorted set holds s; a NULL s is never held. */
int sl_strv_has(const sl_strv *sv, const char *s);
/* Frees the strings and empties the set; an empty one is fine. */
void sl_strv_clear(sl_strv *sv);

#endif
