/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The one loop of the background threads of `recours serve` (the erasure job, the risk job,
 * the summary's fold thread, the mail senders, the secrets watcher): a pass at start, then one
 * every interval (milliseconds: the fold thread runs every second, the erasure job every hour;
 * a pass may ask for its next one sooner, as the mail senders do when their rate allows a
 * message before the next poll), waiting on a
 * condition variable (monotonic clock) so that a stop wakes the thread at once instead of after
 * its sleep, and the pass gets the stop flag to look at between its batches. */
#ifndef RECOURS_CLI_PERIODIC_JOB_H
#define RECOURS_CLI_PERIODIC_JOB_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

struct periodic_job;

/* One pass; stop is set when the server stops: a long pass looks at it between steps. */
typedef void (*periodic_pass_fn)(struct periodic_job *j, atomic_bool *stop);

struct periodic_job {
    const char *name; /* for the log */
    int interval_ms;
    periodic_pass_fn pass;
    void *ctx; /* the job's own data, for its pass */
    /* Set by a pass that wants the next one sooner than the interval (0: the interval); read
     * and cleared by the loop after the pass. */
    int next_wait_ms;
    /* the loop's own state */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    atomic_bool stop;
    bool running;
};

/* Starts j's thread: pass(j, stop) at once, then every interval_ms; the thread closes its own
 * database connection (db_pool_close_thread), if a pass took one, after its last pass. False,
 * logged with the name, when the thread could not be started (j is then not running). */
bool periodic_job_start(struct periodic_job *j, const char *name, int interval_ms,
                        periodic_pass_fn pass, void *ctx);

/* Asks the thread to stop and wakes it, without waiting: for a set of threads, each asked
 * first, then each joined (periodic_job_stop). No-op when not started. */
void periodic_job_ask_stop(struct periodic_job *j);

/* Asks the thread to stop, wakes it and joins it: it stops after the pass under way (which
 * sees stop set). No-op when not started. */
void periodic_job_stop(struct periodic_job *j);

#endif
