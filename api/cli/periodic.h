/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A background thread of `recours serve` that runs a pass, then waits an interval, until
 * stopped: the waiting is on a condition variable (monotonic clock), so a stop wakes it at
 * once, and the pass gets the stop flag to look at between its batches. At its end the
 * thread closes its database connection (db/pool.c), if the pass took one. The risk job and the
 * summary's fold thread (cli/summary_fold_job.c, every second by default) run on it; the erasure
 * and mail jobs have the same loop written out; they can move onto this one. */
#ifndef RECOURS_CLI_PERIODIC_H
#define RECOURS_CLI_PERIODIC_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

typedef void (*periodic_pass_fn)(const atomic_bool *stop, void *ctx);

struct periodic {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    atomic_bool stop;
    bool running;
    int interval_ms;
    periodic_pass_fn pass;
    void *ctx;
};

/* Starts p's thread: pass(ctx) at once, then every interval_ms milliseconds. False when the
 * thread could not be started (p is then not running). */
bool periodic_start(struct periodic *p, int interval_ms, periodic_pass_fn pass, void *ctx);

/* Asks p to stop, wakes it and joins it (a pass in progress finishes first). No-op when p
 * is not running. */
void periodic_stop(struct periodic *p);

#endif
