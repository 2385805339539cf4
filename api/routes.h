/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The route table (its rows: route_table.h, grep a path there) and the hook that runs it. */
#ifndef RECOURS_ROUTES_H
#define RECOURS_ROUTES_H

#include <stddef.h>

#include "http/body_stream.h"
#include "http/router.h"
#include "http/server.h"

extern const struct route routes[];
extern const size_t n_routes;
extern const struct body_stream_route body_stream_routes[];
extern const size_t n_body_stream_routes;
extern const struct rate_limited_form rate_limited_forms[];
extern const size_t n_rate_limited_forms;

/* The role check of a streamed route, before its body (http/body_stream.h): guard_route. */
bool routes_admit(struct request *rq, struct reply *deny);

/* Prints "METHOD PATH ROLE" per line (recours routes; the OpenAPI test reads it). */
void routes_print(void);

/* Runs a matched route's handler once its role admits the caller (guard_route: else 401, 404
 * or 503; the handler reads the caller with guard_caller). POSTs then go through idem_around
 * (docs/api.md §4.2: every POST honours Idempotency-Key), but the claim intake, which stores its
 * answer with the claim itself. */
struct reply routes_run(struct request *rq, route_handler handler);

#endif
