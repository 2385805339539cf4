/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* domain/amount_typed: amounts as people type them on the French and the English page
 * (docs/web-forms.md, "Amounts as typed"), hand-computed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "domain/amount_typed.h"

struct typed_case {
    const char *text;
    char mark;            /* the page's decimal mark: ',' French, '.' English */
    const char *currency; /* the incident's */
    int decimals;
    enum amount_typed result;
    int64_t minor; /* for AMOUNT_TYPED_OK */
};

static void
test_cases(void **state)
{
    static const struct typed_case cases[] = {
        /* what the brief's victims type */
        {"50 \xe2\x82\xac", ',', "EUR", 2, AMOUNT_TYPED_OK, 5000},
        {"50,00 \xe2\x82\xac", ',', "EUR", 2, AMOUNT_TYPED_OK, 5000},
        {"1 234,56", ',', "EUR", 2, AMOUNT_TYPED_OK, 123456},
        {"1\xe2\x80\xaf"
         "234,56\xc2\xa0"
         "EUR",
         ',', "EUR", 2, AMOUNT_TYPED_OK, 123456},
        {"1 234,56 EUR", ',', "EUR", 2, AMOUNT_TYPED_OK, 123456},
        {"1.234,56", ',', "EUR", 2, AMOUNT_TYPED_OK, 123456},
        {"\xe2\x82\xac"
         "50",
         '.', "EUR", 2, AMOUNT_TYPED_OK, 5000},
        {"\xe2\x82\xac 50", '.', "EUR", 2, AMOUNT_TYPED_OK, 5000},
        {"1,234.56", '.', "EUR", 2, AMOUNT_TYPED_OK, 123456},
        {"50 euros", ',', "EUR", 2, AMOUNT_TYPED_OK, 5000},
        {"50eur", ',', "EUR", 2, AMOUNT_TYPED_OK, 5000},
        {"1.234.567,89", ',', "EUR", 2, AMOUNT_TYPED_OK, 123456789},
        {"1,234,567", '.', "EUR", 2, AMOUNT_TYPED_OK, 123456700},
        /* a lone mark before three digits: the page's decimal mark, else a separator */
        {"1.234", ',', "EUR", 2, AMOUNT_TYPED_OK, 123400},
        {"1,234", '.', "EUR", 2, AMOUNT_TYPED_OK, 123400},
        {"1,234", ',', "EUR", 2, AMOUNT_TYPED_BAD, 0},
        {"1.234", '.', "EUR", 2, AMOUNT_TYPED_BAD, 0},
        {"1.234", '.', "KWD", 3, AMOUNT_TYPED_OK, 1234},
        {"1,234", '.', "KWD", 3, AMOUNT_TYPED_BAD, 0}, /* 1.234 or 1 234 dinars */
        /* any other lone mark is the decimal mark, as before */
        {"120,5", '.', "EUR", 2, AMOUNT_TYPED_OK, 12050},
        {"120.50", ',', "EUR", 2, AMOUNT_TYPED_OK, 12050},
        /* won: no decimals, so a mark before three digits can only group them */
        {"50,000", ',', "KRW", 0, AMOUNT_TYPED_OK, 50000},
        {"\xe2\x82\xa9"
         "50,000",
         '.', "KRW", 0, AMOUNT_TYPED_OK, 50000},
        {"50000 \xec\x9b\x90", ',', "KRW", 0, AMOUNT_TYPED_OK, 50000},
        {"50,5", ',', "KRW", 0, AMOUNT_TYPED_BAD, 0},
        /* another currency */
        {"$50", '.', "EUR", 2, AMOUNT_TYPED_OTHER_CURRENCY, 0},
        {"50 USD", ',', "EUR", 2, AMOUNT_TYPED_OTHER_CURRENCY, 0},
        {"\xc2\xa3"
         "50",
         '.', "EUR", 2, AMOUNT_TYPED_OTHER_CURRENCY, 0},
        {"50 \xe2\x82\xac", ',', "KRW", 0, AMOUNT_TYPED_OTHER_CURRENCY, 0},
        {"$50", '.', "USD", 2, AMOUNT_TYPED_OK, 5000},
        {"US$50", '.', "USD", 2, AMOUNT_TYPED_OK, 5000},
        /* not amounts */
        {"", ',', "EUR", 2, AMOUNT_TYPED_BAD, 0},
        {"\xe2\x82\xac", ',', "EUR", 2, AMOUNT_TYPED_BAD, 0},
        {"-50", ',', "EUR", 2, AMOUNT_TYPED_BAD, 0},
        {"50 abc", ',', "EUR", 2, AMOUNT_TYPED_BAD, 0},
        {"\xe2\x82\xac"
         "50 \xe2\x82\xac",
         ',', "EUR", 2, AMOUNT_TYPED_BAD, 0},
        {"50 \xe2\x82\xac 50", ',', "EUR", 2, AMOUNT_TYPED_BAD, 0},
        {"12,34,567", '.', "EUR", 2, AMOUNT_TYPED_BAD, 0},
        {"1.234,5.6", ',', "EUR", 2, AMOUNT_TYPED_BAD, 0},
        {"1,23,4.5", '.', "EUR", 2, AMOUNT_TYPED_BAD, 0},
        {",5", ',', "EUR", 2, AMOUNT_TYPED_BAD, 0},
        {"5,", ',', "EUR", 2, AMOUNT_TYPED_BAD, 0},
        {"1 234.567,89", ',', "EUR", 2, AMOUNT_TYPED_BAD, 0},
        {"50 XYZ", ',', "EUR", 2, AMOUNT_TYPED_BAD, 0},
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct typed_case *c = &cases[i];
        int64_t minor = -1;
        enum amount_typed r = amount_typed_read(c->text, c->mark, c->currency, c->decimals, &minor);
        if (r != c->result)
            fail_msg("\"%s\" (%c, %s): %d, expected %d", c->text, c->mark, c->currency, (int)r,
                     (int)c->result);
        if (r == AMOUNT_TYPED_OK && minor != c->minor)
            fail_msg("\"%s\": %lld, expected %lld", c->text, (long long)minor, (long long)c->minor);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_cases)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
