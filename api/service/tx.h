/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Transaction helpers for the service layer, and the mapping from db statuses to outcomes. */
#ifndef RECOURS_SERVICE_TX_H
#define RECOURS_SERVICE_TX_H

#include <libpq-fe.h>

#include "core/outcome.h"

/* BEGIN (with an isolation level, or NULL for the default READ COMMITTED). DB_* or 0. */
int tx_begin(PGconn *c, const char *isolation);

/* COMMIT. 0 or DB_*; a lost connection during COMMIT is DB_UNAVAILABLE: the outcome is
 * unknown to us, so the client gets 503 and retries with its Idempotency-Key (docs/api.md §3.1). */
int tx_commit(PGconn *c);

/* ROLLBACK when a transaction is open; safe to call on any path. */
void tx_rollback(PGconn *c);

/* The outcome of a failed db status (DB_UNAVAILABLE drops the broken connection). */
enum outcome tx_outcome_of(PGconn *c, int db_status);

#endif
