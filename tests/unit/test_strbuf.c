/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* core/strbuf: a buffer that grows leaves no copy of its bytes behind (it often holds personal
 * data: a request's body, a message being composed). The executable is linked with
 * -Wl,--wrap=free (tests/CMakeLists.txt), so the test sees the old block when it is freed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"

void __real_free(void *p);
void __wrap_free(void *p);

/* The block under watch, and what the wrapper saw of it when it was freed. */
static const char *watched;
static size_t watched_len;
static bool watched_freed;
static bool watched_wiped;

void
__wrap_free(void *p)
{
    if (p != NULL && p == watched) {
        watched_freed = true;
        watched_wiped = true;
        for (size_t i = 0; i < watched_len; i++)
            if (watched[i] != '\0')
                watched_wiped = false;
        watched = NULL;
    }
    __real_free(p);
}

static void
growth_wipes_the_old_block(void **state)
{
    (void)state;
    struct strbuf sb = {0};
    static const char secret[] = "jeanne.dupont@example.org, 12 rue des Lilas, 75011 Paris";

    strbuf_puts(&sb, secret);
    watched = sb.data;
    watched_len = sb.cap;
    watched_freed = watched_wiped = false;
    char more[200];
    memset(more, 'x', sizeof more);
    strbuf_append(&sb, more, sizeof more); /* past the first block: it grows */
    assert_true(watched_freed);
    assert_true(watched_wiped);
    assert_int_equal(sb.len, strlen(secret) + sizeof more);
    assert_memory_equal(sb.data, secret, strlen(secret));
    assert_int_equal(sb.data[sb.len], '\0');
    watched = NULL;
    strbuf_free(&sb);
}

static void
many_growths_keep_every_byte(void **state)
{
    (void)state;
    struct strbuf sb = {0};

    for (int i = 0; i < 5000; i++)
        strbuf_append(&sb, (const char[]){(char)('a' + i % 26)}, 1);
    assert_int_equal(sb.len, 5000);
    for (int i = 0; i < 5000; i++)
        assert_int_equal(sb.data[i], 'a' + i % 26);
    assert_int_equal(sb.data[5000], '\0');
    strbuf_free(&sb);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(growth_wipes_the_old_block),
        cmocka_unit_test(many_growths_keep_every_byte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
