/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A compensation scheme (docs/product.md §6, docs/api.md §11) as a plain C struct, and its
 * validation. The handler maps the JSON body into the struct (parsing, types, unknown keys,
 * supplement keys from the vocabulary, cash_alternative_ratio through ratio_parse_4dp); this
 * module checks what the values mean. A struct that passed scheme_validate keeps every award
 * below 1.1 × 10^15 minor units, so award arithmetic cannot overflow for one claim. */
#ifndef RECOURS_DOMAIN_SCHEME_H
#define RECOURS_DOMAIN_SCHEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/errors.h"
#include "domain/vocab.h"

#define SCHEME_VOUCHERS_MAX 16
#define SCHEME_VOUCHER_NAME_MAX 100 /* characters (code points), as the schema's maxLength */
#define SCHEME_MAX_HOURS_MAX 1000   /* as harms.hours_spent (docs/api.md §9.1) */

struct scheme_voucher {
    char name[SCHEME_VOUCHER_NAME_MAX * 4 + 1]; /* NUL-terminated UTF-8, 4 bytes a character */
    int64_t amount;                         /* minor units */
};

struct scheme {
    char currency[4]; /* ISO 4217, upper case */
    int64_t base_amount;
    /* category_supplements, indexed like data_categories[]: a key the scheme names has
     * has_supplement set (its amount may be 0); other categories add nothing. */
    bool has_supplement[DATA_CATEGORY_COUNT];
    int64_t supplement[DATA_CATEGORY_COUNT];
    bool reimburse;    /* documented_loss.reimburse */
    int64_t loss_cap;  /* documented_loss.cap_per_claimant */
    int64_t hourly_rate;
    int64_t max_hours;
    bool has_fund_cap; /* fund_cap null → false */
    int64_t fund_cap;
    struct scheme_voucher vouchers[SCHEME_VOUCHERS_MAX];
    size_t n_vouchers;
    bool has_cash_ratio;   /* cash_alternative_ratio null → false */
    int32_t cash_ratio_bp; /* basis points, 1..10000 (ratio_parse_4dp) */
};

/* Checks s against docs/api.md §11.1 and appends one error per problem to e (every problem at once,
 * in member order), at the wire's field paths:
 *   currency                    invalid-value  not an active ISO 4217 code (currency_exponent)
 *   currency                    mismatch       differs from incident_currency (skipped when
 *                                              incident_currency is NULL)
 *   base_amount                 out-of-range   outside 0..10^12
 *   category_supplements.<key>  out-of-range   outside 0..10^12 (named keys only)
 *   documented_loss.cap_per_claimant  out-of-range  outside 0..10^12 (checked even when
 *                                              reimburse is false: the member is required)
 *   time_spent.hourly_rate      out-of-range   outside 0..10^12
 *   time_spent.max_hours        out-of-range   outside 0..1000 (hours_spent never exceeds
 *                                              1000, so a larger bound would mean nothing)
 *   fund_cap                    out-of-range   set and not in 1..10^12
 *   vouchers                    too-long       more than 16 (the handler should refuse them
 *                                              before filling the struct)
 *   vouchers[i].name            too-short      empty
 *   vouchers[i].name            too-long       no NUL within 101 bytes
 *   vouchers[i].name            duplicate-value  same bytes as an earlier voucher's name
 *                                              (byte comparison: "Bon" and "bon" differ)
 *   vouchers[i].amount          out-of-range   outside 0..10^12
 *   vouchers                    sum-mismatch   amounts do not add up to base_amount (only
 *                                              when every amount and base_amount are in
 *                                              range, so one mistake gives one error)
 *   cash_alternative_ratio      out-of-range   set and not in 1..10000 basis points
 * A ratio without vouchers is accepted and has no effect (docs/api.md §11.2: it applies "when
 * vouchers exist"). Returns true when it appended nothing; e may already hold the handler's
 * own errors. */
bool scheme_validate(const struct scheme *s, const char *incident_currency, struct errors *e);

#endif
