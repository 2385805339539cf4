/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Per-thread connections. Shared state is only the conninfo (read-only after init) and two
 * atomic gauges. */
#include "db/pool.h"

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "db/notice.h"
#include "db/prepared.h"

static char *database_url;
static char options[256];
static char app_name[64];
static char connect_timeout[16] = "2";
static _Atomic int conns_up;
static _Atomic int conns_down;

/* Whether some connection of this process prepared every statement: the proof that the
 * schema is not behind the binary, made once (docs/decisions.md "Statements prepared on first
 * use"). Until then each new connection tries it, as every connection once did; one made while
 * another is proving waits for the outcome, so no statement runs before the proof. */
enum proof { PROOF_NONE, PROOF_UNDER_WAY, PROOF_MADE };
static enum proof proof = PROOF_NONE; /* under proof_lock */
static pthread_mutex_t proof_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t proof_ended = PTHREAD_COND_INITIALIZER;

struct worker_conn {
    PGconn *conn;
    int64_t next_try_ns;
    bool counted;  /* has this thread been counted in a gauge yet */
    bool up;
    bool checked; /* this connection proved the schema, or found it proved by another */
    /* this request's first acquire looked for a connection closed while idle: later ones
     * must not replace it, a caller may hold it (reset by db_pool_after_request) */
    bool idle_checked;
};

static _Thread_local struct worker_conn tl;

/* MHD's pool threads end inside MHD_stop_daemon: a key destructor closes their connections so
 * nothing leaks (valgrind) and PostgreSQL sees a clean goodbye. */
static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;
static bool exit_key_made; /* exit_key is only a key once pthread_key_create said so */

static void
on_thread_exit(void *unused)
{
    (void)unused;
    db_pool_close_thread();
}

static void
make_exit_key(void)
{
    exit_key_made = pthread_key_create(&exit_key, on_thread_exit) == 0;
    if (!exit_key_made)
        log_warn("could not register the thread-exit hook: connections close at process exit");
}

static void
register_thread(void)
{
    if (pthread_once(&exit_key_once, make_exit_key) != 0 || !exit_key_made)
        return;
    if (pthread_getspecific(exit_key) == NULL && pthread_setspecific(exit_key, &tl) != 0)
        log_warn("could not register the thread-exit hook: this thread's connection closes at "
                 "process exit");
}

void
db_pool_init(const struct db_pool_config *cfg)
{
    database_url = xstrdup(cfg->database_url);
    /* db/README.md, The pool: settings in `options` survive PQreset; bound every statement and
     * lock wait so a worker thread never blocks its other connections for long; no JIT (its
     * compile costs more than the short statements of a request, see db/README.md) */
    snprintf(options, sizeof options,
             "-c synchronous_commit=on -c statement_timeout=%d -c lock_timeout=%d "
             "-c idle_in_transaction_session_timeout=%d -c TimeZone=UTC -c jit=off",
             cfg->statement_timeout_ms, cfg->statement_timeout_ms,
             cfg->statement_timeout_ms * 2);
    if (cfg->connect_timeout_s > 0)
        snprintf(connect_timeout, sizeof connect_timeout, "%d", cfg->connect_timeout_s);
    snprintf(app_name, sizeof app_name, "%s",
             cfg->application_name != NULL ? cfg->application_name : "recours");
}

void
db_url_forget(char **url)
{
    if (*url != NULL)
        explicit_bzero(*url, strlen(*url));
    free(*url);
    *url = NULL;
}

void
db_pool_shutdown(void)
{
    db_url_forget(&database_url);
}

static PGconn *
connect_params(const char *url, const char *opts, const char *name, const char *timeout)
{
    /* dbname first with expand_dbname: the URL is expanded, then our keywords override */
    const char *keys[] = {"dbname", "options", "application_name", "connect_timeout",
                          "keepalives", "keepalives_idle", "keepalives_interval",
                          "keepalives_count", "tcp_user_timeout", "gssencmode", NULL};
    const char *values[] = {url, opts, name, timeout, "1", "10", "2", "3", "5000",
                            "disable", NULL};

    PGconn *c = PQconnectdbParams(keys, values, 1);

    db_notice_route(c); /* before any statement: a notice must never reach stderr raw */
    return c;
}

PGconn *
db_connect_with(const char *url, const char *opts, const char *name)
{
    return connect_params(url, opts, name, connect_timeout);
}

static void
set_state(bool up)
{
    if (tl.counted && tl.up == up)
        return;
    if (tl.counted)
        atomic_fetch_sub(tl.up ? &conns_up : &conns_down, 1);
    atomic_fetch_add(up ? &conns_up : &conns_down, 1);
    tl.counted = true;
    tl.up = up;
}

static void
drop(void)
{
    PQfinish(tl.conn); /* no-op on NULL */
    tl.conn = NULL;
    set_state(false);
}

/* Whether the idle connection c was closed by the other end since its last request (a
 * PostgreSQL restart, pg_terminate_backend, a proxy's idle timeout): the socket is readable
 * while nothing was asked, so what waits is read; a closed one turns CONNECTION_BAD. A
 * notice or parameter status read here is handled as libpq handles it at any time. */
static bool
closed_while_idle(PGconn *c)
{
    /* a terminated backend sends its FATAL message, then closes: one read takes the message,
     * the next meets the end; a few rounds at most, never waiting */
    for (int round = 0; round < 4; round++) {
        struct pollfd p = {.fd = PQsocket(c), .events = POLLIN};
        if (p.fd < 0 || PQtransactionStatus(c) != PQTRANS_IDLE || poll(&p, 1, 0) <= 0)
            return false;
        if (PQconsumeInput(c) == 0 || PQstatus(c) != CONNECTION_OK)
            return true;
    }
    return false;
}

/* Connects this thread when it is not, at most once per DB_RECONNECT_INTERVAL_MS. At the
 * first acquire of a request, a connection closed while idle is replaced at once, past that
 * interval: the database was reachable a request ago, and nothing of this request has
 * reached it (as db_pool_replace_dead), so the request is served rather than answered 503. */
static PGconn *
ensure_connected(void)
{
    bool first = !tl.idle_checked;

    tl.idle_checked = true;
    if (tl.conn != NULL && PQstatus(tl.conn) == CONNECTION_OK) {
        if (!first || !closed_while_idle(tl.conn))
            return tl.conn;
        log_warn("the database connection was closed while idle; connecting again");
        tl.next_try_ns = 0;
    }
    if (tl.conn != NULL)
        drop();
    int64_t now = clock_monotonic_ns();
    if (now < tl.next_try_ns)
        return NULL;
    tl.next_try_ns = now + (int64_t)DB_RECONNECT_INTERVAL_MS * 1000000;
    register_thread();
    tl.conn = db_connect_with(database_url, options, app_name);
    if (tl.conn == NULL || PQstatus(tl.conn) != CONNECTION_OK) {
        /* PQerrorMessage may name the host but never a password; keep it to one line */
        log_warn("could not connect to the database: %.200s",
                 tl.conn != NULL ? PQerrorMessage(tl.conn) : "out of memory");
        drop();
        return NULL;
    }
    tl.checked = false;
    set_state(true);
    return tl.conn;
}

/* True once the proof is made, by c (every statement prepared on it) or by another
 * connection; false, logged, when c tried and a statement failed (the schema is behind). */
static bool
proved_with(PGconn *c)
{
    pthread_mutex_lock(&proof_lock);
    while (proof == PROOF_UNDER_WAY)
        pthread_cond_wait(&proof_ended, &proof_lock);
    bool made = proof == PROOF_MADE;
    if (!made)
        proof = PROOF_UNDER_WAY;
    pthread_mutex_unlock(&proof_lock);
    if (made)
        return true;
    bool proved = db_prepare_all(c);
    pthread_mutex_lock(&proof_lock);
    proof = proved ? PROOF_MADE : PROOF_NONE;
    pthread_cond_broadcast(&proof_ended);
    pthread_mutex_unlock(&proof_lock);
    if (proved)
        log_info("every statement prepares: the schema is not behind this binary; "
                 "connections now prepare each statement when they first run it");
    return proved;
}

PGconn *
db_pool_acquire(void)
{
    PGconn *c = ensure_connected();

    if (c == NULL)
        return NULL;
    /* the first connection proves that every statement prepares; the others prepare each as
     * they first run it (db/prepared.h). A failed proof (statements name missing tables):
     * /readyz says so, and this connection is refused as every one was before the proof. */
    if (!tl.checked && !proved_with(c)) {
        db_pool_check(c);
        return NULL;
    }
    tl.checked = true;
    return c;
}

PGconn *
db_pool_acquire_unprepared(void)
{
    return ensure_connected();
}

PGconn *
db_pool_replace_dead(PGconn *c)
{
    if (c == NULL || c != tl.conn || PQstatus(c) == CONNECTION_OK)
        return NULL;
    drop();
    tl.next_try_ns = 0; /* the last connect succeeded: this one is not a retry loop */
    return db_pool_acquire();
}

void
db_pool_check(PGconn *c)
{
    /* not drop(): see pool.h; ensure_connected() and db_pool_after_request() close it */
    if (c != NULL && c == tl.conn && PQstatus(c) != CONNECTION_OK)
        set_state(false);
}

void
db_pool_after_request(void)
{
    tl.idle_checked = false;
    if (tl.conn == NULL)
        return;
    if (PQstatus(tl.conn) != CONNECTION_OK) {
        drop();
        return;
    }
    PGTransactionStatusType ts = PQtransactionStatus(tl.conn);
    if (ts != PQTRANS_IDLE) {
        log_bug("connection left in transaction state %d after a request; dropping it", (int)ts);
        drop();
        return;
    }
    db_prepared_tidy(tl.conn); /* a statement forgotten for a schema change, if any */
}

void
db_pool_close_thread(void)
{
    PQfinish(tl.conn);
    tl.conn = NULL;
    if (tl.counted)
        atomic_fetch_sub(tl.up ? &conns_up : &conns_down, 1);
    tl.counted = false;
}

void
db_pool_counts(int *up_out, int *down_out)
{
    *up_out = atomic_load(&conns_up);
    *down_out = atomic_load(&conns_down);
}

PGconn *
db_connect_once(const char *url, int statement_timeout_ms, int connect_timeout_s, char *why,
                size_t why_len)
{
    char opts[160];
    char timeout[16];
    char *parse_error = NULL;

    /* libpq's own message about a malformed URL quotes the part it could not read, which may
     * be the password: say only that it is malformed. What libpq does not take for a URL or
     * key=value string is a database name, as with expand_dbname. */
    bool conninfo = strncmp(url, "postgresql://", 13) == 0 ||
                    strncmp(url, "postgres://", 11) == 0 || strchr(url, '=') != NULL;
    PQconninfoOption *parsed = conninfo ? PQconninfoParse(url, &parse_error) : NULL;
    bool malformed = conninfo && parsed == NULL; /* read before the free */
    PQconninfoFree(parsed);
    PQfreemem(parse_error);
    if (malformed) {
        snprintf(why, why_len, "the URL is malformed (expected "
                               "postgresql://user:password@host:port/database)");
        return NULL;
    }
    snprintf(opts, sizeof opts, "-c synchronous_commit=on -c statement_timeout=%d -c TimeZone=UTC",
             statement_timeout_ms);
    snprintf(timeout, sizeof timeout, "%d", connect_timeout_s > 0 ? connect_timeout_s : 2);
    PGconn *c = connect_params(url, opts, "recours-cli", timeout);
    if (c == NULL || PQstatus(c) != CONNECTION_OK) {
        /* libpq's first line names the server and the cause; the next ones are hints */
        const char *m = c != NULL ? PQerrorMessage(c) : "out of memory";
        snprintf(why, why_len, "%.*s", (int)strcspn(m, "\n"), m);
        PQfinish(c);
        return NULL;
    }
    return c;
}
