/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Links sent by email (docs/mail.md): token recovery and email confirmation. */
#ifndef RECOURS_HANDLERS_RECOVERY_H
#define RECOURS_HANDLERS_RECOVERY_H

#include "http/request.h"

/* POST /v1/claim-recovery {email, reference?, lang?}: 202, the same answer whether a claim
 * matches or not; 429 past the limits per client and per address. */
struct reply handle_recovery_request(struct request *rq);

/* POST /v1/claim-recovery/{token}: 200 {reference, token} (the new claim token, shown
 * once; the old one stops working); 404 for an unknown, used or expired link. */
struct reply handle_recovery_redeem(struct request *rq);

/* GET /confirm-email/{token}: records the claim's address as confirmed; an HTML page in the
 * claim's language (404 page for an unknown or used link). */
struct reply handle_confirm_email(struct request *rq);

#endif
