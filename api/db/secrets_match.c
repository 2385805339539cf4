/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The reads of serve's start-up check (see secrets_match.h). Both use an index backwards and
 * stop at the first rows: the check costs the same on an empty and on a large database. */
#include "db/secrets_match.h"

#include "core/arena.h"
#include "db/audit.h"
#include "db/exec.h"

/* the columns of db/audit.c's walk; LIMIT is DB_AUDIT_TAIL_MAX */
#define AUDIT_TAIL_SQL \
    "SELECT " DB_AUDIT_EVENT_COLUMNS " FROM audit_events ORDER BY seq DESC LIMIT 2"

const struct db_statement db_secrets_match_statements[] = {
    {"db_secrets_match_audit_tail", AUDIT_TAIL_SQL, 0},
    /* claims_pkey backwards; erased claims (pii NULL) are skipped */
    {"db_secrets_match_newest_claim",
     "SELECT reference, data_key_id, pii FROM claims WHERE pii IS NOT NULL"
     " ORDER BY id DESC LIMIT 1",
     0},
    {NULL, NULL, 0},
};

static bool
read_link_row(const PGresult *res, int row, struct arena *a, void *out)
{
    struct audit_link_row *e = out;

    for (int col = 0; col < 6; col++)
        e->fields[col] = arena_strdup(a, PQgetvalue(res, row, col));
    db_texts_at(a, res, row, 6, (const char **const[]){&e->digest_hex, &e->prev_hex, &e->hash_hex},
                3);
    return e->digest_hex != NULL && e->prev_hex != NULL && e->hash_hex != NULL;
}

int
db_secrets_match_audit_tail(PGconn *c, struct arena *a,
                            struct audit_link_row out[DB_AUDIT_TAIL_MAX])
{
    return db_exec_rows(c, "db_secrets_match_audit_tail", 0, NULL, read_link_row, a, out,
                        sizeof *out, DB_AUDIT_TAIL_MAX);
}

static bool
read_sealed_claim(const PGresult *res, int row, struct arena *a, void *out)
{
    struct sealed_claim *s = out;

    s->reference = db_text_at(a, res, row, 0);
    s->data_key_id = (int)db_int64_at(res, row, 1);
    return s->reference != NULL && db_bytea_at(a, res, row, 2, &s->box, &s->box_len) &&
           s->box != NULL;
}

int
db_secrets_match_newest_claim(PGconn *c, struct arena *a, struct sealed_claim *out)
{
    return db_exec_one(c, "db_secrets_match_newest_claim", 0, NULL, read_sealed_claim, a, out);
}
