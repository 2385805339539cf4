/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Lower-case hex to bytes without branching on the digits: secret keys pass through here. */
#include "crypto/hex.h"

#include <openssl/crypto.h>

/* Value of one lower-case hex digit, or -1. Each mask is all ones when c lies in its range
 * (both differences negative) and zero otherwise, so no branch or table lookup depends on c. */
static int
nibble(unsigned char ch)
{
    int c = ch;
    int is_digit = ((0x2f - c) & (c - 0x3a)) >> 8;
    int is_lower = ((0x60 - c) & (c - 0x67)) >> 8;

    return (is_digit & (c - '0')) | (is_lower & (c - 'a' + 10)) | ~(is_digit | is_lower);
}

bool
hex_decode(const char *hex, size_t hex_len, uint8_t *out, size_t out_len)
{
    int bad = 0;

    if (hex_len != 2 * out_len || hex_len / 2 != out_len)
        return false;
    for (size_t i = 0; i < out_len; i++) {
        int hi = nibble((unsigned char)hex[2 * i]);
        int lo = nibble((unsigned char)hex[2 * i + 1]);

        bad |= hi | lo;
        out[i] = (uint8_t)((unsigned)hi << 4 | (unsigned)lo);
    }
    if (bad < 0) {
        OPENSSL_cleanse(out, out_len);
        return false;
    }
    return true;
}
