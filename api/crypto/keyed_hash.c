/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* HMAC-SHA256 with domain separation through OpenSSL 3's EVP_MAC: the message is fed in three
 * parts (purpose, NUL, value) so no buffer holding personal data is built here.
 * Invariant: every EVP object is freed on every path; out is only valid when true returns. */
#include "crypto/keyed_hash.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

bool
keyed_hash(const uint8_t key[KEYED_HASH_KEY_LEN], const char *purpose, const char *value,
           uint8_t out[KEYED_HASH_LEN])
{
    static const unsigned char separator = 0x00;
    char digest_name[] = "SHA256";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
        OSSL_PARAM_construct_end(),
    };
    EVP_MAC *mac = NULL;
    EVP_MAC_CTX *ctx = NULL;
    size_t out_len = 0;
    bool ok = false;

    if (purpose == NULL || purpose[0] == '\0' || value == NULL)
        goto cleanup;
    mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (mac == NULL)
        goto cleanup;
    ctx = EVP_MAC_CTX_new(mac);
    if (ctx == NULL)
        goto cleanup;
    if (EVP_MAC_init(ctx, key, KEYED_HASH_KEY_LEN, params) != 1)
        goto cleanup;
    if (EVP_MAC_update(ctx, (const unsigned char *)purpose, strlen(purpose)) != 1
        || EVP_MAC_update(ctx, &separator, 1) != 1
        || EVP_MAC_update(ctx, (const unsigned char *)value, strlen(value)) != 1)
        goto cleanup;
    if (EVP_MAC_final(ctx, out, &out_len, KEYED_HASH_LEN) != 1 || out_len != KEYED_HASH_LEN)
        goto cleanup;
    ok = true;
cleanup:
    if (!ok)
        OPENSSL_cleanse(out, KEYED_HASH_LEN);
    EVP_MAC_CTX_free(ctx); /* cleanses the keyed HMAC state; NULL is a no-op */
    EVP_MAC_free(mac);
    return ok;
}
