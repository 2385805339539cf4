/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Statements of a notice's delivery and of the stop link (see notices_mail.h). */
#include "db/notices_mail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "db/errors.h"
#include "db/exec.h"
#include "db/pg_array.h"

static bool
read_message(const PGresult *res, int row, struct arena *a, void *out)
{
    struct notice_message *m = out;

    if (PQnfields(res) != 12)
        return false;
    memset(m, 0, sizeof *m);
    m->outbox_id = db_int64_at(res, row, 0);
    m->claim_id = db_int64_at(res, row, 1);
    m->reference = db_text_at(a, res, row, 2);
    m->data_key_id = atoi(PQgetvalue(res, row, 3));
    uint8_t *pii;
    if (!db_bytea_at(a, res, row, 4, &pii, &m->pii_len))
        return false;
    m->pii = pii;
    m->subject = db_text_at(a, res, row, 5);
    m->body = db_text_at(a, res, row, 6);
    m->essential = db_bool_at(res, row, 7);
    m->action_title = db_text_at(a, res, row, 8);
    m->association_name = db_text_at(a, res, row, 9);
    m->still_member = db_bool_at(res, row, 10);
    m->opted_out = db_bool_at(res, row, 11);
    return m->subject != NULL && m->body != NULL;
}

static bool
read_stop_info(const PGresult *res, int row, struct arena *a, void *out)
{
    struct notice_stop_info *s = out;

    s->lang = db_text_at(a, res, row, 0);
    s->action_title = db_text_at(a, res, row, 1);
    s->association_name = db_text_at(a, res, row, 2);
    s->opted_out = db_bool_at(res, row, 3);
    return s->lang != NULL;
}

const struct db_statement db_notices_mail_statements[] = {
    /* a batch's messages at once (one statement, not two per message); the claim's row is
     * optional so that a claim gone is told from a notice gone */
    {"db_notice_messages",
     "SELECT o.id, coalesce(c.id, 0), c.reference, c.data_key_id, c.pii,"
     "       CASE o.lang WHEN 'en' THEN n.subject_en ELSE n.subject_fr END,"
     "       CASE o.lang WHEN 'en' THEN n.body_en ELSE n.body_fr END,"
     "       n.essential, a.title, s.name,"
     "       c.member_action_id IS NOT DISTINCT FROM n.action_id,"
     "       c.notices_opt_out_at IS NOT NULL"
     " FROM unnest($1::bigint[]) WITH ORDINALITY AS b(id, k)"
     " JOIN outbox o ON o.id = b.id JOIN notices n ON n.id = o.notice_id"
     " LEFT JOIN claims c ON c.id = o.claim_id"
     " JOIN actions a ON a.id = n.action_id JOIN associations s ON s.id = a.association_id"
     " ORDER BY b.k",
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

int
db_notice_messages(PGconn *c, const int64_t *outbox_ids, int n, struct arena *a,
                   struct notice_message *out)
{
    struct pg_array ids = {0};
    int rc;

    for (int i = 0; i < n; i++)
        pg_array_int(&ids, outbox_ids[i]);
    const char *params[1] = {pg_array_finish(&ids)};
    rc = db_exec_rows(c, "db_notice_messages", 1, params, read_message, a, out, sizeof *out, n);
    if (rc > n)
        rc = DB_HARD; /* an id given twice: not a batch */
    pg_array_free(&ids);
    return rc;
}

int
db_notices_stop_info(PGconn *c, int64_t claim_id, struct arena *a, struct notice_stop_info *out)
{
    return db_exec_one_id(c, "db_notices_stop_info", claim_id, read_stop_info, a, out);
}

int
db_notices_stop(PGconn *c, int64_t claim_id)
{
    return db_exec_command_id(c, "db_notices_stop", claim_id);
}
