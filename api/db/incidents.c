/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* incidents: SQL next to its function. Categories travel as a comma-separated list in
 * canonical order; times are formatted by PostgreSQL in UTC. */
#include "db/incidents.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "db/errors.h"
#include "db/exec.h"

#define INCIDENT_COLUMNS                                                                       \
    "id, slug, controller, title, disclosed_on::text, affected_count, "                       \
    "array_to_string(data_categories, ','), authority_reference, status, currency, "          \
    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "         \
    "to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

const struct db_statement db_incidents_statements[] = {
    {"db_incidents_insert",
     "INSERT INTO incidents"
     " (slug, controller, title, disclosed_on, affected_count, data_categories,"
     "  authority_reference, status, currency)"
     " VALUES ($1, $2, $3, $4::date, $5::bigint, string_to_array($6, ','), $7, $8, $9)"
     " ON CONFLICT ON CONSTRAINT incidents_slug_key DO NOTHING"
     " RETURNING " INCIDENT_COLUMNS,
     9},
    {"db_incidents_get", "SELECT " INCIDENT_COLUMNS " FROM incidents WHERE slug = $1", 1},
    {"db_incidents_get_for_update",
     "SELECT " INCIDENT_COLUMNS " FROM incidents WHERE slug = $1 FOR UPDATE", 1},
    {"db_incidents_update",
     "UPDATE incidents"
     " SET controller = $2, title = $3, disclosed_on = $4::date, affected_count = $5::bigint,"
     "     data_categories = string_to_array($6, ','), authority_reference = $7, status = $8,"
     "     updated_at = now()"
     " WHERE id = $1::bigint"
     " RETURNING " INCIDENT_COLUMNS,
     8},
    {"db_incidents_list_open",
     "SELECT " INCIDENT_COLUMNS " FROM incidents"
     " WHERE status = 'open' AND ($1::text IS NULL OR slug > $1)"
     " ORDER BY slug"
     " LIMIT $2::int",
     2},
    {NULL, NULL, 0},
};

/* Canonical-order comma list of a category set, into the arena. */
static const char *
categories_csv(struct arena *a, category_set set)
{
    char buf[256];

    categories_to_csv(set, buf, sizeof buf);
    return arena_strdup(a, buf);
}

static bool
read_row(const PGresult *res, int row, struct arena *a, void *dest)
{
    struct incident *out = dest;

    const char **const head[] = {&out->slug, &out->controller, &out->title, &out->disclosed_on};
    const char **const tail[] = {&out->authority_reference, &out->status, &out->currency,
                                 &out->created_at, &out->updated_at};

    out->id = db_int64_at(res, row, 0);
    db_texts_at(a, res, row, 1, head, sizeof head / sizeof head[0]);
    out->affected_count = db_int64_at(res, row, 5);
    out->data_categories = categories_from_csv(PQgetvalue(res, row, 6));
    db_texts_at(a, res, row, 7, tail, sizeof tail / sizeof tail[0]);
    return true;
}

int
db_incidents_insert(PGconn *c, const struct incident *in, struct arena *a, struct incident *out)
{
    char affected[24];

    db_int64_text(in->affected_count, affected);
    const char *params[] = {in->slug,          in->controller,
                            in->title,         in->disclosed_on,
                            affected,          categories_csv(a, in->data_categories),
                            in->authority_reference, in->status,
                            in->currency};
    int rc = db_exec_one(c, "db_incidents_insert", 9, params, read_row, a, out);

    return rc == 0 ? DB_CONFLICT : rc; /* DO NOTHING returned no row: the slug is taken */
}

int
db_incidents_get(PGconn *c, const char *slug, bool for_update, struct arena *a,
                 struct incident *out)
{
    const char *params[] = {slug};

    return db_exec_one(c, for_update ? "db_incidents_get_for_update" : "db_incidents_get", 1,
                       params, read_row, a, out);
}

int
db_incidents_update(PGconn *c, const struct incident *in, struct arena *a, struct incident *out)
{
    char id[24];
    char affected[24];

    db_int64_text(in->id, id);
    db_int64_text(in->affected_count, affected);
    const char *params[] = {id,
                            in->controller,
                            in->title,
                            in->disclosed_on,
                            affected,
                            categories_csv(a, in->data_categories),
                            in->authority_reference,
                            in->status};
    return db_exec_one(c, "db_incidents_update", 8, params, read_row, a, out);
}

int
db_incidents_list_open(PGconn *c, const char *after, int limit, struct arena *a,
                       struct incident *out, int *out_n)
{
    const char *params[] = {after};

    return db_exec_page(c, "db_incidents_list_open", 1, params, read_row, a, out, sizeof *out,
                        limit, out_n);
}
