/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Compensation: schemes, summaries, simulation, presets (API.md §9). */
#ifndef RECOURS_HANDLERS_COMPENSATION_H
#define RECOURS_HANDLERS_COMPENSATION_H

#include "http/request.h"

struct reply handle_scheme_put(struct request *rq);
struct reply handle_incident_compensation(struct request *rq);
struct reply handle_action_compensation(struct request *rq);
struct reply handle_simulate(struct request *rq);
struct reply handle_presets(struct request *rq);

#include <jansson.h>
#include <libpq-fe.h>

#include "db/incidents.h"

/* The `totals` member of an incident (API.md §5): active claims, eligible ones, the total
 * after the cap under the scheme in force (null without one). NULL on a database error. */
json_t *incident_totals_json(struct request *rq, PGconn *c, const struct incident *inc);

#endif
