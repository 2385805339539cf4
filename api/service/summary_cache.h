/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The folded counts and cells of an incident's summary (db/tally_shape.h), kept in this
 * process by (incident, fold version, verified_only): a version names one state of the folded
 * tables (0013_summary_shape.sql), so what was read once for it is the same for every later
 * call until the next fold. At most SUMMARY_CACHE_SLOTS entries, the least recently used
 * replaced; an entry holds one incident's counts and cells (bounded by its cell grid, never
 * by its claims: docs/decisions.md "Issue 15 — summary (this session)"). Thread-safe. */
#ifndef RECOURS_SERVICE_SUMMARY_CACHE_H
#define RECOURS_SERVICE_SUMMARY_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/tallies.h"
#include "domain/scheme.h"
#include "domain/summary_shape.h"

struct summary_view;

struct arena;

#define SUMMARY_CACHE_SLOTS 16

/* On a hit, copies of the entry's counts and cells into a (status strings too): true. */
bool summary_cache_get(int64_t incident_id, int64_t version, bool verified_only, struct arena *a,
                       struct tally_group **counts, int *n_counts, struct shape_cell **cells,
                       size_t *n_cells);

/* Keeps copies of counts and cells for (incident, version, verified_only). Out of memory:
 * keeps nothing (the next call reads them again). */
void summary_cache_put(int64_t incident_id, int64_t version, bool verified_only,
                       const struct tally_group *counts, int n_counts,
                       const struct shape_cell *cells, size_t n_cells);

/* Everything the figures of an incident summary on the cells path depend on: the folded state
 * (version), the unfolded changes read with it (compared row by row, in the order read: a
 * reordering is a miss), the refused duplicates, the scheme (compared by its bytes: a
 * difference in padding is a miss, never a false hit) and the affected count. */
struct summary_view_key {
    int64_t incident_id, version, duplicates, affected_count;
    bool verified_only;
    const struct scheme *scheme; /* NULL: the counts only */
    const struct tally_group *changes;
    int n_changes;
};

/* Up to this many unfolded changes, a summary's figures are kept (SUMMARY_VIEW_SLOTS entries,
 * the least recently used replaced): at most about 32 × 70 KiB. */
#define SUMMARY_VIEW_SLOTS 32
#define SUMMARY_VIEW_CHANGES_MAX 1024

/* On a hit, the figures kept for k into *out: true. */
bool summary_cache_get_view(const struct summary_view_key *k, struct summary_view *out);

/* Keeps the figures v for k (nothing when k has more than SUMMARY_VIEW_CHANGES_MAX changes or
 * memory is short). */
void summary_cache_put_view(const struct summary_view_key *k, const struct summary_view *v);

/* Forgets everything (tests; a process that changed databases). */
void summary_cache_clear(void);

#endif
