/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Statuses of db functions (db/README.md): DB_HARD, DB_RETRY, DB_UNAVAILABLE, or a row count,
 * derived from SQLSTATE (docs/architecture.md §7). */
#ifndef RECOURS_DB_ERRORS_H
#define RECOURS_DB_ERRORS_H

#include <libpq-fe.h>

#define DB_HARD (-2)        /* unexpected: our bug or a constraint we did not plan for */
#define DB_RETRY (-1)       /* 40001 / 40P01: the transaction runner retries */
#define DB_UNAVAILABLE (-3) /* connection lost, server shutting down, or timed out: 503 */
#define DB_CONFLICT (-4)    /* 23505 unique violation: an answer, not an error */

/* The status of a failed result (NULL = out of memory or lost connection), logging the
 * SQLSTATE of unexpected ones (never the message: it may quote values). */
int db_status_of(const PGresult *res, const char *what);

#endif
