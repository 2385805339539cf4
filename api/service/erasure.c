/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The erasure pass: batches until none is due. A batch is erased and audited in one
 * transaction, so the chain records every erasure that happened and no other. */
#include "service/erasure.h"

#include <string.h>

#include "core/arena.h"
#include "db/erasure.h"
#include "db/errors.h"
#include "db/idempotency.h"
#include "service/audit.h"
#include "service/tx.h"

#define MAX_RETRIES 3

/* One batch: the claims erased (0: none due), or DB_*. */
static int
erase_batch(PGconn *c, int retention_days)
{
    struct arena *a = arena_new();
    struct erasure_batch b = {0};
    int rc = tx_begin(c, NULL);

    if (rc != 0)
        goto cleanup;
    rc = db_erasure_batch(c, retention_days, ERASURE_BATCH, a, &b);
    if (rc <= 0)
        goto cleanup; /* nothing due (rolled back, nothing written) or a failure */
    /* the chain keeps the erasure without the data: the references (public, not personal)
     * are only digested, and object_id is the erased_at shared by the batch's claims, so an
     * auditor can find them and recompute the digest */
    struct audit_note note = {"system", b.references, strlen(b.references)};
    int arc = svc_audit(c, &note, "claims.erase", "erasure", b.erased_at);
    if (arc != 0) {
        rc = arc;
        goto cleanup;
    }
    int crc = tx_commit(c);
    if (crc != 0)
        rc = crc;
cleanup:
    tx_rollback(c);
    arena_free(a);
    return rc;
}

enum outcome
svc_erasure_run(PGconn *c, int retention_days, const atomic_bool *stop, int64_t *erased_out)
{
    int retries = 0;

    *erased_out = 0;
    while (stop == NULL || !atomic_load(stop)) {
        int rc = erase_batch(c, retention_days);
        if (rc == DB_RETRY && ++retries <= MAX_RETRIES)
            continue; /* deadlock or serialization failure: nothing was written */
        if (rc < 0)
            return tx_outcome_of(c, rc);
        *erased_out += rc;
        if (rc < ERASURE_BATCH)
            break; /* a short batch: nothing was due beyond it (or only locked rows) */
    }
    return OUTCOME_OK;
}

enum outcome
svc_idempotency_expire(PGconn *c, const atomic_bool *stop, int64_t *deleted_out)
{
    *deleted_out = 0;
    while (stop == NULL || !atomic_load(stop)) {
        int rc = db_idem_expire_batch(c, ERASURE_BATCH);
        if (rc < 0)
            return tx_outcome_of(c, rc);
        *deleted_out += rc;
        if (rc < ERASURE_BATCH)
            break;
    }
    return OUTCOME_OK;
}
