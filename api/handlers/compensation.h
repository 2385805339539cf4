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

#endif
