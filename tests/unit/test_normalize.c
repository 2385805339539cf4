/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* domain/normalize: the dedup forms of docs/product.md §3.1 (its pairs included) and NFC, as
 * tables of hand-written inputs and the exact bytes expected. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uninorm.h>

#include "domain/normalize.h"

struct text_case {
    const char *in;
    const char *out; /* NULL: refused */
};

static void
test_email(void **state)
{
    static const struct text_case cases[] = {
        {"helene@example.org", "helene@example.org"},
        {"  Helene.Dupont@Example.ORG \t", "helene.dupont@example.org"},
        {"a@b.co", "a@b.co"},
        {"first.last+claims@outlook.fr", "first.last+claims@outlook.fr"}, /* not gmail: kept */
        {"first.last@sub.example.co.uk", "first.last@sub.example.co.uk"},
        {"o'brien_x-1@my-host.ie", "o'brien_x-1@my-host.ie"},
        {"user@xn--80ak6aa92e.xn--p1ai", "user@xn--80ak6aa92e.xn--p1ai"}, /* A-label TLD */
        /* gmail: dots and +tag dropped; googlemail is gmail */
        {"h.e.l.e.n.e@gmail.com", "helene@gmail.com"},
        {"Helene.Dupont+breach@Gmail.com", "helenedupont@gmail.com"},
        {"helene.dupont@googlemail.com", "helenedupont@gmail.com"},
        {"HeleneDupont+a+b@GOOGLEMAIL.COM", "helenedupont@gmail.com"},
        {"helene@gmail.co", "helene@gmail.co"},                 /* another domain */
        {"helene.d@mail.gmail.com", "helene.d@mail.gmail.com"}, /* another domain */
        /* refused */
        {"helene@example", NULL},          /* no TLD */
        {"helene@example.c", NULL},        /* one-letter TLD */
        {"helene@example.c0m", NULL},      /* digit in TLD */
        {"a@b@example.org", NULL},         /* two @ */
        {"@example.org", NULL},            /* empty local part */
        {"helene@", NULL},
        {"helene", NULL},
        {"hel ene@example.org", NULL},     /* space inside */
        {"helene@exa mple.org", NULL},
        {".helene@example.org", NULL},
        {"helene.@example.org", NULL},
        {"hel..ene@example.org", NULL},
        {"helene@example..org", NULL},
        {"helene@.example.org", NULL},
        {"helene@example.org.", NULL},
        {"helene@-example.org", NULL},
        {"helene@example-.org", NULL},
        {"helene@exam_ple.org", NULL},
        {"\"helene\"@example.org", NULL},  /* quoted local part */
        {"helene@[192.0.2.1]", NULL},      /* address literal */
        {"h\xc3\xa9l\xc3\xa8ne@example.org", NULL}, /* non-ASCII */
        {"helene@exampl\xc3\xa9.org", NULL},
        {"+tag@gmail.com", NULL},          /* nothing left of the gmail local part */
        {"", NULL},
        {"   ", NULL},
    };
    char out[NORMALIZE_EMAIL_MAX + 1];

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool ok = normalize_email(cases[i].in, out, sizeof out);

        if (ok != (cases[i].out != NULL))
            fail_msg("normalize_email(\"%s\") returned %d", cases[i].in, ok);
        assert_string_equal(out, cases[i].out != NULL ? cases[i].out : "");
    }
}

/* Lengths: 64-character local part, 63-character labels, 254 characters in all. */
static void
test_email_lengths(void **state)
{
    char addr[300];
    char out[NORMALIZE_EMAIL_MAX + 1];
    char small[8];

    (void)state;
    /* 64 + 1 + (63 + 1 + 63 + 1 + 58 + 1 + 2) = 254 */
    memset(addr, 'a', 64);
    addr[64] = '@';
    memset(addr + 65, 'b', 63);
    addr[128] = '.';
    memset(addr + 129, 'c', 63);
    addr[192] = '.';
    memset(addr + 193, 'd', 58);
    memcpy(addr + 251, ".fr", 4);
    assert_int_equal(strlen(addr), 254);
    assert_true(normalize_email(addr, out, sizeof out));
    assert_string_equal(out, addr);

    /* 255: one more character in the third label */
    memset(addr + 193, 'd', 59);
    memcpy(addr + 252, ".fr", 4);
    assert_int_equal(strlen(addr), 255);
    assert_false(normalize_email(addr, out, sizeof out));

    /* 65-character local part */
    memset(addr, 'a', 65);
    memcpy(addr + 65, "@example.org", 13);
    assert_false(normalize_email(addr, out, sizeof out));
    assert_true(normalize_email(addr + 1, out, sizeof out));

    /* 64-character label */
    memcpy(addr, "a@", 2);
    memset(addr + 2, 'b', 64);
    memcpy(addr + 66, ".org", 5);
    assert_false(normalize_email(addr, out, sizeof out));
    assert_true(normalize_email("a@bbb.org", out, sizeof out));

    /* out too small: refused, not truncated */
    assert_false(normalize_email("helene@example.org", small, sizeof small));
    assert_string_equal(small, "");
    assert_true(normalize_email("a@b.co", small, 7));
    assert_false(normalize_email("a@b.co", small, 6));
}

static void
test_phone(void **state)
{
    static const struct {
        const char *in;
        const char *country;
        const char *out; /* NULL: refused */
    } cases[] = {
        /* the example of docs/product.md §3.1 */
        {"06 12 34 56 78", "FR", "+33612345678"},
        {"+33612345678", NULL, "+33612345678"},
        {"+33612345678", "US", "+33612345678"},
        {"+33 6 12 34 56 78", "DE", "+33612345678"},
        {"0033 6 12 34 56 78", "FR", "+33612345678"},
        {"0033612345678", NULL, "+33612345678"}, /* ITU's 00 without a country */
        {"612345678", "FR", "+33612345678"},
        {"06.12.34.56.78", "FR", "+33612345678"},
        {" 06-12-34-56-78 ", "FR", "+33612345678"},
        {"06/12/34/56/78", "FR", "+33612345678"},
        {"+33 (0)6 12 34 56 78", NULL, "+33612345678"},  /* trunk written after the code */
        {"+33 06 12 34 56 78", NULL, "+33612345678"},
        {"(202) 555-0143", "US", "+12025550143"},
        {"1 202 555 0143", "US", "+12025550143"},
        {"202.555.0143", "US", "+12025550143"},
        {"+1 (202) 555-0143", NULL, "+12025550143"},
        {"011 33 6 12 34 56 78", "US", "+33612345678"},  /* NANP's call prefix */
        {"(416) 555-0199", "CA", "+14165550199"},
        {"010-1234-5678", "KR", "+821012345678"},
        {"02-312-3456", "KR", "+8223123456"},
        {"+82 10 1234 5678", NULL, "+821012345678"},
        {"0471 12 34 56", "BE", "+32471123456"},
        {"02 123 45 67", "BE", "+3221234567"},
        {"030 1234567", "DE", "+49301234567"},
        {"020 7946 0018", "GB", "+442079460018"},
        {"+44 (0)20 7946 0018", NULL, "+442079460018"},
        {"06 1234 5678", "IT", "+390612345678"},         /* Italy keeps its 0 */
        {"+39 06 1234 5678", NULL, "+390612345678"},
        {"312 345 6789", "IT", "+393123456789"},
        {"0549 123456", "SM", "+3780549123456"},
        {"8 912 345 67 89", "RU", "+79123456789"},        /* trunk 8 dropped */
        {"812 123 4567", "RU", "+78121234567"},           /* St Petersburg: the 8 is kept */
        {"06 20 123 4567", "HU", "+36201234567"},
        {"090-1234-5678", "JP", "+819012345678"},
        {"0412 345 678", "AU", "+61412345678"},
        {"0011 33 6 12 34 56 78", "AU", "+33612345678"},
        {"+800 1234 5678", NULL, "+80012345678"},         /* international freephone */
        {"+683 4002", NULL, "+6834002"},                  /* Niue: 7 digits in all */
        /* refused */
        {"06 1234", "FR", NULL},
        {"06 12 34 56 78 9", "FR", NULL},
        {"+33 6 12 34 56 78 90", NULL, NULL},
        {"06 12 34 56 78", NULL, NULL},    /* national without a country */
        {"06 12 34 56 78", "XX", NULL},
        {"06 12 34 56 78", "BV", NULL},    /* no telephone service */
        {"06 12 34 56 78", "fr", NULL},    /* the country is given normalised */
        {"+33 6 12 34 56 7a", NULL, NULL},
        {"tel:+33612345678", NULL, NULL},
        {"+33 6 12 34 56 78 ext 2", NULL, NULL},
        {"++33612345678", NULL, NULL},
        {"+33+612345678", NULL, NULL},
        {"+33_612345678", NULL, NULL},
        {"\xef\xbc\x90\xef\xbc\x96 12 34 56 78", "FR", NULL}, /* full-width digits */
        {"", "FR", NULL},
        {"   ", "FR", NULL},
        {"+", NULL, NULL},
        {"+0 612345678", NULL, NULL},
        {"+999 123 456 789", NULL, NULL},  /* unassigned calling code */
        {"0612345678", "US", NULL},        /* leading 0 where numbers have none */
        {"+1 123 456 7890", NULL, NULL},   /* NANP area codes start with 2-9 */
        {"001 33 6 12 34 56 78", "KR", NULL}, /* a carrier prefix is not misread */
        {"12345678901234567", "DE", NULL},
        {"+12345678901234567890123456", NULL, NULL},
        {"+683 400", NULL, NULL},          /* 6 digits */
    };
    char out[NORMALIZE_PHONE_MAX + 1];

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool ok = normalize_phone(cases[i].in, cases[i].country, out);

        if (ok != (cases[i].out != NULL))
            fail_msg("normalize_phone(\"%s\", %s) returned %d (%s)", cases[i].in,
                     cases[i].country ? cases[i].country : "NULL", ok, out);
        assert_string_equal(out, cases[i].out != NULL ? cases[i].out : "");
    }
}

static void
test_identity(void **state)
{
    static const struct {
        const char *family;
        const char *given;
        const char *birth_date;
        const char *out; /* NULL: refused */
    } cases[] = {
        /* docs/product.md §3.1: "Hélène Dupont-Martin" and "helene  dupont martin" */
        {"Dupont-Martin", "Hélène", "1980-04-12", "dupont martin|helene|1980-04-12"},
        {"dupont  martin", "helene", "1980-04-12", "dupont martin|helene|1980-04-12"},
        {"DUPONT MARTIN", "HÉLÈNE", "1980-04-12", "dupont martin|helene|1980-04-12"},
        {"  Dupont \xe2\x80\x93 Martin ", "He\xcc\x81le\xcc\x80ne", "1980-04-12", /* en dash, NFD */
         "dupont martin|helene|1980-04-12"},
        {"Dupont_Martin", "H\xc3\xa9l\xc3\xa8ne", "1980-04-12", "dupont martin|helene|1980-04-12"},
        {"Dupont\xe2\x80\x91Martin", "Helene", "1980-04-12", /* U+2011 non-breaking hyphen */
         "dupont martin|helene|1980-04-12"},
        {"Dupont\xe2\x88\x92Martin", "Helene", "1980-04-12", /* U+2212 minus sign */
         "dupont martin|helene|1980-04-12"},
        {"Dupont\tMartin\xc2\xa0", "Helene", "1980-04-12", /* tab, no-break space */
         "dupont martin|helene|1980-04-12"},
        {"\xef\xbc\xa4\xef\xbc\xb5\xef\xbc\xb0\xef\xbc\xaf\xef\xbc\xae\xef\xbc\xb4", "Helene",
         "1980-04-12", "dupont|helene|1980-04-12"}, /* full-width letters */
        /* apostrophes */
        {"O'Brien", "Se\xc3\xa1n", "1975-01-31", "o brien|sean|1975-01-31"},
        {"O\xe2\x80\x99" "Brien", "Sean", "1975-01-31", "o brien|sean|1975-01-31"},
        {"O\xca\xbc" "brien", "SEAN", "1975-01-31", "o brien|sean|1975-01-31"},
        /* compatibility forms, ligatures, sharp s, stroke letters */
        {"\xc7\x84" "eko", "\xef\xac\x81lip", "1986-03-28", "dzeko|filip|1986-03-28"}, /* Ǆ, ﬁ */
        {"Stra\xc3\x9f" "e", "J\xc3\xbcrgen", "1960-12-01", "strasse|jurgen|1960-12-01"},
        {"STRASSE", "Jurgen", "1960-12-01", "strasse|jurgen|1960-12-01"},
        {"Wa\xc5\x82\xc4\x99sa", "\xc5\x81ukasz", "1943-09-29", "walesa|lukasz|1943-09-29"},
        {"\xc5\x92uvrard", "S\xc3\xb8ren", "1990-07-14", "oeuvrard|soren|1990-07-14"},
        /* Greek: final sigma folds like sigma, tonos is a mark */
        {"\xce\xa0\xce\x91\xce\xa0\xce\x91\xce\x94\xce\x8c\xce\xa0\xce\x9f\xce\xa5\xce\x9b\xce\x9f"
         "\xce\xa3", "\xce\xa3\xcf\x89\xce\xba\xcf\x81\xce\xac\xcf\x84\xce\xb7\xcf\x82",
         "1970-01-01", "\xcf\x80\xce\xb1\xcf\x80\xce\xb1\xce\xb4\xce\xbf\xcf\x80\xce\xbf\xcf\x85"
         "\xce\xbb\xce\xbf\xcf\x83|\xcf\x83\xcf\x89\xce\xba\xcf\x81\xce\xb1\xcf\x84\xce\xb7\xcf\x83"
         "|1970-01-01"},
        /* invisible format characters vanish: soft hyphen, zero-width space */
        {"Mul\xc2\xadler", "An\xe2\x80\x8bna", "2000-02-29", "muller|anna|2000-02-29"},
        /* '|' cannot move a boundary of the key */
        {"a|b", "c", "2000-01-01", "a b|c|2000-01-01"},
        {"a", "b|c", "2000-01-01", "a|b c|2000-01-01"},
        /* refused */
        {"---", "Helene", "1980-04-12", NULL},
        {"Dupont", " ' ", "1980-04-12", NULL},
        {"", "Helene", "1980-04-12", NULL},
        {"\xcc\x81", "Helene", "1980-04-12", NULL},    /* only a combining mark */
        {"Dupont", "H\xc3\x28", "1980-04-12", NULL},   /* invalid UTF-8 */
        {"Dupont", "\xc0\xaf", "1980-04-12", NULL},    /* overlong */
        {"Dupont", "\xed\xa0\x80", "1980-04-12", NULL}, /* surrogate */
        {"Dupont", "Helene", "1980-02-30", NULL},
        {"Dupont", "Helene", "1980-4-12", NULL},
        {"Dupont", "Helene", "", NULL},
        {"Dupont", "Helene", NULL, NULL},
    };
    char out[256];

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool ok = normalize_identity(cases[i].family, cases[i].given, cases[i].birth_date, out,
                                     sizeof out);

        if (ok != (cases[i].out != NULL))
            fail_msg("normalize_identity(\"%s\", \"%s\") returned %d", cases[i].family,
                     cases[i].given, ok);
        assert_string_equal(out, cases[i].out != NULL ? cases[i].out : "");
    }
}

/* "dupont martin|helene|1980-04-12" is 31 bytes: 32 fit, 31 do not. */
static void
test_identity_capacity(void **state)
{
    char out[32];

    (void)state;
    assert_true(normalize_identity("Dupont-Martin", "Hélène", "1980-04-12", out, 32));
    assert_string_equal(out, "dupont martin|helene|1980-04-12");
    assert_false(normalize_identity("Dupont-Martin", "Hélène", "1980-04-12", out, 31));
    assert_string_equal(out, "");
    assert_false(normalize_identity("Dupont-Martin", "Hélène", "1980-04-12", out, 0));
}

static void
test_nfc(void **state)
{
    static const struct text_case cases[] = {
        {"He\xcc\x81le\xcc\x80ne", "H\xc3\xa9l\xc3\xa8ne"},  /* NFD → NFC */
        {"H\xc3\xa9l\xc3\xa8ne", "H\xc3\xa9l\xc3\xa8ne"},    /* already NFC */
        {"Dupont-Martin", "Dupont-Martin"},
        {"\xef\xac\x81lip", "\xef\xac\x81lip"},              /* ﬁ: NFC keeps ligatures */
        {"\xc7\x84" "eko", "\xc7\x84" "eko"},
        {"A\xcc\x8a", "\xc3\x85"},                           /* A + ring → Å */
        {"\xe2\x84\xab", "\xc3\x85"},                        /* Ångström sign → Å */
        {"", ""},
        {"H\xc3\x28", NULL},
        {"\xed\xa0\x80", NULL},
        {"\xff", NULL},
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = normalize_nfc(cases[i].in);

        if (cases[i].out == NULL) {
            assert_null(got);
            continue;
        }
        assert_non_null(got);
        assert_string_equal(got, cases[i].out);
        free(got);
    }
}

/* A random ASCII string of up to max - 1 bytes: letters of both cases, digits, spaces,
 * hyphens, apostrophes, punctuation and control characters, the bytes a name may hold. */
static void
random_ascii(char *out, size_t max, unsigned *seed)
{
    static const char pool[] = "AbCdEfGhIjKlMnOpQrStUvWxYz aZ-'.,0129\t\n\x01\x7f_()/";
    size_t n = (size_t)rand_r(seed) % max;

    for (size_t i = 0; i < n; i++)
        out[i] = pool[(size_t)rand_r(seed) % (sizeof pool - 1)];
    out[n] = '\0';
}

/* ASCII input takes a path of its own, without libunistring (is_ascii in normalize.c): on
 * random ASCII strings its results are those of the Unicode path, reached by the same string
 * with a zero-width space appended (a format character, which the name keys drop), and its
 * NFC is libunistring's. */
static void
test_ascii_path_is_the_unicode_path(void **state)
{
    static const char zwsp[] = "\xe2\x80\x8b";
    unsigned seed = 20261206;
    char family[48], given[48], family_u[64], given_u[64];
    char fast[256], slow[256];

    (void)state;
    for (int i = 0; i < 20000; i++) {
        random_ascii(family, sizeof family, &seed);
        random_ascii(given, sizeof given, &seed);
        snprintf(family_u, sizeof family_u, "%s%s", family, zwsp);
        snprintf(given_u, sizeof given_u, "%s%s", given, zwsp);
        bool ok_fast = normalize_identity(family, given, "1980-04-12", fast, sizeof fast);
        bool ok_slow = normalize_identity(family_u, given_u, "1980-04-12", slow, sizeof slow);
        assert_int_equal(ok_fast, ok_slow);
        assert_string_equal(fast, slow);
        assert_int_equal(normalize_name_has_letters(family), normalize_name_has_letters(family_u));

        char *nfc = normalize_nfc(family);
        size_t len = 0;
        uint8_t *want =
            u8_normalize(UNINORM_NFC, (const uint8_t *)family, strlen(family) + 1, NULL, &len);
        assert_non_null(nfc);
        assert_non_null(want);
        assert_string_equal(nfc, (const char *)want);
        assert_string_equal(nfc, family);
        free(want);
        free(nfc);
    }
}

static void
test_text_has_content(void **state)
{
    static const char *const blank[] = {
        "",  " ", "-", "\xc2\xa0",                   /* no-break space */
        "\xe2\x80\x8b",                            /* zero-width space */
        "\xe3\x80\x80",                            /* ideographic space */
        "\xcc\x81",                                /* a lone combining acute */
        ".,;'", "\xff", "H\xc3\x28",
    };
    static const char *const filled[] = {
        "12", "1 rue de Rivoli", "75001", "Paris", "\xc3\x89vry",
        "\xd0\x9c\xd0\xbe\xd1\x81",                 /* Мос */
        "\xec\x84\x9c\xec\x9a\xb8",             /* 서울 */
        "\xd9\xa3",                                /* Arabic-Indic digit three */
    };

    (void)state;
    for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++)
        assert_false(normalize_text_has_content(blank[i]));
    for (size_t i = 0; i < sizeof filled / sizeof filled[0]; i++)
        assert_true(normalize_text_has_content(filled[i]));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_email),
        cmocka_unit_test(test_email_lengths),
        cmocka_unit_test(test_phone),
        cmocka_unit_test(test_identity),
        cmocka_unit_test(test_identity_capacity),
        cmocka_unit_test(test_nfc),
        cmocka_unit_test(test_ascii_path_is_the_unicode_path),
        cmocka_unit_test(test_text_has_content),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
