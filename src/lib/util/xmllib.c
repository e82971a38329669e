/*
 * libxml2 loaded on first use (see xmllib.h).
 *
 * The same pattern as libcurl's in input/fetch.c: dlopen by soname, each
 * function looked up by name, and a message kept for every later call
 * when any is missing. libxml2 2.9 sets up its global tables lazily and
 * not thread-safely, so its parser is initialized here, inside the one
 * pthread_once, before any thread can use it.
 */
#define SL_XML_NO_MACROS
#include "util/xmllib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

#include "util/dl.h"

#define LIBXML2_SONAME "libxml2.so.2"

sl_xml_api sl_xml;
static char xml_error[256]; /* why it could not be loaded; "" when it was */
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_load(void)
{
    void *lib = dlopen(LIBXML2_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *why = dlerror();
        snprintf(xml_error, sizeof xml_error, "feeds and XML reports need libxml2 (%s): %s",
                 LIBXML2_SONAME, why ? why : "cannot load it");
        return;
    }
    static const sl_dl_sym syms[] = {
#define SL_XML_SYM(name) {#name, offsetof(sl_xml_api, name)},
        SL_XML_FUNCTIONS(SL_XML_SYM)
#undef SL_XML_SYM
    };
    sl_xml_api api;
    const char *missing = sl_dl_bind(lib, syms, sizeof syms / sizeof *syms, &api);
    if (!missing && !(api.free_hook = dlsym(lib, "xmlFree")))
        missing = "xmlFree";
    if (missing) {
        snprintf(xml_error, sizeof xml_error, "feeds and XML reports need libxml2: %s lacks %s",
                 LIBXML2_SONAME, missing);
        dlclose(lib);
        return;
    }
    api.xmlInitParser();
    sl_xml = api;
}

const char *sl_xml_load(void)
{
    pthread_once(&xml_once, xml_load);
    return xml_error[0] ? xml_error : NULL;
}
