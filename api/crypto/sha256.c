/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* SHA-256 through OpenSSL's EVP interface, one-shot or incremental; every result is checked
 * against 1. */
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

/* A stream is OpenSSL's digest context itself, behind the opaque name of the header (which
 * keeps OpenSSL out of its callers): no wrapper to allocate, and EVP_MD_CTX_free takes NULL. */
static EVP_MD_CTX *
ctx_of(const struct sha256_stream *s)
{
    return (EVP_MD_CTX *)(uintptr_t)s;
}

struct sha256_stream *
sha256_stream_new(void)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();

    if (ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(ctx);
        ctx = NULL;
    }
    return (struct sha256_stream *)(void *)ctx;
}

bool
sha256_stream_update(struct sha256_stream *s, const void *data, size_t n)
{
    return n == 0 || EVP_DigestUpdate(ctx_of(s), data, n) == 1;
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
    if (EVP_MD_CTX_copy_ex(copy, ctx_of(s)) != 1 ||
        EVP_DigestFinal_ex(copy, digest, &len) != 1 || len != SHA256_LEN)
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
    EVP_MD_CTX_free(ctx_of(s));
}
