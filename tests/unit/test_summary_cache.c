/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The summary's figures cache (service/summary_cache.h): a hit only for the same folded
 * state, unfolded changes, duplicates, affected count, basis and scheme. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "service/compensation.h"
#include "service/summary_cache.h"

static struct scheme
a_scheme(void)
{
    struct scheme s;

    memset(&s, 0, sizeof s);
    memcpy(s.currency, "EUR", 4);
    s.base_amount = 3000;
    s.has_fund_cap = true;
    s.fund_cap = 1000000;
    s.n_vouchers = 1;
    strcpy(s.vouchers[0].name, "Bon");
    s.vouchers[0].amount = 3000;
    return s;
}

static struct summary_view
a_view(int64_t eligible)
{
    struct summary_view v;

    memset(&v, 0, sizeof v);
    v.eligible = eligible;
    v.has_money = true;
    v.money.mean = 1234;
    return v;
}

static void
test_hit_only_for_the_same_inputs(void **state)
{
    struct scheme s = a_scheme(), other = a_scheme();
    struct tally_group ch[2] = {{"received", false, "FR", 1, 500, 2, 1, NULL},
                                {"verified", true, "DE", 3, 0, 0, -1, NULL}};
    struct summary_view_key k = {7, 3, 0, 50000, false, &s, ch, 2};
    struct summary_view v = a_view(42), got;

    (void)state;
    summary_cache_clear();
    assert_false(summary_cache_get_view(&k, &got));
    summary_cache_put_view(&k, &v);
    memset(&got, 0, sizeof got);
    assert_true(summary_cache_get_view(&k, &got));
    assert_int_equal(got.eligible, 42);
    assert_int_equal(got.money.mean, 1234);

    /* the same scheme in another struct: still a hit */
    k.scheme = &other;
    assert_true(summary_cache_get_view(&k, &got));

    /* each input changed alone: a miss */
    struct summary_view_key m[7] = {k, k, k, k, k, k, k};
    m[0].version = 4;
    m[1].duplicates = 1;
    m[2].affected_count = 50001;
    m[3].verified_only = true;
    m[4].incident_id = 8;
    m[5].n_changes = 1;
    m[6].scheme = NULL;
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        assert_false(summary_cache_get_view(&m[i], &got));
    other.fund_cap = 999999;
    assert_false(summary_cache_get_view(&k, &got));
    other = a_scheme();
    strcpy(other.vouchers[0].name, "bon");
    assert_false(summary_cache_get_view(&k, &got));
    other = a_scheme();
    ch[1].n = -2; /* a change's count */
    assert_false(summary_cache_get_view(&k, &got));
    ch[1].n = -1;
    ch[0].status = "rejected"; /* its status, compared by text */
    assert_false(summary_cache_get_view(&k, &got));
    ch[0].status = "received";
    assert_true(summary_cache_get_view(&k, &got));
    summary_cache_clear();
    assert_false(summary_cache_get_view(&k, &got));
}

static void
test_too_many_changes_not_kept(void **state)
{
    static struct tally_group ch[SUMMARY_VIEW_CHANGES_MAX + 1];
    struct scheme s = a_scheme();
    struct summary_view v = a_view(1), got;

    (void)state;
    summary_cache_clear();
    for (size_t i = 0; i < sizeof ch / sizeof ch[0]; i++)
        ch[i] = (struct tally_group){"received", false, "FR", 1, (int64_t)i, 0, 1, NULL};
    struct summary_view_key k = {1, 1, 0, 10, false, &s, ch, SUMMARY_VIEW_CHANGES_MAX + 1};
    summary_cache_put_view(&k, &v);
    assert_false(summary_cache_get_view(&k, &got));
    k.n_changes = SUMMARY_VIEW_CHANGES_MAX;
    summary_cache_put_view(&k, &v);
    assert_true(summary_cache_get_view(&k, &got));
    summary_cache_clear();
}

/* More schemes than slots: the least recently used goes, the one just read stays. */
static void
test_least_recently_used_replaced(void **state)
{
    struct scheme s[SUMMARY_VIEW_SLOTS + 1];
    struct summary_view got;

    (void)state;
    summary_cache_clear();
    for (int i = 0; i <= SUMMARY_VIEW_SLOTS; i++) {
        s[i] = a_scheme();
        s[i].base_amount = 100 + i;
        struct summary_view_key k = {1, 1, 0, 10, false, &s[i], NULL, 0};
        struct summary_view v = a_view(i);
        if (i == SUMMARY_VIEW_SLOTS) { /* read the first again before the last comes */
            struct summary_view_key k0 = {1, 1, 0, 10, false, &s[0], NULL, 0};
            assert_true(summary_cache_get_view(&k0, &got));
        }
        summary_cache_put_view(&k, &v);
    }
    struct summary_view_key k0 = {1, 1, 0, 10, false, &s[0], NULL, 0};
    struct summary_view_key k1 = {1, 1, 0, 10, false, &s[1], NULL, 0};
    struct summary_view_key kl = {1, 1, 0, 10, false, &s[SUMMARY_VIEW_SLOTS], NULL, 0};
    assert_true(summary_cache_get_view(&k0, &got));
    assert_int_equal(got.eligible, 0);
    assert_false(summary_cache_get_view(&k1, &got));
    assert_true(summary_cache_get_view(&kl, &got));
    assert_int_equal(got.eligible, SUMMARY_VIEW_SLOTS);
    summary_cache_clear();
}

/* The folded counts come back with their statuses as put (the cache holds its own copies); a
 * status longer than the short words of 0002 is not kept, by either cache. */
static void
test_counts_kept_with_their_statuses(void **state)
{
    char status[2][16] = {"received", "verified"};
    struct tally_group g[2] = {{status[0], false, "FR", 1, 500, 2, 7, NULL},
                               {status[1], true, "DE", 3, 0, 0, 9, NULL}};
    struct shape_cell cell;
    struct tally_group *got;
    struct shape_cell *got_cells;
    int n = 0;
    size_t n_cells = 0;
    struct arena *a = arena_new();

    (void)state;
    memset(&cell, 0, sizeof cell);
    summary_cache_clear();
    summary_cache_put(5, 2, false, g, 2, &cell, 1);
    strcpy(status[0], "rejected"); /* the caller's buffers change: the cache's copy does not */
    assert_true(summary_cache_get(5, 2, false, a, &got, &n, &got_cells, &n_cells));
    assert_int_equal(n, 2);
    assert_int_equal(n_cells, 1);
    assert_string_equal(got[0].status, "received");
    assert_string_equal(got[1].status, "verified");
    assert_int_equal(got[1].n, 9);
    assert_null(got[0].source);

    g[1].status = "a-status-too-long-to-keep";
    summary_cache_put(6, 1, false, g, 2, &cell, 1);
    assert_false(summary_cache_get(6, 1, false, a, &got, &n, &got_cells, &n_cells));
    struct scheme s = a_scheme();
    struct summary_view v = a_view(1), view;
    struct summary_view_key k = {6, 1, 0, 10, false, &s, g, 2};
    summary_cache_put_view(&k, &v);
    assert_false(summary_cache_get_view(&k, &view));
    summary_cache_clear();
    arena_free(a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hit_only_for_the_same_inputs),
        cmocka_unit_test(test_too_many_changes_not_kept),
        cmocka_unit_test(test_least_recently_used_replaced),
        cmocka_unit_test(test_counts_kept_with_their_statuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
