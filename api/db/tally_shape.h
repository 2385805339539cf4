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

/* What one summary call reads in one statement (db_shape_read). */
struct shape_read_query {
    int64_t incident_id;
    bool verified_only;
    bool with_sums;            /* the tree sums under loss_cap and hours_cap (a scheme) */
    int64_t loss_cap, hours_cap; /* each ≤ one above its dimension's largest value */
    int changes_limit;         /* unfolded changes read at most */
    int64_t tally_rows_limit;  /* claim_tallies rows counted at most */
};

/* Its answer, one snapshot: the version of the incident's folded tables (0 before any fold),
 * its refused duplicates, its claim_tallies rows (up to the limit), its unfolded changes
 * (claim_shape_log, n ±, as tally_group rows without source) and, with_sums, the eligible
 * claims' losses and hours above 0 (count, sum) and those below the caps, from the trees (at
 * most 15 nodes per level and status). */
struct shape_snapshot {
    int64_t version, duplicates, tally_rows;
    struct tally_group *changes;
    int n_changes;
    struct shape_sums loss, hours;
};

/* One statement, so one round trip and no transaction. 1 or DB_*; arena memory in out. */
int db_shape_read(PGconn *c, const struct shape_read_query *q, struct arena *a,
                  struct shape_snapshot *out);

/* The version of the incident's folded tables in the caller's snapshot. 1 or DB_*. */
int db_shape_version(PGconn *c, int64_t incident_id, int64_t *version_out);

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

#endif
