/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* domain/money: overflow edges of the checked helpers, floor division with remainder, the
 * 6-decimal truncated ratio strings of docs/api.md §8.2, the strict cash_alternative_ratio
 * grammar, and property tests against 128-bit arithmetic (seed printed; RECOURS_TEST_SEED
 * replays one). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "domain/money.h"

__extension__ typedef __int128 i128;

#define ITERATIONS 5000

static uint64_t rng_state;

static uint64_t
rng_next(void)
{
    /* splitmix64 */
    uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static uint64_t
seed_from_env(void)
{
    const char *env = getenv("RECOURS_TEST_SEED");

    if (env != NULL && *env != '\0')
        return strtoull(env, NULL, 0);
    return (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
}

/* Any int64_t, biased towards the edges where overflow lives. */
static int64_t
random_i64(void)
{
    switch (rng_next() % 5) {
    case 0:
        return (int64_t)rng_next();
    case 1:
        return INT64_MAX - (int64_t)(rng_next() % 1000);
    case 2:
        return INT64_MIN + (int64_t)(rng_next() % 1000);
    case 3:
        return (int64_t)(rng_next() % 2000001) - 1000000;
    default:
        return (int64_t)(rng_next() >> (rng_next() % 64)) * (rng_next() % 2 ? 1 : -1);
    }
}

#define PROPERTY(cond, seed, iteration)                                                       \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            print_error("property failed: %s, seed %llu (RECOURS_TEST_SEED=%llu), iteration " \
                        "%d\n",                                                                \
                        #cond, (unsigned long long)(seed), (unsigned long long)(seed),         \
                        (iteration));                                                          \
            fail();                                                                            \
        }                                                                                      \
    } while (0)

static void
test_add_sub_mul(void **state)
{
    int64_t v = 42;

    (void)state;
    assert_true(money_add(2, 3, &v));
    assert_int_equal(v, 5);
    assert_true(money_add(INT64_MAX - 1, 1, &v));
    assert_true(v == INT64_MAX);
    v = 42;
    assert_false(money_add(INT64_MAX, 1, &v));
    assert_int_equal(v, 42); /* untouched on failure */
    assert_false(money_add(INT64_MIN, -1, &v));
    assert_true(money_add(INT64_MIN, INT64_MAX, &v));
    assert_int_equal(v, -1);

    assert_true(money_sub(5, 7, &v));
    assert_int_equal(v, -2);
    assert_false(money_sub(INT64_MIN, 1, &v));
    assert_false(money_sub(0, INT64_MIN, &v));
    assert_true(money_sub(-1, INT64_MIN, &v));
    assert_true(v == INT64_MAX);

    assert_true(money_mul(33700000, 50000, &v));
    assert_true(v == INT64_C(1685000000000));
    assert_true(money_mul(INT64_C(3037000499), INT64_C(3037000499), &v)); /* < 2^63 */
    assert_false(money_mul(INT64_C(3037000500), INT64_C(3037000500), &v)); /* > 2^63 */
    assert_false(money_mul(INT64_MIN, -1, &v));
    assert_true(money_mul(INT64_MIN, 1, &v));
    assert_true(v == INT64_MIN);
    assert_true(money_mul(INT64_C(1000000000000), 1000000, &v)); /* 10^18 */
    assert_false(money_mul(INT64_C(1000000000000), 10000000, &v)); /* 10^19 */
}

static void
test_sum(void **state)
{
    const int64_t big[] = {INT64_MAX, INT64_MAX, INT64_MIN, INT64_MIN, 5};
    const int64_t over[] = {INT64_MAX, 1};
    const int64_t coupang[] = {5000, 5000, 20000, 20000};
    int64_t v = 7;

    (void)state;
    assert_true(money_sum(NULL, 0, &v));
    assert_int_equal(v, 0);
    assert_true(money_sum(coupang, 4, &v));
    assert_int_equal(v, 50000);
    /* only the result has to fit, not the running sum */
    assert_true(money_sum(big, 5, &v));
    assert_int_equal(v, 3);
    v = 7;
    assert_false(money_sum(over, 2, &v));
    assert_int_equal(v, 7);
}

static void
test_muldiv(void **state)
{
    int64_t q = 0, r = 0;

    (void)state;
    /* docs/api.md §11.8's example: 3000 × 30000 / 39500 = 2278 rem 19000 */
    assert_true(money_muldiv(3000, 30000, 39500, &q, &r));
    assert_int_equal(q, 2278);
    assert_int_equal(r, 19000);
    assert_true(money_muldiv(11500, 30000, 39500, &q, &r));
    assert_int_equal(q, 8734);
    assert_int_equal(r, 7000);
    assert_true(money_muldiv(25000, 30000, 39500, &q, &r));
    assert_int_equal(q, 18987);
    assert_int_equal(r, 13500);
    /* projection 39500 × 1000 / 3 */
    assert_true(money_muldiv(39500, 1000, 3, &q, &r));
    assert_int_equal(q, 13166666);
    assert_int_equal(r, 2);
    /* floor, not truncation */
    assert_true(money_muldiv(-7, 1, 2, &q, &r));
    assert_int_equal(q, -4);
    assert_int_equal(r, 1);
    /* the product needs 128 bits, the quotient fits */
    assert_true(money_muldiv(INT64_MAX, INT64_MAX, INT64_MAX, &q, &r));
    assert_true(q == INT64_MAX);
    assert_int_equal(r, 0);
    assert_true(money_muldiv(INT64_C(1000000000000000), INT64_C(1000000000000),
                             INT64_C(3000000000000000), &q, NULL));
    assert_true(q == INT64_C(333333333333));
    /* the quotient does not fit; d ≤ 0 */
    assert_false(money_muldiv(INT64_MAX, 2, 1, &q, &r));
    assert_false(money_muldiv(1, 1, 0, &q, &r));
    assert_false(money_muldiv(1, 1, -1, &q, &r));
    /* 1/2 bp: floor(3001 × 3333 / 10000) = 1000 */
    assert_true(money_muldiv(3001, 3333, MONEY_BP_ONE, &q, NULL));
    assert_int_equal(q, 1000);
}

static void
test_ratio_format(void **state)
{
    static const struct {
        int64_t num, den;
        const char *want;
    } cases[] = {
        {30000, 39500, "0.759493"}, /* docs/api.md §11.8 pro_rata_factor */
        {3, 1000, "0.003000"},      /* docs/api.md §11.8 take_up_rate */
        {25, 36, "0.694444"},       /* docs/api.md §8.2 */
        {1, 1, "1.000000"},
        {0, 5, "0.000000"},
        {2, 3, "0.666666"}, /* truncated, not rounded */
        {5, 2, "2.500000"},
        {1, 3000000, "0.000000"},
        {1, 1000000, "0.000001"},
        {999999, 1000000, "0.999999"},
        {1999999999, 2000000000, "0.999999"},
        {-1, 2, "-0.500000"},
        {1, -2, "-0.500000"},
        {-1, -2, "0.500000"},
        {-1, 3000000, "0.000000"}, /* no negative zero */
        {INT64_MAX, 1, "9223372036854775807.000000"},
        {INT64_MIN, 1, "-9223372036854775808.000000"},
        {INT64_MAX, INT64_MAX, "1.000000"},
        {INT64_MAX - 1, INT64_MAX, "0.999999"},
        {INT64_C(1685000000000), INT64_C(1685000000000), "1.000000"},
        {7, 0, ""},
    };
    char out[MONEY_RATIO_LEN];

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ratio_format(cases[i].num, cases[i].den, out);
        assert_string_equal(out, cases[i].want);
    }
}

/* The 128-bit helpers at their edges: sums past INT64_MAX, the largest products, divisors
 * beyond 64 bits, the projection's split division, and decimal text of any 128-bit value. */
static void
test_wide(void **state)
{
    const i128 max128 = (i128)(((unsigned __int128)1 << 127) - 1);
    money_wide w = INT64_MAX, r;
    int64_t q;
    char text[MONEY_WIDE_LEN];
    char ratio[MONEY_RATIO_LEN];

    (void)state;
    assert_true(money_wide_add_scaled(&w, 1, 1));
    assert_true(w == (i128)INT64_MAX + 1);
    w = 0;
    assert_true(money_wide_add_scaled(&w, INT64_MAX, INT64_MAX));
    assert_true(w == (i128)INT64_MAX * INT64_MAX);
    w = max128 - 1;
    assert_true(money_wide_add_scaled(&w, 1, 1));
    assert_true(w == max128);
    assert_false(money_wide_add_scaled(&w, 1, 1)); /* refused, untouched */
    assert_true(w == max128);

    /* an award scaled by cap / T with T beyond 64 bits */
    i128 t = (i128)INT64_C(1014000000000000) * 10000;
    assert_true(money_wide_muldiv(INT64_C(1014000000000000), INT64_C(1000000000000), t, &q, &r));
    assert_int_equal(q, 100000000);
    assert_true(r == 0);
    assert_true(money_wide_muldiv(INT64_MAX, INT64_MAX, t, &q, &r));
    assert_true((i128)q * t + r == (i128)INT64_MAX * INT64_MAX && r >= 0 && r < t);
    assert_false(money_wide_muldiv(INT64_MAX, 2, 1, &q, &r)); /* q beyond int64 */
    assert_false(money_wide_muldiv(-1, 2, 3, &q, &r));
    assert_false(money_wide_muldiv(1, 2, 0, &q, &r));

    /* floor(t × k / d) without a 2^147 intermediate */
    assert_true(money_wide_scale(t, INT64_C(10000000000), 10000, &w));
    assert_true(w == (i128)INT64_C(1014000000000000) * INT64_C(10000000000));
    assert_true(money_wide_scale(7, 3, 2, &w));
    assert_true(w == 10);
    assert_true(money_wide_scale((i128)1 << 120, INT64_MAX, INT64_MAX, &w));
    assert_true(w == (i128)1 << 120);
    assert_false(money_wide_scale(max128, 2, 1, &w));
    assert_false(money_wide_scale(-1, 2, 1, &w));
    assert_false(money_wide_scale(1, 2, 0, &w));

    money_wide_format((i128)INT64_C(1000000000000) * INT64_C(10000000000), text);
    assert_string_equal(text, "10000000000000000000000");
    money_wide_format(0, text);
    assert_string_equal(text, "0");
    money_wide_format(-12, text);
    assert_string_equal(text, "-12");
    money_wide_format(max128, text);
    assert_string_equal(text, "170141183460469231731687303715884105727");
    money_wide_format(-max128 - 1, text);
    assert_string_equal(text, "-170141183460469231731687303715884105728");

    ratio_format_wide(INT64_C(1000000000000), (i128)INT64_MAX * 4, ratio);
    assert_string_equal(ratio, "0.000000");
    ratio_format_wide((i128)1 << 100, 1, ratio);
    assert_string_equal(ratio, "1267650600228229401496703205376.000000");
    ratio_format_wide(30000, 39500, ratio);
    assert_string_equal(ratio, "0.759493");
    ratio_format_wide((i128)1 << 107, 1, ratio); /* beyond the documented domain */
    assert_string_equal(ratio, "");
}

static void
test_ratio_parse(void **state)
{
    static const struct {
        const char *in;
        int32_t bp;
    } good[] = {
        {"0.5", 5000},    {"0.0001", 1},   {"1", 10000},   {"1.0", 10000},  {"1.0000", 10000},
        {"0.75", 7500},   {"0.123", 1230}, {"0.1234", 1234}, {"0.9999", 9999}, {"0.05", 500},
        {"0.50", 5000},
    };
    static const char *const bad[] = {
        "",      "0",      "0.0",     "0.0000", "1.0001", "1.5",   "2",      "0.12345",
        "0.50000", ".5",   "1.",      "0.",     "+0.5",   "-0.5",  "00.5",   "01",
        "0,5",   "5e-1",   " 0.5",    "0.5 ",   "abc",    "0.5a",  "1.00000", "10",
        "0x1",   "0.-5",   "0..5",    "NaN",
    };
    int32_t bp = -7;

    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        bp = -7;
        assert_true(ratio_parse_4dp(good[i].in, &bp));
        assert_int_equal(bp, good[i].bp);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bp = -7;
        if (ratio_parse_4dp(bad[i], &bp))
            fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(bp, -7);
    }
    assert_false(ratio_parse_4dp(NULL, &bp));
}

static void
test_property_arithmetic(void **state)
{
    uint64_t seed = seed_from_env();

    (void)state;
    rng_state = seed;
    print_message("test_money arithmetic seed %llu\n", (unsigned long long)seed);
    for (int it = 0; it < ITERATIONS; it++) {
        int64_t a = random_i64(), b = random_i64(), v = 0;
        i128 sum = (i128)a + b, diff = (i128)a - b, prod = (i128)a * b;

        PROPERTY(money_add(a, b, &v) == (sum >= INT64_MIN && sum <= INT64_MAX), seed, it);
        PROPERTY(!(sum >= INT64_MIN && sum <= INT64_MAX) || v == (int64_t)sum, seed, it);
        PROPERTY(money_sub(a, b, &v) == (diff >= INT64_MIN && diff <= INT64_MAX), seed, it);
        PROPERTY(!(diff >= INT64_MIN && diff <= INT64_MAX) || v == (int64_t)diff, seed, it);
        PROPERTY(money_mul(a, b, &v) == (prod >= INT64_MIN && prod <= INT64_MAX), seed, it);
        PROPERTY(!(prod >= INT64_MIN && prod <= INT64_MAX) || v == (int64_t)prod, seed, it);

        int64_t d = random_i64(), q = 0, r = 0;
        bool ok = money_muldiv(a, b, d, &q, &r);
        if (d <= 0) {
            PROPERTY(!ok, seed, it);
            continue;
        }
        if (ok) {
            /* q × d + r = a × b with 0 ≤ r < d identifies the floor */
            PROPERTY((i128)q * d + r == prod, seed, it);
            PROPERTY(r >= 0 && r < d, seed, it);
        } else {
            i128 fq = prod / d - (prod % d < 0);
            PROPERTY(fq < INT64_MIN || fq > INT64_MAX, seed, it);
        }
    }
}

/* ratio_format against the definition: the printed value v (in millionths) satisfies
 * v ≤ |num| × 10^6 / |den| < v + 1, with the sign of num / den. */
static void
test_property_ratio(void **state)
{
    uint64_t seed = seed_from_env();
    char out[MONEY_RATIO_LEN];

    (void)state;
    rng_state = seed ^ 0x5151;
    print_message("test_money ratio seed %llu\n", (unsigned long long)seed);
    for (int it = 0; it < ITERATIONS; it++) {
        int64_t num = (int64_t)(rng_next() >> (rng_next() % 63 + 1));
        int64_t den = (int64_t)(rng_next() >> (rng_next() % 63 + 1)) + 1;
        unsigned long long whole = 0;
        unsigned long frac = 0;

        ratio_format(num, den, out);
        PROPERTY(sscanf(out, "%llu.%6lu", &whole, &frac) == 2, seed, it);
        i128 v = (i128)whole * 1000000 + frac;
        PROPERTY(v * den <= (i128)num * 1000000, seed, it);
        PROPERTY((v + 1) * den > (i128)num * 1000000, seed, it);

        /* and every 4-decimal ratio string reads back to its basis points */
        int32_t bp = (int32_t)(rng_next() % MONEY_BP_ONE) + 1, got = 0;
        char text[16];
        if (bp == MONEY_BP_ONE)
            snprintf(text, sizeof text, "1.0000");
        else
            snprintf(text, sizeof text, "0.%04d", (int)bp);
        PROPERTY(ratio_parse_4dp(text, &got) && got == bp, seed, it);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_sub_mul),          cmocka_unit_test(test_sum),
        cmocka_unit_test(test_muldiv),               cmocka_unit_test(test_ratio_format),
        cmocka_unit_test(test_ratio_parse),          cmocka_unit_test(test_property_arithmetic),
        cmocka_unit_test(test_property_ratio),
        cmocka_unit_test(test_wide),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
