/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The award of one claim after the fund cap, claim by claim (docs/api.md §11.3), for a reader that
 * meets the claims one at a time (the export): the pool's figures are computed once from its
 * groups (domain/summary.h), then each claim's award follows from its award before the cap
 * and, in the one remainder class the leftover units do not cover whole (the boundary class),
 * from its rank by reference in that class.
 * Invariant: over the pool, the awards these functions give add up to the summary's
 * total_after_cap, and each claim gets what the summary's reference order gives it. */
#ifndef RECOURS_DOMAIN_AWARD_CAP_H
#define RECOURS_DOMAIN_AWARD_CAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/scheme.h"
#include "domain/summary.h"

struct award_cap {
    bool capped;        /* fund_cap set and the pool's total T above it */
    int64_t cap;        /* fund_cap (capped only) */
    money_wide total;   /* T, the pool's total before the cap (may exceed int64_t) */
    money_wide r_star;  /* remainder of the boundary class; -1: every r > 0 class served whole */
    int64_t units;      /* how many of the boundary class get a unit: the first by reference */
    int64_t class_size; /* claims in the boundary class */
};

/* How a claim's leftover unit is decided. */
enum award_unit {
    AWARD_UNIT_NONE,         /* no unit (or no cap) */
    AWARD_UNIT_ONE,          /* its remainder class is served whole: one unit */
    AWARD_UNIT_BY_REFERENCE, /* boundary class: one unit iff among the first `units` by
                              * reference */
};

/* Fills *out for scheme s (validated) and the pool's eligible groups g[0..n) (g may be NULL
 * when n is 0). False, *out unspecified, on a group with n < 0, an award that does not fit in
 * int64_t or a total beyond 128 bits (summary_compute fails then too). Allocates O(n) temporary memory. */
bool award_cap_prepare(const struct scheme *s, const struct claim_group *g, size_t n,
                       struct award_cap *out);

/* For a pool claim whose award before the cap is a: *after_out = a when not capped, else
 * floor(a × cap / T), and *unit_out says whether one more unit is due. False when a is
 * negative or the product does not fit. */
bool award_cap_apply(const struct award_cap *p, int64_t a, int64_t *after_out,
                     enum award_unit *unit_out);

#endif
