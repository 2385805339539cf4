/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The route table made into the server's: the rows are in route_table.h (grep a path there).
 * Every entry must also be in api/openapi.json: a test compares both. The role column is
 * enforced here, by routes_run, before any handler runs (docs/architecture.md §4). */
#include "routes.h"

#include <stdio.h>
#include <string.h>

#include "handlers/evidence.h"
#include "handlers/evidence_page.h"
#include "handlers/guard.h"
#include "handlers/handlers.h"
#include "handlers/idempotency.h"
#include "handlers/page_claim.h"

/* Each row of route_table.h, an entry {method, path, handler, role}. */
const struct route routes[] = {
#define ROUTE(method, path, handler, role) {method, path, handler, role, false},
#define ROUTE_RECORDING_GET(path, handler, role) {"GET", path, handler, role, true},
#include "route_table.h"
#undef ROUTE
#undef ROUTE_RECORDING_GET
};

const size_t n_routes = sizeof routes / sizeof routes[0];

/* Routes of the table whose body is streamed, not buffered (http/body_stream.h): the
 * evidence uploads, up to their own limit, admitted before their first byte. */
const struct body_stream_route body_stream_routes[] = {
    {"POST", "/v1/claims/{reference}/evidence", evidence_upload_limit, evidence_upload_open},
    {"POST", "/my-claim/evidence", evidence_form_limit, evidence_form_open},
};

const size_t n_body_stream_routes = sizeof body_stream_routes / sizeof body_stream_routes[0];

/* Forms whose refusal by the rate limit is the form again as typed (handlers/page_claim.h),
 * not the error page that would lose it. */
const struct rate_limited_form rate_limited_forms[] = {
    {"POST", "/claim", page_claim_rate_limited},
    {"POST", "/my-claim", page_my_claim_rate_limited},
};

const size_t n_rate_limited_forms = sizeof rate_limited_forms / sizeof rate_limited_forms[0];

bool
routes_admit(struct request *rq, struct reply *deny)
{
    return guard_route(rq, rq->match.route->role, deny);
}

struct reply
routes_run(struct request *rq, route_handler handler)
{
    struct reply deny;

    /* the role column first: an unauthorised request reaches neither the handler nor the
     * idempotency storage */
    if (!guard_route(rq, rq->match.route->role, &deny))
        return deny;
    /* the claim intake keeps its Idempotency-Key in the claim's transaction; the claim form's
     * post is that intake (page_claim.c); stopping notices is a page's form and a mail
     * client's one-click, and confirming an address a page's button, each the same whatever
     * the times */
    if (strcmp(rq->method, "POST") != 0 || handler == handle_claims_submit ||
        handler == handle_page_claim_post || handler == handle_page_my_claim_post ||
        handler == handle_notices_stop_post || handler == handle_confirm_email_post)
        return handler(rq);
    return idem_around(rq, handler);
}

void
routes_print(void)
{
    for (size_t i = 0; i < n_routes; i++)
        printf("%s %s %s\n", routes[i].method, routes[i].path, route_role_name(routes[i].role));
}
