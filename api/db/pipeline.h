/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Several statements of one transaction in one round trip (libpq's pipeline mode), for writes
 * whose only answer needed is "it worked": the intake's per-claim hooks (service/intake.c).
 * Between db_pipeline_begin and db_pipeline_end, db_exec_command (db/exec.h) sends its
 * statement and returns 0 at once; db_pipeline_end reads every answer in order and returns the
 * first failure as db_exec_command would have returned it for that statement, so a caller's
 * retries are the same. Once a statement failed, PostgreSQL skips the rest up to the sync. */
#ifndef RECOURS_DB_PIPELINE_H
#define RECOURS_DB_PIPELINE_H

#include <libpq-fe.h>
#include <stdbool.h>

/* The most statements one pipeline holds; one more is refused (DB_HARD at the end). */
#define DB_PIPELINE_MAX 16

/* Enters pipeline mode on c (idle, in a transaction or not); 0, or DB_UNAVAILABLE when libpq
 * refuses (the connection is not idle or is gone). */
int db_pipeline_begin(PGconn *c);

/* True while c is between db_pipeline_begin and db_pipeline_end. */
bool db_pipeline_on(PGconn *c);

/* Sends a prepared statement into c's pipeline (db_exec_command's path while it is on): 0, or
 * a DB_* status that db_pipeline_end will also return. */
int db_pipeline_send(PGconn *c, const char *stmt, int n, const char *const *params);

/* Sends the sync, reads every statement's answer, leaves pipeline mode: 0 when each succeeded,
 * else the first failure's DB_* status (db_status_of). DB_UNAVAILABLE when the answers could
 * not all be read: c may then still be in pipeline mode, where no other call works, and must
 * be replaced like a closed connection (db_pipeline_on tells). */
int db_pipeline_end(PGconn *c);

#endif
