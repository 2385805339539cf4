/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Overflow-checked money arithmetic and ratio strings (see money.h). Every intermediate is a
 * 128-bit integer: the product of two int64_t values always fits in one. */
#include "domain/money.h"

#include <stdio.h>
#include <string.h>

typedef money_wide i128;

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

bool
money_wide_add_scaled(money_wide *sum, int64_t part, int64_t n)
{
    i128 v, r;

    /* int64 × int64 always fits in 128 bits; only the sum can overflow */
    v = (i128)part * n;
    if (__builtin_add_overflow(*sum, v, &r))
        return false;
    *sum = r;
    return true;
}

bool
money_wide_muldiv(int64_t a, int64_t b, money_wide d, int64_t *q_out, money_wide *r_out)
{
    if (a < 0 || b < 0 || d <= 0)
        return false;
    i128 p = (i128)a * b;
    i128 q = p / d;

    if (q > INT64_MAX)
        return false;
    *q_out = (int64_t)q;
    *r_out = p % d;
    return true;
}

bool
money_wide_scale(money_wide t, int64_t k, int64_t d, money_wide *out)
{
    i128 whole, part;

    if (t < 0 || k < 0 || d <= 0)
        return false;
    /* t = q·d + r: t·k/d = q·k + r·k/d, and r·k < 2^63 · 2^63 fits */
    if (__builtin_mul_overflow(t / d, (i128)k, &whole))
        return false;
    part = (t % d) * k / d;
    if (__builtin_add_overflow(whole, part, &whole))
        return false;
    *out = whole;
    return true;
}

/* |v|'s digits, most significant first, into out (at least 40 bytes); returns their count. */
static size_t
magnitude_digits(i128 v, char *out)
{
    char rev[40];
    size_t n = 0;
    /* negate digit by digit so that the most negative value needs no positive twin */
    do {
        int d = (int)(v % 10);
        rev[n++] = (char)('0' + (d < 0 ? -d : d));
        v /= 10;
    } while (v != 0);
    for (size_t i = 0; i < n; i++)
        out[i] = rev[n - 1 - i];
    out[n] = '\0';
    return n;
}

void
money_wide_format(money_wide v, char out[MONEY_WIDE_LEN])
{
    size_t at = 0;

    if (v < 0)
        out[at++] = '-';
    magnitude_digits(v, out + at);
}

void
ratio_format_wide(money_wide num, money_wide den, char out[MONEY_RATIO_LEN])
{
    const i128 limit = (i128)1 << 107;

    out[0] = '\0';
    if (den == 0 || num <= -limit || num >= limit || den <= -((i128)1 << 126))
        return;
    /* truncation toward zero on magnitudes */
    i128 n = num, d = den;
    bool negative = (n < 0) != (d < 0);
    if (n < 0)
        n = -n;
    if (d < 0)
        d = -d;
    i128 scaled = n * 1000000 / d;
    if (scaled == 0)
        negative = false;
    char whole[41];
    magnitude_digits(scaled / 1000000, whole);
    snprintf(out, MONEY_RATIO_LEN, "%s%s.%06lu", negative ? "-" : "", whole,
             (unsigned long)(scaled % 1000000));
}

void
ratio_format(int64_t num, int64_t den, char out[MONEY_RATIO_LEN])
{
    ratio_format_wide(num, den, out);
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
