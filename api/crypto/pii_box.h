/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Authenticated encryption of personal fields at rest (docs/product.md §5.1): AES-256-GCM,
 * a box being nonce || ciphertext || tag.
 * Invariants: every seal draws a fresh random 96-bit nonce, so one key must seal fewer than
 * 2^32 boxes (NIST SP 800-38D §8.3) before it is rotated; a box opens only under the key and
 * the associated data it was sealed with, unmodified and whole. */
#ifndef RECOURS_CRYPTO_PII_BOX_H
#define RECOURS_CRYPTO_PII_BOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PII_BOX_KEY_LEN 32
#define PII_BOX_NONCE 12
#define PII_BOX_TAG 16
#define PII_BOX_OVERHEAD (PII_BOX_NONCE + PII_BOX_TAG) /* 28 */

/* Seals plain[0..n) into out, which holds n + PII_BOX_OVERHEAD bytes and must not overlap
 * plain. aad (may be NULL when aad_len is 0) is authenticated, not stored: bind the box to
 * where it lives (table, column, row id, key id) so it cannot be moved to another row. n may
 * be 0. False, with out untouched, if n or aad_len exceed INT_MAX; false, with out zeroed, if
 * the CSPRNG or OpenSSL fails. */
bool pii_box_seal(const uint8_t key[PII_BOX_KEY_LEN], const void *aad, size_t aad_len,
                  const void *plain, size_t n, uint8_t *out);

/* Opens box[0..box_len) into plain_out (box_len - PII_BOX_OVERHEAD bytes, not overlapping
 * box; may be NULL for an empty plaintext). False when the box is shorter than the overhead
 * (plain_out untouched) or its tag does not verify under key and aad (plain_out zeroed): any
 * changed, cut or appended byte, another key or other associated data. */
bool pii_box_open(const uint8_t key[PII_BOX_KEY_LEN], const void *aad, size_t aad_len,
                  const uint8_t *box, size_t box_len, uint8_t *plain_out);

/* An opener keeps one key's AES schedule for many boxes (an export opens a million): each
 * open then only sets the box's nonce, instead of building a cipher context and its key
 * schedule per box. Same result and failures as pii_box_open. One thread at a time. */
struct pii_box_opener;

/* NULL when OpenSSL fails; the key is copied into OpenSSL's schedule only. */
struct pii_box_opener *pii_box_opener_new(const uint8_t key[PII_BOX_KEY_LEN]);
bool pii_box_opener_open(struct pii_box_opener *o, const void *aad, size_t aad_len,
                         const uint8_t *box, size_t box_len, uint8_t *plain_out);
/* Cleanses the key schedule; accepts NULL. */
void pii_box_opener_free(struct pii_box_opener *o);

#endif
