/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The route table. Every entry must also be in api/openapi.json: a test compares both. The
 * role column is enforced here, by routes_run, before any handler runs (docs/architecture.md). */
#include "routes.h"

#include <stdio.h>
#include <string.h>

#include "handlers/action_mandate.h"
#include "handlers/actions.h"
#include "handlers/associations.h"
#include "handlers/claims.h"
#include "handlers/evidence.h"
#include "handlers/evidence_page.h"
#include "handlers/compensation.h"
#include "handlers/exports.h"
#include "handlers/guard.h"
#include "handlers/idempotency.h"
#include "handlers/incidents.h"
#include "handlers/members.h"
#include "handlers/risk.h"

#include "handlers/notices.h"
#include "handlers/notices_stop.h"
#include "handlers/ops.h"
#include "handlers/pages.h"
#include "handlers/recovery.h"
#include "handlers/workspace_members.h"

const struct route routes[] = {
    {"GET", "/healthz", handle_healthz, ROLE_PUBLIC},
    {"GET", "/readyz", handle_readyz, ROLE_PUBLIC},
    {"GET", "/metrics", handle_metrics, ROLE_PUBLIC},
    {"GET", "/v1/openapi.json", handle_openapi, ROLE_PUBLIC},
    {"GET", "/", handle_page_home, ROLE_PUBLIC},
    {"GET", "/i/{slug}", handle_page_incident, ROLE_PUBLIC},
    {"GET", "/a/{id}", handle_page_action, ROLE_PUBLIC},
    {"GET", "/privacy", handle_page_privacy, ROLE_PUBLIC},
    {"GET", "/privacy/v/{version}", handle_page_privacy_version, ROLE_PUBLIC},
    {"GET", "/legal", handle_page_legal, ROLE_PUBLIC},
    {"GET", "/accessibility", handle_page_accessibility, ROLE_PUBLIC},
    {"GET", "/claim", handle_page_claim, ROLE_PUBLIC},
    {"POST", "/claim", handle_page_claim_post, ROLE_PUBLIC},
    {"GET", "/my-claim", handle_page_my_claim, ROLE_PUBLIC},
    {"POST", "/my-claim", handle_page_my_claim_post, ROLE_PUBLIC},
    {"POST", "/my-claim/evidence", handle_evidence_form_post, ROLE_PUBLIC},
    {"GET", "/dashboard", handle_web_page, ROLE_PUBLIC},
    {"GET", "/static/{file}", handle_web_asset, ROLE_PUBLIC},
    {"GET", "/i18n/{file}", handle_page_i18n, ROLE_PUBLIC},
    {"GET", "/v1/incidents", handle_incidents_list, ROLE_PUBLIC},
    {"POST", "/v1/incidents", handle_incidents_create, ROLE_OPERATOR},
    {"GET", "/v1/incidents/{slug}", handle_incidents_get, ROLE_PUBLIC},
    {"PATCH", "/v1/incidents/{slug}", handle_incidents_update, ROLE_OPERATOR},
    {"PUT", "/v1/incidents/{slug}/scheme", handle_scheme_put, ROLE_OPERATOR},
    {"GET", "/v1/incidents/{slug}/risk", handle_incident_risk, ROLE_OPERATOR},
    {"GET", "/v1/incidents/{slug}/compensation", handle_incident_compensation,
     ROLE_PUBLIC_OR_MEMBER},
    {"POST", "/v1/compensation/simulate", handle_simulate, ROLE_ASSOCIATION_OR_OPERATOR},
    {"GET", "/v1/schemes/presets", handle_presets, ROLE_PUBLIC},
    {"POST", "/v1/incidents/{slug}/claims", handle_claims_submit, ROLE_PUBLIC},
    {"GET", "/v1/incidents/{slug}/claims", handle_claims_list_mandated, ROLE_ASSOCIATION},
    {"GET", "/v1/claims/{reference}", handle_claims_get, ROLE_CLAIMANT},
    {"PATCH", "/v1/claims/{reference}", handle_claims_correct, ROLE_CLAIMANT},
    {"DELETE", "/v1/claims/{reference}", handle_claims_withdraw, ROLE_CLAIMANT},
    {"POST", "/v1/claims/{reference}/evidence", handle_evidence_upload, ROLE_CLAIMANT},
    {"GET", "/v1/claims/{reference}/evidence", handle_evidence_list_own, ROLE_CLAIMANT},
    {"DELETE", "/v1/claims/{reference}/evidence/{file}", handle_evidence_remove, ROLE_CLAIMANT},
    {"POST", "/v1/claim-recovery", handle_recovery_request, ROLE_PUBLIC},
    {"POST", "/v1/claim-recovery/{token}", handle_recovery_redeem, ROLE_PUBLIC},
    {"GET", "/confirm-email/{token}", handle_confirm_email, ROLE_PUBLIC},
    {"PATCH", "/v1/claims/{reference}/status", handle_claims_review,
     ROLE_ASSOCIATION_OR_OPERATOR},
    {"GET", "/v1/associations", handle_associations_list, ROLE_PUBLIC},
    {"POST", "/v1/associations", handle_associations_create, ROLE_OPERATOR},
    {"PATCH", "/v1/associations/{id}", handle_associations_update, ROLE_OPERATOR},
    {"POST", "/v1/associations/{id}/keys", handle_keys_issue, ROLE_OPERATOR},
    {"DELETE", "/v1/keys/{id}", handle_keys_revoke, ROLE_OPERATOR},
    {"GET", "/v1/audit/verify", handle_audit_verify, ROLE_OPERATOR},
    {"POST", "/v1/actions", handle_actions_create, ROLE_ASSOCIATION},
    {"GET", "/v1/actions", handle_actions_list, ROLE_ASSOCIATION},
    {"GET", "/v1/actions/{id}", handle_actions_get, ROLE_ASSOCIATION},
    {"PATCH", "/v1/actions/{id}", handle_actions_update, ROLE_ASSOCIATION},
    {"GET", "/v1/actions/{id}/mandate", handle_action_mandate, ROLE_PUBLIC},
    {"GET", "/v1/actions/{id}/compensation", handle_action_compensation, ROLE_ASSOCIATION},
    {"GET", "/v1/actions/{id}/export", handle_actions_export, ROLE_ASSOCIATION},
    {"GET", "/v1/exports/{id}", handle_exports_get, ROLE_ASSOCIATION_OR_OPERATOR},
    {"POST", "/v1/actions/{id}/members", handle_members_add, ROLE_ASSOCIATION},
    {"GET", "/v1/actions/{id}/members", handle_ws_members_list, ROLE_ASSOCIATION},
    {"GET", "/v1/actions/{id}/members/{reference}", handle_ws_member_get, ROLE_ASSOCIATION},
    {"DELETE", "/v1/actions/{id}/members/{reference}", handle_members_remove,
     ROLE_ASSOCIATION},
    {"POST", "/v1/actions/{id}/members/{reference}/removal", handle_ws_member_removal,
     ROLE_ASSOCIATION},
    {"POST", "/v1/actions/{id}/reviews", handle_ws_reviews, ROLE_ASSOCIATION},
    {"GET", "/v1/actions/{id}/timeline", handle_ws_timeline, ROLE_ASSOCIATION},
    {"GET", "/v1/actions/{id}/members/{reference}/evidence", handle_evidence_member_list,
     ROLE_ASSOCIATION},
    {"GET", "/v1/actions/{id}/members/{reference}/evidence/{file}", handle_evidence_download,
     ROLE_ASSOCIATION},

    /* notices to the members (docs/workspace.md "Notices") */
    {"POST", "/v1/actions/{id}/notices", handle_notices_create, ROLE_ASSOCIATION},
    {"GET", "/v1/actions/{id}/notices", handle_notices_list, ROLE_ASSOCIATION},
    {"GET", "/v1/actions/{id}/notices/{notice}", handle_notices_get, ROLE_ASSOCIATION},
    {"GET", "/v1/actions/{id}/notices/{notice}/preview", handle_notices_preview,
     ROLE_ASSOCIATION},
    {"POST", "/v1/actions/{id}/notices/{notice}/send", handle_notices_send, ROLE_ASSOCIATION},
    {"GET", "/notices/stop/{token}", handle_notices_stop_page, ROLE_PUBLIC},
    {"POST", "/notices/stop/{token}", handle_notices_stop_post, ROLE_PUBLIC},
};

const size_t n_routes = sizeof routes / sizeof routes[0];

/* Routes of the table above whose body is streamed, not buffered (http/body_stream.h): the
 * evidence uploads, up to their own limit, admitted before their first byte. */
const struct body_stream_route body_stream_routes[] = {
    {"POST", "/v1/claims/{reference}/evidence", evidence_upload_limit, evidence_upload_open},
    {"POST", "/my-claim/evidence", evidence_form_limit, evidence_form_open},
};

const size_t n_body_stream_routes = sizeof body_stream_routes / sizeof body_stream_routes[0];

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
     * post is that intake (handlers/pages.h); stopping notices is a page's form and a mail
     * client's one-click, the same whatever the times */
    if (strcmp(rq->method, "POST") != 0 || handler == handle_claims_submit ||
        handler == handle_page_claim_post || handler == handle_page_my_claim_post ||
        handler == handle_notices_stop_post)
        return handler(rq);
    return idem_around(rq, handler);
}

void
routes_print(void)
{
    for (size_t i = 0; i < n_routes; i++)
        printf("%s %s %s\n", routes[i].method, routes[i].path, route_role_name(routes[i].role));
}
