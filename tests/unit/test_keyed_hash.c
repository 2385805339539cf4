/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* crypto/keyed_hash: HMAC-SHA256 of purpose || 0x00 || value against values computed
 * independently with the OpenSSL command line, and the separation of purposes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>

#include "crypto/hex.h"
#include "crypto/keyed_hash.h"
#include "crypto/sha256.h"

#define KEY_0_31 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define KEY_FF "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"

/* Expected digests from, for the first row:
 *   printf 'email\0a@b.co' | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102...1e1f */
static void
test_vectors(void **state)
{
    static const struct {
        const char *key_hex;
        const char *purpose;
        const char *value;
        const char *mac_hex;
    } cases[] = {
        {KEY_0_31, "email", "a@b.co",
         "9da5364415635937c31137d2d8ac1dd4f8ee93714f411faf9de2d988055161ba"},
        {KEY_0_31, "phone", "a@b.co",
         "9ce0c42435fe2b3450b0a98bcefd5d88748a5fefb1e3aeba6051724462bccf6f"},
        {KEY_0_31, "email", "+33612345678",
         "dcb4d74e971df32af025a45a5e3dc12fc12613f3dc03be9e8a3381cd145a4fd3"},
        {KEY_0_31, "phone", "+33612345678",
         "cae8e30c965cd3c6b8c5e04e3e328458360651bb695878adf5da07e48d7502bf"},
        {KEY_0_31, "identity", "",
         "3ecaf1362d447888a8e9945aa748b7bf0d90875289ccfa283905e12f3a6cf75f"},
        {KEY_FF, "email", "a@b.co",
         "f75bf331aaba3c24447037f89581e009551d3f40a000abd4dd32ac032779b6f6"},
    };
    uint8_t key[KEYED_HASH_KEY_LEN];
    uint8_t mac[KEYED_HASH_LEN];
    char hex[2 * KEYED_HASH_LEN + 1];

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_true(hex_decode(cases[i].key_hex, 64, key, sizeof key));
        assert_true(keyed_hash(key, cases[i].purpose, cases[i].value, mac));
        hex_encode(mac, sizeof mac, hex);
        assert_string_equal(hex, cases[i].mac_hex);
    }
}

/* The four purposes in use give four different hashes of one value, and moving bytes across
 * the purpose/value boundary changes the hash ("ab" + "c" is not "a" + "bc"). */
static void
test_purposes_separate(void **state)
{
    static const char *purposes[] = { KEYED_HASH_EMAIL, KEYED_HASH_PHONE, KEYED_HASH_IDENTITY,
                                      KEYED_HASH_CLAIM_TOKEN };
    uint8_t key[KEYED_HASH_KEY_LEN];
    uint8_t macs[4][KEYED_HASH_LEN];
    uint8_t a[KEYED_HASH_LEN];
    uint8_t b[KEYED_HASH_LEN];

    (void)state;
    assert_true(hex_decode(KEY_0_31, 64, key, sizeof key));
    for (int i = 0; i < 4; i++)
        assert_true(keyed_hash(key, purposes[i], "+33612345678", macs[i]));
    for (int i = 0; i < 4; i++) {
        for (int j = i + 1; j < 4; j++)
            assert_memory_not_equal(macs[i], macs[j], KEYED_HASH_LEN);
    }
    assert_true(keyed_hash(key, "ab", "c", a));
    assert_true(keyed_hash(key, "a", "bc", b));
    assert_memory_not_equal(a, b, KEYED_HASH_LEN);
}

static void
test_deterministic_and_keyed(void **state)
{
    uint8_t key[KEYED_HASH_KEY_LEN];
    uint8_t a[KEYED_HASH_LEN];
    uint8_t b[KEYED_HASH_LEN];

    (void)state;
    assert_true(hex_decode(KEY_0_31, 64, key, sizeof key));
    assert_true(keyed_hash(key, "email", "helene@example.org", a));
    assert_true(keyed_hash(key, "email", "helene@example.org", b));
    assert_memory_equal(a, b, KEYED_HASH_LEN);
    key[31] ^= 1;
    assert_true(keyed_hash(key, "email", "helene@example.org", b));
    assert_memory_not_equal(a, b, KEYED_HASH_LEN);
}

/* A thread keeps keyed contexts for its last few keys (crypto/keyed_hash.c): hashing in turn
 * with more keys than it keeps, each key's digest stays the independently computed one, the
 * first key's after its context was replaced and made again included. */
static void
test_many_keys_in_turn(void **state)
{
    static const char *first = "9da5364415635937c31137d2d8ac1dd4f8ee93714f411faf9de2d988055161ba";
    static const char *last = "f75bf331aaba3c24447037f89581e009551d3f40a000abd4dd32ac032779b6f6";
    uint8_t key0[KEYED_HASH_KEY_LEN];
    uint8_t key_ff[KEYED_HASH_KEY_LEN];
    uint8_t other[KEYED_HASH_KEY_LEN];
    uint8_t mac[KEYED_HASH_LEN];
    uint8_t seen[6][KEYED_HASH_LEN];
    char hex[2 * KEYED_HASH_LEN + 1];

    (void)state;
    assert_true(hex_decode(KEY_0_31, 64, key0, sizeof key0));
    assert_true(hex_decode(KEY_FF, 64, key_ff, sizeof key_ff));
    for (int round = 0; round < 3; round++) {
        assert_true(keyed_hash(key0, "email", "a@b.co", mac));
        hex_encode(mac, sizeof mac, hex);
        assert_string_equal(hex, first);
        for (int i = 0; i < 6; i++) { /* six more keys: every slot taken again */
            memset(other, 0x10 + i, sizeof other);
            assert_true(keyed_hash(other, "email", "a@b.co", mac));
            if (round == 0)
                memcpy(seen[i], mac, sizeof mac);
            else
                assert_memory_equal(mac, seen[i], sizeof mac);
        }
        assert_true(keyed_hash(key_ff, "email", "a@b.co", mac));
        hex_encode(mac, sizeof mac, hex);
        assert_string_equal(hex, last);
    }
    for (int i = 0; i < 6; i++) /* each key its own digest */
        for (int j = i + 1; j < 6; j++)
            assert_memory_not_equal(seen[i], seen[j], KEYED_HASH_LEN);
}

static void
test_refuses_empty_purpose(void **state)
{
    static const uint8_t zero[KEYED_HASH_LEN] = {0};
    uint8_t key[KEYED_HASH_KEY_LEN] = {0};
    uint8_t mac[KEYED_HASH_LEN];

    (void)state;
    memset(mac, 0x55, sizeof mac);
    assert_false(keyed_hash(key, "", "a@b.co", mac));
    assert_memory_equal(mac, zero, sizeof mac);
    memset(mac, 0x55, sizeof mac);
    assert_false(keyed_hash(key, NULL, "a@b.co", mac));
    assert_memory_equal(mac, zero, sizeof mac);
    assert_false(keyed_hash(key, "email", NULL, mac));
}

/* Threads racing for the first use: each publishes or discards its fetch of the HMAC
 * implementation, and every one gets the right digest. Runs first, before any other test has
 * fetched it. */
static void *
hash_first_row(void *arg)
{
    uint8_t key[KEYED_HASH_KEY_LEN];
    uint8_t mac[KEYED_HASH_LEN];
    char hex[2 * KEYED_HASH_LEN + 1];

    (void)arg;
    if (!hex_decode(KEY_0_31, 64, key, sizeof key) || !keyed_hash(key, "email", "a@b.co", mac))
        return "failed";
    hex_encode(mac, sizeof mac, hex);
    return strcmp(hex, "9da5364415635937c31137d2d8ac1dd4f8ee93714f411faf9de2d988055161ba") == 0
               ? NULL
               : "wrong digest";
}

static void
test_first_use_from_threads(void **state)
{
    pthread_t threads[8];

    (void)state;
    for (size_t i = 0; i < sizeof threads / sizeof threads[0]; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, hash_first_row, NULL), 0);
    for (size_t i = 0; i < sizeof threads / sizeof threads[0]; i++) {
        void *error = NULL;
        assert_int_equal(pthread_join(threads[i], &error), 0);
        assert_null(error);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_use_from_threads),
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_purposes_separate),
        cmocka_unit_test(test_deterministic_and_keyed),
        cmocka_unit_test(test_many_keys_in_turn),
        cmocka_unit_test(test_refuses_empty_purpose),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
