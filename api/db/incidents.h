/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The incidents table: one prepared statement per function, strings copied into the caller's
 * arena. Returns follow db/errors.h: a row count, or DB_* on failure. */
#ifndef RECOURS_DB_INCIDENTS_H
#define RECOURS_DB_INCIDENTS_H

#include <libpq-fe.h>
#include <stdint.h>

#include "db/pool.h"
#include "domain/vocab.h"

struct arena;

struct incident {
    int64_t id;
    const char *slug;
    const char *controller;
    const char *title;
    const char *disclosed_on;        /* YYYY-MM-DD */
    int64_t affected_count;
    category_set data_categories;
    const char *authority_reference; /* NULL when none */
    const char *status;              /* open | closed */
    const char *currency;
    const char *created_at;          /* RFC 3339 UTC */
    const char *updated_at;
};

extern const struct db_statement db_incidents_statements[];

/* Inserts *in (id and times ignored); fills *out. 1, DB_CONFLICT when the slug is taken. */
int db_incidents_insert(PGconn *c, const struct incident *in, struct arena *a,
                        struct incident *out);

/* The incident of slug, locked FOR UPDATE when for_update (inside a transaction). 1 or 0. */
int db_incidents_get(PGconn *c, const char *slug, bool for_update, struct arena *a,
                     struct incident *out);

/* Writes every mutable column of *in to the row of in->id; fills *out. 1 or 0. */
int db_incidents_update(PGconn *c, const struct incident *in, struct arena *a,
                        struct incident *out);

/* Open incidents with slug > after (NULL: from the start), ascending, at most limit;
 * *out_n of them into out[]. Returns the count or DB_*. */
int db_incidents_list_open(PGconn *c, const char *after, int limit, struct arena *a,
                           struct incident *out, int *out_n);

#endif
