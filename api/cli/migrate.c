/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* recours migrate: applies the pending db-migrations/ files to DATABASE_URL. The URL may carry
 * a password: it is handed to libpq as given and never printed. */
#include <libpq-fe.h>
#include <stdio.h>

#include "cli/cli.h"
#include "db/migrate.h"
#include "db/notice.h"

int
cli_migrate(const struct config *cfg)
{
    struct migration_set set = {0};
    PGconn *c = NULL;
    int rc = 1;

    if (cfg->database_url == NULL || cfg->database_url[0] == '\0') {
        fprintf(stderr, "migrate: no database given: set DATABASE_URL or --database-url\n");
        goto cleanup;
    }
    if (!migration_set_load(cfg->migrations_dir, &set))
        goto cleanup;
    /* an empty directory is a wrong --migrations-dir far more often than a new project */
    if (set.n == 0) {
        fprintf(stderr, "migrate: no NNNN_name.sql files in %s\n", cfg->migrations_dir);
        goto cleanup;
    }
    c = PQconnectdb(cfg->database_url);
    db_notice_route(c); /* a migration's notices become JSON log lines (db/notice.h) */
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "migrate: could not connect: %s", PQerrorMessage(c));
        goto cleanup;
    }
    if (db_migrate_apply(c, &set, stdout) < 0)
        goto cleanup;
    rc = 0;
cleanup:
    PQfinish(c); /* no-op on NULL */
    migration_set_free(&set);
    return rc;
}
