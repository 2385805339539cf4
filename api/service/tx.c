/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Transactions. Statement and lock timeouts come from the connection options (db/pool.c). */
#include "service/tx.h"

#include <stdio.h>
#include <string.h>

#include "db/errors.h"
#include "db/pool.h"

static int
exec_command(PGconn *c, const char *sql, const char *what)
{
    PGresult *res = PQexec(c, sql);
    int rc = 0;

    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = db_status_of(res, what);
    PQclear(res);
    return rc;
}

int
tx_begin(PGconn *c, const char *isolation)
{
    char sql[64];

    snprintf(sql, sizeof sql, "BEGIN%s%s", isolation != NULL ? " ISOLATION LEVEL " : "",
             isolation != NULL ? isolation : "");
    return exec_command(c, sql, "begin");
}

int
tx_commit(PGconn *c)
{
    PGresult *res = PQexec(c, "COMMIT");
    int rc = 0;

    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = db_status_of(res, "commit");
    else if (strcmp(PQcmdStatus(res), "COMMIT") != 0)
        rc = DB_RETRY; /* "ROLLBACK": the transaction had failed; nothing was written */
    PQclear(res);
    return rc;
}

void
tx_rollback(PGconn *c)
{
    if (PQstatus(c) != CONNECTION_OK || PQtransactionStatus(c) == PQTRANS_IDLE)
        return;
    PQclear(PQexec(c, "ROLLBACK"));
}

enum outcome
tx_outcome_of(PGconn *c, int db_status)
{
    /* a serialization failure or deadlock that was not retried: the client may retry */
    if (db_status == DB_RETRY)
        return OUTCOME_UNAVAILABLE;
    if (db_status == DB_UNAVAILABLE) {
        db_pool_check(c);
        return OUTCOME_UNAVAILABLE;
    }
    if (PQstatus(c) != CONNECTION_OK) {
        db_pool_check(c);
        return OUTCOME_UNAVAILABLE;
    }
    return OUTCOME_INTERNAL;
}
