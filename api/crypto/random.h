/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Cryptographically secure random bytes and tokens (OpenSSL's CSPRNG). */
#ifndef RECOURS_CRYPTO_RANDOM_H
#define RECOURS_CRYPTO_RANDOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Fills buf with n random bytes; false if the CSPRNG fails (callers must refuse to go on). */
bool random_bytes(void *buf, size_t n);

/* Writes nbytes random bytes as unpadded base64url (RFC 4648 §5) into out, which must hold
 * base64url_len(nbytes) + 1 bytes. 32 bytes give 43 characters. */
bool random_token(size_t nbytes, char *out);

/* A random (version 4, RFC 9562 §5.4) UUID in its lower-case 8-4-4-4-12 text form into out;
 * false if the CSPRNG fails. */
bool random_uuid(char out[37]);

/* Unpadded base64url length of n bytes. */
size_t base64url_len(size_t n);

/* Unpadded base64url of in[0..n) into out (base64url_len(n) + 1 bytes). */
void base64url_encode(const uint8_t *in, size_t n, char *out);

/* Unpadded base64url text into out (at most cap bytes), their number into *n_out; false on a
 * character outside the alphabet, an impossible length, non-zero trailing bits (a text
 * base64url_encode would not write) or more than cap bytes. */
bool base64url_decode(const char *text, uint8_t *out, size_t cap, size_t *n_out);

#endif
