/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The intake writer's statements: many claims per statement (group commit,
 * docs/architecture.md §5, §9).
 * Each function takes the batch as arrays and runs inside the caller's transaction. */
#ifndef RECOURS_DB_CLAIMS_BATCH_H
#define RECOURS_DB_CLAIMS_BATCH_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/pool.h"
#include "domain/claim.h"

#define KEY_LEN 32

/* One claim row to insert, sealed and hashed already. */
struct claim_row {
    int64_t incident_id;
    char reference[13];
    uint8_t token_hash[KEY_LEN];
    uint8_t email_key[KEY_LEN];
    uint8_t phone_key[KEY_LEN];
    bool has_phone_key;
    uint8_t identity_key[KEY_LEN];
    bool has_identity_key;
    int data_key_id;
    const uint8_t *pii;
    size_t pii_len;
    struct claim_facts facts;
    const char *privacy_notice_version;
    const char *created_at; /* RFC 3339, also updated_at */
    /* the mandate given with the submission (web form): NULL when none; the claim then joins
     * that action in the same transaction */
    const char *mandate_action_id;
    const char *mandate_association_id;
    const char *mandate_text_version;
    /* stored with the "claim accepted" message (db/outbox.c): NULL for the defaults */
    const char *lang;
    /* out */
    int64_t id;
    bool inserted;
};

extern const struct db_statement db_claims_batch_statements[];

/* INSERT ... ON CONFLICT DO NOTHING of rows[0..n), adding the inserted ones to the summary
 * tallies of shard (the writer's number) and the mandated ones to their action's members,
 * in the same statement; sets inserted and id of each row that went
 * in. A row left out collided on a dedup key (or, rarely, on its reference). Returns the
 * number inserted or DB_*. */
int db_claims_insert_batch(PGconn *c, int shard, struct claim_row *rows, int n);


/* For each rows[idx[k]], the id of the oldest active claim of its incident sharing one of its
 * keys (0 when none: a reference collision). */
int db_claims_find_matches(PGconn *c, const struct claim_row *rows, const int *idx, int m,
                           int64_t *match_out);

/* Stores refused submissions: (incident, earlier claim, data key, aad, sealed submission). */
struct duplicate_row {
    int64_t incident_id;
    int64_t claim_id;
    int data_key_id;
    const char *aad;
    const uint8_t *pii;
    size_t pii_len;
};
int db_claims_insert_duplicates(PGconn *c, int shard, const struct duplicate_row *rows, int n);

#endif
