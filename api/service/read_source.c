/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See read_source.h: the db layer's choice, in the service's own types. */
#include "service/read_source.h"

#include "db/read_pool.h"

PGconn *
svc_read_connection(struct read_source *src)
{
    struct db_read_source s;
    PGconn *c = db_read_acquire(&s);

    src->replica = s.replica;
    src->lag_ms = s.lag_ms;
    return c;
}
