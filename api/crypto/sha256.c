/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* SHA-256 through OpenSSL's EVP interface, one-shot or incremental; every result is checked
 * against 1. */
#include "crypto/sha256.h"

#include <openssl/crypto.h>
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

struct sha256_stream {
    EVP_MD_CTX *ctx;
};

struct sha256_stream *
sha256_stream_new(void)
{
    struct sha256_stream *s = OPENSSL_zalloc(sizeof *s);

    if (s == NULL)
        return NULL;
    s->ctx = EVP_MD_CTX_new();
    if (s->ctx == NULL || EVP_DigestInit_ex(s->ctx, EVP_sha256(), NULL) != 1) {
        sha256_stream_free(s);
        return NULL;
    }
    return s;
}

bool
sha256_stream_update(struct sha256_stream *s, const void *data, size_t n)
{
    return n == 0 || EVP_DigestUpdate(s->ctx, data, n) == 1;
}

bool
sha256_stream_peek_hex(const struct sha256_stream *s, char out[SHA256_HEX_LEN + 1])
{
    EVP_MD_CTX *copy = EVP_MD_CTX_new();
    uint8_t digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    bool ok = false;

    if (copy == NULL)
        return false;
    if (EVP_MD_CTX_copy_ex(copy, s->ctx) != 1 || EVP_DigestFinal_ex(copy, digest, &len) != 1 ||
        len != SHA256_LEN)
        goto cleanup;
    hex_encode(digest, SHA256_LEN, out);
    ok = true;
cleanup:
    EVP_MD_CTX_free(copy);
    return ok;
}

void
sha256_stream_free(struct sha256_stream *s)
{
    if (s == NULL)
        return;
    EVP_MD_CTX_free(s->ctx);
    OPENSSL_free(s);
}
