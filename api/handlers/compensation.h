/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Compensation: schemes, summaries, simulation, presets (docs/api.md §11). */
#ifndef RECOURS_HANDLERS_COMPENSATION_H
#define RECOURS_HANDLERS_COMPENSATION_H

#include "http/request.h"

#include <jansson.h>

#include "core/outcome.h"
#include "service/incidents.h"

/* The `totals` member of an incident (docs/api.md §10.1) into *out: active claims, eligible ones,
 * the total after the cap under the scheme in force (null without one). OUTCOME_OK; or
 * OUTCOME_UNCOMPUTABLE, logged as a bug, when the money could not be computed (a stored scheme
 * or tally the rules refuse): *out is still set, its total_after_cap null, so that one
 * incident never fails a list or a committed write; else the database's outcome, *out NULL. */
enum outcome incident_totals(struct request *rq, const struct incident *inc, json_t **out);

/* The public view of the summary of the incident of slug, basis all (docs/api.md §11.5), as
 * GET /v1/incidents/{slug}/compensation answers it without a credential: from the same
 * per-process cache (handlers/public_cache.h), so a page showing its figures adds no read
 * beyond the cache's. NULL when there is none (no such incident, the database unavailable). */
json_t *incident_public_summary(struct request *rq, const char *slug);

#endif
