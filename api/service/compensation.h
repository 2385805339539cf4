/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Compensation summaries (docs/api.md §11.4) of an incident or of an action's members, for the
 * scheme in force or a proposed one, from the summary tallies (never the claims table for
 * an incident). */
#ifndef RECOURS_SERVICE_COMPENSATION_H
#define RECOURS_SERVICE_COMPENSATION_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/outcome.h"
#include "db/incidents.h"
#include "db/schemes.h"
#include "db/tallies.h"
#include "db/tally_shape.h"
#include "domain/summary.h"
#include "domain/summary_subset.h"
#include "service/audit.h"

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
 * the boundary remainder class needs references (domain/summary.h), one query reads them
 * over the connection the groups were read with (tally_group.source); groups without a
 * source get the proportional split. */
bool summary_build(const struct scheme *scheme, const struct tally_group *groups, int n,
                   const struct tally_group *pool_groups, int n_pool, bool verified_only,
                   int64_t affected_count, int64_t duplicates, struct arena *a,
                   struct summary_view *out);

/* The summary of an incident (docs/api.md §11.4) for scheme (NULL: counts only), from a number
 * of rows that does not grow with the claims, in one read-only snapshot: when the incident
 * has at most the exact-groups limit of claim_tallies rows (a bounded probe tells), those
 * groups, every figure exact; else the folded counts and cells (kept in this process by
 * fold version: service/summary_cache.h), the unfolded changes (at most 65,536, else folded
 * here first; OUTCOME_UNAVAILABLE when that cannot be done, as on a replica) and the loss and
 * hours sums under the scheme's caps (domain/summary_shape.h says what is exact). Memory:
 * O(limit + cells + count groups), arena and temporary, whatever the claims.
 * OUTCOME_UNCOMPUTABLE when a figure cannot be computed (logged). */
enum outcome svc_compensation_summary(PGconn *c, int64_t incident_id, const struct scheme *scheme,
                                      bool verified_only, int64_t affected_count,
                                      struct arena *a, struct summary_view *out);

/* Folds a slice of the summary's unfolded changes (claim_shape_log of 0013, any incidents)
 * in one transaction; *folded_out how many (0: none left that this snapshot sees). The
 * server's fold thread calls it every second (cli/summary_fold_job.h). */
enum outcome svc_compensation_fold(PGconn *c, int64_t *folded_out);

/* Up to how many claim_tallies rows svc_compensation_summary reads the exact groups (every
 * figure exact, as summary_compute) rather than the cells; set once at start-up (serve). */
void svc_compensation_set_exact_groups(int n);

/* The incident's groups and duplicate count. */
enum outcome svc_compensation_groups(PGconn *c, int64_t incident_id, struct arena *a,
                                     struct tally_group **groups, int *n, int64_t *duplicates);

/* The action's member groups and the duplicate attempts linked to its members. */
enum outcome svc_compensation_action_groups(PGconn *c, const char *action_id, struct arena *a,
                                            struct tally_group **groups, int *n,
                                            int64_t *duplicates);

/* The scheme in force (found false when none). */
enum outcome svc_compensation_current(PGconn *c, int64_t incident_id, struct arena *a,
                                      struct scheme_record *out, bool *found);

/* Stores a new version (audited). */
enum outcome svc_compensation_put(PGconn *c, const struct audit_note *note,
                                  const struct incident *inc, const char *json, struct arena *a,
                                  struct scheme_record *out);

#endif
