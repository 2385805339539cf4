/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Outbox statements. */
#include "db/outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "crypto/hex.h"
#include "db/errors.h"
#include "db/exec.h"
#include "db/pg_array.h"
#include "db/prepared.h"

/* What taking a row does (a lease of $1 seconds) and what it reads back (read_item). */
#define OUTBOX_LEASE                                                                           \
    " SET attempts = o.attempts + 1, next_attempt_at = now() + make_interval(secs => $1::int),"\
    "     updated_at = now()"
#define OUTBOX_TAKEN                                                                           \
    " RETURNING o.id, o.kind, coalesce(o.claim_id, 0), encode(o.email_key, 'hex'), o.lang,"    \
    "           o.params->>'lang', o.params->>'reference', o.attempts,"                        \
    "           extract(epoch FROM now() - o.created_at)::bigint, o.sealed_email,"            \
    "           coalesce(o.sealed_key_id, 0)"

const struct db_statement db_outbox_statements[] = {
    {"db_outbox_enqueue_accepted",
     "WITH u AS (SELECT * FROM unnest($1::bigint[], $2::text[]) AS u(claim_id, lang)),"
     /* the default language costs no second write of the row just inserted */
     " upd AS (UPDATE claims c SET lang = u.lang"
     "         FROM u WHERE c.id = u.claim_id AND u.lang <> 'fr')"
     " INSERT INTO outbox (kind, claim_id, lang)"
     " SELECT 'claim-accepted', u.claim_id, u.lang FROM u",
     2},
    {"db_outbox_enqueue_claim",
     "INSERT INTO outbox (kind, claim_id, lang)"
     " SELECT $1, c.id, c.lang FROM claims c WHERE c.id = $2::bigint",
     2},
    {"db_outbox_enqueue_address_changed",
     "INSERT INTO outbox (kind, claim_id, lang)"
     " SELECT 'address-changed', c.id, c.lang FROM claims c WHERE c.id = $1::bigint"
     " RETURNING id",
     1},
    {"db_outbox_seal_address",
     "UPDATE outbox SET sealed_email = decode($2, 'hex'), sealed_key_id = $3::smallint"
     " WHERE id = $1::bigint AND kind = 'address-changed' AND state = 'queued'",
     3},
    {"db_outbox_enqueue_recovery",
     "INSERT INTO outbox (kind, email_key, lang, params)"
     " VALUES ('recovery', $1::bytea, coalesce($2, 'fr'),"
     "         jsonb_strip_nulls(jsonb_build_object('lang', $2::text, 'reference', $3::text)))",
     3},
    /* a batch of due rows, leased for $1 seconds: first the messages about one claim
     * (outbox_due_first), then a notice's (migration 0016), so that a notice to 100,000
     * members never delays a confirmation. The rows are reached by their ids as an array
     * (= ANY (ARRAY(...)): an index scan of the key), not by `id IN (subquery)`, whose generic
     * plan (the one a prepared statement settles on) joined the batch to a sequential scan of
     * the whole outbox, sent messages included (bench/RESULTS.md "Mail beside the intake") */
    {"db_outbox_take_first",
     "UPDATE outbox o" OUTBOX_LEASE
     " WHERE o.id = ANY (ARRAY(SELECT id FROM outbox"
     "                         WHERE state = 'queued' AND notice_id IS NULL"
     "                           AND next_attempt_at <= now()"
     "                         ORDER BY next_attempt_at LIMIT $2::int"
     "                         FOR UPDATE SKIP LOCKED))"
     OUTBOX_TAKEN,
     2},
    {"db_outbox_take_notices",
     "UPDATE outbox o" OUTBOX_LEASE
     " WHERE o.id = ANY (ARRAY(SELECT id FROM outbox"
     "                         WHERE state = 'queued' AND notice_id IS NOT NULL"
     "                           AND next_attempt_at <= now()"
     "                         ORDER BY next_attempt_at LIMIT $2::int"
     "                         FOR UPDATE SKIP LOCKED))"
     OUTBOX_TAKEN,
     2},
    /* a batch settled in one statement (one commit, not one per message); a notice's
     * progress moves with its rows. A row whose notice was stopped while a mail thread held it
     * (db_notices_cancel) was handed to the relay all the same: it is sent, and moves from the
     * notice's cancelled_count to its sent_count. Which rows were cancelled is read under their
     * row locks (p, FOR UPDATE: the state a stop committed meanwhile, not the statement's
     * snapshot), so the counts are exact whichever of the stop and this statement comes first;
     * in the order of their ids, as the stop locks them (no deadlock between the two) */
    {"db_outbox_mark_sent",
     "WITH p AS (SELECT id, state FROM outbox"
     "           WHERE id = ANY($1::bigint[]) AND state IN ('queued', 'cancelled')"
     "           ORDER BY id FOR UPDATE),"
     " s AS (UPDATE outbox o SET state = 'sent', sent_at = now(), updated_at = now(),"
     "                           last_error = NULL, sealed_email = NULL, sealed_key_id = NULL"
     "       FROM p WHERE o.id = p.id RETURNING o.notice_id, p.state = 'cancelled' AS stopped),"
     " k AS (SELECT notice_id, count(*) AS n, count(*) FILTER (WHERE stopped) AS stopped"
     "       FROM s WHERE notice_id IS NOT NULL GROUP BY 1),"
     " u AS (UPDATE notices SET sent_count = sent_count + k.n,"
     "                          cancelled_count = cancelled_count - k.stopped"
     "       FROM k WHERE notices.id = k.notice_id)"
     " SELECT count(*) FROM s",
     1},
    /* a row stopped with its notice stays cancelled: its retry and its failure change nothing */
    {"db_outbox_mark_retry",
     "UPDATE outbox SET next_attempt_at = now() + make_interval(secs => $2::bigint / 1000.0),"
     "     last_error = left($3, 500), updated_at = now()"
     " WHERE id = $1::bigint AND state = 'queued'",
     3},
    {"db_outbox_mark_failed",
     "WITH f AS (UPDATE outbox SET state = 'failed', last_error = left($2, 500),"
     "                        updated_at = now(), sealed_email = NULL, sealed_key_id = NULL"
     "           WHERE id = $1::bigint AND state = 'queued' RETURNING notice_id),"
     " u AS (UPDATE notices SET failed_count = failed_count + 1 FROM f"
     "       WHERE notices.id = f.notice_id)"
     " SELECT count(*) FROM f",
     2},
    {NULL, NULL, 0},
};

void
db_bytea32_text(const uint8_t key[32], char out[DB_BYTEA32_TEXT_LEN])
{
    static const char digits[] = "0123456789abcdef";

    out[0] = '\\';
    out[1] = 'x';
    for (int i = 0; i < 32; i++) {
        out[2 + 2 * i] = digits[key[i] >> 4];
        out[3 + 2 * i] = digits[key[i] & 15];
    }
    out[DB_BYTEA32_TEXT_LEN - 1] = '\0';
}

int
db_outbox_enqueue_accepted(PGconn *c, const struct claim_row *rows, int n)
{
    struct pg_array col[2];
    const char *params[2];
    int m = 0;
    int rc;

    memset(col, 0, sizeof col);
    for (int i = 0; i < n; i++) {
        if (!rows[i].inserted)
            continue;
        pg_array_int(&col[0], rows[i].id);
        pg_array_text(&col[1], rows[i].lang != NULL ? rows[i].lang : "fr");
        m++;
    }
    if (m == 0) {
        rc = 0;
        goto cleanup;
    }
    pg_array_finish_all(col, 2, params);
    rc = db_exec_command(c, "db_outbox_enqueue_accepted", 2, params);
cleanup:
    pg_array_free_all(col, 2);
    return rc;
}

int
db_outbox_enqueue_claim(PGconn *c, const char *kind, int64_t claim_id)
{
    char id[24];
    const char *params[2] = {kind, db_int64_text(claim_id, id)};
    return db_exec_command(c, "db_outbox_enqueue_claim", 2, params);
}

int
db_outbox_enqueue_address_changed(PGconn *c, int64_t claim_id, int64_t *id_out)
{
    char id[DB_INT64_TEXT];
    const char *params[1] = {db_int64_text(claim_id, id)};

    return db_exec_int64(c, "db_outbox_enqueue_address_changed", 1, params, id_out);
}

int
db_outbox_seal_address(PGconn *c, int64_t id, const uint8_t *box, size_t len, int key_id)
{
    char idbuf[DB_INT64_TEXT];

    return db_exec_store_sealed(c, "db_outbox_seal_address", db_int64_text(id, idbuf), box, len,
                                key_id);
}

int
db_outbox_enqueue_recovery(PGconn *c, const uint8_t email_key[32], const char *lang,
                           const char *reference)
{
    char key[DB_BYTEA32_TEXT_LEN];
    const char *params[3] = {key, lang, reference};

    db_bytea32_text(email_key, key);
    return db_exec_command(c, "db_outbox_enqueue_recovery", 3, params);
}

static bool
read_item(const PGresult *res, int row, struct arena *a, void *out)
{
    struct outbox_item *it = out;
    const char *key = PQgetvalue(res, row, 3);

    memset(it, 0, sizeof *it);
    it->id = strtoll(PQgetvalue(res, row, 0), NULL, 10);
    it->kind = arena_strdup(a, PQgetvalue(res, row, 1));
    it->claim_id = strtoll(PQgetvalue(res, row, 2), NULL, 10);
    if (!PQgetisnull(res, row, 3) &&
        !hex_decode(key, strlen(key), it->email_key, sizeof it->email_key))
        return false;
    it->lang = arena_strdup(a, PQgetvalue(res, row, 4));
    it->lang_asked = db_text_at(a, res, row, 5);
    it->reference = db_text_at(a, res, row, 6);
    uint8_t *sealed = NULL;
    if (!db_bytea_at(a, res, row, 9, &sealed, &it->sealed_len))
        return false;
    it->sealed_email = sealed;
    it->sealed_key_id = atoi(PQgetvalue(res, row, 10));
    it->attempts = atoi(PQgetvalue(res, row, 7));
    it->age_s = strtoll(PQgetvalue(res, row, 8), NULL, 10);
    return true;
}

/* Runs one take statement for at most max rows into out; the count, or DB_*. */
static int
take(PGconn *c, const char *stmt, const char *lease, int max, struct arena *a,
     struct outbox_item *out)
{
    char maxbuf[16];
    const char *params[2] = {lease, maxbuf};
    int rc;

    snprintf(maxbuf, sizeof maxbuf, "%d", max);
    PGresult *res = db_exec_prepared(c, stmt, 2, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQnfields(res) != 11) {
        rc = db_status_of(res, stmt);
        goto cleanup;
    }
    rc = PQntuples(res);
    for (int i = 0; i < rc && i < max; i++) {
        if (!read_item(res, i, a, &out[i])) {
            rc = DB_HARD;
            goto cleanup;
        }
    }
cleanup:
    PQclear(res);
    return rc;
}

int
db_outbox_take_batch(PGconn *c, int lease_s, int max, struct arena *a, struct outbox_item *out)
{
    char lease[16];

    snprintf(lease, sizeof lease, "%d", lease_s);
    int n = take(c, "db_outbox_take_first", lease, max, a, out);
    if (n < 0 || n >= max)
        return n;
    int m = take(c, "db_outbox_take_notices", lease, max - n, a, out + n);
    return m < 0 ? m : n + m;
}

/* The count a "WITH … SELECT count(*)" statement returns, or DB_*. */
static int
counted(PGconn *c, const char *stmt, int n, const char *const *params)
{
    PGresult *res = db_exec_prepared(c, stmt, n, params, NULL, NULL, 0);
    int rc;

    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
        rc = db_status_of(res, stmt);
    else
        rc = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    return rc;
}

int
db_outbox_mark_sent(PGconn *c, const int64_t *ids, int n)
{
    struct pg_array arr = {0};
    int rc;

    for (int i = 0; i < n; i++)
        pg_array_int(&arr, ids[i]);
    const char *params[1] = {pg_array_finish(&arr)};
    rc = counted(c, "db_outbox_mark_sent", 1, params);
    pg_array_free(&arr);
    return rc;
}

int
db_outbox_mark_retry(PGconn *c, int64_t id, int64_t delay_ms, const char *reason)
{
    char idbuf[24];
    char delay[24];
    const char *params[3] = {db_int64_text(id, idbuf), db_int64_text(delay_ms, delay), reason};
    return db_exec_command(c, "db_outbox_mark_retry", 3, params);
}

int
db_outbox_mark_failed(PGconn *c, int64_t id, const char *reason)
{
    char idbuf[24];
    const char *params[2] = {db_int64_text(id, idbuf), reason};
    return counted(c, "db_outbox_mark_failed", 2, params);
}
