/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The award of one eligible claim under a scheme, before any fund cap (docs/api.md §11.2):
 * base + Σ supplements of its categories + reimbursed loss + paid time, in minor units. The
 * fund cap works on the whole pool and lives in summary.c. */
#ifndef RECOURS_DOMAIN_AWARD_H
#define RECOURS_DOMAIN_AWARD_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/scheme.h"
#include "domain/vocab.h"

struct award_parts {
    int64_t base;                              /* the base actually awarded (cash-reduced) */
    int64_t supplements[DATA_CATEGORY_COUNT];  /* by data_categories index, 0 if not named */
    int64_t loss;                              /* reimbursed documented loss */
    int64_t time;                              /* paid hours × hourly_rate */
    int64_t total;                             /* sum of the above */
};

/* The base a claim is paid, into *out: base_amount, or floor(base_amount ×
 * cash_alternative_ratio) for a cash claim when the scheme has vouchers and a ratio
 * (award_compute's base). The pages say it too: the money offered instead of the vouchers.
 * False on overflow. */
bool award_base(const struct scheme *s, bool cash, int64_t *out);

/* Fills *out with the award of a claim exposing `categories`, with documented_loss and
 * hours_spent as submitted and `cash` true for a cash payment_preference:
 *   base       base_amount, or floor(base_amount × cash_alternative_ratio) for a cash claim
 *              when the scheme has vouchers and a ratio (with no vouchers there is nothing to
 *              take cash instead of, and the base is paid whole);
 *   supplement each category of the claim that the scheme names, its amount;
 *   loss       min(documented_loss, cap_per_claimant) when reimbursed, else 0;
 *   time       min(hours_spent, max_hours) × hourly_rate.
 * Category bits beyond DATA_CATEGORY_COUNT are ignored. Returns false (with *out unspecified)
 * when documented_loss or hours_spent is negative, a part would be negative (an unvalidated
 * scheme's negative amount) or a figure overflows int64_t; a validated scheme never causes
 * either, so every award is then ≥ 0. */
bool award_compute(const struct scheme *s, category_set categories, int64_t documented_loss,
                   int64_t hours_spent, bool cash, struct award_parts *out);

#endif
