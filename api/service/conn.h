/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Where a handler's service call finds its database connection (docs/architecture.md §3,
 * "Connections"). A handler holds no connection: the entry points it calls (named svc_*
 * without a PGconn parameter) take the calling thread's pooled connection here, and pass it
 * to the building blocks (svc_* with a PGconn first: transaction bodies, other services, the
 * CLI with its one-off connection). */
#ifndef RECOURS_SERVICE_CONN_H
#define RECOURS_SERVICE_CONN_H

#include <libpq-fe.h>

#include "core/outcome.h"

/* The calling thread's connection (db/pool.h: one per server worker, made and prepared
 * lazily), or OUTCOME_UNAVAILABLE (503 + Retry-After) when the database cannot be reached. */
enum outcome svc_conn(PGconn **c_out);

/* For work that runs outside a request on a worker's thread (an export stream's later
 * pages): leaves the thread's connection idle, as a request's end does. */
void svc_conn_release(void);

#endif
