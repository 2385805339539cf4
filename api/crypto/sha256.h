/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* SHA-256 over a buffer, raw or as lower-case hex (OpenSSL EVP). */
#ifndef RECOURS_CRYPTO_SHA256_H
#define RECOURS_CRYPTO_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32
#define SHA256_HEX_LEN 64

/* Digest of data[0..n) into out; false only if OpenSSL fails. */
bool sha256(const void *data, size_t n, uint8_t out[SHA256_LEN]);

/* Same, as 64 lower-case hex digits and a NUL. */
bool sha256_hex(const void *data, size_t n, char out[SHA256_HEX_LEN + 1]);

/* Lower-case hex of n bytes into out (2n + 1 bytes). */
void hex_encode(const uint8_t *bytes, size_t n, char *out);

#endif
