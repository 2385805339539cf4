/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* core/clock: clock_format_rfc3339_us gives clock_format_rfc3339's text (gmtime_r, printf) for
 * every day from year 0 to 9999 at several times of day, and for random instants; outside
 * those years it refuses. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/clock.h"

/* 0000-01-01 and 10000-01-01 in seconds since the epoch */
#define FIRST_S (-62167219200LL)
#define END_S (253402300800LL)

/* Under AddressSanitizer the sweep visits every 13th day: there its point is memory safety,
 * which a sample shows as well as every day (the whole sweep is 7.3 million formatted pairs,
 * 34 s under ASan against 4 s in build/, which runs it all). 13 is prime to the week, the
 * months and the leap cycle, so the sample still lands on every day of every month. */
#if defined(__SANITIZE_ADDRESS__)
#define DAY_STRIDE 13
#else
#define DAY_STRIDE 1
#endif

static void
same_as_gmtime(int64_t unix_us)
{
    char fast[CLOCK_RFC3339_US_LEN + 1], slow[64];
    int64_t s = unix_us / 1000000, us = unix_us % 1000000;

    if (us < 0) {
        us += 1000000;
        s--;
    }
    clock_format_rfc3339((time_t)s, (int)us, slow, sizeof slow);
    assert_true(clock_format_rfc3339_us(unix_us, fast));
    assert_string_equal(fast, slow);
    assert_int_equal(strlen(fast), CLOCK_RFC3339_US_LEN);
}

static void
test_every_day(void **state)
{
    static const int64_t times_of_day[] = {0, 86399999999LL};

    (void)state;
    for (int64_t day_s = FIRST_S; day_s < END_S; day_s += 86400 * DAY_STRIDE)
        for (size_t i = 0; i < sizeof times_of_day / sizeof times_of_day[0]; i++)
            same_as_gmtime(day_s * 1000000 + times_of_day[i]);
}

static void
test_random_instants(void **state)
{
    uint64_t x = 88172645463325252ULL;

    (void)state;
    for (int i = 0; i < 200000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int64_t span = (END_S - FIRST_S) * 1000000;
        same_as_gmtime(FIRST_S * 1000000 + (int64_t)(x % (uint64_t)span));
    }
}

static void
test_outside_refused(void **state)
{
    char out[CLOCK_RFC3339_US_LEN + 1];

    (void)state;
    assert_false(clock_format_rfc3339_us(FIRST_S * 1000000 - 1, out));
    assert_string_equal(out, "");
    assert_false(clock_format_rfc3339_us(END_S * 1000000, out));
    assert_false(clock_format_rfc3339_us(INT64_MAX, out));
    assert_false(clock_format_rfc3339_us(INT64_MIN, out));
    assert_true(clock_format_rfc3339_us(0, out));
    assert_string_equal(out, "1970-01-01T00:00:00.000000Z");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_day),
        cmocka_unit_test(test_random_instants),
        cmocka_unit_test(test_outside_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
