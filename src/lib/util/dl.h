/*
 * Binding a table of functions from a library opened with dlopen: the
 * optional libraries (libcurl in input/fetch.c, libxml2 in util/xmllib.c)
 * are loaded on first use rather than linked.
 */
#ifndef SL_UTIL_DL_H
#define SL_UTIL_DL_H

#include <stddef.h>

/* A function to look up, and where its pointer goes in the table. */
typedef struct sl_dl_sym {
    const char *name;
    size_t off; /* offsetof the table's function pointer */
} sl_dl_sym;

/* Looks up every one of syms[0..n) in `lib` and stores each pointer at
 * its offset in `table`. NULL when all were found, else the name of the
 * first missing one; `table` is then partly written and not to be used. */
const char *sl_dl_bind(void *lib, const sl_dl_sym *syms, size_t n, void *table);

#endif
