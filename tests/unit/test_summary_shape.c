/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* domain/summary_shape: property tests (seed printed; RECOURS_TEST_SEED replays one) against
 * summary_compute over the claims themselves (one group per claim): random claims whose
 * losses are all different and hours spread over 0..1000, put into cells as 0013 does
 * (3-leading-bit buckets, the range of the values seen) with the radix trees' sums computed
 * here by brute force; random schemes with and without a binding cap. Every figure but the
 * distribution equals the oracle's; median, min and max are within true / 8 + 2 and equal it
 * when flagged exact; cells that are all exact give the oracle's distribution itself. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/award.h"
#include "domain/summary.h"
#include "domain/summary_shape.h"

struct claim {
    bool cash;
    category_set cats;
    int64_t loss, hours;
};

static unsigned int seed;

static int64_t
rnd(int64_t lo, int64_t hi)
{
    uint64_t r = ((uint64_t)(unsigned)rand_r(&seed) << 31) ^ (uint64_t)(unsigned)rand_r(&seed);
    return lo + (int64_t)(r % (uint64_t)(hi - lo + 1));
}

static struct scheme
random_scheme(void)
{
    struct scheme s = {0};

    memcpy(s.currency, "EUR", 4);
    s.base_amount = rnd(0, 3) * 1000;
    for (int i = 0; i < 3; i++) {
        s.has_supplement[i] = rnd(0, 1);
        s.supplement[i] = s.has_supplement[i] ? rnd(0, 5000) : 0;
    }
    s.reimburse = rnd(0, 4) > 0;
    const int64_t caps[] = {0, 1, 15, 20000, 123456, 10000000, 10000000000, 1000000000000};
    s.loss_cap = caps[rnd(0, 7)];
    s.hourly_rate = rnd(0, 2) * 2500;
    s.max_hours = rnd(0, 1000);
    return s;
}

/* The claims' cells and sums under s's caps, as the database gives them. */
static size_t
cells_of(const struct claim *c, size_t n, struct shape_cell *out)
{
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < k && !(out[j].cash == c[i].cash && out[j].categories == c[i].cats &&
                          shape_bucket(out[j].loss_min) == shape_bucket(c[i].loss) &&
                          shape_bucket(out[j].hours_min) == shape_bucket(c[i].hours)))
            j++;
        if (j == k)
            out[k++] = (struct shape_cell){c[i].cash, c[i].cats, 0, c[i].loss, c[i].loss,
                                           c[i].hours, c[i].hours};
        struct shape_cell *x = &out[j];
        x->n++;
        x->loss_min = c[i].loss < x->loss_min ? c[i].loss : x->loss_min;
        x->loss_max = c[i].loss > x->loss_max ? c[i].loss : x->loss_max;
        x->hours_min = c[i].hours < x->hours_min ? c[i].hours : x->hours_min;
        x->hours_max = c[i].hours > x->hours_max ? c[i].hours : x->hours_max;
    }
    return k;
}

static void
sums_of(const struct claim *c, size_t n, bool loss, int64_t cap, struct shape_sums *d)
{
    memset(d, 0, sizeof *d);
    for (size_t i = 0; i < n; i++) {
        int64_t v = loss ? c[i].loss : c[i].hours;
        if (v <= 0)
            continue;
        d->n_pos++;
        d->sum_pos += v;
        if (v < cap) {
            d->n_below++;
            d->sum_below += v;
        }
    }
}

static void
assert_near(int64_t got, int64_t want, bool exact)
{
    int64_t diff = got > want ? got - want : want - got;

    if (exact)
        assert_int_equal(got, want);
    else
        assert_true(diff <= want / 8 + 2);
}

/* The summary from these cells and sums against summary_compute over the claims c. */
static void
check_against(const struct claim *c, size_t n, const struct scheme *s,
              const struct shape_cell *cells, size_t k, const struct shape_sums *loss,
              const struct shape_sums *hours)
{
    struct claim_group *g = calloc(n + 1, sizeof *g);
    struct summary_money want, got;

    for (size_t i = 0; i < n; i++)
        g[i] = (struct claim_group){c[i].cats, c[i].loss, c[i].hours, c[i].cash, 1};
    assert_true(summary_compute(s, g, n, 1000000, NULL, &want));
    assert_true(summary_shape_compute(s, cells, k, loss, hours, 1000000, NULL, &got));
    assert_true(want.total_before_cap == got.total_before_cap);
    assert_true(want.total_after_cap == got.total_after_cap);
    assert_true(want.documented_loss == got.documented_loss);
    assert_true(want.time_spent == got.time_spent);
    assert_true(want.base == got.base);
    assert_true(want.projection_before_cap == got.projection_before_cap);
    assert_true(want.projection_after_cap == got.projection_after_cap);
    assert_int_equal(want.capped, got.capped);
    assert_string_equal(want.pro_rata_factor, got.pro_rata_factor);
    assert_int_equal(want.mean, got.mean);
    assert_int_equal(want.eligible, got.eligible);
    assert_int_equal(want.voucher_claims, got.voucher_claims);
    assert_near(got.median, want.median, got.median_exact && want.median_exact);
    assert_near(got.min, want.min, got.min_exact && want.min_exact);
    assert_near(got.max, want.max, got.max_exact && want.max_exact);
    for (int d = 0; d < AWARD_DECILES; d++)
        assert_near(got.shape.deciles[d], want.shape.deciles[d],
                    got.shape.deciles_exact[d] && want.shape.deciles_exact[d]);
    int64_t in_bins = 0;
    for (size_t b = 0; b < got.shape.n_bins; b++)
        in_bins += got.shape.bins[b].n;
    assert_int_equal(in_bins, got.eligible);
    if (got.shape.n_bins > 0) {
        assert_int_equal(got.shape.bins[0].lower, got.min);
        assert_int_equal(got.shape.bins[got.shape.n_bins - 1].upper, got.max);
    }
    if (got.shape.histogram_exact && want.shape.histogram_exact)
        assert_memory_equal(got.shape.bins, want.shape.bins, sizeof got.shape.bins);
    free(g);
}

static void
check_one(const struct claim *c, size_t n, const struct scheme *s)
{
    struct shape_cell *cells = calloc(n + 1, sizeof *cells);
    struct shape_sums loss, hours;
    size_t k = cells_of(c, n, cells);

    sums_of(c, n, true, shape_loss_cap(s), &loss);
    sums_of(c, n, false, shape_hours_cap(s), &hours);
    check_against(c, n, s, cells, k, &loss, &hours);
    free(cells);
}

static struct claim
random_claim(size_t i)
{
    struct claim c;

    c.cash = rnd(0, 1);
    c.cats = (category_set)rnd(1, 3);
    /* distinct losses, most of them close together: several per bucket */
    c.loss = rnd(0, 1) ? 0 : (rnd(0, 2) ? 1000 + (int64_t)i : rnd(1, 10000000000));
    c.hours = rnd(0, 2) ? 0 : rnd(1, 1000);
    return c;
}

static void
test_random_worst_case(void **state)
{
    (void)state;
    for (int round = 0; round < 300; round++) {
        size_t n = (size_t)rnd(1, 400);
        struct claim *c = calloc(n, sizeof *c);
        for (size_t i = 0; i < n; i++)
            c[i] = random_claim(i);
        struct scheme s = random_scheme();
        check_one(c, n, &s);
        struct summary_money m;
        struct claim_group *g = calloc(n, sizeof *g);
        for (size_t i = 0; i < n; i++)
            g[i] = (struct claim_group){c[i].cats, c[i].loss, c[i].hours, c[i].cash, 1};
        assert_true(summary_compute(&s, g, n, 0, NULL, &m));
        if (m.total_before_cap > 1) { /* the same pool under a cap that binds */
            s.has_fund_cap = true;
            s.fund_cap = rnd(1, (int64_t)(m.total_before_cap - 1 < INT64_C(1000000000000)
                                              ? m.total_before_cap - 1
                                              : INT64_C(1000000000000)));
            check_one(c, n, &s);
        }
        free(g);
        free(c);
    }
}

/* Folded cells and sums of claims c[0..m) and of claims d that have left since, with the
 * unfolded changes (+1 for each of c[m..n), −1 for each of d) merged in as the service does:
 * the same counts per cell as the cells of c, ranges that hold c's values, and the summary's
 * figures against summary_compute over c (totals exact, distribution within its bound). */
static void
test_changes_merged(void **state)
{
    (void)state;
    for (int round = 0; round < 300; round++) {
        size_t n = (size_t)rnd(1, 300), m = (size_t)rnd(0, (int64_t)n), l = (size_t)rnd(0, 40);
        struct claim *c = calloc(n + l, sizeof *c);
        for (size_t i = 0; i < n + l; i++)
            c[i] = random_claim(i);
        struct claim *d = c + n; /* folded before they left */
        struct claim *folded = calloc(m + l + 1, sizeof *folded);
        memcpy(folded, c, sizeof *c * m);
        memcpy(folded + m, d, sizeof *d * l);
        struct shape_cell *cells = calloc(m + l + 1, sizeof *cells);
        size_t k = cells_of(folded, m + l, cells);
        struct scheme s = random_scheme();
        struct shape_sums loss, hours;
        sums_of(folded, m + l, true, shape_loss_cap(&s), &loss);
        sums_of(folded, m + l, false, shape_hours_cap(&s), &hours);
        struct shape_change *ch = calloc(n - m + l + 1, sizeof *ch);
        size_t k_ch = 0;
        for (size_t i = 0; i < n - m + l; i++) {
            const struct claim *x = i < n - m ? &c[m + i] : &d[i - (n - m)];
            int64_t sign = i < n - m ? 1 : -1;
            ch[k_ch++] = (struct shape_change){x->cash, x->cats, x->loss, x->hours, sign};
            shape_sums_add(&loss, x->loss, sign, shape_loss_cap(&s));
            shape_sums_add(&hours, x->hours, sign, shape_hours_cap(&s));
        }
        struct shape_cell *merged = calloc(k + k_ch + 1, sizeof *merged);
        size_t k_merged = shape_cells_merge(cells, k, ch, k_ch, merged);
        struct shape_cell *want = calloc(n + 1, sizeof *want);
        size_t k_want = cells_of(c, n, want);
        assert_int_equal(k_merged, k_want);
        for (size_t i = 0; i < k_want; i++) {
            size_t j = 0;
            while (j < k_merged &&
                   !(merged[j].cash == want[i].cash && merged[j].categories == want[i].categories &&
                     shape_bucket(merged[j].loss_min) == shape_bucket(want[i].loss_min) &&
                     shape_bucket(merged[j].hours_min) == shape_bucket(want[i].hours_min)))
                j++;
            assert_true(j < k_merged);
            assert_int_equal(merged[j].n, want[i].n);
            assert_true(merged[j].loss_min <= want[i].loss_min);
            assert_true(merged[j].loss_max >= want[i].loss_max);
            assert_true(merged[j].hours_min <= want[i].hours_min);
            assert_true(merged[j].hours_max >= want[i].hours_max);
        }
        check_against(c, n, &s, merged, k_merged, &loss, &hours);
        free(want);
        free(merged);
        free(ch);
        free(cells);
        free(folded);
        free(c);
    }
}

/* Cells that are all exact: summary_compute's figures, distribution included. */
static void
test_exact_cells(void **state)
{
    struct claim c[] = {{false, 1, 10000, 0}, {true, 3, 20000, 2}, {false, 1, 0, 8},
                        {false, 1, 10000, 0}, {true, 2, 160000, 1}};
    struct shape_cell cells[5];
    struct shape_sums loss, hours;
    struct scheme s = random_scheme();

    (void)state;
    s.reimburse = true;
    s.loss_cap = 50000;
    size_t k = cells_of(c, 5, cells);
    assert_int_equal(k, 4);
    sums_of(c, 5, true, shape_loss_cap(&s), &loss);
    sums_of(c, 5, false, shape_hours_cap(&s), &hours);
    struct summary_money got, want;
    struct claim_group g[5];
    for (size_t i = 0; i < 5; i++)
        g[i] = (struct claim_group){c[i].cats, c[i].loss, c[i].hours, c[i].cash, 1};
    assert_true(summary_compute(&s, g, 5, 10, NULL, &want));
    assert_true(summary_shape_compute(&s, cells, k, &loss, &hours, 10, NULL, &got));
    assert_memory_equal(&want, &got, sizeof want);
}

/* shape_bucket as 0013's summary_bucket defines it: the value's 3 leading bits, the rest 0
 * (the bit length counted one shift at a time, as the SQL's text of the bits does). */
static void
test_bucket_by_its_definition(void **state)
{
    (void)state;
    for (int i = 0; i < 200000; i++) {
        int64_t v = i < 100000 ? i : rnd(0, i % 2 ? INT64_C(10000000000) : INT64_C(1) << 62);
        int bits = 0;
        for (int64_t x = v; x > 0; x >>= 1)
            bits++;
        int64_t want = v < 8 ? v : (v >> (bits - 3)) << (bits - 3);
        assert_int_equal(shape_bucket(v), want);
    }
}

int
main(void)
{
    const char *env = getenv("RECOURS_TEST_SEED");
    seed = env != NULL ? (unsigned)strtoul(env, NULL, 10) : (unsigned)time(NULL);
    fprintf(stderr, "test_summary_shape: RECOURS_TEST_SEED=%u\n", seed);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_worst_case),
        cmocka_unit_test(test_exact_cells),
        cmocka_unit_test(test_changes_merged),
        cmocka_unit_test(test_bucket_by_its_definition),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
