/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Money arithmetic in int64_t minor units, every sum and product overflow-checked with 128-bit
 * intermediates, and the two decimal formats money meets on the wire: ratios printed with 6
 * decimals truncated ("0.759493", API.md §1) and cash_alternative_ratio read with at most 4
 * decimals (API.md §9). No floating point anywhere. On failure an out parameter is left
 * untouched. */
#ifndef RECOURS_DOMAIN_MONEY_H
#define RECOURS_DOMAIN_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest amount a scheme may name (API.md §9: amounts 0..10^12). */
#define MONEY_AMOUNT_MAX INT64_C(1000000000000)

/* Basis points of a ratio: 10000 = 1. */
#define MONEY_BP_ONE 10000

/* Room for any ratio_format result: sign, 19 digits, point, 6 decimals, NUL. */
#define MONEY_RATIO_LEN 32

/* *out = a + b; false (and *out untouched) when the result does not fit in int64_t. */
bool money_add(int64_t a, int64_t b, int64_t *out);

/* *out = a - b; false when the result does not fit. */
bool money_sub(int64_t a, int64_t b, int64_t *out);

/* *out = a × b; false when the result does not fit. */
bool money_mul(int64_t a, int64_t b, int64_t *out);

/* *out = the sum of the n values (0 for n = 0); false when the final sum does not fit. The
 * running sum is kept in 128 bits, so only the result has to fit. */
bool money_sum(const int64_t *values, size_t n, int64_t *out);

/* floor(a × b / d) into *q_out and the remainder a × b − q × d (in [0, d)) into *r_out (either
 * may be NULL), the product taken in 128 bits. false when d ≤ 0 or the quotient does not fit.
 * Floor, not truncation: floor(−7 × 1 / 2) = −4 remainder 1. */
bool money_muldiv(int64_t a, int64_t b, int64_t d, int64_t *q_out, int64_t *r_out);

/* num / den as a decimal string with exactly 6 decimals, truncated toward zero ("0.759493"
 * for 30000 / 39500, "1.000000", "2.500000", "-0.500000"; a value that truncates to zero is
 * "0.000000", never "-0.000000"). den = 0 writes the empty string: the caller maps it to
 * null (API.md §9: take_up_rate is null when affected_count is 0). */
void ratio_format(int64_t num, int64_t den, char out[MONEY_RATIO_LEN]);

/* Reads a cash_alternative_ratio (API.md §9: a decimal string in (0, 1], at most 4 decimals)
 * into basis points, 1..10000: "0.5" → 5000, "0.0001" → 1, "1" → 10000, "1.0000" → 10000.
 * The grammar is strict, like a JSON number without exponent or sign: an integer part "0" or
 * "1" (one digit, so no "00.5" or "01"), then optionally "." and 1 to 4 digits. Refused
 * (false, *bp_out untouched): NULL, "", "0", "0.0000", "1.0001", "2", "0.12345" (five
 * decimals, even "0.50000"), ".5", "1.", "+0.5", "-0.5", "0,5", "5e-1", " 0.5", "0.5 ". */
bool ratio_parse_4dp(const char *s, int32_t *bp_out);

#endif
