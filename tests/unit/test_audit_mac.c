/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* crypto/audit_mac: the audit key's derivation and the chain's HMAC links, against values
 * computed independently (the derivation with the OpenSSL command line, the links with
 * Python's hmac module), and what a recomputed unkeyed hash or another key gives. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "crypto/audit_mac.h"
#include "crypto/hex.h"
#include "crypto/sha256.h"

#define HMAC_KEY_0_31 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
/* printf 'audit-chain\0' | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102...1e1f */
#define AUDIT_KEY "ddf1f3c111d2785d9e169826981451bc2be25ff0866a3b6e672f6fd8f6d89272"

static const char first[] = "1|2026-12-05T11:00:00.000000Z|operator|incident.create|incident|acme|";
static const char second[] = "2|2026-12-05T11:00:01.000001Z|association:00000000-0000-4000-8000-"
                             "000000000000|claim.review|claim|R-1|";

static void
key_of(uint8_t key[AUDIT_MAC_KEY_LEN])
{
    uint8_t hmac_key[32];

    assert_true(hex_decode(HMAC_KEY_0_31, 64, hmac_key, sizeof hmac_key));
    assert_true(audit_mac_key_derive(hmac_key, key));
}

static void
test_key_derivation(void **state)
{
    uint8_t key[AUDIT_MAC_KEY_LEN];
    char hex[65];

    (void)state;
    key_of(key);
    hex_encode(key, sizeof key, hex);
    assert_string_equal(hex, AUDIT_KEY);
}

/* Two links: the second chains over the first. */
static void
test_chain_vectors(void **state)
{
    uint8_t key[AUDIT_MAC_KEY_LEN], prev[32] = {0}, digest[32], link1[32], link2[32];
    char hex[65];

    (void)state;
    key_of(key);
    assert_true(sha256("{}", 2, digest));
    assert_true(audit_mac_link(key, prev, first, strlen(first), digest, link1));
    hex_encode(link1, sizeof link1, hex);
    assert_string_equal(hex, "d2f995e8c52df596b408dd6bad96612c7cdc80760a0cc9de087195337744ac94");
    assert_true(audit_mac_link(key, link1, second, strlen(second), digest, link2));
    hex_encode(link2, sizeof link2, hex);
    assert_string_equal(hex, "4a95cf9004170624eec1267a803b9463400fc7a4dc770600c2c58db02d0323a4");
}

/* What someone without the key can compute (the old unkeyed SHA-256 of the same bytes, or
 * the HMAC under another key) is not the link, and a changed byte changes the link. */
static void
test_forgeries_differ(void **state)
{
    uint8_t key[AUDIT_MAC_KEY_LEN], other[AUDIT_MAC_KEY_LEN], prev[32] = {0}, digest[32];
    uint8_t link[32], forged[32];
    char buf[sizeof first + 64];

    (void)state;
    key_of(key);
    assert_true(sha256("{}", 2, digest));
    assert_true(audit_mac_link(key, prev, first, strlen(first), digest, link));
    memcpy(buf, prev, 32);
    memcpy(buf + 32, first, strlen(first));
    memcpy(buf + 32 + strlen(first), digest, 32);
    assert_true(sha256(buf, 64 + strlen(first), forged));
    assert_memory_not_equal(link, forged, 32);
    memset(other, 0x5a, sizeof other);
    assert_true(audit_mac_link(other, prev, first, strlen(first), digest, forged));
    assert_memory_not_equal(link, forged, 32);
    char changed[sizeof first];
    memcpy(changed, first, sizeof first);
    changed[strlen("1|2026-12-05T11:00:00.000000Z|operator-")] = 'x';
    assert_true(audit_mac_link(key, prev, changed, strlen(changed), digest, forged));
    assert_memory_not_equal(link, forged, 32);
    prev[31] = 1;
    assert_true(audit_mac_link(key, prev, first, strlen(first), digest, forged));
    assert_memory_not_equal(link, forged, 32);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_derivation),
        cmocka_unit_test(test_chain_vectors),
        cmocka_unit_test(test_forgeries_differ),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
