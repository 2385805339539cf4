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

/* the forms checked: sorted, assigned, none of a country without codes, their examples fit */
static void
test_forms_listed(void **state)
{
    size_t n = 0;
    const struct postal_code_form *forms = postal_code_forms(&n);

    (void)state;
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        const struct postal_code_form *f = &forms[i];
        if (!country_is_assigned(f->country) || country_has_no_postal_code(f->country))
            fail_msg("%s: not assigned, or has no postal codes", f->country);
        if (i > 0 && strcmp(forms[i - 1].country, f->country) >= 0)
            fail_msg("%s before %s: not sorted", forms[i - 1].country, f->country);
        if (postal_code_form_of(f->country) != f || !postal_code_fits(f, f->example))
            fail_msg("%s: not found, or its example %s does not fit", f->country, f->example);
    }
    assert_null(postal_code_form_of("GB"));
    assert_null(postal_code_form_of("fr"));
    assert_null(postal_code_form_of(NULL));
}

static void
test_fits(void **state)
{
    const struct postal_code_form *fr = postal_code_form_of("FR");
    const struct postal_code_form *be = postal_code_form_of("BE");
    const struct postal_code_form *gp = postal_code_form_of("GP");

    (void)state;
    assert_non_null(fr);
    assert_true(postal_code_fits(fr, "75001"));
    assert_true(postal_code_fits(fr, "75 001")); /* as some write it */
    assert_false(postal_code_fits(fr, "6900"));
    assert_false(postal_code_fits(fr, "75OO1"));
    assert_false(postal_code_fits(fr, "750011"));
    assert_false(postal_code_fits(fr, "7500 1"));
    assert_false(postal_code_fits(fr, "75  001"));
    assert_false(postal_code_fits(fr, "F-75001"));
    assert_false(postal_code_fits(fr, "７５００１")); /* full-width digits */
    assert_true(postal_code_fits(gp, "97100"));
    assert_false(postal_code_fits(gp, "97 100")); /* its pattern has no space */
    assert_true(postal_code_fits(be, "1000"));
    assert_false(postal_code_fits(be, "10000"));
    assert_false(postal_code_fits(be, "B-1000"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_sorted_and_assigned),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_forms_listed),
        cmocka_unit_test(test_fits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
