/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* db/pg_array: the array literals a batch of claims travels in, element by element: text with
 * the characters the array parser treats specially, bytea longer than one slice of the
 * encoder, integers at both ends of their range, booleans and NULLs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "db/pg_array.h"

static void
test_text_quoted_and_escaped(void **state)
{
    struct pg_array a = {0};

    (void)state;
    pg_array_text(&a, "plain");
    pg_array_text(&a, "");
    pg_array_text(&a, "a\"b\\c");
    pg_array_text(&a, "\\\"\\");
    pg_array_text(&a, NULL);
    pg_array_text(&a, "{x, y} NULL é");
    assert_string_equal(pg_array_finish(&a),
                        "{\"plain\",\"\",\"a\\\"b\\\\c\",\"\\\\\\\"\\\\\",NULL,"
                        "\"{x, y} NULL é\"}");
    pg_array_free(&a);
}

static void
test_bytea_hex_across_slices(void **state)
{
    uint8_t b[300];
    char expected[2 * sizeof b + 32];
    struct pg_array a = {0};

    (void)state;
    for (size_t i = 0; i < sizeof b; i++)
        b[i] = (uint8_t)(i * 37 + 11);
    pg_array_bytea(&a, b, sizeof b);
    pg_array_bytea(&a, NULL, 4);
    pg_array_bytea(&a, b, 0);
    const char *lit = pg_array_finish(&a);
    strcpy(expected, "{\"\\\\x");
    for (size_t i = 0; i < sizeof b; i++) {
        static const char digits[] = "0123456789abcdef";
        size_t at = strlen(expected);
        expected[at] = digits[b[i] >> 4];
        expected[at + 1] = digits[b[i] & 15];
        expected[at + 2] = '\0';
    }
    strcat(expected, "\",NULL,\"\\\\x\"}");
    assert_string_equal(lit, expected);
    pg_array_free(&a);
}

static void
test_int_bool_null(void **state)
{
    struct pg_array a = {0};

    (void)state;
    pg_array_int(&a, 0);
    pg_array_int(&a, -42);
    pg_array_int(&a, INT64_MAX);
    pg_array_int(&a, INT64_MIN);
    pg_array_bool(&a, true);
    pg_array_bool(&a, false);
    pg_array_null(&a);
    assert_string_equal(pg_array_finish(&a),
                        "{0,-42,9223372036854775807,-9223372036854775808,t,f,NULL}");
    pg_array_free(&a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_quoted_and_escaped),
        cmocka_unit_test(test_bytea_hex_across_slices),
        cmocka_unit_test(test_int_bool_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
