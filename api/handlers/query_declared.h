/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The query parameters an API operation takes are the ones api/openapi.json declares for it
 * (docs/api.md §1.9): any other is refused rather than ignored, so that a misspelled filter
 * (?stauts=, ?fromat=) is said, not answered with the unfiltered list or export; and each is
 * given at most once (?format=csv&format=ndjson picks neither). */
#ifndef RECOURS_HANDLERS_QUERY_DECLARED_H
#define RECOURS_HANDLERS_QUERY_DECLARED_H

#include <stdbool.h>

#include "http/reply.h"
#include "http/request.h"

/* For a route under /v1/: false with *deny = 400 invalid-parameter naming the first query
 * argument the OpenAPI document does not declare for the route's operation (HEAD reads as
 * GET), else the first declared one given more than once. Routes outside /v1/ (the pages: a
 * link may carry anyone's tags) always pass. */
bool query_declared_only(struct request *rq, struct reply *deny);

#endif
