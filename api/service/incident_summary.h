/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* An incident's own compensation summary from rows that do not grow with the claims (the
 * folded shape of migration 0013), and the fold that keeps that shape current. */
#ifndef RECOURS_SERVICE_INCIDENT_SUMMARY_H
#define RECOURS_SERVICE_INCIDENT_SUMMARY_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/outcome.h"
#include "service/summary_view.h"

struct arena;

/* The summary of an incident (docs/api.md §11.4) for scheme (NULL: counts only), from a number
 * of rows that does not grow with the claims, in one read-only snapshot: when the incident
 * has at most the exact-groups limit of claim_tallies rows (a bounded probe tells), those
 * groups, every figure exact; else the folded counts and cells (kept in this process by
 * fold version: service/summary_cache.h), the unfolded changes (at most 65,536, else folded
 * here first; OUTCOME_UNAVAILABLE when that cannot be done, as on a replica) and the loss and
 * hours sums under the scheme's caps (domain/summary_shape.h says what is exact); the figures
 * themselves are kept too, by folded state, changes and scheme (summary_cache_get_view), so a
 * repeated call answers without computing them again. Memory:
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

#endif
