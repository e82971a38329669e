/*
 * Document ids made unique within a file. A feed may repeat a guid (an
 * item updated in place and appended again, a CMS that reuses one), and
 * two documents of a report with one id cannot be told apart by a
 * baseline, a diff or a merge. The later ones get "~2", "~3"... after the
 * id, in the order they come, so a feed read again gives the same ids.
 *
 * Ids are kept as 64-bit hashes with their counts, about 24 bytes each,
 * and only from a file's second document on: a file of one document
 * costs one hash.
 */
#ifndef SL_EVAL_DOCIDS_H
#define SL_EVAL_DOCIDS_H

#include <stddef.h>
#include <stdint.h>

#include "syndlint/syndlint.h"

typedef struct sl_docids {
    uint64_t first; /* the hash of the first id, until the table holds it */
    size_t n;       /* ids seen */
    uint64_t *keys; /* owned: cap slots, 0 empty (a hash of 0 is stored as 1) */
    uint32_t *counts;
    size_t cap;
} sl_docids;

/* Makes *id (owned by the caller, malloc'd; NULL is left alone) unique
 * among the ids given to `ids` so far, replacing it with a new string when
 * it repeats one. SL_ENOMEM leaves *id as it was. */
sl_status sl_docids_unique(sl_docids *ids, char **id);

/* Frees the table and empties *ids; an empty one is fine. */
void sl_docids_clear(sl_docids *ids);

#endif
