/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Claims: public submission, claimant self-service with the claim token (docs/api.md §9). */
#ifndef RECOURS_HANDLERS_CLAIMS_H
#define RECOURS_HANDLERS_CLAIMS_H

/* The family's handlers are declared from the route table (handlers/handlers.h); what its files
 * share is the body parser (claims_parse.h). */
#include "handlers/claims_parse.h"
#include "handlers/handlers.h"

#endif
