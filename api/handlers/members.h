/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* /v1/actions/{id}/members (docs/api.md §10.6–10.7). */
#ifndef RECOURS_HANDLERS_MEMBERS_H
#define RECOURS_HANDLERS_MEMBERS_H

#include "http/request.h"

struct reply handle_members_add(struct request *rq);
struct reply handle_members_remove(struct request *rq);

#endif
