/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Amounts as people type them in a form ("120", "120,50", "1 200.5", "1 200,50 ") read into
 * integer minor units of a currency of `decimals` decimals (domain/currency.h
 * currency_exponent). No floating point. */
#ifndef RECOURS_DOMAIN_AMOUNT_TEXT_H
#define RECOURS_DOMAIN_AMOUNT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Reads s: digits, optionally grouped by spaces (U+0020, U+00A0, U+202F) and followed by one
 * ',' or '.' and at most `decimals` digits; blanks around are ignored. False for anything else
 * or for a value above 10^15 minor units; *minor_out is untouched then. */
bool amount_text_parse(const char *s, int decimals, int64_t *minor_out);

/* The length of a group separator at s (U+0020, U+00A0 or U+202F in UTF-8), else 0. */
size_t amount_text_separator_len(const char *s);

#endif
