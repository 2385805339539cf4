/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Readiness and connection gauges (ops.h). */
#include "service/ops.h"

#include "db/pool.h"

enum readiness
svc_ops_readiness(const struct migration_set *set)
{
    PGconn *c = db_pool_acquire_unprepared();

    if (c == NULL)
        return READY_UNREACHABLE;
    switch (db_migrate_check(c, set)) {
    case MIGRATE_CURRENT:
        return READY;
    case MIGRATE_PENDING:
        return READY_PENDING;
    case MIGRATE_CHANGED:
        return READY_CHANGED;
    case MIGRATE_ERROR:
        break;
    }
    db_pool_check(c);
    return READY_UNREACHABLE;
}

void
svc_ops_connections(int *up_out, int *down_out)
{
    db_pool_counts(up_out, down_out);
}
