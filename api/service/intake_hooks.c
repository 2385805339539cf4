/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The per-claim writes of the intake's batch transaction (see intake_hooks.h). To add one:
 * write its function (a db/ statement over the batch's arrays) and list it below. */
#include "service/intake_hooks.h"

#include <stddef.h>

#include "service/eligibility.h"

/* In the order they run. */
static const intake_claim_hook hooks[] = {
    eligibility_intake_hook, /* the claim's state against the controller's list (issue 14) */
    NULL, /* end of the list */
};

int
intake_hooks_run(PGconn *c, int shard, struct intake_submission *const *accepted, int n)
{
    for (size_t i = 0; hooks[i] != NULL; i++) {
        int rc = hooks[i](c, shard, accepted, n);
        if (rc != 0)
            return rc;
    }
    return 0;
}
