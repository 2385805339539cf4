/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Where a read that may be behind is made: the replica of --database-read-url when it answers,
 * else the primary (db/read_pool.h). docs/api.md, "Reads from a replica", lists the reads that
 * may use it; anything a client reads right after its own write, idempotency, authentication
 * and the intake cache never do. */
#ifndef RECOURS_SERVICE_READ_SOURCE_H
#define RECOURS_SERVICE_READ_SOURCE_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

struct read_source {
    bool replica;   /* read from a standby: lag_ms says how far behind it may be */
    int64_t lag_ms;
};

/* The connection for one lag-tolerant read, or NULL (no database reachable: 503). */
PGconn *svc_read_connection(struct read_source *src);

#endif
