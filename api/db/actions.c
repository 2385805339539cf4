/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* actions: SQL next to its functions; every read joins the incident (slug, status), the
 * association (reported status) and counts members. */
#include "db/actions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "db/errors.h"
#include "db/exec.h"

/* COUNT: the member count, or a constant where the caller does not need it (the mandate
 * check of every submission must not count an action's millions of members) */
#define ACTION_SELECT_COUNTING(COUNT)                                                          \
    "SELECT x.id, x.association_id, x.incident_id, i.slug, i.status, x.title, x.legal_basis," \
    "       " DB_TS("x.opt_in_deadline") ", x.opt_in_deadline <= now(), x.counsel_name,"      \
    "       x.counsel_email, x.mandate_text, x.mandate_text_version, x.status,"               \
    "       " COUNT ","                                                                        \
    "       CASE WHEN s.status = 'approved' AND NOT (current_date BETWEEN s.approved_from"     \
    "            AND coalesce(s.approved_until, 'infinity'::date)) THEN 'lapsed'"              \
    "            ELSE s.status END,"                                                           \
    "       " DB_TS("x.created_at") ", " DB_TS("x.updated_at")                                 \
    " FROM actions x JOIN incidents i ON i.id = x.incident_id"                                 \
    " JOIN associations s ON s.id = x.association_id"
#define ACTION_SELECT                                                                          \
    ACTION_SELECT_COUNTING("(SELECT count(*) FROM claims m WHERE m.member_action_id = x.id)")

static bool
read_action(const PGresult *res, int r, struct arena *a, void *dest)
{
    struct action *out = dest;
    const char **const ids[] = {&out->id, &out->association_id};
    const char **const about[] = {&out->incident, &out->incident_status, &out->title,
                                  &out->legal_basis, &out->opt_in_deadline};
    const char **const terms[] = {&out->counsel_name, &out->counsel_email, &out->mandate_text,
                                  &out->mandate_text_version, &out->status};
    const char **const rest[] = {&out->association_status, &out->created_at, &out->updated_at};

    db_texts_at(a, res, r, 0, ids, sizeof ids / sizeof ids[0]);
    out->incident_id = db_int64_at(res, r, 2);
    db_texts_at(a, res, r, 3, about, sizeof about / sizeof about[0]);
    out->deadline_passed = db_bool_at(res, r, 8);
    db_texts_at(a, res, r, 9, terms, sizeof terms / sizeof terms[0]);
    out->member_count = db_int64_at(res, r, 14);
    db_texts_at(a, res, r, 15, rest, sizeof rest / sizeof rest[0]);
    return true;
}

const struct db_statement db_actions_statements[] = {
    {"db_actions_insert",
     "WITH x AS (INSERT INTO actions (association_id, incident_id, title, legal_basis,"
     "   opt_in_deadline, counsel_name, counsel_email, mandate_text, mandate_text_version)"
     " SELECT $1::uuid, i.id, $3, $4, $5::timestamptz, $6, $7, $8, $9 FROM incidents i"
     " WHERE i.slug = $2 AND i.status = 'open' RETURNING id)"
     " SELECT id FROM x",
     9},
    {"db_actions_get", ACTION_SELECT " WHERE x.id = $1::uuid", 1},
    {"db_actions_get_uncounted", ACTION_SELECT_COUNTING("-1::bigint") " WHERE x.id = $1::uuid",
     1},
    {"db_actions_get_for_update", ACTION_SELECT " WHERE x.id = $1::uuid FOR UPDATE OF x", 1},
    {"db_actions_update",
     "UPDATE actions SET title = $2, legal_basis = $3, opt_in_deadline = $4::timestamptz,"
     " counsel_name = $5, counsel_email = $6, mandate_text = $7, mandate_text_version = $8,"
     " status = $9, updated_at = now() WHERE id = $1::uuid",
     9},
    {"db_actions_list",
     ACTION_SELECT " WHERE x.association_id = $1::uuid"
     "   AND ($2::text IS NULL OR i.slug = $2) AND ($3::text IS NULL OR x.status = $3)"
     "   AND ($4::text IS NULL OR (x.created_at, x.id) >"
     "        (SELECT created_at, id FROM actions WHERE id = $4::uuid))"
     " ORDER BY x.created_at, x.id LIMIT $5::int",
     5},
    {"db_actions_lock_status", "SELECT status FROM actions WHERE id = $1::uuid FOR SHARE", 1},
    {NULL, NULL, 0},
};

int
db_actions_get(PGconn *c, const char *id, bool for_update, struct arena *a, struct action *out)
{
    const char *params[1] = {id};

    return db_exec_one(c, for_update ? "db_actions_get_for_update" : "db_actions_get", 1, params,
                       read_action, a, out);
}

int
db_actions_get_uncounted(PGconn *c, const char *id, struct arena *a, struct action *out)
{
    const char *params[1] = {id};

    return db_exec_one(c, "db_actions_get_uncounted", 1, params, read_action, a, out);
}

int
db_actions_insert(PGconn *c, const struct action *in, struct arena *a, struct action *out)
{
    const char *params[9] = {in->association_id, in->incident,      in->title,
                             in->legal_basis,    in->opt_in_deadline, in->counsel_name,
                             in->counsel_email,  in->mandate_text,  in->mandate_text_version};
    const char *id = NULL;
    int rc = db_exec_one(c, "db_actions_insert", 9, params, db_read_text, a, &id);

    return rc == 1 ? db_actions_get(c, id, false, a, out) : rc;
}

int
db_actions_update(PGconn *c, const struct action *in, struct arena *a, struct action *out)
{
    const char *params[9] = {in->id,           in->title,        in->legal_basis,
                             in->opt_in_deadline, in->counsel_name, in->counsel_email,
                             in->mandate_text, in->mandate_text_version, in->status};
    int rc = db_exec_command(c, "db_actions_update", 9, params);

    return rc == 1 ? db_actions_get(c, in->id, false, a, out) : rc;
}

int
db_actions_list(PGconn *c, const char *association_id, const char *incident, const char *status,
                const char *after, int limit, struct arena *a, struct action *out, int *n_out)
{
    const char *params[4] = {association_id, incident, status, after};

    return db_exec_page(c, "db_actions_list", 4, params, read_action, a, out, sizeof *out, limit,
                        n_out);
}

int
db_actions_lock_status(PGconn *c, const char *id, char *status_out)
{
    const char *params[1] = {id};

    return db_exec_text_into(c, "db_actions_lock_status", 1, params, status_out, 16);
}
