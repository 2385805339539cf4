/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* web/format and web/lang: numbers, money in minor units and dates in French and English
 * (hand-written expectations: "33 700 000" with U+202F, "50 000 KRW" with U+00A0,
 * "1er mars"), phone numbers for reading, and the language a request gets from ?lang=, the cookie
 * and Accept-Language. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "web/format.h"
#include "web/lang.h"

#define G "\u202f" /* French group separator */
#define S "\u00a0" /* amount–currency space */

static void
int_expect(enum web_lang lang, int64_t v, const char *want)
{
    struct strbuf sb = {0};

    web_format_int(&sb, lang, v);
    assert_string_equal(sb.data, want);
    strbuf_free(&sb);
}

static void
test_int(void **state)
{
    (void)state;
    int_expect(WEB_LANG_FR, 0, "0");
    int_expect(WEB_LANG_FR, 999, "999");
    int_expect(WEB_LANG_FR, 1000, "1" G "000");
    int_expect(WEB_LANG_FR, 33700000, "33" G "700" G "000");
    int_expect(WEB_LANG_EN, 33700000, "33,700,000");
    int_expect(WEB_LANG_EN, 100000, "100,000");
    int_expect(WEB_LANG_EN, -1234, "-1,234");
    int_expect(WEB_LANG_EN, INT64_MIN, "-9,223,372,036,854,775,808");
    int_expect(WEB_LANG_EN, INT64_MAX, "9,223,372,036,854,775,807");
}

static void
money_expect(enum web_lang lang, int64_t minor, const char *cur, const char *want)
{
    struct strbuf sb = {0};
    bool ok = web_format_money(&sb, lang, minor, cur);

    if (want == NULL) {
        assert_false(ok);
        assert_null(sb.data);
        return;
    }
    assert_true(ok);
    assert_string_equal(sb.data, want);
    strbuf_free(&sb);
}

static void
test_money(void **state)
{
    (void)state;
    money_expect(WEB_LANG_FR, 50000, "KRW", "50" G "000" S "KRW");
    money_expect(WEB_LANG_EN, 50000, "KRW", "50,000" S "KRW");
    /* the euro by its sign, where French and British readers (and Intl.NumberFormat) put it */
    money_expect(WEB_LANG_FR, 1250, "EUR", "12,50" S "€");
    money_expect(WEB_LANG_EN, 1250, "EUR", "€12.50");
    money_expect(WEB_LANG_EN, 5, "EUR", "€0.05");
    money_expect(WEB_LANG_EN, 123456789, "EUR", "€1,234,567.89");
    money_expect(WEB_LANG_FR, 123456789, "EUR", "1" G "234" G "567,89" S "€");
    money_expect(WEB_LANG_FR, 1000, "KWD", "1,000" S "KWD"); /* three decimals */
    money_expect(WEB_LANG_EN, -250, "EUR", "-€2.50");
    money_expect(WEB_LANG_FR, -250, "EUR", "-2,50" S "€");
    money_expect(WEB_LANG_EN, 1250, "USD", "12.50" S "USD");
    money_expect(WEB_LANG_EN, 0, "JPY", "0" S "JPY");
    money_expect(WEB_LANG_EN, 1, "XYZ", NULL);
    money_expect(WEB_LANG_EN, 1, "eur", NULL);
    money_expect(WEB_LANG_EN, 1, NULL, NULL);
}

static void
date_expect(enum web_lang lang, const char *iso, const char *want)
{
    struct strbuf sb = {0};
    bool ok = web_format_date(&sb, lang, iso);

    if (want == NULL) {
        assert_false(ok);
        return;
    }
    assert_true(ok);
    assert_string_equal(sb.data, want);
    strbuf_free(&sb);
}

static void
test_date(void **state)
{
    (void)state;
    date_expect(WEB_LANG_FR, "2026-12-05", "5 décembre 2026");
    date_expect(WEB_LANG_EN, "2026-12-05", "5 December 2026");
    date_expect(WEB_LANG_FR, "2026-03-01", "1er mars 2026");
    date_expect(WEB_LANG_EN, "2026-03-01", "1 March 2026");
    date_expect(WEB_LANG_FR, "2025-08-31", "31 août 2025");
    date_expect(WEB_LANG_EN, "2026-06-30T23:59:59Z", "30 June 2026");
    date_expect(WEB_LANG_EN, "2026-06-30T23:30:00-02:00", "1 July 2026"); /* its UTC date */
    date_expect(WEB_LANG_EN, "2026-02-30", NULL);
    date_expect(WEB_LANG_EN, "yesterday", NULL);
    date_expect(WEB_LANG_EN, NULL, NULL);
}

static void
phone_expect(const char *e164, const char *want)
{
    struct strbuf sb = {0};
    bool ok = web_format_phone(&sb, e164);

    if (want == NULL) {
        assert_false(ok);
        assert_null(sb.data);
        return;
    }
    assert_true(ok);
    assert_string_equal(sb.data, want);
    strbuf_free(&sb);
}

static void
test_phone(void **state)
{
    (void)state;
    phone_expect("+33612345678", "+33 6 12 34 56 78");  /* France: pairs */
    phone_expect("+262692123456", "+262 692 12 34 56"); /* Réunion, French plan */
    phone_expect("+37799123456", "+377 99 12 34 56");   /* Monaco */
    phone_expect("+442079460958", "+44 2079460958");    /* the UK's groups are not pairs */
    phone_expect("+85229876543", "+852 29876543");      /* Hong Kong */
    phone_expect("+12025550143", "+1 2025550143");
    phone_expect("0612345678", NULL); /* not E.164 */
    phone_expect(NULL, NULL);
}

static void
test_lang_choose(void **state)
{
    (void)state;
    assert_int_equal(web_lang_choose(NULL, NULL, NULL), WEB_LANG_FR);
    assert_int_equal(web_lang_choose("en", NULL, NULL), WEB_LANG_EN);
    assert_int_equal(web_lang_choose("EN", "lang=fr", "fr"), WEB_LANG_EN);
    assert_int_equal(web_lang_choose("de", "lang=en", "fr"), WEB_LANG_EN); /* unknown ?lang= */
    assert_int_equal(web_lang_choose(NULL, "a=1; lang=en; b=2", "fr"), WEB_LANG_EN);
    assert_int_equal(web_lang_choose(NULL, "lang=xx", "en-GB,en;q=0.9"), WEB_LANG_EN);
    assert_int_equal(web_lang_choose(NULL, "mylang=en", NULL), WEB_LANG_FR);
    assert_int_equal(web_lang_choose(NULL, NULL, "en-US,en;q=0.9,fr;q=0.8"), WEB_LANG_EN);
    assert_int_equal(web_lang_choose(NULL, NULL, "fr-FR,fr;q=0.9,en;q=0.8"), WEB_LANG_FR);
    assert_int_equal(web_lang_choose(NULL, NULL, "de-DE,de;q=0.9,en;q=0.5"), WEB_LANG_EN);
    assert_int_equal(web_lang_choose(NULL, NULL, "en;q=0.5, fr;q=0.7"), WEB_LANG_FR);
    assert_int_equal(web_lang_choose(NULL, NULL, "en;q=0"), WEB_LANG_FR);
    assert_int_equal(web_lang_choose(NULL, NULL, "de"), WEB_LANG_FR);
    assert_int_equal(web_lang_choose(NULL, NULL, "*"), WEB_LANG_FR);
}

static void
test_cookie_value(void **state)
{
    char v[8];

    (void)state;
    assert_true(web_cookie_value("lang=en", "lang", v, sizeof v));
    assert_string_equal(v, "en");
    assert_true(web_cookie_value("x=1;lang=fr ; y=2", "lang", v, sizeof v));
    assert_string_equal(v, "fr");
    assert_false(web_cookie_value("xlang=en", "lang", v, sizeof v));
    assert_false(web_cookie_value("lang=toolongvalue", "lang", v, sizeof v));
    assert_false(web_cookie_value(NULL, "lang", v, sizeof v));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int),          cmocka_unit_test(test_money),
        cmocka_unit_test(test_date),         cmocka_unit_test(test_lang_choose),
        cmocka_unit_test(test_cookie_value), cmocka_unit_test(test_phone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
