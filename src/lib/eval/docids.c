/* Document ids made unique within a file (see docids.h). */
#include "eval/docids.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/hash.h"

static uint64_t key_of(const char *s)
{
    uint64_t h = sl_fnv1a(SL_FNV1A_BASIS, s, strlen(s));
    return h ? h : 1;
}

/* The slot of `key`, or the empty slot where it goes. */
static size_t slot_of(const sl_docids *ids, uint64_t key)
{
    size_t mask = ids->cap - 1, i = (size_t)(key ^ (key >> 32)) & mask;
    while (ids->keys[i] && ids->keys[i] != key)
        i = (i + 1) & mask;
    return i;
}

/* Room for one more id at a load of at most a half. */
static sl_status reserve(sl_docids *ids)
{
    if (ids->cap && 2 * (ids->n + 1) <= ids->cap)
        return SL_OK;
    size_t cap = ids->cap ? 2 * ids->cap : 64;
    sl_docids grown = {ids->first, ids->n, calloc(cap, sizeof *grown.keys),
                       calloc(cap, sizeof *grown.counts), cap};
    if (!grown.keys || !grown.counts) {
        free(grown.keys);
        free(grown.counts);
        return SL_ENOMEM;
    }
    for (size_t i = 0; i < ids->cap; i++)
        if (ids->keys[i]) {
            size_t j = slot_of(&grown, ids->keys[i]);
            grown.keys[j] = ids->keys[i];
            grown.counts[j] = ids->counts[i];
        }
    if (!ids->cap && ids->n) {
        /* The first id, kept aside until now. */
        size_t j = slot_of(&grown, ids->first);
        grown.keys[j] = ids->first;
        grown.counts[j] = 1;
    }
    free(ids->keys);
    free(ids->counts);
    *ids = grown;
    return SL_OK;
}

/* Counts `key` once more; returns how many times it was seen before. */
static sl_status count(sl_docids *ids, uint64_t key, uint32_t *before)
{
    if (ids->n == 0) {
        ids->first = key;
        ids->n = 1;
        *before = 0;
        return SL_OK;
    }
    sl_status st = reserve(ids);
    if (st != SL_OK)
        return st;
    size_t i = slot_of(ids, key);
    *before = ids->counts[i];
    if (!ids->keys[i]) {
        ids->keys[i] = key;
        ids->n++;
    }
    ids->counts[i]++;
    return SL_OK;
}

sl_status sl_docids_unique(sl_docids *ids, char **id)
{
    if (!*id)
        return SL_OK;
    uint32_t before = 0;
    sl_status st = count(ids, key_of(*id), &before);
    if (st != SL_OK || before == 0)
        return st;
    /* Seen before: the next free "~N". A guid that itself ends in "~2"
     * is only another id to count. */
    size_t len = strlen(*id) + 12;
    char *renamed = malloc(len);
    if (!renamed)
        return SL_ENOMEM;
    for (uint32_t k = before + 1;; k++) {
        snprintf(renamed, len, "%s~%u", *id, k);
        uint32_t taken = 0;
        if ((st = count(ids, key_of(renamed), &taken)) != SL_OK) {
            free(renamed);
            return st;
        }
        if (taken == 0)
            break;
    }
    free(*id);
    *id = renamed;
    return SL_OK;
}

void sl_docids_clear(sl_docids *ids)
{
    free(ids->keys);
    free(ids->counts);
    memset(ids, 0, sizeof *ids);
}
