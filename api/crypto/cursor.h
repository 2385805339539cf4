/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Opaque, tamper-proof pagination cursors: base64url(kind ":" position || tag) where tag is
 * the first 16 bytes of HMAC-SHA256 under the server key of kind ":" position, then, when
 * the scope is not empty, one 0x00 byte and the scope (the position holds no NUL, so the
 * split is unambiguous). A cursor made for one list (kind) is refused by another, one made
 * under a scope (the list's filters) is refused under any other, and a forged or edited one
 * is refused (400 invalid-cursor). The scope is not in the text: it is the caller's to give
 * again. */
#ifndef RECOURS_CRYPTO_CURSOR_H
#define RECOURS_CRYPTO_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CURSOR_POSITION_MAX 256
#define CURSOR_TEXT_MAX 512

/* Encodes position (≤ CURSOR_POSITION_MAX bytes, no NUL) for list kind under scope ("" for
 * none) into out (CURSOR_TEXT_MAX bytes). */
bool cursor_encode(const uint8_t key[32], const char *kind, const char *scope, const char *position,
                   char *out);

/* Decodes text made by cursor_encode for the same kind, scope and key; position_out gets
 * CURSOR_POSITION_MAX + 1 bytes. False for anything else. */
bool cursor_decode(const uint8_t key[32], const char *kind, const char *scope, const char *text,
                   char *position_out);

#endif
