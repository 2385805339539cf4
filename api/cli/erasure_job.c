/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The erasure thread: a periodic job (cli/periodic_job.h); `stop` is also looked at between
 * batches of a long pass. */
#include "cli/erasure_job.h"

#include <stdint.h>

#include "cli/periodic_job.h"
#include "core/log.h"
#include "db/pool.h"
#include "service/erasure.h"

static struct periodic_job job;
static int retention_days;

static void
run_pass(struct periodic_job *j, atomic_bool *stop)
{
    int64_t erased = 0;
    PGconn *c = db_pool_acquire(); /* the pool logs why it could not connect */

    if (c == NULL) {
        log_warn("erasure: database not reachable; next pass in %g s", j->interval_ms / 1000.0);
        return;
    }
    enum outcome o = svc_erasure_run(c, retention_days, false, stop, &erased);
    if (erased > 0)
        log_info("erasure: erased the personal data of %lld withdrawn claims", (long long)erased);
    if (o != OUTCOME_OK)
        log_warn("erasure: pass stopped by a database error; next pass in %g s",
                 j->interval_ms / 1000.0);
    int64_t expired = 0;
    if (o == OUTCOME_OK && svc_idempotency_expire(c, stop, &expired) != OUTCOME_OK)
        log_warn("erasure: expiry of idempotency answers stopped by a database error");
    if (expired > 0)
        log_info("erasure: deleted %lld idempotency answers older than 24 h", (long long)expired);
    db_pool_after_request(); /* idle, or dropped and reconnected next pass */
}

bool
erasure_job_start(int days, int every_ms)
{
    retention_days = days;
    if (!periodic_job_start(&job, "erasure", every_ms, run_pass, NULL)) {
        log_error("could not start the erasure job: run recours erase-withdrawn instead");
        return false;
    }
    log_info("erasure: withdrawn claims lose their personal data after %d days; a pass every "
             "%g s",
             retention_days, every_ms / 1000.0);
    return true;
}

void
erasure_job_stop(void)
{
    periodic_job_stop(&job);
}
