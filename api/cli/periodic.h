/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A thread that runs a pass, waits an interval (monotonic clock, on a condition variable so a
 * stop wakes it at once), and again, until stopped; its database connection (db/pool.c) is
 * closed when it ends. The jobs of `recours serve` that run on a timer can share it (the
 * summary's fold thread does: cli/summary_fold_job.c). */
#ifndef RECOURS_CLI_PERIODIC_H
#define RECOURS_CLI_PERIODIC_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

struct periodic {
    int interval_ms;
    void (*pass)(const atomic_bool *stop); /* looks at *stop between its steps */
    /* the thread's own */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    atomic_bool stop;
    bool running;
};

/* Starts p's thread (interval_ms and pass set; after db_pool_init): a first pass at once.
 * False when it could not be started (the caller logs what that means). */
bool periodic_start(struct periodic *p);

/* Asks the thread to stop, wakes it, joins it: at most the end of the current pass's step.
 * No-op when not started. */
void periodic_stop(struct periodic *p);

#endif
