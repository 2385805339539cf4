/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See read_pool.h. The lag query is also the replica's health check: a replica that went away
 * fails it, the connection is dropped and the read falls back to the primary; the replica is
 * tried again at most once a second per thread. */
#include "db/read_pool.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "db/pool.h"
#include "db/prepared.h"

/* a replica that failed is tried again by a thread at most once a second (each try logs) */
#define READ_RETRY_MS 1000

static char *read_url;
static char options[256];

static _Thread_local PGconn *replica;
static _Thread_local int64_t next_try_ns;

static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;

/* Lag as the standby sees it: nothing left to replay of what it received while streaming →
 * 0; otherwise the age of the last transaction it replayed (an upper bound when the primary
 * is idle). Not in recovery (a promoted standby, a URL to the primary) → not a replica. */
#define LAG_SQL                                                                              \
    "SELECT pg_is_in_recovery(),"                                                            \
    " CASE WHEN NOT pg_is_in_recovery() THEN 0"                                              \
    "      WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()"                        \
    "       AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN 0" \
    "      ELSE coalesce(ceil(extract(epoch FROM clock_timestamp()"                          \
    "                        - pg_last_xact_replay_timestamp()) * 1000)::bigint, 0) END"

static void
close_replica(void *unused)
{
    (void)unused;
    PQfinish(replica);
    replica = NULL;
}

static void
make_exit_key(void)
{
    if (pthread_key_create(&exit_key, close_replica) != 0)
        log_warn("read pool: no thread-exit hook; replica connections close at process exit");
}

void
db_read_pool_init(const char *url, int statement_timeout_ms)
{
    if (url == NULL || url[0] == '\0')
        return;
    read_url = xstrdup(url);
    /* read-only by default: a statement that writes fails on the replica's primary too, if
     * the URL ever names one */
    snprintf(options, sizeof options,
             "-c statement_timeout=%d -c default_transaction_read_only=on -c TimeZone=UTC"
             " -c jit=off",
             statement_timeout_ms);
}

void
db_read_pool_shutdown(void)
{
    db_url_forget(&read_url);
}

static void
give_up(const char *why)
{
    log_warn("read replica not used (%s): reading from the primary", why);
    PQfinish(replica);
    replica = NULL;
    next_try_ns = clock_monotonic_ns() + (int64_t)READ_RETRY_MS * 1000000;
}

static bool
connect_replica(void)
{
    if (clock_monotonic_ns() < next_try_ns)
        return false;
    pthread_once(&exit_key_once, make_exit_key);
    pthread_setspecific(exit_key, &replica);
    replica = db_connect_with(read_url, options, "recours-read");
    if (replica == NULL || PQstatus(replica) != CONNECTION_OK) {
        give_up("cannot connect");
        return false;
    }
    if (!db_prepare_all(replica)) {
        give_up("statements not prepared");
        return false;
    }
    return true;
}

/* True with the figures when the replica answers the lag query. */
static bool
measure(struct db_read_source *src)
{
    PGresult *res = PQexec(replica, LAG_SQL);
    bool ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;

    if (ok) {
        src->replica = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
        src->lag_ms = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
    }
    PQclear(res);
    return ok;
}

PGconn *
db_read_acquire(struct db_read_source *src)
{
    *src = (struct db_read_source){false, 0};
    if (read_url != NULL) {
        if (replica != NULL && PQstatus(replica) != CONNECTION_OK)
            give_up("connection lost");
        if ((replica != NULL || connect_replica()) && measure(src))
            return replica;
        if (replica != NULL)
            give_up("lag query failed");
        *src = (struct db_read_source){false, 0};
    }
    return db_pool_acquire();
}
