/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The summary of a subset of an incident's eligible claims (an action's members) under the
 * incident-wide pool (docs/api.md §11.3: "the pool is always the whole incident"): components and
 * totals before the cap are the members'; after the cap, each member keeps the award it has
 * in the incident-wide pro-rata sharing. */
#ifndef RECOURS_DOMAIN_SUMMARY_SUBSET_H
#define RECOURS_DOMAIN_SUMMARY_SUBSET_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/summary.h"

/* Fills *out as summary_compute(members) would, except that when the incident's pool
 * (pool, which contains the members) exceeds the fund cap, every member award is reduced
 * with the incident's total T: floor(a × cap / T) plus the leftover unit its remainder class
 * gets incident-wide; total_after_cap is the members' sum after the cap; pro_rata_factor is
 * the incident's. When members are in the boundary class (the one whose claims get a unit
 * by reference, summary.h), tb (NULL: none) tells how many of them get one and the result is
 * exact; without it, or when it cannot tell, the members there get units in proportion
 * (units × members / class size) and the exactness flags say when references would
 * matter. */
bool summary_compute_subset(const struct scheme *s, const struct claim_group *pool,
                            size_t n_pool, const struct claim_group *members, size_t n_members,
                            int64_t affected_count, const struct summary_tiebreak *tb,
                            struct summary_money *out);

#endif
