/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Batch statements of the intake writer. Columns travel as one array parameter each into
 * unnest(), so a batch of any size is one round trip. */
#include "db/claims_batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/exec.h"
#include "db/pg_array.h"

const struct db_statement db_claims_batch_statements[] = {
    {"db_claims_insert_batch",
     "WITH ins AS (INSERT INTO claims"
     " (incident_id, reference, token_hash, email_key, phone_key, identity_key, data_key_id,"
     "  pii, country, categories, phishing, identity_theft, distress, documented_loss,"
     "  hours_spent, payment_preference, privacy_notice_version, created_at, updated_at,"
     "  mandate_action_id, mandate_association_id, mandate_text_version, mandated_at,"
     "  mandate_channel, member_action_id, member_added_at)"
     " SELECT u.incident_id, u.reference, u.token_hash, u.email_key, u.phone_key,"
     "        u.identity_key, u.data_key_id, u.pii, u.country, u.categories, u.phishing,"
     "        u.identity_theft, u.distress, u.documented_loss, u.hours_spent,"
     "        u.payment_preference, u.privacy_notice_version, u.created_at, u.created_at,"
     "        u.action_id, u.association_id, u.mandate_version,"
     "        CASE WHEN u.action_id IS NULL THEN NULL ELSE u.created_at END,"
     "        CASE WHEN u.action_id IS NULL THEN NULL ELSE 'web-form' END,"
     /* a mandate given with the form makes the claim a member at once (0006): a new claim
      * is the person's only live one on the incident, so no other membership can stand in
      * the way */
     "        u.action_id, CASE WHEN u.action_id IS NULL THEN NULL ELSE u.created_at END"
     " FROM unnest($1::bigint[], $2::text[], $3::bytea[], $4::bytea[], $5::bytea[],"
     "             $6::bytea[], $7::smallint[], $8::bytea[], $9::text[], $10::int[],"
     "             $11::bool[], $12::bool[], $13::bool[], $14::bigint[], $15::int[],"
     "             $16::text[], $17::text[], $18::timestamptz[], $19::uuid[], $20::uuid[],"
     "             $21::text[])"
     "   AS u(incident_id, reference, token_hash, email_key, phone_key, identity_key,"
     "        data_key_id, pii, country, categories, phishing, identity_theft, distress,"
     "        documented_loss, hours_spent, payment_preference, privacy_notice_version,"
     "        created_at, action_id, association_id, mandate_version)"
     " ON CONFLICT DO NOTHING"
     " RETURNING reference, id, incident_id, status, payment_preference, country, categories,"
     "           documented_loss, hours_spent),"
     /* the summary tallies move with the claims, in the same statement (0005) */
     " tally AS (INSERT INTO claim_tallies AS t (incident_id, status, payment_preference,"
     "   country, categories, documented_loss, hours_spent, shard, n)"
     " SELECT incident_id, status, payment_preference, country, categories, documented_loss,"
     "        hours_spent, $22::smallint, count(*) FROM ins"
     " GROUP BY incident_id, status, payment_preference, country, categories,"
     "          documented_loss, hours_spent"
     " ON CONFLICT ON CONSTRAINT claim_tallies_pkey DO UPDATE SET n = t.n + excluded.n)"
     " SELECT reference, id FROM ins",
     22},
    {"db_claims_find_matches",
     "SELECT u.i, m.id"
     " FROM unnest($1::bigint[], $2::bytea[], $3::bytea[], $4::bytea[])"
     "      WITH ORDINALITY AS u(incident_id, email_key, phone_key, identity_key, i)"
     " JOIN LATERAL ("
     "   SELECT c.id FROM claims c"
     "   WHERE c.incident_id = u.incident_id"
     "     AND c.status <> 'withdrawn'"
     "     AND (c.email_key = u.email_key OR c.phone_key = u.phone_key"
     "          OR c.identity_key = u.identity_key)"
     "   ORDER BY c.id"
     "   LIMIT 1) m ON true",
     4},
    {"db_claims_insert_duplicates",
     "WITH ins AS (INSERT INTO claim_duplicates (incident_id, claim_id, data_key_id, aad, pii)"
     " SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::smallint[], $4::text[],"
     "                      $5::bytea[])"
     " RETURNING incident_id)"
     " INSERT INTO duplicate_tallies AS t (incident_id, shard, n)"
     " SELECT incident_id, $6::smallint, count(*) FROM ins GROUP BY incident_id"
     " ON CONFLICT ON CONSTRAINT duplicate_tallies_pkey DO UPDATE SET n = t.n + excluded.n",
     6},
    {NULL, NULL, 0},
};

/* Runs a statement whose first n params are the array literals of cols, then shard (the
 * writer's, a sharded tally's) when >= 0; the arrays are freed once it ran. With res, a
 * statement that returns rows (db_exec_query: their count, *res the caller's to clear);
 * without, a command (db_exec_command: the rows it touched). Or DB_*. */
static int
exec_arrays(PGconn *c, const char *stmt, struct pg_array *cols, int n, int shard, PGresult **res)
{
    const char *params[24];
    char shard_text[12];
    int n_params = n;

    pg_array_finish_all(cols, n, params);
    if (shard >= 0) {
        snprintf(shard_text, sizeof shard_text, "%d", shard);
        params[n_params++] = shard_text;
    }
    int rc = res != NULL ? db_exec_query(c, stmt, n_params, params, NULL, NULL, 0, res)
                         : db_exec_command(c, stmt, n_params, params);
    pg_array_free_all(cols, n);
    return rc;
}

static void
add_claim_columns(struct pg_array *col, const struct claim_row *r)
{
    pg_array_int(&col[0], r->incident_id);
    pg_array_text(&col[1], r->reference);
    pg_array_bytea(&col[2], r->token_hash, KEY_LEN);
    pg_array_bytea(&col[3], r->email_key, KEY_LEN);
    pg_array_bytea(&col[4], r->has_phone_key ? r->phone_key : NULL, KEY_LEN);
    pg_array_bytea(&col[5], r->has_identity_key ? r->identity_key : NULL, KEY_LEN);
    pg_array_int(&col[6], r->data_key_id);
    pg_array_bytea(&col[7], r->pii, r->pii_len);
    pg_array_text(&col[8], r->facts.country);
    pg_array_int(&col[9], r->facts.categories);
    pg_array_bool(&col[10], r->facts.phishing);
    pg_array_bool(&col[11], r->facts.identity_theft);
    pg_array_bool(&col[12], r->facts.distress);
    pg_array_int(&col[13], r->facts.documented_loss);
    pg_array_int(&col[14], r->facts.hours_spent);
    pg_array_text(&col[15], r->facts.payment_preference);
    pg_array_text(&col[16], r->privacy_notice_version);
    pg_array_text(&col[17], r->created_at);
    pg_array_text(&col[18], r->mandate_action_id);
    pg_array_text(&col[19], r->mandate_association_id);
    pg_array_text(&col[20], r->mandate_text_version);
}

int
db_claims_insert_batch(PGconn *c, int shard, struct claim_row *rows, int n)
{
    struct pg_array col[21];

    memset(col, 0, sizeof col);
    for (int i = 0; i < n; i++) {
        rows[i].inserted = false;
        add_claim_columns(col, &rows[i]);
    }
    PGresult *res;
    int rc = exec_arrays(c, "db_claims_insert_batch", col, 21, shard, &res);
    /* references are unique within a batch (the writer checks), so a linear match is exact;
     * batches are at most a few hundred rows */
    for (int t = 0; t < rc; t++) {
        const char *ref = PQgetvalue(res, t, 0);
        for (int i = 0; i < n; i++) {
            if (!rows[i].inserted && strcmp(rows[i].reference, ref) == 0) {
                rows[i].inserted = true;
                rows[i].id = strtoll(PQgetvalue(res, t, 1), NULL, 10);
                break;
            }
        }
    }
    PQclear(res);
    return rc;
}

int
db_claims_find_matches(PGconn *c, const struct claim_row *rows, const int *idx, int m,
                       int64_t *match_out)
{
    struct pg_array col[4];

    memset(col, 0, sizeof col);
    for (int k = 0; k < m; k++) {
        const struct claim_row *r = &rows[idx[k]];
        match_out[k] = 0;
        pg_array_int(&col[0], r->incident_id);
        pg_array_bytea(&col[1], r->email_key, KEY_LEN);
        pg_array_bytea(&col[2], r->has_phone_key ? r->phone_key : NULL, KEY_LEN);
        pg_array_bytea(&col[3], r->has_identity_key ? r->identity_key : NULL, KEY_LEN);
    }
    PGresult *res;
    int rc = exec_arrays(c, "db_claims_find_matches", col, 4, -1, &res);
    for (int t = 0; t < rc; t++) {
        long k = strtol(PQgetvalue(res, t, 0), NULL, 10) - 1; /* ORDINALITY counts from 1 */
        if (k >= 0 && k < m)
            match_out[k] = strtoll(PQgetvalue(res, t, 1), NULL, 10);
    }
    PQclear(res);
    return rc;
}

int
db_claims_insert_duplicates(PGconn *c, int shard, const struct duplicate_row *rows, int n)
{
    struct pg_array col[5];

    memset(col, 0, sizeof col);
    for (int i = 0; i < n; i++) {
        pg_array_int(&col[0], rows[i].incident_id);
        pg_array_int(&col[1], rows[i].claim_id);
        pg_array_int(&col[2], rows[i].data_key_id);
        pg_array_text(&col[3], rows[i].aad);
        pg_array_bytea(&col[4], rows[i].pii, rows[i].pii_len);
    }
    int rc = exec_arrays(c, "db_claims_insert_duplicates", col, 5, shard, NULL);

    return rc < 0 ? rc : n;
}
