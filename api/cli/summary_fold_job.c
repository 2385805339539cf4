/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The summary's fold thread (summary_fold_job.h), a periodic job (cli/periodic_job.h). */
#include "cli/summary_fold_job.h"

#include <stdint.h>

#include "cli/periodic_job.h"
#include "core/log.h"
#include "db/pool.h"
#include "service/compensation.h"

static struct periodic_job job;

/* Folds slices until one comes back empty (the rest of a stop is left for the next start). */
static void
fold_pass(struct periodic_job *j, atomic_bool *stop)
{
    PGconn *c = db_pool_acquire(); /* the pool logs why it could not connect */
    int64_t folded = 1;

    if (c == NULL)
        return;
    while (folded > 0 && !atomic_load(stop)) {
        if (svc_compensation_fold(c, &folded) != OUTCOME_OK) {
            log_warn("summary fold: stopped by a database error; next pass in %d ms",
                     j->interval_ms);
            break;
        }
    }
    db_pool_after_request();
}

bool
summary_fold_job_start(int interval_ms)
{
    if (periodic_job_start(&job, "summary fold", interval_ms, fold_pass, NULL))
        return true;
    log_error("could not start the summary fold thread: summaries read the unfolded changes "
              "(and fold them past 65,536)");
    return false;
}

void
summary_fold_job_stop(void)
{
    periodic_job_stop(&job);
}
