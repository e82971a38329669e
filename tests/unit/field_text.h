/*
 * A field's text as the tests read it: a C string. An owned field's text
 * is one already; a borrowed field's (text/field.h) is the source's bytes,
 * not terminated, so it is copied, into a ring of buffers that keeps the
 * last few copies valid.
 */
#ifndef SL_TESTS_FIELD_TEXT_H
#define SL_TESTS_FIELD_TEXT_H

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "text/field.h"

static const char *text_of(const sl_field *f)
{
    static char *ring[8];
    static unsigned next;
    if (!f || !f->text)
        return "";
    if (!f->borrowed)
        return f->text;
    char **slot = &ring[next++ % 8];
    free(*slot);
    *slot = malloc(f->len + 1);
    ck_assert_ptr_nonnull(*slot);
    memcpy(*slot, f->text, f->len);
    (*slot)[f->len] = '\0';
    return *slot;
}

/* Index of `s` in the field's text (the test fails when it is absent). */
static size_t index_of(const sl_field *f, const char *s)
{
    const char *t = text_of(f);
    const char *hit = strstr(t, s);
    ck_assert_msg(hit != NULL, "'%s' not in '%s'", s, t);
    return (size_t)(hit - t);
}

#endif
