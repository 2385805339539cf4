/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* domain/risk: network prefixes (IPv4 /24, IPv6 /64, IPv4-mapped), the address's normal form
 * without the flat (spellings of one building meet, other buildings do not), email domains
 * and the flags' names. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/risk.h"

static void
test_network_prefix(void **state)
{
    static const struct {
        const char *ip, *prefix, *kind;
    } cases[] = {
        {"203.0.113.77", "ipv4/24:203.0.113.0", "ipv4/24"},
        {"203.0.113.1", "ipv4/24:203.0.113.0", "ipv4/24"},
        {"10.0.0.255", "ipv4/24:10.0.0.0", "ipv4/24"},
        {"::ffff:203.0.113.9", "ipv4/24:203.0.113.0", "ipv4/24"},
        {"2001:db8:1:2:3:4:5:6", "ipv6/64:2001:0db8:0001:0002", "ipv6/64"},
        {"2001:db8:1:2::ffff", "ipv6/64:2001:0db8:0001:0002", "ipv6/64"},
        {"::1", "ipv6/64:0000:0000:0000:0000", "ipv6/64"},
    };
    char out[RISK_PREFIX_MAX];
    const char *kind;

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kind = NULL;
        assert_true(risk_network_prefix(cases[i].ip, out, &kind));
        assert_string_equal(out, cases[i].prefix);
        assert_string_equal(kind, cases[i].kind);
    }
    assert_false(risk_network_prefix("unknown", out, &kind));
    assert_false(risk_network_prefix("203.0.113", out, &kind));
    assert_false(risk_network_prefix("", out, &kind));
    assert_false(risk_network_prefix(NULL, out, &kind));
}

static const char *
normal(const char *line1, const char *line2, const char *code, const char *country)
{
    static char out[RISK_ADDRESS_MAX];
    struct postal_address a = {line1, line2, code, "City", {country[0], country[1], '\0'}};

    return risk_address_normal(&a, out, sizeof out) ? out : NULL;
}

static void
test_address_same_building(void **state)
{
    const char *want = "FR|69003|5|rue des lilas";
    static const char *const line1s[] = {
        "5 rue des Lilas", "5, Rue des Lilas", "  5   RUE   DES   LILAS ", "5 r. des lilas",
        "Apt 12, 5 rue des Lilas", "5 rue des Lilas apt 3", "5 rue des Lilas #7",
        "Appartement 4B 5 rue des Lilas", "5 rue des Lilas, b\xc3\xa2timent C",
        "Flat 2 5 rue des Lilas", "5 rue des Lilas \xc3\xa9tage 3 porte 2",
    };

    (void)state;
    for (size_t i = 0; i < sizeof line1s / sizeof line1s[0]; i++) {
        const char *got = normal(line1s[i], "Apt 99", "69003", "FR");
        assert_non_null(got);
        assert_string_equal(got, want);
    }
    /* the postal code's spacing and case do not matter */
    assert_string_equal(normal("10 Downing Street", NULL, "sw1a 2aa", "GB"),
                        "GB|SW1A2AA|10|downing street");
    assert_string_equal(normal("10 Downing Street", "Flat 3", "SW1A-2AA", "GB"),
                        "GB|SW1A2AA|10|downing street");
    /* number suffixes stay with the number */
    assert_string_equal(normal("12 bis avenue Foch", NULL, "75016", "FR"),
                        "FR|75016|12bis|avenue foch");
    assert_string_equal(normal("12bis av Foch", NULL, "75016", "FR"),
                        "FR|75016|12bis|avenue foch");
}

static void
test_address_other_buildings(void **state)
{
    char a[RISK_ADDRESS_MAX]; /* normal() answers in one static buffer */

    (void)state;
    strcpy(a, normal("5 rue des Lilas", NULL, "69003", "FR"));
    assert_string_not_equal(a, normal("7 rue des Lilas", NULL, "69003", "FR"));
    assert_string_not_equal(a, normal("5 rue des Lilas", NULL, "69004", "FR"));
    assert_string_not_equal(a, normal("5 rue des Lilas", NULL, "69003", "BE"));
    assert_string_not_equal(a, normal("5 rue des Roses", NULL, "69003", "FR"));
    assert_string_not_equal(a, normal("12 bis rue des Lilas", NULL, "69003", "FR"));
}

static void
test_address_without_number(void **state)
{
    (void)state;
    /* nothing a building shares: no hash, no flag */
    assert_null(normal("Le Bourg", NULL, "12345", "FR"));
    assert_null(normal("", NULL, "12345", "FR"));
    assert_null(normal("Apt 4", NULL, "12345", "FR"));
    /* the street on line2 under a building's name on line1 */
    assert_string_equal(normal("R\xc3\xa9sidence les Pins", "8 chemin Vert", "13001", "FR"),
                        "FR|13001|8|chemin vert");
}

static void
test_email_domain_and_flags(void **state)
{
    char d[64];

    (void)state;
    assert_true(risk_email_domain("Bot.1@Mail.Mailinator.COM", d, sizeof d));
    assert_string_equal(d, "mail.mailinator.com");
    assert_true(risk_email_domain("a@b@yopmail.com", d, sizeof d));
    assert_string_equal(d, "yopmail.com");
    assert_false(risk_email_domain("no-at-sign", d, sizeof d));
    assert_false(risk_email_domain("x@", d, sizeof d));
    assert_false(risk_email_domain("x@a-very-long-domain-name-that-does-not-fit.example", d, 8));
    for (int f = 0; f < RISK_FLAG_COUNT; f++)
        assert_int_equal(risk_flag_of(risk_flag_name((enum risk_flag)f)), f);
    assert_string_equal(risk_flag_name(RISK_DISPOSABLE_EMAIL), "disposable_email");
    assert_int_equal(risk_flag_of("any"), -1);
    assert_int_equal(risk_flag_of(NULL), -1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_network_prefix),
        cmocka_unit_test(test_address_same_building),
        cmocka_unit_test(test_address_other_buildings),
        cmocka_unit_test(test_address_without_number),
        cmocka_unit_test(test_email_domain_and_flags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
