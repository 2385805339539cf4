/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Erasure of withdrawn claims' personal data once the retention period has passed (docs/product.md
 * §5.5, docs/api.md §9.7–9.8), run by the server's job (cli/erasure_job.c) and by
 * `recours erase-withdrawn`. */
#ifndef RECOURS_SERVICE_ERASURE_H
#define RECOURS_SERVICE_ERASURE_H

#include <libpq-fe.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/outcome.h"

/* Claims erased per transaction: short lock holds, like the rotation's batches. */
#define ERASURE_BATCH 500

/* Erases every claim withdrawn at least retention_days ago and not erased yet (its evidence
 * files deleted with it, docs/evidence.md §2), batch after batch, each batch its own
 * transaction ending with one audit event (actor "system", action "claims.erase", object "erasure" named by the batch's erased_at, digest over the erased
 * references; never personal data). A due claim another transaction is changing (a claimant's
 * correction, a rotation, another pass) is left to the next pass, or with wait waited for
 * (the one-shot command, which says what it erased; the statement timeout bounds the wait).
 * stop, when not NULL, is looked at between batches.
 * *erased_out counts the claims erased by the batches that committed, also on failure.
 * Then deletes the evidence uploads abandoned by a stopped server (svc_evidence_sweep).
 * OUTCOME_OK, or OUTCOME_UNAVAILABLE / OUTCOME_INTERNAL (the next pass resumes). */
enum outcome svc_erasure_run(PGconn *c, int retention_days, bool wait, const atomic_bool *stop,
                             int64_t *erased_out);

/* Deletes the Idempotency-Key answers past their 24 h (docs/api.md §4.3), batch after batch: they
 * are never replayed again and each keeps a sealed claim token. stop as above; *deleted_out
 * counts what was deleted, also on failure. OUTCOME_OK or the database failure's outcome. */
enum outcome svc_idempotency_expire(PGconn *c, const atomic_bool *stop, int64_t *deleted_out);

#endif
