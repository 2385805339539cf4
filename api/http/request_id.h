/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The id every request carries in its log line and in X-Request-Id (docs/api.md §1.6). */
#ifndef RECOURS_HTTP_REQUEST_ID_H
#define RECOURS_HTTP_REQUEST_ID_H

#include "http/request.h"

/* Sets rq->id: the client's X-Request-Id when it is 1–64 safe characters ([A-Za-z0-9._-]),
 * else one made here. */
void request_id_assign(struct request *rq);

#endif
