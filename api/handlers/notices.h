/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Notices of an association to the members of its action (docs/workspace.md "Notices"):
 * POST/GET /v1/actions/{id}/notices, GET …/notices/{notice}, GET …/{notice}/preview,
 * POST …/{notice}/send. Another association's action, or a notice of another action, answers
 * 404 on every route. */
#ifndef RECOURS_HANDLERS_NOTICES_H
#define RECOURS_HANDLERS_NOTICES_H

#include "http/request.h"

struct reply handle_notices_create(struct request *rq);
struct reply handle_notices_list(struct request *rq);
struct reply handle_notices_get(struct request *rq);
struct reply handle_notices_preview(struct request *rq);
struct reply handle_notices_send(struct request *rq);

#endif
