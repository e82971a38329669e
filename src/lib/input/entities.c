/*
 * Named character references (see entities.h). The table is generated at
 * build time by entities.py from Python's html.entities.html5, the WHATWG
 * list of 2,125 names, rather than libxml2's HTML 4 table of 253: "&lcub;"
 * and "&rcub;" (a placeholder's braces), "&dollar;", "&ZeroWidthSpace;"
 * are not in HTML 4 but are on pages.
 */
#include "input/entities.h"

#include <string.h>

#include "html_entities.h"

const char *sl_html_entity(const char *s, size_t n)
{
    if (n == 0 || n > SL_ENTITY_NAME_MAX)
        return NULL;
    size_t lo = 0, hi = sizeof html_entities / sizeof html_entities[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *name = html_entities[mid].name;
        int c = strncmp(s, name, n);
        if (c == 0 && name[n] != '\0')
            c = -1; /* s is a proper prefix of the name */
        if (c == 0)
            return html_entities[mid].value;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}
