/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* idempotency_keys lookups, binary parameters and results for the hashes. */
#include "db/idempotency.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "db/errors.h"

const struct db_statement db_idempotency_statements[] = {
    {"db_idem_get",
     "SELECT request_hash, status::int4, data_key_id::int4, response, location"
     " FROM idempotency_keys"
     " WHERE scope_hash = $1 AND created_at > now() - interval '24 hours'",
     1},
    /* past the 24 h of API.md §1 an answer is never replayed again: it only keeps a sealed
     * claim token; idempotency_keys_created serves the search */
    {"db_idem_expire_batch",
     "DELETE FROM idempotency_keys WHERE scope_hash IN ("
     "  SELECT scope_hash FROM idempotency_keys"
     "   WHERE created_at <= now() - interval '24 hours'"
     "   LIMIT $1::int FOR UPDATE SKIP LOCKED)",
     1},
    {NULL, NULL, 0},
};

static int
int4_at(const PGresult *res, int col)
{
    const unsigned char *p = (const unsigned char *)PQgetvalue(res, 0, col);

    return (int)((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]);
}

int
db_idem_get(PGconn *c, const uint8_t scope_hash[32], struct arena *a, struct idem_record *out)
{
    const char *params[1] = {(const char *)scope_hash};
    int lengths[1] = {32};
    int formats[1] = {1};
    int rc;

    PGresult *res = PQexecPrepared(c, "db_idem_get", 1, params, lengths, formats, 1);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = db_status_of(res, "db_idem_get");
        goto cleanup;
    }
    rc = PQntuples(res);
    if (rc != 1)
        goto cleanup;
    if (PQgetlength(res, 0, 0) != 32 || PQgetlength(res, 0, 1) != 4 ||
        PQgetlength(res, 0, 2) != 4) {
        rc = DB_HARD;
        goto cleanup;
    }
    memcpy(out->request_hash, PQgetvalue(res, 0, 0), 32);
    out->status = int4_at(res, 1);
    out->data_key_id = int4_at(res, 2);
    out->response_len = (size_t)PQgetlength(res, 0, 3);
    out->response = arena_alloc(a, out->response_len + 1);
    memcpy(out->response, PQgetvalue(res, 0, 3), out->response_len);
    out->location = PQgetisnull(res, 0, 4) ? NULL : arena_strdup(a, PQgetvalue(res, 0, 4));
cleanup:
    PQclear(res);
    return rc;
}

int
db_idem_expire_batch(PGconn *c, int limit)
{
    char lim[16];
    const char *params[1] = {lim};
    int rc;

    snprintf(lim, sizeof lim, "%d", limit);
    PGresult *res = PQexecPrepared(c, "db_idem_expire_batch", 1, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = db_status_of(res, "db_idem_expire_batch");
    else
        rc = atoi(PQcmdTuples(res));
    PQclear(res);
    return rc;
}
