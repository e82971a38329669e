/*
 * The loader's threads (see pool.h).
 *
 * Design notes:
 *   - A loop is handed over under the mutex: its description lives on the
 *     caller's stack, and a helper takes a pointer to it, counted in
 *     `users`, only while the pool still offers it. The caller withdraws
 *     it once every item has run and returns when no helper holds it.
 *   - Items are claimed with an atomic counter, so a loop costs one
 *     atomic add per item; the items take tens of microseconds to
 *     milliseconds each.
 *   - Helpers sleep on a condition variable between loops. Waiting for
 *     the next loop without sleeping was measured and dropped: on these
 *     machines a helper spinning on one core (pausing or yielding) slowed
 *     the caller's own serial steps on the other core about threefold.
 *   - Helpers are started off the caller's core (util/thread.h).
 */
#include "util/pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "util/thread.h"

#define POOL_MAX 8

typedef struct pool_loop {
    size_t n;
    sl_pool_fn fn;
    void *arg;
    atomic_size_t next; /* items claimed */
    atomic_size_t done; /* items run */
    atomic_int users;   /* helpers holding the loop */
} pool_loop;

struct sl_pool {
    pthread_t th[POOL_MAX];
    size_t nth;
    pthread_mutex_t mu;
    pthread_cond_t wake; /* a loop offered, or the end */
    pthread_cond_t idle; /* the last item of a loop run, or a helper let go */
    pool_loop *loop;     /* the loop on offer, or NULL; under mu */
    unsigned generation; /* bumped for each loop offered and to stop; under mu */
    int stop;            /* under mu */
};

static void run_items(sl_pool *p, pool_loop *l)
{
    for (;;) {
        size_t i = atomic_fetch_add(&l->next, 1);
        if (i >= l->n)
            return;
        l->fn(l->arg, i);
        if (atomic_fetch_add(&l->done, 1) + 1 == l->n && p) {
            pthread_mutex_lock(&p->mu);
            pthread_cond_broadcast(&p->idle);
            pthread_mutex_unlock(&p->mu);
        }
    }
}

static void *helper(void *arg)
{
    sl_pool *p = arg;
    unsigned seen = 0;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->generation == seen && !p->stop)
            pthread_cond_wait(&p->wake, &p->mu);
        if (p->stop)
            break;
        seen = p->generation;
        pool_loop *l = p->loop;
        if (!l)
            continue;
        atomic_fetch_add(&l->users, 1);
        pthread_mutex_unlock(&p->mu);
        run_items(p, l);
        pthread_mutex_lock(&p->mu);
        if (atomic_fetch_sub(&l->users, 1) == 1)
            pthread_cond_broadcast(&p->idle);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

sl_status sl_pool_new(unsigned helpers, sl_pool **out)
{
    *out = NULL;
    if (helpers == 0)
        return SL_OK;
    sl_pool *p = calloc(1, sizeof *p);
    if (!p)
        return SL_ENOMEM;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->wake, NULL);
    pthread_cond_init(&p->idle, NULL);
    if (helpers > POOL_MAX)
        helpers = POOL_MAX;
    while (p->nth < helpers && sl_thread_start(&p->th[p->nth], helper, p, (unsigned)p->nth) == 0)
        p->nth++;
    if (p->nth == 0) {
        sl_pool_free(p);
        return SL_OK;
    }
    *out = p;
    return SL_OK;
}

void sl_pool_for(sl_pool *p, size_t n, sl_pool_fn fn, void *arg)
{
    pool_loop l;
    l.n = n;
    l.fn = fn;
    l.arg = arg;
    atomic_init(&l.next, 0);
    atomic_init(&l.done, 0);
    atomic_init(&l.users, 0);
    if (!p || n < 2) {
        run_items(NULL, &l);
        return;
    }
    pthread_mutex_lock(&p->mu);
    p->loop = &l;
    p->generation++;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mu);
    run_items(p, &l);
    /* The last items may still be running on helpers; then no helper may
     * keep the loop, which is on this stack. */
    pthread_mutex_lock(&p->mu);
    while (atomic_load(&l.done) < n)
        pthread_cond_wait(&p->idle, &p->mu);
    p->loop = NULL;
    while (atomic_load(&l.users) > 0)
        pthread_cond_wait(&p->idle, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

void sl_pool_free(sl_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->mu);
    for (size_t i = 0; i < p->nth; i++)
        pthread_join(p->th[i], NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->wake);
    pthread_cond_destroy(&p->idle);
    free(p);
}
