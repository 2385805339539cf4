/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Export statements (see exports.h). The member page is a keyset read on the index
 * claims_members (member_action_id, reference): each page is one short statement, so an
 * export never holds a transaction, a snapshot or a cursor between pages, and the worker's
 * connection serves other requests in between. */
#include "db/exports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "crypto/hex.h"
#include "db/errors.h"
#include "db/pg_array.h"

#define TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

#define RECORD_COLUMNS                                                                      \
    "id, action_id, association_id, format, separator, rows, bytes, encode(sha256, 'hex')," \
    " status, " TS("created_at") ", " TS("completed_at")

const struct db_statement db_exports_statements[] = {
    {"db_exports_insert",
     "INSERT INTO exports (action_id, association_id, format, separator)"
     " VALUES ($1::uuid, $2::uuid, $3, $4)"
     " RETURNING " RECORD_COLUMNS,
     4},
    {"db_exports_get", "SELECT " RECORD_COLUMNS " FROM exports WHERE id = $1::uuid", 1},
    {"db_exports_finish",
     "UPDATE exports"
     " SET status = $2, rows = $3::bigint, bytes = $4::bigint, sha256 = decode($5, 'hex'),"
     "     completed_at = now()"
     " WHERE id = $1::uuid AND status = 'streaming'",
     5},
    {"db_exports_members",
     "SELECT c.reference, c.data_key_id, encode(c.pii, 'hex'), c.country, c.categories,"
     "       c.phishing, c.identity_theft, c.distress, c.documented_loss, c.hours_spent,"
     "       c.payment_preference, c.status, " TS("c.mandated_at") ","
     "       c.mandate_text_version, c.mandate_channel, " TS("c.created_at") ","
     "       coalesce(ce.state, 'unknown'), array_to_string(ce.matched, '|')"
     " FROM claims c LEFT JOIN claim_eligibility ce ON ce.claim_id = c.id"
     " WHERE c.member_action_id = $1::uuid AND c.reference > $2"
     " ORDER BY c.reference"
     " LIMIT $3::int",
     3},
    {"db_exports_class_cutoff",
     "SELECT c.reference"
     " FROM claims c"
     " JOIN (SELECT DISTINCT *"
     "       FROM unnest($2::int[], $3::bigint[], $4::int[], $5::bool[])"
     "            AS u(categories, documented_loss, hours_spent, cash)) k"
     "   ON c.categories = k.categories"
     "  AND c.documented_loss = k.documented_loss"
     "  AND c.hours_spent = k.hours_spent"
     "  AND (c.payment_preference = 'cash') = k.cash"
     " WHERE c.incident_id = $1::bigint"
     "   AND c.status IN ('received', 'verified')"
     " ORDER BY c.reference"
     " OFFSET $6::bigint - 1"
     " LIMIT 1",
     6},
    {NULL, NULL, 0},
};

static const char *
col(struct arena *a, const PGresult *res, int row, int c)
{
    return PQgetisnull(res, row, c) ? NULL : arena_strdup(a, PQgetvalue(res, row, c));
}

static void
read_record(const PGresult *res, struct arena *a, struct export_record *out)
{
    out->id = col(a, res, 0, 0);
    out->action_id = col(a, res, 0, 1);
    out->association_id = col(a, res, 0, 2);
    out->format = col(a, res, 0, 3);
    out->separator = col(a, res, 0, 4);
    out->rows = strtoll(PQgetvalue(res, 0, 5), NULL, 10);
    out->bytes = strtoll(PQgetvalue(res, 0, 6), NULL, 10);
    out->sha256 = col(a, res, 0, 7);
    out->status = col(a, res, 0, 8);
    out->created_at = col(a, res, 0, 9);
    out->completed_at = col(a, res, 0, 10);
}

/* Runs a statement that returns at most one record. */
static int
one_record(PGconn *c, const char *stmt, int n, const char *const *params, struct arena *a,
           struct export_record *out)
{
    PGresult *res = PQexecPrepared(c, stmt, n, params, NULL, NULL, 0);
    int rc;

    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = db_status_of(res, stmt);
    } else {
        rc = PQntuples(res);
        if (rc == 1)
            read_record(res, a, out);
    }
    PQclear(res);
    return rc;
}

int
db_exports_insert(PGconn *c, const char *action_id, const char *association_id, const char *format,
                  const char *separator, struct arena *a, struct export_record *out)
{
    const char *params[4] = {action_id, association_id, format, separator};
    int rc = one_record(c, "db_exports_insert", 4, params, a, out);

    return rc == 0 ? DB_HARD : rc;
}

int
db_exports_get(PGconn *c, const char *id, struct arena *a, struct export_record *out)
{
    const char *params[1] = {id};

    return one_record(c, "db_exports_get", 1, params, a, out);
}

int
db_exports_finish(PGconn *c, const char *id, const char *status, int64_t rows, int64_t bytes,
                  const char *sha256_hex)
{
    char r[24], b[24];
    const char *params[5] = {id, status, r, b, sha256_hex};

    snprintf(r, sizeof r, "%lld", (long long)rows);
    snprintf(b, sizeof b, "%lld", (long long)bytes);
    PGresult *res = PQexecPrepared(c, "db_exports_finish", 5, params, NULL, NULL, 0);
    int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? atoi(PQcmdTuples(res))
                                                     : db_status_of(res, "db_exports_finish");
    PQclear(res);
    return rc;
}

static bool
read_member(const PGresult *res, int i, struct arena *a, struct export_member *m)
{
    const char *ref = PQgetvalue(res, i, 0);

    if (strlen(ref) >= sizeof m->reference)
        return false;
    memcpy(m->reference, ref, strlen(ref) + 1);
    m->data_key_id = atoi(PQgetvalue(res, i, 1));
    m->pii = NULL;
    m->pii_len = 0;
    if (!PQgetisnull(res, i, 2)) {
        const char *hex = PQgetvalue(res, i, 2);
        m->pii_len = strlen(hex) / 2;
        m->pii = arena_alloc(a, m->pii_len + 1);
        if (!hex_decode(hex, strlen(hex), m->pii, m->pii_len))
            return false;
    }
    m->country = col(a, res, i, 3);
    m->categories = (unsigned int)strtoul(PQgetvalue(res, i, 4), NULL, 10);
    m->phishing = PQgetvalue(res, i, 5)[0] == 't';
    m->identity_theft = PQgetvalue(res, i, 6)[0] == 't';
    m->distress = PQgetvalue(res, i, 7)[0] == 't';
    m->documented_loss = strtoll(PQgetvalue(res, i, 8), NULL, 10);
    m->hours_spent = strtoll(PQgetvalue(res, i, 9), NULL, 10);
    m->payment_preference = col(a, res, i, 10);
    m->status = col(a, res, i, 11);
    m->mandated_at = col(a, res, i, 12);
    m->mandate_text_version = col(a, res, i, 13);
    m->mandate_channel = col(a, res, i, 14);
    m->created_at = col(a, res, i, 15);
    m->eligibility = col(a, res, i, 16);
    m->eligibility_matched = PQgetisnull(res, i, 17) ? "" : col(a, res, i, 17);
    return true;
}

int
db_exports_members(PGconn *c, const char *action_id, const char *after, int limit, struct arena *a,
                   struct export_member *out, int *n_out)
{
    char lim[16];
    const char *params[3] = {action_id, after, lim};
    int rc = DB_HARD;

    *n_out = 0;
    snprintf(lim, sizeof lim, "%d", limit);
    PGresult *res = PQexecPrepared(c, "db_exports_members", 3, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = db_status_of(res, "db_exports_members");
        goto cleanup;
    }
    for (int i = 0; i < PQntuples(res) && i < limit; i++) {
        if (!read_member(res, i, a, &out[i]))
            goto cleanup;
        (*n_out)++;
    }
    rc = *n_out;
cleanup:
    PQclear(res);
    return rc;
}

int
db_exports_class_cutoff(PGconn *c, int64_t incident_id, const struct tally_boundary_key *keys,
                        size_t n_keys, int64_t rank, char *ref_out)
{
    struct pg_array cols[4];
    char inc[24], r[24];
    PGresult *res = NULL;
    int rc = DB_HARD;

    memset(cols, 0, sizeof cols);
    for (size_t i = 0; i < n_keys; i++) {
        pg_array_int(&cols[0], keys[i].categories);
        pg_array_int(&cols[1], keys[i].documented_loss);
        pg_array_int(&cols[2], keys[i].hours_spent);
        pg_array_bool(&cols[3], keys[i].cash);
    }
    snprintf(inc, sizeof inc, "%lld", (long long)incident_id);
    snprintf(r, sizeof r, "%lld", (long long)rank);
    const char *params[6] = {inc,
                             pg_array_finish(&cols[0]),
                             pg_array_finish(&cols[1]),
                             pg_array_finish(&cols[2]),
                             pg_array_finish(&cols[3]),
                             r};
    res = PQexecPrepared(c, "db_exports_class_cutoff", 6, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = db_status_of(res, "db_exports_class_cutoff");
        goto cleanup;
    }
    rc = PQntuples(res);
    if (rc == 1)
        snprintf(ref_out, 16, "%s", PQgetvalue(res, 0, 0));
cleanup:
    for (int i = 0; i < 4; i++)
        pg_array_free(&cols[i]);
    PQclear(res);
    return rc;
}
