/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Reads that may go to a streaming replica (--database-read-url; docs/decisions.md, "Several
 * nodes"): one more lazily made connection per thread, read-only, to the replica. When no read
 * URL is set, or the replica cannot be reached or answers nothing, the caller gets this
 * thread's primary connection (db_pool_acquire) instead: a replica never makes a read fail.
 * Only reads that tolerate being behind use it (summaries, member lists, export pages), and
 * their answer says by how much (read_source.lag_ms). */
#ifndef RECOURS_DB_READ_POOL_H
#define RECOURS_DB_READ_POOL_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

struct db_read_source {
    bool replica;   /* the connection is to a standby in recovery */
    int64_t lag_ms; /* how far behind the primary's commits it may be (0 on the primary) */
};

/* read_url NULL or empty: every read goes to the primary. Copies the URL. */
void db_read_pool_init(const char *read_url, int statement_timeout_ms);
void db_read_pool_shutdown(void);

/* This thread's replica connection (prepared, lag measured now), else the primary's; NULL
 * only when neither is reachable (503). *src says which. */
PGconn *db_read_acquire(struct db_read_source *src);

#endif
