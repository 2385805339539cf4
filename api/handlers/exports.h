/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Exports for counsel (docs/api.md §12): GET /v1/actions/{id}/export (the action's owner) and
 * GET /v1/exports/{id} (its owner, or the operator). */
#ifndef RECOURS_HANDLERS_EXPORTS_H
#define RECOURS_HANDLERS_EXPORTS_H

#include "http/request.h"

struct reply handle_actions_export(struct request *rq);
struct reply handle_exports_get(struct request *rq);

#endif
