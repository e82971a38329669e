/*
 * FNV-1a, 64 bits: the one hash behind fingerprints and the sets of ids
 * the library keeps. Not for anything an attacker could aim at a table
 * with: callers use it where a collision costs nothing worse than a
 * renamed id or a shared fingerprint.
 */
#ifndef SL_UTIL_HASH_H
#define SL_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

#define SL_FNV1A_BASIS 14695981039346656037ULL

/* h continued over the n bytes at s (start from SL_FNV1A_BASIS). */
static inline uint64_t sl_fnv1a(uint64_t h, const void *s, size_t n)
{
    const unsigned char *p = s;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

#endif
