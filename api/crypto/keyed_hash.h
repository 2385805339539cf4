/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Keyed hashes of normalised personal data (docs/product.md §3.2, §5.2): lookup
 * keys that cannot be recomputed from a guessed email or phone without the server's key.
 * Invariant: the purpose is part of the MAC input, so hashes made for different purposes of
 * the same value never collide by construction. */
#ifndef RECOURS_CRYPTO_KEYED_HASH_H
#define RECOURS_CRYPTO_KEYED_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KEYED_HASH_KEY_LEN 32
#define KEYED_HASH_LEN 32

/* The purposes in use; any other non-empty string works the same way. */
#define KEYED_HASH_EMAIL "email"
#define KEYED_HASH_PHONE "phone"
#define KEYED_HASH_IDENTITY "identity"
#define KEYED_HASH_CLAIM_TOKEN "claim-token"

/* HMAC-SHA256 under key of purpose, one 0x00 byte, then value (the NUL ends purpose, which
 * therefore cannot contain one, so the split is unambiguous), into out. value is hashed as
 * given: normalise it first (domain/normalize). False if purpose is empty or OpenSSL fails;
 * out is then zeroed. */
bool keyed_hash(const uint8_t key[KEYED_HASH_KEY_LEN], const char *purpose, const char *value,
                uint8_t out[KEYED_HASH_LEN]);

/* One piece of an HMAC's message. */
struct hmac_part {
    const void *data;
    size_t len;
};

/* HMAC-SHA256 under key of parts[0..n) one after the other, into out: the one HMAC of the
 * server (keyed_hash, the audit chain's links). False if a part is NULL with a length or
 * OpenSSL fails; out is then zeroed. */
bool hmac_sha256(const uint8_t key[KEYED_HASH_KEY_LEN], const struct hmac_part *parts, size_t n,
                 uint8_t out[KEYED_HASH_LEN]);

#endif
