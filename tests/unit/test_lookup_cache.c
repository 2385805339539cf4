/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* service/lookup_cache, its store without a database: deep copies in and out, not-found keys,
 * invalidation (a read begun before it is never kept), the 1 s age limit, the deadline compared
 * with the wall clock at each hit, and the bounded table. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include "core/arena.h"
#include "core/clock.h"
#include "service/lookup_cache.h"

static const char action_id[] = "0b6d3c1e-5f7a-4c2e-9d1b-3a8f6e2c4b10";

static struct incident
sample_incident(char *slug_buf)
{
    return (struct incident){
        .id = 42,
        .slug = slug_buf,
        .controller = "Coupang Corp.",
        .title = "Account data exposure",
        .disclosed_on = "2025-11-29",
        .affected_count = 33700000,
        .data_categories = 0x5,
        .authority_reference = NULL,
        .status = "open",
        .currency = "KRW",
        .created_at = "2025-12-01T09:00:00.000000Z",
        .updated_at = "2025-12-02T09:00:00.000000Z",
    };
}

static struct action
sample_action(const char *deadline)
{
    return (struct action){
        .id = action_id,
        .association_id = "6f1c2a4e-8b3d-4e5f-9a0b-1c2d3e4f5a6b",
        .incident_id = 42,
        .incident = "coupang-2025",
        .incident_status = "open",
        .title = "Collective action",
        .legal_basis = "Art. 80(1) GDPR",
        .opt_in_deadline = deadline,
        .deadline_passed = false,
        .counsel_name = "Me Dupont",
        .counsel_email = "dupont@example.org",
        .mandate_text = "I mandate the association to act on my behalf.",
        .mandate_text_version = "2025-12",
        .status = "open",
        .member_count = -1,
        .association_status = "approved",
        .created_at = "2025-12-03T09:00:00.000000Z",
        .updated_at = "2025-12-03T09:00:00.000000Z",
    };
}

static int
teardown(void **state)
{
    (void)state;
    svc_lookup_cache_free();
    return 0;
}

/* A hit is a deep copy in the caller's arena: the cached value outlives the strings it was
 * made from, and NULL stays NULL. */
static void
test_incident_copies(void **state)
{
    char slug[] = "coupang-2025";
    struct incident in = sample_incident(slug);
    struct lookup_ticket t = svc_lookup_cache_ticket();
    struct arena *a = arena_new();
    struct incident out;

    (void)state;
    assert_true(svc_lookup_cache_put_incident(&t, "coupang-2025", &in));
    memset(slug, 'x', sizeof slug - 1); /* the caller's arena is gone */
    assert_true(svc_lookup_cache_get_incident("coupang-2025", a, &out));
    assert_string_equal(out.slug, "coupang-2025");
    assert_int_equal(out.id, 42);
    assert_int_equal(out.affected_count, 33700000);
    assert_int_equal(out.data_categories, 0x5);
    assert_null(out.authority_reference);
    assert_string_equal(out.controller, "Coupang Corp.");
    assert_string_equal(out.title, "Account data exposure");
    assert_string_equal(out.disclosed_on, "2025-11-29");
    assert_string_equal(out.status, "open");
    assert_string_equal(out.currency, "KRW");
    assert_string_equal(out.created_at, "2025-12-01T09:00:00.000000Z");
    assert_string_equal(out.updated_at, "2025-12-02T09:00:00.000000Z");
    assert_ptr_not_equal(out.controller, in.controller);
    assert_false(svc_lookup_cache_get_incident("coupang-2026", a, &out));
    assert_false(svc_lookup_cache_get_incident("coupang-202", a, &out));
    arena_free(a);
}

static void
test_action_copies(void **state)
{
    struct action in = sample_action("2999-01-01T00:00:00.000000Z");
    struct lookup_ticket t = svc_lookup_cache_ticket();
    struct arena *a = arena_new();
    struct action out;

    (void)state;
    assert_true(svc_lookup_cache_put_action(&t, action_id, &in));
    assert_true(svc_lookup_cache_get_action(action_id, a, &out));
    assert_string_equal(out.id, action_id);
    assert_string_equal(out.association_id, in.association_id);
    assert_int_equal(out.incident_id, 42);
    assert_string_equal(out.incident, "coupang-2025");
    assert_string_equal(out.incident_status, "open");
    assert_string_equal(out.title, in.title);
    assert_string_equal(out.legal_basis, in.legal_basis);
    assert_string_equal(out.opt_in_deadline, "2999-01-01T00:00:00.000000Z");
    assert_false(out.deadline_passed);
    assert_string_equal(out.counsel_name, in.counsel_name);
    assert_string_equal(out.counsel_email, in.counsel_email);
    assert_string_equal(out.mandate_text, in.mandate_text);
    assert_string_equal(out.mandate_text_version, "2025-12");
    assert_string_equal(out.status, "open");
    assert_int_equal(out.member_count, -1);
    assert_string_equal(out.association_status, "approved");
    assert_string_equal(out.created_at, in.created_at);
    assert_string_equal(out.updated_at, in.updated_at);
    assert_ptr_not_equal(out.mandate_text, in.mandate_text);
    arena_free(a);
}

/* deadline_passed is the wall clock against the deadline at each hit, to the microsecond,
 * whatever the read that filled the entry said. */
static void
test_action_deadline_now(void **state)
{
    struct timeval tv;
    char soon[40], just_gone[40];
    struct arena *a = arena_new();
    struct action out;

    (void)state;
    gettimeofday(&tv, NULL);
    clock_format_rfc3339(tv.tv_sec + 2, (int)tv.tv_usec, soon, sizeof soon);
    clock_format_rfc3339(tv.tv_sec, (int)tv.tv_usec, just_gone, sizeof just_gone);
    const struct {
        const char *deadline;
        bool stored_passed; /* what the filling read said: ignored on a hit */
        bool passed;
    } cases[] = {
        {"2001-02-03T04:05:06.000007Z", false, true},
        {"2999-12-31T23:59:59.999999Z", true, false},
        {soon, true, false},
        {just_gone, false, true},
        {"2001-02-03T04:05:06Z", false, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct action in = sample_action(cases[i].deadline);
        struct lookup_ticket t = svc_lookup_cache_ticket();
        in.deadline_passed = cases[i].stored_passed;
        assert_true(svc_lookup_cache_put_action(&t, action_id, &in));
        assert_true(svc_lookup_cache_get_action(action_id, a, &out));
        assert_string_equal(out.opt_in_deadline, cases[i].deadline);
        if (out.deadline_passed != cases[i].passed)
            fail_msg("deadline %s: passed %d", cases[i].deadline, out.deadline_passed);
    }
    arena_free(a);
}

/* An entry whose deadline the cache cannot read is not kept: the database answers instead. */
static void
test_action_bad_deadline_not_kept(void **state)
{
    static const char *const bad[] = {NULL, "", "tomorrow", "10000-01-01T00:00:00.000000Z",
                                      "2026-02-30T00:00:00Z"};
    struct arena *a = arena_new();
    struct action out;

    (void)state;
    svc_lookup_cache_free();
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct action in = sample_action(bad[i]);
        struct lookup_ticket t = svc_lookup_cache_ticket();
        assert_false(svc_lookup_cache_put_action(&t, action_id, &in));
        assert_false(svc_lookup_cache_get_action(action_id, a, &out));
    }
    arena_free(a);
}

/* Invalidation empties the cache at once; a read that began before it is never kept, even if
 * it ends after (it may have seen the row before the write). */
static void
test_invalidate(void **state)
{
    char slug[] = "equifax-2017";
    struct incident in = sample_incident(slug);
    struct arena *a = arena_new();
    struct incident out;

    (void)state;
    struct lookup_ticket t = svc_lookup_cache_ticket();
    assert_true(svc_lookup_cache_put_incident(&t, slug, &in));
    svc_lookup_cache_invalidate();
    assert_false(svc_lookup_cache_get_incident(slug, a, &out));
    t = svc_lookup_cache_ticket();
    svc_lookup_cache_invalidate(); /* a write committed while the read ran */
    assert_false(svc_lookup_cache_put_incident(&t, slug, &in));
    assert_false(svc_lookup_cache_get_incident(slug, a, &out));
    t = svc_lookup_cache_ticket();
    assert_true(svc_lookup_cache_put_incident(&t, slug, &in));
    assert_true(svc_lookup_cache_get_incident(slug, a, &out));
    arena_free(a);
}

/* The age counts from the start of the read that filled the entry. */
static void
test_expiry(void **state)
{
    char slug[] = "old-news";
    struct incident in = sample_incident(slug);
    struct arena *a = arena_new();
    struct incident out;

    (void)state;
    struct lookup_ticket t = svc_lookup_cache_ticket();
    t.read_ns -= LOOKUP_CACHE_TTL_NS;
    assert_false(svc_lookup_cache_put_incident(&t, slug, &in));
    assert_false(svc_lookup_cache_get_incident(slug, a, &out));
    t = svc_lookup_cache_ticket();
    t.read_ns -= LOOKUP_CACHE_TTL_NS / 2; /* half a second left: ample for the next lines */
    assert_true(svc_lookup_cache_put_incident(&t, slug, &in));
    assert_true(svc_lookup_cache_get_incident(slug, a, &out));
    t.read_ns = clock_monotonic_ns() + LOOKUP_CACHE_TTL_NS; /* from the future: refused */
    assert_false(svc_lookup_cache_put_incident(&t, slug, &in));
    arena_free(a);
}

/* Twice as many keys as slots: at most LOOKUP_CACHE_SLOTS are kept, the latest one is, and
 * every hit answers its own key. */
static void
test_bounded(void **state)
{
    enum { N = 2 * LOOKUP_CACHE_SLOTS };
    char slugs[N][16];
    struct arena *a = arena_new();
    struct incident out;
    int hits = 0;

    (void)state;
    svc_lookup_cache_free();
    struct lookup_ticket t = svc_lookup_cache_ticket();
    for (int i = 0; i < N; i++) {
        snprintf(slugs[i], sizeof slugs[i], "incident-%d", i);
        struct incident in = sample_incident(slugs[i]);
        in.id = i;
        assert_true(svc_lookup_cache_put_incident(&t, slugs[i], &in));
    }
    for (int i = 0; i < N; i++) {
        if (!svc_lookup_cache_get_incident(slugs[i], a, &out))
            continue;
        hits++;
        assert_int_equal(out.id, i);
        assert_string_equal(out.slug, slugs[i]);
    }
    assert_true(hits > 0 && hits <= LOOKUP_CACHE_SLOTS);
    assert_true(svc_lookup_cache_get_incident(slugs[N - 1], a, &out));
    svc_lookup_cache_free();
    assert_false(svc_lookup_cache_get_incident(slugs[N - 1], a, &out));
    arena_free(a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_incident_copies, teardown),
        cmocka_unit_test_teardown(test_action_copies, teardown),
        cmocka_unit_test_teardown(test_action_deadline_now, teardown),
        cmocka_unit_test_teardown(test_action_bad_deadline_not_kept, teardown),
        cmocka_unit_test_teardown(test_invalidate, teardown),
        cmocka_unit_test_teardown(test_expiry, teardown),
        cmocka_unit_test_teardown(test_bounded, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
