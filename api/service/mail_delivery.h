/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Delivery of the outbox (docs/mail.md): takes each due row under a lease, renders its
 * message from the claim (the address decrypted only now, in memory), sends it through the
 * relay or writes it as an .eml file, then marks it sent, or retries it later with
 * exponential backoff, or gives it up past the configured time, the reason kept. Links sent
 * (email confirmation, recovery) are made at this moment, their tokens only ever in the
 * message and their keyed hashes in claim_links. */
#ifndef RECOURS_SERVICE_MAIL_DELIVERY_H
#define RECOURS_SERVICE_MAIL_DELIVERY_H

#include <libpq-fe.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "core/outcome.h"
#include "crypto/secrets.h"
#include "mail/transport.h"
#include "mail/words.h"

struct mail_settings {
    const char *public_url; /* no trailing slash */
    const char *from;
    const char *from_name;  /* the operator's name; NULL: "recours" (mail/compose.h) */
    const char *reply_to;   /* "" or NULL: none */
    const char *mail_dir;   /* .eml files when relay.url is empty */
    struct mail_relay relay;
    int give_up_after_s;
    int retry_base_ms;      /* the first retry's delay; doubles on each failure */
    double rate_per_s;      /* messages a second shared by every server; 0: no limit */
    /* whom a claimant writes to (address-changed); none without an @ */
    const char *operator_email;
    int withdrawn_retention_days; /* the withdrawal's message says when the data goes */
};

/* How long a taken row is leased to its sender: longer than any send (libcurl's 60 s). */
#define MAIL_LEASE_S 300
/* Validity of the links sent (issue 12: recovery 30 minutes). */
#define MAIL_RECOVERY_LINK_S 1800
#define MAIL_CONFIRM_LINK_S (MAIL_CONFIRM_LINK_DAYS * 24 * 3600) /* the mails say it in days */

/* Delivers due messages, by batches taken within the rate shared by every server, until none
 * is due, the rate is spent, or *stop is set; through the relay on smtp's connection (kept
 * by the caller from one call to the next). *handled_out counts them (sent, retried or
 * failed); *wait_ms_out > 0 when the rate stopped it: due messages wait that long for the
 * bucket to refill. OUTCOME_OK, or OUTCOME_UNAVAILABLE when the database failed (the caller
 * tries again later). */
enum outcome svc_mail_deliver_due(PGconn *c, const struct secrets *s,
                                  const struct mail_settings *ms, struct mail_smtp *smtp,
                                  atomic_bool *stop, int *handled_out, int *wait_ms_out);

/* Housekeeping: forgets rate events older than a day and links expired a day ago. */
enum outcome svc_mail_prune(PGconn *c);

#endif
