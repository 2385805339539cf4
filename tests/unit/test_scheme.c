/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* domain/scheme: presets and the worked example validate; every rule of docs/api.md §11.1 gives its
 * code at its wire path, all errors at once, edges included (0 and 10^12 in, −1 and 10^12 + 1
 * out). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/scheme.h"
#include "domain/money.h"

static void
set_voucher(struct scheme *s, const char *name, int64_t amount)
{
    struct scheme_voucher *v = &s->vouchers[s->n_vouchers++];

    snprintf(v->name, sizeof v->name, "%s", name);
    v->amount = amount;
}

static void
set_supplement(struct scheme *s, const char *category, int64_t amount)
{
    int i = data_category_index(category);

    assert_true(i >= 0);
    s->has_supplement[i] = true;
    s->supplement[i] = amount;
}

/* The worked example's scheme (EUR, docs/api.md §11.8). */
static struct scheme
spec_example(void)
{
    struct scheme s = {0};

    memcpy(s.currency, "EUR", 4);
    s.base_amount = 3000;
    set_supplement(&s, "password", 1000);
    set_supplement(&s, "financial", 5000);
    set_supplement(&s, "national_id", 5000);
    set_supplement(&s, "health", 10000);
    s.reimburse = true;
    s.loss_cap = 500000;
    s.hourly_rate = 2500;
    s.max_hours = 20;
    set_voucher(&s, "Bon achat", 2000);
    set_voucher(&s, "Bon voyage", 1000);
    return s;
}

static struct scheme
coupang(void)
{
    struct scheme s = {0};

    memcpy(s.currency, "KRW", 4);
    s.base_amount = 50000;
    set_voucher(&s, "Coupang", 5000);
    set_voucher(&s, "Coupang Eats", 5000);
    set_voucher(&s, "Coupang Travel", 20000);
    set_voucher(&s, "R.LUX", 20000);
    return s;
}

/* Asserts that validation fails with exactly the listed (field, code) pairs, in order. */
static void
expect_errors(const struct scheme *s, const char *incident_currency, const char *const *pairs,
              int n)
{
    struct errors e = {0};

    assert_false(scheme_validate(s, incident_currency, &e));
    for (int i = 0; i < e.n && i < n; i++) {
        if (strcmp(e.items[i].field, pairs[2 * i]) != 0 ||
            strcmp(e.items[i].code, pairs[2 * i + 1]) != 0)
            fail_msg("error %d: got %s %s, want %s %s", i, e.items[i].field, e.items[i].code,
                     pairs[2 * i], pairs[2 * i + 1]);
        assert_true(e.items[i].message != NULL && e.items[i].message[0] != '\0');
    }
    assert_int_equal(e.n, n);
}

static void
test_valid(void **state)
{
    struct errors e = {0};
    struct scheme s = spec_example();

    (void)state;
    assert_true(scheme_validate(&s, "EUR", &e));
    s.has_fund_cap = true;
    s.fund_cap = 30000;
    s.has_cash_ratio = true;
    s.cash_ratio_bp = 5000;
    assert_true(scheme_validate(&s, "EUR", &e));
    assert_true(scheme_validate(&s, NULL, &e)); /* no incident to compare with */
    s = coupang();
    assert_true(scheme_validate(&s, "KRW", &e));
    assert_int_equal(e.n, 0);

    /* the edges: 0 and 10^12 everywhere, max_hours 1000, fund_cap 1, ratio 1 bp and 1 */
    struct scheme z = {0};
    memcpy(z.currency, "JPY", 4);
    z.base_amount = 0;
    set_supplement(&z, "biometric", 0);
    z.hourly_rate = MONEY_AMOUNT_MAX;
    z.max_hours = SCHEME_MAX_HOURS_MAX;
    z.loss_cap = MONEY_AMOUNT_MAX;
    z.has_fund_cap = true;
    z.fund_cap = 1;
    z.has_cash_ratio = true;
    z.cash_ratio_bp = 1; /* without vouchers: accepted, no effect */
    assert_true(scheme_validate(&z, "JPY", &e));
    z.fund_cap = MONEY_AMOUNT_MAX;
    z.cash_ratio_bp = MONEY_BP_ONE;
    z.base_amount = MONEY_AMOUNT_MAX;
    set_voucher(&z, "all", MONEY_AMOUNT_MAX);
    assert_true(scheme_validate(&z, "JPY", &e));
    /* sixteen vouchers, a 100-byte name, zero amounts summing to a zero base */
    struct scheme m = spec_example();
    m.n_vouchers = 0;
    m.base_amount = 0;
    for (int i = 0; i < SCHEME_VOUCHERS_MAX; i++) {
        char name[16];
        snprintf(name, sizeof name, "v%d", i);
        set_voucher(&m, name, 0);
    }
    memset(m.vouchers[3].name, 'x', SCHEME_VOUCHER_NAME_MAX);
    m.vouchers[3].name[SCHEME_VOUCHER_NAME_MAX] = '\0';
    assert_true(scheme_validate(&m, "EUR", &e));
    assert_int_equal(e.n, 0);
}

static void
test_currency(void **state)
{
    struct scheme s = spec_example();
    static const char *const mismatch[] = {"currency", "mismatch"};
    static const char *const invalid[] = {"currency", "invalid-value"};

    (void)state;
    expect_errors(&s, "USD", mismatch, 1);
    memcpy(s.currency, "eur", 4);
    expect_errors(&s, "EUR", mismatch, 1);
    expect_errors(&s, NULL, invalid, 1);
    memcpy(s.currency, "XYZ", 4);
    expect_errors(&s, NULL, invalid, 1);
    memcpy(s.currency, "EURO", 4); /* not terminated */
    expect_errors(&s, "EUR", mismatch, 1);
    expect_errors(&s, NULL, invalid, 1);
}

static void
test_amounts_out_of_range(void **state)
{
    struct scheme s = spec_example();
    static const char *const want[] = {
        "base_amount",
        "out-of-range",
        "category_supplements.password",
        "out-of-range",
        "category_supplements.health",
        "out-of-range",
        "documented_loss.cap_per_claimant",
        "out-of-range",
        "time_spent.hourly_rate",
        "out-of-range",
        "time_spent.max_hours",
        "out-of-range",
        "fund_cap",
        "out-of-range",
        "vouchers[1].amount",
        "out-of-range",
        "cash_alternative_ratio",
        "out-of-range",
    };

    (void)state;
    s.base_amount = MONEY_AMOUNT_MAX + 1;
    s.supplement[data_category_index("password")] = -1;
    s.supplement[data_category_index("health")] = INT64_MAX;
    s.supplement[data_category_index("email")] = -5; /* not named: ignored */
    s.reimburse = false;                              /* the cap is checked all the same */
    s.loss_cap = -1;
    s.hourly_rate = MONEY_AMOUNT_MAX + 1;
    s.max_hours = SCHEME_MAX_HOURS_MAX + 1;
    s.has_fund_cap = true;
    s.fund_cap = 0;
    s.vouchers[1].amount = -1000;
    s.has_cash_ratio = true;
    s.cash_ratio_bp = 10001;
    /* no sum-mismatch on top: the amounts are already wrong */
    expect_errors(&s, "EUR", want, (int)(sizeof want / sizeof want[0] / 2));

    struct scheme t = spec_example();
    static const char *const neg[] = {"time_spent.max_hours", "out-of-range", "fund_cap",
                                      "out-of-range", "cash_alternative_ratio",
                                      "out-of-range"};
    t.max_hours = -1;
    t.has_fund_cap = true;
    t.fund_cap = MONEY_AMOUNT_MAX + 1;
    t.has_cash_ratio = true;
    t.cash_ratio_bp = 0;
    expect_errors(&t, "EUR", neg, 3);
    t = spec_example();
    t.has_fund_cap = true;
    t.fund_cap = -1;
    expect_errors(&t, "EUR", neg + 2, 1);
    /* has_fund_cap false: the value is not looked at */
    t.has_fund_cap = false;
    struct errors e = {0};
    assert_true(scheme_validate(&t, "EUR", &e));
}

static void
test_vouchers(void **state)
{
    struct scheme s = spec_example();

    (void)state;
    /* amounts not adding up to the base */
    s.vouchers[1].amount = 999;
    static const char *const sum[] = {"vouchers", "sum-mismatch"};
    expect_errors(&s, "EUR", sum, 1);
    s = spec_example();
    s.base_amount = 3001;
    expect_errors(&s, "EUR", sum, 1);
    /* an out-of-range base: its own error, no sum-mismatch */
    s.base_amount = -1;
    static const char *const base[] = {"base_amount", "out-of-range"};
    expect_errors(&s, "EUR", base, 1);

    /* duplicate names at the later index; the sum is still checked */
    s = spec_example();
    set_voucher(&s, "Bon achat", 0);
    set_voucher(&s, "Bon voyage", 1);
    set_voucher(&s, "bon achat", 0); /* byte comparison: not a duplicate */
    static const char *const dup[] = {"vouchers[2].name", "duplicate-value", "vouchers[3].name",
                                      "duplicate-value", "vouchers", "sum-mismatch"};
    expect_errors(&s, "EUR", dup, 3);

    /* empty and unterminated names */
    s = spec_example();
    s.vouchers[0].name[0] = '\0';
    memset(s.vouchers[1].name, 'y', sizeof s.vouchers[1].name);
    static const char *const names[] = {"vouchers[0].name", "too-short", "vouchers[1].name",
                                        "too-long"};
    expect_errors(&s, "EUR", names, 2);

    /* more than the struct can hold */
    s = spec_example();
    s.n_vouchers = SCHEME_VOUCHERS_MAX + 1;
    static const char *const many[] = {"vouchers", "too-long"};
    expect_errors(&s, "EUR", many, 1);

    /* no vouchers: the base is free, a ratio is accepted */
    s = spec_example();
    s.n_vouchers = 0;
    s.base_amount = 12345;
    s.has_cash_ratio = true;
    s.cash_ratio_bp = 5000;
    struct errors e = {0};
    assert_true(scheme_validate(&s, "EUR", &e));
}

static void
test_appends_to_existing(void **state)
{
    struct errors e = {0};
    struct scheme s = spec_example();

    (void)state;
    errors_add(&e, "scheme.unknown", "unknown-field", "unknown member");
    /* a valid scheme reports true even though e already holds the handler's error */
    assert_true(scheme_validate(&s, "EUR", &e));
    assert_int_equal(e.n, 1);
    s.base_amount = -1;
    assert_false(scheme_validate(&s, "EUR", &e));
    assert_int_equal(e.n, 2);
    /* a full list still makes validation fail */
    e.n = ERRORS_MAX;
    assert_false(scheme_validate(&s, "EUR", &e));
    assert_int_equal(e.n, ERRORS_MAX);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_currency),
        cmocka_unit_test(test_amounts_out_of_range),
        cmocka_unit_test(test_vouchers),
        cmocka_unit_test(test_appends_to_existing),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
