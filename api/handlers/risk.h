/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* GET /v1/incidents/{slug}/risk (operator, docs/risk.md): the incident's claims per day and
 * how many raised each risk flag; and a member's flags as the association reads them. */
#ifndef RECOURS_HANDLERS_RISK_H
#define RECOURS_HANDLERS_RISK_H

#include <jansson.h>

#include "domain/risk.h"

/* A claim's risk flags with their evidence (docs/risk.md "On the member's claim"): a new
 * object, or JSON null when the claim has none. */
json_t *risk_view_json(const struct risk_view *v);

#endif
