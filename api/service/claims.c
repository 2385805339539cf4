/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Claimant self-service use cases. */
#include "service/claims.h"

#include <openssl/crypto.h>
#include <string.h>

#include "crypto/keyed_hash.h"
#include "db/errors.h"
#include "domain/reference.h"
#include "db/tallies.h"
#include "service/tx.h"

static struct tally_key
key_of(const struct claim_record *r)
{
    return (struct tally_key){r->incident_id, r->status, r->payment_preference, r->country,
                              r->categories, r->documented_loss, r->hours_spent};
}

/* Moves the claim from the summary group of `before` to that of `after` (same transaction). */
static int
move_tally(PGconn *c, const struct tally_key *before, const struct tally_key *after)
{
    int rc = db_tally_add(c, before, -1);

    return rc == 1 ? db_tally_add(c, after, +1) : rc;
}

enum outcome
svc_claims_find(PGconn *c, const struct secrets *s, const char *reference, const char *token,
                struct arena *a, struct claim_record *out)
{
    char canonical[13];
    uint8_t presented[KEY_LEN];

    if (!reference_parse(reference, canonical) ||
        !keyed_hash(s->hmac_key, "claim-token", token, presented))
        return OUTCOME_NOT_FOUND;
    int rc = db_claims_get(c, canonical, false, a, out);
    if (rc < 0)
        return tx_outcome_of(c, rc);
    if (rc == 0 || CRYPTO_memcmp(presented, out->token_hash, KEY_LEN) != 0)
        return OUTCOME_NOT_FOUND;
    return OUTCOME_OK;
}

/* The mandate part of a correction, inside its transaction. */
static int
change_mandate(PGconn *c, const struct claim_record *cur, const struct mandate_change *m)
{
    switch (m->kind) {
    case MANDATE_KEEP:
        return 1;
    case MANDATE_REVOKE:
        return cur->mandate_action_id == NULL ? 1 : db_claims_revoke_mandate(c, cur->id);
    case MANDATE_SET:
        if (cur->member_of != NULL && strcmp(cur->member_of, m->action_id) == 0)
            return 1;
        if (cur->member_of != NULL)
            return DB_CONFLICT;
        return db_claims_mandate(c, cur->id, m->action_id, m->association_id, m->version);
    }
    return DB_HARD;
}

enum outcome
svc_claims_correct(PGconn *c, const struct claim_record *rec, const struct claim_row *row,
                   const struct mandate_change *m, struct arena *a, struct claim_record *out)
{
    enum outcome o = OUTCOME_INTERNAL;
    int rc = tx_begin(c, NULL);

    if (rc != 0)
        return tx_outcome_of(c, rc);
    rc = db_claims_get(c, rec->reference, true, a, out);
    if (rc != 1)
        goto failed;
    if (strcmp(out->status, "withdrawn") == 0) {
        o = OUTCOME_CLAIM_WITHDRAWN;
        goto cleanup;
    }
    rc = db_claims_correct(c, rec->id, row);
    if (rc == DB_CONFLICT) {
        o = OUTCOME_DUPLICATE_CLAIM; /* a refused correction is not a duplicate attempt */
        goto cleanup;
    }
    if (rc != 1)
        goto failed;
    struct tally_key before = key_of(out);
    struct tally_key after = {out->incident_id, out->status, row->payment_preference,
                              row->country, row->categories, row->documented_loss,
                              row->hours_spent};
    rc = move_tally(c, &before, &after);
    if (rc != 1)
        goto failed;
    rc = change_mandate(c, out, m);
    if (rc == DB_CONFLICT) {
        o = OUTCOME_ALREADY_IN_ACTION; /* in another action, or the person is */
        goto cleanup;
    }
    if (rc != 1)
        goto failed;
    rc = db_claims_get(c, rec->reference, false, a, out);
    if (rc != 1)
        goto failed;
    rc = tx_commit(c);
    if (rc != 0)
        goto failed;
    return OUTCOME_OK;
failed:
    o = rc == 0 ? OUTCOME_NOT_FOUND : tx_outcome_of(c, rc);
cleanup:
    tx_rollback(c);
    return o;
}

enum outcome
svc_claims_withdraw(PGconn *c, const struct claim_record *rec, struct arena *a,
                    struct claim_record *out)
{
    struct claim_record cur;
    int rc = tx_begin(c, NULL);

    if (rc != 0)
        return tx_outcome_of(c, rc);
    rc = db_claims_get(c, rec->reference, true, a, &cur);
    if (rc == 1 && strcmp(cur.status, "withdrawn") != 0) {
        rc = db_claims_withdraw(c, cur.id);
        if (rc == 1) {
            struct tally_key before = key_of(&cur);
            struct tally_key after = before;
            after.status = "withdrawn";
            rc = move_tally(c, &before, &after);
        }
    }
    if (rc == 1)
        rc = db_claims_get(c, rec->reference, false, a, out);
    if (rc == 1)
        rc = tx_commit(c) == 0 ? 1 : DB_UNAVAILABLE;
    if (rc == 1)
        return OUTCOME_OK;
    enum outcome o = rc == 0 ? OUTCOME_NOT_FOUND : tx_outcome_of(c, rc);
    tx_rollback(c);
    return o;
}

static bool
review_allowed(const char *from, const char *to)
{
    if (strcmp(from, "received") == 0)
        return true;
    return (strcmp(from, "verified") == 0 || strcmp(from, "rejected") == 0) &&
           strcmp(from, to) != 0;
}

enum outcome
svc_claims_review(PGconn *c, const struct audit_note *note, const struct claim_record *rec,
                  const char *status, const char *reason, struct arena *a,
                  struct claim_record *out)
{
    enum outcome o = OUTCOME_INTERNAL;
    int rc = tx_begin(c, NULL);

    if (rc != 0)
        return tx_outcome_of(c, rc);
    rc = db_claims_get(c, rec->reference, true, a, out);
    if (rc != 1)
        goto failed;
    if (!review_allowed(out->status, status)) {
        o = OUTCOME_INVALID_TRANSITION;
        goto cleanup;
    }
    rc = db_claims_review(c, rec->id, status, reason);
    if (rc == 1) {
        struct tally_key before = key_of(out);
        struct tally_key after = before;
        after.status = status;
        rc = move_tally(c, &before, &after);
    }
    if (rc == 1)
        rc = svc_audit(c, note, "claim.review", "claim", rec->reference) == 0 ? 1 : DB_HARD;
    if (rc == 1)
        rc = db_claims_get(c, rec->reference, false, a, out);
    if (rc != 1)
        goto failed;
    rc = tx_commit(c);
    if (rc == 0)
        return OUTCOME_OK;
failed:
    o = rc == 0 ? OUTCOME_NOT_FOUND : tx_outcome_of(c, rc);
cleanup:
    tx_rollback(c);
    return o;
}
