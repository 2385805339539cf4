/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The two shapes most db functions share: a prepared statement that returns at most one row
 * read into a struct, and a prepared command whose answer is its row count. Both return the
 * count, or a DB_* status (db/errors.h). */
#ifndef RECOURS_DB_EXEC_H
#define RECOURS_DB_EXEC_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

struct arena;

/* Reads row `row` of res into out (strings copied into a); false if the row is malformed. */
typedef bool (*db_row_reader)(const PGresult *res, int row, struct arena *a, void *out);

/* A db_row_reader for a one-column statement: the text of column 0 into *(const char **)out. */
bool db_read_text(const PGresult *res, int row, struct arena *a, void *out);

/* Runs stmt; when it returns exactly one row, reads it with read. The row count, or DB_*
 * (DB_HARD for a row read refused). */
int db_exec_one(PGconn *c, const char *stmt, int n, const char *const *params,
                db_row_reader read, struct arena *a, void *out);

/* Runs stmt and reads each of its first max rows with read into out, elem bytes apart. The
 * row count (only the first max read), or DB_* (DB_HARD for a row read refused). */
int db_exec_rows(PGconn *c, const char *stmt, int n, const char *const *params,
                 db_row_reader read, struct arena *a, void *out, size_t elem, int max);

/* Runs a prepared INSERT/UPDATE/DELETE without RETURNING: the rows it touched, or DB_*. */
int db_exec_command(PGconn *c, const char *stmt, int n, const char *const *params);

#endif
