/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* recours migrate: applies the pending db-migrations/ files to DATABASE_URL. The URL may carry
 * a password: it is handed to libpq as given and never printed. Migration 0009 makes the audit
 * chain keyed: an existing chain is re-sealed under the audit key in its transaction, which
 * needs the secrets (RECOURS_SECRETS_DIR), but only when there are events. */
#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "db/migrate.h"
#include "db/pool.h"
#include "service/audit.h"

/* The migration that turns the audit chain's links into HMACs (0009_audit_keyed.sql). */
#define AUDIT_KEYED_VERSION 9

/* The hook of migration 0009: checks the existing chain under its old formula and rewrites
 * its links under the audit key; refuses (the migration is rolled back) when a link is already
 * broken, so a tampered chain is never sealed as genuine. */
static bool
reseal_audit_chain(PGconn *c, void *ctx)
{
    const struct config *cfg = ctx;
    struct audit_result r;
    PGresult *res = PQexec(c, "SELECT count(*) FROM audit_events");
    bool empty = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
                 strcmp(PQgetvalue(res, 0, 0), "0") == 0;
    bool counted = PQresultStatus(res) == PGRES_TUPLES_OK;

    PQclear(res);
    if (!counted) {
        fprintf(stderr, "migrate: could not count the audit events\n");
        return false;
    }
    if (empty)
        return true;
    if (!cli_audit_key_load(cfg, "migrate"))
        return false;
    if (svc_audit_reseal(c, &r) != OUTCOME_OK) {
        fprintf(stderr, "migrate: could not re-seal the audit chain (database error)\n");
        return false;
    }
    if (!r.ok) {
        fprintf(stderr, "migrate: the audit chain is already broken at seq %lld (%s): it is not "
                        "re-sealed under the key; find out why before migrating\n",
                r.broken_seq, r.reason);
        return false;
    }
    printf("audit: re-sealed %lld events under the audit key; keep the new head: %lld:%s\n",
           r.events, r.events, r.head);
    /* a head nobody could read is a chain nobody can check against: the hook fails, and
     * with it the migration (rolled back, to run again) */
    return cli_stdout_flushed("migrate", "the audit chain's new head is lost: the migration "
                                         "is rolled back, run it again");
}

int
cli_migrate(const struct config *cfg)
{
    struct migration_set set = {0};
    PGconn *c = NULL;
    int rc = 1;

    if (cfg->database_url == NULL || cfg->database_url[0] == '\0') {
        fprintf(stderr, "migrate: set DATABASE_URL (or --database-url) to the database's URL\n");
        rc = 2;
        goto cleanup;
    }
    if (!migration_set_load(cfg->migrations_dir, &set))
        goto cleanup;
    /* an empty directory is a wrong --migrations-dir far more often than a new project */
    if (set.n == 0) {
        fprintf(stderr, "migrate: no NNNN_name.sql files in %s\n", cfg->migrations_dir);
        goto cleanup;
    }
    /* no statement timeout: a migration may rewrite a large table; a migration's notices
     * become JSON log lines (db/notice.h) */
    char why[512];
    c = db_connect_once(cfg->database_url, 0, cfg->db_connect_timeout_s, why, sizeof why);
    if (c == NULL) {
        fprintf(stderr, "migrate: could not connect to the database of DATABASE_URL: %s\n", why);
        goto cleanup;
    }
    struct migrate_hook hook = {AUDIT_KEYED_VERSION, reseal_audit_chain, (void *)cfg};
    if (db_migrate_apply(c, &set, &hook, stdout) < 0)
        goto cleanup;
    /* the migrations are committed; only their report is lost */
    if (!cli_stdout_flushed("migrate", "the migrations are applied, their report is lost"))
        goto cleanup;
    rc = 0;
cleanup:
    PQfinish(c); /* no-op on NULL */
    migration_set_free(&set);
    return rc;
}
