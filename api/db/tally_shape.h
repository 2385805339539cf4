/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The summary's reads of the tables 0013_summary_shape.sql derives from claim_tallies:
 * counts without the loss and the hours, the eligible claims' cells, and the count and sum
 * of the losses and hours below a cap from their radix trees (domain/summary_shape.h). Each
 * read returns a number of rows that does not grow with the claims; the unfolded changes are
 * read with a limit. */
#ifndef RECOURS_DB_TALLY_SHAPE_H
#define RECOURS_DB_TALLY_SHAPE_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/pool.h"
#include "db/tallies.h"
#include "domain/summary_shape.h"

struct arena;

extern const struct db_statement db_tally_shape_statements[];

/* How many claim_tallies rows the incident has, counting no further than limit. Count or
 * DB_*. */
int db_shape_tally_rows(PGconn *c, int64_t incident_id, int64_t limit, int64_t *n_out);

/* In the caller's snapshot: the version of the incident's folded tables (0 before any
 * fold), its refused duplicates, and at most limit of its unfolded changes (claim_shape_log)
 * as tally_group rows (n ±, no source). Count of changes or DB_*. */
int db_shape_state(PGconn *c, int64_t incident_id, int limit, struct arena *a,
                   int64_t *version_out, int64_t *duplicates_out, struct tally_group **out);

/* Folds at most limit changes of the log (any incidents) in the caller's transaction
 * (summary_shape_fold of 0013). 1 or DB_*; *n_out how many were folded. */
int db_shape_fold(PGconn *c, int limit, int64_t *n_out);

/* The incident's groups by (status, payment, country, categories), every status, as
 * tally_group rows with documented_loss and hours_spent 0 and no source. Count or DB_*. */
int db_shape_counts(PGconn *c, int64_t incident_id, struct arena *a, struct tally_group **out,
                    int *n_out);

/* The cells of the incident's eligible claims (verified, or received too unless
 * verified_only), summed over statuses and shards. Count or DB_*; *out is arena memory. */
int db_shape_cells(PGconn *c, int64_t incident_id, bool verified_only, struct arena *a,
                   struct shape_cell **out, size_t *n_out);

/* The eligible claims' losses and hours above 0: count and sum, and those below loss_cap and
 * hours_cap (each ≤ one above its dimension's largest value: shape_loss_cap,
 * shape_hours_cap). One statement, at most 15 tree nodes per level, status and shard. 1 or
 * DB_*. */
int db_shape_sums(PGconn *c, int64_t incident_id, bool verified_only, int64_t loss_cap,
                  int64_t hours_cap, struct shape_sums *loss, struct shape_sums *hours);

#endif
