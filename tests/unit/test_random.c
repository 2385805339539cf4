/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* crypto/random: base64url against RFC 4648 §10 (url alphabet, unpadded), both ways, and token
 * shape. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "crypto/random.h"
#include "domain/uuid.h"

static const char url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* RFC 4648 §10, padding removed: the alphabet is the same for these inputs. */
static const struct {
    const char *in;
    const char *out;
} rfc4648[] = {
    { "", "" },
    { "f", "Zg" },
    { "fo", "Zm8" },
    { "foo", "Zm9v" },
    { "foob", "Zm9vYg" },
    { "fooba", "Zm9vYmE" },
    { "foobar", "Zm9vYmFy" },
};

static void
test_rfc4648_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rfc4648 / sizeof rfc4648[0]; i++) {
        size_t n = strlen(rfc4648[i].in);
        char out[16];

        assert_int_equal(base64url_len(n), strlen(rfc4648[i].out));
        base64url_encode((const uint8_t *)rfc4648[i].in, n, out);
        assert_string_equal(out, rfc4648[i].out);
    }
}

/* The decoder reads back what the encoder wrote, and only that: RFC 4648 §10 and every byte
 * value, then a character outside the url alphabet, an impossible length, non-zero trailing
 * bits (a text the encoder would not write) and a text longer than the buffer. */
static void
test_decode(void **state)
{
    uint8_t out[256];
    uint8_t all[256];
    char text[400];
    size_t n = 0;

    (void)state;
    for (size_t i = 0; i < sizeof rfc4648 / sizeof rfc4648[0]; i++) {
        assert_true(base64url_decode(rfc4648[i].out, out, sizeof out, &n));
        assert_int_equal(n, strlen(rfc4648[i].in));
        assert_memory_equal(out, rfc4648[i].in, n);
    }
    for (size_t i = 0; i < sizeof all; i++)
        all[i] = (uint8_t)i;
    base64url_encode(all, sizeof all, text);
    assert_true(base64url_decode(text, out, sizeof out, &n));
    assert_int_equal(n, sizeof all);
    assert_memory_equal(out, all, sizeof all);
    assert_false(base64url_decode("Zm9+", out, sizeof out, &n));
    assert_false(base64url_decode("Zm9/", out, sizeof out, &n));
    assert_false(base64url_decode("Zm9=", out, sizeof out, &n));
    assert_false(base64url_decode("Zm9vY", out, sizeof out, &n));
    assert_false(base64url_decode("Zh", out, sizeof out, &n));
    assert_false(base64url_decode("Zm9vYmFy", out, 5, &n));
    assert_true(base64url_decode("Zm9vYmFy", out, 6, &n));
}

/* 0xfb 0xff = 111110 111111 1111(00): 62, 63, 60, where '+' '/' would be in RFC 4648 §4. */
static void
test_url_alphabet(void **state)
{
    static const uint8_t bytes[] = { 0xfb, 0xff };
    /* 0x00 0x10 0x83 0x10 0x51 0x87 ... walks indexes 0, 1, 2, 3, ... */
    static const uint8_t ramp[] = { 0x00, 0x10, 0x83, 0x10, 0x51, 0x87, 0x20, 0x92, 0x8b };
    char out[16];

    (void)state;
    base64url_encode(bytes, sizeof bytes, out);
    assert_string_equal(out, "-_8");
    base64url_encode(ramp, sizeof ramp, out);
    assert_string_equal(out, "ABCDEFGHIJKL");
}

static void
test_lengths(void **state)
{
    (void)state;
    assert_int_equal(base64url_len(0), 0);
    assert_int_equal(base64url_len(1), 2);
    assert_int_equal(base64url_len(2), 3);
    assert_int_equal(base64url_len(3), 4);
    assert_int_equal(base64url_len(32), 43);
    assert_int_equal(base64url_len(64), 86);
}

static void
test_token_shape(void **state)
{
    char a[44];
    char b[44];

    (void)state;
    assert_true(random_token(32, a));
    assert_true(random_token(32, b));
    assert_int_equal(strlen(a), 43);
    assert_int_equal(strlen(b), 43);
    assert_int_equal(strspn(a, url_alphabet), 43);
    assert_int_equal(strspn(b, url_alphabet), 43);
    /* 2^-256 chance of a false failure */
    assert_string_not_equal(a, b);
}

static void
test_token_limits(void **state)
{
    char big[128];
    char empty[1] = { 'x' };

    (void)state;
    assert_true(random_token(0, empty));
    assert_string_equal(empty, "");
    assert_true(random_token(64, big));
    assert_int_equal(strlen(big), 86);
    assert_false(random_token(65, big));
}

static void
test_random_bytes_fill(void **state)
{
    uint8_t a[32] = { 0 };
    uint8_t b[32] = { 0 };

    (void)state;
    assert_true(random_bytes(a, sizeof a));
    assert_true(random_bytes(b, sizeof b));
    assert_memory_not_equal(a, b, sizeof a);
}

/* A version-4 UUID: the 8-4-4-4-12 form, lower case, version nibble 4, variant 10xx; two
 * differ. */
static void
test_uuid_v4(void **state)
{
    char a[37], b[37];

    (void)state;
    assert_true(random_uuid(a));
    assert_true(random_uuid(b));
    assert_int_equal(strlen(a), 36);
    assert_true(uuid_is_valid(a));
    assert_int_equal(a[14], '4');
    assert_non_null(strchr("89ab", a[19]));
    for (size_t i = 0; i < 36; i++)
        assert_true(a[i] == '-' || (a[i] >= '0' && a[i] <= '9') || (a[i] >= 'a' && a[i] <= 'f'));
    assert_string_not_equal(a, b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc4648_vectors), cmocka_unit_test(test_url_alphabet),
        cmocka_unit_test(test_lengths),         cmocka_unit_test(test_token_shape),
        cmocka_unit_test(test_token_limits),    cmocka_unit_test(test_random_bytes_fill),
        cmocka_unit_test(test_uuid_v4),         cmocka_unit_test(test_decode),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
