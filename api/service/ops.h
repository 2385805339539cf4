/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What /readyz and /metrics ask of the database layer. */
#ifndef RECOURS_SERVICE_OPS_H
#define RECOURS_SERVICE_OPS_H

#include "db/migrate.h"

enum readiness {
    READY,                /* reachable, every migration of the binary applied and unchanged */
    READY_UNREACHABLE,    /* the database cannot be reached or the check failed */
    READY_PENDING,        /* migrations are pending */
    READY_CHANGED,        /* an applied migration differs from this release */
};

/* The calling thread's connection (even when its statements could not be prepared: the schema
 * may be behind) checked against set. */
enum readiness svc_ops_readiness(const struct migration_set *set);

/* Worker connections by state, for /metrics. */
void svc_ops_connections(int *up_out, int *down_out);

#endif
