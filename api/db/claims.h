/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* One claim at a time: the claimant's read, correction and withdrawal. Batch intake is in
 * db/claims_batch.c. */
#ifndef RECOURS_DB_CLAIMS_H
#define RECOURS_DB_CLAIMS_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/claims_batch.h"
#include "db/pool.h"
#include "domain/claim.h"

struct arena;

struct claim_record {
    int64_t id;
    int64_t incident_id;
    const char *incident_slug;
    unsigned int incident_categories;
    const char *incident_status;
    char reference[13];
    uint8_t token_hash[KEY_LEN];
    const char *status;
    const char *status_reason;
    int data_key_id;
    uint8_t *pii; /* sealed; NULL once erased */
    size_t pii_len;
    struct claim_facts facts;
    const char *privacy_notice_version;
    const char *created_at;
    const char *updated_at;
    const char *withdrawn_at; /* NULL unless withdrawn */
    const char *mandate_action_id;      /* NULL: no mandate */
    const char *mandate_association_id;
    const char *mandate_text_version;
    const char *mandated_at;
    const char *mandate_channel;
    const char *member_of;              /* the action the claim is in now, or NULL */
    const char *reviewed_at;
    int64_t duplicate_attempts;
    const char *eligibility_state;   /* matched | unmatched | unknown (issue 14) */
    const char *eligibility_matched; /* what matched, comma-separated: email,phone,code */
    /* a rejected claim's reason code and correction window (docs/workspace.md); else NULL */
    const char *review_reason;
    const char *correctable_until;
};

extern const struct db_statement db_claims_statements[];

/* The claim of reference (canonical form); FOR UPDATE when for_update. 1 or 0. */
int db_claims_get(PGconn *c, const char *reference, bool for_update, struct arena *a,
                  struct claim_record *out);

/* Writes a correction: sealed pii, dedup keys, country, categories, harms, payment. 1, 0, or
 * DB_CONFLICT when the new keys belong to another active claim of the incident. */
int db_claims_correct(PGconn *c, int64_t id, const struct claim_row *row);

/* Marks the claim withdrawn now (idempotent) and takes it out of its action. 1 or 0. */
int db_claims_withdraw(PGconn *c, int64_t id);

/* Records a mandate to action (channel api) and makes the claim a member of it, person keys
 * copied. 1; DB_CONFLICT when the person is already in an action of the incident. */
int db_claims_mandate(PGconn *c, int64_t id, const char *action_id, const char *association_id,
                      const char *version);

/* Records the mandate of the claim's action given again under text version (channel api, now);
 * the membership is unchanged. 1, or 0 when the claim holds no mandate. */
int db_claims_renew_mandate(PGconn *c, int64_t id, const char *version);

/* Revokes the mandate and leaves the action. 1 or 0. */
int db_claims_revoke_mandate(PGconn *c, int64_t id);

struct claim_list_filter {
    const char *status;     /* or NULL */
    int category;           /* index or -1 */
    const char *country;    /* or NULL */
    const char *since;      /* RFC 3339 or NULL: submitted at or after */
    const char *after_time; /* cursor: created_at of the last item seen, or NULL */
    const char *after_id;   /* cursor: its id */
};

/* Active claims of incident slug mandated to association_id, oldest first, filtered, after
 * the cursor. Count or DB_*. */
int db_claims_list_mandated(PGconn *c, const char *slug, const char *association_id,
                            const struct claim_list_filter *f, int limit, struct arena *a,
                            struct claim_record *out, int *n_out);

#endif
