/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The calling thread's pooled connection, for the service entry points handlers call. */
#include "service/conn.h"

#include "db/pool.h"

enum outcome
svc_conn(PGconn **c_out)
{
    *c_out = db_pool_acquire();
    return *c_out != NULL ? OUTCOME_OK : OUTCOME_UNAVAILABLE;
}

void
svc_conn_release(void)
{
    db_pool_after_request();
}
