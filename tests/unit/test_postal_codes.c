/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* domain/postal_codes: the list is sorted (the lookup is a binary search) and made of
 * assigned codes; the countries the form's users name read as they should. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/countries.h"
#include "domain/postal_codes.h"

static void
test_list_sorted_and_assigned(void **state)
{
    size_t n = 0;
    const char *const *codes = countries_without_postal_code(&n);

    (void)state;
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        if (!country_is_assigned(codes[i]))
            fail_msg("%s is not an assigned code", codes[i]);
        if (i > 0 && strcmp(codes[i - 1], codes[i]) >= 0)
            fail_msg("%s before %s: not sorted", codes[i - 1], codes[i]);
        if (!country_has_no_postal_code(codes[i]))
            fail_msg("%s listed but not found", codes[i]);
    }
}

static void
test_lookup(void **state)
{
    static const char *const none[] = {"HK", "AE", "QA", "MO", "AE", "ZW", "AG"};
    static const char *const some[] = {"FR", "BE", "KR", "IE", "DE", "US", "GB", "JP", "ZA"};

    (void)state;
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
        if (!country_has_no_postal_code(none[i]))
            fail_msg("%s has no postal codes", none[i]);
    for (size_t i = 0; i < sizeof some / sizeof some[0]; i++)
        if (country_has_no_postal_code(some[i]))
            fail_msg("%s has postal codes", some[i]);
    /* lower case, empty, unknown and NULL: the code stays required */
    assert_false(country_has_no_postal_code("hk"));
    assert_false(country_has_no_postal_code(""));
    assert_false(country_has_no_postal_code("ZZ"));
    assert_false(country_has_no_postal_code(NULL));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_sorted_and_assigned),
        cmocka_unit_test(test_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
