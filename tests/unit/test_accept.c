/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* http/accept: who gets an HTML error page (browsers) and who keeps problem+json (API
 * clients, curl, fetch() with its default Accept). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "http/accept.h"

static void
test_browsers_prefer_html(void **state)
{
    (void)state;
    /* Firefox, Chromium, Safari */
    assert_true(accept_prefers_html(
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
    assert_true(accept_prefers_html("text/html,application/xhtml+xml,application/xml;q=0.9,"
                                    "image/avif,image/webp,image/apng,*/*;q=0.8,"
                                    "application/signed-exchange;v=b3;q=0.7"));
    assert_true(accept_prefers_html("text/html"));
    assert_true(accept_prefers_html("text/*, application/json;q=0.5"));
    assert_true(accept_prefers_html("application/json;q=0.4, text/html ; q=0.6"));
}

static void
test_api_clients_keep_json(void **state)
{
    (void)state;
    assert_false(accept_prefers_html(NULL));
    assert_false(accept_prefers_html(""));
    assert_false(accept_prefers_html("*/*")); /* curl, fetch() */
    assert_false(accept_prefers_html("application/json"));
    assert_false(accept_prefers_html("application/problem+json"));
    assert_false(accept_prefers_html("application/json, text/html"));       /* a tie */
    assert_false(accept_prefers_html("text/html;q=0.5, */*"));
    assert_false(accept_prefers_html("text/html;q=0, application/json;q=0.1"));
    assert_false(accept_prefers_html("text/html;q=0.5, application/*"));
    assert_false(accept_prefers_html("image/png"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_browsers_prefer_html),
        cmocka_unit_test(test_api_clients_keep_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
