/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* SHA-256 through OpenSSL's one-shot EVP_Digest; every result is checked against 1. */
#include "crypto/sha256.h"

#include <openssl/evp.h>

bool
sha256(const void *data, size_t n, uint8_t out[SHA256_LEN])
{
    unsigned int len = 0;

    if (EVP_Digest(data, n, out, &len, EVP_sha256(), NULL) != 1)
        return false;
    return len == SHA256_LEN;
}

void
hex_encode(const uint8_t *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 0x0f];
    }
    out[2 * n] = '\0';
}

bool
sha256_hex(const void *data, size_t n, char out[SHA256_HEX_LEN + 1])
{
    uint8_t digest[SHA256_LEN];

    if (!sha256(data, n, digest))
        return false;
    hex_encode(digest, sizeof digest, out);
    return true;
}
