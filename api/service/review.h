/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A review decision inside the caller's transaction, the one code path of the workspace's
 * reviews (POST /v1/actions/{id}/reviews) and of PATCH /v1/claims/{reference}/status: the
 * claims moved (status, reason code, note, correction window), their history rows, the
 * rejected claimant's message (docs/workspace.md "The claimant is told") and the summary
 * tallies. The caller audits. */
#ifndef RECOURS_SERVICE_REVIEW_H
#define RECOURS_SERVICE_REVIEW_H

#include <libpq-fe.h>
#include <stdint.h>

#include "db/ws_members.h"

struct arena;

/* Applies d (its batch_id and actor set) in the open transaction; *count: the claims it moved.
 * 1, 0 when expected (>= 0; -1: any) is not *count (the tallies left unmoved: the caller rolls
 * back), or DB_*. */
int svc_review_apply(PGconn *c, const struct ws_decision *d, int64_t expected, struct arena *a,
                     int64_t *count);

#endif
