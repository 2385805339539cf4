/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* domain/pii_doc against the JSON library's reader (claim_pii_parse): the documents
 * claim_pii_json writes are all read, with the same fields; hand-written variants (spacing,
 * key order, every escape) too; what the library refuses or this reader does not know is
 * declined; and on 200,000 random mutations of documents, whatever is read is read as the
 * library reads it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/arena.h"
#include "domain/pii_doc.h"
#include "handlers/claim_json.h"

static bool
same_text(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* 1: read, as claim_pii_parse reads it; 0: declined. Fails the test on a disagreement. */
static int
check(const char *json)
{
    struct arena *a = arena_new();
    char *out = malloc(strlen(json) + 1);
    struct claimant fast, lib;
    const char *fast_desc, *lib_desc;

    assert_non_null(out);
    bool read = pii_doc_read(json, out, &fast, &fast_desc);
    if (read) {
        if (!claim_pii_parse(a, json, &lib, &lib_desc))
            fail_msg("read here, refused by the library: %s", json);
        assert_true(same_text(fast.given_name, lib.given_name));
        assert_true(same_text(fast.family_name, lib.family_name));
        assert_true(same_text(fast.email, lib.email));
        assert_true(same_text(fast.phone, lib.phone));
        assert_true(same_text(fast.birth_date, lib.birth_date));
        assert_true(same_text(fast.address.line1, lib.address.line1));
        assert_true(same_text(fast.address.line2, lib.address.line2));
        assert_true(same_text(fast.address.postal_code, lib.address.postal_code));
        assert_true(same_text(fast.address.city, lib.address.city));
        assert_memory_equal(fast.address.country, lib.address.country, 3);
        assert_true(same_text(fast_desc, lib_desc));
    }
    free(out);
    arena_free(a);
    return read ? 1 : 0;
}

static const struct claimant people[] = {
    {"Hélène",
     "Dupont",
     "helene@example.org",
     "+33612345678",
     "1980-02-29",
     {"12 rue de la Paix", "Bâtiment B", "75002", "Paris", "FR"}},
    {"김",
     "민준",
     "minjun@example.kr",
     NULL,
     NULL,
     {"Gangnam-daero 1", NULL, "06000", "Seoul", "KR"}},
    /* Hong Kong has no postal codes: the member is null */
    {"Wing",
     "Chan",
     "wing@example.hk",
     NULL,
     NULL,
     {"1 Queen's Road", NULL, NULL, "Hong Kong", "HK"}},
    {"O\"Brien \\ back",
     "Tab\there\nnew",
     "x@example.org",
     NULL,
     "2001-01-01",
     {"line \x01 ctl \x1f", "slash / ok", "0", "😀 city", "IE"}},
    {"=cmd", "+x", "-y@example.org", "+1", NULL, {"@a", "", "", "", "US"}},
};

static const char *const descriptions[] = {"", "Lost \"money\"\r\nand time.\u2028", "é😀\\"};

static void
test_written_documents_read(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof people / sizeof people[0]; i++) {
        for (size_t d = 0; d < sizeof descriptions / sizeof descriptions[0]; d++) {
            struct arena *a = arena_new();
            char *json = claim_pii_json(a, &people[i], descriptions[d]);
            assert_non_null(json);
            assert_int_equal(check(json), 1);
            arena_free(a);
        }
    }
}

static void
test_variants_read(void **state)
{
    static const char *const docs[] = {
        /* spacing, key order, null address line */
        " { \"description\" : \"d\" ,\n \"claimant\" : {\"address\": {\"country\":\"FR\", "
        "\"city\":\"c\",\"postal_code\":\"p\",\"line2\":null,\"line1\":\"l\"}, "
        "\"email\":\"e\",\"family_name\":\"f\",\"given_name\":\"g\"}}\r\n",
        /* every escape, a surrogate pair, upper-case hex */
        "{\"claimant\":{\"given_name\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\",\"family_name\":"
        "\"\\u00e9\\u00E9\\ud83d\\ude00\\u20AC\",\"email\":\"e\",\"address\":{\"line1\":\"l\","
        "\"postal_code\":\"p\",\"city\":\"c\",\"country\":\"XYZ\"}},\"description\":\"\"}",
        /* phone and birth date absent altogether, country not two letters */
        ("{\"claimant\":{\"given_name\":\"g\",\"family_name\":\"f\",\"email\":\"e\","
         "\"address\":{}},\"description\":\"x\"}"),
    };
    (void)state;
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++)
        assert_int_equal(check(docs[i]), 1);
}

static void
test_others_declined(void **state)
{
    static const char *const docs[] = {
        "",
        "[]",
        "{\"claimant\":null,\"description\":\"d\"}",
        "{\"description\":\"d\"}",
        "{\"claimant\":{\"given_name\":\"g\",\"family_name\":\"f\",\"email\":\"e\"},"
        "\"description\":\"d\"}",
        /* a required field missing or null */
        "{\"claimant\":{\"given_name\":\"g\",\"family_name\":\"f\",\"address\":{}},"
        "\"description\":\"d\"}",
        "{\"claimant\":{\"given_name\":\"g\",\"family_name\":\"f\",\"email\":\"e\","
        "\"address\":{}},\"description\":null}",
        /* a key twice, an unknown key, another value type */
        "{\"claimant\":{\"given_name\":\"g\",\"given_name\":\"h\",\"family_name\":\"f\","
        "\"email\":\"e\",\"address\":{}},\"description\":\"d\"}",
        "{\"claimant\":{\"given_name\":\"g\",\"family_name\":\"f\",\"email\":\"e\","
        "\"address\":{},\"x\":\"y\"},\"description\":\"d\"}",
        "{\"claimant\":{\"given_name\":\"g\",\"family_name\":\"f\",\"email\":\"e\","
        "\"phone\":33,\"address\":{}},\"description\":\"d\"}",
        /* escapes the library refuses: \u0000, lone halves, bad hex, unknown letter */
        "{\"claimant\":{\"given_name\":\"\\u0000\",\"family_name\":\"f\",\"email\":\"e\","
        "\"address\":{}},\"description\":\"d\"}",
        "{\"claimant\":{\"given_name\":\"\\ud83d\",\"family_name\":\"f\",\"email\":\"e\","
        "\"address\":{}},\"description\":\"d\"}",
        "{\"claimant\":{\"given_name\":\"\\ude00\",\"family_name\":\"f\",\"email\":\"e\","
        "\"address\":{}},\"description\":\"d\"}",
        "{\"claimant\":{\"given_name\":\"\\u12g4\",\"family_name\":\"f\",\"email\":\"e\","
        "\"address\":{}},\"description\":\"d\"}",
        "{\"claimant\":{\"given_name\":\"\\x\",\"family_name\":\"f\",\"email\":\"e\","
        "\"address\":{}},\"description\":\"d\"}",
        /* invalid UTF-8: overlong, a surrogate, beyond U+10FFFF, a stray continuation */
        "{\"claimant\":{\"given_name\":\"\xc0\x80\",\"family_name\":\"f\",\"email\":\"e\","
        "\"address\":{}},\"description\":\"d\"}",
        "{\"claimant\":{\"given_name\":\"\xed\xa0\x80\",\"family_name\":\"f\",\"email\":\"e\","
        "\"address\":{}},\"description\":\"d\"}",
        "{\"claimant\":{\"given_name\":\"\xf4\x90\x80\x80\",\"family_name\":\"f\",\"email\":"
        "\"e\",\"address\":{}},\"description\":\"d\"}",
        "{\"claimant\":{\"given_name\":\"\x80\",\"family_name\":\"f\",\"email\":\"e\","
        "\"address\":{}},\"description\":\"d\"}",
        /* a raw control character, something after the object */
        "{\"claimant\":{\"given_name\":\"\n\",\"family_name\":\"f\",\"email\":\"e\","
        "\"address\":{}},\"description\":\"d\"}",
        "{\"claimant\":{\"given_name\":\"g\",\"family_name\":\"f\",\"email\":\"e\","
        "\"address\":{}},\"description\":\"d\"} x",
    };
    (void)state;
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++)
        if (check(docs[i]) != 0)
            fail_msg("read, should be declined: %s", docs[i]);
}

/* Random byte changes, insertions and deletions in written documents: never a reading that
 * the library does not give. */
/* A tenth of the rounds under AddressSanitizer (25 s there for all, 2 s in build/, which
 * runs them all): there the point is memory safety, which a sample shows too. */
/* The document written here (pii_doc_write, through claim_pii_json) as the JSON library reads
 * it equals the object the claim view builds with the library, for c and description. */
static void
assert_written_as_view(const struct claimant *c, const char *description)
{
    struct arena *a = arena_new();
    const char *json = claim_pii_json(a, c, description);
    json_t *view = json_pack("{s:o, s:s}", "claimant", claimant_json(c), "description",
                             description);
    json_error_t error;
    json_t *read = json != NULL ? json_loads(json, JSON_REJECT_DUPLICATES, &error) : NULL;

    assert_non_null(view);
    assert_non_null(json);
    if (read == NULL)
        fail_msg("the library refuses a written document (%s): %s", error.text, json);
    if (!json_equal(read, view))
        fail_msg("written %s, the view has %s", json, json_dumps(view, JSON_COMPACT));
    json_decref(read);
    json_decref(view);
    arena_free(a);
}

static void
test_written_as_the_view(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof people / sizeof people[0]; i++)
        for (size_t d = 0; d < sizeof descriptions / sizeof descriptions[0]; d++)
            assert_written_as_view(&people[i], descriptions[d]);
}

/* Random valid UTF-8 of up to max - 1 bytes into buf: ASCII with every control character,
 * quote and backslash likely, and two-, three- and four-byte characters. */
static char *
random_text(unsigned *seed, char *buf, size_t max)
{
    static const char *const pieces[] = {"a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\x01",
                                         "\x1f", "\x7f", "é", "€", "\u2028", "😀", "민"};
    size_t n = 0;

    *seed = *seed * 1103515245u + 12345u;
    for (unsigned k = (*seed >> 16) % 12; k > 0; k--) {
        *seed = *seed * 1103515245u + 12345u;
        const char *p = pieces[(*seed >> 16) % (sizeof pieces / sizeof pieces[0])];
        if (n + strlen(p) >= max)
            break;
        memcpy(buf + n, p, strlen(p));
        n += strlen(p);
    }
    buf[n] = '\0';
    return buf;
}

static void
test_random_claimants_written_as_the_view(void **state)
{
    char t[11][64];
    unsigned seed = 777;

    (void)state;
    for (int round = 0; round < 5000; round++) {
        struct claimant c = {random_text(&seed, t[0], 64), random_text(&seed, t[1], 64),
                             random_text(&seed, t[2], 64), NULL, NULL,
                             {random_text(&seed, t[3], 64), NULL, random_text(&seed, t[4], 64),
                              random_text(&seed, t[5], 64), "FR"}};
        if (round % 2 == 0) { /* the members that may be absent, present */
            c.phone = random_text(&seed, t[6], 64);
            c.birth_date = random_text(&seed, t[7], 64);
            c.address.line2 = random_text(&seed, t[8], 64);
        }
        assert_written_as_view(&c, random_text(&seed, t[9], 64));
    }
}

/* What the library's writer refused gives no document here either. */
static void
test_invalid_utf8_not_written(void **state)
{
    struct claimant c = people[0];
    struct arena *a = arena_new();

    (void)state;
    c.family_name = "Dupont \xc3";
    assert_null(claim_pii_json(a, &c, "d"));
    assert_null(json_pack("{s:o}", "claimant", claimant_json(&c)));
    c = people[0];
    assert_null(claim_pii_json(a, &c, "\xed\xa0\x80")); /* a surrogate half */
    c.email = NULL;
    assert_null(claim_pii_json(a, &c, "d"));
    arena_free(a);
}

#if defined(__SANITIZE_ADDRESS__)
#define MUTATION_ROUNDS 20000
#else
#define MUTATION_ROUNDS 200000
#endif

static void
test_mutations_agree(void **state)
{
    static const char alphabet[] = "{}[]\":,\\/ubfnrt0123456789abcdefABCDEF nul\x01\x7f\xc3\xa9"
                                   "\xed\xa0\x80\xf0\x9f\x98\x80";
    unsigned seed = 12345;
    int read = 0;

    (void)state;
    for (int round = 0; round < MUTATION_ROUNDS; round++) {
        struct arena *a = arena_new();
        const char *json = claim_pii_json(a, &people[round % 4], descriptions[round % 3]);
        size_t len = strlen(json);
        char *m = malloc(len + 8);
        assert_non_null(m);
        memcpy(m, json, len + 1);
        seed = seed * 1103515245u + 12345u;
        size_t at = (seed >> 8) % len;
        char ch = alphabet[(seed >> 20) % (sizeof alphabet - 1)];
        switch ((seed >> 4) % 3) {
        case 0: /* change */
            m[at] = ch;
            break;
        case 1: /* insert */
            memmove(m + at + 1, m + at, len - at + 1);
            m[at] = ch;
            break;
        default: /* delete */
            memmove(m + at, m + at + 1, len - at);
            break;
        }
        read += check(m);
        free(m);
        arena_free(a);
    }
    /* changes inside strings keep documents readable */
    assert_true(read > MUTATION_ROUNDS / 200);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_written_documents_read),
        cmocka_unit_test(test_written_as_the_view),
        cmocka_unit_test(test_random_claimants_written_as_the_view),
        cmocka_unit_test(test_invalid_utf8_not_written),
        cmocka_unit_test(test_variants_read),
        cmocka_unit_test(test_others_declined),
        cmocka_unit_test(test_mutations_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
