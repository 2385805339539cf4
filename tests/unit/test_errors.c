/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* core/errors: a field past ERRORS_FIELD_MAX is cut on a UTF-8 character's boundary (the field
 * goes into a JSON string), a shorter one is kept whole, and past ERRORS_MAX errors are dropped. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include <unistr.h>

#include "core/errors.h"

/* true when s is well-formed UTF-8 to its end (no character cut short) */
static bool
whole_characters(const char *s)
{
    return u8_check((const uint8_t *)s, strlen(s)) == NULL;
}

static void
test_long_fields_are_cut_between_characters(void **state)
{
    static struct errors e;
    char field[400];

    (void)state;
    for (size_t width = 1; width <= 4; width++) {
        const char *ch = width == 1 ? "k" : width == 2 ? "\xc3\xa9" : width == 3 ? "\xe2\x82\xac"
                                                                                : "\xf0\x9f\x98\x80";
        for (size_t prefix = 0; prefix < 4; prefix++) { /* every alignment of the cut */
            memset(&e, 0, sizeof e);
            memset(field, 'p', prefix);
            field[prefix] = '\0';
            while (strlen(field) + width < sizeof field)
                strcat(field, ch);
            errors_add(&e, field, "unknown-field", "m");
            assert_int_equal(e.n, 1);
            assert_true(whole_characters(e.items[0].field));
            assert_true(strlen(e.items[0].field) > ERRORS_FIELD_MAX - 1 - width);
            assert_true(strncmp(e.items[0].field, field, strlen(e.items[0].field)) == 0);
        }
    }
}

static void
test_a_path_cut_by_the_caller_loses_its_half_character(void **state)
{
    static struct errors e;

    (void)state;
    memset(&e, 0, sizeof e);
    errors_add(&e, "claimant.\xc3\xa9\xc3", "unknown-field", "m"); /* é, then half of one */
    assert_string_equal(e.items[0].field, "claimant.\xc3\xa9");
}

static void
test_short_fields_are_kept_and_the_list_is_bounded(void **state)
{
    static struct errors e;

    (void)state;
    memset(&e, 0, sizeof e);
    for (int i = 0; i < ERRORS_MAX + 5; i++)
        errors_add(&e, "claimant.address.country", "required", "m");
    assert_int_equal(e.n, ERRORS_MAX);
    assert_string_equal(e.items[ERRORS_MAX - 1].field, "claimant.address.country");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_long_fields_are_cut_between_characters),
        cmocka_unit_test(test_a_path_cut_by_the_caller_loses_its_half_character),
        cmocka_unit_test(test_short_fields_are_kept_and_the_list_is_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
