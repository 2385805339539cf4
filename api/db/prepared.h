/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Statements prepared on a connection when it first runs them (docs/decisions.md "Statements
 * prepared on first use"). Every prepared statement of api/ runs through here
 * (tests/checks/check_prepared.sh): the connection remembers which of the registry's
 * statements it holds (libpq event data on the PGconn, cleared by PQreset, freed by PQfinish),
 * and one it does not hold yet is prepared just before it runs. A prepared statement outlives
 * the transaction it was made in, even rolled back, so preparing inside one is safe. */
#ifndef RECOURS_DB_PREPARED_H
#define RECOURS_DB_PREPARED_H

#include <libpq-fe.h>
#include <stdbool.h>

/* PQexecPrepared, with stmt prepared first if c does not hold it yet. When the database
 * cannot prepare it (SQLSTATE class 42: a table, column or function missing, a privilege: the
 * schema is not the binary's) the failure is logged with the statement's name and the result
 * returned carries no SQLSTATE, so db_status_of answers DB_UNAVAILABLE (503, as a connection
 * that could not be prepared always was); any other failure of the prepare is returned as the
 * statement's own would be.
 * A statement c held that fails because the schema changed under it (a table or column renamed
 * or dropped, class 42; a result type changed, 0A000 "cached plan must not change result
 * type") is logged with its name (never its parameters), answered alike (DB_UNAVAILABLE, 503),
 * and forgotten: its next use prepares it again. A 0A000 outside a transaction block, where it
 * ran nothing and no earlier statement of the caller's is lost, is prepared again and run once
 * more at once (docs/decisions.md "A statement whose table changed under it"). */
PGresult *db_exec_prepared(PGconn *c, const char *stmt, int n, const char *const *params,
                           const int *lengths, const int *formats, int result_format);

/* PQsendQueryPrepared, with stmt prepared first if c does not hold it yet: 1 when sent, 0
 * when libpq could not send it (PQerrorMessage says why), or the DB_* status of a prepare that
 * failed (db_status_of of db_exec_prepared's failure: DB_UNAVAILABLE, logged, for one the
 * database cannot prepare). Outside pipeline mode the prepare is a
 * round trip of its own before the send. In pipeline mode its Parse is queued before the
 * statement and *parse_sent set: its answer comes first in the stream, read with
 * db_prepared_parse_answer (parse_sent NULL: refused, 0). */
int db_send_prepared(PGconn *c, const char *stmt, int n, const char *const *params,
                     const int *lengths, const int *formats, int result_format, bool *parse_sent);

/* The answer res to a Parse that db_send_prepared queued in a pipeline for stmt: 0 when it was
 * prepared, or skipped because an earlier statement failed (c then does not hold it); else its
 * DB_* status, DB_UNAVAILABLE logged for a statement the database cannot prepare. */
int db_prepared_parse_answer(PGconn *c, const char *stmt, const PGresult *res);

/* On an idle connection (db_pool_after_request): deallocates the statements forgotten for a
 * schema change inside a transaction, so their names are free for their next prepare. */
void db_prepared_tidy(PGconn *c);

/* Prepares every registered statement on c (after DEALLOCATE ALL): the proof that the schema
 * is not behind the binary. False, logged with the statement's name, if one fails. */
bool db_prepare_all(PGconn *c);

#endif
