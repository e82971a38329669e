/*
 * The HTML standard's named character references, for the HTML loader and
 * for the HTML entities feeds carry in their XML.
 */
#ifndef SL_INPUT_ENTITIES_H
#define SL_INPUT_ENTITIES_H

#include <stddef.h>

/* The longest name in the list ("CounterClockwiseContourIntegral"). */
#define SL_ENTITY_NAME_MAX 31

/* The UTF-8 value (one or two code points, at most 6 bytes) of the
 * reference named s[0, n), without its '&' and ';' (names are case
 * sensitive), or NULL when the standard lists no such name. The string is
 * static. */
const char *sl_html_entity(const char *s, size_t n);

#endif
