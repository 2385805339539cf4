/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Shared statement runners (see exec.h). */
#include "db/exec.h"

#include <stdlib.h>

#include "core/arena.h"
#include "db/errors.h"

bool
db_read_text(const PGresult *res, int row, struct arena *a, void *out)
{
    *(const char **)out = arena_strdup(a, PQgetvalue(res, row, 0));
    return true;
}

int
db_exec_one(PGconn *c, const char *stmt, int n, const char *const *params, db_row_reader read,
            struct arena *a, void *out)
{
    PGresult *res = PQexecPrepared(c, stmt, n, params, NULL, NULL, 0);
    int rc;

    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = db_status_of(res, stmt);
        goto cleanup;
    }
    rc = PQntuples(res);
    if (rc == 1 && !read(res, 0, a, out))
        rc = DB_HARD;
cleanup:
    PQclear(res);
    return rc;
}

int
db_exec_command(PGconn *c, const char *stmt, int n, const char *const *params)
{
    PGresult *res = PQexecPrepared(c, stmt, n, params, NULL, NULL, 0);
    int rc;

    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = db_status_of(res, stmt);
    else
        rc = atoi(PQcmdTuples(res));
    PQclear(res);
    return rc;
}
