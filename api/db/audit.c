/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Audit chain. The canonical text of an event is
 *   seq "|" at (RFC 3339, microseconds, UTC) "|" actor "|" action "|" object_type "|"
 *   object_id "|"
 * and hash = SHA-256(prev_hash || canonical || digest). The insert computes it in SQL; the
 * verifier recomputes it here in C from the stored fields, so a row edited in SQL without
 * recomputing every later hash is caught. */
#include "db/audit.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/hex.h"
#include "crypto/sha256.h"
#include "db/errors.h"

/* "recoursA": the audit chain's lock, distinct from the migrations' */
#define AUDIT_LOCK_KEY "7306924530211677505"

#define AT_TEXT "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

const struct db_statement db_audit_statements[] = {
    {"db_audit_lock", "SELECT pg_advisory_xact_lock(" AUDIT_LOCK_KEY ")", 0},
    {"db_audit_append",
     "WITH head AS (SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1),"
     " next AS (SELECT coalesce((SELECT seq FROM head), 0) + 1 AS seq,"
     "                 coalesce((SELECT hash FROM head), '\\x"
     "0000000000000000000000000000000000000000000000000000000000000000'::bytea) AS prev,"
     "                 date_trunc('microseconds', clock_timestamp()) AS at)"
     " INSERT INTO audit_events"
     "   (seq, at, actor, action, object_type, object_id, digest, prev_hash, hash)"
     " SELECT n.seq, n.at, $1, $2, $3, $4, decode($5, 'hex'), n.prev,"
     "        sha256(n.prev || convert_to(n.seq::text || '|' ||"
     "               to_char(n.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
     "               || '|' || $1 || '|' || $2 || '|' || $3 || '|' || $4 || '|', 'UTF8')"
     "               || decode($5, 'hex'))"
     " FROM next n",
     5},
    {"db_audit_walk",
     "SELECT seq, " AT_TEXT ", actor, action, object_type, object_id,"
     "       encode(digest, 'hex'), encode(prev_hash, 'hex'), encode(hash, 'hex')"
     " FROM audit_events WHERE seq > $1::bigint ORDER BY seq LIMIT 5000",
     1},
    {NULL, NULL, 0},
};

int
db_audit_append(PGconn *c, const struct audit_entry *e)
{
    char digest_hex[65];
    int rc = 1;

    PGresult *res = PQexecPrepared(c, "db_audit_lock", 0, NULL, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = db_status_of(res, "db_audit_lock");
        PQclear(res);
        return rc;
    }
    PQclear(res);
    hex_encode(e->digest, sizeof e->digest, digest_hex);
    const char *params[5] = {e->actor, e->action, e->object_type, e->object_id, digest_hex};
    res = PQexecPrepared(c, "db_audit_append", 5, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = db_status_of(res, "db_audit_append");
    PQclear(res);
    return rc;
}

/* SHA-256(prev || canonical || digest) of one stored row, as hex. */
static bool
recompute(const PGresult *res, int i, const uint8_t prev[32], char out[65])
{
    uint8_t digest[32];
    uint8_t hash[32];
    unsigned int len = 0;
    const char *d = PQgetvalue(res, i, 6);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = false;

    if (ctx == NULL || !hex_decode(d, strlen(d), digest, sizeof digest))
        goto cleanup;
    if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 ||
        EVP_DigestUpdate(ctx, prev, 32) != 1)
        goto cleanup;
    for (int col = 0; col <= 5; col++) {
        const char *v = PQgetvalue(res, i, col);
        if (EVP_DigestUpdate(ctx, v, strlen(v)) != 1 || EVP_DigestUpdate(ctx, "|", 1) != 1)
            goto cleanup;
    }
    if (EVP_DigestUpdate(ctx, digest, sizeof digest) != 1 ||
        EVP_DigestFinal_ex(ctx, hash, &len) != 1 || len != 32)
        goto cleanup;
    hex_encode(hash, sizeof hash, out);
    ok = true;
cleanup:
    EVP_MD_CTX_free(ctx);
    return ok;
}

static void
broken(struct audit_verdict *out, int64_t seq, const char *reason)
{
    out->ok = false;
    out->broken_seq = seq;
    out->reason = reason;
}

/* Checks rows of one batch; false when a broken link was found (recorded in out). */
static bool
check_batch(const PGresult *res, uint8_t prev[32], int64_t *last_seq, struct audit_verdict *out)
{
    for (int i = 0; i < PQntuples(res); i++) {
        int64_t seq = strtoll(PQgetvalue(res, i, 0), NULL, 10);
        char prev_hex[65];
        char computed[65];
        hex_encode(prev, 32, prev_hex);
        if (seq != *last_seq + 1) {
            broken(out, *last_seq + 1, "event missing: the sequence jumps");
            return false;
        }
        if (strcmp(PQgetvalue(res, i, 7), prev_hex) != 0) {
            broken(out, seq, "prev_hash does not match the previous event's hash");
            return false;
        }
        if (!recompute(res, i, prev, computed) || strcmp(computed, PQgetvalue(res, i, 8)) != 0) {
            broken(out, seq, "hash does not match the event's content");
            return false;
        }
        const char *h = PQgetvalue(res, i, 8);
        if (!hex_decode(h, strlen(h), prev, 32)) {
            broken(out, seq, "hash is not 32 bytes");
            return false;
        }
        memcpy(out->head, h, 65);
        *last_seq = seq;
        out->events++;
    }
    return true;
}

int
db_audit_verify(PGconn *c, struct audit_verdict *out)
{
    uint8_t prev[32] = {0};
    int64_t last_seq = 0;
    int rc = 1;

    memset(out, 0, sizeof *out);
    out->ok = true;
    PGresult *res = PQexec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    bool began = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!began)
        rc = db_status_of(res, "db_audit_verify begin");
    PQclear(res);
    while (began) {
        char after[24];
        snprintf(after, sizeof after, "%lld", (long long)last_seq);
        const char *params[1] = {after};
        res = PQexecPrepared(c, "db_audit_walk", 1, params, NULL, NULL, 0);
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            rc = db_status_of(res, "db_audit_walk");
            PQclear(res);
            break;
        }
        int n = PQntuples(res);
        bool go_on = check_batch(res, prev, &last_seq, out) && n > 0;
        PQclear(res);
        if (!go_on)
            break;
    }
    if (began)
        PQclear(PQexec(c, rc == 1 ? "COMMIT" : "ROLLBACK"));
    return rc;
}
