/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* recours erase-withdrawn: one erasure pass (service/erasure.c) for cron, or when no server
 * runs; the server's job's statement, waiting for a due claim another transaction is changing
 * where the job skips it (the count printed is every claim due), so both may run at once. */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/db_open.h"
#include "db/pool.h"
#include "service/erasure.h"

int
cli_erase_withdrawn(const struct config *cfg)
{
    PGconn *c = NULL;
    int64_t erased = 0;
    int rc = 1;

    if (cfg->database_url == NULL) {
        fprintf(stderr, "erase-withdrawn: set DATABASE_URL (or --database-url) to the database's "
                        "URL\n");
        return 2;
    }
    if (!cli_audit_key_load(cfg, "erase-withdrawn")) /* each batch is audited */
        return 1;
    c = cli_db_open(cfg, "erase-withdrawn", cfg->db_statement_timeout_ms);
    if (c == NULL)
        goto cleanup;
    enum outcome o = svc_erasure_run(c, cfg->withdrawn_retention_days, true, NULL, &erased);
    printf("erased %lld claims\n", (long long)erased);
    if (o != OUTCOME_OK) {
        fprintf(stderr, "erase-withdrawn: could not finish the pass (database error); run it "
                        "again\n");
        goto cleanup;
    }
    int64_t expired = 0;
    o = svc_idempotency_expire(c, NULL, &expired);
    printf("deleted %lld idempotency answers older than 24 h\n", (long long)expired);
    if (o != OUTCOME_OK) {
        fprintf(stderr, "erase-withdrawn: could not finish the pass (database error); run it "
                        "again\n");
        goto cleanup;
    }
    rc = 0;
cleanup:
    PQfinish(c);
    return rc;
}
