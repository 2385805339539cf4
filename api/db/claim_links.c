/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Claim link, mail read and rate event statements. */
#include "db/claim_links.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "db/errors.h"
#include "db/exec.h"
#include "db/outbox.h"

#define MAIL_CLAIM_COLUMNS                                                                  \
    "SELECT c.id, c.reference, c.lang, c.status, c.email_verified_at IS NOT NULL, i.title," \
    "       a.title, c.data_key_id, c.pii,"                                                 \
    "       to_char(c.correctable_until AT TIME ZONE 'UTC', 'YYYY-MM-DD'), s.name,"         \
    "       i.controller"

static bool
read_claim(const PGresult *res, int row, struct arena *a, void *out)
{
    struct mail_claim *m = out;

    memset(m, 0, sizeof *m);
    m->id = strtoll(PQgetvalue(res, row, 0), NULL, 10);
    m->reference = arena_strdup(a, PQgetvalue(res, row, 1));
    m->lang = arena_strdup(a, PQgetvalue(res, row, 2));
    m->status = arena_strdup(a, PQgetvalue(res, row, 3));
    m->email_verified = PQgetvalue(res, row, 4)[0] == 't';
    m->incident_title = arena_strdup(a, PQgetvalue(res, row, 5));
    m->action_title = db_text_at(a, res, row, 6);
    m->data_key_id = atoi(PQgetvalue(res, row, 7));
    uint8_t *pii;
    if (!db_bytea_at(a, res, row, 8, &pii, &m->pii_len))
        return false;
    m->pii = pii;
    m->correctable_until = db_text_at(a, res, row, 9);
    m->association_name = db_text_at(a, res, row, 10);
    m->incident_controller = arena_strdup(a, PQgetvalue(res, row, 11));
    return true;
}

const struct db_statement db_claim_links_statements[] = {
    {"db_mail_claim",
     MAIL_CLAIM_COLUMNS
     " FROM claims c JOIN incidents i ON i.id = c.incident_id"
     " LEFT JOIN actions a ON a.id = c.mandate_action_id"
     " LEFT JOIN associations s ON s.id = a.association_id"
     " WHERE c.id = $1::bigint",
     1},
    {"db_mail_recovery_claims",
     /* one probe per incident into the active email index (incident_id, email_key) */
     MAIL_CLAIM_COLUMNS
     " FROM incidents i JOIN claims c ON c.incident_id = i.id"
     " LEFT JOIN actions a ON a.id = c.mandate_action_id"
     " LEFT JOIN associations s ON s.id = a.association_id"
     " WHERE c.email_key = $1::bytea AND c.status <> 'withdrawn' AND c.pii IS NOT NULL"
     "   AND ($2::text IS NULL OR c.reference = $2)"
     " ORDER BY c.created_at DESC LIMIT $3::int",
     3},
    {"db_links_insert",
     "INSERT INTO claim_links (token_hash, purpose, claim_id, expires_at)"
     " VALUES ($1::bytea, $2, $3::bigint, now() + make_interval(secs => $4::int))",
     4},
    /* a recovery once only (it sets a new claim token); a confirmation again until it expires:
     * mail scanners open a message's links before its reader does, and confirming twice
     * changes nothing, so the reader must not find the link spent. A changed address expires
     * the links sent to the old one (0026). used_at keeps the first use */
    {"db_links_use",
     "UPDATE claim_links SET used_at = coalesce(used_at, now())"
     " WHERE token_hash = $1::bytea AND purpose = $2"
     "   AND (used_at IS NULL OR purpose = 'confirm-email') AND expires_at > now()"
     " RETURNING claim_id",
     2},
    /* the pages name the claim and its incident (struct confirm_claim): nothing personal */
    {"db_links_peek_confirm",
     "SELECT c.lang, c.email_verified_at IS NOT NULL, c.reference, i.controller, i.title"
     " FROM claim_links l JOIN claims c ON c.id = l.claim_id"
     " JOIN incidents i ON i.id = c.incident_id"
     " WHERE l.token_hash = $1::bytea AND l.purpose = 'confirm-email' AND l.expires_at > now()",
     1},
    {"db_claims_confirm_email",
     "UPDATE claims c SET email_verified_at = coalesce(c.email_verified_at, now())"
     " FROM incidents i WHERE c.id = $1::bigint AND i.id = c.incident_id"
     " RETURNING c.lang, true, c.reference, i.controller, i.title",
     1},
    {"db_claims_replace_token",
     "UPDATE claims SET token_hash = $2::bytea, updated_at = now()"
     " WHERE id = $1::bigint AND status <> 'withdrawn' RETURNING reference",
     2},
    {"db_rate_count",
     "SELECT count(*) FILTER (WHERE bucket = $1::bytea), count(*) FILTER (WHERE bucket = $2::bytea)"
     " FROM rate_events"
     " WHERE bucket IN ($1::bytea, $2::bytea) AND at > now() - make_interval(secs => $3::int)",
     3},
    {"db_rate_add", "INSERT INTO rate_events (bucket) VALUES ($1::bytea), ($2::bytea)", 2},
    {"db_links_prune",
     "WITH r AS (DELETE FROM rate_events WHERE at < now() - make_interval(secs => $1::int)"
     "           RETURNING 1),"
     " l AS (DELETE FROM claim_links WHERE expires_at < now() - interval '1 day' RETURNING 1)"
     " SELECT (SELECT count(*) FROM r) + (SELECT count(*) FROM l)",
     1},
    {NULL, NULL, 0},
};

int
db_mail_claim(PGconn *c, int64_t id, struct arena *a, struct mail_claim *out)
{
    return db_exec_one_id(c, "db_mail_claim", id, read_claim, a, out);
}

int
db_mail_recovery_claims(PGconn *c, const uint8_t email_key[32], const char *reference,
                        int max, struct arena *a, struct mail_claim *out)
{
    char key[DB_BYTEA32_TEXT_LEN];
    char maxbuf[16];
    const char *params[3] = {key, reference, maxbuf};

    db_bytea32_text(email_key, key);
    snprintf(maxbuf, sizeof maxbuf, "%d", max);
    return db_exec_rows(c, "db_mail_recovery_claims", 3, params, read_claim, a, out, sizeof *out,
                        max);
}

int
db_links_insert(PGconn *c, const uint8_t token_hash[32], const char *purpose, int64_t claim_id,
                int valid_s)
{
    char key[DB_BYTEA32_TEXT_LEN];
    char idbuf[24];
    char valid[16];
    const char *params[4] = {key, purpose, idbuf, valid};

    db_bytea32_text(token_hash, key);
    db_int64_text(claim_id, idbuf);
    snprintf(valid, sizeof valid, "%d", valid_s);
    return db_exec_command(c, "db_links_insert", 4, params);
}

int
db_links_use(PGconn *c, const uint8_t token_hash[32], const char *purpose,
             int64_t *claim_id_out)
{
    char key[DB_BYTEA32_TEXT_LEN];
    const char *params[2] = {key, purpose};

    db_bytea32_text(token_hash, key);
    return db_exec_one(c, "db_links_use", 2, params, db_read_int64, NULL, claim_id_out);
}

static bool
read_confirm_claim(const PGresult *res, int row, struct arena *a, void *out)
{
    struct confirm_claim *cc = out;

    snprintf(cc->lang, sizeof cc->lang, "%s", PQgetvalue(res, row, 0));
    cc->confirmed = PQgetvalue(res, row, 1)[0] == 't';
    snprintf(cc->reference, sizeof cc->reference, "%s", PQgetvalue(res, row, 2));
    cc->incident_controller = arena_strdup(a, PQgetvalue(res, row, 3));
    cc->incident_title = arena_strdup(a, PQgetvalue(res, row, 4));
    return true;
}

int
db_links_peek_confirm(PGconn *c, const uint8_t token_hash[32], struct arena *a,
                      struct confirm_claim *out)
{
    char key[DB_BYTEA32_TEXT_LEN];
    const char *params[1] = {key};

    db_bytea32_text(token_hash, key);
    return db_exec_one(c, "db_links_peek_confirm", 1, params, read_confirm_claim, a, out);
}

int
db_claims_confirm_email(PGconn *c, int64_t id, struct arena *a, struct confirm_claim *out)
{
    char idbuf[24];
    const char *params[1] = {db_int64_text(id, idbuf)};
    return db_exec_one(c, "db_claims_confirm_email", 1, params, read_confirm_claim, a, out);
}

int
db_claims_replace_token(PGconn *c, int64_t id, const uint8_t token_hash[32], char *ref_out)
{
    char idbuf[24];
    char key[DB_BYTEA32_TEXT_LEN];
    const char *params[2] = {db_int64_text(id, idbuf), key};
    db_bytea32_text(token_hash, key);
    return db_exec_text_into(c, "db_claims_replace_token", 2, params, ref_out, 13);
}

struct two_counts {
    int64_t a, b;
};

static bool
read_counts(const PGresult *res, int row, struct arena *a, void *out)
{
    struct two_counts *t = out;

    (void)a;
    t->a = strtoll(PQgetvalue(res, row, 0), NULL, 10);
    t->b = strtoll(PQgetvalue(res, row, 1), NULL, 10);
    return true;
}

int
db_rate_count(PGconn *c, const uint8_t a_bucket[32], const uint8_t b_bucket[32], int window_s,
              int64_t *a_out, int64_t *b_out)
{
    char ka[DB_BYTEA32_TEXT_LEN];
    char kb[DB_BYTEA32_TEXT_LEN];
    char window[16];
    const char *params[3] = {ka, kb, window};
    struct two_counts t = {0, 0};

    db_bytea32_text(a_bucket, ka);
    db_bytea32_text(b_bucket, kb);
    snprintf(window, sizeof window, "%d", window_s);
    int rc = db_exec_one(c, "db_rate_count", 3, params, read_counts, NULL, &t);
    *a_out = t.a;
    *b_out = t.b;
    return rc;
}

int
db_rate_add(PGconn *c, const uint8_t a_bucket[32], const uint8_t b_bucket[32])
{
    char ka[DB_BYTEA32_TEXT_LEN];
    char kb[DB_BYTEA32_TEXT_LEN];
    const char *params[2] = {ka, kb};

    db_bytea32_text(a_bucket, ka);
    db_bytea32_text(b_bucket, kb);
    return db_exec_command(c, "db_rate_add", 2, params);
}

int
db_links_prune(PGconn *c, int keep_s)
{
    char keep[16];
    const char *params[1] = {keep};
    int64_t n = 0;

    snprintf(keep, sizeof keep, "%d", keep_s);
    int rc = db_exec_one(c, "db_links_prune", 1, params, db_read_int64, NULL, &n);
    return rc == 1 ? (int)(n > 1000000 ? 1000000 : n) : rc;
}
