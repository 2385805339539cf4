/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The header of an answer read from a replica (docs/api.md §16, "Reads from a replica"): the
 * service chooses where it reads and says so in a struct read_source. */
#ifndef RECOURS_HANDLERS_READ_GUARD_H
#define RECOURS_HANDLERS_READ_GUARD_H

#include <stdbool.h>

#include "http/reply.h"
#include "http/request.h"
#include "service/read_source.h"

#define REPLICA_LAG_HEADER "Replica-Lag-Ms"

/* Adds Replica-Lag-Ms to r when src is a replica (nothing when the primary answered: the
 * answer reflects every committed write). */
void read_guard_mark(struct request *rq, struct reply *r, const struct read_source *src);

#endif
