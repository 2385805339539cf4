/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The shared token bucket (see mail_throttle.h). clock_timestamp(), not now(): a sender that
 * waited for the lock must count the time up to when it got it. */
#include "db/mail_throttle.h"

#include <stdio.h>
#include <stdlib.h>

#include "db/errors.h"
#include "db/exec.h"
#include "db/prepared.h"

#define THROTTLE_READ                                                                          \
    "SELECT tokens, greatest(0, extract(epoch FROM clock_timestamp() - refilled_at)),"         \
    "       clock_timestamp()::text"                                                           \
    " FROM mail_throttle WHERE id = 1"

const struct db_statement db_mail_throttle_statements[] = {
    {"db_throttle_lock", THROTTLE_READ " FOR UPDATE", 0},
    {"db_throttle_peek", THROTTLE_READ, 0},
    {"db_throttle_store",
     "UPDATE mail_throttle SET tokens = $1::double precision, refilled_at = $2::timestamptz"
     " WHERE id = 1",
     2},
    {NULL, NULL, 0},
};

static int
throttle_read(PGconn *c, const char *statement, double *tokens_out, double *elapsed_s_out,
              char now_out[64])
{
    PGresult *res = db_exec_prepared(c, statement, 0, NULL, NULL, NULL, 0);
    int rc = 1;

    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1 || PQnfields(res) != 3) {
        rc = PQresultStatus(res) == PGRES_TUPLES_OK ? DB_HARD : db_status_of(res, statement);
        goto cleanup;
    }
    *tokens_out = strtod(PQgetvalue(res, 0, 0), NULL);
    *elapsed_s_out = strtod(PQgetvalue(res, 0, 1), NULL);
    snprintf(now_out, 64, "%s", PQgetvalue(res, 0, 2));
cleanup:
    PQclear(res);
    return rc;
}

int
db_throttle_lock(PGconn *c, double *tokens_out, double *elapsed_s_out, char now_out[64])
{
    return throttle_read(c, "db_throttle_lock", tokens_out, elapsed_s_out, now_out);
}

int
db_throttle_peek(PGconn *c, double *tokens_out, double *elapsed_s_out)
{
    char now[64];

    return throttle_read(c, "db_throttle_peek", tokens_out, elapsed_s_out, now);
}

int
db_throttle_store(PGconn *c, double tokens, const char *now)
{
    char t[64];
    const char *params[2] = {t, now};

    snprintf(t, sizeof t, "%.6f", tokens);
    return db_exec_command(c, "db_throttle_store", 2, params);
}
