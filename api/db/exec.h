/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The two shapes most db functions share: a prepared statement that returns at most one row
 * read into a struct, and a prepared command whose answer is its row count. Both return the
 * count, or a DB_* status (db/errors.h). */
#ifndef RECOURS_DB_EXEC_H
#define RECOURS_DB_EXEC_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

/* A timestamptz column in a statement's text, as the API writes times: RFC 3339, UTC, with
 * microseconds ("2026-12-06T05:30:00.123456Z"). */
#define DB_TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

/* Reads row `row` of res into out (strings copied into a); false if the row is malformed. */
typedef bool (*db_row_reader)(const PGresult *res, int row, struct arena *a, void *out);

/* A db_row_reader for a one-column statement: the text of column 0 into *(const char **)out. */
bool db_read_text(const PGresult *res, int row, struct arena *a, void *out);

/* A db_row_reader for a one-column statement: the bigint of column 0 into *(int64_t *)out. */
bool db_read_int64(const PGresult *res, int row, struct arena *a, void *out);

/* Column readers for db_row_reader functions (col: 0-based; the value is trusted to have the
 * column's SQL type, as our own statements select it):
 *   db_text_at: the text, copied into a, or NULL for SQL NULL;
 *   db_int64_at: a bigint or int (0 for NULL);
 *   db_bool_at: a boolean (false for NULL). */
const char *db_text_at(struct arena *a, const PGresult *res, int row, int col);
int64_t db_int64_at(const PGresult *res, int row, int col);
bool db_bool_at(const PGresult *res, int row, int col);

/* db_text_at of the n consecutive text columns from col, each into *fields[i]: a reader
 * names its text fields once, in the order of its column list. */
void db_texts_at(struct arena *a, const PGresult *res, int row, int col,
                 const char **const fields[], size_t n);

/* A bytea column (in its text form) decoded into a: *out and *len, NULL and 0 for SQL NULL;
 * false when it does not decode (out of memory). */
bool db_bytea_at(struct arena *a, const PGresult *res, int row, int col, uint8_t **out,
                 size_t *len);

/* Runs stmt, which returns rows, with PQexecPrepared's lengths, formats and result_format (for
 * binary parameters or results; NULL, NULL, 0 for text): their count with *res_out set (the
 * caller clears it), or DB_* with *res_out NULL. The runners below are built on it. */
int db_exec_query(PGconn *c, const char *stmt, int n, const char *const *params, const int *lengths,
                  const int *formats, int result_format, PGresult **res_out);

/* Runs stmt; when it returns exactly one row, reads it with read. The row count, or DB_*
 * (DB_HARD for a row read refused). */
int db_exec_one(PGconn *c, const char *stmt, int n, const char *const *params,
                db_row_reader read, struct arena *a, void *out);

/* Runs stmt and reads each of its first max rows with read into out, elem bytes apart. The
 * row count (only the first max read), or DB_* (DB_HARD for a row read refused). */
int db_exec_rows(PGconn *c, const char *stmt, int n, const char *const *params,
                 db_row_reader read, struct arena *a, void *out, size_t elem, int max);

/* db_exec_rows for a page of a list: at most max rows, max being one more than the page shows
 * (the service asks limit + 1: the extra row only tells that another page exists). *n_out the
 * rows read, at most max (0 on a failure). The statement's last parameter, $(n + 1), is its
 * LIMIT: written here from max, after the n params (at most DB_PAGE_PARAMS_MAX). */
#define DB_PAGE_PARAMS_MAX 15
int db_exec_page(PGconn *c, const char *stmt, int n, const char *const *params,
                 db_row_reader read, struct arena *a, void *out, size_t elem, int max, int *n_out);

/* Runs stmt and reads all its rows with read into an array allocated in a, elem bytes apart
 * (room for one at least, so an empty answer is a valid array): *rows_out the array, the row
 * count or DB_* (DB_HARD for a row read refused). */
int db_exec_all(PGconn *c, const char *stmt, int n, const char *const *params,
                db_row_reader read, struct arena *a, size_t elem, void **rows_out);

/* db_exec_one for a statement that answers at most one row of one short text column (a status,
 * a language, a reference), copied into the caller's buffer out of size bytes. */
int db_exec_text_into(PGconn *c, const char *stmt, int n, const char *const *params, char *out,
                      size_t size);

/* Runs stmt, which answers one row of one bigint (a version, a count): 1 with *out set, or
 * DB_* (DB_HARD when the answer is not one row). */
int db_exec_int64(PGconn *c, const char *stmt, int n, const char *const *params, int64_t *out);

/* db_exec_one and db_exec_command for a statement whose one parameter is a bigint (a row's
 * id). */
int db_exec_one_id(PGconn *c, const char *stmt, int64_t id, db_row_reader read, struct arena *a,
                   void *out);
int db_exec_command_id(PGconn *c, const char *stmt, int64_t id);

/* The text of a bigint parameter into buf (DB_INT64_TEXT bytes); returns buf, for a params
 * array's initialiser. */
#define DB_INT64_TEXT 24
const char *db_int64_text(int64_t v, char buf[DB_INT64_TEXT]);

/* Runs a prepared INSERT/UPDATE/DELETE without RETURNING (or a SELECT run for its effect,
 * such as an advisory lock): the rows it touched or returned, or DB_*. Inside a pipeline
 * (db/pipeline.h) it only sends the statement and returns 0 (or DB_* if it could not be sent):
 * its answer is db_pipeline_end's. */
int db_exec_command(PGconn *c, const char *stmt, int n, const char *const *params);

/* Runs stmt, a command of three parameters ($1 the row's id, $2 a sealed box as hex, $3 the data
 * key it is sealed with), with box[0..len) encoded for it: the store of a sealed value. The rows
 * it touched, or DB_*. */
int db_exec_store_sealed(PGconn *c, const char *stmt, const char *id, const uint8_t *box,
                         size_t len, int key_id);

/* The answer of such a command that the caller ran itself (binary parameters): the rows it
 * touched, or DB_*; res is cleared. */
int db_command_result(PGresult *res, const char *stmt);

#endif
