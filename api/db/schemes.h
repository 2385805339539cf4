/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Versioned compensation schemes of incidents. */
#ifndef RECOURS_DB_SCHEMES_H
#define RECOURS_DB_SCHEMES_H

#include <libpq-fe.h>
#include <stdint.h>

#include "db/pool.h"

struct arena;

struct scheme_record {
    int version;
    const char *json;       /* canonical JSON text */
    const char *created_at;
};

extern const struct db_statement db_schemes_statements[];

/* Stores json as the next version of the incident's scheme and makes it current (the
 * incident row is locked for it). 1 or DB_*. */
int db_schemes_put(PGconn *c, int64_t incident_id, const char *json, struct arena *a,
                   struct scheme_record *out);

/* The scheme in force: 1, or 0 when none was set. */
int db_schemes_current(PGconn *c, int64_t incident_id, struct arena *a,
                       struct scheme_record *out);

#endif
