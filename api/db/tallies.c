/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Tallies: moves of single claims, group reads. */
#include "db/tallies.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "db/errors.h"

#define SINGLE_CHANGES_SHARD "255"
#define GROUP_COLUMNS                                                                          \
    "status, payment_preference = 'cash', country, categories, documented_loss, hours_spent"

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
     " FROM memberships m JOIN claims c ON c.id = m.claim_id WHERE m.action_id = $1::uuid"
     " GROUP BY c.status, c.payment_preference, c.country, c.categories, c.documented_loss,"
     "          c.hours_spent",
     1},
    {"db_tally_duplicates",
     "SELECT coalesce(sum(n), 0) FROM duplicate_tallies WHERE incident_id = $1::bigint", 1},
    {"db_tally_duplicates_of_action",
     "SELECT count(*) FROM claim_duplicates d JOIN memberships m ON m.claim_id = d.claim_id"
     " WHERE m.action_id = $1::uuid",
     1},
    {NULL, NULL, 0},
};

int
db_tally_add(PGconn *c, const struct tally_key *k, int delta)
{
    char inc[24], cats[16], loss[24], hours[16], d[8];
    int rc = 1;

    snprintf(inc, sizeof inc, "%lld", (long long)k->incident_id);
    snprintf(cats, sizeof cats, "%u", k->categories);
    snprintf(loss, sizeof loss, "%lld", (long long)k->documented_loss);
    snprintf(hours, sizeof hours, "%lld", (long long)k->hours_spent);
    snprintf(d, sizeof d, "%d", delta);
    const char *params[8] = {inc, k->status, k->payment_preference, k->country, cats, loss,
                             hours, d};
    PGresult *res = PQexecPrepared(c, "db_tally_add", 8, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = db_status_of(res, "db_tally_add");
    PQclear(res);
    return rc;
}

static int
read_groups(PGconn *c, const char *stmt, const char *param, struct arena *a,
            struct tally_group **out, int *n_out)
{
    const char *params[1] = {param};
    int rc;

    PGresult *res = PQexecPrepared(c, stmt, 1, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = db_status_of(res, stmt);
        goto cleanup;
    }
    rc = PQntuples(res);
    *out = arena_alloc(a, sizeof **out * (size_t)(rc > 0 ? rc : 1));
    for (int i = 0; i < rc; i++) {
        struct tally_group *g = &(*out)[i];
        g->status = arena_strdup(a, PQgetvalue(res, i, 0));
        g->cash = PQgetvalue(res, i, 1)[0] == 't';
        snprintf(g->country, sizeof g->country, "%s", PQgetvalue(res, i, 2));
        g->categories = (unsigned int)strtoul(PQgetvalue(res, i, 3), NULL, 10);
        g->documented_loss = strtoll(PQgetvalue(res, i, 4), NULL, 10);
        g->hours_spent = strtoll(PQgetvalue(res, i, 5), NULL, 10);
        g->n = strtoll(PQgetvalue(res, i, 6), NULL, 10);
    }
    *n_out = rc;
cleanup:
    PQclear(res);
    return rc;
}

int
db_tally_groups(PGconn *c, int64_t incident_id, struct arena *a, struct tally_group **out,
                int *n_out)
{
    char inc[24];

    snprintf(inc, sizeof inc, "%lld", (long long)incident_id);
    return read_groups(c, "db_tally_groups", inc, a, out, n_out);
}

int
db_tally_groups_of_action(PGconn *c, const char *action_id, struct arena *a,
                          struct tally_group **out, int *n_out)
{
    return read_groups(c, "db_tally_groups_of_action", action_id, a, out, n_out);
}

static int
count_of(PGconn *c, const char *stmt, const char *param, int64_t *n_out)
{
    const char *params[1] = {param};
    int rc = 1;

    PGresult *res = PQexecPrepared(c, stmt, 1, params, NULL, NULL, 0);
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

    snprintf(inc, sizeof inc, "%lld", (long long)incident_id);
    return count_of(c, "db_tally_duplicates", inc, n_out);
}

int
db_tally_duplicates_of_action(PGconn *c, const char *action_id, int64_t *n_out)
{
    return count_of(c, "db_tally_duplicates_of_action", action_id, n_out);
}
