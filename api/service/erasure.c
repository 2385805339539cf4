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
#include "service/evidence.h"
#include "service/tx.h"

struct batch {
    int retention_days;
    bool wait; /* for a due claim another transaction is changing (the command's pass) */
    int erased;
};

/* One batch: commits when it erased claims; none due ends the body without a commit. */
static int
erase_body(PGconn *c, struct tx *t, void *ctx)
{
    struct batch *x = ctx;
    struct arena *a = arena_new();
    struct erasure_batch b = {0};
    int rc = db_erasure_batch(c, x->retention_days, ERASURE_BATCH, x->wait, a, &b);

    x->erased = rc > 0 ? rc : 0;
    if (rc > 0) {
        /* the chain keeps the erasure without the data: the references (public, not
         * personal) are only digested, and object_id is the erased_at shared by the batch's
         * claims, so an auditor can find them and recompute the digest */
        struct audit_note note = {"system", b.references, strlen(b.references)};
        int arc = svc_audit(c, &note, "claims.erase", "erasure", b.erased_at);
        if (arc != 0)
            rc = arc;
    } else if (rc == 0) {
        rc = tx_answer(t, OUTCOME_OK); /* nothing due: nothing to commit */
    }
    arena_free(a);
    return rc;
}

enum outcome
svc_erasure_run(PGconn *c, int retention_days, bool wait, const atomic_bool *stop,
                int64_t *erased_out)
{
    *erased_out = 0;
    while (stop == NULL || !atomic_load(stop)) {
        struct batch x = {retention_days, wait, 0};
        enum outcome o = svc_tx_run(c, "erasure", TX_READ_WRITE, erase_body, &x);
        if (o != OUTCOME_OK)
            return o;
        *erased_out += x.erased;
        if (x.erased < ERASURE_BATCH)
            break; /* a short batch: nothing was due beyond it (or only locked rows) */
    }
    /* an upload a stopped server left unfinished holds a slot of its claim: an hour is far
     * beyond any upload (docs/evidence.md §2) */
    int64_t swept = 0;
    return svc_evidence_sweep(c, EVIDENCE_STALE_UPLOAD_S, &swept);
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
