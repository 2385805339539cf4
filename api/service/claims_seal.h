/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Turns a validated claim into what may be stored: keyed dedup hashes (docs/product.md
 * §3), a fresh reference and token (its keyed hash only), and the personal
 * fields sealed with AES-256-GCM under the current data key with the reference as associated
 * data (docs/product.md §5.1). */
#ifndef RECOURS_SERVICE_CLAIMS_SEAL_H
#define RECOURS_SERVICE_CLAIMS_SEAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/secrets.h"
#include "db/claims_batch.h"
#include "domain/claim.h"

struct arena;

#define CLAIM_TOKEN_LEN 43 /* base64url of 32 random bytes */

/* The three dedup keys of a claimant; has_phone/has_identity tell which exist. False if a
 * normal form cannot be made (the claimant was not validated). */
bool claims_dedup_keys(const struct secrets *s, const struct claimant *c, struct claim_row *row);

/* Fills row for a new claim: dedup keys, reference, token (into token_out, 44 bytes) and its
 * hash, pii_json sealed (arena memory), the clear columns of in. created_at is an RFC 3339
 * string. False when the CSPRNG or OpenSSL fails. */
bool claims_seal_new(const struct secrets *s, struct arena *a, int64_t incident_id,
                     const struct claim_input *in, const char *pii_json, const char *created_at,
                     struct claim_row *row, char *token_out);

/* Fills row for a correction of the claim `reference`: dedup keys, pii_json sealed again under
 * the same reference, the clear columns of in. False when pii_json is NULL or OpenSSL fails. */
bool claims_seal_correction(const struct secrets *s, struct arena *a, const char *reference,
                            const struct claim_input *in, const char *pii_json,
                            struct claim_row *row);

/* Draws a new reference for row and seals pii_json again under it (after a collision). */
bool claims_reseal_reference(const struct secrets *s, struct arena *a, const char *pii_json,
                             struct claim_row *row);

/* Seals plain[0..n) under the current data key with aad; arena memory, *len_out and
 * *key_id_out (the key used) set. */
const uint8_t *claims_seal(const struct secrets *s, struct arena *a, const char *aad,
                           size_t aad_len, const void *plain, size_t n, size_t *len_out,
                           int *key_id_out);

/* Opens a box sealed by claims_seal with key key_id; a NUL-terminated arena copy, or NULL if
 * the key is unknown or the box was tampered with. */
char *claims_open(const struct secrets *s, struct arena *a, int key_id, const char *aad,
                  size_t aad_len, const uint8_t *box, size_t box_len);

/* The associated data of the old address an address-changed outbox row carries (migration
 * 0027): the row's id and its claim's reference, so that a box moved to another row, or to
 * another claim's, does not open. Arena memory. */
const char *claims_moved_address_aad(struct arena *a, int64_t outbox_id, const char *reference);

/* Opens many boxes (an export's members): the key schedule of each data key built once, when
 * a box first needs it. One thread at a time. */
struct claims_opener;

struct claims_opener *claims_opener_new(const struct secrets *s);
/* Opens a box as claims_open does, into plain_out (box_len - PII_BOX_OVERHEAD + 1 bytes,
 * NUL-terminated): false if the key is unknown, the box was tampered with or OpenSSL fails. */
bool claims_opener_open(struct claims_opener *o, int key_id, const char *aad, size_t aad_len,
                        const uint8_t *box, size_t box_len, char *plain_out);
/* Cleanses every key schedule; accepts NULL. */
void claims_opener_free(struct claims_opener *o);

#endif
