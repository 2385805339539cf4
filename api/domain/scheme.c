/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Validation of a compensation scheme (see scheme.h): every error at once, at wire paths. */
#include "domain/scheme.h"

#include <stdio.h>
#include <string.h>

#include "domain/currency.h"
#include "domain/money.h"

/* Appends and remembers that this validation found something (e may be full or already hold
 * the handler's errors, so its count proves nothing). */
static void
add(struct errors *e, bool *bad, const char *field, const char *code, const char *message)
{
    errors_add(e, field, code, message);
    *bad = true;
}

static bool
amount_ok(int64_t v)
{
    return v >= 0 && v <= MONEY_AMOUNT_MAX;
}

static void
check_amount(struct errors *e, bool *bad, const char *field, int64_t v)
{
    if (!amount_ok(v))
        add(e, bad, field, "out-of-range", "must be an integer from 0 to 10^12 minor units");
}

static void
check_currency(const struct scheme *s, const char *incident_currency, struct errors *e,
               bool *bad)
{
    bool terminated = memchr(s->currency, '\0', sizeof s->currency) != NULL;

    if (incident_currency != NULL && (!terminated || strcmp(s->currency, incident_currency) != 0))
        add(e, bad, "currency", "mismatch", "must be the incident's currency");
    else if (!terminated || currency_exponent(s->currency) < 0)
        add(e, bad, "currency", "invalid-value", "must be an active ISO 4217 code");
}

static void
check_components(const struct scheme *s, struct errors *e, bool *bad)
{
    char field[ERRORS_FIELD_MAX];

    check_amount(e, bad, "base_amount", s->base_amount);
    for (int i = 0; i < DATA_CATEGORY_COUNT; i++) {
        if (!s->has_supplement[i])
            continue;
        snprintf(field, sizeof field, "category_supplements.%s", data_categories[i]);
        check_amount(e, bad, field, s->supplement[i]);
    }
    check_amount(e, bad, "documented_loss.cap_per_claimant", s->loss_cap);
    check_amount(e, bad, "time_spent.hourly_rate", s->hourly_rate);
    if (s->max_hours < 0 || s->max_hours > SCHEME_MAX_HOURS_MAX)
        add(e, bad, "time_spent.max_hours", "out-of-range", "must be an integer from 0 to 1000");
    if (s->has_fund_cap && (s->fund_cap < 1 || s->fund_cap > MONEY_AMOUNT_MAX))
        add(e, bad, "fund_cap", "out-of-range", "must be null or from 1 to 10^12 minor units");
}

/* Names: present, bounded, unique. Returns whether every amount is in range. */
static bool
check_voucher_items(const struct scheme *s, struct errors *e, bool *bad)
{
    char field[ERRORS_FIELD_MAX];
    bool amounts_ok = true;

    for (size_t i = 0; i < s->n_vouchers; i++) {
        const struct scheme_voucher *v = &s->vouchers[i];
        bool terminated = memchr(v->name, '\0', sizeof v->name) != NULL;

        snprintf(field, sizeof field, "vouchers[%zu].name", i);
        if (!terminated) {
            add(e, bad, field, "too-long", "must be at most 100 bytes");
        } else if (v->name[0] == '\0') {
            add(e, bad, field, "too-short", "must not be empty");
        } else {
            for (size_t j = 0; j < i; j++) {
                if (memchr(s->vouchers[j].name, '\0', sizeof v->name) != NULL &&
                    strcmp(s->vouchers[j].name, v->name) == 0) {
                    add(e, bad, field, "duplicate-value", "voucher names must be unique");
                    break;
                }
            }
        }
        snprintf(field, sizeof field, "vouchers[%zu].amount", i);
        if (!amount_ok(v->amount)) {
            check_amount(e, bad, field, v->amount);
            amounts_ok = false;
        }
    }
    return amounts_ok;
}

static void
check_vouchers(const struct scheme *s, struct errors *e, bool *bad)
{
    int64_t sum = 0;

    if (s->n_vouchers > SCHEME_VOUCHERS_MAX) {
        add(e, bad, "vouchers", "too-long", "at most 16 vouchers");
        return;
    }
    if (!check_voucher_items(s, e, bad) || s->n_vouchers == 0 || !amount_ok(s->base_amount))
        return;
    /* 16 amounts of at most 10^12 cannot overflow. */
    for (size_t i = 0; i < s->n_vouchers; i++)
        sum += s->vouchers[i].amount;
    if (sum != s->base_amount)
        add(e, bad, "vouchers", "sum-mismatch", "voucher amounts must add up to base_amount");
}

bool
scheme_validate(const struct scheme *s, const char *incident_currency, struct errors *e)
{
    bool bad = false;

    check_currency(s, incident_currency, e, &bad);
    check_components(s, e, &bad);
    check_vouchers(s, e, &bad);
    if (s->has_cash_ratio && (s->cash_ratio_bp < 1 || s->cash_ratio_bp > MONEY_BP_ONE))
        add(e, &bad, "cash_alternative_ratio", "out-of-range", "must be null or in (0, 1]");
    return !bad;
}
