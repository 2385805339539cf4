/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The controller's kit (issue 14): every test vector the kit writes is the C normalisation
 * the intake applies (domain/normalize.c, domain/notice_code.c) of its input, and its hash is
 * HMAC-SHA256(key, kind || 0x00 || normal) as NORMALISATION.md states, checked against digests
 * computed independently (Python's hmac); the matching key derivation likewise; notice codes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/eligibility_kit.h"
#include "crypto/hex.h"
#include "crypto/matching_key.h"
#include "crypto/sha256.h"
#include "domain/normalize.h"
#include "domain/notice_code.h"

/* bytes 0x01..0x20 */
static void
key_1_32(uint8_t key[32])
{
    for (int i = 0; i < 32; i++)
        key[i] = (uint8_t)(i + 1);
}

/* Digests from: hmac.new(bytes(range(1, 33)), kind.encode() + b"\0" + normal.encode(),
 * hashlib.sha256).hexdigest() */
static void
test_mac_is_the_published_formula(void **state)
{
    static const struct {
        const char *kind, *normal, *hex;
    } cases[] = {
        {"email", "jean.dupont@example.org",
         "d7a24a7cc71621d6510538dc8a6b51896d672caf3c8076653820fc1a3002be1f"},
        {"phone", "+12025550143",
         "a8501fc73b347a80c93f2f34d1488b231b60d62b18e8a33824585c5c8ab53d39"},
        {"code", "AB12CD34", "be35fe41fe43ed98eeff4de5f8f2fce319686e9490506debd6276b78bb0b50ec"},
    };
    uint8_t key[32], mac[32];
    char hex[65];

    (void)state;
    key_1_32(key);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_true(matching_mac(key, cases[i].kind, cases[i].normal, mac));
        hex_encode(mac, 32, hex);
        assert_string_equal(hex, cases[i].hex);
    }
}

/* hmac.new(bytes(32), b"eligibility-matching-key-v1\0" + b"7", hashlib.sha256) */
static void
test_key_derivation(void **state)
{
    uint8_t zero[32] = {0}, key[32];
    char hex[65];

    (void)state;
    assert_true(matching_key_derive(zero, 7, key));
    hex_encode(key, 32, hex);
    assert_string_equal(hex, "db8ca584e225d659a16626dbb0b3e22d48e20def2544d11e9da131620656875a");
    assert_memory_not_equal(key, zero, 32);
}

/* Each line of test-vectors.csv: the C normalisation of its input gives its normal form, and
 * its hash is matching_mac of that form. */
static void
test_vectors_match_the_intake_normalisation(void **state)
{
    char *text = NULL;
    size_t len = 0;
    uint8_t key[32];
    FILE *f = open_memstream(&text, &len);
    int n = 0;

    (void)state;
    key_1_32(key);
    assert_non_null(f);
    assert_true(eligibility_kit_vectors(f, key));
    assert_int_equal(fclose(f), 0);
    char *save = NULL;
    char *line = strtok_r(text, "\n", &save);
    assert_string_equal(line, "kind,input,country,normalised,hmac_sha256_hex");
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        char *fields[5];
        char *p = line;
        for (int i = 0; i < 5; i++) {
            fields[i] = p;
            p = strchr(p, ',');
            if (i < 4) {
                assert_non_null(p);
                *p++ = '\0';
            }
        }
        char normal[NORMALIZE_EMAIL_MAX + 1];
        if (strcmp(fields[0], "email") == 0)
            assert_true(normalize_email(fields[1], normal, sizeof normal));
        else if (strcmp(fields[0], "phone") == 0)
            assert_true(normalize_phone(fields[1], fields[2][0] ? fields[2] : NULL, normal));
        else
            assert_true(normalize_notice_code(fields[1], normal));
        assert_string_equal(normal, fields[3]);
        uint8_t mac[32];
        char hex[65];
        assert_true(matching_mac(key, fields[0], normal, mac));
        hex_encode(mac, 32, hex);
        assert_string_equal(hex, fields[4]);
        n++;
    }
    assert_true(n >= 10);
    free(text);
}

static void
test_vectors_expected_forms(void **state)
{
    static const struct {
        const char *in, *country, *out;
    } phones[] = {{"+33 6 12 34 56 78", NULL, "+33612345678"},
                  {"0033 6 12 34 56 78", NULL, "+33612345678"},
                  {"06.12.34.56.78", "FR", "+33612345678"},
                  {"(202) 555-0143", "US", "+12025550143"}};
    char out[NORMALIZE_EMAIL_MAX + 1];

    (void)state;
    for (size_t i = 0; i < sizeof phones / sizeof phones[0]; i++) {
        assert_true(normalize_phone(phones[i].in, phones[i].country, out));
        assert_string_equal(out, phones[i].out);
    }
    assert_true(normalize_email("Marie.Curie+breach@GoogleMail.com", out, sizeof out));
    assert_string_equal(out, "mariecurie@gmail.com");
    assert_true(normalize_email("  Jean.Dupont@Example.ORG ", out, sizeof out));
    assert_string_equal(out, "jean.dupont@example.org");
}

static void
test_notice_code(void **state)
{
    char out[NOTICE_CODE_MAX + 1];

    (void)state;
    assert_true(normalize_notice_code("ab12-cd 34", out));
    assert_string_equal(out, "AB12CD34");
    assert_true(normalize_notice_code("abcd", out));
    assert_false(normalize_notice_code("abc", out));          /* too short */
    assert_string_equal(out, "");
    assert_false(normalize_notice_code("ab_cd", out));        /* not a letter or digit */
    assert_false(normalize_notice_code("é1234", out));        /* ASCII only */
    assert_false(normalize_notice_code("123456789012345678901234567890123", out)); /* 33 */
    assert_true(normalize_notice_code("12345678901234567890123456789012", out));   /* 32 */
    assert_false(normalize_notice_code(" - ", out));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mac_is_the_published_formula),
        cmocka_unit_test(test_key_derivation),
        cmocka_unit_test(test_vectors_match_the_intake_normalisation),
        cmocka_unit_test(test_vectors_expected_forms),
        cmocka_unit_test(test_notice_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
