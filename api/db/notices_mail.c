/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Statements of a notice's delivery and of the stop link (see notices_mail.h). */
#include "db/notices_mail.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "db/errors.h"
#include "db/exec.h"

const struct db_statement db_notices_mail_statements[] = {
    {"db_notice_message",
     "SELECT CASE o.lang WHEN 'en' THEN n.subject_en ELSE n.subject_fr END,"
     "       CASE o.lang WHEN 'en' THEN n.body_en ELSE n.body_fr END,"
     "       n.essential, a.title, s.name,"
     "       c.member_action_id IS NOT DISTINCT FROM n.action_id,"
     "       c.notices_opt_out_at IS NOT NULL"
     " FROM outbox o JOIN notices n ON n.id = o.notice_id"
     " JOIN claims c ON c.id = o.claim_id"
     " JOIN actions a ON a.id = n.action_id JOIN associations s ON s.id = a.association_id"
     " WHERE o.id = $1::bigint",
     1},
    {"db_notices_stop_info",
     "SELECT c.lang, a.title, s.name, c.notices_opt_out_at IS NOT NULL FROM claims c"
     " LEFT JOIN actions a ON a.id = c.member_action_id"
     " LEFT JOIN associations s ON s.id = a.association_id"
     " WHERE c.id = $1::bigint",
     1},
    {"db_notices_stop",
     "UPDATE claims SET notices_opt_out_at = coalesce(notices_opt_out_at, now())"
     " WHERE id = $1::bigint",
     1},
    {NULL, NULL, 0},
};

static const char *
dup_or_null(struct arena *a, const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL : arena_strdup(a, PQgetvalue(res, row, col));
}

static bool
is_true(const PGresult *res, int row, int col)
{
    return strcmp(PQgetvalue(res, row, col), "t") == 0;
}

static bool
read_message(const PGresult *res, int row, struct arena *a, void *out)
{
    struct notice_message *m = out;

    m->subject = dup_or_null(a, res, row, 0);
    m->body = dup_or_null(a, res, row, 1);
    m->essential = is_true(res, row, 2);
    m->action_title = dup_or_null(a, res, row, 3);
    m->association_name = dup_or_null(a, res, row, 4);
    m->still_member = is_true(res, row, 5);
    m->opted_out = is_true(res, row, 6);
    return m->subject != NULL && m->body != NULL;
}

static bool
read_stop_info(const PGresult *res, int row, struct arena *a, void *out)
{
    struct notice_stop_info *s = out;

    s->lang = dup_or_null(a, res, row, 0);
    s->action_title = dup_or_null(a, res, row, 1);
    s->association_name = dup_or_null(a, res, row, 2);
    s->opted_out = is_true(res, row, 3);
    return s->lang != NULL;
}

/* Runs stmt on one id (outbox row or claim) and reads its row with read. */
static int
one_by_id(PGconn *c, const char *stmt, int64_t id, db_row_reader read, struct arena *a,
          void *out)
{
    char text[24];
    const char *params[1] = {text};

    snprintf(text, sizeof text, "%lld", (long long)id);
    return read != NULL ? db_exec_one(c, stmt, 1, params, read, a, out)
                        : db_exec_command(c, stmt, 1, params);
}

int
db_notice_message(PGconn *c, int64_t outbox_id, struct arena *a, struct notice_message *out)
{
    return one_by_id(c, "db_notice_message", outbox_id, read_message, a, out);
}

int
db_notices_stop_info(PGconn *c, int64_t claim_id, struct arena *a, struct notice_stop_info *out)
{
    return one_by_id(c, "db_notices_stop_info", claim_id, read_stop_info, a, out);
}

int
db_notices_stop(PGconn *c, int64_t claim_id)
{
    return one_by_id(c, "db_notices_stop", claim_id, NULL, NULL, NULL);
}
