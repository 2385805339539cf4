/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* More writes in the intake's batch transaction, per accepted claim (docs/architecture.md §5):
 * the place to add, say, the outbox row of a claim's confirmation message, so that it commits
 * with the claim or not at all. */
#ifndef RECOURS_SERVICE_INTAKE_HOOKS_H
#define RECOURS_SERVICE_INTAKE_HOOKS_H

#include <libpq-fe.h>

#include "service/intake.h"

/* One more write for the accepted submissions of a batch: accepted[0..n), n >= 1, each with
 * its claim inserted (row.id, row.reference set) and its receipt not yet sent; shard is the
 * writer's number (for sharded counters). Runs inside the batch transaction, after the claims
 * and the refused submissions, before the Idempotency-Key answers; returns 0 or a DB_* status
 * (db/errors.h), which fails the attempt like any write of the batch (DB_RETRY runs the whole
 * batch again: a hook must write nothing outside the database). One statement for the whole
 * batch (arrays, as db/claims_batch.c) keeps group commit's throughput. */
typedef int (*intake_claim_hook)(PGconn *c, int shard,
                                 struct intake_submission *const *accepted, int n);

/* Runs every hook of intake_hooks.c in order; 0 or the first failure. */
int intake_hooks_run(PGconn *c, int shard, struct intake_submission *const *accepted, int n);

#endif
