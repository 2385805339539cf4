/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Fuzz target: pagination cursors (crypto/cursor). The bytes are tried twice:
 *  - as a cursor text a client sent: cursor_decode must refuse it or, if it ever accepts,
 *    give a position that encodes back to exactly that text (one text per position);
 *  - as a position: cursor_encode must succeed within CURSOR_POSITION_MAX, its text must
 *    decode to the same position under the same kind, and be refused under another kind,
 *    another key, or with any one character changed (the tag covers every bit). */
#include <stdbool.h>
#include <string.h>

#include "crypto/cursor.h"

#include "fuzz_input.h"

static const uint8_t key[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16,
                                17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
static const uint8_t other_key[32] = {32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22,
                                      21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11,
                                      10, 9,  8,  7,  6,  5,  4,  3,  2,  1};

static void
check_as_text(const char *text)
{
    char position[CURSOR_POSITION_MAX + 1];
    char again[CURSOR_TEXT_MAX];

    if (!cursor_decode(key, "members", "", text, position))
        return;
    FUZZ_CHECK(strlen(position) <= CURSOR_POSITION_MAX);
    FUZZ_CHECK(cursor_encode(key, "members", "", position, again));
    FUZZ_CHECK(strcmp(again, text) == 0);
}

static void
check_as_position(const char *position, size_t size)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char text[CURSOR_TEXT_MAX];
    char back[CURSOR_POSITION_MAX + 1];
    size_t pl = strlen(position);

    if (!cursor_encode(key, "members", "", position, text)) {
        FUZZ_CHECK(pl > CURSOR_POSITION_MAX);
        return;
    }
    FUZZ_CHECK(pl <= CURSOR_POSITION_MAX);
    size_t tl = strlen(text);
    FUZZ_CHECK(tl > 0 && tl < CURSOR_TEXT_MAX && strspn(text, alphabet) == tl);
    FUZZ_CHECK(cursor_decode(key, "members", "", text, back) && strcmp(back, position) == 0);
    FUZZ_CHECK(!cursor_decode(key, "audit", "", text, back));
    FUZZ_CHECK(!cursor_decode(other_key, "members", "", text, back));
    FUZZ_CHECK(!cursor_decode(key, "members", "status=verified", text, back));
    /* one character changed, where and to what the input says */
    size_t at = size % tl;
    char was = text[at];
    text[at] = alphabet[((size_t)(strchr(alphabet, was) - alphabet) + 1 + size % 63) % 64];
    FUZZ_CHECK(text[at] != was);
    FUZZ_CHECK(!cursor_decode(key, "members", "", text, back));
    text[at] = was;
    /* and cut short */
    text[tl - 1] = '\0';
    FUZZ_CHECK(!cursor_decode(key, "members", "", text, back));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_strndup(data, size);

    check_as_text(s);
    check_as_position(s, size);
    free(s);
    return 0;
}
