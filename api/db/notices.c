/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Notice statements (see notices.h). The queue is one INSERT … SELECT whose SELECT is the
 * member list's filter (db/ws_members.c assembles it), so a notice to 100,000 members is one
 * statement; the counts come back from the same statement. Its rows cost a heap row and three
 * index entries each, no per-row check (migration 0021): no ON CONFLICT either, since the
 * notice is locked and unsent (a second queue of it cannot happen; the unique index
 * outbox_claim_notice would refuse it). */
#include "db/notices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "db/errors.h"
#include "db/exec.h"
#include "db/prepared.h"

#define NOTICE_COLUMNS                                                                         \
    "SELECT n.id, n.action_id, n.kind, n.essential, n.subject_fr, n.subject_en,"              \
    "       encode(n.texts_sha256, 'hex'), n.created_by, " DB_TS("n.created_at") ","          \
    "       n.sent_by, " DB_TS("n.sent_at") ", n.audience::text, coalesce(n.matching, 0),"    \
    "       coalesce(n.recipients, 0), coalesce(n.skipped_opted_out, 0), n.sent_count,"       \
    "       n.failed_count, n.cancelled_by, " DB_TS("n.cancelled_at") ", n.cancelled_count"
#define NOTICE_N_COLUMNS 20

/* A row of NOTICE_COLUMNS, and the bodies after them when the statement has them. */
static bool
read_notice(const PGresult *res, int row, struct arena *a, void *out)
{
    struct notice_row *n = out;

    memset(n, 0, sizeof *n);
    n->id = db_text_at(a, res, row, 0);
    n->action_id = db_text_at(a, res, row, 1);
    n->kind = db_text_at(a, res, row, 2);
    n->essential = db_bool_at(res, row, 3);
    n->texts.subject[0] = db_text_at(a, res, row, 4);
    n->texts.subject[1] = db_text_at(a, res, row, 5);
    n->texts_sha256 = db_text_at(a, res, row, 6);
    n->created_by = db_text_at(a, res, row, 7);
    n->created_at = db_text_at(a, res, row, 8);
    n->sent_by = db_text_at(a, res, row, 9);
    n->sent = n->sent_by != NULL;
    n->sent_at = db_text_at(a, res, row, 10);
    n->audience = db_text_at(a, res, row, 11);
    n->matching = db_int64_at(res, row, 12);
    n->recipients = db_int64_at(res, row, 13);
    n->skipped_opted_out = db_int64_at(res, row, 14);
    n->sent_count = db_int64_at(res, row, 15);
    n->failed_count = db_int64_at(res, row, 16);
    n->cancelled_by = db_text_at(a, res, row, 17);
    n->cancelled = n->cancelled_by != NULL;
    n->cancelled_at = db_text_at(a, res, row, 18);
    n->cancelled_count = db_int64_at(res, row, 19);
    if (PQnfields(res) == NOTICE_N_COLUMNS + 2) {
        n->texts.body[0] = db_text_at(a, res, row, NOTICE_N_COLUMNS);
        n->texts.body[1] = db_text_at(a, res, row, NOTICE_N_COLUMNS + 1);
    }
    return n->id != NULL && n->kind != NULL;
}

const struct db_statement db_notices_statements[] = {
    {"db_notices_insert",
     "WITH n AS (INSERT INTO notices (action_id, kind, subject_fr, body_fr, subject_en, body_en,"
     "                                texts_sha256, created_by)"
     "           VALUES ($1::uuid, $2, $3, $4, $5, $6, decode($7, 'hex'), $8) RETURNING *)"
     " " NOTICE_COLUMNS ", n.body_fr, n.body_en FROM n",
     8},
    {"db_notices_get",
     NOTICE_COLUMNS ", n.body_fr, n.body_en FROM notices n"
     " WHERE n.id = $2::uuid AND n.action_id = $1::uuid",
     2},
    {"db_notices_get_locked",
     NOTICE_COLUMNS ", n.body_fr, n.body_en FROM notices n"
     " WHERE n.id = $2::uuid AND n.action_id = $1::uuid FOR UPDATE",
     2},
    {"db_notices_list",
     NOTICE_COLUMNS " FROM notices n WHERE n.action_id = $1::uuid"
     "   AND ($2::timestamptz IS NULL OR (n.created_at, n.id) < ($2::timestamptz, $3::uuid))"
     " ORDER BY n.created_at DESC, n.id DESC LIMIT $4::int",
     4},
    {"db_notices_mark_sent",
     "UPDATE notices SET sent_by = $2, sent_at = now(), audience = $3::jsonb,"
     "       matching = $4::bigint, recipients = $5::bigint,"
     "       skipped_opted_out = $4::bigint - $5::bigint"
     " WHERE id = $1::uuid AND sent_at IS NULL",
     5},
    /* the queued rows first (outbox_notice_queued, 0028: the notice's own), locked in the
     * order of their ids, then the notice: the order of
     * db_outbox_mark_sent (a batch's rows by id, then their notice), so a stop and a mail thread
     * settling a batch never wait for each other in a cycle; k is read before the notice's row
     * is updated. A row settled meanwhile is no longer queued when its lock comes: left out. A
     * notice not sent, stopped already, or with nothing queued matches no row: the caller rolls
     * back */
    {"db_notices_cancel",
     "WITH x AS (UPDATE outbox o SET state = 'cancelled', updated_at = now()"
     "           WHERE o.id = ANY (ARRAY(SELECT id FROM outbox"
     "                                   WHERE notice_id = $1::uuid AND state = 'queued'"
     "                                   ORDER BY id FOR UPDATE))"
     "           RETURNING 1),"
     " k AS (SELECT count(*) AS n FROM x)"
     " UPDATE notices n SET cancelled_by = $2, cancelled_at = now(),"
     "        cancelled_count = n.cancelled_count + k.n"
     "   FROM k WHERE n.id = $1::uuid AND n.sent_at IS NOT NULL AND n.cancelled_at IS NULL"
     "    AND k.n > 0"
     " RETURNING k.n",
     2},
    /* a draft has no outbox rows (its send queues them and records it in one transaction) */
    {"db_notices_delete_draft",
     "DELETE FROM notices WHERE id = $2::uuid AND action_id = $1::uuid AND sent_at IS NULL", 2},
    /* the queue of a notice to a large action is one long statement, by design: it gets more
     * than the pool's bound on every statement (--db-statement-timeout-ms), for this
     * transaction only */
    {"db_notices_queue_timeout", "SELECT set_config('statement_timeout', '120s', true)", 0},
    /* the stop's: the same bound, and a plan made for its notice. A generic plan knows only
     * the number of notices: every notice looks like an average one (with three, a third of
     * the queued rows), and walking the queue of every notice (outbox_due_notices) or the whole
     * outbox in id order then looks as cheap as outbox_notice_queued
     * (tests/integration/test_outbox_plan.py); a stop is rare, its planning cheap */
    {"db_notices_cancel_timeout",
     "SELECT set_config('statement_timeout', '120s', true),"
     "       set_config('plan_cache_mode', 'force_custom_plan', true)",
     0},
    {"db_notices_sender",
     "SELECT a.title, s.name FROM actions a JOIN associations s ON s.id = a.association_id"
     " WHERE a.id = $1::uuid",
     1},
    {NULL, NULL, 0},
};

int
db_notices_insert(PGconn *c, const char *action_id, const char *kind,
                  const struct notice_texts *t, const char *texts_sha256, const char *actor,
                  struct arena *a, struct notice_row *out)
{
    const char *params[8] = {action_id,  kind,         t->subject[0], t->body[0],
                             t->subject[1], t->body[1], texts_sha256,  actor};

    return db_exec_one(c, "db_notices_insert", 8, params, read_notice, a, out);
}

int
db_notices_get(PGconn *c, const char *action_id, const char *id, bool lock, struct arena *a,
               struct notice_row *out)
{
    const char *params[2] = {action_id, id};

    return db_exec_one(c, lock ? "db_notices_get_locked" : "db_notices_get", 2, params,
                       read_notice, a, out);
}

int
db_notices_list(PGconn *c, const char *action_id, const char *after_created,
                const char *after_id, int limit, struct arena *a, struct notice_row *out)
{
    char lim[16];
    const char *params[4] = {action_id, after_created, after_id, lim};

    snprintf(lim, sizeof lim, "%d", limit);
    return db_exec_rows(c, "db_notices_list", 4, params, read_notice, a, out, sizeof *out, limit);
}

/* The next statement of the transaction may run for as long as a queue of 100,000 rows
 * (setup: db_notices_queue_timeout, or db_notices_cancel_timeout): 1, or DB_* (what: the
 * statement, for the log). */
static int
long_statement_next(PGconn *c, const char *setup, const char *what)
{
    PGresult *set = db_exec_prepared(c, setup, 0, NULL, NULL, NULL, 0);
    int rc = PQresultStatus(set) == PGRES_TUPLES_OK ? 1 : db_status_of(set, what);

    PQclear(set);
    return rc;
}

/* Reads the two counts of the first row. */
static int
two_counts(PGresult *res, const char *what, int64_t *first, int64_t *second)
{
    int rc = 1;

    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1 || PQnfields(res) != 2)
        rc = db_status_of(res, what);
    else {
        *first = db_int64_at(res, 0, 0);
        *second = db_int64_at(res, 0, 1);
    }
    PQclear(res);
    return rc;
}

int
db_notices_count(PGconn *c, const char *action_id, const struct ws_filter *f,
                 int64_t *matching_out, int64_t *opted_out_out)
{
    PGresult *res = db_ws_members_select(
        c, "SELECT count(*), count(*) FILTER (WHERE c.notices_opt_out_at IS NOT NULL)"
           " FROM claims c",
        NULL, 0, action_id, f, "");

    return two_counts(res, "db_notices_count", matching_out, opted_out_out);
}

int
db_notices_queue(PGconn *c, const char *notice_id, bool essential, const char *action_id,
                 const struct ws_filter *f, int64_t *matching_out, int64_t *queued_out)
{
    const char *head_params[2] = {notice_id, essential ? "true" : "false"};
    int rc = long_statement_next(c, "db_notices_queue_timeout", "db_notices_queue");

    if (rc != 1)
        return rc;
    PGresult *res = db_ws_members_select(
        c, "WITH m AS (SELECT c.id, c.lang, c.notices_opt_out_at FROM claims c", head_params, 2,
        action_id, f,
        "),"
        " q AS (INSERT INTO outbox (kind, claim_id, lang, notice_id)"
        "       SELECT 'notice', m.id, m.lang, $1::uuid FROM m"
        "       WHERE $2::boolean OR m.notices_opt_out_at IS NULL RETURNING 1)"
        " SELECT (SELECT count(*) FROM m), (SELECT count(*) FROM q)");

    return two_counts(res, "db_notices_queue", matching_out, queued_out);
}

int
db_notices_mark_sent(PGconn *c, const char *notice_id, const char *actor, const char *audience,
                     int64_t matching, int64_t recipients)
{
    char m[24], r[24];
    const char *params[5] = {notice_id, actor, audience, db_int64_text(matching, m), db_int64_text(recipients, r)};
    return db_exec_command(c, "db_notices_mark_sent", 5, params);
}

int
db_notices_cancel(PGconn *c, const char *notice_id, const char *actor, int64_t *count_out)
{
    const char *params[2] = {notice_id, actor};
    /* a notice to 100,000 members stops as many rows: the queue's bound, not the pool's */
    int rc = long_statement_next(c, "db_notices_cancel_timeout", "db_notices_cancel");

    if (rc != 1)
        return rc;
    *count_out = 0;
    return db_exec_one(c, "db_notices_cancel", 2, params, db_read_int64, NULL, count_out);
}

int
db_notices_delete_draft(PGconn *c, const char *action_id, const char *notice_id)
{
    const char *params[2] = {action_id, notice_id};

    return db_exec_command(c, "db_notices_delete_draft", 2, params);
}

static bool
read_sender(const PGresult *res, int row, struct arena *a, void *out)
{
    const char **two = out;

    two[0] = db_text_at(a, res, row, 0);
    two[1] = db_text_at(a, res, row, 1);
    return two[0] != NULL && two[1] != NULL;
}

int
db_notices_sender(PGconn *c, const char *action_id, struct arena *a, const char **title_out,
                  const char **association_out)
{
    const char *params[1] = {action_id};
    const char *two[2] = {NULL, NULL};
    int rc = db_exec_one(c, "db_notices_sender", 1, params, read_sender, a, two);

    *title_out = two[0];
    *association_out = two[1];
    return rc;
}
