/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Membership statements. A membership is two columns of the claim (0006): a claim is in at
 * most one action, and the database keeps a person (dedup identity) in at most one action per
 * incident through the claims' unique person keys and claims_member_live. Candidates are
 * locked FOR UPDATE in id order before they are changed: two requests adding the same claims
 * queue on their rows (in one order, so they cannot deadlock) and the second sees the first's
 * result; a withdrawal or a revoked mandate committing meanwhile is waited for and seen. */
#include "db/memberships.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "db/errors.h"
#include "db/exec.h"
#include "db/prepared.h"

/* Shared tail: make the eligible candidates members, then count every outcome. cand must have
 * (id, in_action, mandated); $2 is the incident, $3 the association. The UPDATE checks the
 * mandate again on the row it writes: if a revocation or another mandate committed before the
 * row could be written, PostgreSQL rechecks these conditions on the row as it now is and skips
 * it (counted as not added), where writing it broke claims_member_mandated (a 500 seen under
 * load in test_no_double_recovery's mixed race). */
#define ADD_TAIL                                                                               \
    ", ins AS (UPDATE claims SET member_action_id = $1::uuid, member_added_at = now()"        \
    "   FROM cand WHERE claims.id = cand.id AND cand.mandated AND cand.in_action IS NULL"      \
    "     AND claims.mandate_association_id = $3::uuid AND claims.incident_id = $2::bigint"    \
    "     AND claims.status <> 'withdrawn' AND claims.member_action_id IS NULL"                \
    "   RETURNING claims.id)"                                                                  \
    " SELECT count(ins.id),"                                                                   \
    "        count(*) FILTER (WHERE mandated AND in_action = $1::uuid),"                       \
    "        count(*) FILTER (WHERE mandated AND ins.id IS NULL"                               \
    "                         AND (in_action IS NULL OR in_action <> $1::uuid)),"              \
    "        count(*) FILTER (WHERE NOT mandated)"                                             \
    " FROM cand LEFT JOIN ins ON ins.id = cand.id"

const struct db_statement db_memberships_statements[] = {
    {"db_members_add_refs",
     "WITH r AS (SELECT DISTINCT upper(x) AS ref FROM unnest($4::text[]) x),"
     " locked AS (SELECT c.id, c.reference, c.incident_id, c.status, c.mandate_association_id,"
     "                   c.member_action_id"
     "            FROM claims c WHERE c.reference IN (SELECT ref FROM r)"
     "            ORDER BY c.id FOR UPDATE),"
     " cand AS (SELECT r.ref, l.id, l.member_action_id AS in_action,"
     "                 coalesce(l.status <> 'withdrawn' AND l.incident_id = $2::bigint"
     "                          AND l.mandate_association_id = $3::uuid, false) AS mandated"
     "          FROM r LEFT JOIN locked l ON l.reference = r.ref)" ADD_TAIL,
     4},
    {"db_members_add_filter",
     "WITH cand AS (SELECT c.id, c.member_action_id AS in_action, true AS mandated"
     "          FROM claims c"
     "          WHERE c.incident_id = $2::bigint AND c.mandate_association_id = $3::uuid"
     "            AND c.status <> 'withdrawn'"
     "            AND ($4::text IS NULL OR c.status = $4)"
     "            AND ($5::int IS NULL OR c.categories & (1 << $5::int) <> 0)"
     "            AND ($6::text IS NULL OR c.country = $6)"
     "            AND ($7::timestamptz IS NULL OR c.created_at >= $7::timestamptz)"
     "            AND ($8::timestamptz IS NULL OR c.created_at < $8::timestamptz)"
     "          ORDER BY c.id FOR UPDATE)" ADD_TAIL,
     8},
    {"db_members_remove",
     "UPDATE claims SET member_action_id = NULL, member_added_at = NULL"
     " WHERE reference = $2 AND member_action_id = $1::uuid",
     2},
    {NULL, NULL, 0},
};

static int
counts_of(PGresult *res, const char *stmt, struct member_counts *out)
{
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        return db_status_of(res, stmt);
    out->added = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    out->already_in_action = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
    out->in_other_action = strtoll(PQgetvalue(res, 0, 2), NULL, 10);
    out->not_mandated = strtoll(PQgetvalue(res, 0, 3), NULL, 10);
    return 1;
}

int
db_members_add_refs(PGconn *c, const char *action_id, int64_t incident_id,
                    const char *association_id, const char *refs_array,
                    struct member_counts *out)
{
    char inc[24];

    db_int64_text(incident_id, inc);
    const char *params[4] = {action_id, inc, association_id, refs_array};
    PGresult *res = db_exec_prepared(c, "db_members_add_refs", 4, params, NULL, NULL, 0);
    int rc = counts_of(res, "db_members_add_refs", out);
    PQclear(res);
    return rc;
}

int
db_members_add_filter(PGconn *c, const char *action_id, int64_t incident_id,
                      const char *association_id, const struct member_filter *f,
                      struct member_counts *out)
{
    char inc[24];
    char cat[8];

    db_int64_text(incident_id, inc);
    snprintf(cat, sizeof cat, "%d", f->category);
    const char *params[8] = {action_id,  inc,        association_id,     f->status,
                             f->category >= 0 ? cat : NULL, f->country, f->submitted_after,
                             f->submitted_before};
    PGresult *res = db_exec_prepared(c, "db_members_add_filter", 8, params, NULL, NULL, 0);
    int rc = counts_of(res, "db_members_add_filter", out);
    PQclear(res);
    return rc;
}

int
db_members_remove(PGconn *c, const char *action_id, const char *reference)
{
    const char *params[2] = {action_id, reference};

    return db_exec_command(c, "db_members_remove", 2, params);
}
