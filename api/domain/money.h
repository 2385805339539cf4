/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Money arithmetic in int64_t minor units, every sum and product overflow-checked with 128-bit
 * intermediates, and the two decimal formats money meets on the wire: ratios printed with 6
 * decimals truncated ("0.759493", docs/api.md §8.2) and cash_alternative_ratio read with at most 4
 * decimals (docs/api.md §8.2). No floating point anywhere. On failure an out parameter is left
 * untouched. */
#ifndef RECOURS_DOMAIN_MONEY_H
#define RECOURS_DOMAIN_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest amount a scheme may name (docs/api.md §8.1: amounts 0..10^12). */
#define MONEY_AMOUNT_MAX INT64_C(1000000000000)

/* Basis points of a ratio: 10000 = 1. */
#define MONEY_BP_ONE 10000

/* Room for any ratio_format result: sign, up to 40 digits, point, 6 decimals, NUL. */
#define MONEY_RATIO_LEN 56

/* A money figure summed over many claims or scaled by affected_count (totals, components,
 * voucher totals, projections): 128 bits, so that every figure a validated scheme can give is
 * exact. One award is at most ~1.014 × 10^15 < 2^50 (domain/scheme.h), claims number fewer
 * than 2^63 and affected_count is at most 10^10 < 2^34: every sum, product and projection
 * stays below 2^114, far inside 2^127. docs/decisions.md "Figures beyond 64 bits". */
__extension__ typedef __int128 money_wide;

/* Room for money_wide_format: sign, 39 digits, NUL. */
#define MONEY_WIDE_LEN 42

/* The largest integer every JSON reader keeps exactly (RFC 7493 §2.2, I-JSON: 2^53 − 1). */
#define MONEY_JSON_EXACT_MAX INT64_C(9007199254740991)

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

/* *sum += part × n, in 128 bits; false (and *sum untouched) when that does not fit. */
bool money_wide_add_scaled(money_wide *sum, int64_t part, int64_t n);

/* For a ≥ 0, b ≥ 0 and d > 0: *q_out = floor(a × b / d) and *r_out = a × b mod d, the
 * product taken in 128 bits; false when an argument is out of that domain or q does not fit
 * in int64_t (never when a × b / d ≤ a, as for an award scaled by cap / T with cap < T). */
bool money_wide_muldiv(int64_t a, int64_t b, money_wide d, int64_t *q_out, money_wide *r_out);

/* floor(t × k / d) for t ≥ 0, k ≥ 0, d > 0 into *out, computed as (t / d) × k + (t mod d) × k
 * / d so that the intermediate stays small; false when an argument is negative, d ≤ 0 or the
 * result does not fit in 128 bits. */
bool money_wide_scale(money_wide t, int64_t k, int64_t d, money_wide *out);

/* v in decimal: "-12", "10000000000000000000000". */
void money_wide_format(money_wide v, char out[MONEY_WIDE_LEN]);

/* ratio_format for 128-bit operands (a pro-rata factor whose total exceeds 64 bits); the
 * same text as ratio_format when both fit in int64_t. |num| must be below 2^107 (so that
 * num × 10^6 fits); larger writes the empty string. */
void ratio_format_wide(money_wide num, money_wide den, char out[MONEY_RATIO_LEN]);

/* num / den as a decimal string with exactly 6 decimals, truncated toward zero ("0.759493"
 * for 30000 / 39500, "1.000000", "2.500000", "-0.500000"; a value that truncates to zero is
 * "0.000000", never "-0.000000"). den = 0 writes the empty string: the caller maps it to
 * null (docs/api.md §11.4: take_up_rate is null when affected_count is 0). */
void ratio_format(int64_t num, int64_t den, char out[MONEY_RATIO_LEN]);

/* Reads a cash_alternative_ratio (docs/api.md §8.2: a decimal string in (0, 1], at most 4 decimals)
 * into basis points, 1..10000: "0.5" → 5000, "0.0001" → 1, "1" → 10000, "1.0000" → 10000.
 * The grammar is strict, like a JSON number without exponent or sign: an integer part "0" or
 * "1" (one digit, so no "00.5" or "01"), then optionally "." and 1 to 4 digits. Refused
 * (false, *bp_out untouched): NULL, "", "0", "0.0000", "1.0001", "2", "0.12345" (five
 * decimals, even "0.50000"), ".5", "1.", "+0.5", "-0.5", "0,5", "5e-1", " 0.5", "0.5 ". */
bool ratio_parse_4dp(const char *s, int32_t *bp_out);

#endif
