/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* core/text_clean: the control characters a member may hold, and its line breaks made LF. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/text_clean.h"

static void
test_controls_refused_unless_allowed(void **state)
{
    size_t chars = 0;

    (void)state;
    assert_true(text_is_clean("Hélène", NULL, &chars));
    assert_int_equal(chars, 6);
    assert_false(text_is_clean("a\nb", NULL, &chars));
    assert_true(text_is_clean("a\nb\tc", "\n\t", &chars));
    assert_false(text_is_clean("a\rb", "\n\t", &chars));
    assert_false(text_is_clean("a\x7f", "\n\t", &chars));
    assert_false(text_is_clean("a\xc2\x85", "\n\t", &chars)); /* C1: NEL */
}

static void
test_line_breaks_made_lf(void **state)
{
    char crlf[] = "line one\r\nline two\r\n\r\nthree";
    char cr[] = "a\rb\r\rc";
    char lf[] = "a\nb";
    char lone_end[] = "end\r";

    (void)state;
    assert_int_equal(text_unify_line_breaks(crlf, strlen(crlf)),
                     strlen("line one\nline two\n\nthree"));
    assert_string_equal(crlf, "line one\nline two\n\nthree");
    assert_int_equal(text_unify_line_breaks(cr, strlen(cr)), 6);
    assert_string_equal(cr, "a\nb\n\nc");
    assert_int_equal(text_unify_line_breaks(lf, strlen(lf)), 3);
    assert_string_equal(lf, "a\nb");
    assert_int_equal(text_unify_line_breaks(lone_end, strlen(lone_end)), 4);
    assert_string_equal(lone_end, "end\n");
}

static void
test_unified_text_is_clean(void **state)
{
    char s[] = "Paragraphe\r\n\r\nsuivant";
    size_t chars = 0;

    (void)state;
    text_unify_line_breaks(s, strlen(s));
    assert_true(text_is_clean(s, "\n\t", &chars));
    assert_int_equal(chars, strlen("Paragraphe\n\nsuivant"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_controls_refused_unless_allowed),
        cmocka_unit_test(test_line_breaks_made_lf),
        cmocka_unit_test(test_unified_text_is_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
