/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* domain/dates: rfc3339_parse takes the forms RFC 3339 allows and refuses an instant an answer
 * could not write back with a four-digit year (docs/api.md §8): an offset or a fraction
 * PostgreSQL rounds up at the end of 9999, an offset before year 1; and a field out of its
 * range, a leap second included. instant_parse takes a plain date as well (midnight UTC). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/dates.h"

static void
test_forms_taken(void **state)
{
    time_t t;

    (void)state;
    assert_true(rfc3339_parse("1970-01-01T00:00:00Z", &t));
    assert_int_equal(t, 0);
    assert_true(rfc3339_parse("1970-01-01t01:00:00+01:00", &t));
    assert_int_equal(t, 0);
    assert_true(rfc3339_parse("2026-03-01T10:15:30.123456789Z", &t));
    assert_true(rfc3339_parse("0001-01-01T00:00:00Z", &t));
    assert_true(rfc3339_parse("9999-12-31T23:59:59Z", &t));
    assert_true(rfc3339_parse("9999-12-31T23:59:59.999999Z", &t));
    assert_true(rfc3339_parse("9999-12-31T23:59:58.9999999Z", &t));
}

static void
test_years_outside_1_to_9999_refused(void **state)
{
    time_t t;

    (void)state;
    assert_false(rfc3339_parse("9999-12-31T23:59:60Z", &t));
    assert_false(rfc3339_parse("9999-12-31T23:59:59-00:01", &t));
    assert_false(rfc3339_parse("9999-12-31T23:59:59.9999999Z", &t));
    assert_false(rfc3339_parse("0001-01-01T00:00:00+00:01", &t));
    assert_false(rfc3339_parse("0000-12-31T23:59:59Z", &t));
    assert_false(rfc3339_parse("2026-01-01T24:00:00Z", &t));
    assert_false(rfc3339_parse("2026-02-29T00:00:00Z", &t));
}

/* civil_date_typed: what a person types where the browser has no date picker */
static void
test_typed_dates(void **state)
{
    static const struct {
        const char *typed, *iso; /* iso NULL: not a date */
    } cases[] = {
        {"12/03/1985", "1985-03-12"},
        {"1/3/1985", "1985-03-01"},
        {"12.03.1985", "1985-03-12"},
        {"12-03-1985", "1985-03-12"},
        {" 03/04/1985 ", "1985-04-03"},
        {"1985-03-12", "1985-03-12"},
        {"29/02/2000", "2000-02-29"},
        {"29/02/1985", NULL},
        {"31/04/1985", NULL},
        {"12/13/1985", NULL},
        {"12/03/85", NULL},
        {"12/03-1985", NULL},
        {"123/03/1985", NULL},
        {"12/03/19850", NULL},
        {"12 03 1985", NULL},
        {"", NULL},
        {"/03/1985", NULL},
        {"12/03/1985x", NULL},
    };
    char iso[11];

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool read = civil_date_typed(cases[i].typed, iso);
        if (read != (cases[i].iso != NULL))
            fail_msg("\"%s\": %s", cases[i].typed, read ? "read" : "not read");
        if (read && strcmp(iso, cases[i].iso) != 0)
            fail_msg("\"%s\": %s, expected %s", cases[i].typed, iso, cases[i].iso);
    }
}

static void
test_fields_out_of_range_refused(void **state)
{
    time_t t;

    (void)state;
    assert_false(rfc3339_parse("2026-06-30T23:59:60Z", &t)); /* a leap second */
    assert_false(rfc3339_parse("2026-13-01T00:00:00Z", &t));
    assert_false(rfc3339_parse("2026-02-30T00:00:00Z", &t));
    assert_false(rfc3339_parse("2026-01-01T23:60:00Z", &t));
    assert_false(rfc3339_parse("2026-01-01T00:00:00+24:00", &t));
    assert_false(rfc3339_parse("2026-01-01T00:00:00+01:60", &t));
}

static void
test_instant_takes_a_plain_date_as_midnight_utc(void **state)
{
    time_t t, u;
    bool is_date;

    (void)state;
    assert_true(instant_parse("2026-12-01", &t, &is_date));
    assert_true(is_date);
    assert_true(rfc3339_parse("2026-12-01T00:00:00Z", &u));
    assert_int_equal(t, u);
    assert_true(instant_parse("2026-12-01T01:00:00+01:00", &t, &is_date));
    assert_false(is_date);
    assert_int_equal(t, u);
    assert_false(instant_parse("2026-02-30", &t, &is_date));
    assert_false(instant_parse("2026-12-1", &t, &is_date));
    assert_false(instant_parse("2026-12-01T00:00", &t, &is_date));
    assert_false(instant_parse("", &t, &is_date));
}

/* A deadline's date alone is 23:59:59 in Paris: CET in winter, CEST in summer, the days of
 * the switches on their side of it. */
static void
test_a_day_ends_at_midnight_in_paris(void **state)
{
    static const struct {
        const char *date, *end;
    } cases[] = {
        {"2027-01-31", "2027-01-31T22:59:59Z"}, {"2027-07-14", "2027-07-14T21:59:59Z"},
        {"2027-03-27", "2027-03-27T22:59:59Z"}, {"2027-03-28", "2027-03-28T21:59:59Z"},
        {"2027-10-30", "2027-10-30T21:59:59Z"}, {"2027-10-31", "2027-10-31T22:59:59Z"},
        {"2026-12-31", "2026-12-31T22:59:59Z"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct civil_date d;
        time_t want;
        assert_true(civil_date_parse(cases[i].date, &d));
        assert_true(rfc3339_parse(cases[i].end, &want));
        assert_int_equal(paris_day_end(&d), want);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms_taken),
        cmocka_unit_test(test_years_outside_1_to_9999_refused),
        cmocka_unit_test(test_typed_dates),
        cmocka_unit_test(test_fields_out_of_range_refused),
        cmocka_unit_test(test_instant_takes_a_plain_date_as_midnight_utc),
        cmocka_unit_test(test_a_day_ends_at_midnight_in_paris),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
