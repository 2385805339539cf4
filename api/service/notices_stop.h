/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The link of every non-essential notice that stops such notices for the member (docs/mail.md,
 * docs/workspace.md "Notices"). Its token is the claim's id and a keyed MAC of it ("notice-stop"
 * purpose, 128 bits): nothing is stored per message, a link works as long as the claim exists
 * (RFC 8058 wants the List-Unsubscribe address to keep working), and a token cannot be made or
 * altered without the server's key. Following it (a POST: the page's button, or the mail
 * client's one-click) keeps the member's choice on the claim. */
#ifndef RECOURS_SERVICE_NOTICES_STOP_H
#define RECOURS_SERVICE_NOTICES_STOP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/outcome.h"
#include "crypto/secrets.h"
#include "db/notices_mail.h"

struct arena;

/* <public_url>/notices/stop/<token> for claim_id, in a; NULL if OpenSSL failed. */
const char *svc_notice_stop_url(const struct secrets *s, struct arena *a, const char *public_url,
                                int64_t claim_id);

/* What the stop page of token shows: OUTCOME_NOT_FOUND for a token we did not make or a claim
 * gone. */
enum outcome svc_rq_notice_stop_info(const struct secrets *s, const char *token,
                                     struct arena *a, struct notice_stop_info *out);

/* Stops non-essential notices for the claim of token (again: no change); *out as above. */
enum outcome svc_rq_notice_stop(const struct secrets *s, const char *token, struct arena *a,
                                struct notice_stop_info *out);

#endif
