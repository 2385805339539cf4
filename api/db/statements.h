/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The registry of prepared statements: each db/ file contributes its table here; a connection
 * prepares one when it first runs it (db/prepared.h), or all of them as the proof that the
 * schema is not behind the binary. */
#ifndef RECOURS_DB_STATEMENTS_H
#define RECOURS_DB_STATEMENTS_H

#include <stddef.h>

#include "db/pool.h"

/* NULL-terminated list of statement tables, each ending with a {NULL} entry. */
extern const struct db_statement *const db_statement_tables[];

/* How many statements the tables hold. */
int db_statement_count(void);

/* The index, in [0, db_statement_count()), of the statement named name, or -1 when no table
 * has it. Built once, the first time it is asked (sorted names, binary search). */
int db_statement_index(const char *name);

/* The statement at index i of db_statement_index. */
const struct db_statement *db_statement_at(int i);

/* The first name two tables (or one table twice) register, or NULL when every name is
 * unique: such a name would be prepared once, with one of the two texts. */
const char *db_statement_duplicate(void);

#endif
