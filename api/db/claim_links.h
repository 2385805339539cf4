/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What the mail thread reads about a claim, and the single-use links it sends (migration
 * 0011): email confirmation and token recovery, stored as keyed hashes of their tokens. */
#ifndef RECOURS_DB_CLAIM_LINKS_H
#define RECOURS_DB_CLAIM_LINKS_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/pool.h"

struct arena;

extern const struct db_statement db_claim_links_statements[];

/* A claim as a message needs it; the sealed personal data is opened by the caller. */
struct mail_claim {
    int64_t id;
    const char *reference;
    const char *lang;
    const char *status;
    bool email_verified;
    const char *incident_title;
    const char *incident_controller; /* the company that leaked the data */
    const char *action_title; /* NULL without a mandate */
    const char *association_name; /* the action's association; NULL without a mandate */
    int data_key_id;
    const uint8_t *pii; /* NULL once erased */
    size_t pii_len;
    const char *correctable_until; /* "YYYY-MM-DD" (UTC) of a rejection's window, or NULL */
};

/* The claim of id; 1, 0 (gone), or DB_*. Strings and pii in a. */
int db_mail_claim(PGconn *c, int64_t id, struct arena *a, struct mail_claim *out);

/* The active claims whose email_key matches, newest first, only the one of reference when it
 * is not NULL; at most max into out. The count, or DB_*. */
int db_mail_recovery_claims(PGconn *c, const uint8_t email_key[32], const char *reference,
                            int max, struct arena *a, struct mail_claim *out);

/* Stores a link: the keyed hash of its token, its purpose ("confirm-email", "recovery"), its
 * claim, valid for valid_s seconds. 1, or DB_*. */
int db_links_insert(PGconn *c, const uint8_t token_hash[32], const char *purpose,
                    int64_t claim_id, int valid_s);

/* Uses a link once: marks it used if it is of purpose, unused and unexpired. 1 with its claim
 * in *claim_id_out, 0 when no such link, or DB_*. */
int db_links_use(PGconn *c, const uint8_t token_hash[32], const char *purpose,
                 int64_t *claim_id_out);

/* What the confirmation pages say of a link's claim, nothing personal: its language, whether
 * its address is confirmed, its reference, its incident as the pages name it. */
struct confirm_claim {
    char lang[3];
    bool confirmed;
    char reference[13];
    const char *incident_controller; /* the company; in the caller's arena */
    const char *incident_title;
};

/* Reads, without using it, the unexpired confirmation link of token_hash: 1 with its claim
 * in *out (strings in a), 0 when no such link, or DB_*. */
int db_links_peek_confirm(PGconn *c, const uint8_t token_hash[32], struct arena *a,
                          struct confirm_claim *out);

/* Records the address of claim id as confirmed (the first time only). 1 with the claim in
 * *out (strings in a), 0 when the claim is gone, or DB_*. */
int db_claims_confirm_email(PGconn *c, int64_t id, struct arena *a, struct confirm_claim *out);

/* Replaces the claim token of an active claim; 1 with its reference in ref_out (13 bytes), 0
 * when the claim is withdrawn, or DB_*. */
int db_claims_replace_token(PGconn *c, int64_t id, const uint8_t token_hash[32], char *ref_out);

/* Rate events (recovery): counts those of two buckets (keyed hashes) in the last window_s
 * seconds, then, when add is true, records one in each. 1, or DB_*. */
int db_rate_count(PGconn *c, const uint8_t a_bucket[32], const uint8_t b_bucket[32],
                  int window_s, int64_t *a_out, int64_t *b_out);
int db_rate_add(PGconn *c, const uint8_t a_bucket[32], const uint8_t b_bucket[32]);

/* Deletes rate events older than keep_s seconds and links expired more than a day ago. The
 * rows deleted, or DB_*. */
int db_links_prune(PGconn *c, int keep_s);

#endif
