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

/* Defines the entry point `enum outcome name params` whose whole work is the building block
 * body on the calling thread's connection: body(c, ...) with the arguments after it, or
 * OUTCOME_UNAVAILABLE (503) when there is no connection. One line per entry point, so the
 * many that only lend the connection read as the table they are; an entry point that does
 * more than that is written out. Use:
 *     SVC_RQ_ON_CONN(svc_rq_incidents_get, (const char *slug, struct arena *a,
 *                    struct incident *out), svc_incidents_get, slug, a, out)
 * (no semicolon after it: it is a function definition). */
#define SVC_RQ_ON_CONN(name, params, body, ...)                                                   \
    enum outcome name params                                                                      \
    {                                                                                             \
        PGconn *c_;                                                                               \
        return svc_conn(&c_) != OUTCOME_OK ? OUTCOME_UNAVAILABLE : body(c_, __VA_ARGS__);         \
    }

#endif
