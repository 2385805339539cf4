/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The audit chain's links (docs/decisions.md, "Hardening: a keyed, append-only audit chain"):
 *   link = HMAC-SHA256(audit key, prev || canonical || digest)
 * where canonical is "seq|at|actor|action|object_type|object_id|" and the audit key is
 * derived from the hmac-key secret under its own purpose label, so the database, which never
 * sees either key, cannot recompute a link after changing a row. */
#ifndef RECOURS_CRYPTO_AUDIT_MAC_H
#define RECOURS_CRYPTO_AUDIT_MAC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AUDIT_MAC_KEY_LEN 32
#define AUDIT_MAC_LEN 32

/* The purpose label of the derivation: audit key = HMAC-SHA256(hmac-key, "audit-chain" 0x00),
 * i.e. keyed_hash(hmac-key, "audit-chain", ""); no other keyed hash uses this label. */
#define AUDIT_MAC_PURPOSE "audit-chain"

/* Derives the audit key from the hmac-key secret; false (out zeroed) if OpenSSL fails. */
bool audit_mac_key_derive(const uint8_t hmac_key[AUDIT_MAC_KEY_LEN],
                          uint8_t key_out[AUDIT_MAC_KEY_LEN]);

/* The link over prev (32 bytes, zeros before the first event), canonical[0..len) and digest
 * (32 bytes) into out; false (out zeroed) if OpenSSL fails. */
bool audit_mac_link(const uint8_t key[AUDIT_MAC_KEY_LEN], const uint8_t prev[AUDIT_MAC_LEN],
                    const char *canonical, size_t canonical_len, const uint8_t digest[32],
                    uint8_t out[AUDIT_MAC_LEN]);

#endif
