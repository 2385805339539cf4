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

/* An incremental SHA-256 (EVP_DigestInit_ex/Update/Final_ex, every result checked), for a
 * digest of bytes that are never all in memory at once (an export's stream). */
struct sha256_stream;

/* A fresh digest, or NULL when OpenSSL cannot make one. */
struct sha256_stream *sha256_stream_new(void);

/* Adds data[0..n) (n may be 0); false if OpenSSL fails, after which the digest is unusable. */
bool sha256_stream_update(struct sha256_stream *s, const void *data, size_t n);

/* The digest of every byte added so far as 64 lower-case hex digits and a NUL. The stream is
 * not changed (a copy is finished), so more bytes may follow. False if OpenSSL fails. */
bool sha256_stream_peek_hex(const struct sha256_stream *s, char out[SHA256_HEX_LEN + 1]);

/* Frees s; accepts NULL. */
void sha256_stream_free(struct sha256_stream *s);

/* Lower-case hex of n bytes into out (2n + 1 bytes). */
void hex_encode(const uint8_t *bytes, size_t n, char *out);

#endif
