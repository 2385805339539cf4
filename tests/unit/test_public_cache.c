/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* handlers/public_cache: a miss is computed once however many ask at the same time (single
 * flight), hits are copies, forget drops an answer (and a computation begun before it keeps
 * nothing), a failed computation frees its slot, and the table is bounded. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "handlers/public_cache.h"

#define WAITERS 8

static int
reset(void **state)
{
    (void)state;
    public_cache_free();
    return 0;
}

struct asker {
    pthread_t thread;
    const char *scope;
    enum public_cache_verdict verdict;
    char *body;
    size_t len;
};

static void *
ask(void *arg)
{
    struct asker *a = arg;
    struct public_cache_ticket t;

    a->verdict = public_cache_get(a->scope, "all", &a->body, &a->len, &t);
    if (a->verdict != PUBLIC_CACHE_HIT)
        public_cache_put(&t, NULL, 0); /* never expected: keeps the others from waiting */
    return NULL;
}

static void
wait_for_waiters(int n)
{
    int64_t deadline = clock_monotonic_ns() + 10 * INT64_C(1000000000);
    struct public_cache_stats st;

    for (;;) {
        public_cache_stats(&st);
        if (st.waiting == n)
            return;
        assert_true(clock_monotonic_ns() < deadline);
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
}

static void
test_burst_is_computed_once(void **state)
{
    struct asker askers[WAITERS];
    struct public_cache_ticket t;
    struct public_cache_stats before, after;
    char *body = NULL;
    size_t len = 0;

    (void)state;
    public_cache_stats(&before);
    assert_int_equal(public_cache_get("burst", "all", &body, &len, &t), PUBLIC_CACHE_LEAD);
    for (int i = 0; i < WAITERS; i++) {
        askers[i] = (struct asker){.scope = "burst"};
        assert_int_equal(pthread_create(&askers[i].thread, NULL, ask, &askers[i]), 0);
    }
    wait_for_waiters(WAITERS); /* they wait for the lead rather than compute */
    public_cache_put(&t, "{\"n\":1}", 7);
    for (int i = 0; i < WAITERS; i++) {
        pthread_join(askers[i].thread, NULL);
        assert_int_equal(askers[i].verdict, PUBLIC_CACHE_HIT);
        assert_int_equal(askers[i].len, 7);
        assert_string_equal(askers[i].body, "{\"n\":1}");
        free(askers[i].body);
    }
    public_cache_stats(&after);
    assert_int_equal(after.leads - before.leads, 1);
    assert_int_equal(after.hits - before.hits, WAITERS);
    assert_int_equal(after.waiting, 0);
}

static void
test_variants_and_forget(void **state)
{
    struct public_cache_ticket t;
    char *body = NULL;
    size_t len = 0;

    (void)state;
    assert_int_equal(public_cache_get("inc", "all", &body, &len, &t), PUBLIC_CACHE_LEAD);
    public_cache_put(&t, "A", 1);
    assert_int_equal(public_cache_get("inc", "verified", &body, &len, &t), PUBLIC_CACHE_LEAD);
    public_cache_put(&t, "V", 1);
    assert_int_equal(public_cache_get("inc2", "all", &body, &len, &t), PUBLIC_CACHE_LEAD);
    public_cache_put(&t, "B", 1);
    assert_int_equal(public_cache_get("inc", "all", &body, &len, &t), PUBLIC_CACHE_HIT);
    assert_memory_equal(body, "A", 1);
    free(body);

    public_cache_forget("inc"); /* both variants of inc, not inc2 */
    assert_int_equal(public_cache_get("inc", "all", &body, &len, &t), PUBLIC_CACHE_LEAD);
    public_cache_put(&t, "A2", 2);
    assert_int_equal(public_cache_get("inc", "verified", &body, &len, &t), PUBLIC_CACHE_LEAD);
    public_cache_put(&t, "V2", 2);
    assert_int_equal(public_cache_get("inc2", "all", &body, &len, &t), PUBLIC_CACHE_HIT);
    free(body);

    /* a computation begun before a forget keeps nothing: it read the old state */
    public_cache_forget("inc");
    assert_int_equal(public_cache_get("inc", "all", &body, &len, &t), PUBLIC_CACHE_LEAD);
    public_cache_forget("inc");
    public_cache_put(&t, "old", 3);
    assert_int_equal(public_cache_get("inc", "all", &body, &len, &t), PUBLIC_CACHE_LEAD);
    public_cache_put(&t, NULL, 0);
}

static void
test_failure_keeps_nothing(void **state)
{
    struct public_cache_ticket t;
    char *body = NULL;
    size_t len = 0;

    (void)state;
    assert_int_equal(public_cache_get("nope", "all", &body, &len, &t), PUBLIC_CACHE_LEAD);
    public_cache_put(&t, NULL, 0); /* a 404 */
    assert_int_equal(public_cache_get("nope", "all", &body, &len, &t), PUBLIC_CACHE_LEAD);
    public_cache_put(&t, NULL, 0);
}

static void
test_bounded(void **state)
{
    struct public_cache_ticket t[400];
    char scope[32];
    char *body = NULL;
    size_t len = 0;
    int leads = 0;

    (void)state;
    /* every slot busy computing: a new key is computed without the cache */
    for (int i = 0; i < 400; i++) {
        snprintf(scope, sizeof scope, "busy-%d", i);
        enum public_cache_verdict v = public_cache_get(scope, "all", &body, &len, &t[leads]);
        if (v == PUBLIC_CACHE_BYPASS)
            break;
        assert_int_equal(v, PUBLIC_CACHE_LEAD);
        leads++;
    }
    assert_true(leads >= 16 && leads < 400);
    for (int i = 0; i < leads; i++)
        public_cache_put(&t[i], "x", 1);
    /* full of answers: a new key pushes out the least recently used one */
    assert_int_equal(public_cache_get("newcomer", "all", &body, &len, &t[0]), PUBLIC_CACHE_LEAD);
    public_cache_put(&t[0], "n", 1);
    assert_int_equal(public_cache_get("busy-0", "all", &body, &len, &t[0]), PUBLIC_CACHE_LEAD);
    public_cache_put(&t[0], NULL, 0);
    snprintf(scope, sizeof scope, "busy-%d", leads - 1);
    assert_int_equal(public_cache_get(scope, "all", &body, &len, &t[0]), PUBLIC_CACHE_HIT);
    free(body);

    char long_scope[400];
    memset(long_scope, 'a', sizeof long_scope - 1);
    long_scope[sizeof long_scope - 1] = '\0';
    assert_int_equal(public_cache_get(long_scope, "all", &body, &len, &t[0]),
                     PUBLIC_CACHE_BYPASS);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_burst_is_computed_once, reset),
        cmocka_unit_test_setup(test_variants_and_forget, reset),
        cmocka_unit_test_setup(test_failure_keeps_nothing, reset),
        cmocka_unit_test_setup(test_bounded, reset),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);

    public_cache_free();
    return rc;
}
