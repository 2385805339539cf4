/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Operational endpoints: /healthz, /readyz, /metrics, /v1/openapi.json (docs/api.md §13). */
#ifndef RECOURS_HANDLERS_OPS_H
#define RECOURS_HANDLERS_OPS_H

#include "http/request.h"

struct reply handle_healthz(struct request *rq);
struct reply handle_readyz(struct request *rq);
struct reply handle_metrics(struct request *rq);
struct reply handle_openapi(struct request *rq);

#endif
