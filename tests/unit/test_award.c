/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* domain/award: the three claims of docs/api.md §11.8's example part by part, the caps on loss and
 * hours, the cash alternative (floor, only with vouchers and a ratio), the largest amounts a
 * valid scheme allows, refusals, and a property test (seed printed) that the parts always add
 * up and never exceed what the scheme names. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "domain/award.h"
#include "domain/money.h"

#define ITERATIONS 2000

static category_set
cats(const char *csv)
{
    return categories_from_csv(csv);
}

static void
set_voucher(struct scheme *s, const char *name, int64_t amount)
{
    struct scheme_voucher *v = &s->vouchers[s->n_vouchers++];

    snprintf(v->name, sizeof v->name, "%s", name);
    v->amount = amount;
}

static struct scheme
spec_example(void)
{
    struct scheme s = {0};

    memcpy(s.currency, "EUR", 4);
    s.base_amount = 3000;
    s.has_supplement[data_category_index("password")] = true;
    s.supplement[data_category_index("password")] = 1000;
    s.has_supplement[data_category_index("financial")] = true;
    s.supplement[data_category_index("financial")] = 5000;
    s.has_supplement[data_category_index("national_id")] = true;
    s.supplement[data_category_index("national_id")] = 5000;
    s.has_supplement[data_category_index("health")] = true;
    s.supplement[data_category_index("health")] = 10000;
    s.reimburse = true;
    s.loss_cap = 500000;
    s.hourly_rate = 2500;
    s.max_hours = 20;
    set_voucher(&s, "Bon achat", 2000);
    set_voucher(&s, "Bon voyage", 1000);
    return s;
}

static void
test_spec_example(void **state)
{
    struct scheme s = spec_example();
    struct award_parts p;
    int health = data_category_index("health"), password = data_category_index("password");

    (void)state;
    /* FR voucher [email] 3000 */
    assert_true(award_compute(&s, cats("email"), 0, 0, false, &p));
    assert_int_equal(p.base, 3000);
    for (int i = 0; i < DATA_CATEGORY_COUNT; i++)
        assert_int_equal(p.supplements[i], 0);
    assert_int_equal(p.loss, 0);
    assert_int_equal(p.time, 0);
    assert_int_equal(p.total, 3000);
    /* FR voucher [email, password] 3 h: 3000 + 1000 + 3 × 2500 = 11500 */
    assert_true(award_compute(&s, cats("email,password"), 0, 3, false, &p));
    assert_int_equal(p.supplements[password], 1000);
    assert_int_equal(p.time, 7500);
    assert_int_equal(p.total, 11500);
    /* BE cash [email, health] loss 12000: 3000 + 10000 + 12000 = 25000 (no ratio: full base) */
    assert_true(award_compute(&s, cats("email,health"), 12000, 0, true, &p));
    assert_int_equal(p.base, 3000);
    assert_int_equal(p.supplements[health], 10000);
    assert_int_equal(p.supplements[password], 0);
    assert_int_equal(p.loss, 12000);
    assert_int_equal(p.total, 25000);
    /* every named category at once: 3000 + 1000 + 5000 + 5000 + 10000 */
    assert_true(award_compute(&s, cats("password,financial,national_id,health,name,biometric"),
                              0, 0, false, &p));
    assert_int_equal(p.total, 24000);
    /* bits above the vocabulary are ignored */
    assert_true(award_compute(&s, 0xFFFFF000u, 0, 0, false, &p));
    assert_int_equal(p.total, 3000);
}

static void
test_caps(void **state)
{
    struct scheme s = spec_example();
    struct award_parts p;

    (void)state;
    /* loss capped per claimant, hours capped at max_hours */
    assert_true(award_compute(&s, 0, 700000, 35, false, &p));
    assert_int_equal(p.loss, 500000);
    assert_int_equal(p.time, 20 * 2500);
    assert_int_equal(p.total, 3000 + 500000 + 50000);
    assert_true(award_compute(&s, 0, 500000, 20, false, &p));
    assert_int_equal(p.loss, 500000);
    assert_int_equal(p.time, 50000);
    /* not reimbursed: loss 0 whatever was documented */
    s.reimburse = false;
    assert_true(award_compute(&s, 0, 700000, 0, false, &p));
    assert_int_equal(p.loss, 0);
    assert_int_equal(p.total, 3000);
    /* max_hours 0: time never paid */
    s.max_hours = 0;
    assert_true(award_compute(&s, 0, 0, 1000, false, &p));
    assert_int_equal(p.time, 0);
}

static void
test_cash_ratio(void **state)
{
    struct scheme s = spec_example();
    struct award_parts p;

    (void)state;
    s.has_cash_ratio = true;
    s.cash_ratio_bp = 5000; /* "0.5" */
    assert_true(award_compute(&s, cats("health"), 12000, 0, true, &p));
    assert_int_equal(p.base, 1500);
    assert_int_equal(p.total, 1500 + 10000 + 12000);
    /* a voucher claim keeps the whole base */
    assert_true(award_compute(&s, cats("health"), 12000, 0, false, &p));
    assert_int_equal(p.base, 3000);
    /* floor: 3001 × 0.3333 = 1000.2333 → 1000; 3001 × 0.9999 = 3000.6999 → 3000 */
    s.base_amount = 3001;
    s.vouchers[1].amount = 1001;
    s.cash_ratio_bp = 3333;
    assert_true(award_compute(&s, 0, 0, 0, true, &p));
    assert_int_equal(p.base, 1000);
    s.cash_ratio_bp = 9999;
    assert_true(award_compute(&s, 0, 0, 0, true, &p));
    assert_int_equal(p.base, 3000);
    s.cash_ratio_bp = 1; /* "0.0001" */
    assert_true(award_compute(&s, 0, 0, 0, true, &p));
    assert_int_equal(p.base, 0);
    s.cash_ratio_bp = MONEY_BP_ONE; /* "1" */
    assert_true(award_compute(&s, 0, 0, 0, true, &p));
    assert_int_equal(p.base, 3001);
    /* no vouchers: nothing to take cash instead of, the ratio has no effect */
    s.n_vouchers = 0;
    s.cash_ratio_bp = 5000;
    assert_true(award_compute(&s, 0, 0, 0, true, &p));
    assert_int_equal(p.base, 3001);
    /* vouchers but no ratio: full base in cash */
    s = spec_example();
    assert_true(award_compute(&s, 0, 0, 0, true, &p));
    assert_int_equal(p.base, 3000);
    /* Coupang-size base, half in cash */
    s.base_amount = 50000;
    s.has_cash_ratio = true;
    s.cash_ratio_bp = 5000;
    assert_true(award_compute(&s, 0, 0, 0, true, &p));
    assert_int_equal(p.base, 25000);
}

static void
test_largest_and_refused(void **state)
{
    struct scheme s = {0};
    struct award_parts p;

    (void)state;
    /* every amount at 10^12, 1000 hours, every category named, loss 10^10 */
    memcpy(s.currency, "KRW", 4);
    s.base_amount = MONEY_AMOUNT_MAX;
    for (int i = 0; i < DATA_CATEGORY_COUNT; i++) {
        s.has_supplement[i] = true;
        s.supplement[i] = MONEY_AMOUNT_MAX;
    }
    s.reimburse = true;
    s.loss_cap = MONEY_AMOUNT_MAX;
    s.hourly_rate = MONEY_AMOUNT_MAX;
    s.max_hours = 1000;
    assert_true(award_compute(&s, (1u << DATA_CATEGORY_COUNT) - 1, INT64_C(10000000000), 1000,
                              false, &p));
    assert_true(p.time == INT64_C(1000000000000000));
    assert_true(p.total ==
                13 * MONEY_AMOUNT_MAX + INT64_C(10000000000) + INT64_C(1000000000000000));
    /* negative inputs are refused */
    assert_false(award_compute(&s, 0, -1, 0, false, &p));
    assert_false(award_compute(&s, 0, 0, -1, false, &p));
    /* an unvalidated scheme cannot produce a wrapped or negative award */
    s.hourly_rate = INT64_MAX;
    assert_false(award_compute(&s, 0, 0, 2, false, &p));
    s.hourly_rate = 1;
    s.base_amount = INT64_MAX;
    assert_false(award_compute(&s, 1, 0, 0, false, &p));
    s.base_amount = -1;
    assert_false(award_compute(&s, 0, 0, 0, false, &p));
    s.base_amount = 0;
    s.loss_cap = -5;
    assert_false(award_compute(&s, 0, 10, 0, false, &p));
    s.loss_cap = 5;
    s.supplement[3] = -1;
    assert_false(award_compute(&s, 1u << 3, 0, 0, false, &p));
    assert_true(award_compute(&s, 1u << 4, 0, 0, false, &p));
}

static uint64_t rng_state;

static uint64_t
rng_next(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static int64_t
upto(int64_t max)
{
    return (int64_t)(rng_next() % (uint64_t)(max + 1));
}

static int64_t
amount(void)
{
    return rng_next() % 4 == 0 ? upto(MONEY_AMOUNT_MAX) : upto(100000);
}

#define PROPERTY(cond)                                                                         \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            print_error("property failed: %s, seed %llu (RECOURS_TEST_SEED=%llu), iteration " \
                        "%d\n",                                                                \
                        #cond, (unsigned long long)seed, (unsigned long long)seed, it);        \
            fail();                                                                            \
        }                                                                                      \
    } while (0)

static void
test_property_parts(void **state)
{
    const char *env = getenv("RECOURS_TEST_SEED");
    uint64_t seed = env != NULL && *env != '\0' ? strtoull(env, NULL, 0)
                                                : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);

    (void)state;
    rng_state = seed;
    print_message("test_award seed %llu\n", (unsigned long long)seed);
    for (int it = 0; it < ITERATIONS; it++) {
        struct scheme s = {0};
        struct award_parts p;
        category_set c = (category_set)upto((1 << DATA_CATEGORY_COUNT) - 1);
        int64_t loss = upto(INT64_C(10000000000)), hours = upto(1000);
        bool cash = rng_next() % 2;

        s.base_amount = amount();
        for (int i = 0; i < DATA_CATEGORY_COUNT; i++) {
            s.has_supplement[i] = rng_next() % 2;
            s.supplement[i] = s.has_supplement[i] ? amount() : 0;
        }
        s.reimburse = rng_next() % 2;
        s.loss_cap = amount();
        s.hourly_rate = amount();
        s.max_hours = upto(1000);
        s.n_vouchers = rng_next() % 2;
        s.has_cash_ratio = rng_next() % 2;
        s.cash_ratio_bp = (int32_t)upto(MONEY_BP_ONE - 1) + 1;

        PROPERTY(award_compute(&s, c, loss, hours, cash, &p));
        int64_t sum = p.base + p.loss + p.time;
        for (int i = 0; i < DATA_CATEGORY_COUNT; i++) {
            PROPERTY(p.supplements[i] == ((c >> i & 1) && s.has_supplement[i] ? s.supplement[i]
                                                                                : 0));
            sum += p.supplements[i];
        }
        PROPERTY(sum == p.total);
        PROPERTY(p.base <= s.base_amount && p.base >= 0);
        PROPERTY(p.base == s.base_amount || (cash && s.n_vouchers > 0 && s.has_cash_ratio));
        PROPERTY(p.loss <= loss && p.loss <= s.loss_cap && (s.reimburse || p.loss == 0));
        PROPERTY(p.time <= s.max_hours * s.hourly_rate && p.time <= hours * s.hourly_rate);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_example),        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_cash_ratio),          cmocka_unit_test(test_largest_and_refused),
        cmocka_unit_test(test_property_parts),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
