/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Cursor codec (see cursor.h). The tag is compared in constant time. */
#include "crypto/cursor.h"

#include <openssl/crypto.h>
#include <string.h>

#include "crypto/keyed_hash.h"
#include "crypto/random.h"

#define TAG_LEN 16

/* An empty scope adds nothing: a list without filters keeps the cursors it made before
 * scopes existed. */
static bool
tag_of(const uint8_t key[32], const uint8_t *msg, size_t n, const char *scope,
       uint8_t tag[KEYED_HASH_LEN])
{
    const struct hmac_part parts[] = {{msg, n}, {"", 1}, {scope, strlen(scope)}};

    return hmac_sha256(key, parts, scope[0] != '\0' ? 3 : 1, tag);
}

bool
cursor_encode(const uint8_t key[32], const char *kind, const char *scope, const char *position,
              char *out)
{
    uint8_t msg[CURSOR_POSITION_MAX + 64 + TAG_LEN];
    uint8_t tag[KEYED_HASH_LEN];
    size_t kl = strlen(kind);
    size_t pl = strlen(position);

    if (kl > 63 || pl > CURSOR_POSITION_MAX)
        return false;
    memcpy(msg, kind, kl);
    msg[kl] = ':';
    memcpy(msg + kl + 1, position, pl);
    size_t n = kl + 1 + pl;
    if (!tag_of(key, msg, n, scope, tag))
        return false;
    memcpy(msg + n, tag, TAG_LEN);
    if (base64url_len(n + TAG_LEN) >= CURSOR_TEXT_MAX)
        return false;
    base64url_encode(msg, n + TAG_LEN, out);
    return true;
}

bool
cursor_decode(const uint8_t key[32], const char *kind, const char *scope, const char *text,
              char *position_out)
{
    uint8_t msg[CURSOR_POSITION_MAX + 64 + TAG_LEN];
    uint8_t tag[KEYED_HASH_LEN];
    size_t n = 0;
    size_t kl = strlen(kind);

    if (strlen(text) >= CURSOR_TEXT_MAX || !base64url_decode(text, msg, sizeof msg, &n))
        return false;
    if (n < kl + 1 + TAG_LEN)
        return false;
    size_t body = n - TAG_LEN;
    if (!tag_of(key, msg, body, scope, tag) || CRYPTO_memcmp(tag, msg + body, TAG_LEN) != 0)
        return false;
    if (memcmp(msg, kind, kl) != 0 || msg[kl] != ':')
        return false;
    size_t pl = body - kl - 1;
    if (pl > CURSOR_POSITION_MAX || memchr(msg + kl + 1, '\0', pl) != NULL)
        return false;
    memcpy(position_out, msg + kl + 1, pl);
    position_out[pl] = '\0';
    return true;
}
