/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Random bytes from OpenSSL's DRBG and their base64url form for tokens and keys; the base64url
 * decoder of the same alphabet (the pagination cursors). */
#include "crypto/random.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

bool
random_bytes(void *buf, size_t n)
{
    if (n > INT32_MAX)
        return false;
    return RAND_bytes(buf, (int)n) == 1;
}

bool
random_uuid(char out[37])
{
    uint8_t b[16];

    if (!random_bytes(b, sizeof b))
        return false;
    b[6] = (uint8_t)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80); /* variant 10 */
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
             b[13], b[14], b[15]);
    return true;
}

/* The base64url alphabet (RFC 4648 §5): a character's value is its index. */
static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t
base64url_len(size_t n)
{
    return (n / 3) * 4 + (n % 3 == 0 ? 0 : n % 3 + 1);
}

void
base64url_encode(const uint8_t *in, size_t n, char *out)
{
    size_t o = 0;
    size_t i = 0;

    for (; i + 2 < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = alphabet[v >> 18 & 63];
        out[o++] = alphabet[v >> 12 & 63];
        out[o++] = alphabet[v >> 6 & 63];
        out[o++] = alphabet[v & 63];
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        out[o++] = alphabet[v >> 18 & 63];
        out[o++] = alphabet[v >> 12 & 63];
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        out[o++] = alphabet[v >> 18 & 63];
        out[o++] = alphabet[v >> 12 & 63];
        out[o++] = alphabet[v >> 6 & 63];
    }
    out[o] = '\0';
}

/* The value of base64url character c, -1 for any other. */
static int
b64_value(char c)
{
    const char *at = c != '\0' ? strchr(alphabet, c) : NULL;

    return at != NULL ? (int)(at - alphabet) : -1;
}

bool
base64url_decode(const char *text, uint8_t *out, size_t cap, size_t *n_out)
{
    size_t len = strlen(text);
    size_t n = 0;
    uint32_t acc = 0;
    int bits = 0;

    if (len % 4 == 1)
        return false;
    for (size_t i = 0; i < len; i++) {
        int v = b64_value(text[i]);
        if (v < 0)
            return false;
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n >= cap)
                return false;
            out[n++] = (uint8_t)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    if (acc != 0)
        return false; /* non-canonical trailing bits */
    *n_out = n;
    return true;
}

bool
random_token(size_t nbytes, char *out)
{
    uint8_t buf[64];
    bool ok = false;

    if (nbytes > sizeof buf)
        return false;
    if (!random_bytes(buf, nbytes))
        goto cleanup;
    base64url_encode(buf, nbytes, out);
    ok = true;
cleanup:
    OPENSSL_cleanse(buf, sizeof buf);
    return ok;
}
