/* Binding functions from a dlopen'ed library (see dl.h). */
#include "util/dl.h"

#include <dlfcn.h>
#include <string.h>

const char *sl_dl_bind(void *lib, const sl_dl_sym *syms, size_t n, void *table)
{
    for (size_t i = 0; i < n; i++) {
        void *fn = dlsym(lib, syms[i].name);
        if (!fn)
            return syms[i].name;
        /* POSIX sanctions converting dlsym's object pointer to a function
         * pointer; memcpy keeps -Wpedantic quiet about it. */
        memcpy((char *)table + syms[i].off, &fn, sizeof fn);
    }
    return NULL;
}
