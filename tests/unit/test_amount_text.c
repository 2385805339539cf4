/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* domain/amount_text: amounts as typed, hand-computed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "domain/amount_text.h"

static void
test_reads_typed_amounts(void **state)
{
    static const struct {
        const char *text;
        int decimals;
        int64_t minor;
    } ok[] = {
        {"120", 2, 12000},          {"120,5", 2, 12050},      {"120.50", 2, 12050},
        {" 1 200,50 ", 2, 120050},  {"1\xc2\xa0" "200", 2, 120000},
        {"1\xe2\x80\xaf" "000", 0, 1000}, {"50000", 0, 50000}, {"0", 2, 0},
        {"1.005", 3, 1005},
    };
    int64_t v;

    (void)state;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        v = -1;
        assert_true(amount_text_parse(ok[i].text, ok[i].decimals, &v));
        assert_int_equal(v, ok[i].minor);
    }
}

static void
test_refuses_the_rest(void **state)
{
    static const char *bad[] = {"", " ", "abc", "12a", "1,2,3", "1.234", ",5", "5,", "-5",
                                "+5", "1e3", "1 ,5", "1  000", "99999999999999999999"};
    int64_t v = 7;

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (amount_text_parse(bad[i], 2, &v))
            fail_msg("accepted \"%s\"", bad[i]);
    assert_false(amount_text_parse("12,5", 0, &v)); /* KRW has no decimals */
    assert_int_equal(v, 7);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_typed_amounts),
        cmocka_unit_test(test_refuses_the_rest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
