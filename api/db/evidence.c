/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Evidence statements (see evidence.h). */
#include "db/evidence.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "db/errors.h"
#include "db/exec.h"
#include "db/prepared.h"

#define TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define FILE_COLUMNS                                                                           \
    "SELECT id, public_id::text, data_key_id, name_box, media_type, size_bytes, n_chunks,"     \
    "       encode(sha256, 'hex'), " TS("stored_at") " FROM evidence_files"

static bool
read_file(const PGresult *res, int row, struct arena *a, void *out)
{
    struct evidence_row *f = out;

    memset(f, 0, sizeof *f);
    if (!db_bytea_at(a, res, row, 3, &f->name_box, &f->name_box_len))
        return false;
    f->id = strtoll(PQgetvalue(res, row, 0), NULL, 10);
    f->public_id = arena_strdup(a, PQgetvalue(res, row, 1));
    f->data_key_id = atoi(PQgetvalue(res, row, 2));
    f->media_type = arena_strdup(a, PQgetvalue(res, row, 4));
    f->size = strtoll(PQgetvalue(res, row, 5), NULL, 10);
    f->n_chunks = atoi(PQgetvalue(res, row, 6));
    snprintf(f->sha256, sizeof f->sha256, "%s", PQgetvalue(res, row, 7));
    f->stored_at = arena_strdup(a, PQgetvalue(res, row, 8));
    return strlen(f->sha256) == 64;
}

const struct db_statement db_evidence_statements[] = {
    {"db_evidence_claim_lock",
     "SELECT c.id, c.incident_id, c.status, c.documented_loss > 0 OR c.identity_theft,"
     "       (SELECT count(*) FROM evidence_files f WHERE f.claim_id = c.id)"
     " FROM claims c WHERE c.id = $1::bigint FOR UPDATE OF c",
     1},
    {"db_evidence_insert",
     "INSERT INTO evidence_files (incident_id, claim_id, public_id, data_key_id, name_box)"
     " VALUES ($1::bigint, $2::bigint, $3::uuid, $4::smallint, $5::bytea) RETURNING id",
     5},
    {"db_evidence_chunk_insert",
     "INSERT INTO evidence_chunks (file_id, seq, data_key_id, box)"
     " VALUES ($1::bigint, $2::int, $3::smallint, $4::bytea)",
     4},
    {"db_evidence_store",
     "UPDATE evidence_files SET state = 'stored', media_type = $2, size_bytes = $3::bigint,"
     "       n_chunks = $4::int, sha256 = decode($5, 'hex'), stored_at = now()"
     " WHERE id = $1::bigint AND state = 'uploading'",
     5},
    {"db_evidence_discard",
     "DELETE FROM evidence_files WHERE id = $1::bigint AND state = 'uploading'", 1},
    {"db_evidence_list",
     FILE_COLUMNS " WHERE claim_id = $1::bigint AND state = 'stored'"
     " ORDER BY created_at, id LIMIT $2::int",
     2},
    {"db_evidence_get",
     FILE_COLUMNS " WHERE claim_id = $1::bigint AND public_id = $2::uuid AND state = 'stored'",
     2},
    {"db_evidence_delete",
     "DELETE FROM evidence_files"
     " WHERE claim_id = $1::bigint AND public_id = $2::uuid AND state = 'stored'",
     2},
    {"db_evidence_member_claim",
     "SELECT id FROM claims"
     " WHERE reference = $3 AND member_action_id = $1::uuid"
     "   AND mandate_association_id = $2::uuid",
     3},
    {"db_evidence_chunk",
     "SELECT data_key_id::int4, box FROM evidence_chunks"
     " WHERE file_id = $1::bigint AND seq = $2::int",
     2},
    {"db_evidence_sweep",
     "DELETE FROM evidence_files WHERE id IN ("
     "  SELECT id FROM evidence_files"
     "   WHERE state = 'uploading' AND created_at < now() - make_interval(secs => $1::int)"
     "   ORDER BY created_at LIMIT $2::int FOR UPDATE SKIP LOCKED)",
     2},
    {NULL, NULL, 0},
};

static bool
read_claim(const PGresult *res, int row, struct arena *a, void *out)
{
    struct evidence_claim *e = out;

    e->id = strtoll(PQgetvalue(res, row, 0), NULL, 10);
    e->incident_id = strtoll(PQgetvalue(res, row, 1), NULL, 10);
    e->status = arena_strdup(a, PQgetvalue(res, row, 2));
    e->applicable = PQgetvalue(res, row, 3)[0] == 't';
    e->n_files = atoi(PQgetvalue(res, row, 4));
    return true;
}

int
db_evidence_claim_lock(PGconn *c, int64_t claim_id, struct arena *a, struct evidence_claim *out)
{
    return db_exec_one_id(c, "db_evidence_claim_lock", claim_id, read_claim, a, out);
}

/* A statement whose last parameter is bytes, sent in binary; the rest are text. */
static PGresult *
exec_with_bytes(PGconn *c, const char *stmt, int n, const char *const *params,
                const uint8_t *bytes, size_t len)
{
    const char *values[8];
    int lengths[8] = {0}, formats[8] = {0};

    for (int i = 0; i < n - 1; i++)
        values[i] = params[i];
    values[n - 1] = (const char *)bytes;
    lengths[n - 1] = (int)len;
    formats[n - 1] = 1;
    return db_exec_prepared(c, stmt, n, values, lengths, formats, 0);
}

int
db_evidence_insert(PGconn *c, int64_t incident_id, int64_t claim_id, const char *public_id,
                   int key_id, const uint8_t *name_box, size_t name_box_len, int64_t *id_out)
{
    char inc[24], claim[24], key[8];
    const char *params[4] = {inc, claim, public_id, key};
    int rc;

    db_int64_text(incident_id, inc);
    db_int64_text(claim_id, claim);
    snprintf(key, sizeof key, "%d", key_id);
    PGresult *res = exec_with_bytes(c, "db_evidence_insert", 5, params, name_box, name_box_len);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        rc = db_status_of(res, "db_evidence_insert");
    else if (PQntuples(res) != 1 || !db_read_int64(res, 0, NULL, id_out))
        rc = DB_HARD;
    else
        rc = 1;
    PQclear(res);
    return rc;
}

int
db_evidence_chunk_insert(PGconn *c, int64_t file_id, int seq, int key_id, const uint8_t *box,
                         size_t box_len)
{
    char file[24], seqs[16], key[8];
    const char *params[3] = {file, seqs, key};

    db_int64_text(file_id, file);
    snprintf(seqs, sizeof seqs, "%d", seq);
    snprintf(key, sizeof key, "%d", key_id);
    PGresult *res = exec_with_bytes(c, "db_evidence_chunk_insert", 4, params, box, box_len);
    return db_command_result(res, "db_evidence_chunk_insert");
}

int
db_evidence_store(PGconn *c, int64_t file_id, const char *media_type, int64_t size,
                  int n_chunks, const uint8_t sha256[32])
{
    char file[24], sz[24], chunks[16], hex[65];
    const char *params[5] = {db_int64_text(file_id, file), media_type, db_int64_text(size, sz), chunks, hex};
    snprintf(chunks, sizeof chunks, "%d", n_chunks);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", sha256[i]);
    return db_exec_command(c, "db_evidence_store", 5, params);
}

int
db_evidence_discard(PGconn *c, int64_t file_id)
{
    return db_exec_command_id(c, "db_evidence_discard", file_id);
}

int
db_evidence_list(PGconn *c, int64_t claim_id, int max, struct arena *a, struct evidence_row *out)
{
    char claim[24], lim[16];
    const char *params[2] = {db_int64_text(claim_id, claim), lim};
    snprintf(lim, sizeof lim, "%d", max);
    return db_exec_rows(c, "db_evidence_list", 2, params, read_file, a, out, sizeof *out, max);
}

int
db_evidence_get(PGconn *c, int64_t claim_id, const char *public_id, struct arena *a,
                struct evidence_row *out)
{
    char claim[24];
    const char *params[2] = {db_int64_text(claim_id, claim), public_id};
    return db_exec_one(c, "db_evidence_get", 2, params, read_file, a, out);
}

int
db_evidence_delete(PGconn *c, int64_t claim_id, const char *public_id)
{
    char claim[24];
    const char *params[2] = {db_int64_text(claim_id, claim), public_id};
    return db_exec_command(c, "db_evidence_delete", 2, params);
}

int
db_evidence_member_claim(PGconn *c, const char *action_id, const char *association_id,
                         const char *reference, int64_t *claim_id_out)
{
    const char *params[3] = {action_id, association_id, reference};

    return db_exec_one(c, "db_evidence_member_claim", 3, params, db_read_int64, NULL,
                       claim_id_out);
}

int
db_evidence_chunk(PGconn *c, int64_t file_id, int seq, uint8_t *box_out, size_t max,
                  size_t *len_out, int *key_id_out)
{
    char file[24], seqs[16];
    const char *params[2] = {file, seqs};
    PGresult *res;

    db_int64_text(file_id, file);
    snprintf(seqs, sizeof seqs, "%d", seq);
    /* binary results: the box as raw bytes, the key id as a network-order int4 */
    int rc = db_exec_query(c, "db_evidence_chunk", 2, params, NULL, NULL, 1, &res);
    if (rc != 1)
        goto cleanup;
    size_t len = (size_t)PQgetlength(res, 0, 1);
    if (PQgetlength(res, 0, 0) != 4 || len > max) {
        rc = DB_HARD;
        goto cleanup;
    }
    uint32_t key;
    memcpy(&key, PQgetvalue(res, 0, 0), 4);
    *key_id_out = (int)ntohl(key);
    memcpy(box_out, PQgetvalue(res, 0, 1), len);
    *len_out = len;
cleanup:
    PQclear(res);
    return rc;
}

int
db_evidence_sweep(PGconn *c, int max_age_s, int limit)
{
    char age[16], lim[16];
    const char *params[2] = {age, lim};

    snprintf(age, sizeof age, "%d", max_age_s);
    snprintf(lim, sizeof lim, "%d", limit);
    return db_exec_command(c, "db_evidence_sweep", 2, params);
}
