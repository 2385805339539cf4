/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* domain/countries: the 249 assigned codes, case handling, calling codes and dialling rules,
 * and the E.164 property the phone parser relies on (calling codes are prefix-free). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/countries.h"

/* ISO 3166-1 assigns 249 alpha-2 codes; every other pair of letters is unassigned,
 * user-assigned (XK, ZZ) or reserved (UK, EU, FX). */
static void
test_assigned_count(void **state)
{
    char code[3] = {0};
    int assigned = 0;
    int with_calling_code = 0;

    (void)state;
    for (char a = 'A'; a <= 'Z'; a++) {
        for (char b = 'A'; b <= 'Z'; b++) {
            code[0] = a;
            code[1] = b;
            if (country_is_assigned(code))
                assigned++;
            if (country_calling_code(code) != NULL)
                with_calling_code++;
        }
    }
    assert_int_equal(assigned, 249);
    assert_int_equal(with_calling_code, 247); /* all but BV and HM, uninhabited */
}

static void
test_is_assigned(void **state)
{
    static const struct {
        const char *code;
        bool assigned;
    } cases[] = {
        {"FR", true},  {"US", true},  {"KR", true},  {"AX", true},  {"BQ", true},
        {"SS", true},  {"ZW", true},  {"AD", true},  {"VA", true},  {"BV", true},
        {"fr", false}, {"Fr", false}, {"UK", false}, {"EU", false}, {"XK", false},
        {"ZZ", false}, {"AA", false}, {"FX", false}, {"AN", false}, {"YU", false},
        {"FRA", false}, {"F", false}, {"", false},  {" FR", false}, {"F1", false},
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (country_is_assigned(cases[i].code) != cases[i].assigned)
            fail_msg("country_is_assigned(\"%s\")", cases[i].code);
    }
    assert_false(country_is_assigned(NULL));
}

static void
test_normalize(void **state)
{
    static const struct {
        const char *in;
        const char *out; /* NULL: refused */
    } cases[] = {
        {"fr", "FR"}, {"FR", "FR"}, {"bE", "BE"}, {"Kr", "KR"}, {"gb", "GB"},
        {"uk", NULL}, {"eu", NULL}, {"xx", NULL}, {"fra", NULL}, {"f", NULL},
        {"", NULL},   {" fr", NULL}, {"fr ", NULL}, {"f\xc3\xa9", NULL}, {"1a", NULL},
    };
    char out[3];

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool ok = country_normalize(cases[i].in, out);

        if (ok != (cases[i].out != NULL))
            fail_msg("country_normalize(\"%s\") returned %d", cases[i].in, ok);
        assert_string_equal(out, cases[i].out != NULL ? cases[i].out : "");
    }
    assert_false(country_normalize(NULL, out));
}

static void
test_calling_codes(void **state)
{
    static const struct {
        const char *code;
        const char *calling; /* NULL: none */
    } cases[] = {
        {"FR", "33"},  {"US", "1"},    {"CA", "1"},   {"GB", "44"},   {"DE", "49"},
        {"KR", "82"},  {"BE", "32"},   {"IT", "39"},  {"VA", "39"},   {"SM", "378"},
        {"JP", "81"},  {"CN", "86"},   {"RU", "7"},   {"KZ", "7"},    {"GG", "44"},
        {"RE", "262"}, {"YT", "262"},  {"GP", "590"}, {"AX", "358"},  {"PR", "1"},
        {"NU", "683"}, {"EG", "20"},   {"AQ", "672"}, {"BV", NULL},   {"HM", NULL},
        {"fr", NULL},  {"XX", NULL},   {"", NULL},
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = country_calling_code(cases[i].code);

        if (cases[i].calling == NULL)
            assert_null(got);
        else if (got == NULL || strcmp(got, cases[i].calling) != 0)
            fail_msg("calling code of %s: %s", cases[i].code, got ? got : "NULL");
    }
}

/* E.164 calling codes never prefix one another; the phone parser reads the code of an
 * international number off its first digits on the strength of it. */
static void
test_calling_codes_prefix_free(void **state)
{
    char a[3] = {0};
    char b[3] = {0};

    (void)state;
    for (int i = 0; i < 26 * 26; i++) {
        a[0] = (char)('A' + i / 26);
        a[1] = (char)('A' + i % 26);
        const char *ca = country_calling_code(a);

        for (int j = 0; ca != NULL && j < 26 * 26; j++) {
            b[0] = (char)('A' + j / 26);
            b[1] = (char)('A' + j % 26);
            const char *cb = country_calling_code(b);

            if (cb != NULL && strlen(ca) < strlen(cb) && strncmp(ca, cb, strlen(ca)) == 0)
                fail_msg("%s (+%s) prefixes %s (+%s)", a, ca, b, cb);
        }
    }
}

static void
test_dialing_of(void **state)
{
    static const struct {
        const char *code;
        const char *trunk;
        const char *idd;
        int nsn_min;
        int nsn_max;
        bool keeps_zero;
    } cases[] = {
        {"FR", "0", "00", 9, 9, false},   {"BE", "0", "00", 8, 9, false},
        {"DE", "0", "00", 4, 15, false},  {"GB", "0", "00", 7, 10, false},
        {"KR", "0", "", 5, 14, false},    {"US", "1", "011", 10, 10, false},
        {"CA", "1", "011", 10, 10, false}, {"IT", "", "00", 6, 12, true},
        {"SM", "", "00", 8, 10, true},    {"VA", "", "00", 6, 12, true},
        {"ES", "", "00", 9, 9, false},    {"RU", "8", "810", 10, 10, false},
        {"HU", "06", "00", 8, 9, false},  {"AU", "0", "0011", 5, 12, false},
    };
    struct country_dialing d;

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_true(country_dialing_of(cases[i].code, &d));
        assert_string_equal(d.calling_code, country_calling_code(cases[i].code));
        assert_string_equal(d.trunk_prefix, cases[i].trunk);
        assert_string_equal(d.idd, cases[i].idd);
        assert_int_equal(d.nsn_min, cases[i].nsn_min);
        assert_int_equal(d.nsn_max, cases[i].nsn_max);
        assert_int_equal(d.keeps_zero, cases[i].keeps_zero);
    }
    assert_false(country_dialing_of("BV", &d));
    assert_false(country_dialing_of("fr", &d));
    assert_false(country_dialing_of("XK", &d));
}

/* Shared calling codes merge their countries: +44 is GB (7-10 digits), GG, IM and JE (10);
 * +39 is IT and VA, both keeping their zero; +7 is RU and KZ with trunk 8. */
static void
test_dialing_for_number(void **state)
{
    static const struct {
        const char *digits;
        size_t cc_len; /* 0: unknown */
        const char *trunk;
        int nsn_min;
        int nsn_max;
        bool keeps_zero;
    } cases[] = {
        {"33612345678", 2, "0", 9, 9, false},   {"442079460018", 2, "0", 7, 10, false},
        {"390612345678", 2, "", 6, 12, true},   {"79123456789", 1, "8", 10, 10, false},
        {"12025550143", 1, "1", 10, 10, false}, {"3780549123456", 3, "", 8, 10, true},
        {"80012345678", 3, "", 8, 8, false},    {"8821234567", 3, "", 7, 12, false},
        {"2621234", 3, "0", 9, 9, false},       {"999123456", 0, "", 0, 0, false},
        {"0612345678", 0, "", 0, 0, false},     {"", 0, "", 0, 0, false},
    };
    struct country_dialing d;

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = country_dialing_for_number(cases[i].digits, &d);

        if (n != cases[i].cc_len)
            fail_msg("calling code of %s: length %zu", cases[i].digits, n);
        if (n == 0)
            continue;
        assert_memory_equal(d.calling_code, cases[i].digits, n);
        assert_string_equal(d.trunk_prefix, cases[i].trunk);
        assert_string_equal(d.idd, "");
        assert_int_equal(d.nsn_min, cases[i].nsn_min);
        assert_int_equal(d.nsn_max, cases[i].nsn_max);
        assert_int_equal(d.keeps_zero, cases[i].keeps_zero);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_assigned_count),
        cmocka_unit_test(test_is_assigned),
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_calling_codes),
        cmocka_unit_test(test_calling_codes_prefix_free),
        cmocka_unit_test(test_dialing_of),
        cmocka_unit_test(test_dialing_for_number),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
