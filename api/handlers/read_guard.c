/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See read_guard.h. */
#include "handlers/read_guard.h"

#include <inttypes.h>
#include <stdio.h>

#include "core/arena.h"

void
read_guard_mark(struct request *rq, struct reply *r, const struct read_source *src)
{
    if (!src->replica)
        return;
    char buf[24];
    snprintf(buf, sizeof buf, "%" PRId64, src->lag_ms);
    reply_add_header(r, REPLICA_LAG_HEADER, arena_strdup(rq->arena, buf));
}
