/*
 * Starting a thread where it can run at once. Linux starts a new thread on
 * its creator's core and moves it to an idle one only later: on this
 * project's two-core virtual machines a thread started so ran 0.8 to 1.8
 * ms after pthread_create, against 0.1 ms for one started on the other
 * core. The loader's helpers and the walk of the inputs are started with
 * sl_thread_start. Built into the library and the command line tool both.
 */
#ifndef SL_UTIL_THREAD_H
#define SL_UTIL_THREAD_H

#include <pthread.h>

/* pthread_create(th, NULL, fn, arg), the thread started on the k-th core
 * after the caller's among those the process may use, counting round so
 * that the caller's own comes last (k = 0 is the next core); after that it
 * may use all of them again. A set of threads numbered from 0 so starts
 * spread over the cores. Where cores cannot be chosen (one core, no
 * affinity calls), the same as pthread_create. 0, or pthread_create's
 * error number. */
int sl_thread_start(pthread_t *th, void *(*fn)(void *), void *arg, unsigned k);

#endif
