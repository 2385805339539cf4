/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The money side of a compensation summary (docs/api.md §11.4) computed from groups of identical
 * eligible claims, so its cost follows the number of distinct (categories, loss, hours,
 * payment) combinations, not the number of claims: 33.7 million Coupang claims are one
 * group. Integers only, 128-bit intermediates, overflow reported, never wrapped.
 *
 * What is exact. Always, bit for bit what a claim-by-claim computation gives: eligible,
 * voucher_claims, cash_claims, every component, total_before_cap, capped, total_after_cap,
 * pro_rata_factor, mean, vouchers, both projections; and, when the cap binds, the awards
 * after the cap add up to fund_cap exactly.
 *
 * The award distribution after the cap (hence min, max, median) is exact except in one
 * case. Under a binding cap each award a becomes q = floor(a × cap / T) with remainder
 * r = a × cap mod T, and the L = cap − Σ q leftover units go one each to the largest r, ties
 * by claim reference ascending. Claims with the same award share q and r. Remainder classes
 * (all claims with one r) are served whole in r-descending order while the leftover covers
 * them; exact. The class where the leftover runs out, the boundary class, gets the last
 * L_b < N_b units (N_b claims). If it holds one award value, which of its claims get a unit
 * does not change the multiset of awards: exact. If it holds k ≥ 2 distinct award values
 * (possible: (a1 − a2) × cap ≡ 0 mod T), how many units each value gets depends on
 * references, which groups do not carry: the caller's tie-break hook (struct
 * summary_tiebreak) reads them, and the result is exact. Without a hook, or when the hook
 * cannot tell, summary_compute gives value j x_j = floor(L_b × n_j / N_b) units plus one of
 * the rest by largest remainder of that division, ties to the smaller award: the expected
 * split for references in random order. median_exact, min_exact and max_exact are then false
 * iff some other split allowed by the counts (0 ≤ x_j ≤ n_j, Σ x_j = L_b) gives a different
 * median, min or max respectively: the flags are precise, not conservative (a median whose
 * two middle values move while their floored mean cannot is still exact). They are true
 * whenever no cap binds, the boundary class holds a single award value, or the hook settled
 * it. */
#ifndef RECOURS_DOMAIN_SUMMARY_H
#define RECOURS_DOMAIN_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/award_shape.h"
#include "domain/money.h"
#include "domain/scheme.h"
#include "domain/vocab.h"

/* n eligible claims that look the same to the award rules. Several groups may carry the same
 * (categories, documented_loss, hours_spent, cash): they are summed. */
struct claim_group {
    category_set categories;
    int64_t documented_loss;
    int64_t hours_spent;
    bool cash; /* payment_preference cash; else voucher */
    int64_t n; /* ≥ 0; groups with n = 0 are ignored */
};

/* Every figure summed over claims or scaled by affected_count is a money_wide (128 bits):
 * 10^4 claims of 10^15 already exceed int64_t, and so does base_amount 10^12 × affected_count
 * 10^10. Per-claim figures (mean, median, min, max) fit in int64_t. */
struct summary_voucher {
    int64_t count;    /* eligible voucher-preference claims */
    money_wide total; /* count × the voucher's amount */
};

struct summary_money {
    /* components, before the cap; base is the base actually awarded (cash-reduced) */
    money_wide base;
    money_wide supplements[DATA_CATEGORY_COUNT]; /* by data_categories index */
    money_wide documented_loss;
    money_wide time_spent;
    money_wide total_before_cap;
    bool capped; /* fund_cap set and total_before_cap above it */
    money_wide total_after_cap;
    char pro_rata_factor[MONEY_RATIO_LEN]; /* "1.000000" unless capped */
    /* award_stats, after the cap; all 0 (and exact) when eligible is 0: the caller shows null */
    int64_t mean, median, min, max;
    bool median_exact;
    bool min_exact, max_exact;
    /* deciles (exact by the median's rule, each its own flag) and histogram (exact unless a
     * boundary claim's leftover unit could move it across a bin bound): award_shape.h */
    struct award_shape shape;
    int64_t eligible;
    struct summary_voucher vouchers[SCHEME_VOUCHERS_MAX]; /* first s->n_vouchers used */
    money_wide projection_before_cap, projection_after_cap;
    int64_t voucher_claims, cash_claims;
};

/* The boundary class as a tie-break hook sees it: the eligible claims of the pool whose award
 * before the cap is one of awards[0..k), all sharing one remainder; the first `units` of them
 * by reference ascending get a leftover unit (docs/api.md §11.3). */
struct summary_boundary {
    const int64_t *awards;  /* distinct, ascending; k ≥ 1 */
    const int64_t *n;       /* the pool's claims with each award */
    const int64_t *members; /* the subset's claims with each (summary_compute_subset); NULL
                             * for the whole pool (summary_compute) */
    size_t k;
    int64_t units; /* 0 < units < Σ n */
};

/* Settles a boundary class by reference. split fills units_out[j] (k entries) with how many
 * of the first b->units claims of the class, in reference order, have award awards[j] —
 * counting only the subset's members when b->members is set — and returns true; false when
 * it cannot tell (a failed query), and the caller falls back on the proportional split. The
 * answer is checked against the counts (Σ = units for the pool, 0 ≤ units_out[j] ≤ n[j] or
 * members[j]); an inconsistent one (claims moved between the reads) is treated as false.
 * summary_compute calls it only for a boundary class of ≥ 2 award values,
 * summary_compute_subset only when the subset has claims in a boundary class: the rare case
 * a binding cap and a tie make. */
struct summary_tiebreak {
    bool (*split)(void *ctx, const struct summary_boundary *b, int64_t *units_out);
    void *ctx;
};

/* Fills *out for scheme s (validated) over the n_groups groups g (any order; g may be NULL
 * when n_groups is 0) and the incident's affected_count:
 *   components and total_before_cap T summed over every claim;
 *   capped when fund_cap is set and T > fund_cap: total_after_cap = fund_cap, awards reduced
 *   as described above; else total_after_cap = T;
 *   mean = floor(total_after_cap / eligible); median = the middle award, or the floor of the
 *   mean of the two middle awards; min, max; shape: deciles and histogram (award_shape.h);
 *   vouchers[i] = {voucher_claims, voucher_claims × amount_i} (nothing without vouchers);
 *   projection_before_cap = floor(T × affected_count / eligible), or base_amount ×
 *   affected_count when eligible is 0; projection_after_cap = that, limited to fund_cap when
 *   one is set.
 * tb (NULL: none) settles a boundary class of several awards by reference (see above).
 * The result depends only on the multiset of claims (and, through tb, their references):
 * group order and how claims are split into groups change nothing. Allocates O(n_groups)
 * temporary memory (xmalloc: exhaustion aborts). Returns false, *out unspecified, on a group
 * with n < 0, negative loss or hours, affected_count < 0, an award that does not fit in
 * int64_t (an unvalidated scheme), more than INT64_MAX eligible claims, or a figure that does
 * not fit in 128 bits (never for a validated scheme). */
bool summary_compute(const struct scheme *s, const struct claim_group *g, size_t n_groups,
                     int64_t affected_count, const struct summary_tiebreak *tb,
                     struct summary_money *out);

/* Recomputes, from out's components (base, supplements, documented_loss, time_spent), eligible
 * and voucher_claims as summary_compute fills them: total_before_cap, capped, total_after_cap,
 * pro_rata_factor, mean, vouchers and both projections — for a caller that knows the
 * components exactly by other means (domain/summary_shape.h). The distribution fields are
 * left alone. False when a figure does not fit (never for a validated scheme). */
bool summary_finish_totals(const struct scheme *s, int64_t affected_count,
                           struct summary_money *out);

/* One line of the award distribution: n claims awarded `before` ahead of the cap and `after`
 * once it applies (after = before when no cap binds). */
struct award_bin {
    int64_t before;
    int64_t after;
    int64_t n;
};

/* Sorts bins by after then before (the order the ranks below read). */
void award_bins_sort(struct award_bin *b, size_t nb);

/* The `after` award at rank m (0-based) of sorted bins (0 for none; the last one past the
 * end): the one reading of a rank, for the exact distribution and the shape's bounds (whose
 * bins carry an end's award before the cap in both fields). */
int64_t award_bin_rank(const struct award_bin *b, size_t nb, int64_t m);

/* The distribution behind award_stats: the (before, after, n) lines of the claims of g, n > 0,
 * sorted by after then before, into *bins_out (allocated, the caller frees it with free())
 * and their number into *n_out (at most 2 × n_groups; *bins_out is never NULL on success).
 * Σ after × n is total_after_cap exactly (fund_cap when the cap binds) and after ≤ before on
 * every line; a boundary class of several awards is split as summary_compute without a
 * hook reports it (see above). Returns false, allocating nothing, where summary_compute would. */
bool summary_distribution(const struct scheme *s, const struct claim_group *g, size_t n_groups,
                          struct award_bin **bins_out, size_t *n_out);

#endif
