/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The connection of a read that may be served by a replica, and the header that says so
 * (docs/api.md, "Reads from a replica"). */
#ifndef RECOURS_HANDLERS_READ_GUARD_H
#define RECOURS_HANDLERS_READ_GUARD_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "http/reply.h"
#include "http/request.h"
#include "service/read_source.h"

#define REPLICA_LAG_HEADER "Replica-Lag-Ms"

/* Like guard_db, for a lag-tolerant read: replica or primary; false with *deny = 503. */
bool guard_db_read(PGconn **c_out, struct read_source *src, struct reply *deny);

/* Adds Replica-Lag-Ms to r when src is a replica (nothing when the primary answered: the
 * answer reflects every committed write). */
void read_guard_mark(struct request *rq, struct reply *r, const struct read_source *src);

#endif
