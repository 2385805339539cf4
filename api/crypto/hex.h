/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Decoding of lower-case hex, the form hex_encode (crypto/sha256.h) writes; key files use it. */
#ifndef RECOURS_CRYPTO_HEX_H
#define RECOURS_CRYPTO_HEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes hex[0..hex_len) into out[0..out_len). True only when hex_len is exactly 2 * out_len
 * and every character is 0-9 or a-f (upper case is refused: one canonical form). Runs in time
 * independent of the digits, since it decodes keys. On failure out is zeroed. */
bool hex_decode(const char *hex, size_t hex_len, uint8_t *out, size_t out_len);

#endif
