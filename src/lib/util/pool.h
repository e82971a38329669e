/*
 * A few threads that run the loader's parallel loops: parsing the packs
 * and finishing the patterns. They are started once per load, at its
 * start and off the caller's core (util/thread.h), so that a loop finds
 * them up rather than waiting for threads of its own to be scheduled.
 */
#ifndef SL_UTIL_POOL_H
#define SL_UTIL_POOL_H

#include <stddef.h>

#include "syndlint/syndlint.h"

typedef struct sl_pool sl_pool;

/* The body of a loop: item i of `arg`. */
typedef void (*sl_pool_fn)(void *arg, size_t i);

/* Starts up to `helpers` threads (at most 8), in *out (owned; free with
 * sl_pool_free). With 0, or when no thread can be started, *out is NULL,
 * which sl_pool_for takes as "run on the caller alone". SL_ENOMEM. */
sl_status sl_pool_new(unsigned helpers, sl_pool **out);

/* Runs fn(arg, i) once for every i < n, on the caller and the pool's
 * threads, each item on one thread; returns when all have run. Items are
 * taken in order, one at a time. `p` may be NULL. One loop at a time per
 * pool. */
void sl_pool_for(sl_pool *p, size_t n, sl_pool_fn fn, void *arg);

/* Stops and joins the threads; NULL is allowed. */
void sl_pool_free(sl_pool *p);

#endif
