/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* API key lookup by prefix and keyed hash (api_keys.h). */
#include "service/api_keys.h"

#include <openssl/crypto.h>
#include <string.h>

#include "crypto/keyed_hash.h"
#include "db/associations.h"
#include "service/conn.h"
#include "service/tx.h"

enum outcome
svc_api_key_identify(const struct secrets *s, const char *key, struct arena *a,
                     struct key_holder *out)
{
    char prefix[API_KEY_PREFIX_LEN + 1];
    uint8_t presented[32];
    struct api_key found;
    PGconn *c;

    memset(out, 0, sizeof *out);
    if (svc_conn(&c) != OUTCOME_OK)
        return OUTCOME_UNAVAILABLE;
    memcpy(prefix, key, API_KEY_PREFIX_LEN);
    prefix[API_KEY_PREFIX_LEN] = '\0';
    int rc = db_keys_find(c, prefix, a, &found);
    if (rc < 0)
        return tx_outcome_of(c, rc);
    if (rc == 0 || !keyed_hash(s->hmac_key, "api-key", key, presented) ||
        CRYPTO_memcmp(presented, found.secret_hash, sizeof presented) != 0 ||
        found.revoked_at != NULL)
        return OUTCOME_OK; /* not live */
    if (found.stale_use)
        db_keys_touch(c, found.id); /* best effort: a failure must not refuse the request */
    out->live = true;
    out->association_id = found.association_id;
    out->association_status = found.association_status;
    return OUTCOME_OK;
}
