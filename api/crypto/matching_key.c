/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "crypto/matching_key.h"

#include <inttypes.h>
#include <stdio.h>

bool
matching_key_derive(const uint8_t hmac_key[KEYED_HASH_KEY_LEN], int64_t incident_id,
                    uint8_t out[KEYED_HASH_KEY_LEN])
{
    char id[24];

    snprintf(id, sizeof id, "%" PRId64, incident_id);
    return keyed_hash(hmac_key, MATCHING_KEY_LABEL, id, out);
}

bool
matching_mac(const uint8_t key[KEYED_HASH_KEY_LEN], const char *kind, const char *normal,
             uint8_t out[KEYED_HASH_LEN])
{
    return keyed_hash(key, kind, normal, out);
}
