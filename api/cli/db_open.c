/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "cli/db_open.h"

#include <stdio.h>

#include "db/pool.h"
#include "db/prepared.h"

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
    if (!db_prepare_all_quiet(c)) {
        fprintf(stderr, "%s: the database's schema is behind this binary: run recours migrate\n",
                cmd);
        PQfinish(c);
        return NULL;
    }
    return c;
}
