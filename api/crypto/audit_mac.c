/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* HMAC-SHA256 links of the audit chain, made by crypto/keyed_hash's hmac_sha256 (OpenSSL 3's
 * EVP_MAC); out is only valid when true returns. */
#include "crypto/audit_mac.h"

#include "crypto/keyed_hash.h"

_Static_assert(AUDIT_MAC_KEY_LEN == KEYED_HASH_KEY_LEN && AUDIT_MAC_LEN == KEYED_HASH_LEN,
               "the audit chain's links are keyed hashes' HMAC-SHA256");

bool
audit_mac_key_derive(const uint8_t hmac_key[AUDIT_MAC_KEY_LEN], uint8_t key_out[AUDIT_MAC_KEY_LEN])
{
    return keyed_hash(hmac_key, AUDIT_MAC_PURPOSE, "", key_out);
}

bool
audit_mac_link(const uint8_t key[AUDIT_MAC_KEY_LEN], const uint8_t prev[AUDIT_MAC_LEN],
               const char *canonical, size_t canonical_len, const uint8_t digest[32],
               uint8_t out[AUDIT_MAC_LEN])
{
    const struct hmac_part parts[] = {
        {prev, AUDIT_MAC_LEN},
        {canonical, canonical_len},
        {digest, 32},
    };
    return hmac_sha256(key, parts, sizeof parts / sizeof parts[0], out);
}
