/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* http/outcome: every failed outcome has its problem in the table (a missing row would answer
 * 500 internal-error), and 503 carries Retry-After. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "http/outcome.h"

static void
test_every_outcome_has_its_problem(void **state)
{
    (void)state;
    for (int o = OUTCOME_NOT_FOUND; o <= OUTCOME_UNCOMPUTABLE; o++) {
        if (o == OUTCOME_INVALID)
            continue; /* the errors' 422, not a row of the table */
        struct reply r = reply_outcome((enum outcome)o, NULL);
        bool is_500 = o == OUTCOME_INTERNAL || o == OUTCOME_UNCOMPUTABLE;
        assert_int_equal(r.status == 500, is_500);
        assert_non_null(r.body);
        assert_string_equal(r.content_type, "application/problem+json");
        reply_discard(&r);
    }
}

static void
test_unavailable_says_when_to_retry(void **state)
{
    struct reply r = reply_outcome(OUTCOME_UNAVAILABLE, NULL);

    (void)state;
    assert_int_equal(r.status, 503);
    assert_int_equal(r.n_headers, 1);
    assert_string_equal(r.headers[0].name, "Retry-After");
    assert_non_null(strstr(r.body, "the database cannot be reached or did not answer in time; retry"));
    reply_discard(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_outcome_has_its_problem),
        cmocka_unit_test(test_unavailable_says_when_to_retry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
