/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Claimant self-service use cases. */
#include "service/claims.h"

#include <openssl/crypto.h>
#include <string.h>

#include "crypto/keyed_hash.h"
#include "db/errors.h"
#include "domain/reference.h"
#include "service/tx.h"

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

enum outcome
svc_claims_correct(PGconn *c, const struct claim_record *rec, const struct claim_row *row,
                   struct arena *a, struct claim_record *out)
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
    int rc = db_claims_withdraw(c, rec->id);

    if (rc < 0)
        return tx_outcome_of(c, rc);
    rc = db_claims_get(c, rec->reference, false, a, out);
    if (rc < 0)
        return tx_outcome_of(c, rc);
    return rc == 1 ? OUTCOME_OK : OUTCOME_NOT_FOUND;
}
