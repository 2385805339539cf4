/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Single-claim statements. Hashes and sealed data travel as binary parameters and results. */
#include "db/claims.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "crypto/hex.h"
#include "crypto/sha256.h"
#include "db/errors.h"
#include "db/exec.h"
#include "domain/vocab.h"

#define CLAIM_FROM                                                                             \
    "SELECT c.id, c.incident_id, i.slug, array_to_string(i.data_categories, ','), i.status,"  \
    "       c.reference, encode(c.token_hash, 'hex'), c.status, c.status_reason,"            \
    "       c.data_key_id, c.pii, c.categories, c.phishing,"                                       \
    "       c.identity_theft, c.distress, c.documented_loss, c.hours_spent,"                 \
    "       c.payment_preference, c.privacy_notice_version, " DB_TS("c.created_at") ","      \
    "       " DB_TS("c.updated_at") ", " DB_TS("c.withdrawn_at") ", c.mandate_action_id,"    \
    "       c.mandate_association_id, c.mandate_text_version, " DB_TS("c.mandated_at") ","   \
    "       c.mandate_channel, c.member_action_id, " DB_TS("c.reviewed_at") ","              \
    "       (SELECT count(*) FROM claim_duplicates d WHERE d.claim_id = c.id), c.country,"    \
    "       ce.state, array_to_string(ce.matched, ','),"                                      \
    "       CASE WHEN c.status = 'rejected' THEN c.review_reason END,"                        \
    "       CASE WHEN c.status = 'rejected' THEN " DB_TS("c.correctable_until") " ELSE NULL END" \
    " FROM claims c JOIN incidents i ON i.id = c.incident_id"                                  \
    " LEFT JOIN claim_eligibility ce ON ce.claim_id = c.id" /* issue 14 */
#define CLAIM_SELECT CLAIM_FROM " WHERE c.reference = $1"

const struct db_statement db_claims_statements[] = {
    {"db_claims_get", CLAIM_SELECT, 1},
    {"db_claims_list_mandated",
     CLAIM_FROM
     " WHERE i.slug = $1 AND c.mandate_association_id = $2::uuid"
     "   AND c.status <> 'withdrawn'"
     "   AND ($3::text IS NULL OR c.status = $3)"
     "   AND ($4::int IS NULL OR c.categories & (1 << $4::int) <> 0)"
     "   AND ($5::text IS NULL OR c.country = $5)"
     "   AND ($6::timestamptz IS NULL OR c.created_at >= $6::timestamptz)"
     "   AND ($7::timestamptz IS NULL OR (c.created_at, c.id) > ($7::timestamptz, $8::bigint))"
     " ORDER BY c.created_at, c.id LIMIT $9::int",
     9},
    {"db_claims_get_for_update", CLAIM_SELECT " FOR UPDATE OF c", 1},
    {"db_claims_correct",
     /* a new address is not confirmed (on the right, email_key is the old one) */
     "UPDATE claims"
     " SET pii = decode($2, 'hex'), data_key_id = $3::smallint,"
     "     email_verified_at = CASE WHEN email_key = decode($4, 'hex')"
     "                              THEN email_verified_at END,"
     "     email_key = decode($4, 'hex'), phone_key = decode($5, 'hex'),"
     "     identity_key = decode($6, 'hex'), country = $7, categories = $8::int,"
     "     phishing = $9::bool, identity_theft = $10::bool, distress = $11::bool,"
     "     documented_loss = $12::bigint, hours_spent = $13::int,"
     "     payment_preference = $14, updated_at = now()"
     " WHERE id = $1::bigint AND status <> 'withdrawn'",
     14},
    {"db_claims_withdraw",
     /* a withdrawn claim leaves its action (claims_member_live) */
     "UPDATE claims"
     " SET status = 'withdrawn', withdrawn_at = now(), updated_at = now(),"
     "     member_action_id = NULL, member_added_at = NULL"
     " WHERE id = $1::bigint AND status <> 'withdrawn'",
     1},
    {"db_claims_mandate",
     /* the claimant's own mandate makes the claim a member at once */
     "UPDATE claims SET mandate_action_id = $2::uuid,"
     "   mandate_association_id = $3::uuid, mandate_text_version = $4, mandated_at = now(),"
     "   mandate_channel = 'api', member_action_id = $2::uuid, member_added_at = now(),"
     "   updated_at = now()"
     " WHERE id = $1::bigint",
     4},
    {"db_claims_renew_mandate",
     /* the same action's mandate given again under the text now in force: recorded, the
      * membership (member_added_at) unchanged */
     "UPDATE claims SET mandate_text_version = $2, mandated_at = now(), mandate_channel = 'api',"
     "   updated_at = now()"
     " WHERE id = $1::bigint AND mandate_action_id IS NOT NULL",
     2},
    {"db_claims_revoke_mandate",
     /* without a mandate the claim leaves its action (claims_member_mandated) */
     "UPDATE claims SET mandate_action_id = NULL, mandate_association_id = NULL,"
     "   mandate_text_version = NULL, mandated_at = NULL, mandate_channel = NULL,"
     "   member_action_id = NULL, member_added_at = NULL,"
     "   updated_at = now()"
     " WHERE id = $1::bigint",
     1},
    {NULL, NULL, 0},
};

static bool
read_record(const PGresult *res, int row, struct arena *a, struct claim_record *out)
{
    const char *token_hex = PQgetvalue(res, row, 6);

    out->id = db_int64_at(res, row, 0);
    out->incident_id = db_int64_at(res, row, 1);
    out->incident_slug = db_text_at(a, res, row, 2);
    out->incident_categories = categories_from_csv(PQgetvalue(res, row, 3));
    out->incident_status = db_text_at(a, res, row, 4);
    snprintf(out->reference, sizeof out->reference, "%s", PQgetvalue(res, row, 5));
    if (!hex_decode(token_hex, strlen(token_hex), out->token_hash, KEY_LEN))
        return false;
    out->status = db_text_at(a, res, row, 7);
    out->status_reason = db_text_at(a, res, row, 8);
    out->data_key_id = atoi(PQgetvalue(res, row, 9));
    if (!db_bytea_at(a, res, row, 10, &out->pii, &out->pii_len))
        return false;
    out->facts.categories = (unsigned int)strtoul(PQgetvalue(res, row, 11), NULL, 10);
    out->facts.phishing = db_bool_at(res, row, 12);
    out->facts.identity_theft = db_bool_at(res, row, 13);
    out->facts.distress = db_bool_at(res, row, 14);
    out->facts.documented_loss = db_int64_at(res, row, 15);
    out->facts.hours_spent = db_int64_at(res, row, 16);
    out->facts.payment_preference = db_text_at(a, res, row, 17);
    out->privacy_notice_version = db_text_at(a, res, row, 18);
    out->created_at = db_text_at(a, res, row, 19);
    out->updated_at = db_text_at(a, res, row, 20);
    out->withdrawn_at = db_text_at(a, res, row, 21);
    out->mandate_action_id = db_text_at(a, res, row, 22);
    out->mandate_association_id = db_text_at(a, res, row, 23);
    out->mandate_text_version = db_text_at(a, res, row, 24);
    out->mandated_at = db_text_at(a, res, row, 25);
    out->mandate_channel = db_text_at(a, res, row, 26);
    out->member_of = db_text_at(a, res, row, 27);
    out->reviewed_at = db_text_at(a, res, row, 28);
    out->duplicate_attempts = db_int64_at(res, row, 29);
    snprintf(out->facts.country, sizeof out->facts.country, "%s", PQgetvalue(res, row, 30));
    /* a claim from before the eligibility migration has no row: unknown, nothing matched */
    out->eligibility_state =
        PQgetisnull(res, row, 31) ? "unknown" : arena_strdup(a, PQgetvalue(res, row, 31));
    out->eligibility_matched =
        PQgetisnull(res, row, 32) ? "" : arena_strdup(a, PQgetvalue(res, row, 32));
    out->review_reason = db_text_at(a, res, row, 33);
    out->correctable_until = db_text_at(a, res, row, 34);
    return true;
}

/* read_record as a db_row_reader (db/exec.h). */
static bool
read_one_record(const PGresult *res, int row, struct arena *a, void *out)
{
    return read_record(res, row, a, out);
}

int
db_claims_get(PGconn *c, const char *reference, bool for_update, struct arena *a,
              struct claim_record *out)
{
    const char *params[1] = {reference};
    const char *stmt = for_update ? "db_claims_get_for_update" : "db_claims_get";

    return db_exec_one(c, stmt, 1, params, read_one_record, a, out);
}

static char *
hex_of(const uint8_t *b, size_t n)
{
    char *out = malloc(2 * n + 1);

    if (out != NULL)
        hex_encode(b, n, out);
    return out;
}

int
db_claims_correct(PGconn *c, int64_t id, const struct claim_row *row)
{
    char idbuf[24], key_id[8], cats[16], loss[24], hours[24];
    char *pii = hex_of(row->pii, row->pii_len);
    char *email = hex_of(row->email_key, KEY_LEN);
    char *phone = row->has_phone_key ? hex_of(row->phone_key, KEY_LEN) : NULL;
    char *identity = row->has_identity_key ? hex_of(row->identity_key, KEY_LEN) : NULL;
    int rc = DB_HARD;

    if (pii == NULL || email == NULL || (row->has_phone_key && phone == NULL) ||
        (row->has_identity_key && identity == NULL))
        goto cleanup;
    db_int64_text(id, idbuf);
    snprintf(key_id, sizeof key_id, "%d", row->data_key_id);
    const struct claim_facts *f = &row->facts;
    snprintf(cats, sizeof cats, "%u", f->categories);
    db_int64_text(f->documented_loss, loss);
    db_int64_text(f->hours_spent, hours);
    const char *params[14] = {idbuf, pii, key_id, email, phone, identity, f->country, cats,
                              f->phishing ? "t" : "f", f->identity_theft ? "t" : "f",
                              f->distress ? "t" : "f", loss, hours, f->payment_preference};
    rc = db_exec_command(c, "db_claims_correct", 14, params);
cleanup:
    free(pii);
    free(email);
    free(phone);
    free(identity);
    return rc;
}

int
db_claims_withdraw(PGconn *c, int64_t id)
{
    return db_exec_command_id(c, "db_claims_withdraw", id);
}

int
db_claims_mandate(PGconn *c, int64_t id, const char *action_id, const char *association_id,
                  const char *version)
{
    char idbuf[24];
    const char *params[4] = {db_int64_text(id, idbuf), action_id, association_id, version};
    return db_exec_command(c, "db_claims_mandate", 4, params);
}

int
db_claims_renew_mandate(PGconn *c, int64_t id, const char *version)
{
    char idbuf[24];
    const char *params[2] = {db_int64_text(id, idbuf), version};
    return db_exec_command(c, "db_claims_renew_mandate", 2, params);
}

int
db_claims_revoke_mandate(PGconn *c, int64_t id)
{
    return db_exec_command_id(c, "db_claims_revoke_mandate", id);
}

int
db_claims_list_mandated(PGconn *c, const char *slug, const char *association_id,
                        const struct claim_list_filter *f, int limit, struct arena *a,
                        struct claim_record *out, int *n_out)
{
    char cat[8];

    snprintf(cat, sizeof cat, "%d", f->category);
    const char *params[8] = {slug,      association_id, f->status, f->category >= 0 ? cat : NULL,
                             f->country, f->since,      f->after_time, f->after_id};
    return db_exec_page(c, "db_claims_list_mandated", 8, params, read_one_record, a, out,
                        sizeof *out, limit, n_out);
}
