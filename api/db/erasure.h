/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Erasure of withdrawn claims' personal data after the retention period (docs/product.md
 * §5.5, docs/api.md §9.7–9.8; migration 0008). One statement erases one batch. */
#ifndef RECOURS_DB_ERASURE_H
#define RECOURS_DB_ERASURE_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "db/pool.h"

struct arena;

struct erasure_batch {
    int claims;             /* claims erased */
    int duplicates;         /* refused submissions linked to them whose pii was erased */
    const char *erased_at;  /* the batch's erased_at (UTC, microseconds), in the arena */
    const char *references; /* the erased references in order, one per line, in the arena */
};

extern const struct db_statement db_erasure_statements[];

/* Inside the caller's transaction: takes up to limit claims withdrawn at least
 * retention_days ago and not erased yet (oldest withdrawal first; a claim another transaction
 * is changing is skipped, so two servers never wait on each other, or with wait waited for;
 * one that only writes a row pointing at the claim holds neither), sets their pii, email,
 * phone and identity keys and review reason to NULL and erased_at (and updated_at) to now(),
 * and the pii of their claim_duplicates to NULL. Status, dates, country, categories and harms
 * stay, so the tallies do not move. Fills *out (strings in a); the number of claims erased,
 * or DB_*. */
int db_erasure_batch(PGconn *c, int retention_days, int limit, bool wait, struct arena *a,
                     struct erasure_batch *out);

#endif
