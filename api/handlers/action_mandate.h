/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* GET /v1/actions/{id}/mandate (public): what a claimant accepts when joining an action from
 * the web form (docs/api.md §14.1, docs/decisions.md "Actions, mandates, memberships"). */
#ifndef RECOURS_HANDLERS_ACTION_MANDATE_H
#define RECOURS_HANDLERS_ACTION_MANDATE_H

#include "http/request.h"

struct reply handle_action_mandate(struct request *rq);

#endif
