/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The per-incident matching key of the controller's list (docs/decisions.md "Eligibility:
 * the controller's list"): derived from the server's HMAC key under its own label and the
 * incident's id, so it is never the dedup key, reveals nothing about it (HMAC is a PRF), is
 * the same on every node and needs no storage. The controller gets it in the kit and hashes
 * its list as matching_mac does. */
#ifndef RECOURS_CRYPTO_MATCHING_KEY_H
#define RECOURS_CRYPTO_MATCHING_KEY_H

#include <stdbool.h>
#include <stdint.h>

#include "crypto/keyed_hash.h"

/* The label of the derivation (keyed_hash's purpose); never a purpose of anything else. */
#define MATCHING_KEY_LABEL "eligibility-matching-key-v1"

/* The kinds of a list line, also keyed_hash purposes under the matching key. */
#define MATCHING_KIND_EMAIL "email"
#define MATCHING_KIND_PHONE "phone"
#define MATCHING_KIND_CODE "code"

/* keyed_hash(hmac_key, MATCHING_KEY_LABEL, decimal incident_id) into out. */
bool matching_key_derive(const uint8_t hmac_key[KEYED_HASH_KEY_LEN], int64_t incident_id,
                         uint8_t out[KEYED_HASH_KEY_LEN]);

/* A claim's keyed hashes under its incident's matching key (absent ones flagged). */
struct matching_macs {
    uint8_t email[KEYED_HASH_LEN];
    uint8_t phone[KEYED_HASH_LEN];
    uint8_t code[KEYED_HASH_LEN];
    bool has_phone;
    bool has_code;
};

/* HMAC-SHA256(key, kind || 0x00 || normal): what the controller computes per line. */
bool matching_mac(const uint8_t key[KEYED_HASH_KEY_LEN], const char *kind, const char *normal,
                  uint8_t out[KEYED_HASH_LEN]);

#endif
