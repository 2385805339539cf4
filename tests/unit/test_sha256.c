/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* crypto/sha256: FIPS 180-2 appendix B vectors, raw and hex, and hex_encode. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "crypto/sha256.h"

static const struct {
    const char *msg;
    const char *digest_hex;
} vectors[] = {
    /* FIPS 180-2 B.1: one block */
    { "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
    /* the empty message */
    { "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
    /* FIPS 180-2 B.2: 448 bits, two blocks */
    { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
};

static void
test_vectors_hex(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        char hex[SHA256_HEX_LEN + 1];

        assert_true(sha256_hex(vectors[i].msg, strlen(vectors[i].msg), hex));
        assert_string_equal(hex, vectors[i].digest_hex);
    }
}

static void
test_raw_digest_abc(void **state)
{
    static const uint8_t expected[SHA256_LEN] = {
        0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
        0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
        0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
    };
    uint8_t digest[SHA256_LEN];

    (void)state;
    assert_true(sha256("abc", 3, digest));
    assert_memory_equal(digest, expected, SHA256_LEN);
}

/* FIPS 180-2 B.3: one million 'a', many blocks. */
static void
test_million_a(void **state)
{
    const size_t n = 1000000;
    char *msg = malloc(n);
    char hex[SHA256_HEX_LEN + 1];

    (void)state;
    assert_non_null(msg);
    memset(msg, 'a', n);
    assert_true(sha256_hex(msg, n, hex));
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(msg);
}

static void
test_hex_encode(void **state)
{
    static const uint8_t bytes[] = { 0x00, 0x01, 0x09, 0x0a, 0x7f, 0x80, 0xab, 0xff };
    char out[2 * sizeof bytes + 1];
    char empty[1] = { 'x' };

    (void)state;
    hex_encode(bytes, sizeof bytes, out);
    assert_string_equal(out, "0001090a7f80abff");
    hex_encode(bytes, 0, empty);
    assert_string_equal(empty, "");
}

/* The incremental digest equals the one-shot one, whatever the cut, and peeking changes
 * nothing. */
static void
test_stream_matches_one_shot(void **state)
{
    const char *msg = vectors[2].msg;
    size_t n = strlen(msg);

    (void)state;
    for (size_t cut = 0; cut <= n; cut += 7) {
        struct sha256_stream *s = sha256_stream_new();
        char hex[SHA256_HEX_LEN + 1], again[SHA256_HEX_LEN + 1];

        assert_non_null(s);
        assert_true(sha256_stream_update(s, msg, cut));
        assert_true(sha256_stream_peek_hex(s, hex));
        assert_true(sha256_stream_update(s, msg + cut, n - cut));
        assert_true(sha256_stream_update(s, msg, 0));
        assert_true(sha256_stream_peek_hex(s, hex));
        assert_true(sha256_stream_peek_hex(s, again));
        assert_string_equal(hex, vectors[2].digest_hex);
        assert_string_equal(again, vectors[2].digest_hex);
        sha256_stream_free(s);
    }
    struct sha256_stream *empty = sha256_stream_new();
    char hex[SHA256_HEX_LEN + 1];
    assert_true(sha256_stream_peek_hex(empty, hex));
    assert_string_equal(hex, vectors[1].digest_hex);
    sha256_stream_free(empty);
    sha256_stream_free(NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors_hex),
        cmocka_unit_test(test_raw_digest_abc),
        cmocka_unit_test(test_million_a),
        cmocka_unit_test(test_hex_encode),
        cmocka_unit_test(test_stream_matches_one_shot),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
