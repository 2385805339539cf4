/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* HMAC-SHA256 links of the audit chain through OpenSSL 3's EVP_MAC. Invariant: every EVP
 * object, the context holding the key above all, is freed on every path; out is only valid
 * when true returns. */
#include "crypto/audit_mac.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "crypto/keyed_hash.h"

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
    char digest_name[] = "SHA256";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
        OSSL_PARAM_construct_end(),
    };
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *ctx = mac != NULL ? EVP_MAC_CTX_new(mac) : NULL;
    size_t out_len = 0;
    bool ok = false;

    if (ctx == NULL || (canonical == NULL && canonical_len > 0))
        goto cleanup;
    if (EVP_MAC_init(ctx, key, AUDIT_MAC_KEY_LEN, params) != 1
        || EVP_MAC_update(ctx, prev, AUDIT_MAC_LEN) != 1
        || EVP_MAC_update(ctx, (const unsigned char *)canonical, canonical_len) != 1
        || EVP_MAC_update(ctx, digest, 32) != 1)
        goto cleanup;
    if (EVP_MAC_final(ctx, out, &out_len, AUDIT_MAC_LEN) != 1 || out_len != AUDIT_MAC_LEN)
        goto cleanup;
    ok = true;
cleanup:
    if (!ok)
        OPENSSL_cleanse(out, AUDIT_MAC_LEN);
    EVP_MAC_CTX_free(ctx); /* cleanses the keyed state; NULL is a no-op */
    EVP_MAC_free(mac);
    return ok;
}
