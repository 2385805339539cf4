/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The background threads' loop (periodic_job.h). */
#include "cli/periodic_job.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "db/pool.h"

/* Waits wait_ms, or less when a stop comes. */
static void
wait_interval(struct periodic_job *j, int wait_ms)
{
    struct timespec until;

    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
    until.tv_sec += wait_ms / 1000 + until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
    pthread_mutex_lock(&j->lock);
    while (!atomic_load(&j->stop)) {
        if (pthread_cond_timedwait(&j->wake, &j->lock, &until) == ETIMEDOUT)
            break;
    }
    pthread_mutex_unlock(&j->lock);
}

static void *
job_main(void *arg)
{
    struct periodic_job *j = arg;

    while (!atomic_load(&j->stop)) {
        j->next_wait_ms = 0;
        j->pass(j, &j->stop);
        bool sooner = j->next_wait_ms > 0 && j->next_wait_ms < j->interval_ms;
        wait_interval(j, sooner ? j->next_wait_ms : j->interval_ms);
    }
    db_pool_close_thread();
    return NULL;
}

bool
periodic_job_start(struct periodic_job *j, const char *name, int interval_ms,
                   periodic_pass_fn pass, void *ctx)
{
    pthread_condattr_t attr;
    int rc;

    *j = (struct periodic_job){.name = name, .interval_ms = interval_ms, .pass = pass, .ctx = ctx};
    atomic_store(&j->stop, false);
    if ((rc = pthread_condattr_init(&attr)) != 0)
        goto fail;
    if ((rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC)) == 0)
        rc = pthread_cond_init(&j->wake, &attr);
    pthread_condattr_destroy(&attr);
    if (rc != 0)
        goto fail;
    if ((rc = pthread_mutex_init(&j->lock, NULL)) != 0) {
        pthread_cond_destroy(&j->wake);
        goto fail;
    }
    if ((rc = pthread_create(&j->thread, NULL, job_main, j)) != 0) {
        pthread_mutex_destroy(&j->lock);
        pthread_cond_destroy(&j->wake);
        goto fail;
    }
    j->running = true;
    return true;
fail:
    log_error("%s: could not start its thread: %s", j->name, strerror(rc));
    return false;
}

void
periodic_job_ask_stop(struct periodic_job *j)
{
    if (!j->running)
        return;
    pthread_mutex_lock(&j->lock);
    atomic_store(&j->stop, true);
    pthread_cond_signal(&j->wake);
    pthread_mutex_unlock(&j->lock);
}

void
periodic_job_stop(struct periodic_job *j)
{
    if (!j->running)
        return;
    periodic_job_ask_stop(j);
    pthread_join(j->thread, NULL);
    pthread_cond_destroy(&j->wake);
    pthread_mutex_destroy(&j->lock);
    j->running = false;
}
