/*
 * Threads started off their creator's core (see thread.h).
 *
 * The affinity set at creation is only where the thread starts: its first
 * act is to take back the process's whole set, so the scheduler balances
 * it as any other thread from then on.
 */
#ifdef __linux__
#define _GNU_SOURCE /* sched_getcpu, the pthread affinity calls */
#endif
#include "util/thread.h"

#include <sched.h>
#include <stdlib.h>

typedef struct start {
    void *(*fn)(void *);
    void *arg;
#ifdef __linux__
    cpu_set_t cpus; /* the process's */
#endif
} start;

static void *trampoline(void *p)
{
    start s = *(start *)p;
    free(p);
#ifdef __linux__
    pthread_setaffinity_np(pthread_self(), sizeof s.cpus, &s.cpus);
#endif
    return s.fn(s.arg);
}

#ifdef __linux__
/* The k-th of `cpus` after `me`, round, `me` last. */
static int pick(const cpu_set_t *cpus, int me, unsigned k)
{
    int n = CPU_COUNT(cpus);
    unsigned step = k % (unsigned)n;
    int cpu = me;
    for (unsigned i = 0; i <= step; i++)
        do
            cpu = (cpu + 1) % CPU_SETSIZE;
        while (!CPU_ISSET(cpu, cpus));
    return cpu;
}
#endif

int sl_thread_start(pthread_t *th, void *(*fn)(void *), void *arg, unsigned k)
{
#ifdef __linux__
    int me = sched_getcpu();
    start *s = malloc(sizeof *s);
    pthread_attr_t attr;
    if (!s)
        return pthread_create(th, NULL, fn, arg);
    s->fn = fn;
    s->arg = arg;
    if (me < 0 || sched_getaffinity(0, sizeof s->cpus, &s->cpus) != 0 || !CPU_ISSET(me, &s->cpus) ||
        CPU_COUNT(&s->cpus) < 2 || pthread_attr_init(&attr) != 0) {
        free(s);
        return pthread_create(th, NULL, fn, arg);
    }
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(pick(&s->cpus, me, k), &one);
    int rc = pthread_attr_setaffinity_np(&attr, sizeof one, &one);
    rc = rc ? pthread_create(th, NULL, trampoline, s) : pthread_create(th, &attr, trampoline, s);
    pthread_attr_destroy(&attr);
    if (rc != 0)
        free(s);
    return rc;
#else
    (void)k;
    return pthread_create(th, NULL, fn, arg);
#endif
}
