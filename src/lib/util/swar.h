/*
 * Eight bytes at a time in a 64-bit word ("SIMD within a register"): the
 * tests the whole-file passes use to skip plain runs of bytes without a
 * loop per byte. Each answers whether some byte of the word qualifies,
 * not which one: a caller that gets "yes" looks at those bytes one by one.
 * Portable C; the compiler keeps the word in a register.
 */
#ifndef SL_UTIL_SWAR_H
#define SL_UTIL_SWAR_H

#include <stdint.h>
#include <string.h>

#define SL_SWAR_ONES 0x0101010101010101u
#define SL_SWAR_HIGH 0x8080808080808080u

/* The eight bytes at p, in any alignment. */
static inline uint64_t sl_swar_load(const void *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

/* Nonzero when some byte of w is below n (n at most 0x80): a byte below n
 * borrows, which sets its high bit; a byte of 0x80 or more is masked out
 * by ~w. A borrow only reaches bytes above one that is below n, so the
 * answer is exact, though the bits set may be more than the bytes below. */
static inline uint64_t sl_swar_below(uint64_t w, unsigned n)
{
    return (w - n * SL_SWAR_ONES) & ~w & SL_SWAR_HIGH;
}

/* Nonzero when some byte of w is zero. */
static inline uint64_t sl_swar_zero(uint64_t w)
{
    return sl_swar_below(w, 1);
}

/* Nonzero when some byte of w is b. */
static inline uint64_t sl_swar_has(uint64_t w, unsigned char b)
{
    return sl_swar_zero(w ^ (b * SL_SWAR_ONES));
}

/* Nonzero when some byte of w is 0x80 or more (not ASCII). */
static inline uint64_t sl_swar_high(uint64_t w)
{
    return w & SL_SWAR_HIGH;
}

#if defined(__GNUC__)
/* Sixteen bytes in the vector registers every target of GCC and Clang has
 * (SSE2, NEON), for the same tests sixteen bytes at a time. A comparison
 * gives each byte 0xFF or 0; these say whether all, or any, of them did. */
typedef unsigned char sl_bytes16 __attribute__((vector_size(16)));

static inline sl_bytes16 sl_bytes16_load(const void *p)
{
    sl_bytes16 v;
    memcpy(&v, p, 16);
    return v;
}

static inline int sl_bytes16_all(sl_bytes16 v)
{
    uint64_t lo, hi;
    memcpy(&lo, &v, 8);
    memcpy(&hi, (const unsigned char *)&v + 8, 8);
    return (lo & hi) == UINT64_MAX;
}

static inline int sl_bytes16_any(sl_bytes16 v)
{
    uint64_t lo, hi;
    memcpy(&lo, &v, 8);
    memcpy(&hi, (const unsigned char *)&v + 8, 8);
    return (lo | hi) != 0;
}
#endif

#endif
