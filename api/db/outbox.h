/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The outbox (migration 0011, docs/mail.md): messages written in the transaction of what
 * they are about, taken by the mail thread with a lease (FOR UPDATE SKIP LOCKED, so two
 * servers never take one row), then marked sent, retried later or failed with the reason.
 * No personal data goes in: the message is rendered from the claim when it is delivered; but
 * for the notice of a changed address, which carries the address the claim no longer holds,
 * sealed, until the row is settled (migration 0027). */
#ifndef RECOURS_DB_OUTBOX_H
#define RECOURS_DB_OUTBOX_H

#include <libpq-fe.h>
#include <stdint.h>

#include "db/claims_batch.h"
#include "db/pool.h"

struct arena;

extern const struct db_statement db_outbox_statements[];

/* "\x" and 64 hex digits: a 32-byte key as a text parameter for a bytea column. */
#define DB_BYTEA32_TEXT_LEN 67
void db_bytea32_text(const uint8_t key[32], char out[DB_BYTEA32_TEXT_LEN]);

/* In the intake batch's transaction: for every row that went in, stores its language and
 * privacy notice version when they are not the defaults (fr, the incident's notice), and
 * queues its "claim accepted" message. One statement for the batch. The count queued, or
 * DB_*. */
int db_outbox_enqueue_accepted(PGconn *c, const struct claim_row *rows, int n);

/* Queues a message of kind ("claim-corrected", "claim-withdrawn") about the claim, in the
 * claim's language, inside the caller's transaction. 1, or DB_*. */
int db_outbox_enqueue_claim(PGconn *c, const char *kind, int64_t claim_id);

/* Queues the notice of a changed address about the claim, in the claim's language, inside the
 * caller's transaction (the correction's, the claim locked), without its address yet: 1 with
 * *id_out set, or DB_* (DB_HARD when the claim is gone). */
int db_outbox_enqueue_address_changed(PGconn *c, int64_t claim_id, int64_t *id_out);

/* Stores in the queued row id the old address sealed (box, under the data key key_id). 1, or
 * DB_*. */
int db_outbox_seal_address(PGconn *c, int64_t id, const uint8_t *box, size_t len, int key_id);

/* Queues a recovery for the address whose keyed hash is email_key (claims are looked up at
 * delivery), with the language asked for (NULL: the claim's) and the reference given (NULL:
 * every active claim of the address). 1, or DB_*. */
int db_outbox_enqueue_recovery(PGconn *c, const uint8_t email_key[32], const char *lang,
                               const char *reference);

/* A row taken for delivery. */
struct outbox_item {
    int64_t id;
    const char *kind;
    int64_t claim_id;         /* 0 for a recovery */
    uint8_t email_key[32];    /* recovery */
    const char *lang;         /* the row's language */
    const char *lang_asked;   /* recovery: the language asked for, NULL when none */
    const char *reference;    /* recovery: the reference given, NULL when none */
    const uint8_t *sealed_email; /* address-changed: the old address, sealed; else NULL */
    size_t sealed_len;
    int sealed_key_id;
    int attempts;             /* this attempt included */
    int64_t age_s;            /* since the row was queued */
};

/* Takes at most max due rows, the messages about one claim first, then a notice's, oldest
 * first within each, and leases them for lease_s seconds (their next attempt moves that far, so
 * a server killed while sending leaves them to be retried, by any server, after the lease).
 * FOR UPDATE SKIP LOCKED: two servers never take one row. The count taken (out filled,
 * strings in a), or DB_*. */
int db_outbox_take_batch(PGconn *c, int lease_s, int max, struct arena *a,
                         struct outbox_item *out);

/* Ends deliveries, a row's sealed address wiped whatever the end: the n rows of ids sent (a
 * notice's sent_count moves with them; a row its notice's stop cancelled while it was being
 * sent moves from cancelled_count: the count settled, or DB_*); one row retried after delay_s
 * with the reason, or failed for good with the reason (never personal data; a notice's
 * failed_count moves): 1, or DB_*; a cancelled row is neither retried nor failed (it was not
 * sent: it stays cancelled). */
int db_outbox_mark_sent(PGconn *c, const int64_t *ids, int n);
int db_outbox_mark_retry(PGconn *c, int64_t id, int64_t delay_ms, const char *reason);
int db_outbox_mark_failed(PGconn *c, int64_t id, const char *reason);

#endif
