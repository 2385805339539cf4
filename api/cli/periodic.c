/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The periodic thread (periodic.h). */
#include "cli/periodic.h"

#include <errno.h>
#include <time.h>

#include "db/pool.h"

/* Waits interval_ms from now, or less when stopped. */
static void
wait_interval(struct periodic *p)
{
    struct timespec until;

    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_nsec += (long)p->interval_ms % 1000 * 1000000L;
    until.tv_sec += p->interval_ms / 1000 + until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
    pthread_mutex_lock(&p->lock);
    while (!atomic_load(&p->stop) && pthread_cond_timedwait(&p->wake, &p->lock, &until) == 0)
        ;
    pthread_mutex_unlock(&p->lock);
}

static void *
periodic_main(void *arg)
{
    struct periodic *p = arg;

    while (!atomic_load(&p->stop)) {
        p->pass(&p->stop);
        wait_interval(p);
    }
    db_pool_close_thread();
    return NULL;
}

bool
periodic_start(struct periodic *p)
{
    pthread_condattr_t attr;

    atomic_store(&p->stop, false);
    if (pthread_mutex_init(&p->lock, NULL) != 0)
        return false;
    if (pthread_condattr_init(&attr) != 0)
        goto fail_lock;
    bool made = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
                pthread_cond_init(&p->wake, &attr) == 0;
    pthread_condattr_destroy(&attr);
    if (!made)
        goto fail_lock;
    p->running = pthread_create(&p->thread, NULL, periodic_main, p) == 0;
    if (p->running)
        return true;
    pthread_cond_destroy(&p->wake);
fail_lock:
    pthread_mutex_destroy(&p->lock);
    return false;
}

void
periodic_stop(struct periodic *p)
{
    if (!p->running)
        return;
    pthread_mutex_lock(&p->lock);
    atomic_store(&p->stop, true);
    pthread_cond_signal(&p->wake);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->thread, NULL);
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->lock);
    p->running = false;
}
