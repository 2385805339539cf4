/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* One PostgreSQL connection per worker thread (docs/architecture.md §7): made lazily so /healthz
 * answers while the database is down, session settings carried in the conninfo `options` so
 * that a reconnect re-applies them, statements prepared when a connection first runs them
 * (db/prepared.h) once one connection proved they all prepare, reconnects rate-limited per
 * thread. */
#ifndef RECOURS_DB_POOL_H
#define RECOURS_DB_POOL_H

#include <libpq-fe.h>
#include <stdbool.h>

struct db_statement {
    const char *name; /* named after its db function */
    const char *sql;
    int n_params;
};

struct db_pool_config {
    const char *database_url;
    int statement_timeout_ms;
    int connect_timeout_s;
    const char *application_name;
};

/* Copies what it needs from cfg; call once before any worker starts. */
void db_pool_init(const struct db_pool_config *cfg);

/* Frees the shared settings (after every worker stopped). */
void db_pool_shutdown(void);

/* This thread's connection, or NULL when the database cannot be reached now (callers answer
 * 503 + Retry-After). Until a connection of this process prepared every statement (the proof
 * that the schema is not behind), a new connection tries that first and is refused (NULL,
 * logged) when one fails; after it, statements are prepared as they are first run. Never
 * blocks longer than connect_timeout, and tries at most once per DB_RECONNECT_INTERVAL_MS per
 * thread. */
PGconn *db_pool_acquire(void);

/* This thread's connection without the proof (schema behind or not): for /readyz, which must
 * tell "unreachable" from "migrations pending". */
PGconn *db_pool_acquire_unprepared(void);

/* After a failed statement: when the connection is broken, counts it down at once; it is
 * closed at the end of the request (db_pool_after_request) or by the next acquire, which
 * reconnects. Never closed here: the caller may still hold c (a rollback after mapping the
 * failure to an outcome), and PQstatus on it must stay valid until the request ends. */
void db_pool_check(PGconn *c);

/* c, this thread's connection, was found dead before it carried anything that could write
 * (its BEGIN failed: closed while idle by the server, a proxy, the network): closes it and
 * connects again at once, past the reconnect interval, since nothing of the caller's work can
 * have reached the database. Once per dead connection: a failed connect is rate-limited as
 * usual. NULL when no new connection could be made (the caller answers 503). */
PGconn *db_pool_replace_dead(PGconn *c);

/* After each request: the connection must be idle; anything else is our bug, and the
 * connection is reset rather than leaked into the next request. */
void db_pool_after_request(void);

/* Closes this thread's connection (thread exit). */
void db_pool_close_thread(void);

/* Connections of all threads by state, for /metrics. */
void db_pool_counts(int *up_out, int *down_out);

/* A connection to url with the pool's keepalive and timeout settings, options and
 * application_name as given, notices routed to the log (db/read_pool too). Check PQstatus. */
PGconn *db_connect_with(const char *url, const char *opts, const char *name);

/* Wipes, frees and clears a kept connection URL (it may carry a password); *url may be NULL. */
void db_url_forget(char **url);

/* Opens a one-off connection with the same settings (CLI), waiting at most connect_timeout_s
 * (2 when 0); NULL with why, one line and never the URL's password, when it cannot. */
PGconn *db_connect_once(const char *database_url, int statement_timeout_ms,
                        int connect_timeout_s, char *why, size_t why_len);

#define DB_RECONNECT_INTERVAL_MS 250

#endif
