/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The transaction runner: the one place in the service layer that opens, retries, commits
 * and rolls back transactions, and maps db statuses to outcomes (docs/architecture.md
 * "Transactions"). A service writes its transaction as a body and hands it to svc_tx_run;
 * it never writes BEGIN, COMMIT or ROLLBACK (tests/checks/check_transactions.sh). */
#ifndef RECOURS_SERVICE_TX_H
#define RECOURS_SERVICE_TX_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "core/outcome.h"
#include "db/errors.h"

/* How many times a body runs at most when it keeps meeting serialization failures or
 * deadlocks; the last failure answers 503 (the client may retry). */
#define TX_MAX_ATTEMPTS 4

enum tx_mode {
    TX_READ_WRITE, /* READ COMMITTED: every write path today; row locks order the writers */
    TX_READ_ONLY,  /* REPEATABLE READ READ ONLY: several reads that must see one snapshot */
};

/* What a body returns ends its attempt:
 *   > 0 (e.g. the row count of its last write)  COMMIT; the run answers OUTCOME_OK;
 *   0 (its write touched no row)                ROLLBACK; the run answers OUTCOME_NOT_FOUND;
 *   DB_RETRY (40001, 40P01)                     ROLLBACK, then the whole body runs again;
 *   another DB_* status                         ROLLBACK; mapped by tx_outcome_of;
 *   tx_answer(t, o)                             ROLLBACK; the run answers o.
 * A body may run several times: it must not do anything a retry would repeat outside the
 * database (it fills its outputs afresh on each run). */
struct tx;
typedef int (*tx_body_fn)(PGconn *c, struct tx *t, void *ctx);

/* Ends a body without a commit, the run answering o (a refusal: not found, a transition the
 * domain refuses, a conflict that is an answer). Returns the code the body returns. */
int tx_answer(struct tx *t, enum outcome o);

/* The status a body returns after svc_audit (0 on success) as its last write. */
static inline int
tx_audited(int audit_status)
{
    return audit_status == 0 ? 1 : audit_status;
}

/* What a body goes on with after a db call on one row, decided in one place:
 * tx_one_row, after a read by key or a write of one row: 1; 0 when there is none (returned,
 *   the run answers NOT_FOUND); a DB_* failure as is; several rows cannot be (DB_HARD).
 * tx_held_row_written, after a write to a row this transaction holds (read, locked or
 *   inserted by it): 1, or the DB_* failure; touching none or several is a bug (DB_HARD). */
static inline int
tx_one_row(int rc)
{
    return rc <= 1 ? rc : DB_HARD;
}

static inline int
tx_held_row_written(int rc)
{
    return rc == 1 ? 1 : rc < 0 ? rc : DB_HARD;
}

/* Runs body in one transaction of the given mode: BEGIN, the body, COMMIT, retrying the whole
 * on DB_RETRY (from the body or from COMMIT) up to TX_MAX_ATTEMPTS times with a short
 * jittered backoff, each retry logged ("tx <name>: retry"). A connection lost during COMMIT
 * answers OUTCOME_UNAVAILABLE without a retry: whether it committed is unknown, and the
 * client retries with its Idempotency-Key (docs/api.md §3.1). name is for the log. */
enum outcome svc_tx_run(PGconn *c, const char *name, enum tx_mode mode, tx_body_fn body,
                        void *ctx);

/* The held transaction of an Idempotency-Key request (docs/api.md §4; service/idempotency.c
 * alone calls these): the request's answer is stored in the transaction of its effect.
 * tx_hold_begin: from now on, on this thread, the first read-write body svc_tx_run runs
 *   successfully is not committed: its transaction stays open (held), and any body run after
 *   it (read or write) runs inside it under a savepoint, retried there on 40001/40P01.
 * tx_hold_end: ends the hold. With a held transaction open on c: runs last (the answer's
 *   insert) inside it and commits both, or, last NULL, rolls the effect back (an answer that
 *   is not kept, 5xx, must not leave its effect behind). Without one (the request wrote
 *   nothing): runs last in a transaction of its own through svc_tx_run, if given.
 *   OUTCOME_UNAVAILABLE when the held transaction's session was lost (nothing committed) or
 *   its COMMIT failed on a lost connection (outcome unknown); a serialization failure of the
 *   last body or of COMMIT is not retried (the effect's body cannot be run again from here):
 *   OUTCOME_UNAVAILABLE too, and the client retries with its key. */
void tx_hold_begin(void);
/* Whether a held transaction is open (a write of this request awaits tx_hold_end). */
bool tx_hold_open(void);
enum outcome tx_hold_end(PGconn *c, const char *name, tx_body_fn last, void *ctx);

/* svc_tx_run on the calling thread's connection (service/conn.h), for an entry point whose
 * whole work is one transaction; OUTCOME_UNAVAILABLE when there is no connection. */
enum outcome svc_tx_run_here(const char *name, enum tx_mode mode, tx_body_fn body, void *ctx);

/* The steps of svc_tx_run, for the intake writer alone: its group commit keeps its own batch
 * loop (it replaces a connection found dead at BEGIN and splits a batch on a hard error; see
 * service/intake.c). Any other caller uses svc_tx_run.
 * tx_begin: BEGIN in the mode; 0 or DB_*.
 * tx_commit: COMMIT; 0 or DB_*; a lost connection during COMMIT is DB_UNAVAILABLE (the
 *   outcome is unknown: 503, and the client retries with its Idempotency-Key, docs/api.md §3.1).
 * tx_rollback: ROLLBACK when a transaction is open; safe on any path. */
int tx_begin(PGconn *c, enum tx_mode mode);
int tx_commit(PGconn *c);
void tx_rollback(PGconn *c);

/* The end of a list read of limit + 1 rows outside a transaction (rc: its db status, *n_out
 * rows read; the extra row only tells that another page exists): OUTCOME_OK with *more_out
 * set and *n_out cut to limit, or tx_outcome_of(c, rc). */
enum outcome tx_page_outcome(PGconn *c, int rc, int limit, int *n_out, bool *more_out);

/* The end of a single read outside a transaction (rc: 1 read, 0 none, or its db status): OK,
 * NOT_FOUND, or tx_outcome_of(c, rc). */
enum outcome tx_read_outcome(PGconn *c, int rc);

/* The end of a read of one row owned by *owner (rc: 1 read, 0 none, or its db status; *owner
 * is looked at only after a read): OK when read and association_id is NULL (any owner, for
 * the operator) or *owner; NOT_FOUND when none or another's (another association's object answers as a missing one, docs/api.md §2.3);
 * tx_outcome_of(c, rc) on a failure. */
enum outcome tx_owned_outcome(PGconn *c, int rc, const char *const *owner,
                              const char *association_id);

/* The outcome of a failed db status outside a transaction (a single read): DB_UNAVAILABLE
 * drops the broken connection. */
enum outcome tx_outcome_of(PGconn *c, int db_status);

#endif
