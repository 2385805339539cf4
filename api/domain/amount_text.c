/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Typed amounts to minor units (see amount_text.h). */
#include "domain/amount_text.h"

#include <string.h>

#define AMOUNT_TEXT_MAX INT64_C(1000000000000000)

size_t
amount_text_separator_len(const char *s)
{
    if (s[0] == ' ')
        return 1;
    if ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0)
        return 2;
    if ((unsigned char)s[0] == 0xe2 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0xaf)
        return 3;
    return 0;
}

bool
amount_text_parse(const char *s, int decimals, int64_t *minor_out)
{
    int64_t units = 0;
    int digits = 0, frac_digits = 0;
    bool in_fraction = false;
    size_t sep;

    while ((sep = amount_text_separator_len(s)) != 0 || *s == '\t')
        s += sep != 0 ? sep : 1;
    for (; *s != '\0'; s++) {
        if (*s >= '0' && *s <= '9') {
            if (in_fraction && ++frac_digits > decimals)
                return false;
            if (units > (AMOUNT_TEXT_MAX - 9) / 10)
                return false;
            units = units * 10 + (*s - '0');
            digits++;
        } else if ((*s == ',' || *s == '.') && !in_fraction && digits > 0 && decimals > 0) {
            in_fraction = true;
        } else if ((sep = amount_text_separator_len(s)) != 0 && !in_fraction && digits > 0 &&
                   s[sep] >= '0' && s[sep] <= '9') {
            s += sep - 1; /* a group separator between digits */
        } else {
            break;
        }
    }
    while ((sep = amount_text_separator_len(s)) != 0 || *s == '\t')
        s += sep != 0 ? sep : 1;
    if (*s != '\0' || digits == 0 || (in_fraction && frac_digits == 0))
        return false;
    for (int i = frac_digits; i < decimals; i++) {
        if (units > AMOUNT_TEXT_MAX / 10)
            return false;
        units *= 10;
    }
    *minor_out = units;
    return true;
}
