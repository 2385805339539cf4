/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The registry of prepared statements: each db/ file contributes its table here, and the pool
 * prepares them all on every (re)connect. */
#ifndef RECOURS_DB_STATEMENTS_H
#define RECOURS_DB_STATEMENTS_H

#include <stddef.h>

#include "db/pool.h"

/* NULL-terminated list of statement tables, each ending with a {NULL} entry. */
extern const struct db_statement *const db_statement_tables[];

#endif
