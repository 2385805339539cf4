/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* http/head_checks: how much of a streamed body declared over its limit is read and dropped
 * for its 413 (HEAD_STREAM_DRAIN_FACTOR times the limit, never more than the cap, never less
 * than the limit itself). The checks of a request's head run through the server in
 * tests/integration/test_http_core.py and test_evidence*.py. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "http/head_checks.h"

#define MIB (1024LL * 1024)

static void
a_small_limit_is_drained_four_times_over(void **state)
{
    (void)state;
    assert_int_equal(head_stream_drain_bytes(10 * MIB), 40 * MIB);
    assert_int_equal(head_stream_drain_bytes(1), 4);
}

static void
a_large_limit_is_drained_up_to_the_cap(void **state)
{
    (void)state;
    assert_int_equal(head_stream_drain_bytes(16 * MIB), HEAD_STREAM_DRAIN_CAP_BYTES);
    assert_int_equal(head_stream_drain_bytes(20 * MIB), HEAD_STREAM_DRAIN_CAP_BYTES);
    /* a limit above the cap: nothing over the limit is drained (the bound is the limit) */
    assert_int_equal(head_stream_drain_bytes(100 * MIB), 100 * MIB);
    assert_int_equal(head_stream_drain_bytes(INT64_MAX), INT64_MAX);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_small_limit_is_drained_four_times_over),
        cmocka_unit_test(a_large_limit_is_drained_up_to_the_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
