/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The erasure thread. It waits on a condition variable (monotonic clock) between passes, so a
 * stop wakes it at once; `stop` is also looked at between batches of a long pass. */
#include "cli/erasure_job.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "db/pool.h"
#include "service/erasure.h"

static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake;
static atomic_bool stop;
static bool running;
static int retention_days;
static int interval_s;

static void
run_pass(void)
{
    int64_t erased = 0;
    PGconn *c = db_pool_acquire(); /* the pool logs why it could not connect */

    if (c == NULL) {
        log_warn("erasure: database not reachable; next pass in %d s", interval_s);
        return;
    }
    enum outcome o = svc_erasure_run(c, retention_days, &stop, &erased);
    if (erased > 0)
        log_info("erasure: erased the personal data of %lld withdrawn claims", (long long)erased);
    if (o != OUTCOME_OK)
        log_warn("erasure: pass stopped by a database error; next pass in %d s", interval_s);
    int64_t expired = 0;
    if (o == OUTCOME_OK && svc_idempotency_expire(c, &stop, &expired) != OUTCOME_OK)
        log_warn("erasure: expiry of idempotency answers stopped by a database error");
    if (expired > 0)
        log_info("erasure: deleted %lld idempotency answers older than 24 h", (long long)expired);
    db_pool_after_request(); /* idle, or dropped and reconnected next pass */
}

static void
wait_interval(void)
{
    struct timespec until;

    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += interval_s;
    pthread_mutex_lock(&lock);
    while (!atomic_load(&stop)) {
        if (pthread_cond_timedwait(&wake, &lock, &until) == ETIMEDOUT)
            break;
    }
    pthread_mutex_unlock(&lock);
}

static void *
job_main(void *unused)
{
    (void)unused;
    while (!atomic_load(&stop)) {
        run_pass();
        wait_interval();
    }
    db_pool_close_thread();
    return NULL;
}

bool
erasure_job_start(int days, int every_s)
{
    pthread_condattr_t attr;

    retention_days = days;
    interval_s = every_s;
    atomic_store(&stop, false);
    if (pthread_condattr_init(&attr) != 0)
        goto fail;
    bool made = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
                pthread_cond_init(&wake, &attr) == 0;
    pthread_condattr_destroy(&attr);
    if (!made)
        goto fail;
    running = pthread_create(&thread, NULL, job_main, NULL) == 0;
    if (!running) {
        pthread_cond_destroy(&wake);
        goto fail;
    }
    log_info("erasure: withdrawn claims lose their personal data after %d days; a pass every "
             "%d s",
             retention_days, interval_s);
    return true;
fail:
    log_error("could not start the erasure job: run recours erase-withdrawn instead");
    return false;
}

void
erasure_job_stop(void)
{
    if (!running)
        return;
    pthread_mutex_lock(&lock);
    atomic_store(&stop, true);
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
    pthread_join(thread, NULL);
    pthread_cond_destroy(&wake);
    running = false;
}
