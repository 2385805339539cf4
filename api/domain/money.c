/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Overflow-checked money arithmetic and ratio strings (see money.h). Every intermediate is a
 * 128-bit integer: the product of two int64_t values always fits in one. */
#include "domain/money.h"

#include <stdio.h>
#include <string.h>

__extension__ typedef __int128 i128;

static bool
fits(i128 v)
{
    return v >= INT64_MIN && v <= INT64_MAX;
}

bool
money_add(int64_t a, int64_t b, int64_t *out)
{
    i128 v = (i128)a + b;

    if (!fits(v))
        return false;
    *out = (int64_t)v;
    return true;
}

bool
money_sub(int64_t a, int64_t b, int64_t *out)
{
    i128 v = (i128)a - b;

    if (!fits(v))
        return false;
    *out = (int64_t)v;
    return true;
}

bool
money_mul(int64_t a, int64_t b, int64_t *out)
{
    i128 v = (i128)a * b;

    if (!fits(v))
        return false;
    *out = (int64_t)v;
    return true;
}

bool
money_sum(const int64_t *values, size_t n, int64_t *out)
{
    /* 2^64 terms of at most 2^63 each cannot overflow 2^127 before size_t runs out. */
    i128 v = 0;

    for (size_t i = 0; i < n; i++)
        v += values[i];
    if (!fits(v))
        return false;
    *out = (int64_t)v;
    return true;
}

bool
money_muldiv(int64_t a, int64_t b, int64_t d, int64_t *q_out, int64_t *r_out)
{
    if (d <= 0)
        return false;
    i128 p = (i128)a * b;
    i128 q = p / d;
    i128 r = p % d;

    /* C division truncates toward zero; money wants the floor. */
    if (r < 0) {
        q -= 1;
        r += d;
    }
    if (!fits(q))
        return false;
    if (q_out != NULL)
        *q_out = (int64_t)q;
    if (r_out != NULL)
        *r_out = (int64_t)r;
    return true;
}

void
ratio_format(int64_t num, int64_t den, char out[MONEY_RATIO_LEN])
{
    if (den == 0) {
        out[0] = '\0';
        return;
    }
    /* |num| × 10^6 < 2^63 × 2^20 fits in 128 bits; truncation toward zero on magnitudes. */
    i128 n = num, d = den;
    bool negative = (n < 0) != (d < 0);
    if (n < 0)
        n = -n;
    if (d < 0)
        d = -d;
    i128 scaled = n * 1000000 / d;
    if (scaled == 0)
        negative = false;
    /* The integer part is at most |INT64_MIN| = 2^63, which fits in unsigned long long. */
    unsigned long long whole = (unsigned long long)(scaled / 1000000);
    unsigned long frac = (unsigned long)(scaled % 1000000);
    snprintf(out, MONEY_RATIO_LEN, "%s%llu.%06lu", negative ? "-" : "", whole, frac);
}

bool
ratio_parse_4dp(const char *s, int32_t *bp_out)
{
    int32_t bp;
    int32_t scale = MONEY_BP_ONE / 10;

    if (s == NULL || (s[0] != '0' && s[0] != '1'))
        return false;
    bp = (s[0] - '0') * MONEY_BP_ONE;
    s++;
    if (*s == '.') {
        s++;
        if (*s == '\0')
            return false; /* "1." */
        for (; *s >= '0' && *s <= '9'; s++) {
            if (scale == 0)
                return false; /* a fifth decimal */
            bp += (*s - '0') * scale;
            scale /= 10;
        }
    }
    if (*s != '\0' || bp <= 0 || bp > MONEY_BP_ONE)
        return false;
    *bp_out = bp;
    return true;
}
