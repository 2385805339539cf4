/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* schemes: each PUT is a new version; incidents.scheme_version names the one in force. */
#include "db/schemes.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/arena.h"
#include "db/errors.h"
#include "db/exec.h"

/* A version as both statements answer it, from a row s of schemes. */
#define SCHEME_COLUMNS "s.version, s.scheme::text, " DB_TS("s.created_at")

static bool
read_scheme(const PGresult *res, int row, struct arena *a, void *dest)
{
    struct scheme_record *out = dest;

    out->version = atoi(PQgetvalue(res, row, 0));
    out->json = arena_strdup(a, PQgetvalue(res, row, 1));
    out->created_at = arena_strdup(a, PQgetvalue(res, row, 2));
    return true;
}

const struct db_statement db_schemes_statements[] = {
    {"db_schemes_put",
     "WITH i AS (SELECT id, coalesce(scheme_version, 0) + 1 AS v FROM incidents"
     "           WHERE id = $1::bigint FOR UPDATE),"
     " s AS (INSERT INTO schemes (incident_id, version, scheme)"
     "       SELECT id, v, $2::jsonb FROM i RETURNING *),"
     " u AS (UPDATE incidents SET scheme_version = (SELECT v FROM i), updated_at = now()"
     "       WHERE id = $1::bigint)"
     " SELECT " SCHEME_COLUMNS " FROM s",
     2},
    {"db_schemes_current",
     "SELECT " SCHEME_COLUMNS
     " FROM incidents i JOIN schemes s ON s.incident_id = i.id AND s.version = i.scheme_version"
     " WHERE i.id = $1::bigint",
     1},
    {NULL, NULL, 0},
};

int
db_schemes_put(PGconn *c, int64_t incident_id, const char *json, struct arena *a,
               struct scheme_record *out)
{
    char inc[24];

    db_int64_text(incident_id, inc);
    const char *params[2] = {inc, json};
    return db_exec_one(c, "db_schemes_put", 2, params, read_scheme, a, out);
}

int
db_schemes_current(PGconn *c, int64_t incident_id, struct arena *a, struct scheme_record *out)
{
    return db_exec_one_id(c, "db_schemes_current", incident_id, read_scheme, a, out);
}
