/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The transaction runner. Statement and lock timeouts come from the connection options
 * (db/pool.c). */
#include "service/tx.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "crypto/random.h"
#include "db/errors.h"
#include "db/pool.h"
#include "service/conn.h"

/* Marks the code tx_answer returns; below every DB_* status. */
#define TX_ANSWERED (-100)

/* Backoff before retry k (1-based): 2^k ms, plus up to as much again at random so that two
 * transactions that met each other do not meet again in step; at most 28 ms over the three
 * retries, far below the statement timeout. */
#define TX_BACKOFF_BASE_MS 1

struct tx {
    enum outcome answer;
};

int
tx_answer(struct tx *t, enum outcome o)
{
    t->answer = o;
    return TX_ANSWERED;
}

static int
exec_command(PGconn *c, const char *sql, const char *what)
{
    PGresult *res = PQexec(c, sql);
    int rc = 0;

    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = db_status_of(res, what);
    PQclear(res);
    return rc;
}

int
tx_begin(PGconn *c, enum tx_mode mode)
{
    return exec_command(c, mode == TX_READ_ONLY ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                                                : "BEGIN",
                        "begin");
}

int
tx_commit(PGconn *c)
{
    PGresult *res = PQexec(c, "COMMIT");
    int rc = 0;

    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = db_status_of(res, "commit");
    else if (strcmp(PQcmdStatus(res), "COMMIT") != 0)
        rc = DB_RETRY; /* "ROLLBACK": the transaction had failed; nothing was written */
    PQclear(res);
    return rc;
}

void
tx_rollback(PGconn *c)
{
    if (PQstatus(c) != CONNECTION_OK || PQtransactionStatus(c) == PQTRANS_IDLE)
        return;
    PQclear(PQexec(c, "ROLLBACK"));
}

static void
backoff(int retry)
{
    uint32_t jitter = 0;
    long ms = (long)TX_BACKOFF_BASE_MS << retry;

    if (random_bytes(&jitter, sizeof jitter))
        ms += (long)(jitter % (uint32_t)ms);
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        continue; /* a signal: sleep the rest */
}

/* The held transaction of this thread's request (tx_hold_begin): on while an
 * Idempotency-Key request runs; open once a read-write body left its transaction open for
 * the answer; c and pid name the session that holds it. */
static _Thread_local struct {
    bool on;
    bool open;
    PGconn *c;
    int pid;
} hold;

/* A body run inside a transaction already open (the held one): under a savepoint, so that its
 * failure, or a retry, undoes its own writes alone. */
static int
attempt_nested(PGconn *c, tx_body_fn body, struct tx *t, void *ctx)
{
    int rc = exec_command(c, "SAVEPOINT svc_tx", "savepoint");

    if (rc != 0)
        return rc;
    rc = body(c, t, ctx);
    if (rc > 0) {
        int src = exec_command(c, "RELEASE SAVEPOINT svc_tx", "release savepoint");
        return src == 0 ? 1 : src;
    }
    if (PQstatus(c) == CONNECTION_OK &&
        exec_command(c, "ROLLBACK TO SAVEPOINT svc_tx", "rollback to savepoint") == 0)
        (void)exec_command(c, "RELEASE SAVEPOINT svc_tx", "release savepoint");
    return rc;
}

/* One attempt: BEGIN, body, COMMIT. 1 after a commit, else the body's code or a DB_* status
 * of BEGIN or COMMIT; never leaves a transaction open, but for the held one: a read-write
 * body of a request under tx_hold_begin ends without COMMIT, its transaction open for
 * tx_hold_end. */
static int
attempt(PGconn *c, enum tx_mode mode, tx_body_fn body, struct tx *t, void *ctx)
{
    if (hold.open && PQtransactionStatus(c) == PQTRANS_INTRANS)
        return attempt_nested(c, body, t, ctx);
    int rc = tx_begin(c, mode);

    if (rc != 0)
        return rc;
    rc = body(c, t, ctx);
    if (rc > 0 && hold.on && mode == TX_READ_WRITE) {
        hold.open = true;
        hold.c = c;
        hold.pid = PQbackendPID(c);
        return 1;
    }
    if (rc > 0) {
        int crc = tx_commit(c);
        rc = crc == 0 ? 1 : crc;
    }
    tx_rollback(c);
    return rc;
}

enum outcome
svc_tx_run(PGconn *c, const char *name, enum tx_mode mode, tx_body_fn body, void *ctx)
{
    struct tx t = {OUTCOME_INTERNAL};
    int rc = DB_RETRY;

    for (int n = 1; n <= TX_MAX_ATTEMPTS; n++) {
        if (n > 1) {
            log_warn("tx %s: retry %d of %d after a serialization failure or deadlock", name,
                     n - 1, TX_MAX_ATTEMPTS - 1);
            backoff(n - 1);
        }
        rc = attempt(c, mode, body, &t, ctx);
        if (rc != DB_RETRY)
            break;
    }
    if (rc > 0)
        return OUTCOME_OK;
    if (rc == 0)
        return OUTCOME_NOT_FOUND; /* the one meaning of a write that touched no row */
    if (rc == TX_ANSWERED)
        return t.answer;
    return tx_outcome_of(c, rc);
}

enum outcome
tx_outcome_of(PGconn *c, int db_status)
{
    /* a serialization failure or deadlock that outlived its retries: the client may retry */
    if (db_status == DB_RETRY)
        return OUTCOME_UNAVAILABLE;
    if (db_status == DB_UNAVAILABLE || PQstatus(c) != CONNECTION_OK) {
        db_pool_check(c);
        return OUTCOME_UNAVAILABLE;
    }
    return OUTCOME_INTERNAL;
}

bool
tx_hold_open(void)
{
    return hold.open;
}

void
tx_hold_begin(void)
{
    hold.on = true;
    hold.open = false;
    hold.c = NULL;
    hold.pid = 0;
}

/* The held transaction is still the one this session opened, and usable. */
static bool
hold_intact(PGconn *c)
{
    return c == hold.c && PQstatus(c) == CONNECTION_OK && PQbackendPID(c) == hold.pid &&
           PQtransactionStatus(c) == PQTRANS_INTRANS;
}

enum outcome
tx_hold_end(PGconn *c, const char *name, tx_body_fn last, void *ctx)
{
    bool was_open = hold.open;

    hold.on = false;
    hold.open = false;
    if (!was_open) {
        if (last == NULL)
            return OUTCOME_OK;
        return c != NULL ? svc_tx_run(c, name, TX_READ_WRITE, last, ctx) : OUTCOME_UNAVAILABLE;
    }
    if (c == NULL || !hold_intact(c)) {
        /* the session (or its transaction) was lost after the write: nothing committed */
        if (c != NULL)
            tx_rollback(c);
        log_warn("tx %s: the held transaction was lost before its commit", name);
        return OUTCOME_UNAVAILABLE;
    }
    if (last == NULL) {
        tx_rollback(c);
        return OUTCOME_OK;
    }
    struct tx t = {OUTCOME_INTERNAL};
    int rc = last(c, &t, ctx);
    if (rc > 0) {
        int crc = tx_commit(c);
        rc = crc == 0 ? 1 : crc;
    }
    tx_rollback(c);
    if (rc > 0)
        return OUTCOME_OK;
    if (rc == TX_ANSWERED)
        return t.answer;
    /* a retry would need the request's first body again: the client retries with its key */
    return rc == 0 ? OUTCOME_INTERNAL : tx_outcome_of(c, rc);
}

enum outcome
tx_page_outcome(PGconn *c, int rc, int limit, int *n_out, bool *more_out)
{
    if (rc < 0)
        return tx_outcome_of(c, rc);
    *more_out = *n_out > limit;
    if (*more_out)
        *n_out = limit;
    return OUTCOME_OK;
}

enum outcome
tx_read_outcome(PGconn *c, int rc)
{
    if (rc < 0)
        return tx_outcome_of(c, rc);
    return rc == 0 ? OUTCOME_NOT_FOUND : OUTCOME_OK;
}

enum outcome
tx_owned_outcome(PGconn *c, int rc, const char *const *owner, const char *association_id)
{
    if (rc == 1 && association_id != NULL && strcmp(*owner, association_id) != 0)
        return OUTCOME_NOT_FOUND; /* another's answers as none */
    return tx_read_outcome(c, rc);
}

enum outcome
svc_tx_run_here(const char *name, enum tx_mode mode, tx_body_fn body, void *ctx)
{
    PGconn *c;

    return svc_conn(&c) != OUTCOME_OK ? OUTCOME_UNAVAILABLE
                                      : svc_tx_run(c, name, mode, body, ctx);
}
