/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* HMAC-SHA256 through OpenSSL 3's EVP_MAC, with domain separation for keyed hashes: the message
 * is fed in parts (purpose, NUL, value) so no buffer holding personal data is built here.
 * Invariants: the HMAC implementation is fetched once and kept for the life of the process
 * (never freed: valgrind reports it still reachable); every other EVP object, the context
 * holding the key above all, is freed on every path; out is only valid when true returns. */
#include "crypto/keyed_hash.h"

#include <stdatomic.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

/* EVP_MAC_fetch searches the provider store under its locks, and each claim makes several
 * hashes: the first successful fetch is published here and shared (a fetched EVP_MAC is
 * reference counted and safe to use from any thread). */
static _Atomic(EVP_MAC *) hmac_impl;

/* The shared HMAC implementation, or NULL when OpenSSL cannot provide it (not remembered: the
 * next call tries again). */
static EVP_MAC *
hmac(void)
{
    EVP_MAC *mac = atomic_load(&hmac_impl);
    EVP_MAC *none = NULL;

    if (mac != NULL)
        return mac;
    mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (mac == NULL)
        return NULL;
    if (!atomic_compare_exchange_strong(&hmac_impl, &none, mac)) {
        EVP_MAC_free(mac); /* another thread published first: use its object */
        mac = none;
    }
    return mac;
}

bool
keyed_hash(const uint8_t key[KEYED_HASH_KEY_LEN], const char *purpose, const char *value,
           uint8_t out[KEYED_HASH_LEN])
{
    static const unsigned char separator = 0x00;

    if (purpose == NULL || purpose[0] == '\0' || value == NULL) {
        OPENSSL_cleanse(out, KEYED_HASH_LEN);
        return false;
    }
    const struct hmac_part parts[] = {
        {purpose, strlen(purpose)},
        {&separator, 1},
        {value, strlen(value)},
    };
    return hmac_sha256(key, parts, sizeof parts / sizeof parts[0], out);
}

bool
hmac_sha256(const uint8_t key[KEYED_HASH_KEY_LEN], const struct hmac_part *parts, size_t n,
            uint8_t out[KEYED_HASH_LEN])
{
    char digest_name[] = "SHA256";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
        OSSL_PARAM_construct_end(),
    };
    EVP_MAC *mac = NULL;
    EVP_MAC_CTX *ctx = NULL;
    size_t out_len = 0;
    bool ok = false;

    for (size_t i = 0; i < n; i++)
        if (parts[i].data == NULL && parts[i].len > 0)
            goto cleanup;
    mac = hmac();
    if (mac == NULL)
        goto cleanup;
    ctx = EVP_MAC_CTX_new(mac);
    if (ctx == NULL)
        goto cleanup;
    if (EVP_MAC_init(ctx, key, KEYED_HASH_KEY_LEN, params) != 1)
        goto cleanup;
    for (size_t i = 0; i < n; i++)
        if (EVP_MAC_update(ctx, parts[i].data, parts[i].len) != 1)
            goto cleanup;
    if (EVP_MAC_final(ctx, out, &out_len, KEYED_HASH_LEN) != 1 || out_len != KEYED_HASH_LEN)
        goto cleanup;
    ok = true;
cleanup:
    if (!ok)
        OPENSSL_cleanse(out, KEYED_HASH_LEN);
    EVP_MAC_CTX_free(ctx); /* cleanses the keyed HMAC state; NULL is a no-op */
    return ok;
}
