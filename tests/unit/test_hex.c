/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* crypto/hex: strict lower-case decoding, its boundaries, and the round trip with hex_encode. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "crypto/hex.h"
#include "crypto/sha256.h"

static void
test_decode(void **state)
{
    static const uint8_t expected[] = { 0x00, 0xff, 0x7f, 0x80, 0x09, 0xa0, 0x1b, 0xc3 };
    uint8_t out[sizeof expected];

    (void)state;
    assert_true(hex_decode("00ff7f8009a01bc3", 16, out, sizeof out));
    assert_memory_equal(out, expected, sizeof expected);
    assert_true(hex_decode("", 0, out, 0));
}

/* Every byte value survives hex_encode then hex_decode. */
static void
test_round_trip(void **state)
{
    uint8_t all[256];
    uint8_t back[256];
    char hex[2 * sizeof all + 1];

    (void)state;
    for (int i = 0; i < 256; i++)
        all[i] = (uint8_t)i;
    hex_encode(all, sizeof all, hex);
    assert_true(hex_decode(hex, strlen(hex), back, sizeof back));
    assert_memory_equal(all, back, sizeof all);
}

/* The characters just outside each accepted range, upper case, and bytes above 0x7f. */
static void
test_refuses_non_hex(void **state)
{
    static const char *bad[] = { "/0", "0:", "`0", "0g", "FF", "aF", "0 ", "\xff" "0", "0\x80",
                                 "\x00" "0" };
    uint8_t out[1];

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        out[0] = 0x55;
        assert_false(hex_decode(bad[i], 2, out, 1));
        assert_int_equal(out[0], 0); /* zeroed on failure */
    }
}

static void
test_refuses_wrong_length(void **state)
{
    uint8_t out[4];

    (void)state;
    assert_false(hex_decode("abc", 3, out, 1));
    assert_false(hex_decode("abcd", 4, out, 1));
    assert_false(hex_decode("ab", 2, out, 2));
    assert_false(hex_decode("ab", 2, out, 0));
    assert_false(hex_decode("ab", 2, out, SIZE_MAX / 2 + 2)); /* 2 * out_len wraps to 2 */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_refuses_non_hex),
        cmocka_unit_test(test_refuses_wrong_length),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
