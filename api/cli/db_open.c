/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cli/db_open.h"

#include <stdio.h>
#include <string.h>

#include "db/pool.h"

/* The version of the last file of db-migrations/ when this binary was built: its statements are
 * written for the schema that file leaves. RECOURS_SCHEMA_VERSION comes from CMakeLists.txt
 * (without it this does not compile). */
static const int schema_version = RECOURS_SCHEMA_VERSION;

/* Whether the binary's last migration is applied on c: 1 yes, 0 no (or no schema_migrations
 * table: nothing was ever migrated), -1 the query failed. One short query where preparing every
 * statement cost about 0.07 s of PostgreSQL's CPU per command; the statements are now prepared
 * as the command first runs them (docs/decisions.md "Statements prepared on first use"). */
static int
schema_current(PGconn *c)
{
    char sql[96];

    snprintf(sql, sizeof sql, "SELECT 1 FROM schema_migrations WHERE version = %d", schema_version);
    PGresult *res = PQexec(c, sql);
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    int rc = -1;

    if (PQresultStatus(res) == PGRES_TUPLES_OK)
        rc = PQntuples(res) == 1;
    else if (state != NULL && strcmp(state, "42P01") == 0) /* undefined table */
        rc = 0;
    PQclear(res);
    return rc;
}

bool
cli_db_url_given(const struct config *cfg, const char *cmd)
{
    if (cfg->database_url != NULL && cfg->database_url[0] != '\0')
        return true;
    fprintf(stderr, "%s: set DATABASE_URL to the database's URL (see recours %s --help)\n", cmd,
            cmd);
    return false;
}

PGconn *
cli_db_open(const struct config *cfg, const char *cmd, int statement_timeout_ms)
{
    char why[512];

    if (cfg->database_url == NULL || cfg->database_url[0] == '\0') {
        fprintf(stderr, "%s: set DATABASE_URL (or --database-url) to the database's URL\n", cmd);
        return NULL;
    }
    PGconn *c = db_connect_once(cfg->database_url, statement_timeout_ms,
                                cfg->db_connect_timeout_s, why, sizeof why);
    if (c == NULL) {
        fprintf(stderr, "%s: could not connect to the database of DATABASE_URL: %s\n", cmd, why);
        return NULL;
    }
    int current = schema_current(c);
    if (current != 1) {
        if (current == 0)
            fprintf(stderr,
                    "%s: the database's schema is behind this binary: run recours "
                    "migrate\n",
                    cmd);
        else /* the message may quote the server's words, never the URL */
            fprintf(stderr, "%s: could not read the database's schema version: %.200s\n", cmd,
                    PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    return c;
}
