/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The links sent by email (docs/mail.md) and what following them does: confirm the address
 * of a claim; ask for a recovery (the same answer whether a claim matches or not: the work
 * is queued, the lookup happens at delivery); redeem a recovery link for a new claim token.
 * Tokens are stored only as keyed hashes ("mail-link" purpose), used once. */
#ifndef RECOURS_SERVICE_MAIL_LINKS_H
#define RECOURS_SERVICE_MAIL_LINKS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/outcome.h"
#include "crypto/keyed_hash.h"
#include "crypto/secrets.h"
#include "db/claim_links.h"

/* The keyed hash a link token is stored under; false if OpenSSL failed. */
bool mail_link_hash(const struct secrets *s, const char *token, uint8_t out[KEYED_HASH_LEN]);

/* Recovery limits, shared by every server (rate_events): per client address and per email
 * address, in a sliding window. */
#define RECOVERY_WINDOW_S 900
#define RECOVERY_PER_CLIENT 30
#define RECOVERY_PER_EMAIL 3

struct recovery_request {
    const char *client;    /* the client's IP address as text */
    const char *email;     /* as given; valid (normalize_email) */
    const char *reference; /* NULL: every active claim of the address */
    const char *lang;      /* NULL: the claim's */
};

/* The entry points below (handlers/recovery.c) run one transaction each on the calling
 * thread's connection (service/conn.h); OUTCOME_UNAVAILABLE without one. */

/* Queues a recovery and audits it (no personal data: keyed hashes only), unless a limit is
 * reached (*limited_out, nothing queued). OUTCOME_OK (queued or limited), OUTCOME_INVALID
 * when the address cannot be normalised, or a db outcome. */
enum outcome svc_rq_recovery_request(const struct secrets *s, const struct recovery_request *r,
                                     bool *limited_out);

/* Redeems a recovery link: a new claim token (43 characters into token_out, 44 bytes) for
 * its claim, the reference into ref_out (13 bytes); the old token stops working and the link
 * is spent. OUTCOME_NOT_FOUND for an unknown, used or expired link or a withdrawn claim. */
enum outcome svc_rq_recovery_redeem(const struct secrets *s, const char *link_token,
                                    char *token_out, char *ref_out);

/* Reads the confirmation link without confirming (the page that asks, whose button confirms:
 * a mail scanner opening the link must not confirm an address for its reader).
 * OUTCOME_OK with its claim in *out (its language, whether its address is confirmed already,
 * its reference and incident; strings in a), OUTCOME_NOT_FOUND for an unknown or expired
 * link. */
enum outcome svc_rq_mail_confirm_email_peek(const struct secrets *s, const char *link_token,
                                            struct arena *a, struct confirm_claim *out);

/* Confirms the address of the link's claim (again and again until the link expires: the first
 * time counts). OUTCOME_OK with its claim in *out as the peek's, OUTCOME_NOT_FOUND
 * otherwise. */
enum outcome svc_rq_mail_confirm_email(const struct secrets *s, const char *link_token,
                                       struct arena *a, struct confirm_claim *out);

#endif
