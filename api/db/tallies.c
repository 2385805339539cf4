/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Tallies: moves of single claims, group reads. */
#include "db/tallies.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "db/errors.h"
#include "db/exec.h"
#include "db/pg_array.h"
#include "db/prepared.h"

#define SINGLE_CHANGES_SHARD "255"
#define GROUP_COLUMNS                                                                          \
    "status, payment_preference = 'cash', country, categories, documented_loss, hours_spent"

/* The claims of a boundary class's keys ($2..$6 arrays) among the eligible statuses ($7) of
 * incident $1, the first $8 in reference order (order: "" or " DESC"), counted by award, all
 * and those of action $9. */
#define BOUNDARY_CLASS_BY_REFERENCE(order)                                                     \
    "SELECT f.award, count(*), count(*) FILTER (WHERE f.member_action_id = $9::uuid)"           \
    " FROM (SELECT c.member_action_id, k.award"                                                 \
    "       FROM claims c"                                                                      \
    "       JOIN (SELECT DISTINCT *"                                                            \
    "             FROM unnest($2::int[], $3::bigint[], $4::int[], $5::bool[], $6::bigint[])"    \
    "                  AS u(categories, documented_loss, hours_spent, cash, award)) k"          \
    "         ON c.categories = k.categories"                                                   \
    "        AND c.documented_loss = k.documented_loss"                                         \
    "        AND c.hours_spent = k.hours_spent"                                                 \
    "        AND (c.payment_preference = 'cash') = k.cash"                                      \
    "       WHERE c.incident_id = $1::bigint"                                                   \
    "         AND c.status = ANY ($7::text[])"                                                  \
    "       ORDER BY c.reference" order                                                         \
    "       LIMIT $8::bigint) f"                                                                \
    " GROUP BY f.award"

const struct db_statement db_tallies_statements[] = {
    {"db_tally_add",
     "INSERT INTO claim_tallies AS t (incident_id, status, payment_preference, country,"
     "  categories, documented_loss, hours_spent, shard, n)"
     " VALUES ($1::bigint, $2, $3, $4, $5::int, $6::bigint, $7::int, " SINGLE_CHANGES_SHARD
     ", $8::bigint)"
     " ON CONFLICT ON CONSTRAINT claim_tallies_pkey DO UPDATE SET n = t.n + excluded.n",
     8},
    {"db_tally_groups",
     "SELECT " GROUP_COLUMNS ", sum(n) FROM claim_tallies WHERE incident_id = $1::bigint"
     " GROUP BY status, payment_preference, country, categories, documented_loss, hours_spent"
     " HAVING sum(n) > 0",
     1},
    {"db_tally_groups_of_action",
     "SELECT c.status, c.payment_preference = 'cash', c.country, c.categories,"
     "       c.documented_loss, c.hours_spent, count(*)"
     " FROM claims c WHERE c.member_action_id = $1::uuid"
     " GROUP BY c.status, c.payment_preference, c.country, c.categories, c.documented_loss,"
     "          c.hours_spent",
     1},
    {"db_tally_duplicates",
     "SELECT coalesce(sum(n), 0) FROM duplicate_tallies WHERE incident_id = $1::bigint", 1},
    {"db_tally_duplicates_of_action",
     "SELECT count(*) FROM claim_duplicates d JOIN claims c ON c.id = d.claim_id"
     " WHERE c.member_action_id = $1::uuid",
     1},
    /* The first $8 eligible claims of a boundary class by reference (the last, from the end).
     * The class is rare (a binding cap and a tie) and usually small; when it is large the
     * planner may walk the unique index on reference instead of sorting, both bounded by
     * statement_timeout. The distinct keys are few (the tally groups of a handful of awards). */
    {"db_tally_boundary", BOUNDARY_CLASS_BY_REFERENCE(""), 9},
    {"db_tally_boundary_from_end", BOUNDARY_CLASS_BY_REFERENCE(" DESC"), 9},
    {NULL, NULL, 0},
};

int
db_tally_add(PGconn *c, const struct tally_key *k, int delta)
{
    char inc[24], cats[16], loss[24], hours[24], d[8];
    int rc = 1;

    db_int64_text(k->incident_id, inc);
    snprintf(cats, sizeof cats, "%u", k->categories);
    db_int64_text(k->documented_loss, loss);
    db_int64_text(k->hours_spent, hours);
    snprintf(d, sizeof d, "%d", delta);
    const char *params[8] = {inc, k->status, k->payment_preference, k->country, cats, loss,
                             hours, d};
    PGresult *res = db_exec_prepared(c, "db_tally_add", 8, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = db_status_of(res, "db_tally_add");
    PQclear(res);
    return rc;
}

void
db_tally_group_at(const PGresult *res, int row, int col, struct arena *a, struct tally_group *g)
{
    memset(g, 0, sizeof *g);
    g->status = db_text_at(a, res, row, col);
    g->cash = db_bool_at(res, row, col + 1);
    snprintf(g->country, sizeof g->country, "%s", PQgetvalue(res, row, col + 2));
    g->categories = (unsigned int)strtoul(PQgetvalue(res, row, col + 3), NULL, 10);
    g->documented_loss = db_int64_at(res, row, col + 4);
    g->hours_spent = db_int64_at(res, row, col + 5);
    g->n = db_int64_at(res, row, col + 6);
}

static bool
read_group(const PGresult *res, int row, struct arena *a, void *out)
{
    db_tally_group_at(res, row, 0, a, out);
    return true;
}

int
db_tally_read_groups(PGconn *c, const char *stmt, const char *param, struct arena *a,
                     struct tally_group **out, int *n_out)
{
    const char *params[1] = {param};
    void *rows;
    int rc = db_exec_all(c, stmt, 1, params, read_group, a, sizeof **out, &rows);

    *out = rows;
    if (rc >= 0)
        *n_out = rc;
    return rc;
}

/* Marks the groups read with where they came from. */
static void
set_source(int64_t incident_id, const char *action_id, struct arena *a, struct tally_group *g,
           int n)
{
    struct tally_source *src = arena_alloc(a, sizeof *src);

    src->incident_id = incident_id;
    src->action_id = action_id != NULL ? arena_strdup(a, action_id) : NULL;
    for (int i = 0; i < n; i++)
        g[i].source = src;
}

int
db_tally_groups(PGconn *c, int64_t incident_id, struct arena *a, struct tally_group **out,
                int *n_out)
{
    char inc[24];

    db_int64_text(incident_id, inc);
    int rc = db_tally_read_groups(c, "db_tally_groups", inc, a, out, n_out);
    if (rc >= 0)
        set_source(incident_id, NULL, a, *out, *n_out);
    return rc;
}

int
db_tally_groups_of_action(PGconn *c, const char *action_id, struct arena *a,
                          struct tally_group **out, int *n_out)
{
    int rc = db_tally_read_groups(c, "db_tally_groups_of_action", action_id, a, out, n_out);

    if (rc >= 0)
        set_source(0, action_id, a, *out, *n_out);
    return rc;
}

/* Adds the result rows (award, all, members) to the counts of their award. */
static bool
boundary_counts(const PGresult *res, const int64_t *awards, size_t k, int64_t *all_out,
                int64_t *members_out)
{
    for (int i = 0; i < PQntuples(res); i++) {
        int64_t award = strtoll(PQgetvalue(res, i, 0), NULL, 10);
        size_t j = 0;
        while (j < k && awards[j] != award)
            j++;
        if (j == k)
            return false;
        all_out[j] += strtoll(PQgetvalue(res, i, 1), NULL, 10);
        members_out[j] += strtoll(PQgetvalue(res, i, 2), NULL, 10);
    }
    return true;
}

int
db_tally_boundary(PGconn *c, const struct tally_boundary_query *q, const int64_t *awards,
                  size_t k, int64_t *all_out, int64_t *members_out)
{
    const char *stmt = q->from_end ? "db_tally_boundary_from_end" : "db_tally_boundary";
    struct pg_array cols[5];
    char inc[24], limit[24];
    PGresult *res = NULL;
    int rc = DB_HARD;

    memset(cols, 0, sizeof cols);
    memset(all_out, 0, sizeof *all_out * k);
    memset(members_out, 0, sizeof *members_out * k);
    for (size_t i = 0; i < q->n_keys; i++) {
        pg_array_int(&cols[0], q->keys[i].categories);
        pg_array_int(&cols[1], q->keys[i].documented_loss);
        pg_array_int(&cols[2], q->keys[i].hours_spent);
        pg_array_bool(&cols[3], q->keys[i].cash);
        pg_array_int(&cols[4], q->keys[i].award);
    }
    db_int64_text(q->incident_id, inc);
    db_int64_text(q->limit, limit);
    const char *params[9] = {inc};
    pg_array_finish_all(cols, 5, params + 1); /* $2..$6: the class's keys */
    params[6] = q->verified_only ? "{verified}" : "{received,verified}";
    params[7] = limit;
    params[8] = q->action_id;
    res = db_exec_prepared(c, stmt, 9, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = db_status_of(res, stmt);
        goto cleanup;
    }
    if (!boundary_counts(res, awards, k, all_out, members_out)) {
        log_bug("boundary claims with an award outside their class");
        goto cleanup;
    }
    rc = 1;
cleanup:
    PQclear(res);
    pg_array_free_all(cols, 5);
    return rc;
}

static int
count_of(PGconn *c, const char *stmt, const char *param, int64_t *n_out)
{
    const char *params[1] = {param};
    int rc = 1;

    PGresult *res = db_exec_prepared(c, stmt, 1, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        rc = db_status_of(res, stmt);
    else
        *n_out = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return rc;
}

int
db_tally_duplicates(PGconn *c, int64_t incident_id, int64_t *n_out)
{
    char inc[24];

    db_int64_text(incident_id, inc);
    return count_of(c, "db_tally_duplicates", inc, n_out);
}

int
db_tally_duplicates_of_action(PGconn *c, const char *action_id, int64_t *n_out)
{
    return count_of(c, "db_tally_duplicates_of_action", action_id, n_out);
}
