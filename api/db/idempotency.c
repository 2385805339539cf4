/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* idempotency_keys statements, binary parameters and results for the hashes; the insert takes
 * its rows as one array parameter per column (one round trip for a whole intake batch). */
#include "db/idempotency.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "db/errors.h"
#include "db/pg_array.h"
#include "db/prepared.h"

const struct db_statement db_idempotency_statements[] = {
    {"db_idem_get",
     "SELECT request_hash, status::int4, data_key_id::int4, response, location"
     " FROM idempotency_keys"
     " WHERE scope_hash = $1 AND created_at > now() - interval '24 hours'",
     1},
    {"db_idem_insert_batch",
     "INSERT INTO idempotency_keys AS k"
     " (scope_hash, request_hash, status, data_key_id, response, location)"
     " SELECT * FROM unnest($1::bytea[], $2::bytea[], $3::smallint[], $4::smallint[],"
     "                      $5::bytea[], $6::text[])"
     " ON CONFLICT (scope_hash) DO UPDATE"
     "   SET request_hash = excluded.request_hash, status = excluded.status,"
     "       data_key_id = excluded.data_key_id, response = excluded.response,"
     "       location = excluded.location, created_at = now()"
     "   WHERE k.created_at < now() - interval '24 hours'"
     " RETURNING scope_hash",
     6},
    /* past the 24 h of docs/api.md §4.3 an answer is never replayed again: it only keeps a sealed
     * claim token; idempotency_keys_created serves the search */
    {"db_idem_expire_batch",
     "DELETE FROM idempotency_keys WHERE scope_hash IN ("
     "  SELECT scope_hash FROM idempotency_keys"
     "   WHERE created_at <= now() - interval '24 hours'"
     "   LIMIT $1::int FOR UPDATE SKIP LOCKED)",
     1},
    /* a session lock on the scope while its first request runs: a second one with the same
     * key meanwhile answers 409 idempotency-key-in-use rather than writing twice */
    {"db_idem_try_lock", "SELECT pg_try_advisory_lock($1::bigint)", 1},
    {"db_idem_unlock", "SELECT pg_advisory_unlock($1::bigint)", 1},
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

    PGresult *res = db_exec_prepared(c, "db_idem_get", 1, params, lengths, formats, 1);
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
db_idem_insert_batch(PGconn *c, struct idem_row *rows, int n)
{
    struct pg_array col[6];
    const char *params[6];
    PGresult *res = NULL;
    int rc;

    memset(col, 0, sizeof col);
    for (int i = 0; i < n; i++) {
        rows[i].inserted = false;
        pg_array_bytea(&col[0], rows[i].scope_hash, IDEM_HASH_LEN);
        pg_array_bytea(&col[1], rows[i].request_hash, IDEM_HASH_LEN);
        pg_array_int(&col[2], rows[i].status);
        pg_array_int(&col[3], rows[i].data_key_id);
        pg_array_bytea(&col[4], rows[i].response, rows[i].response_len);
        pg_array_text(&col[5], rows[i].location);
    }
    for (int i = 0; i < 6; i++)
        params[i] = pg_array_finish(&col[i]);
    res = db_exec_prepared(c, "db_idem_insert_batch", 6, params, NULL, NULL, 1);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = db_status_of(res, "db_idem_insert_batch");
        goto cleanup;
    }
    rc = PQntuples(res);
    for (int t = 0; t < rc; t++) {
        if (PQgetlength(res, t, 0) != IDEM_HASH_LEN)
            continue;
        const char *scope = PQgetvalue(res, t, 0); /* binary result: raw bytes */
        for (int i = 0; i < n; i++)
            if (!rows[i].inserted && memcmp(rows[i].scope_hash, scope, IDEM_HASH_LEN) == 0)
                rows[i].inserted = true;
    }
cleanup:
    PQclear(res);
    for (int i = 0; i < 6; i++)
        pg_array_free(&col[i]);
    return rc;
}

/* The advisory lock key of a scope: its first 8 bytes (a keyed hash: uniform enough). */
static void
lock_key(const uint8_t scope_hash[32], char out[24])
{
    uint64_t k = 0;

    for (int i = 0; i < 8; i++)
        k = k << 8 | scope_hash[i];
    snprintf(out, 24, "%" PRId64, (int64_t)k);
}

static int
lock_query(PGconn *c, const char *stmt, const uint8_t scope_hash[32])
{
    char key[24];
    const char *params[1] = {key};
    int rc;

    lock_key(scope_hash, key);
    PGresult *res = db_exec_prepared(c, stmt, 1, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
        rc = db_status_of(res, stmt);
    else
        rc = strcmp(PQgetvalue(res, 0, 0), "t") == 0 ? 1 : 0;
    PQclear(res);
    return rc;
}

int
db_idem_try_lock(PGconn *c, const uint8_t scope_hash[32])
{
    return lock_query(c, "db_idem_try_lock", scope_hash);
}

int
db_idem_unlock(PGconn *c, const uint8_t scope_hash[32])
{
    return lock_query(c, "db_idem_unlock", scope_hash);
}

int
db_idem_expire_batch(PGconn *c, int limit)
{
    char lim[16];
    const char *params[1] = {lim};
    int rc;

    snprintf(lim, sizeof lim, "%d", limit);
    PGresult *res = db_exec_prepared(c, "db_idem_expire_batch", 1, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = db_status_of(res, "db_idem_expire_batch");
    else
        rc = atoi(PQcmdTuples(res));
    PQclear(res);
    return rc;
}
