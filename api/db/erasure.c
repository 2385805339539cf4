/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The erasure statements: find, lock and erase one batch in a single round trip. */
#include "db/erasure.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/arena.h"
#include "db/errors.h"
#include "db/prepared.h"

/* One batch: the due claims (claims_erasure_due, 0008, serves the search), oldest withdrawal
 * first, locked by `lock`, then everything that goes with their personal data. The lock is FOR
 * NO KEY UPDATE, the lock the UPDATE itself takes (no key of a claim changes): a transaction
 * writing a row that points at the claim (a mail thread storing a confirmation link, a review's
 * history row) holds a KEY SHARE lock on it until it ends, which FOR UPDATE waits for, or
 * skips, and FOR NO KEY UPDATE does not. */
#define ERASURE_BATCH_SQL(lock)                                                               \
    "WITH due AS ("                                                                           \
    "  SELECT id FROM claims"                                                                 \
    "   WHERE status = 'withdrawn' AND erased_at IS NULL"                                     \
    "     AND withdrawn_at <= now() - make_interval(days => $1::int)"                         \
    "   ORDER BY withdrawn_at"                                                                \
    "   LIMIT $2::int"                                                                        \
    "   " lock "),"                                                                           \
    " dups AS ("                                                                              \
    "  UPDATE claim_duplicates d SET pii = NULL"                                              \
    "    FROM due"                                                                            \
    "   WHERE d.claim_id = due.id AND d.pii IS NOT NULL"                                      \
    "  RETURNING d.id),"                                                                      \
    /* the claim's evidence files go with its personal data (their chunks cascade) */         \
    " evidence AS ("                                                                          \
    "  DELETE FROM evidence_files f USING due WHERE f.claim_id = due.id RETURNING f.id),"     \
    /* a notice of a changed address still queued carries the former address (0027): failed,  \
     * its box wiped, never sent (outbox_claim_notice leads with claim_id) */                 \
    " moved AS ("                                                                             \
    "  UPDATE outbox o SET state = 'failed', sealed_email = NULL, sealed_key_id = NULL,"      \
    "         last_error = 'the claim''s personal data is erased', updated_at = now()"        \
    "    FROM due"                                                                            \
    "   WHERE o.claim_id = due.id AND o.kind = 'address-changed' AND o.state = 'queued'"      \
    "  RETURNING o.id),"                                                                      \
    " erased AS ("                                                                            \
    "  UPDATE claims c"                                                                       \
    "     SET pii = NULL, email_key = NULL, phone_key = NULL, identity_key = NULL,"           \
    "         status_reason = NULL, erased_at = now(), updated_at = now()"                    \
    "    FROM due"                                                                            \
    "   WHERE c.id = due.id"                                                                  \
    "  RETURNING c.reference)"                                                                \
    " SELECT (SELECT count(*) FROM erased), (SELECT count(*) FROM dups),"                     \
    "        to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"         \
    "        coalesce((SELECT string_agg(reference, E'\\n' ORDER BY reference) FROM erased)," \
    "                 '')"

const struct db_statement db_erasure_statements[] = {
    /* the server's pass: a claim another server, a rotation or the claimant is changing is
     * left for the next batch or pass */
    {"db_erasure_batch", ERASURE_BATCH_SQL("FOR NO KEY UPDATE SKIP LOCKED"), 2},
    /* recours erase-withdrawn: one pass that says what it erased, so it waits for such a
     * claim (a claimant's transaction is short; the statement timeout bounds the wait) */
    {"db_erasure_batch_wait", ERASURE_BATCH_SQL("FOR NO KEY UPDATE"), 2},
    {NULL, NULL, 0},
};

int
db_erasure_batch(PGconn *c, int retention_days, int limit, bool wait, struct arena *a,
                 struct erasure_batch *out)
{
    char days[16], lim[16];
    const char *params[2] = {days, lim};
    PGresult *res = NULL;
    int rc = DB_HARD;

    snprintf(days, sizeof days, "%d", retention_days);
    snprintf(lim, sizeof lim, "%d", limit);
    res = db_exec_prepared(c, wait ? "db_erasure_batch_wait" : "db_erasure_batch", 2, params, NULL,
                           NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = db_status_of(res, "db_erasure_batch");
        goto cleanup;
    }
    if (PQntuples(res) != 1 || PQnfields(res) != 4)
        goto cleanup;
    out->claims = atoi(PQgetvalue(res, 0, 0));
    out->duplicates = atoi(PQgetvalue(res, 0, 1));
    out->erased_at = arena_strdup(a, PQgetvalue(res, 0, 2));
    out->references = arena_strdup(a, PQgetvalue(res, 0, 3));
    rc = out->claims;
cleanup:
    PQclear(res);
    return rc;
}
