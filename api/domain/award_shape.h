/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The shape of an award distribution after the cap, for the summary's charts (docs/api.md
 * §11.4): deciles p10 … p90 and a histogram of at most 10 bins of equal width.
 *
 * Decile k (k = 1 … 9) of e awards sorted ascending: with x = (e − 1) × k / 10, the floor of
 * the mean of the awards at ranks floor(x) and ceil(x) (0-based). For k = 5 these are the
 * ranks (e − 1) / 2 and e / 2: the median's rule, so p50 is the median.
 *
 * Histogram bounds, inclusive, in minor units: width w = ceil((max − min + 1) / 10), bin i
 * covers [min + i × w, min + (i + 1) × w − 1], the last ends at max; so there are
 * ceil((max − min + 1) / w) ≤ 10 bins, fewer only when max − min < 9 (one bin per amount
 * then), and one when every award is the same. Every award lies in exactly one bin. */
#ifndef RECOURS_DOMAIN_AWARD_SHAPE_H
#define RECOURS_DOMAIN_AWARD_SHAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AWARD_DECILES 9
#define AWARD_HISTOGRAM_BINS 10

/* n claims awarded `value` (after the cap). */
struct award_count {
    int64_t value;
    int64_t n;
};

struct award_histogram_bin {
    int64_t lower, upper; /* inclusive */
    int64_t n;
};

struct award_shape {
    int64_t deciles[AWARD_DECILES]; /* p10 … p90 */
    bool deciles_exact[AWARD_DECILES];
    size_t n_bins; /* 0 when there is no award */
    int64_t bin_width;
    struct award_histogram_bin bins[AWARD_HISTOGRAM_BINS];
    bool histogram_exact;
};

/* The two ranks (0-based) whose floored mean is decile k (1 … 9) of e ≥ 1 awards. */
void award_decile_ranks(int64_t e, int k, int64_t *lo_out, int64_t *hi_out);

/* Fills the deciles and the histogram of the awards c[0..nc) (sorted by value ascending,
 * counts ≥ 0, summing to e) and marks every figure exact: the caller clears what a cap's
 * boundary may move. With e = 0: deciles 0, no bins. */
void award_shape_fill(const struct award_count *c, size_t nc, int64_t e, struct award_shape *out);

/* The bin of `value` in out's histogram (min ≤ value ≤ max). */
size_t award_shape_bin_of(const struct award_shape *s, int64_t value);

#endif
