/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The start-up check that the secrets belong to the database (see secrets_match.h). */
#include "service/secrets_match.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "crypto/audit_mac.h"
#include "db/audit.h"
#include "db/secrets_match.h"
#include "service/claims_seal.h"

/* The hmac-key: NULL when it verifies the newest events (or there is none), else what failed,
 * in a; NULL with *failed set when the read failed. */
static const char *
hmac_key_mismatch(PGconn *c, const struct secrets *s, struct arena *a, bool *failed)
{
    struct audit_link_row tail[DB_AUDIT_TAIL_MAX];
    uint8_t key[AUDIT_MAC_KEY_LEN];
    int n = db_secrets_match_audit_tail(c, a, tail);

    if (n < 0) {
        *failed = true;
        return NULL;
    }
    if (n == 0)
        return NULL;
    if (!audit_mac_key_derive(s->hmac_key, key)) {
        *failed = true;
        return NULL;
    }
    bool holds = false;
    for (int i = 0; i < n && !holds; i++)
        holds = db_audit_link_holds(key, tail[i].prev_hex, tail[i].fields, tail[i].digest_hex,
                                    tail[i].hash_hex);
    explicit_bzero(key, sizeof key);
    return holds ? NULL
                 : arena_printf(a, "hmac-key does not verify the newest audit event (seq %s)",
                                tail[0].fields[0]);
}

/* The data keys: NULL when the newest claim opens (or there is none), else what failed, in a;
 * NULL with *failed set when the read failed. */
static const char *
data_keys_mismatch(PGconn *c, const struct secrets *s, struct arena *a, bool *failed)
{
    struct sealed_claim claim;
    int rc = db_secrets_match_newest_claim(c, a, &claim);

    if (rc < 0) {
        *failed = true;
        return NULL;
    }
    if (rc == 0)
        return NULL;
    bool held = false;
    for (int i = 0; i < s->n_data_keys; i++)
        held = held || s->data_keys[i].id == claim.data_key_id;
    if (!held)
        return arena_printf(a, "data-keys holds no key %d, which sealed the newest claim",
                            claim.data_key_id);
    char *plain = claims_open(s, a, claim.data_key_id, claim.reference, strlen(claim.reference),
                              claim.box, claim.box_len);
    if (plain == NULL)
        return arena_printf(a, "data key %d of data-keys does not open the newest claim",
                            claim.data_key_id);
    explicit_bzero(plain, strlen(plain));
    return NULL;
}

enum secrets_match
svc_secrets_match(PGconn *c, const struct secrets *s, char *why, size_t why_len)
{
    struct arena *a = arena_new();
    bool failed = false;
    const char *hmac = hmac_key_mismatch(c, s, a, &failed);
    const char *data = failed ? NULL : data_keys_mismatch(c, s, a, &failed);
    enum secrets_match verdict = SECRETS_BELONG;

    if (failed) {
        snprintf(why, why_len, "could not read the newest audit events and claim");
        verdict = SECRETS_UNCHECKED;
    } else if (hmac != NULL || data != NULL) {
        snprintf(why, why_len, "%s%s%s", hmac != NULL ? hmac : "",
                 hmac != NULL && data != NULL ? "; " : "", data != NULL ? data : "");
        verdict = SECRETS_FOREIGN;
    }
    arena_free(a);
    return verdict;
}
