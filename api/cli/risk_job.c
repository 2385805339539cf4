/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The risk thread (cli/periodic_job.h). Each pass looks back over the interval and a margin, so
 * the claims committed since the last pass (their created_at is stamped before their batch
 * commits) are all seen; the first looks back over the network window and more, so that a
 * restart loses no claim of the last hour. */
#include "cli/risk_job.h"

#include "cli/periodic_job.h"
#include "core/log.h"
#include "db/pool.h"
#include "service/risk.h"
#include "service/risk_domains.h"

/* seconds added to the interval: a claim stamped before the last pass may commit after it */
#define LOOKBACK_MARGIN_S 120
#define FIRST_LOOKBACK_S (2 * 3600)

static struct periodic_job job;
static int lookback_s;

static void
run_pass(struct periodic_job *j, atomic_bool *stop)
{
    struct risk_pass_result r;
    PGconn *c;

    risk_domains_reload(false);
    c = db_pool_acquire();
    if (c == NULL) {
        log_warn("risk: database not reachable; next pass in %g s", j->interval_ms / 1000.0);
        return; /* the same lookback next time */
    }
    if (svc_risk_pass(c, lookback_s, stop, &r) != OUTCOME_OK) {
        log_warn("risk: pass stopped by a database error; next pass in %g s",
                 j->interval_ms / 1000.0);
    } else {
        lookback_s = (j->interval_ms + 999) / 1000 + LOOKBACK_MARGIN_S;
        if (r.network + r.address + r.email + r.expired > 0)
            log_info("risk: counts of %lld (network) and %lld (address) claims updated, %lld "
                     "email checks, %lld network hashes erased",
                     (long long)r.network, (long long)r.address, (long long)r.email,
                     (long long)r.expired);
    }
    db_pool_after_request();
}

bool
risk_job_start(int interval_ms)
{
    lookback_s = FIRST_LOOKBACK_S;
    if (!periodic_job_start(&job, "risk", interval_ms, run_pass, NULL)) {
        log_error("could not start the risk job: time-based risk flags wait for a restart");
        return false;
    }
    log_info("risk: a pass every %g s", interval_ms / 1000.0);
    return true;
}

void
risk_job_stop(void)
{
    periodic_job_stop(&job);
}
