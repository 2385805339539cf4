/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Builds PostgreSQL array literals (text format) so a batch of rows travels as one parameter
 * per column into `unnest(...)`: one statement, one round trip, whatever the batch size. */
#ifndef RECOURS_DB_PG_ARRAY_H
#define RECOURS_DB_PG_ARRAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/strbuf.h"

struct pg_array {
    struct strbuf sb;
    int n;
};

void pg_array_text(struct pg_array *a, const char *s);          /* NULL → NULL element */
void pg_array_bytea(struct pg_array *a, const uint8_t *b, size_t n); /* b NULL → NULL */
void pg_array_int(struct pg_array *a, int64_t v);
void pg_array_bool(struct pg_array *a, bool v);
void pg_array_null(struct pg_array *a);

/* The literal ("{...}"), owned by the array until pg_array_free (wipes: it may carry sealed
 * data and keys' hashes). */
const char *pg_array_finish(struct pg_array *a);
void pg_array_free(struct pg_array *a);

/* The same for n columns of one statement: each one's literal into params[0..n), and the
 * columns freed together. */
void pg_array_finish_all(struct pg_array *cols, int n, const char **params);
void pg_array_free_all(struct pg_array *cols, int n);

#endif
