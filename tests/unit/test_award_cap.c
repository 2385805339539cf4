/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* domain/award_cap: claim-by-claim awards after the fund cap against an oracle that applies
 * docs/api.md §11.3 literally (floor(a × cap / T), then a unit each to the largest remainders, ties
 * by reference ascending), on hand-made pools (no cap, cap not binding, a boundary class of
 * one award, a boundary class of two awards) and random ones (seed printed on failure). The
 * awards always add up to the cap. */
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
#include "domain/award_cap.h"

#define MAX_CLAIMS 400

/* A scheme whose award is the claim's hours: base 0, 1 unit per hour, up to 1000 h. */
static struct scheme
hours_scheme(bool capped, int64_t cap)
{
    struct scheme s = {.currency = "EUR", .hourly_rate = 1, .max_hours = 1000};

    s.has_fund_cap = capped;
    s.fund_cap = cap;
    return s;
}

struct claim {
    int64_t a;
    int ref; /* references compare like these integers */
    int64_t r;
    int64_t expected;
};

static int
by_remainder_then_ref(const void *x, const void *y)
{
    const struct claim *p = *(struct claim *const *)x, *q = *(struct claim *const *)y;

    if (p->r != q->r)
        return p->r > q->r ? -1 : 1;
    return (p->ref > q->ref) - (p->ref < q->ref);
}

/* docs/api.md §11.3, literally. */
static void
oracle(const struct scheme *s, struct claim *c, size_t n)
{
    int64_t total = 0, floors = 0;
    struct claim *order[MAX_CLAIMS];

    for (size_t i = 0; i < n; i++)
        total += c[i].a;
    for (size_t i = 0; i < n; i++) {
        order[i] = &c[i];
        if (!s->has_fund_cap || total <= s->fund_cap) {
            c[i].expected = c[i].a;
            c[i].r = 0;
            continue;
        }
        c[i].expected = c[i].a * s->fund_cap / total;
        c[i].r = c[i].a * s->fund_cap % total;
        floors += c[i].expected;
    }
    if (!s->has_fund_cap || total <= s->fund_cap)
        return;
    qsort(order, n, sizeof *order, by_remainder_then_ref);
    for (int64_t k = 0; k < s->fund_cap - floors; k++)
        order[k]->expected++;
}

/* What the export does: the pool's groups, the boundary class's cutoff reference, then each
 * claim on its own. */
static void
check_pool(const struct scheme *s, struct claim *c, size_t n, unsigned seed)
{
    struct claim_group g[MAX_CLAIMS];
    struct award_cap cap;
    int64_t sum = 0;
    int cutoff = -1;

    oracle(s, c, n);
    for (size_t i = 0; i < n; i++)
        g[i] = (struct claim_group){.hours_spent = c[i].a, .n = 1};
    assert_true(award_cap_prepare(s, g, n, &cap));
    /* cutoff: the units-th claim of the boundary class by reference */
    if (cap.capped && cap.units > 0) {
        int refs[MAX_CLAIMS], k = 0;
        for (size_t i = 0; i < n; i++) {
            int64_t after;
            enum award_unit u;
            assert_true(award_cap_apply(&cap, c[i].a, &after, &u));
            if (u == AWARD_UNIT_BY_REFERENCE)
                refs[k++] = c[i].ref;
        }
        assert_int_equal(k, cap.class_size);
        for (int i = 0; i < k; i++)
            for (int j = i + 1; j < k; j++)
                if (refs[j] < refs[i]) {
                    int t = refs[i];
                    refs[i] = refs[j];
                    refs[j] = t;
                }
        cutoff = refs[cap.units - 1];
    }
    for (size_t i = 0; i < n; i++) {
        int64_t after;
        enum award_unit u;
        assert_true(award_cap_apply(&cap, c[i].a, &after, &u));
        if (u == AWARD_UNIT_ONE || (u == AWARD_UNIT_BY_REFERENCE && c[i].ref <= cutoff))
            after++;
        if (after != c[i].expected)
            fprintf(stderr, "seed %u: claim %zu (a=%lld ref=%d) got %lld, expected %lld\n", seed, i,
                    (long long)c[i].a, c[i].ref, (long long)after, (long long)c[i].expected);
        assert_int_equal(after, c[i].expected);
        sum += after;
    }
    if (cap.capped)
        assert_int_equal(sum, s->fund_cap);
}

static void
test_no_cap_and_cap_not_binding(void **state)
{
    struct claim c[] = {{.a = 100, .ref = 3}, {.a = 50, .ref = 1}, {.a = 0, .ref = 2}};
    struct scheme none = hours_scheme(false, 0), loose = hours_scheme(true, 150);

    (void)state;
    check_pool(&none, c, 3, 0);
    assert_int_equal(c[0].expected, 100);
    check_pool(&loose, c, 3, 0);
    assert_int_equal(c[1].expected, 50);
}

/* Three equal awards of 10 under a cap of 20: each gets 6 and 2/3; two units go to the two
 * smallest references. */
static void
test_boundary_class_of_one_award(void **state)
{
    struct claim c[] = {{.a = 10, .ref = 30}, {.a = 10, .ref = 10}, {.a = 10, .ref = 20}};
    struct scheme s = hours_scheme(true, 20);

    (void)state;
    check_pool(&s, c, 3, 0);
    assert_int_equal(c[0].expected, 6);
    assert_int_equal(c[1].expected, 7);
    assert_int_equal(c[2].expected, 7);
}

/* Awards 1, 3, 3, 3 (T = 10) under a cap of 5: every claim has remainder 5 (1 × 5 mod 10 and
 * 3 × 5 mod 10), floors 0, 1, 1, 1 leave 2 units for one class of two award values: the two
 * smallest references get them, whatever their award. */
static void
test_boundary_class_of_two_awards(void **state)
{
    struct claim c[] = {
        {.a = 1, .ref = 4}, {.a = 3, .ref = 2}, {.a = 3, .ref = 3}, {.a = 3, .ref = 1}};
    struct scheme s = hours_scheme(true, 5);

    (void)state;
    check_pool(&s, c, 4, 0);
    assert_int_equal(c[3].expected, 2); /* ref 1: 1 + 1 */
    assert_int_equal(c[1].expected, 2); /* ref 2: 1 + 1 */
    assert_int_equal(c[2].expected, 1);
    assert_int_equal(c[0].expected, 0);
}

static void
test_random_pools(void **state)
{
    unsigned seed = (unsigned)time(NULL);
    struct claim c[MAX_CLAIMS];

    (void)state;
    srand(seed);
    for (int iter = 0; iter < 300; iter++) {
        size_t n = 1 + (size_t)(rand() % MAX_CLAIMS);
        int64_t values = 1 + rand() % 12; /* few distinct awards: many ties */
        int64_t total = 0;
        for (size_t i = 0; i < n; i++) {
            c[i] =
                (struct claim){.a = (rand() % values) * (1 + rand() % 3), .ref = rand() % 1000000};
            total += c[i].a;
        }
        for (size_t i = 0; i < n; i++) /* distinct references */
            c[i].ref = c[i].ref / (int)n * (int)n + (int)i;
        int64_t cap = total > 1 ? 1 + rand() % total : 1;
        struct scheme s = hours_scheme(true, cap);
        check_pool(&s, c, n, seed);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_cap_and_cap_not_binding),
        cmocka_unit_test(test_boundary_class_of_one_award),
        cmocka_unit_test(test_boundary_class_of_two_awards),
        cmocka_unit_test(test_random_pools),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
