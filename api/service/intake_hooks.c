/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The per-claim writes of the intake's batch transaction (see intake_hooks.h). To add one:
 * write its function (a db/ statement over the batch's arrays) and list it below. */
#include "service/intake_hooks.h"

#include <stddef.h>

#include "db/outbox.h"
#include "service/eligibility.h"
#include "core/clock.h"
#include "service/intake.h"
#include "service/intake_metrics.h"
#include "service/risk.h"

/* The confirmation message of each accepted claim (docs/mail.md): queued in the outbox in
 * the claim's own transaction, so it commits with the claim or not at all, and none goes out
 * for a rolled-back batch. */
static int
queue_confirmations(PGconn *c, int shard, struct intake_submission *const *accepted, int n)
{
    static _Thread_local struct claim_row rows[INTAKE_BATCH_MAX];

    (void)shard;
    for (int i = 0; i < n; i++)
        rows[i] = accepted[i]->row;
    int rc = db_outbox_enqueue_accepted(c, rows, n);
    return rc < 0 ? rc : 0;
}

/* In the order they run, each timed under its own phase in /metrics (intake_metrics.h). */
static const struct {
    intake_claim_hook run;
    enum intake_phase phase;
} hooks[] = {
    /* the claim's state against the controller's list (issue 14) */
    {eligibility_intake_hook, INTAKE_STEP_ELIGIBILITY},
    /* its risk flags for the reviewer (issue 14, docs/risk.md) */
    {risk_intake_hook, INTAKE_STEP_RISK},
    {queue_confirmations, INTAKE_STEP_MAIL},
    {NULL, INTAKE_PHASE_COUNT}, /* end of the list */
};

int
intake_hooks_run(PGconn *c, int shard, struct intake_submission *const *accepted, int n)
{
    for (size_t i = 0; hooks[i].run != NULL; i++) {
        int64_t start = clock_monotonic_ns();
        int rc = hooks[i].run(c, shard, accepted, n);
        intake_metrics_observe(hooks[i].phase, clock_monotonic_ns() - start);
        if (rc != 0)
            return rc;
    }
    return 0;
}
