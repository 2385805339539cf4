/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* /v1/actions: an association's representative actions (docs/api.md §10.4). */
#ifndef RECOURS_HANDLERS_ACTIONS_H
#define RECOURS_HANDLERS_ACTIONS_H

#include <jansson.h>

#include "service/actions.h"

/* The action object of docs/api.md §10.4. */
json_t *action_json(const struct action *x);

#endif
