/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The compensation summary of an incident from a number of groups that does not grow with
 * the claims, whatever their losses and hours (docs/decisions.md "Summary at any data
 * shape"; tables in db-migrations/0013_summary_shape.sql).
 *
 * Inputs: the eligible claims in CELLS — (payment, categories, loss bucket, hours bucket) —
 * with the smallest and largest loss and hours ever counted in each: the cell is exact when
 * they are equal (every claim in it has that loss and those hours), else its values lie
 * between them, inside the bucket; and, for the losses and the hours above
 * 0, their count and sum, and the count and sum of those below the scheme's cap (read from
 * a radix tree in logarithmic time).
 *
 * What is exact: every figure summary_compute gives exactly (counts, components, totals,
 * cap, pro-rata factor, mean, vouchers, projections): the losses and hours enter the
 * totals only through Σ min(v, cap), which the sums give exactly.
 *
 * The award distribution (median, min, max): when every cell is exact, exactly what
 * summary_compute gives over those groups (the same flags, the same tie-break hook). When a
 * cell is not, each order statistic is bounded by placing every claim of a cell at the
 * lower, then the upper end of its range: true ∈ [lo, hi] (after the cap, the upper end
 * takes one leftover unit more). The figure reported is lo + ⌊(hi − lo) / 2⌋ and its *_exact
 * flag is lo == hi. A range lies inside a bucket, whose width is at most 1/4 of its lower end
 * (3 leading bits), and min(v, cap) only narrows it, so an award's upper end is at most 5/4
 * of its lower end, and:
 *     |reported − true| ≤ true / 8 + 2 minor units
 * (tests/unit/test_summary_shape.c and tests/integration/test_summary_shape.py check it). */
#ifndef RECOURS_DOMAIN_SUMMARY_SHAPE_H
#define RECOURS_DOMAIN_SUMMARY_SHAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/summary.h"

#define SHAPE_LOSS_MAX INT64_C(10000000000) /* documented_loss ≤ 10^10 (docs/api.md §9.1) */
#define SHAPE_HOURS_MAX 1000

/* One cell as stored (summary_bucket in 0013): its claims' values lie in [min, max]. */
struct shape_cell {
    bool cash;
    category_set categories;
    int64_t n;
    int64_t loss_min, loss_max;
    int64_t hours_min, hours_max;
};

/* Values above 0 of one dimension: how many and their sum, and how many and their sum
 * among those below the cap the reader was asked for (shape_loss_cap, shape_hours_cap). */
struct shape_sums {
    int64_t n_pos;
    money_wide sum_pos;
    int64_t n_below;
    money_wide sum_below;
};

/* The caps to read the sums with for scheme s: its loss cap (0 when losses are not
 * reimbursed) and max_hours, limited to one above the largest value a claim can carry
 * (the tree's depth covers that range; min(v, cap) is the same). */
int64_t shape_loss_cap(const struct scheme *s);
int64_t shape_hours_cap(const struct scheme *s);

/* Fills *out for scheme s over the n cells (any order) as described above; tb as in
 * summary_compute, used only when every cell is exact. Memory O(n), freed before return.
 * False where summary_compute would be, or when the sums contradict the cells (more values
 * below the cap than above 0, negative counts). */
bool summary_shape_compute(const struct scheme *s, const struct shape_cell *cells, size_t n,
                           const struct shape_sums *loss, const struct shape_sums *hours,
                           int64_t affected_count, const struct summary_tiebreak *tb,
                           struct summary_money *out);

/* The bucket of a value ≥ 0 as 0013's summary_bucket: itself below 8, else its 3 leading bits
 * followed by zeros. */
int64_t shape_bucket(int64_t v);

/* One change of the eligible claims not yet folded into the cells and sums (a row of
 * claim_shape_log whose status is eligible): n claims (n < 0: claims that left) with these
 * values. */
struct shape_change {
    bool cash;
    category_set categories;
    int64_t loss, hours;
    int64_t n;
};

/* The folded cells (any order) with the changes added: a change joins the cell of its
 * (payment, categories, loss bucket, hours bucket) or makes one, n added, the cell's range
 * widened by the values of changes with n > 0 (a claim that left leaves the others inside
 * it), cells left with n = 0 dropped. out holds n_cells + n_changes entries; returns how many
 * it filled. Memory O(n_cells + n_changes), freed before return. */
size_t shape_cells_merge(const struct shape_cell *cells, size_t n_cells,
                         const struct shape_change *changes, size_t n_changes,
                         struct shape_cell *out);

/* Adds n values v to d as the tree gives them under cap (values ≤ 0 add nothing). */
void shape_sums_add(struct shape_sums *d, int64_t v, int64_t n, int64_t cap);

/* The cells as claim groups at their exact values or their ranges' lower ends: *exact_out
 * says whether every cell was exact. g holds n entries. */
void shape_cells_as_groups(const struct shape_cell *cells, size_t n, struct claim_group *g,
                           bool *exact_out);

#endif
