/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* core/text_trim: both ends, only the bytes named, embedded NUL and all-blank input. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/text_trim.h"

static void
test_trims_both_ends(void **state)
{
    const char *s = " \t\r\nJean Dupont\n ";
    size_t n = text_trim(&s, strlen(s), " \t\n\r");

    (void)state;
    assert_int_equal(n, 11);
    assert_memory_equal(s, "Jean Dupont", n);
}

static void
test_trims_only_the_bytes_named(void **state)
{
    const char *s = "\vx\f";

    (void)state;
    assert_int_equal(text_trim(&s, 3, " \t\n\r"), 3); /* JSON's white space has no \v, \f */
    assert_int_equal(text_trim(&s, 3, " \t\n\v\f\r"), 1);
    assert_int_equal(*s, 'x');
}

static void
test_nul_is_never_white_space(void **state)
{
    const char with_nul[] = {' ', '\0', 'a', ' '};
    const char *s = with_nul;

    (void)state;
    assert_int_equal(text_trim(&s, sizeof with_nul, " "), 2);
    assert_ptr_equal(s, with_nul + 1);
}

static void
test_blank_and_empty_give_zero(void **state)
{
    const char *blank = " \t \n";
    const char *empty = "";

    (void)state;
    assert_int_equal(text_trim(&blank, strlen(blank), " \t\n"), 0);
    assert_int_equal(text_trim(&empty, 0, " "), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trims_both_ends),
        cmocka_unit_test(test_trims_only_the_bytes_named),
        cmocka_unit_test(test_nul_is_never_white_space),
        cmocka_unit_test(test_blank_and_empty_give_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
