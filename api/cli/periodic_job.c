/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The background threads' loop (periodic_job.h). */
#include "cli/periodic_job.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "core/log.h"

static void
wait_interval(struct periodic_job *j)
{
    struct timespec until;

    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += j->interval_s;
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
        j->pass(j->ctx, &j->stop);
        wait_interval(j);
    }
    if (j->thread_end != NULL)
        j->thread_end();
    return NULL;
}

bool
periodic_job_start(struct periodic_job *j)
{
    pthread_condattr_t attr;
    int rc;

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
periodic_job_stop(struct periodic_job *j)
{
    if (!j->running)
        return;
    pthread_mutex_lock(&j->lock);
    atomic_store(&j->stop, true);
    pthread_cond_signal(&j->wake);
    pthread_mutex_unlock(&j->lock);
    pthread_join(j->thread, NULL);
    pthread_cond_destroy(&j->wake);
    pthread_mutex_destroy(&j->lock);
    j->running = false;
}
