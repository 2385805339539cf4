/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A summary's figures (docs/api.md §11.4) from tally groups: the counts, and the money of a
 * scheme through domain/summary.h. */
#ifndef RECOURS_SERVICE_SUMMARY_VIEW_H
#define RECOURS_SERVICE_SUMMARY_VIEW_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/tallies.h"
#include "domain/scheme.h"
#include "domain/summary.h"

struct arena;

#define COUNTRY_SLOTS 64

struct summary_view {
    int64_t by_status[4];         /* received, verified, rejected, withdrawn */
    int64_t duplicate_attempts;
    int64_t eligible;
    int64_t by_payment[2];        /* voucher, cash */
    int64_t by_category[DATA_CATEGORY_COUNT];
    struct { char country[3]; int64_t n; } by_country[COUNTRY_SLOTS];
    int n_countries;
    int64_t other_countries;      /* beyond COUNTRY_SLOTS distinct countries (never seen) */
    bool has_money;               /* a scheme was given */
    struct summary_money money;
};

/* Counts and money of groups for scheme (NULL: no money) with eligibility by basis. For an
 * action, pool_groups are the incident's (the pool is always the whole incident, docs/api.md
 * §11.3) and groups the members'; for an incident both are the same. When a fund cap binds and
 * the boundary remainder class needs references (domain/summary.h), one query reads them over
 * c, the connection of the snapshot the groups were read in (tally_group.source tells which
 * incident or action); with c NULL, or groups without a source, the proportional split. */
bool summary_build(PGconn *c, const struct scheme *scheme, const struct tally_group *groups,
                   int n, const struct tally_group *pool_groups, int n_pool, bool verified_only,
                   int64_t affected_count, int64_t duplicates, struct arena *a,
                   struct summary_view *out);

/* Whether the claims of g count as eligible: verified, or received too unless verified_only. */
bool summary_group_eligible(const struct tally_group *g, bool verified_only);

/* What the tie-break hook needs for one summary (summary_build's, or an incident's own): the connection of the
 * snapshot the groups were read in, and the incident's eligible groups to find the keys of a
 * boundary class. Lives on the caller's stack. */
struct boundary_ctx {
    const struct scheme *scheme;
    const struct claim_group *pool;
    size_t n_pool;
    PGconn *c;
    int64_t incident_id;
    const char *action_id; /* NULL for the incident's own summary */
    bool verified_only;
};

/* The hook of domain/summary.h: one query over the class's claims in reference order. It
 * reads whichever end of the class is shorter (the first L_b, or the last N_b − L_b and the
 * rest by difference) and gives up, for the proportional split, when the claims disagree
 * with the tallies (a claim moved between the two reads) or the query fails. */
bool summary_split_by_reference(void *ctx, const struct summary_boundary *b, int64_t *units_out);

#endif
