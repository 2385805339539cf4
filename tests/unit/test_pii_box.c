/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* crypto/pii_box: round trips, refusal of every tampering (each bit of nonce, ciphertext and
 * tag; truncation; extension; other aad; other key) with the output wiped, fresh nonces, and
 * the AES-256-GCM test vector of the GCM specification (McGrew & Viega, test case 16); the
 * opener (one key schedule, many boxes) gives the same answers box after box, a refused box
 * in between included. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "crypto/hex.h"
#include "crypto/pii_box.h"

static const char aad[] = "claims.email|row 42|key 1";

static void
make_key(uint8_t key[PII_BOX_KEY_LEN])
{
    for (int i = 0; i < PII_BOX_KEY_LEN; i++)
        key[i] = (uint8_t)(0xa0 + i);
}

static void
test_round_trip(void **state)
{
    static const size_t sizes[] = { 0, 1, 15, 16, 17, 33, 1000 };
    uint8_t key[PII_BOX_KEY_LEN];
    uint8_t plain[1000];
    uint8_t box[1000 + PII_BOX_OVERHEAD];
    uint8_t back[1000];

    (void)state;
    make_key(key);
    for (size_t i = 0; i < sizeof plain; i++)
        plain[i] = (uint8_t)(i * 7 + 3);
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s];

        assert_true(pii_box_seal(key, aad, strlen(aad), plain, n, box));
        memset(back, 0, sizeof back);
        assert_true(pii_box_open(key, aad, strlen(aad), box, n + PII_BOX_OVERHEAD, back));
        if (n > 0)
            assert_memory_equal(back, plain, n);
        /* no aad at all works too, and is not the same as some aad */
        assert_true(pii_box_seal(key, NULL, 0, plain, n, box));
        assert_true(pii_box_open(key, NULL, 0, box, n + PII_BOX_OVERHEAD, back));
        assert_false(pii_box_open(key, aad, strlen(aad), box, n + PII_BOX_OVERHEAD, back));
    }
}

/* An email address of 20 bytes: a 48-byte box; each of its 384 bits flipped in turn. */
static void
test_every_bit_flip_refused(void **state)
{
    static const char email[] = "helene@example.org!!";
    static const uint8_t zero[20] = {0};
    uint8_t key[PII_BOX_KEY_LEN];
    uint8_t box[20 + PII_BOX_OVERHEAD];
    uint8_t back[20];
    int refused = 0;

    (void)state;
    make_key(key);
    assert_int_equal(strlen(email), 20);
    assert_true(pii_box_seal(key, aad, strlen(aad), email, 20, box));
    for (size_t i = 0; i < sizeof box; i++) {
        for (int bit = 0; bit < 8; bit++) {
            box[i] ^= (uint8_t)(1u << bit);
            memset(back, 0x55, sizeof back);
            if (!pii_box_open(key, aad, strlen(aad), box, sizeof box, back)) {
                refused++;
                assert_memory_equal(back, zero, sizeof back); /* nothing unauthenticated left */
            }
            box[i] ^= (uint8_t)(1u << bit);
        }
    }
    assert_int_equal(refused, 48 * 8);
    assert_true(pii_box_open(key, aad, strlen(aad), box, sizeof box, back));
    assert_memory_equal(back, email, 20);
}

static void
test_truncation_and_extension_refused(void **state)
{
    uint8_t key[PII_BOX_KEY_LEN];
    uint8_t box[20 + PII_BOX_OVERHEAD + 1];
    uint8_t back[21];

    (void)state;
    make_key(key);
    assert_true(pii_box_seal(key, aad, strlen(aad), "helene@example.org!!", 20, box));
    for (size_t len = 0; len < 20 + PII_BOX_OVERHEAD; len++)
        assert_false(pii_box_open(key, aad, strlen(aad), box, len, back));
    box[20 + PII_BOX_OVERHEAD] = 0;
    assert_false(pii_box_open(key, aad, strlen(aad), box, sizeof box, back));
    assert_true(pii_box_open(key, aad, strlen(aad), box, 20 + PII_BOX_OVERHEAD, back));
}

static void
test_other_aad_or_key_refused(void **state)
{
    static const char other_row[] = "claims.email|row 43|key 1";
    uint8_t key[PII_BOX_KEY_LEN];
    uint8_t box[5 + PII_BOX_OVERHEAD];
    uint8_t back[5];

    (void)state;
    make_key(key);
    assert_true(pii_box_seal(key, aad, strlen(aad), "Paris", 5, box));
    assert_false(pii_box_open(key, other_row, strlen(other_row), box, sizeof box, back));
    assert_false(pii_box_open(key, aad, strlen(aad) - 1, box, sizeof box, back));
    assert_false(pii_box_open(key, NULL, 0, box, sizeof box, back));
    key[0] ^= 0x80;
    assert_false(pii_box_open(key, aad, strlen(aad), box, sizeof box, back));
    key[0] ^= 0x80;
    assert_true(pii_box_open(key, aad, strlen(aad), box, sizeof box, back));
    assert_memory_equal(back, "Paris", 5);
}

/* Two seals of one plaintext differ everywhere that matters: nonce, ciphertext, tag. */
static void
test_fresh_nonces(void **state)
{
    uint8_t key[PII_BOX_KEY_LEN];
    uint8_t a[5 + PII_BOX_OVERHEAD];
    uint8_t b[5 + PII_BOX_OVERHEAD];

    (void)state;
    make_key(key);
    assert_true(pii_box_seal(key, aad, strlen(aad), "Paris", 5, a));
    assert_true(pii_box_seal(key, aad, strlen(aad), "Paris", 5, b));
    assert_memory_not_equal(a, b, PII_BOX_NONCE);
    assert_memory_not_equal(a + PII_BOX_NONCE, b + PII_BOX_NONCE, 5);
    assert_memory_not_equal(a + PII_BOX_NONCE + 5, b + PII_BOX_NONCE + 5, PII_BOX_TAG);
}

/* An empty plaintext still gets a tag: the box is 28 bytes, authenticates, and opens with a
 * NULL output buffer. */
static void
test_empty_plaintext(void **state)
{
    uint8_t key[PII_BOX_KEY_LEN];
    uint8_t box[PII_BOX_OVERHEAD];

    (void)state;
    make_key(key);
    assert_true(pii_box_seal(key, aad, strlen(aad), NULL, 0, box));
    assert_true(pii_box_open(key, aad, strlen(aad), box, sizeof box, NULL));
    box[PII_BOX_OVERHEAD - 1] ^= 1;
    assert_false(pii_box_open(key, aad, strlen(aad), box, sizeof box, NULL));
}

/* GCM specification, test case 16 (AES-256, 96-bit IV, 20 bytes of AAD, 60 of plaintext),
 * laid out as a box: nonce || ciphertext || tag. */
static void
test_gcm_spec_vector(void **state)
{
    static const char key_hex[] =
        "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
    static const char aad_hex[] = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
    static const char plain_hex[] =
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
        "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
    static const char box_hex[] =
        "cafebabefacedbaddecaf888"                                          /* IV */
        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
        "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"          /* C */
        "76fc6ece0f4e1768cddf8853bb2d551b";                                 /* T */
    uint8_t key[32];
    uint8_t vaad[20];
    uint8_t plain[60];
    uint8_t box[88];
    uint8_t back[60];

    (void)state;
    assert_true(hex_decode(key_hex, strlen(key_hex), key, sizeof key));
    assert_true(hex_decode(aad_hex, strlen(aad_hex), vaad, sizeof vaad));
    assert_true(hex_decode(plain_hex, strlen(plain_hex), plain, sizeof plain));
    assert_true(hex_decode(box_hex, strlen(box_hex), box, sizeof box));
    assert_true(pii_box_open(key, vaad, sizeof vaad, box, sizeof box, back));
    assert_memory_equal(back, plain, sizeof plain);
}

/* One opener for boxes of every size and aad, each bit flip of one box refused (output wiped)
 * with the good boxes around it still opening: the context is reset by each open. */
static void
test_opener_many_boxes(void **state)
{
    static const size_t sizes[] = {0, 1, 15, 16, 17, 33, 415, 1000};
    uint8_t key[PII_BOX_KEY_LEN], other[PII_BOX_KEY_LEN];
    uint8_t plain[1000], back[1000], zero[1000] = {0};
    uint8_t box[1000 + PII_BOX_OVERHEAD];

    (void)state;
    make_key(key);
    memcpy(other, key, sizeof other);
    other[0] ^= 1;
    for (size_t i = 0; i < sizeof plain; i++)
        plain[i] = (uint8_t)(i * 13 + 5);
    struct pii_box_opener *o = pii_box_opener_new(key);
    assert_non_null(o);
    for (int round = 0; round < 3; round++) {
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            size_t n = sizes[s], len = n + PII_BOX_OVERHEAD;
            char this_aad[32];
            snprintf(this_aad, sizeof this_aad, "RC-%04zu-%d", n, round);
            assert_true(pii_box_seal(key, this_aad, strlen(this_aad), plain, n, box));
            memset(back, 0, sizeof back);
            assert_true(pii_box_opener_open(o, this_aad, strlen(this_aad), box, len, back));
            if (n > 0)
                assert_memory_equal(back, plain, n);
            /* the same answers as pii_box_open: other aad, cut box, flipped tag bit */
            assert_false(pii_box_opener_open(o, aad, strlen(aad), box, len, back));
            if (n > 0)
                assert_memory_equal(back, zero, n);
            assert_false(pii_box_opener_open(o, this_aad, strlen(this_aad), box, len - 1, back));
            box[len - 1] ^= 0x80;
            assert_false(pii_box_opener_open(o, this_aad, strlen(this_aad), box, len, back));
            box[len - 1] ^= 0x80;
            assert_true(pii_box_opener_open(o, this_aad, strlen(this_aad), box, len, back));
            /* a box of another key is refused by this opener */
            assert_true(pii_box_seal(other, this_aad, strlen(this_aad), plain, n, box));
            assert_false(pii_box_opener_open(o, this_aad, strlen(this_aad), box, len, back));
        }
    }
    assert_false(pii_box_opener_open(o, NULL, 0, box, PII_BOX_OVERHEAD - 1, back));
    pii_box_opener_free(o);
    pii_box_opener_free(NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_every_bit_flip_refused),
        cmocka_unit_test(test_truncation_and_extension_refused),
        cmocka_unit_test(test_other_aad_or_key_refused),
        cmocka_unit_test(test_fresh_nonces),
        cmocka_unit_test(test_empty_plaintext),
        cmocka_unit_test(test_gcm_spec_vector),
        cmocka_unit_test(test_opener_many_boxes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
