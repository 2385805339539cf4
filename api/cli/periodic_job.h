/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The loop of the background threads of `recours serve` (the erasure job, the mail job, the
 * secrets watcher): a pass at start, then one every interval, waiting on a condition variable
 * (monotonic clock) so that a stop wakes the thread at once instead of after its sleep. */
#ifndef RECOURS_CLI_PERIODIC_JOB_H
#define RECOURS_CLI_PERIODIC_JOB_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

struct periodic_job {
    const char *name; /* for the log */
    int interval_s;
    /* One pass; stop is set when the server stops: a long pass looks at it between steps. */
    void (*pass)(void *ctx, atomic_bool *stop);
    void *ctx;
    /* Run on the thread after its last pass (may be NULL): closing the thread's own database
     * connection (db_pool_close_thread). */
    void (*thread_end)(void);
    /* the loop's own state */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    atomic_bool stop;
    bool running;
};

/* Starts the thread of j (its fields above the loop's state set); false, logged with
 * j->name, when it could not be started. */
bool periodic_job_start(struct periodic_job *j);

/* Asks the thread to stop, wakes it and joins it: it stops after the pass under way (which
 * sees stop set). No-op when not started. */
void periodic_job_stop(struct periodic_job *j);

#endif
