/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* domain/reference: hand-computed Luhn mod 32 check symbols, the strict shape, detection of
 * every single substitution and of every adjacent transposition Luhn mod N can detect, and
 * generated references parsing back. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/reference.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* "RC-" values[0..3] "-" values[4..7] */
static void
build(const int values[8], char out[REFERENCE_LEN + 1])
{
    size_t o = 0;

    out[o++] = 'R';
    out[o++] = 'C';
    for (int i = 0; i < 8; i++) {
        if (i % 4 == 0)
            out[o++] = '-';
        out[o++] = alphabet[values[i]];
    }
    out[o] = '\0';
}

/* Position in the string of symbol i (0-7). */
static size_t
pos(int i)
{
    return (size_t)(3 + i + i / 4);
}

/* Values by symbol; rightmost payload symbol doubled, then every other one leftwards;
 * a doubled v adds 2v / 32 + 2v % 32; check = (32 - sum % 32) % 32.
 *
 * 7K3MQ9X = 7 19 3 20 23 9 29
 *   X 29 ×2 = 58 → 1 + 26 = 27;  9 ×1 = 9;  Q 23 ×2 = 46 → 1 + 14 = 15;  M 20 ×1 = 20;
 *   3 ×2 = 6;  K 19 ×1 = 19;  7 ×2 = 14.  Sum 110, 110 % 32 = 14, check 18 = J.
 *   So RC-7K3M-Q9XJ is valid and RC-7K3M-Q9XD is not (docs/api.md §8.5).
 * ZZZZZZZ = 31 × 7
 *   doubled (4 symbols): 62 → 1 + 30 = 31 each, 124;  single (3): 93.  Sum 217,
 *   217 % 32 = 25, check 7.
 * ABCDEFG = 10 11 12 13 14 15 16
 *   G 16 ×2 = 32 → 1 + 0 = 1;  F 15;  E 14 ×2 = 28;  D 13;  C 12 ×2 = 24;  B 11;
 *   A 10 ×2 = 20.  Sum 112, 112 % 32 = 16, check 16 = G.
 * 0000010: only the 1 in sixth place, not doubled: sum 1, check 31 = Z. */
static void
test_check_symbols(void **state)
{
    static const struct {
        int payload[7];
        int check;
        const char *reference;
    } cases[] = {
        {{7, 19, 3, 20, 23, 9, 29}, 18, "RC-7K3M-Q9XJ"},
        {{31, 31, 31, 31, 31, 31, 31}, 7, "RC-ZZZZ-ZZZ7"},
        {{10, 11, 12, 13, 14, 15, 16}, 16, "RC-ABCD-EFGG"},
        {{0, 0, 0, 0, 0, 1, 0}, 31, "RC-0000-010Z"},
        {{0, 0, 0, 0, 0, 0, 0}, 0, "RC-0000-0000"},
    };
    char out[REFERENCE_LEN + 1];

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(reference_check_value(cases[i].payload, 7), cases[i].check);
        assert_true(reference_parse(cases[i].reference, out));
        assert_string_equal(out, cases[i].reference);
    }
}

static void
test_parse(void **state)
{
    static const struct {
        const char *in;
        const char *out; /* NULL: refused */
    } cases[] = {
        {"RC-7K3M-Q9XJ", "RC-7K3M-Q9XJ"},
        {"rc-7k3m-q9xj", "RC-7K3M-Q9XJ"},
        {"Rc-7k3M-Q9xJ", "RC-7K3M-Q9XJ"},
        {"RC-7K3M-Q9XD", NULL},  /* wrong check symbol */
        {"RC-7K3M-Q9X", NULL},
        {"RC-7K3M-Q9XJJ", NULL},
        {"RC7K3M-Q9XJ", NULL},
        {"RC-7K3MQ9XJ", NULL},
        {"RC-7K3-MQ9XJ", NULL},
        {"RC_7K3M_Q9XJ", NULL},
        {"RD-7K3M-Q9XJ", NULL},
        {" RC-7K3M-Q9XJ", NULL},
        {"RC-7K3M-Q9XJ ", NULL},
        {"RC-7K3M Q9XJ", NULL},
        {"RC-0000-0000", "RC-0000-0000"},
        {"RC-OOOO-OOOO", NULL},  /* no Crockford O-for-0 leniency */
        {"RC-1111-111I", NULL},  /* nor I or L for 1 */
        {"RC-LLLL-LLLL", NULL},
        {"RC-UUUU-UUUU", NULL},
        {"", NULL},
    };
    char out[REFERENCE_LEN + 1];

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool ok = reference_parse(cases[i].in, out);

        if (ok != (cases[i].out != NULL))
            fail_msg("reference_parse(\"%s\") returned %d", cases[i].in, ok);
        assert_string_equal(out, cases[i].out != NULL ? cases[i].out : "");
    }
}

static void
test_symbol_values(void **state)
{
    (void)state;
    for (int v = 0; v < 32; v++)
        assert_int_equal(reference_symbol_value(alphabet[v]), v);
    assert_int_equal(reference_symbol_value('I'), -1);
    assert_int_equal(reference_symbol_value('L'), -1);
    assert_int_equal(reference_symbol_value('O'), -1);
    assert_int_equal(reference_symbol_value('U'), -1);
    assert_int_equal(reference_symbol_value('a'), -1);
    assert_int_equal(reference_symbol_value('-'), -1);
    assert_int_equal(reference_symbol_value('\0'), -1);
}

/* Every one of the 31 other symbols (and I, L, O, U) at every one of the 8 places of
 * several valid references is refused. */
static void
test_single_substitutions_refused(void **state)
{
    static const char *valid[] = { "RC-7K3M-Q9XJ", "RC-ZZZZ-ZZZ7", "RC-ABCD-EFGG",
                                   "RC-0000-010Z", "RC-0000-0000" };
    char ref[REFERENCE_LEN + 1];
    char out[REFERENCE_LEN + 1];
    int tried = 0;

    (void)state;
    for (size_t r = 0; r < sizeof valid / sizeof valid[0]; r++) {
        for (int i = 0; i < 8; i++) {
            for (const char *c = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"; *c != '\0'; c++) {
                memcpy(ref, valid[r], sizeof ref);
                if (ref[pos(i)] == *c)
                    continue;
                ref[pos(i)] = *c;
                tried++;
                if (reference_parse(ref, out))
                    fail_msg("%s accepted (from %s)", ref, valid[r]);
            }
        }
    }
    assert_int_equal(tried, 5 * 8 * 35);
}

/* Swapping adjacent distinct symbols a, b changes the Luhn sum by g(a) - g(b) (mod 32), with
 * g(v) = v for v < 16 and v + 1 for v ≥ 16 (2v - 31 - v); that is 0 only for {a, b} = {0, 31}:
 * "0" and "Z" swapped go unseen, every other pair is caught.
 * Places 0-5 (payload with payload): all 32 × 31 ordered pairs in each of the 6 places, the
 * check recomputed: 6 × 2 = 12 unseen swaps, (0, 31) and (31, 0) in each place.
 * Place 6 (last payload symbol with the check symbol): payload 00000 1 v, v = 0..31. The
 * prefix sums to S = 1 (the 1 is not doubled); the check is (32 - (1 + d(v)) % 32) % 32 with
 * d(v) the doubled addend: v = 0 gives check 31, v = 31 (d = 1 + 30) gives check 0; both pairs
 * are {0, 31}: 2 unseen swaps. With prefix 7K3MQ9 (S = 2·7 + 19 + 2·3 + 20 + (1 + 14) + 9 = 83,
 * 19 mod 32), v = 0 gets check 13 and v = 31 (83 + 31 = 114, 18 mod 32) check 14: neither
 * pair is {0, 31}, 0 unseen swaps. */
static int
unseen_swaps_in_payload(int place)
{
    int values[8] = { 7, 19, 3, 20, 23, 9, 29, 0 };
    char ref[REFERENCE_LEN + 1];
    char out[REFERENCE_LEN + 1];
    int unseen = 0;

    for (int a = 0; a < 32; a++) {
        for (int b = 0; b < 32; b++) {
            if (a == b)
                continue;
            values[place] = a;
            values[place + 1] = b;
            values[7] = reference_check_value(values, 7);
            build(values, ref);
            assert_true(reference_parse(ref, out));
            ref[pos(place)] = alphabet[b];
            ref[pos(place + 1)] = alphabet[a];
            if (reference_parse(ref, out)) {
                assert_true((a == 0 && b == 31) || (a == 31 && b == 0));
                unseen++;
            }
        }
    }
    return unseen;
}

static int
unseen_swaps_with_check(const int prefix[6])
{
    int values[8];
    char ref[REFERENCE_LEN + 1];
    char out[REFERENCE_LEN + 1];
    int unseen = 0;

    memcpy(values, prefix, 6 * sizeof values[0]);
    for (int v = 0; v < 32; v++) {
        values[6] = v;
        values[7] = reference_check_value(values, 7);
        if (values[7] == v)
            continue;
        build(values, ref);
        ref[pos(6)] = alphabet[values[7]];
        ref[pos(7)] = alphabet[v];
        if (reference_parse(ref, out))
            unseen++;
    }
    return unseen;
}

static void
test_adjacent_transpositions(void **state)
{
    static const int prefix_s1[6] = { 0, 0, 0, 0, 0, 1 };
    static const int prefix_s19[6] = { 7, 19, 3, 20, 23, 9 };
    int unseen = 0;

    (void)state;
    for (int place = 0; place < 6; place++)
        unseen += unseen_swaps_in_payload(place);
    assert_int_equal(unseen, 12);
    assert_int_equal(unseen_swaps_with_check(prefix_s1), 2);
    assert_int_equal(unseen_swaps_with_check(prefix_s19), 0);
}

/* 10,000 draws: each parses back to itself, and every symbol shows up in every payload place
 * (a missing one would mean stuck bits; chance of a false alarm 7 × 32 × (31/32)^10000). */
static void
test_generated(void **state)
{
    bool seen[7][32] = {{false}};
    char ref[REFERENCE_LEN + 1];
    char out[REFERENCE_LEN + 1];

    (void)state;
    for (int i = 0; i < 10000; i++) {
        assert_true(reference_generate(ref));
        assert_int_equal(strlen(ref), REFERENCE_LEN);
        assert_true(reference_parse(ref, out));
        assert_string_equal(out, ref);
        for (int k = 0; k < 7; k++)
            seen[k][reference_symbol_value(ref[pos(k)])] = true;
    }
    for (int k = 0; k < 7; k++) {
        for (int v = 0; v < 32; v++) {
            if (!seen[k][v])
                fail_msg("symbol %c never drawn in place %d", alphabet[v], k);
        }
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_symbols),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_symbol_values),
        cmocka_unit_test(test_single_substitutions_refused),
        cmocka_unit_test(test_adjacent_transpositions),
        cmocka_unit_test(test_generated),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
