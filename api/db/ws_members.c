/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Workspace member statements. Pages are keyset pages on a unique key, (reference) or
 * (mandated_at, reference), so a walk sees every member present at its start exactly once
 * whatever is inserted meanwhile (docs/workspace.md "Pagination"). The SQL text is assembled
 * here from fixed fragments; every value is a parameter. */
#include "db/ws_members.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/strbuf.h"
#include "db/errors.h"
#include "db/exec.h"
#include "db/pg_array.h"
#include "db/prepared.h"
#include "db/risk.h"

#define MAX_PARAMS 16

const struct db_statement db_ws_members_statements[] = {
    {"db_ws_member_remove",
     "WITH upd AS (UPDATE claims SET member_action_id = NULL, member_added_at = NULL"
     "             WHERE reference = $2 AND member_action_id = $1::uuid RETURNING id),"
     " hist AS (INSERT INTO claim_reviews (claim_id, action_id, decision, reason, batch_id,"
     "                                     actor)"
     "          SELECT id, $1::uuid, 'removed', $3, $4::uuid, $5 FROM upd),"
     " mail AS (INSERT INTO outbox (kind, claim_id, lang, params)"
     "          SELECT 'member-removed', c.id, c.lang, jsonb_build_object('reason', $3::text)"
     "          FROM upd JOIN claims c ON c.id = upd.id)"
     " SELECT count(*) FROM upd",
     5},
    /* the reason code a review message was queued with */
    {"db_ws_outbox_reason", "SELECT params->>'reason' FROM outbox WHERE id = $1::bigint", 1},
    {"db_ws_member_extra",
     "SELECT CASE WHEN c.status = 'rejected' THEN c.review_reason END,"
     "       CASE WHEN c.status = 'rejected' THEN " DB_TS("c.correctable_until") " END,"
     "       " DB_TS("c.reviewed_at") ","
     "       (SELECT count(*) FROM claim_duplicates d WHERE d.claim_id = c.id)"
     " FROM claims c WHERE c.id = $1::bigint",
     1},
    {"db_ws_member_duplicate_dates",
     "SELECT " DB_TS("d.created_at") " FROM claim_duplicates d WHERE d.claim_id = $1::bigint"
     " ORDER BY d.created_at, d.id LIMIT $2::int",
     2},
    {"db_ws_reopen_corrected",
     "WITH upd AS (UPDATE claims SET status = 'received', review_reason = NULL,"
     "                              correctable_until = NULL, status_reason = NULL"
     "             WHERE id = $1::bigint AND status = 'rejected' AND correctable_until > now()"
     "             RETURNING id, member_action_id),"
     " hist AS (INSERT INTO claim_reviews (claim_id, action_id, decision, batch_id, actor)"
     "          SELECT id, member_action_id, 'reopened', gen_random_uuid(), 'claimant'"
     "          FROM upd)"
     " SELECT count(*) FROM upd",
     1},
    /* the claim's decisions, the newest $2 oldest first; who decided as a kind, never which
     * association (the claim may have been another's member) */
    {"db_ws_member_history",
     "SELECT decision, reason, " DB_TS("at") ","
     "       CASE WHEN actor LIKE 'association:%' THEN 'association' ELSE actor END"
     " FROM (SELECT * FROM claim_reviews WHERE claim_id = $1::bigint"
     "       ORDER BY at DESC, id DESC LIMIT $2::int) r"
     " ORDER BY at, id",
     2},
    /* members per day of joining (UTC), the dashboard's "members over time" */
    {"db_ws_members_per_day",
     "SELECT to_char(date_trunc('day', c.member_added_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD'),"
     "       count(*)"
     " FROM claims c WHERE c.member_action_id = $1::uuid GROUP BY 1 ORDER BY 1 LIMIT 3660",
     1},
    {NULL, NULL, 0},
};

/* A statement being assembled: its text and its parameters. */
struct query {
    struct strbuf sql;
    const char *params[MAX_PARAMS];
    int n;
    bool too_many; /* a parameter past MAX_PARAMS was asked for: run() refuses the statement */
    struct pg_array refs; /* the references of the filter, one text[] parameter */
};

/* Appends the parameter and returns its $ number. The most a statement takes today is 14 (a
 * review by filter); a filter field added without raising MAX_PARAMS fails its statement
 * instead of writing past the array. */
static int
param(struct query *q, const char *value)
{
    if (q->n == MAX_PARAMS) {
        q->too_many = true;
        return q->n;
    }
    q->params[q->n] = value;
    return ++q->n;
}

/* The risk and eligibility conditions (db/risk.c holds their SQL). */
static void
issue14_filter(struct query *q, const struct ws_filter *f)
{
    const char *values[2] = {f->risk, f->eligibility};

    for (int i = 0; i < 2; i++) {
        struct db_condition cond;
        if (values[i] == NULL || !(i == 0 ? db_risk_filter_sql(values[i], &cond)
                                          : db_eligibility_filter_sql(values[i], &cond)))
            continue;
        strbuf_printf(&q->sql, " AND %s", cond.before);
        if (cond.value != NULL)
            strbuf_printf(&q->sql, "$%d%s", param(q, cond.value), cond.after);
    }
}

/* " AND <fragment with $N>" for each filter field given; the alias of claims is c. */
static void
where_filter(struct query *q, const char *action_id, const struct ws_filter *f)
{
    strbuf_printf(&q->sql, " WHERE c.member_action_id = $%d::uuid", param(q, action_id));
    if (f->status != NULL)
        strbuf_printf(&q->sql, " AND c.status = $%d", param(q, f->status));
    if (f->country != NULL)
        strbuf_printf(&q->sql, " AND c.country = $%d", param(q, f->country));
    if (f->payment != NULL)
        strbuf_printf(&q->sql, " AND c.payment_preference = $%d", param(q, f->payment));
    if (f->mandated_from != NULL)
        strbuf_printf(&q->sql, " AND c.mandated_at >= $%d::timestamptz",
                      param(q, f->mandated_from));
    if (f->mandated_to != NULL)
        strbuf_printf(&q->sql, " AND c.mandated_at < $%d::timestamptz", param(q, f->mandated_to));
    if (f->reference != NULL)
        strbuf_printf(&q->sql, " AND c.reference = $%d", param(q, f->reference));
    if (f->email_confirmed >= 0)
        strbuf_puts(&q->sql, f->email_confirmed ? " AND c.email_verified_at IS NOT NULL"
                                                : " AND c.email_verified_at IS NULL");
    issue14_filter(q, f);
    if (f->refs != NULL) {
        for (int i = 0; i < f->n_refs; i++)
            pg_array_text(&q->refs, f->refs[i]);
        strbuf_printf(&q->sql,
                      " AND c.reference IN (SELECT upper(x) FROM unnest($%d::text[]) x)",
                      param(q, pg_array_finish(&q->refs)));
    }
}

/* Runs the assembled statement (text format) and frees what it was made of. */
static PGresult *
run(PGconn *c, struct query *q)
{
    char *sql = strbuf_take(&q->sql);
    PGresult *res = NULL;

    if (q->too_many)
        log_bug("ws_members: a statement of more than %d parameters", MAX_PARAMS);
    else
        res = PQexecParams(c, sql, q->n, NULL, q->params, NULL, NULL, 0);

    free(sql);
    pg_array_free(&q->refs);
    return res;
}

#define PAGE_COLUMNS                                                                           \
    "SELECT c.reference, c.status,"                                                            \
    "       CASE WHEN c.status = 'rejected' THEN c.review_reason END,"                         \
    "       CASE WHEN c.status = 'rejected' THEN " DB_TS("c.correctable_until") " END,"        \
    "       c.country, c.categories, c.payment_preference, " DB_TS("c.member_added_at") ","    \
    "       " DB_TS("c.mandated_at") ", c.mandate_text_version, c.mandate_channel,"            \
    "       " DB_TS("c.reviewed_at") ","                                                       \
    "       (SELECT count(*) FROM claim_duplicates d WHERE d.claim_id = c.id),"                \
    "       c.email_verified_at IS NOT NULL"                                                   \
    " FROM claims c"

int
db_ws_members_page(PGconn *c, const struct ws_page_query *q, struct arena *a,
                   struct ws_member_row *out, int *n_out)
{
    struct query s = {0};
    const char *cmp = q->desc ? "<" : ">";
    const char *dir = q->desc ? " DESC" : "";
    char lim[16];
    int rc;

    strbuf_puts(&s.sql, PAGE_COLUMNS);
    where_filter(&s, q->action_id, q->f); /* the action's id is $1 */
    if (q->association_id != NULL)
        strbuf_printf(&s.sql,
                      " AND EXISTS (SELECT 1 FROM actions x WHERE x.id = $1::uuid"
                      " AND x.association_id = $%d::uuid)",
                      param(&s, q->association_id));
    if (q->sort == WS_SORT_MANDATED) {
        if (q->after_ref != NULL && q->after_mandated != NULL) {
            int t = param(&s, q->after_mandated);
            strbuf_printf(&s.sql, " AND (c.mandated_at, c.reference) %s ($%d::timestamptz, $%d)",
                          cmp, t, param(&s, q->after_ref));
        }
        strbuf_printf(&s.sql, " ORDER BY c.mandated_at%s, c.reference%s", dir, dir);
    } else {
        if (q->after_ref != NULL)
            strbuf_printf(&s.sql, " AND c.reference %s $%d", cmp, param(&s, q->after_ref));
        strbuf_printf(&s.sql, " ORDER BY c.reference%s", dir);
    }
    snprintf(lim, sizeof lim, "%d", q->limit);
    strbuf_printf(&s.sql, " LIMIT $%d::int", param(&s, lim));
    PGresult *res = run(c, &s);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQnfields(res) != 14) {
        rc = db_status_of(res, "db_ws_members_page");
        goto cleanup;
    }
    rc = PQntuples(res);
    *n_out = rc < q->limit ? rc : q->limit;
    for (int i = 0; i < *n_out; i++) {
        struct ws_member_row *m = &out[i];
        m->reference = db_text_at(a, res, i, 0);
        m->status = db_text_at(a, res, i, 1);
        m->review_reason = db_text_at(a, res, i, 2);
        m->correctable_until = db_text_at(a, res, i, 3);
        m->country = db_text_at(a, res, i, 4);
        m->categories = (unsigned int)strtoul(PQgetvalue(res, i, 5), NULL, 10);
        m->payment_preference = db_text_at(a, res, i, 6);
        m->added_at = db_text_at(a, res, i, 7);
        m->mandated_at = db_text_at(a, res, i, 8);
        m->mandate_text_version = db_text_at(a, res, i, 9);
        m->channel = db_text_at(a, res, i, 10);
        m->reviewed_at = db_text_at(a, res, i, 11);
        m->duplicate_attempts = strtoll(PQgetvalue(res, i, 12), NULL, 10);
        m->email_confirmed = strcmp(PQgetvalue(res, i, 13), "t") == 0;
    }
cleanup:
    PQclear(res);
    return rc;
}

int
db_ws_members_count(PGconn *c, const char *action_id, const struct ws_filter *f,
                    const char *decision, int64_t *out)
{
    struct query s = {0};
    int rc = 1;

    strbuf_puts(&s.sql, "SELECT count(*) FROM claims c");
    where_filter(&s, action_id, f);
    if (decision != NULL)
        strbuf_printf(&s.sql, " AND c.status <> $%d", param(&s, decision));
    PGresult *res = run(c, &s);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        rc = db_status_of(res, "db_ws_members_count");
    else
        *out = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return rc;
}

int
db_ws_review_apply(PGconn *c, const struct ws_decision *d, struct arena *a,
                   struct ws_moved **moved_out, int *n_out, int64_t *total_out)
{
    struct query s = {0};
    char days[16], id[DB_INT64_TEXT];
    int rc = 1;

    /* a member moves when its status differs from the decision (review_moves): members are
     * never withdrawn (claims_member_live); one claim alone is not withdrawn either (its
     * review checked it, the row locked: service/claims.c) */
    strbuf_puts(&s.sql, "WITH sel AS (SELECT c.id, c.status AS old FROM claims c");
    if (d->action_id != NULL) {
        where_filter(&s, d->action_id, d->f);
    } else {
        strbuf_printf(&s.sql, " WHERE c.id = $%d::bigint",
                      param(&s, db_int64_text(d->claim_id, id)));
    }
    int p_dec = param(&s, d->decision);
    strbuf_printf(&s.sql, " AND c.status <> $%d ORDER BY c.id FOR UPDATE),", p_dec);
    snprintf(days, sizeof days, "%d", d->correct_days);
    int p_reason = param(&s, d->reason);
    int p_note = param(&s, d->note);
    int p_days = param(&s, days);
    strbuf_printf(
        &s.sql,
        " upd AS (UPDATE claims c SET status = $%d, review_reason = $%d, status_reason = $%d,"
        "   reviewed_at = now(), updated_at = now(),"
        "   correctable_until = CASE WHEN $%d = 'rejected' AND $%d::int > 0"
        "                            THEN now() + make_interval(days => $%d::int) END"
        "   FROM sel WHERE c.id = sel.id AND c.status <> $%d"
        "   RETURNING c.id, c.incident_id, sel.old, c.payment_preference, c.country,"
        "             c.categories, c.documented_loss, c.hours_spent, c.lang,"
        "             c.member_action_id),",
        p_dec, p_reason, p_note, p_dec, p_days, p_days, p_dec);
    int p_batch = param(&s, d->batch_id);
    int p_actor = param(&s, d->actor);
    strbuf_printf(&s.sql,
                  /* the history is the claim's: outside any action, action_id is null
                   * (0030), so a claim added to an action again keeps its decisions */
                  " hist AS (INSERT INTO claim_reviews (claim_id, action_id, decision, reason,"
                  "                                     batch_id, actor)"
                  "   SELECT id, member_action_id, $%d, $%d, $%d::uuid, $%d FROM upd),"
                  /* a rejected claimant is told why (the outbox of 0011) */
                  " mail AS (INSERT INTO outbox (kind, claim_id, lang, params)"
                  "   SELECT 'claim-rejected', upd.id, upd.lang,"
                  "          jsonb_build_object('reason', $%d::text)"
                  "   FROM upd WHERE $%d = 'rejected')"
                  " SELECT incident_id, old, payment_preference, country, categories,"
                  "        documented_loss, hours_spent, count(*)"
                  " FROM upd GROUP BY 1, 2, 3, 4, 5, 6, 7",
                  p_dec, p_reason, p_batch, p_actor, p_reason, p_dec);
    PGresult *res = run(c, &s);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = db_status_of(res, "db_ws_review_apply");
        goto cleanup;
    }
    int n = PQntuples(res);
    struct ws_moved *moved = arena_alloc(a, sizeof *moved * (size_t)(n > 0 ? n : 1));
    *total_out = 0;
    for (int i = 0; i < n; i++) {
        struct tally_key *k = &moved[i].before;
        k->incident_id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
        k->status = db_text_at(a, res, i, 1);
        k->payment_preference = db_text_at(a, res, i, 2);
        k->country = db_text_at(a, res, i, 3);
        k->categories = (unsigned int)strtoul(PQgetvalue(res, i, 4), NULL, 10);
        k->documented_loss = strtoll(PQgetvalue(res, i, 5), NULL, 10);
        k->hours_spent = strtoll(PQgetvalue(res, i, 6), NULL, 10);
        moved[i].n = strtoll(PQgetvalue(res, i, 7), NULL, 10);
        *total_out += moved[i].n;
    }
    *moved_out = moved;
    *n_out = n;
cleanup:
    PQclear(res);
    return rc;
}

/* The single-row count a statement of the table answers. */
static int
count_of(PGconn *c, const char *stmt, int n, const char *const *params)
{
    PGresult *res = db_exec_prepared(c, stmt, n, params, NULL, NULL, 0);
    int rc = PQresultStatus(res) == PGRES_TUPLES_OK ? atoi(PQgetvalue(res, 0, 0))
                                                    : db_status_of(res, stmt);
    PQclear(res);
    return rc;
}

int
db_ws_member_remove(PGconn *c, const char *action_id, const char *reference, const char *reason,
                    const char *batch_id, const char *actor)
{
    const char *params[5] = {action_id, reference, reason, batch_id, actor};

    return count_of(c, "db_ws_member_remove", 5, params);
}

int
db_ws_reopen_corrected(PGconn *c, int64_t claim_id)
{
    char id[24];

    db_int64_text(claim_id, id);
    const char *params[1] = {id};
    return count_of(c, "db_ws_reopen_corrected", 1, params);
}

int
db_ws_member_extra(PGconn *c, int64_t claim_id, struct arena *a, struct ws_member_row *out,
                   const char ***dates_out, int max_dates, int *n_dates)
{
    char id[24], lim[16];
    int rc = 1;

    db_int64_text(claim_id, id);
    snprintf(lim, sizeof lim, "%d", max_dates);
    const char *params[2] = {id, lim};
    PGresult *res = db_exec_prepared(c, "db_ws_member_extra", 1, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = db_status_of(res, "db_ws_member_extra");
        PQclear(res);
        return rc;
    }
    if (PQntuples(res) != 1) {
        PQclear(res);
        return 0;
    }
    out->review_reason = db_text_at(a, res, 0, 0);
    out->correctable_until = db_text_at(a, res, 0, 1);
    out->reviewed_at = db_text_at(a, res, 0, 2);
    out->duplicate_attempts = strtoll(PQgetvalue(res, 0, 3), NULL, 10);
    PQclear(res);
    res = db_exec_prepared(c, "db_ws_member_duplicate_dates", 2, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = db_status_of(res, "db_ws_member_duplicate_dates");
        PQclear(res);
        return rc;
    }
    int n = PQntuples(res);
    const char **dates = arena_alloc(a, sizeof *dates * (size_t)(n > 0 ? n : 1));
    for (int i = 0; i < n; i++)
        dates[i] = db_text_at(a, res, i, 0);
    *dates_out = dates;
    *n_dates = n;
    PQclear(res);
    return rc;
}

static bool
read_history_row(const PGresult *res, int row, struct arena *a, void *out)
{
    struct ws_history_row *h = out;

    h->decision = db_text_at(a, res, row, 0);
    h->reason = db_text_at(a, res, row, 1);
    h->at = db_text_at(a, res, row, 2);
    h->by = db_text_at(a, res, row, 3);
    return true;
}

int
db_ws_member_history(PGconn *c, int64_t claim_id, int max, struct arena *a,
                     struct ws_history_row **out, int *n_out)
{
    char id[DB_INT64_TEXT], lim[DB_INT64_TEXT];
    const char *params[2] = {db_int64_text(claim_id, id), db_int64_text(max, lim)};
    void *rows;
    int rc =
        db_exec_all(c, "db_ws_member_history", 2, params, read_history_row, a, sizeof **out, &rows);

    if (rc < 0)
        return rc;
    *out = rows;
    *n_out = rc;
    return 1;
}

static bool
read_day(const PGresult *res, int row, struct arena *a, void *out)
{
    struct ws_day *d = out;

    d->date = db_text_at(a, res, row, 0);
    d->n = strtoll(PQgetvalue(res, row, 1), NULL, 10);
    return true;
}

int
db_ws_members_per_day(PGconn *c, const char *action_id, struct arena *a,
                      struct ws_day **out, int *n_out)
{
    const char *params[1] = {action_id};
    void *rows;
    int rc = db_exec_all(c, "db_ws_members_per_day", 1, params, read_day, a, sizeof **out, &rows);

    if (rc < 0)
        return rc;
    *out = rows;
    *n_out = rc;
    return 1;
}

int
db_ws_outbox_reason(PGconn *c, int64_t outbox_id, struct arena *a, const char **out)
{
    char id[24];
    const char *params[1] = {id};
    int rc = 1;

    db_int64_text(outbox_id, id);
    PGresult *res = db_exec_prepared(c, "db_ws_outbox_reason", 1, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        rc = db_status_of(res, "db_ws_outbox_reason");
    else if (PQntuples(res) != 1)
        rc = 0;
    else
        *out = db_text_at(a, res, 0, 0);
    PQclear(res);
    return rc;
}

PGresult *
db_ws_members_select(PGconn *c, const char *head, const char *const *head_params, int n_head,
                     const char *action_id, const struct ws_filter *f, const char *tail)
{
    struct query s = {0};

    for (int i = 0; i < n_head; i++)
        param(&s, head_params[i]);
    strbuf_puts(&s.sql, head);
    where_filter(&s, action_id, f);
    strbuf_puts(&s.sql, tail);
    return run(c, &s);
}
