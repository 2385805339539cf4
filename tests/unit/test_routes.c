/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The route table's role column is what enforces roles (docs/architecture.md §4): every route
 * declares a role that exists (none is zero, so a route written without one is caught here as
 * well as by -Wmissing-field-initializers), and the server refuses to start a table whose
 * roles nothing would enforce. That no handler checks roles itself: checks/check_routes.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "http/reply.h"
#include "http/router.h"
#include "http/server.h"
#include "routes.h"

static struct reply
never_called(struct request *rq)
{
    (void)rq;
    fail_msg("a handler ran");
    return reply_empty(500);
}

static struct reply
run_hook(struct request *rq, route_handler h)
{
    return h(rq);
}

/* Every route of the table declares one of the roles of enum route_role. */
static void
test_every_route_declares_a_role(void **state)
{
    (void)state;
    assert_true(n_routes > 0);
    for (size_t i = 0; i < n_routes; i++) {
        const char *name = route_role_name(routes[i].role);
        if (name == NULL)
            fail_msg("%s %s declares no role", routes[i].method, routes[i].path);
    }
}

/* The zero value is not a role: a route whose role was left out is not silently public. */
static void
test_zero_is_not_a_role(void **state)
{
    (void)state;
    assert_null(route_role_name((enum route_role)0));
    assert_int_not_equal(ROLE_PUBLIC, 0);
}

/* http_server_start refuses a table with a route without a role, and a table with a guarded
 * route but no hook to guard it, before it binds anything. */
static void
test_server_refuses_an_unguarded_table(void **state)
{
    const struct route no_role[] = {{"GET", "/x", never_called, (enum route_role)0, false}};
    const struct route guarded[] = {{"GET", "/x", never_called, ROLE_OPERATOR, false}};
    struct http_server_config cfg;

    (void)state;
    memset(&cfg, 0, sizeof cfg);
    cfg.run = run_hook;
    cfg.routes = no_role;
    cfg.n_routes = 1;
    assert_null(http_server_start(&cfg));
    cfg.routes = guarded;
    cfg.run = NULL;
    assert_null(http_server_start(&cfg));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_route_declares_a_role),
        cmocka_unit_test(test_zero_is_not_a_role),
        cmocka_unit_test(test_server_refuses_an_unguarded_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
