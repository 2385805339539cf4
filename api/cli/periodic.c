/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See cli/periodic.h. */
#include "cli/periodic.h"

#include <errno.h>
#include <time.h>

#include "db/pool.h"

static void
wait_interval(struct periodic *p)
{
    struct timespec until;

    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_nsec += (long)(p->interval_ms % 1000) * 1000000L;
    until.tv_sec += p->interval_ms / 1000 + until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
    pthread_mutex_lock(&p->lock);
    while (!atomic_load(&p->stop))
        if (pthread_cond_timedwait(&p->wake, &p->lock, &until) == ETIMEDOUT)
            break;
    pthread_mutex_unlock(&p->lock);
}

static void *
periodic_main(void *arg)
{
    struct periodic *p = arg;

    while (!atomic_load(&p->stop)) {
        p->pass(&p->stop, p->ctx);
        wait_interval(p);
    }
    db_pool_close_thread();
    return NULL;
}

bool
periodic_start(struct periodic *p, int interval_ms, periodic_pass_fn pass, void *ctx)
{
    pthread_condattr_t attr;

    p->interval_ms = interval_ms;
    p->pass = pass;
    p->ctx = ctx;
    p->running = false;
    atomic_store(&p->stop, false);
    if (pthread_mutex_init(&p->lock, NULL) != 0)
        return false;
    bool made = pthread_condattr_init(&attr) == 0;
    if (made) {
        made = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
               pthread_cond_init(&p->wake, &attr) == 0;
        pthread_condattr_destroy(&attr);
    }
    p->running = made && pthread_create(&p->thread, NULL, periodic_main, p) == 0;
    if (made && !p->running)
        pthread_cond_destroy(&p->wake);
    if (!p->running)
        pthread_mutex_destroy(&p->lock);
    return p->running;
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
