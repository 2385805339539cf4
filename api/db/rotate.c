/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Rotation statements. Sealed bytes travel as hex text both ways. */
#include "db/rotate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "crypto/hex.h"
#include "db/errors.h"
#include "db/exec.h"
#include "db/prepared.h"

const struct db_statement db_rotate_statements[] = {
    {"db_rotate_fetch_claims",
     "SELECT id::text, encode(convert_to(reference, 'UTF8'), 'hex'), data_key_id,"
     "       encode(pii, 'hex')"
     " FROM claims WHERE pii IS NOT NULL AND data_key_id <> $1::smallint"
     " ORDER BY id LIMIT $2::int FOR UPDATE SKIP LOCKED",
     2},
    {"db_rotate_fetch_duplicates",
     "SELECT id::text, encode(convert_to(aad, 'UTF8'), 'hex'), data_key_id, encode(pii, 'hex')"
     " FROM claim_duplicates WHERE pii IS NOT NULL AND data_key_id <> $1::smallint"
     " ORDER BY id LIMIT $2::int FOR UPDATE SKIP LOCKED",
     2},
    {"db_rotate_fetch_idempotency",
     "SELECT encode(scope_hash, 'hex'), encode(scope_hash, 'hex'), data_key_id,"
     "       encode(response, 'hex')"
     " FROM idempotency_keys WHERE data_key_id <> $1::smallint"
     " ORDER BY scope_hash LIMIT $2::int FOR UPDATE SKIP LOCKED",
     2},
    /* evidence: 16 rows of 256 KiB at most per batch, whatever the caller's limit (the batch
     * is held in memory as hex); the associated data is rebuilt from the file's public id */
    {"db_rotate_fetch_evidence_files",
     "SELECT id::text, encode(convert_to('evidence-name/' || public_id::text, 'UTF8'), 'hex'),"
     "       data_key_id, encode(name_box, 'hex')"
     " FROM evidence_files WHERE data_key_id <> $1::smallint"
     " ORDER BY id LIMIT $2::int FOR UPDATE SKIP LOCKED",
     2},
    {"db_rotate_fetch_evidence_chunks",
     "SELECT ch.id::text,"
     "       encode(convert_to('evidence-chunk/' || f.public_id::text || '/' || ch.seq, 'UTF8'),"
     "              'hex'),"
     "       ch.data_key_id, encode(ch.box, 'hex')"
     " FROM evidence_chunks ch JOIN evidence_files f ON f.id = ch.file_id"
     " WHERE ch.data_key_id <> $1::smallint"
     " ORDER BY ch.id LIMIT least($2::int, 16) FOR UPDATE OF ch SKIP LOCKED",
     2},
    /* the old address a queued notice of a changed address carries (0027), its associated
     * data rebuilt from the row and its claim (claims_moved_address_aad); outbox_sealed keeps
     * the search off the outbox's millions of other rows */
    {"db_rotate_fetch_outbox",
     "SELECT o.id::text,"
     "       encode(convert_to('address-changed:' || o.id || ':' || c.reference, 'UTF8'), 'hex'),"
     "       o.sealed_key_id, encode(o.sealed_email, 'hex')"
     " FROM outbox o JOIN claims c ON c.id = o.claim_id"
     " WHERE o.sealed_email IS NOT NULL AND o.sealed_key_id <> $1::smallint"
     " ORDER BY o.id LIMIT $2::int FOR UPDATE OF o SKIP LOCKED",
     2},
    {"db_rotate_store_claims",
     "UPDATE claims SET pii = decode($2, 'hex'), data_key_id = $3::smallint"
     " WHERE id = $1::bigint",
     3},
    {"db_rotate_store_duplicates",
     "UPDATE claim_duplicates SET pii = decode($2, 'hex'), data_key_id = $3::smallint"
     " WHERE id = $1::bigint",
     3},
    {"db_rotate_store_idempotency",
     "UPDATE idempotency_keys SET response = decode($2, 'hex'), data_key_id = $3::smallint"
     " WHERE scope_hash = decode($1, 'hex')",
     3},
    {"db_rotate_store_evidence_files",
     "UPDATE evidence_files SET name_box = decode($2, 'hex'), data_key_id = $3::smallint"
     " WHERE id = $1::bigint",
     3},
    {"db_rotate_store_evidence_chunks",
     "UPDATE evidence_chunks SET box = decode($2, 'hex'), data_key_id = $3::smallint"
     " WHERE id = $1::bigint",
     3},
    {"db_rotate_store_outbox",
     "UPDATE outbox SET sealed_email = decode($2, 'hex'), sealed_key_id = $3::smallint"
     " WHERE id = $1::bigint AND sealed_email IS NOT NULL",
     3},
    {"db_rotate_remaining_outbox",
     "SELECT count(*) FROM outbox WHERE sealed_email IS NOT NULL AND sealed_key_id <> $1::smallint",
     1},
    {"db_rotate_remaining_evidence_files",
     "SELECT count(*) FROM evidence_files WHERE data_key_id <> $1::smallint", 1},
    {"db_rotate_remaining_evidence_chunks",
     "SELECT count(*) FROM evidence_chunks WHERE data_key_id <> $1::smallint", 1},
    {"db_rotate_remaining_claims",
     "SELECT count(*) FROM claims WHERE pii IS NOT NULL AND data_key_id <> $1::smallint", 1},
    {"db_rotate_remaining_duplicates",
     "SELECT count(*) FROM claim_duplicates WHERE pii IS NOT NULL AND data_key_id <> $1::smallint",
     1},
    {"db_rotate_remaining_idempotency",
     "SELECT count(*) FROM idempotency_keys WHERE data_key_id <> $1::smallint", 1},
    {NULL, NULL, 0},
};

static const char *const suffix[] = {"claims", "duplicates", "idempotency", "evidence_files",
                                     "evidence_chunks", "outbox"};
static const char *const table_names[] = {"claims", "claim_duplicates", "idempotency_keys",
                                          "evidence_files", "evidence_chunks", "outbox"};

const char *
db_rotate_table_name(enum sealed_table t)
{
    return table_names[t];
}

static uint8_t *
unhex(struct arena *a, const char *hex, size_t *len_out)
{
    size_t n = strlen(hex) / 2;
    uint8_t *out = arena_alloc(a, n + 1);

    if (!hex_decode(hex, strlen(hex), out, n))
        return NULL;
    *len_out = n;
    return out;
}

int
db_rotate_fetch(PGconn *c, enum sealed_table t, int key_id, int limit, struct arena *a,
                struct sealed_row *out)
{
    char stmt[64], key[8], lim[16];
    int rc;

    snprintf(stmt, sizeof stmt, "db_rotate_fetch_%s", suffix[t]);
    snprintf(key, sizeof key, "%d", key_id);
    snprintf(lim, sizeof lim, "%d", limit);
    const char *params[2] = {key, lim};
    PGresult *res = db_exec_prepared(c, stmt, 2, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = db_status_of(res, stmt);
        goto cleanup;
    }
    rc = PQntuples(res);
    for (int i = 0; i < rc; i++) {
        out[i].id = arena_strdup(a, PQgetvalue(res, i, 0));
        out[i].aad = unhex(a, PQgetvalue(res, i, 1), &out[i].aad_len);
        out[i].data_key_id = atoi(PQgetvalue(res, i, 2));
        out[i].box = unhex(a, PQgetvalue(res, i, 3), &out[i].box_len);
        if (out[i].aad == NULL || out[i].box == NULL) {
            rc = DB_HARD;
            break;
        }
    }
cleanup:
    PQclear(res);
    return rc;
}

int
db_rotate_store(PGconn *c, enum sealed_table t, const char *id, const uint8_t *box,
                size_t box_len, int key_id)
{
    char stmt[64];

    snprintf(stmt, sizeof stmt, "db_rotate_store_%s", suffix[t]);
    return db_exec_store_sealed(c, stmt, id, box, box_len, key_id);
}

int
db_rotate_remaining(PGconn *c, enum sealed_table t, int key_id, int64_t *n_out)
{
    char stmt[64], key[8];
    int rc;

    snprintf(stmt, sizeof stmt, "db_rotate_remaining_%s", suffix[t]);
    snprintf(key, sizeof key, "%d", key_id);
    const char *params[1] = {key};
    PGresult *res = db_exec_prepared(c, stmt, 1, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = db_status_of(res, stmt);
    } else {
        *n_out = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        rc = 1;
    }
    PQclear(res);
    return rc;
}
