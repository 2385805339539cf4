/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Claims: public submission, claimant self-service with the claim token (docs/api.md §9). */
#ifndef RECOURS_HANDLERS_CLAIMS_H
#define RECOURS_HANDLERS_CLAIMS_H

#include "handlers/claims_parse.h"
#include "http/request.h"

struct reply handle_claims_submit(struct request *rq);
struct reply handle_claims_get(struct request *rq);
struct reply handle_claims_correct(struct request *rq);
struct reply handle_claims_withdraw(struct request *rq);
struct reply handle_claims_list_mandated(struct request *rq);
struct reply handle_claims_review(struct request *rq);

#endif
