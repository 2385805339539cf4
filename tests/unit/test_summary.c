/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* domain/summary: docs/api.md §11.8's worked example figure by figure, Coupang 2025 at full size
 * (one group of 33.7 million), an Equifax-style capped pool, the cash alternative, boundary
 * ties that span several awards (with and without an effect on the median), refusals; and
 * property tests (seed printed; RECOURS_TEST_SEED replays one) against a claim-by-claim
 * oracle that breaks remainder ties by random references: the awards add up to the cap, none
 * exceeds its uncapped value, stats flagged exact match every reference order, the flags are
 * precise (exhaustive over reference orders on small pools), and group order and splitting
 * change nothing. */
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
#include "domain/summary.h"
#include "domain/summary_subset.h"

__extension__ typedef __int128 i128;

static category_set
cats(const char *csv)
{
    return categories_from_csv(csv);
}

static int
cat(const char *name)
{
    return data_category_index(name);
}

static void
set_voucher(struct scheme *s, const char *name, int64_t amount)
{
    struct scheme_voucher *v = &s->vouchers[s->n_vouchers++];

    snprintf(v->name, sizeof v->name, "%s", name);
    v->amount = amount;
}

/* docs/api.md §11.8's scheme with fund_cap 30000. */
static struct scheme
api_example(void)
{
    struct scheme s = {0};

    memcpy(s.currency, "EUR", 4);
    s.base_amount = 3000;
    s.has_supplement[cat("password")] = true;
    s.supplement[cat("password")] = 1000;
    s.has_supplement[cat("financial")] = true;
    s.supplement[cat("financial")] = 5000;
    s.has_supplement[cat("national_id")] = true;
    s.supplement[cat("national_id")] = 5000;
    s.has_supplement[cat("health")] = true;
    s.supplement[cat("health")] = 10000;
    s.reimburse = true;
    s.loss_cap = 500000;
    s.hourly_rate = 2500;
    s.max_hours = 20;
    s.has_fund_cap = true;
    s.fund_cap = 30000;
    set_voucher(&s, "Bon achat", 2000);
    set_voucher(&s, "Bon voyage", 1000);
    return s;
}

/* FR voucher [email] 3000, FR voucher [email, password] 3 h 11500, BE cash [email, health]
 * loss 12000 25000. */
static const struct claim_group api_claims[] = {
    {.categories = 1u << 1, .n = 1},
    {.categories = (1u << 1) | (1u << 5), .hours_spent = 3, .n = 1},
    {.categories = (1u << 1) | (1u << 8), .documented_loss = 12000, .cash = true, .n = 1},
};

static void
test_api_example(void **state)
{
    struct scheme s = api_example();
    struct summary_money m;
    char take_up[MONEY_RATIO_LEN];

    (void)state;
    assert_true(cats("email") == api_claims[0].categories);
    assert_true(cats("email,password") == api_claims[1].categories);
    assert_true(cats("email,health") == api_claims[2].categories);
    assert_true(summary_compute(&s, api_claims, 3, 1000, NULL, &m));
    assert_int_equal(m.eligible, 3);
    assert_int_equal(m.base, 9000);
    assert_int_equal(m.supplements[cat("password")], 1000);
    assert_int_equal(m.supplements[cat("financial")], 0);
    assert_int_equal(m.supplements[cat("national_id")], 0);
    assert_int_equal(m.supplements[cat("health")], 10000);
    assert_int_equal(m.documented_loss, 12000);
    assert_int_equal(m.time_spent, 7500);
    assert_int_equal(m.total_before_cap, 39500);
    assert_true(m.capped);
    assert_int_equal(m.total_after_cap, 30000);
    assert_string_equal(m.pro_rata_factor, "0.759493");
    assert_int_equal(m.mean, 10000);
    assert_int_equal(m.median, 8734);
    assert_int_equal(m.min, 2279);
    assert_int_equal(m.max, 18987);
    assert_true(m.median_exact && m.min_exact && m.max_exact);
    assert_int_equal(m.vouchers[0].count, 2);
    assert_int_equal(m.vouchers[0].total, 4000);
    assert_int_equal(m.vouchers[1].count, 2);
    assert_int_equal(m.vouchers[1].total, 2000);
    assert_int_equal(m.voucher_claims, 2);
    assert_int_equal(m.cash_claims, 1);
    ratio_format(m.eligible, 1000, take_up);
    assert_string_equal(take_up, "0.003000");
    assert_int_equal(m.projection_before_cap, 13166666);
    assert_int_equal(m.projection_after_cap, 30000);

    /* the distribution: 2278 + 1 (largest remainder 19000), 8734, 18987 */
    struct award_bin *b = NULL;
    size_t nb = 0;
    assert_true(summary_distribution(&s, api_claims, 3, &b, &nb));
    assert_int_equal(nb, 3);
    assert_int_equal(b[0].before, 3000);
    assert_int_equal(b[0].after, 2279);
    assert_int_equal(b[1].before, 11500);
    assert_int_equal(b[1].after, 8734);
    assert_int_equal(b[2].before, 25000);
    assert_int_equal(b[2].after, 18987);
    free(b);

    /* without the cap: pro rata 1, stats on the awards themselves */
    s.has_fund_cap = false;
    assert_true(summary_compute(&s, api_claims, 3, 1000, NULL, &m));
    assert_false(m.capped);
    assert_int_equal(m.total_after_cap, 39500);
    assert_string_equal(m.pro_rata_factor, "1.000000");
    assert_int_equal(m.mean, 13166);
    assert_int_equal(m.median, 11500);
    assert_int_equal(m.min, 3000);
    assert_int_equal(m.max, 25000);
    assert_int_equal(m.projection_after_cap, 13166666);
    /* a cap equal to the total does not bind */
    s.has_fund_cap = true;
    s.fund_cap = 39500;
    assert_true(summary_compute(&s, api_claims, 3, 1000, NULL, &m));
    assert_false(m.capped);
    assert_string_equal(m.pro_rata_factor, "1.000000");
    assert_int_equal(m.total_after_cap, 39500);
    assert_int_equal(m.projection_after_cap, 39500);
}

/* Coupang 2025: 50,000 KRW in four vouchers to each of 33.7 million claimants. */
static void
test_coupang(void **state)
{
    struct scheme s = {0};
    struct summary_money m;
    const struct claim_group g = {.categories = cats("name,email,phone,postal_address,"
                                                     "order_history"),
                                  .n = 33700000};

    (void)state;
    memcpy(s.currency, "KRW", 4);
    s.base_amount = 50000;
    set_voucher(&s, "Coupang", 5000);
    set_voucher(&s, "Coupang Eats", 5000);
    set_voucher(&s, "Coupang Travel", 20000);
    set_voucher(&s, "R.LUX", 20000);
    assert_true(summary_compute(&s, &g, 1, 33700000, NULL, &m));
    assert_int_equal(m.eligible, 33700000);
    assert_true(m.base == INT64_C(1685000000000));
    assert_true(m.total_before_cap == INT64_C(1685000000000));
    assert_true(m.total_after_cap == INT64_C(1685000000000));
    assert_false(m.capped);
    assert_string_equal(m.pro_rata_factor, "1.000000");
    assert_int_equal(m.documented_loss, 0);
    assert_int_equal(m.time_spent, 0);
    for (int i = 0; i < DATA_CATEGORY_COUNT; i++)
        assert_int_equal(m.supplements[i], 0);
    assert_int_equal(m.mean, 50000);
    assert_int_equal(m.median, 50000);
    assert_int_equal(m.min, 50000);
    assert_int_equal(m.max, 50000);
    assert_true(m.median_exact);
    static const int64_t totals[] = {INT64_C(168500000000), INT64_C(168500000000),
                                     INT64_C(674000000000), INT64_C(674000000000)};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(m.vouchers[i].count, 33700000);
        assert_true(m.vouchers[i].total == totals[i]);
    }
    assert_true(m.projection_before_cap == INT64_C(1685000000000));
    assert_true(m.projection_after_cap == INT64_C(1685000000000));
    /* the same 33.7 million in 337 groups of 100,000: the same summary */
    struct claim_group many[337];
    for (int i = 0; i < 337; i++) {
        many[i] = g;
        many[i].n = 100000;
    }
    struct summary_money m2;
    assert_true(summary_compute(&s, many, 337, 33700000, NULL, &m2));
    assert_true(m2.total_before_cap == m.total_before_cap);
    assert_true(m2.vouchers[3].total == m.vouchers[3].total);
    assert_int_equal(m2.median, 50000);
}

/* USD: base 12500, loss up to 2,000,000, 2500/h up to 20 h, fund cap 1,000,000.
 *   A 3 × 12500                                   a × cap / T: 5494 r 1,150,000
 *   B 2 × 12500 + 50000 + 10 h 25000 = 87500                   38461 r 1,225,000
 *   C 1 × 12500 + min(3,000,000, cap) + 20 of 30 h = 2,062,500  906593 r 925,000 (cash)
 *   T = 2,275,000; Σ floors 999,997, 3 left: both B (largest r), then one of the three A
 *   (one award: exact). Sorted 5494 5494 5495 38462 38462 906593, median ⌊43957 / 2⌋. */
static void
test_equifax_style(void **state)
{
    struct scheme s = {0};
    struct summary_money m;
    const struct claim_group g[] = {
        {.categories = cats("name,birth_date,national_id"), .n = 3},
        {.categories = cats("name,national_id"), .documented_loss = 50000, .hours_spent = 10,
         .n = 2},
        {.categories = cats("national_id,financial"), .documented_loss = 3000000,
         .hours_spent = 30, .cash = true, .n = 1},
    };

    (void)state;
    memcpy(s.currency, "USD", 4);
    s.base_amount = 12500;
    s.reimburse = true;
    s.loss_cap = 2000000;
    s.hourly_rate = 2500;
    s.max_hours = 20;
    s.has_fund_cap = true;
    s.fund_cap = 1000000;
    assert_true(summary_compute(&s, g, 3, 147000000, NULL, &m));
    assert_int_equal(m.eligible, 6);
    assert_int_equal(m.base, 75000);
    assert_int_equal(m.documented_loss, 2100000);
    assert_int_equal(m.time_spent, 100000);
    assert_int_equal(m.total_before_cap, 2275000);
    assert_true(m.capped);
    assert_int_equal(m.total_after_cap, 1000000);
    assert_string_equal(m.pro_rata_factor, "0.439560");
    assert_int_equal(m.mean, 166666);
    assert_int_equal(m.min, 5494);
    assert_int_equal(m.max, 906593);
    assert_int_equal(m.median, 21978);
    assert_true(m.median_exact && m.min_exact && m.max_exact);
    assert_int_equal(m.voucher_claims, 5);
    assert_int_equal(m.cash_claims, 1);
    /* 2,275,000 × 147,000,000 / 6 */
    assert_true(m.projection_before_cap == INT64_C(55737500000000));
    assert_int_equal(m.projection_after_cap, 1000000);

    struct award_bin *b = NULL;
    size_t nb = 0;
    assert_true(summary_distribution(&s, g, 3, &b, &nb));
    static const struct award_bin want[] = {
        {12500, 5494, 2}, {12500, 5495, 1}, {87500, 38462, 2}, {2062500, 906593, 1}};
    assert_int_equal(nb, 4);
    for (size_t i = 0; i < nb; i++) {
        assert_int_equal(b[i].before, want[i].before);
        assert_int_equal(b[i].after, want[i].after);
        assert_int_equal(b[i].n, want[i].n);
    }
    free(b);
}

/* The example's claims with cash_alternative_ratio "0.5": the cash claim's base is 1500.
 * T = 3000 + 11500 + 23500 = 38000; floors 2368 r 16000, 9078 r 36000, 18552 r 24000; 2 left
 * to 11500 and 23500. */
static void
test_cash_ratio(void **state)
{
    struct scheme s = api_example();
    struct summary_money m;

    (void)state;
    s.has_cash_ratio = true;
    s.cash_ratio_bp = 5000;
    assert_true(summary_compute(&s, api_claims, 3, 1000, NULL, &m));
    assert_int_equal(m.base, 7500);
    assert_int_equal(m.total_before_cap, 38000);
    assert_int_equal(m.total_after_cap, 30000);
    assert_string_equal(m.pro_rata_factor, "0.789473");
    assert_int_equal(m.min, 2368);
    assert_int_equal(m.median, 9079);
    assert_int_equal(m.max, 18553);
    assert_int_equal(m.mean, 10000);
    /* vouchers are nominal over voucher claims */
    assert_int_equal(m.vouchers[0].count, 2);
    assert_int_equal(m.vouchers[0].total, 4000);
    assert_int_equal(m.projection_before_cap, 12666666);
    /* without vouchers the ratio does nothing */
    s.n_vouchers = 0;
    assert_true(summary_compute(&s, api_claims, 3, 1000, NULL, &m));
    assert_int_equal(m.base, 9000);
    assert_int_equal(m.vouchers[0].count, 0);
}

static void
test_empty_and_merge(void **state)
{
    struct scheme s = api_example();
    struct summary_money m, m2;

    (void)state;
    /* no eligible claim: projection from base_amount, limited to the cap */
    assert_true(summary_compute(&s, NULL, 0, 1000, NULL, &m));
    assert_int_equal(m.eligible, 0);
    assert_int_equal(m.total_before_cap, 0);
    assert_false(m.capped);
    assert_string_equal(m.pro_rata_factor, "1.000000");
    assert_int_equal(m.mean, 0);
    assert_int_equal(m.median, 0);
    assert_true(m.median_exact);
    assert_int_equal(m.vouchers[0].count, 0);
    assert_int_equal(m.projection_before_cap, 3000000);
    assert_int_equal(m.projection_after_cap, 30000);
    s.has_fund_cap = false;
    assert_true(summary_compute(&s, NULL, 0, 0, NULL, &m));
    assert_int_equal(m.projection_before_cap, 0);
    s = api_example();

    /* repeated keys and empty groups are tolerated: the same as the plain example */
    const struct claim_group g[] = {
        api_claims[2],
        {.categories = cats("email"), .n = 0},
        api_claims[0],
        api_claims[1],
        {.categories = cats("postal_address"), .documented_loss = 7, .n = 0},
    };
    struct claim_group twice[4] = {api_claims[0], api_claims[1], api_claims[2], api_claims[2]};
    twice[2].n = 1;
    twice[3].n = 1;
    assert_true(summary_compute(&s, api_claims, 3, 1000, NULL, &m));
    assert_true(summary_compute(&s, g, 5, 1000, NULL, &m2));
    assert_int_equal(m2.median, m.median);
    assert_int_equal(m2.min, m.min);
    assert_int_equal(m2.total_before_cap, m.total_before_cap);
    assert_true(summary_compute(&s, twice, 4, 1000, NULL, &m2));
    assert_int_equal(m2.eligible, 4);
    assert_int_equal(m2.total_before_cap, 64500);
    assert_int_equal(m2.cash_claims, 2);
}

/* A scheme paying 1 per hour, nothing else: awards are the hours, easy to arrange. */
static struct scheme
hours_scheme(int64_t cap)
{
    struct scheme s = {0};

    memcpy(s.currency, "JPY", 4);
    s.hourly_rate = 1;
    s.max_hours = 1000;
    s.has_fund_cap = true;
    s.fund_cap = cap;
    return s;
}

/* Awards 1, 3, 4 under cap 4 of T = 8: q 0 1 2, r 4 4 0, one unit left for the tie {1, 3}.
 * Proportional split, tie to the smaller award: 1 → 1; final 1 1 2, median 1. Had the
 * reference order favoured 3: 0 2 2, median 2, min 0. The max is 2 either way. */
static void
test_boundary_tie_moves_median(void **state)
{
    struct scheme s = hours_scheme(4);
    struct summary_money m;
    const struct claim_group g[] = {{.hours_spent = 1, .n = 1},
                                    {.hours_spent = 3, .n = 1},
                                    {.hours_spent = 4, .n = 1}};

    (void)state;
    assert_true(summary_compute(&s, g, 3, 3, NULL, &m));
    assert_int_equal(m.total_after_cap, 4);
    assert_string_equal(m.pro_rata_factor, "0.500000");
    assert_int_equal(m.min, 1);
    assert_int_equal(m.median, 1);
    assert_int_equal(m.max, 2);
    assert_false(m.median_exact);
    assert_false(m.min_exact);
    assert_true(m.max_exact);
}

/* Awards 1, 3 and 2 × 3 under cap 5 of T = 10: q 0 1 1, r 5 5 0, one unit for {1, 3}.
 * Either way the sorted awards are 1 1 1 1 1 or 0 1 1 1 2: median 1 (exact), min and max
 * not. And 1, 3 alone under cap 2 of T = 4: 1 1 or 0 2, both middle values move but their
 * floored mean is 1 either way: median exact. */
static void
test_boundary_tie_spares_median(void **state)
{
    struct scheme s = hours_scheme(5);
    struct summary_money m;
    const struct claim_group g[] = {{.hours_spent = 1, .n = 1},
                                    {.hours_spent = 3, .n = 1},
                                    {.hours_spent = 2, .n = 3}};

    (void)state;
    assert_true(summary_compute(&s, g, 3, 5, NULL, &m));
    assert_int_equal(m.median, 1);
    assert_true(m.median_exact);
    assert_int_equal(m.min, 1);
    assert_false(m.min_exact);
    assert_int_equal(m.max, 1);
    assert_false(m.max_exact);

    s.fund_cap = 2;
    assert_true(summary_compute(&s, g, 2, 2, NULL, &m));
    assert_int_equal(m.median, 1);
    assert_true(m.median_exact);
    assert_false(m.min_exact);
    assert_false(m.max_exact);
}

/* Large counts in a tie: 1,000,002 awards of 1 and 1,000,000 of 3 under cap T / 2 =
 * 2,000,001 of T = 4,000,002: q(1) = 0, q(3) = 1, both with r = 2,000,001. Floors 1,000,000,
 * so 1,000,001 units for 2,000,002 tied claims; proportionally the 1s get
 * 1,000,001 × 1,000,002 / 2,000,002 = 500,001 and the 3s 500,000 (both exact divisions).
 * Sorted: 0 × 500,001, 1 × 1,000,001, 2 × 500,000; the middle ranks 1,000,000 and 1,000,001
 * hold 1 and 1. Other splits (x1 + x3 = 1,000,001, 1 ≤ x1, x3 ≤ 1,000,000): with x3 =
 * 1,000,000 the zeros fill ranks 0..1,000,000 and rank 1,000,001 holds 1, median ⌊1 / 2⌋ = 0:
 * not exact. At least one 1 keeps 0 whatever the split: min exact. x3 = 0 leaves no 2: max
 * not exact. */
static void
test_boundary_tie_large(void **state)
{
    struct scheme s = hours_scheme(2000001);
    struct summary_money m;
    const struct claim_group g[] = {{.hours_spent = 1, .n = 1000002},
                                    {.hours_spent = 3, .n = 1000000}};
    struct award_bin *b = NULL;
    size_t nb = 0;

    (void)state;
    assert_true(summary_compute(&s, g, 2, 2000002, NULL, &m));
    assert_int_equal(m.total_before_cap, 4000002);
    assert_int_equal(m.total_after_cap, 2000001);
    assert_true(summary_distribution(&s, g, 2, &b, &nb));
    /* 1 → 0 (500,001) and 1 (500,001); 3 → 1 (500,000) and 2 (500,000) */
    assert_int_equal(nb, 4);
    assert_int_equal(b[0].after, 0);
    assert_int_equal(b[0].n, 500001);
    assert_int_equal(b[1].after, 1);
    assert_int_equal(b[1].before, 1);
    assert_int_equal(b[1].n, 500001);
    assert_int_equal(b[2].after, 1);
    assert_int_equal(b[2].before, 3);
    assert_int_equal(b[2].n, 500000);
    assert_int_equal(b[3].after, 2);
    assert_int_equal(b[3].n, 500000);
    free(b);
    assert_int_equal(m.median, 1);
    assert_false(m.median_exact);
    assert_int_equal(m.min, 0);
    assert_true(m.min_exact);
    assert_int_equal(m.max, 2);
    assert_false(m.max_exact);
}

static void
test_refused(void **state)
{
    struct scheme s = api_example();
    struct summary_money m;
    struct claim_group g = {.categories = cats("health"), .n = -1};

    (void)state;
    assert_false(summary_compute(&s, &g, 1, 10, NULL, &m));
    g.n = 1;
    assert_false(summary_compute(&s, &g, 1, -1, NULL, &m));
    g.documented_loss = -1;
    assert_false(summary_compute(&s, &g, 1, 10, NULL, &m));
    g.documented_loss = 0;
    g.hours_spent = -1;
    assert_false(summary_compute(&s, &g, 1, 10, NULL, &m));
    struct award_bin *b = (struct award_bin *)&m;
    size_t nb = 77;
    g.n = -3;
    assert_false(summary_distribution(&s, &g, 1, &b, &nb));
    assert_true(b == (struct award_bin *)&m);
    assert_true(nb == 77);
}

/* Figures beyond int64_t are exact (docs/decisions.md "Figures beyond 64 bits"): every
 * scheme field at its maximum, 10^4 claims, affected_count 10^10. */
static void
test_beyond_int64(void **state)
{
    struct scheme s = {.currency = "EUR"};
    struct summary_money m;
    const i128 award = (i128)MONEY_AMOUNT_MAX * (1 + DATA_CATEGORY_COUNT + 1 + 1000);
    const i128 e10 = INT64_C(10000000000);

    (void)state;
    s.base_amount = MONEY_AMOUNT_MAX;
    for (int i = 0; i < DATA_CATEGORY_COUNT; i++) {
        s.has_supplement[i] = true;
        s.supplement[i] = MONEY_AMOUNT_MAX;
    }
    s.reimburse = true;
    s.loss_cap = MONEY_AMOUNT_MAX;
    s.hourly_rate = MONEY_AMOUNT_MAX;
    s.max_hours = SCHEME_MAX_HOURS_MAX;
    struct errors e = {0};
    assert_true(scheme_validate(&s, "EUR", &e));
    /* the example: no claim, base 10^12 × affected 10^10 = 10^22 */
    assert_true(summary_compute(&s, NULL, 0, e10, NULL, &m));
    assert_true(m.projection_before_cap == (i128)MONEY_AMOUNT_MAX * e10);
    assert_true(m.projection_after_cap == m.projection_before_cap);
    /* 10^4 claims of the largest award: T = 1.014 × 10^19 > INT64_MAX */
    struct claim_group g = {.categories = (1u << DATA_CATEGORY_COUNT) - 1,
                            .documented_loss = INT64_C(10000000000000),
                            .hours_spent = 1000,
                            .n = 10000};
    assert_true(summary_compute(&s, &g, 1, e10, NULL, &m));
    assert_true(m.total_before_cap == award * 10000);
    assert_true(m.total_before_cap > INT64_MAX);
    assert_true(m.total_after_cap == m.total_before_cap);
    assert_true(m.time_spent == (i128)MONEY_AMOUNT_MAX * 1000 * 10000);
    assert_true(m.mean == (int64_t)award);
    assert_true(m.projection_before_cap == award * e10);
    assert_string_equal(m.pro_rata_factor, "1.000000");
    /* under the largest cap: the awards add up to the cap exactly, the factor is exact */
    s.has_fund_cap = true;
    s.fund_cap = MONEY_AMOUNT_MAX;
    assert_true(summary_compute(&s, &g, 1, e10, NULL, &m));
    assert_true(m.capped);
    assert_true(m.total_after_cap == MONEY_AMOUNT_MAX);
    assert_true(m.projection_after_cap == MONEY_AMOUNT_MAX);
    assert_int_equal(m.mean, MONEY_AMOUNT_MAX / 10000);
    assert_int_equal(m.min, MONEY_AMOUNT_MAX / 10000);
    assert_int_equal(m.max, MONEY_AMOUNT_MAX / 10000);
    char want[MONEY_RATIO_LEN];
    ratio_format_wide(MONEY_AMOUNT_MAX, award * 10000, want);
    assert_string_equal(m.pro_rata_factor, want);
    assert_string_equal(m.pro_rata_factor, "0.000000"); /* 9.86 × 10^-8, truncated */
    /* voucher totals over many claims: 16 vouchers are not needed, one of 10^12 will do */
    s.has_fund_cap = false;
    s.n_vouchers = 1;
    snprintf(s.vouchers[0].name, sizeof s.vouchers[0].name, "bon");
    s.vouchers[0].amount = MONEY_AMOUNT_MAX;
    g.n = INT64_C(9000000000); /* 9 × 10^9 voucher claims */
    assert_true(summary_compute(&s, &g, 1, e10, NULL, &m));
    assert_true(m.vouchers[0].total == (i128)MONEY_AMOUNT_MAX * INT64_C(9000000000));
    assert_true(m.total_before_cap == award * INT64_C(9000000000));
}

/* ---- property tests ---------------------------------------------------------------- */

static uint64_t rng_state;
static uint64_t seed;
static int iteration;

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

static uint64_t
seed_from_env(void)
{
    const char *env = getenv("RECOURS_TEST_SEED");

    if (env != NULL && *env != '\0')
        return strtoull(env, NULL, 0);
    return (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
}

#define PROPERTY(cond)                                                                         \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            print_error("property failed: %s, seed %llu (RECOURS_TEST_SEED=%llu), iteration " \
                        "%d\n",                                                                \
                        #cond, (unsigned long long)seed, (unsigned long long)seed, iteration); \
            fail();                                                                            \
        }                                                                                      \
    } while (0)

#define MAX_GROUPS 12
#define MAX_CLAIMS 400

/* Amounts: small (many ties) or anywhere up to 10^12 (128-bit paths). */
static int64_t
amount(bool small)
{
    return small ? upto(12) : (rng_next() % 3 ? upto(100000) : upto(INT64_C(1000000000000)));
}

static void
random_scheme(struct scheme *s, bool small)
{
    memset(s, 0, sizeof *s);
    memcpy(s->currency, "EUR", 4);
    s->base_amount = amount(small);
    for (int i = 0; i < DATA_CATEGORY_COUNT; i++) {
        s->has_supplement[i] = rng_next() % 3 == 0;
        s->supplement[i] = s->has_supplement[i] ? amount(small) : 0;
    }
    s->reimburse = rng_next() % 2;
    s->loss_cap = amount(small);
    s->hourly_rate = small ? upto(3) : amount(false);
    s->max_hours = upto(small ? 5 : 1000);
    if (rng_next() % 2) {
        /* vouchers splitting the base */
        int64_t left = s->base_amount;
        size_t n = (size_t)upto(3) + 1;
        for (size_t i = 0; i < n; i++) {
            int64_t a = i + 1 == n ? left : upto(left);
            snprintf(s->vouchers[i].name, sizeof s->vouchers[i].name, "v%zu", i);
            s->vouchers[i].amount = a;
            left -= a;
        }
        s->n_vouchers = n;
    }
    s->has_cash_ratio = rng_next() % 2;
    s->cash_ratio_bp = (int32_t)upto(MONEY_BP_ONE - 1) + 1;
    struct errors e = {0};
    PROPERTY(scheme_validate(s, "EUR", &e));
}

static size_t
random_groups(struct claim_group *g, bool small, int64_t max_n)
{
    size_t n = (size_t)upto(MAX_GROUPS - 1) + 1;

    for (size_t i = 0; i < n; i++) {
        g[i] = (struct claim_group){
            .categories = (category_set)upto((1 << DATA_CATEGORY_COUNT) - 1),
            .documented_loss = small ? upto(15) : upto(INT64_C(10000000000)),
            .hours_spent = small ? upto(6) : upto(1000),
            .cash = rng_next() % 2,
            .n = upto(max_n),
        };
        if (i > 0 && rng_next() % 4 == 0) {
            g[i] = g[upto((int64_t)i - 1)]; /* a repeated key */
            g[i].n = upto(max_n);
        }
    }
    return n;
}

/* The fund cap: none, above T, or binding at T/2, T/3 (many ties) or anywhere in 1..T-1. */
static void
random_cap(struct scheme *s, const struct claim_group *g, size_t n)
{
    struct summary_money m;

    s->has_fund_cap = false;
    if (!summary_compute(s, g, n, 0, NULL, &m) || m.total_before_cap < 2 || rng_next() % 6 == 0)
        return;
    /* T may exceed int64_t (a cap of 10^12 then binds whatever the draw) */
    int64_t t = m.total_before_cap > INT64_MAX / 2 ? INT64_MAX / 2 : (int64_t)m.total_before_cap;
    s->has_fund_cap = true;
    switch (rng_next() % 4) {
    case 0:
        s->fund_cap = t / 2;
        break;
    case 1:
        s->fund_cap = t / 3 > 0 ? t / 3 : 1;
        break;
    case 2:
        s->fund_cap = t + upto(10);
        break;
    default:
        s->fund_cap = upto(t - 2) + 1;
    }
    if (s->fund_cap > MONEY_AMOUNT_MAX)
        s->fund_cap = MONEY_AMOUNT_MAX;
}

struct oracle {
    int64_t eligible, total_before, total_after, sum_after;
    int64_t min, max, median, mean;
    bool after_le_before;
};

struct one {
    int64_t before, after, r;
    uint64_t ref;
    bool member; /* of the subset, for summary_compute_subset */
};

static int
by_remainder_then_ref(const void *pa, const void *pb)
{
    const struct one *a = pa, *b = pb;

    if (a->r != b->r)
        return (a->r < b->r) - (a->r > b->r);
    return (a->ref > b->ref) - (a->ref < b->ref);
}

static int
by_after(const void *pa, const void *pb)
{
    const struct one *a = pa, *b = pb;

    return (a->after > b->after) - (a->after < b->after);
}

/* Claim by claim, as docs/api.md §11.3 says, with refs[i] as claim i's reference rank. */
static size_t
expand(const struct scheme *s, const struct claim_group *g, size_t ng, struct one *c)
{
    size_t n = 0;

    for (size_t i = 0; i < ng; i++) {
        struct award_parts p;
        PROPERTY(award_compute(s, g[i].categories, g[i].documented_loss, g[i].hours_spent,
                               g[i].cash, &p));
        for (int64_t k = 0; k < g[i].n; k++)
            c[n++] = (struct one){.before = p.total, .after = p.total};
    }
    return n;
}

static void
oracle_run(const struct scheme *s, struct one *c, size_t n, struct oracle *o)
{
    i128 t = 0;

    memset(o, 0, sizeof *o);
    for (size_t i = 0; i < n; i++) {
        c[i].after = c[i].before;
        t += c[i].before;
    }
    o->eligible = (int64_t)n;
    o->total_before = (int64_t)t;
    if (s->has_fund_cap && t > s->fund_cap) {
        i128 floors = 0;
        for (size_t i = 0; i < n; i++) {
            i128 p = (i128)c[i].before * s->fund_cap;
            c[i].after = (int64_t)(p / t);
            c[i].r = (int64_t)(p % t);
            floors += c[i].after;
        }
        qsort(c, n, sizeof *c, by_remainder_then_ref);
        for (size_t i = 0; i < (size_t)(s->fund_cap - floors); i++)
            c[i].after++;
    }
    o->after_le_before = true;
    for (size_t i = 0; i < n; i++) {
        o->sum_after += c[i].after;
        o->after_le_before &= c[i].after <= c[i].before;
    }
    o->total_after = o->sum_after;
    if (n == 0)
        return;
    qsort(c, n, sizeof *c, by_after);
    o->min = c[0].after;
    o->max = c[n - 1].after;
    o->median = (int64_t)(((i128)c[(n - 1) / 2].after + c[n / 2].after) / 2);
    o->mean = o->sum_after / (int64_t)n;
}

static void
shuffle_refs(struct one *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        c[i].ref = i;
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)upto((int64_t)i - 1);
        uint64_t tmp = c[i - 1].ref;
        c[i - 1].ref = c[j].ref;
        c[j].ref = tmp;
    }
}

static void
assert_same(const struct summary_money *a, const struct summary_money *b)
{
    PROPERTY(a->base == b->base && a->documented_loss == b->documented_loss &&
             a->time_spent == b->time_spent);
    for (int i = 0; i < DATA_CATEGORY_COUNT; i++)
        PROPERTY(a->supplements[i] == b->supplements[i]);
    PROPERTY(a->total_before_cap == b->total_before_cap && a->capped == b->capped &&
             a->total_after_cap == b->total_after_cap);
    PROPERTY(strcmp(a->pro_rata_factor, b->pro_rata_factor) == 0);
    PROPERTY(a->mean == b->mean && a->median == b->median && a->min == b->min &&
             a->max == b->max);
    PROPERTY(a->median_exact == b->median_exact && a->min_exact == b->min_exact &&
             a->max_exact == b->max_exact);
    PROPERTY(a->eligible == b->eligible && a->voucher_claims == b->voucher_claims &&
             a->cash_claims == b->cash_claims);
    for (int i = 0; i < SCHEME_VOUCHERS_MAX; i++)
        PROPERTY(a->vouchers[i].count == b->vouchers[i].count &&
                 a->vouchers[i].total == b->vouchers[i].total);
    PROPERTY(a->projection_before_cap == b->projection_before_cap &&
             a->projection_after_cap == b->projection_after_cap);
}

/* Distribution-level invariants that hold at any size. */
static void
check_distribution(const struct scheme *s, const struct claim_group *g, size_t ng,
                   const struct summary_money *m)
{
    struct award_bin *b = NULL;
    size_t nb = 0;
    i128 sum = 0, count = 0;

    PROPERTY(summary_distribution(s, g, ng, &b, &nb));
    for (size_t i = 0; i < nb; i++) {
        PROPERTY(b[i].n > 0 && b[i].after >= 0 && b[i].after <= b[i].before);
        PROPERTY(i == 0 || b[i - 1].after <= b[i].after);
        sum += (i128)b[i].after * b[i].n;
        count += b[i].n;
    }
    free(b);
    PROPERTY(count == m->eligible);
    PROPERTY(sum == m->total_after_cap);
    PROPERTY(!m->capped || sum == s->fund_cap);
    PROPERTY(m->capped || sum == m->total_before_cap);
    PROPERTY(m->eligible == 0 || m->mean == m->total_after_cap / m->eligible);
    PROPERTY(m->min <= m->median && m->median <= m->max);
}

/* Group order and group splitting change nothing. */
static void
check_invariance(const struct scheme *s, const struct claim_group *g, size_t ng,
                 int64_t affected, const struct summary_money *m)
{
    struct claim_group h[MAX_GROUPS + 1];
    struct summary_money m2;

    memcpy(h, g, ng * sizeof *g);
    for (size_t i = ng; i > 1; i--) {
        size_t j = (size_t)upto((int64_t)i - 1);
        struct claim_group tmp = h[i - 1];
        h[i - 1] = h[j];
        h[j] = tmp;
    }
    PROPERTY(summary_compute(s, h, ng, affected, NULL, &m2));
    assert_same(m, &m2);

    size_t k = (size_t)upto((int64_t)ng - 1);
    h[ng] = h[k];
    h[ng].n = upto(h[k].n);
    h[k].n -= h[ng].n;
    PROPERTY(summary_compute(s, h, ng + 1, affected, NULL, &m2));
    assert_same(m, &m2);
}

/* summary_compute refused: with a validated scheme, valid groups and fewer than 2^63 claims,
 * nothing may explain it: every figure is computed in 128 bits (docs/decisions.md "Figures
 * beyond 64 bits"). */
static void
check_overflow(const struct scheme *s, const struct claim_group *g, size_t ng,
               int64_t affected)
{
    (void)s;
    (void)g;
    (void)ng;
    (void)affected;
    PROPERTY(false);
}

static void check_shape_sorted(const struct summary_money *m, const struct one *c, size_t n);

static void
test_property_against_oracle(void **state)
{
    static struct one claims[MAX_GROUPS * MAX_CLAIMS];

    (void)state;
    seed = seed_from_env();
    rng_state = seed;
    print_message("test_summary oracle seed %llu\n", (unsigned long long)seed);
    int refused = 0;
    for (iteration = 0; iteration < 1000; iteration++) {
        bool small = rng_next() % 2;
        struct scheme s;
        struct claim_group g[MAX_GROUPS];
        struct summary_money m;
        struct oracle o;

        random_scheme(&s, small);
        size_t ng = random_groups(g, small, small ? 30 : MAX_CLAIMS);
        random_cap(&s, g, ng);
        int64_t affected = upto(5000);
        if (!summary_compute(&s, g, ng, affected, NULL, &m)) {
            check_overflow(&s, g, ng, affected);
            refused++;
            continue;
        }
        check_distribution(&s, g, ng, &m);
        check_invariance(&s, g, ng, affected, &m);

        size_t n = expand(&s, g, ng, claims);
        for (int round = 0; round < 3; round++) {
            shuffle_refs(claims, n);
            oracle_run(&s, claims, n, &o);
            PROPERTY(o.eligible == m.eligible && o.total_before == m.total_before_cap);
            PROPERTY(o.total_after == m.total_after_cap && o.after_le_before);
            PROPERTY(!m.capped || o.sum_after == s.fund_cap);
            PROPERTY(o.mean == m.mean);
            PROPERTY(!m.min_exact || o.min == m.min);
            PROPERTY(!m.max_exact || o.max == m.max);
            PROPERTY(!m.median_exact || o.median == m.median);
            check_shape_sorted(&m, claims, n); /* oracle_run sorted them by award */
        }
    }
    print_message("test_summary oracle: %d of 1000 refused on overflow\n", refused);
    PROPERTY(refused < 100);
}

/* The next permutation of p in lexicographic order; false after the last. */
static bool
next_permutation(size_t *p, size_t n)
{
    size_t i = n, j = n - 1, tmp;

    while (i > 1 && p[i - 2] > p[i - 1])
        i--;
    if (i <= 1)
        return false;
    while (p[j] < p[i - 2])
        j--;
    tmp = p[i - 2];
    p[i - 2] = p[j];
    p[j] = tmp;
    for (size_t a = i - 1, b = n - 1; a < b; a++, b--) {
        tmp = p[a];
        p[a] = p[b];
        p[b] = tmp;
    }
    return true;
}

/* On pools of at most 7 claims, every reference order: a stat flagged exact takes one value
 * over all of them, a stat flagged inexact at least two, and the reported value is one of
 * them. */
static void
test_property_exact_flags_precise(void **state)
{
    struct one c[8], base[8];
    size_t perm[8];

    (void)state;
    seed = seed_from_env();
    rng_state = seed ^ 0xA5A5;
    print_message("test_summary flags seed %llu\n", (unsigned long long)seed);
    int inexact[3] = {0, 0, 0};
    for (iteration = 0; iteration < 2000; iteration++) {
        struct scheme s = hours_scheme(1);
        struct claim_group g[4];
        size_t ng = (size_t)upto(3) + 1, n = 0;
        int64_t t = 0;
        struct summary_money m;

        for (size_t i = 0; i < ng; i++)
            g[i] = (struct claim_group){.hours_spent = upto(9), .n = upto(2) + (i == 0)};
        for (size_t i = 0; i < ng; i++)
            n += (size_t)g[i].n;
        for (size_t i = ng; n > 7; i = i > 1 ? i - 1 : ng) {
            if (g[i - 1].n > 0) {
                g[i - 1].n--;
                n--;
            }
        }
        /* caps T/2 and T/3 make remainder ties across awards frequent */
        random_cap(&s, g, ng);
        for (size_t i = 0; i < ng; i++)
            t += g[i].hours_spent * g[i].n;
        if (t >= 2 && rng_next() % 2)
            s.fund_cap = t / (rng_next() % 2 ? 2 : 3) + (t < 3);
        PROPERTY(summary_compute(&s, g, ng, 10, NULL, &m));
        n = expand(&s, g, ng, base);

        int64_t lo[3] = {INT64_MAX, INT64_MAX, INT64_MAX}, hi[3] = {INT64_MIN, INT64_MIN,
                                                                     INT64_MIN};
        bool seen[3] = {false, false, false};
        for (size_t i = 0; i < n; i++)
            perm[i] = i;
        /* every reference order */
        for (;;) {
            struct oracle o;
            for (size_t i = 0; i < n; i++) {
                c[i] = base[i];
                c[i].ref = perm[i];
            }
            oracle_run(&s, c, n, &o);
            const int64_t v[3] = {o.min, o.max, o.median};
            const int64_t want[3] = {m.min, m.max, m.median};
            for (int k = 0; k < 3; k++) {
                lo[k] = v[k] < lo[k] ? v[k] : lo[k];
                hi[k] = v[k] > hi[k] ? v[k] : hi[k];
                seen[k] |= v[k] == want[k];
            }
            if (!next_permutation(perm, n))
                break;
        }
        const bool exact[3] = {m.min_exact, m.max_exact, m.median_exact};
        for (int k = 0; k < 3; k++) {
            PROPERTY(seen[k]);
            PROPERTY(exact[k] == (lo[k] == hi[k]));
        }
        for (int k = 0; k < 3; k++)
            inexact[k] += !exact[k];
    }
    print_message("test_summary flags: of 2000 pools, min %d, max %d, median %d decided by "
                  "references\n",
                  inexact[0], inexact[1], inexact[2]);
    PROPERTY(inexact[0] > 0 && inexact[1] > 0 && inexact[2] > 0);
}

/* Large pools: sizes and amounts where only 128-bit arithmetic is right; distribution
 * invariants, order and split invariance. */
static void
test_property_large(void **state)
{
    (void)state;
    seed = seed_from_env();
    rng_state = seed ^ 0x3C3C;
    print_message("test_summary large seed %llu\n", (unsigned long long)seed);
    int refused = 0;
    for (iteration = 0; iteration < 500; iteration++) {
        struct scheme s;
        struct claim_group g[MAX_GROUPS];
        struct summary_money m;

        random_scheme(&s, false);
        size_t ng = random_groups(g, rng_next() % 2, 200000);
        random_cap(&s, g, ng);
        int64_t affected = upto(10000000);
        if (!summary_compute(&s, g, ng, affected, NULL, &m)) {
            refused++;
            check_overflow(&s, g, ng, affected);
            continue;
        }
        check_distribution(&s, g, ng, &m);
        check_invariance(&s, g, ng, affected, &m);
    }
    print_message("test_summary large: %d of 500 refused on overflow\n", refused);
    PROPERTY(refused < 450);
}


/* ---- the tie-break hook -------------------------------------------------------------- */

/* A fake hook that reads references from c[0..n): the class is the claims whose award is in
 * b->awards; the first b->units by ref get a unit (members only, for a subset). fail makes
 * it give up, lie makes it answer one unit too many. */
struct fake_refs {
    const struct one *c;
    size_t n;
    int calls;
    bool fail, lie;
};

static int
by_ref(const void *pa, const void *pb)
{
    const struct one *a = pa, *b = pb;

    return (a->ref > b->ref) - (a->ref < b->ref);
}

static size_t
award_index(const struct summary_boundary *b, int64_t award)
{
    for (size_t j = 0; j < b->k; j++)
        if (b->awards[j] == award)
            return j;
    return b->k;
}

static bool
fake_split(void *ctx, const struct summary_boundary *b, int64_t *units_out)
{
    struct fake_refs *f = ctx;
    struct one *cls = calloc(f->n + 1, sizeof *cls);
    size_t m = 0;

    f->calls++;
    /* the pool asks only for a mixed class; a subset for any class it has claims in */
    PROPERTY(b->k >= 1 && (b->members != NULL || b->k >= 2));
    for (size_t j = 0; j < b->k; j++) {
        PROPERTY(j == 0 || b->awards[j - 1] < b->awards[j]);
        units_out[j] = 0;
    }
    for (size_t i = 0; i < f->n; i++)
        if (award_index(b, f->c[i].before) < b->k)
            cls[m++] = f->c[i];
    int64_t size = 0;
    for (size_t j = 0; j < b->k; j++)
        size += b->n[j];
    PROPERTY(size == (int64_t)m && b->units > 0 && b->units < size);
    qsort(cls, m, sizeof *cls, by_ref);
    for (int64_t i = 0; i < b->units; i++)
        if (b->members == NULL || cls[i].member)
            units_out[award_index(b, cls[i].before)]++;
    free(cls);
    if (f->lie)
        units_out[0]++;
    return !f->fail;
}

/* Awards 1, 3, 4 under cap 4 (see test_boundary_tie_moves_median): the unit of the tie {1, 3}
 * goes to the smaller reference. 3 first: 0 2 2, median 2, min 0; 1 first: 1 1 2. Exact
 * either way. A hook that fails, or answers more units than there are, leaves the
 * proportional split. */
static void
test_tiebreak_follows_references(void **state)
{
    struct scheme s = hours_scheme(4);
    struct summary_money m, plain;
    const struct claim_group g[] = {{.hours_spent = 1, .n = 1},
                                    {.hours_spent = 3, .n = 1},
                                    {.hours_spent = 4, .n = 1}};
    struct one c[] = {{.before = 1, .ref = 2}, {.before = 3, .ref = 1}, {.before = 4, .ref = 0}};
    struct fake_refs f = {c, 3, 0, false, false};
    const struct summary_tiebreak tb = {fake_split, &f};

    (void)state;
    assert_true(summary_compute(&s, g, 3, 3, &tb, &m));
    assert_int_equal(f.calls, 1);
    assert_int_equal(m.total_after_cap, 4);
    assert_int_equal(m.min, 0);
    assert_int_equal(m.median, 2);
    assert_int_equal(m.max, 2);
    assert_true(m.median_exact && m.min_exact && m.max_exact);

    c[0].ref = 0;
    c[2].ref = 2;
    assert_true(summary_compute(&s, g, 3, 3, &tb, &m));
    assert_int_equal(m.min, 1);
    assert_int_equal(m.median, 1);
    assert_int_equal(m.max, 2);
    assert_true(m.median_exact && m.min_exact && m.max_exact);

    assert_true(summary_compute(&s, g, 3, 3, NULL, &plain));
    f.fail = true;
    assert_true(summary_compute(&s, g, 3, 3, &tb, &m));
    assert_same(&m, &plain);
    f.fail = false;
    f.lie = true;
    assert_true(summary_compute(&s, g, 3, 3, &tb, &m));
    assert_same(&m, &plain);

    /* no cap binding, or a class of one award: the hook is not asked */
    f.lie = false;
    f.calls = 0;
    s.fund_cap = 8;
    assert_true(summary_compute(&s, g, 3, 3, &tb, &m));
    const struct claim_group same[] = {{.hours_spent = 1, .n = 3}};
    s.fund_cap = 2;
    assert_true(summary_compute(&s, same, 1, 3, &tb, &m));
    assert_int_equal(f.calls, 0);
}

/* Three awards of 1000 under a cap of 2000 (the integration test's action case): 666 each
 * and two units for the two smallest references. A subset holding only the largest gets
 * 666, one holding only the smallest 667, exactly. */
static void
test_tiebreak_subset(void **state)
{
    struct scheme s = hours_scheme(2000);
    struct summary_money m;
    const struct claim_group pool[] = {{.hours_spent = 1000, .n = 3}};
    const struct claim_group one[] = {{.hours_spent = 1000, .n = 1}};
    struct one c[] = {{.before = 1000, .ref = 0},
                      {.before = 1000, .ref = 1},
                      {.before = 1000, .ref = 2, .member = true}};
    struct fake_refs f = {c, 3, 0, false, false};
    const struct summary_tiebreak tb = {fake_split, &f};

    (void)state;
    assert_true(summary_compute_subset(&s, pool, 1, one, 1, 3, &tb, &m));
    assert_int_equal(f.calls, 1);
    assert_int_equal(m.total_after_cap, 666);
    assert_int_equal(m.min, 666);
    assert_true(m.median_exact && m.min_exact && m.max_exact);
    c[2].member = false;
    c[0].member = true;
    assert_true(summary_compute_subset(&s, pool, 1, one, 1, 3, &tb, &m));
    assert_int_equal(m.total_after_cap, 667);
    assert_int_equal(m.max, 667);
    assert_true(m.median_exact && m.min_exact && m.max_exact);
}

/* Two member groups in the boundary class, split in proportion (no hook): awards of 1000
 * under a cap of 2002 for T = 4000, q 500 and two units for a class of 4 claims. The voucher
 * group of 3 gets 1 of them (3 × 2 / 4: which of its claims depends on references), the cash
 * group of 1 none (2 / 4 floored, a whole group alike). The flags are those of the group
 * split inexactly in either order (each group's flag used to overwrite the one before). */
static void
test_subset_flags_all_boundary_groups(void **state)
{
    struct scheme s = hours_scheme(2002);
    struct summary_money m;
    const struct claim_group pool[] = {{.hours_spent = 1000, .n = 3},
                                       {.hours_spent = 1000, .cash = true, .n = 1}};
    const struct claim_group reversed[] = {pool[1], pool[0]};

    (void)state;
    assert_true(summary_compute_subset(&s, pool, 2, pool, 2, 4, NULL, &m));
    assert_int_equal(m.total_after_cap, 4 * 500 + 1);
    assert_false(m.min_exact || m.max_exact || m.median_exact || m.shape.histogram_exact);
    assert_true(summary_compute_subset(&s, pool, 2, reversed, 2, 4, NULL, &m));
    assert_false(m.min_exact || m.max_exact || m.median_exact || m.shape.histogram_exact);
    /* a boundary group split whole stays exact when it is the only one */
    assert_true(summary_compute_subset(&s, pool, 2, &pool[1], 1, 4, NULL, &m));
    assert_true(m.min_exact && m.max_exact && m.median_exact);
}

/* A pool of up to 6 groups and 40 claims with caps T/2 and T/3 that make ties across awards
 * frequent; its claims expanded with their group into c and grp. */
static size_t
tie_pool(struct scheme *s, struct claim_group *g, size_t *ng, struct one *c, size_t *grp)
{
    int64_t t = 0;
    size_t n = 0;

    *s = hours_scheme(1);
    *ng = (size_t)upto(5) + 1;
    for (size_t i = 0; i < *ng; i++) {
        g[i] = (struct claim_group){.hours_spent = upto(12), .n = upto(6) + (i == 0)};
        t += g[i].hours_spent * g[i].n;
        for (int64_t k = 0; k < g[i].n; k++) {
            c[n] = (struct one){.before = g[i].hours_spent, .member = rng_next() % 2};
            grp[n++] = i;
        }
    }
    random_cap(s, g, *ng);
    if (t >= 2 && rng_next() % 4 != 0)
        s->fund_cap = t / (rng_next() % 2 ? 2 : 3) + (t < 3);
    shuffle_refs(c, n);
    return n;
}

/* Stats of the members' awards after the cap in c (oracle output). */
static void
member_stats(struct one *c, size_t n, struct oracle *o)
{
    int64_t v[64];
    size_t k = 0;

    memset(o, 0, sizeof *o);
    qsort(c, n, sizeof *c, by_after);
    for (size_t i = 0; i < n; i++)
        if (c[i].member)
            v[k++] = c[i].after;
    o->eligible = (int64_t)k;
    for (size_t i = 0; i < k; i++)
        o->sum_after += v[i];
    if (k == 0)
        return;
    o->min = v[0];
    o->max = v[k - 1];
    o->median = (int64_t)(((i128)v[(k - 1) / 2] + v[k / 2]) / 2);
    o->mean = o->sum_after / (int64_t)k;
}

static void subset_shape_exact(const struct summary_money *m, const struct one *c, size_t n);

/* With the hook, the pool's and a random subset's award statistics are the claim-by-claim
 * ones for the given references, flagged exact, and everything else is unchanged. */
static void
test_property_tiebreak_against_oracle(void **state)
{
    struct one c[64], work[64];
    size_t grp[64];
    int calls = 0;

    (void)state;
    seed = seed_from_env();
    rng_state = seed ^ 0x5A5A;
    print_message("test_summary tiebreak seed %llu\n", (unsigned long long)seed);
    for (iteration = 0; iteration < 3000; iteration++) {
        struct scheme s;
        struct claim_group g[8], mg[8];
        struct summary_money m, plain;
        struct oracle o;
        size_t ng;
        size_t n = tie_pool(&s, g, &ng, c, grp);
        struct fake_refs f = {c, n, 0, false, false};
        const struct summary_tiebreak tb = {fake_split, &f};

        PROPERTY(summary_compute(&s, g, ng, 10, NULL, &plain));
        PROPERTY(summary_compute(&s, g, ng, 10, &tb, &m));
        memcpy(work, c, n * sizeof *c);
        oracle_run(&s, work, n, &o);
        PROPERTY(m.total_after_cap == o.total_after && m.mean == o.mean);
        PROPERTY(m.min == o.min && m.max == o.max && m.median == o.median);
        PROPERTY(m.min_exact && m.max_exact && m.median_exact);
        /* what the hook does not touch */
        plain.min = m.min, plain.max = m.max, plain.median = m.median;
        plain.min_exact = plain.max_exact = plain.median_exact = true;
        assert_same(&m, &plain);

        for (size_t i = 0; i < ng; i++)
            mg[i] = (struct claim_group){.hours_spent = g[i].hours_spent};
        for (size_t i = 0; i < n; i++)
            mg[grp[i]].n += c[i].member;
        PROPERTY(summary_compute_subset(&s, g, ng, mg, ng, 10, &tb, &m));
        member_stats(work, n, &o);
        PROPERTY(m.eligible == o.eligible && m.total_after_cap == o.sum_after);
        PROPERTY(m.min == o.min && m.max == o.max && m.median == o.median && m.mean == o.mean);
        PROPERTY(m.min_exact && m.max_exact && m.median_exact);
        subset_shape_exact(&m, work, n); /* the deciles and histogram too */
        calls += f.calls;
    }
    print_message("test_summary tiebreak: the hook settled %d boundary classes\n", calls);
    PROPERTY(calls > 100);
}

/* ---- deciles and histogram (domain/award_shape.h) against the claims one by one -------- */

/* Decile k of the sorted awards v[0..n), by its definition: x = (n − 1) × k / 10, the floor
 * of the mean of the awards at floor(x) and ceil(x). */
static int64_t
brute_decile(const int64_t *v, size_t n, int k)
{
    size_t lo = (n - 1) * (size_t)k / 10, hi = lo + ((n - 1) * (size_t)k % 10 != 0);

    return (int64_t)(((i128)v[lo] + v[hi]) / 2);
}

/* The histogram of v[0..n) (sorted) by its definition: the smallest width w with 10 bins of w
 * reaching max from min, bins [min + i w, min + (i + 1) w − 1] up to max, each award counted
 * where it falls. Returns the number of bins. */
static size_t
brute_histogram(const int64_t *v, size_t n, struct award_histogram_bin *bins)
{
    int64_t min = v[0], max = v[n - 1], w = 1, top = max - min + 1;
    size_t nb = 0;

    /* the smallest w ≥ 1 with 10 w ≥ max − min + 1, by bisection (amounts reach 10^12) */
    while (w < top) {
        int64_t mid = w + (top - w) / 2;
        if ((i128)mid * AWARD_HISTOGRAM_BINS >= (i128)max - min + 1)
            top = mid;
        else
            w = mid + 1;
    }
    for (i128 lower = min; lower <= max; lower += w) {
        bins[nb].lower = (int64_t)lower;
        bins[nb].upper = lower + w - 1 < max ? (int64_t)(lower + w - 1) : max;
        bins[nb].n = 0;
        for (size_t i = 0; i < n; i++)
            bins[nb].n += v[i] >= bins[nb].lower && v[i] <= bins[nb].upper;
        nb++;
    }
    return nb;
}

/* The shape of *m against the awards after the cap v[0..n) (sorted): every figure flagged
 * exact equals the brute-force one; p50 is the median; the bins always partition
 * [min, max] and count every claim. */
static void
check_shape(const struct summary_money *m, const int64_t *v, size_t n)
{
    struct award_histogram_bin want[AWARD_HISTOGRAM_BINS + 1];
    const struct award_shape *sh = &m->shape;

    PROPERTY((int64_t)n == m->eligible);
    if (n == 0) {
        PROPERTY(sh->n_bins == 0);
        return;
    }
    PROPERTY(sh->deciles[4] == m->median && sh->deciles_exact[4] == m->median_exact);
    for (int k = 0; k < AWARD_DECILES; k++) {
        PROPERTY(!sh->deciles_exact[k] || sh->deciles[k] == brute_decile(v, n, k + 1));
        PROPERTY(k == 0 || sh->deciles[k - 1] <= sh->deciles[k]);
    }
    PROPERTY(sh->n_bins >= 1 && sh->n_bins <= AWARD_HISTOGRAM_BINS);
    PROPERTY(sh->bins[0].lower == m->min && sh->bins[sh->n_bins - 1].upper == m->max);
    int64_t total = 0;
    for (size_t i = 0; i < sh->n_bins; i++) {
        PROPERTY(sh->bins[i].lower <= sh->bins[i].upper);
        PROPERTY(i == 0 || sh->bins[i].lower == sh->bins[i - 1].upper + 1);
        total += sh->bins[i].n;
    }
    PROPERTY(total == m->eligible);
    if (!sh->histogram_exact)
        return;
    size_t nb = brute_histogram(v, n, want);
    PROPERTY(nb == sh->n_bins);
    for (size_t i = 0; i < nb && i < sh->n_bins; i++)
        PROPERTY(want[i].lower == sh->bins[i].lower && want[i].upper == sh->bins[i].upper &&
                 want[i].n == sh->bins[i].n);
}

static void
awards_of(const struct one *c, size_t n, bool members_only, int64_t *v, size_t *nv)
{
    *nv = 0;
    for (size_t i = 0; i < n; i++)
        if (!members_only || c[i].member)
            v[(*nv)++] = c[i].after;
}

/* The shape against the claims c[0..n) (sorted by award after the cap), one by one. */
static void
check_shape_sorted(const struct summary_money *m, const struct one *c, size_t n)
{
    static int64_t v[MAX_GROUPS * MAX_CLAIMS];
    size_t nv;

    awards_of(c, n, false, v, &nv);
    check_shape(m, v, nv);
}

/* A subset settled by the hook: its deciles and histogram are the members' own, exact. */
static void
subset_shape_exact(const struct summary_money *m, const struct one *c, size_t n)
{
    int64_t v[64];
    size_t nv;

    awards_of(c, n, true, v, &nv);
    for (int k = 0; k < AWARD_DECILES; k++)
        PROPERTY(m->shape.deciles_exact[k]);
    PROPERTY(m->shape.histogram_exact);
    check_shape(m, v, nv);
}

static void
test_shape_api_example(void **state)
{
    struct scheme s = api_example();
    struct summary_money m;

    (void)state;
    assert_true(summary_compute(&s, api_claims, 3, 1000, NULL, &m));
    /* awards 2279, 8734, 18987: p10 ranks 0 and 1, p50 rank 1, p90 ranks 1 and 2 */
    assert_int_equal(m.shape.deciles[0], (2279 + 8734) / 2);
    assert_int_equal(m.shape.deciles[4], 8734);
    assert_int_equal(m.shape.deciles[8], (8734 + 18987) / 2);
    /* width ceil((18987 − 2279 + 1) / 10) = 1671: bins from 2279, the last ends at 18987 */
    assert_int_equal(m.shape.bin_width, 1671);
    assert_int_equal(m.shape.n_bins, 10);
    assert_int_equal(m.shape.bins[0].lower, 2279);
    assert_int_equal(m.shape.bins[0].n, 1);
    assert_int_equal(m.shape.bins[3].lower, 2279 + 3 * 1671);
    assert_int_equal(m.shape.bins[3].n, 1); /* 8734 */
    assert_int_equal(m.shape.bins[9].upper, 18987);
    assert_int_equal(m.shape.bins[9].n, 1);
    assert_true(m.shape.histogram_exact);

    /* one award value: one bin; none: no bin */
    const struct claim_group same[] = {{.categories = 1, .n = 5}};
    assert_true(summary_compute(&s, same, 1, 10, NULL, &m));
    assert_int_equal(m.shape.n_bins, 1);
    assert_int_equal(m.shape.bins[0].n, 5);
    assert_true(summary_compute(&s, NULL, 0, 10, NULL, &m));
    assert_int_equal(m.shape.n_bins, 0);
}

/* Small pools, every reference order: a decile flagged exact takes one value over all of
 * them and one flagged inexact at least two (the median's precision); a histogram flagged
 * exact has the same counts under every order. */
static void
test_property_shape_flags(void **state)
{
    struct one c[8], base[8];
    size_t perm[8];
    int inexact = 0, hist_inexact = 0;

    (void)state;
    seed = seed_from_env();
    rng_state = seed ^ 0x1F1F;
    print_message("test_summary shape flags seed %llu\n", (unsigned long long)seed);
    for (iteration = 0; iteration < 2000; iteration++) {
        struct scheme s = hours_scheme(1);
        struct claim_group g[4];
        size_t ng = (size_t)upto(3) + 1, n = 0;
        int64_t t = 0, v[8];
        struct summary_money m;

        for (size_t i = 0; i < ng; i++) {
            g[i] = (struct claim_group){.hours_spent = upto(30), .n = upto(2) + (i == 0)};
            n += (size_t)g[i].n;
            t += g[i].hours_spent * g[i].n;
        }
        if (n > 7)
            continue;
        s.has_fund_cap = t >= 2;
        s.fund_cap = t / (rng_next() % 2 ? 2 : 3) + (t < 3);
        PROPERTY(summary_compute(&s, g, ng, 10, NULL, &m));
        n = expand(&s, g, ng, base);
        int64_t lo[AWARD_DECILES], hi[AWARD_DECILES], counts[AWARD_HISTOGRAM_BINS];
        bool counts_vary = false, first = true;
        for (size_t i = 0; i < n; i++)
            perm[i] = i;
        for (;;) {
            struct oracle o;
            struct award_histogram_bin want[AWARD_HISTOGRAM_BINS + 1];
            size_t nv;
            for (size_t i = 0; i < n; i++) {
                c[i] = base[i];
                c[i].ref = perm[i];
            }
            oracle_run(&s, c, n, &o);
            awards_of(c, n, false, v, &nv);
            check_shape(&m, v, nv);
            for (int k = 0; k < AWARD_DECILES && n > 0; k++) {
                int64_t d = brute_decile(v, n, k + 1);
                lo[k] = first || d < lo[k] ? d : lo[k];
                hi[k] = first || d > hi[k] ? d : hi[k];
            }
            if (n > 0 && o.min == m.min && o.max == m.max) {
                size_t nb = brute_histogram(v, n, want);
                for (size_t i = 0; i < nb; i++) {
                    counts_vary |= !first && counts[i] != want[i].n;
                    counts[i] = want[i].n;
                }
            }
            first = false;
            if (!next_permutation(perm, n))
                break;
        }
        for (int k = 0; k < AWARD_DECILES && n > 0; k++) {
            PROPERTY(m.shape.deciles_exact[k] == (lo[k] == hi[k]));
            inexact += !m.shape.deciles_exact[k];
        }
        PROPERTY(!m.shape.histogram_exact || !counts_vary);
        hist_inexact += !m.shape.histogram_exact;
    }
    print_message("test_summary shape flags: %d deciles and %d histograms decided by "
                  "references\n", inexact, hist_inexact);
    PROPERTY(inexact > 0 && hist_inexact > 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_example),
        cmocka_unit_test(test_coupang),
        cmocka_unit_test(test_equifax_style),
        cmocka_unit_test(test_cash_ratio),
        cmocka_unit_test(test_empty_and_merge),
        cmocka_unit_test(test_boundary_tie_moves_median),
        cmocka_unit_test(test_boundary_tie_spares_median),
        cmocka_unit_test(test_boundary_tie_large),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_beyond_int64),
        cmocka_unit_test(test_property_against_oracle),
        cmocka_unit_test(test_property_exact_flags_precise),
        cmocka_unit_test(test_property_large),
        cmocka_unit_test(test_tiebreak_follows_references),
        cmocka_unit_test(test_tiebreak_subset),
        cmocka_unit_test(test_subset_flags_all_boundary_groups),
        cmocka_unit_test(test_property_tiebreak_against_oracle),
        cmocka_unit_test(test_shape_api_example),
        cmocka_unit_test(test_property_shape_flags),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
