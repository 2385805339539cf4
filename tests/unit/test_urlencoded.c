/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* core/urlencoded: what browsers send is read exactly, and every other shape is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/urlencoded.h"

static bool
parse(struct arena *a, const char *body, struct form *f)
{
    return urlencoded_parse(body, strlen(body), 64, a, f);
}

/* What Chromium sends for a French name, an address with '&' and '=', a checkbox group. */
static void
test_reads_a_browser_body(void **state)
{
    struct arena *a = arena_new();
    struct form f;
    bool repeated;

    (void)state;
    assert_true(parse(a,
                      "claimant.given_name=H%C3%A9l%C3%A8ne&claimant.address.line1=12+rue+de+"
                      "Rivoli+%26+co+%3D+1&data_categories=email&data_categories=password&"
                      "harms.description=&x%2By=%2B",
                      &f));
    assert_int_equal(f.n, 6);
    assert_string_equal(form_get(&f, "claimant.given_name", NULL), "Hélène");
    assert_string_equal(form_get(&f, "claimant.address.line1", NULL), "12 rue de Rivoli & co = 1");
    assert_string_equal(form_get(&f, "data_categories", &repeated), "email");
    assert_true(repeated);
    assert_int_equal(form_count(&f, "data_categories"), 2);
    assert_string_equal(f.pairs[3].value, "password");
    assert_string_equal(form_get(&f, "harms.description", &repeated), "");
    assert_false(repeated);
    assert_string_equal(form_get(&f, "x+y", NULL), "+");
    assert_null(form_get(&f, "absent", &repeated));
    assert_false(repeated);
    assert_int_equal(form_count(&f, "absent"), 0);
    arena_free(a);
}

static void
test_empty_body_is_an_empty_form(void **state)
{
    struct arena *a = arena_new();
    struct form f;

    (void)state;
    assert_true(urlencoded_parse("", 0, 4, a, &f));
    assert_int_equal(f.n, 0);
    arena_free(a);
}

/* Each departure from the browsers' format, one at a time. */
static void
test_refuses_malformed_bodies(void **state)
{
    static const char *bad[] = {
        "a",          /* no '=' */
        "=1",         /* empty name */
        "a=1&",       /* trailing '&' */
        "&a=1",       /* leading '&' */
        "a=1&&b=2",   /* empty pair */
        "a=1=2",      /* raw '=' in a value */
        "a=%",        /* truncated escapes */
        "a=%4",
        "a=%G1",      /* not hex */
        "a=%00",      /* NUL */
        "%00=1",
        "a=%C3",      /* truncated UTF-8 */
        "a=%C0%80",   /* overlong NUL */
        "a=%ED%A0%80", /* surrogate */
        "a=%F4%90%80%80", /* above U+10FFFF */
        "a=%FF",
        "a=\xff",     /* raw bad byte */
    };
    struct arena *a = arena_new();
    struct form f;

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (parse(a, bad[i], &f))
            fail_msg("accepted %s", bad[i]);
        assert_int_equal(f.n, 0);
    }
    arena_free(a);
}

static void
test_bounds_the_pairs(void **state)
{
    struct arena *a = arena_new();
    struct form f;

    (void)state;
    assert_true(urlencoded_parse("a=1&b=2&c=3", 11, 3, a, &f));
    assert_int_equal(f.n, 3);
    assert_false(urlencoded_parse("a=1&b=2&c=3", 11, 2, a, &f));
    /* the length given is the body: what follows is not read */
    assert_true(urlencoded_parse("a=1&b=2", 3, 1, a, &f));
    assert_string_equal(form_get(&f, "a", NULL), "1");
    arena_free(a);
}

static void
test_utf8(void **state)
{
    (void)state;
    assert_true(utf8_is_valid("", 0));
    assert_true(utf8_is_valid("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9));
    assert_true(utf8_is_valid("\xf4\x8f\xbf\xbf", 4));
    assert_false(utf8_is_valid("\xe0\x9f\xbf", 3)); /* overlong 3-byte */
    assert_false(utf8_is_valid("\xf0\x8f\xbf\xbf", 4)); /* overlong 4-byte */
    assert_false(utf8_is_valid("\x80", 1));
    assert_false(utf8_is_valid("\xc3", 1));
}

/* A round trip over random bytes: every byte encoded as %XX (and spaces as '+') reads back as
 * itself whenever it is valid UTF-8 without NUL, and the reader never accepts anything else. */
static void
test_random_round_trip(void **state)
{
    unsigned seed = (unsigned)time(NULL);
    struct arena *a = arena_new();
    char raw[16], enc[3 * 16 + 8];
    struct form f;

    (void)state;
    srand(seed);
    for (int round = 0; round < 20000; round++) {
        size_t n = (size_t)(rand() % 8);
        for (size_t i = 0; i < n; i++)
            raw[i] = (char)(rand() % 256);
        size_t w = 0;
        enc[w++] = 'v';
        enc[w++] = '=';
        for (size_t i = 0; i < n; i++)
            w += (size_t)(raw[i] == ' ' ? snprintf(enc + w, 4, "+")
                                        : snprintf(enc + w, 4, "%%%02X", (unsigned char)raw[i]));
        bool ok = urlencoded_parse(enc, w, 4, a, &f);
        bool expect = utf8_is_valid(raw, n) && memchr(raw, '\0', n) == NULL;
        if (ok != expect)
            fail_msg("seed %u round %d: got %d", seed, round, ok);
        if (ok)
            assert_memory_equal(form_get(&f, "v", NULL), raw, n);
    }
    arena_free(a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_a_browser_body),
        cmocka_unit_test(test_empty_body_is_an_empty_form),
        cmocka_unit_test(test_refuses_malformed_bodies),
        cmocka_unit_test(test_bounds_the_pairs),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_random_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
