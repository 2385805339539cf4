/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* THE route table: one row per route, ROUTE(method, path template, handler, role), in the order
 * the router tries them (http/router.c). Grep a path here first. The rows are read twice, each
 * time with its own ROUTE: by routes.c, which makes them the `routes[]` the server matches, and
 * by handlers/handlers.h, which declares every handler they name, so a handler is named in one
 * row and defined in one file. A row without its role does not build (ROUTE takes four
 * arguments); the role column is enforced by routes_run before the handler (docs/architecture.md
 * §4); tests/checks/check_routes.sh checks each role and that §3 documents each handler.
 * A GET that records something (an audit event, an export record) is a ROUTE_RECORDING_GET row:
 * the same GET route, but HEAD is refused on it (405, Allow: GET), because a HEAD runs a GET's
 * handler and would record a read that sent nothing (http/router.c).
 * No include guard: each reader defines ROUTE and ROUTE_RECORDING_GET, includes this file and
 * undefines them. */

/* Operations (handlers/ops.c, docs/api.md §13): liveness, readiness, metrics, this API's
 * OpenAPI document. */
ROUTE("GET", "/healthz", handle_healthz, ROLE_PUBLIC)
ROUTE("GET", "/readyz", handle_readyz, ROLE_PUBLIC)
ROUTE("GET", "/metrics", handle_metrics, ROLE_PUBLIC)
ROUTE("GET", "/v1/openapi.json", handle_openapi, ROLE_PUBLIC)

/* The public pages (page_home.c, page_action.c, page_texts.c): open incidents, an incident and
 * what a claimant may receive, an action's public record (one cached document each,
 * svc_rq_public_doc); the fixed texts read no database. */
ROUTE("GET", "/", handle_page_home, ROLE_PUBLIC)
ROUTE("GET", "/i/{slug}", handle_page_incident, ROLE_PUBLIC)
ROUTE("GET", "/a/{id}", handle_page_action, ROLE_PUBLIC)
ROUTE("GET", "/privacy", handle_page_privacy, ROLE_PUBLIC)
ROUTE("GET", "/privacy/v/{version}", handle_page_privacy_version, ROLE_PUBLIC)
ROUTE("GET", "/legal", handle_page_legal, ROLE_PUBLIC)
ROUTE("GET", "/accessibility", handle_page_accessibility, ROLE_PUBLIC)

/* The claim form (page_claim.c, docs/web-forms.md): its post is the JSON API's submission
 * (handle_claims_submit on the form's fields, handlers/claim_form.h) made into a page. */
ROUTE("GET", "/claim", handle_page_claim, ROLE_PUBLIC)
ROUTE("POST", "/claim", handle_page_claim_post, ROLE_PUBLIC)

/* /my-claim rendered by the server (page_my_claim.c, docs/web-forms.md): each form's post runs
 * the JSON API's own handler (page_api.h); the token travels only in post bodies. The evidence
 * post is read as it arrives (handlers/evidence_page.h, routes.c body_stream_routes). */
ROUTE("GET", "/my-claim", handle_page_my_claim, ROLE_PUBLIC)
ROUTE("POST", "/my-claim", handle_page_my_claim_post, ROLE_PUBLIC)
ROUTE("POST", "/my-claim/evidence", handle_evidence_form_post, ROLE_PUBLIC)

/* The static files of web/ (web.c), the string catalogues for the scripts (page_i18n.c). */
ROUTE("GET", "/dashboard", handle_web_page, ROLE_PUBLIC)
ROUTE("GET", "/static/{file}", handle_web_asset, ROLE_PUBLIC)
ROUTE("GET", "/i18n/{file}", handle_page_i18n, ROLE_PUBLIC)

/* Incidents, their scheme, risk and compensation (docs/api.md §10.1, §11; docs/risk.md). */
ROUTE("GET", "/v1/incidents", handle_incidents_list, ROLE_PUBLIC)
ROUTE("POST", "/v1/incidents", handle_incidents_create, ROLE_OPERATOR)
ROUTE("GET", "/v1/incidents/{slug}", handle_incidents_get, ROLE_PUBLIC)
ROUTE("PATCH", "/v1/incidents/{slug}", handle_incidents_update, ROLE_OPERATOR)
ROUTE("PUT", "/v1/incidents/{slug}/scheme", handle_scheme_put, ROLE_OPERATOR)
ROUTE("GET", "/v1/incidents/{slug}/risk", handle_incident_risk, ROLE_OPERATOR)
ROUTE("GET", "/v1/incidents/{slug}/compensation", handle_incident_compensation,
      ROLE_PUBLIC_OR_MEMBER)
ROUTE("POST", "/v1/compensation/simulate", handle_simulate, ROLE_ASSOCIATION_OR_OPERATOR)
ROUTE("GET", "/v1/schemes/presets", handle_presets, ROLE_PUBLIC)

/* Claims (docs/api.md §9): the public submission (claims_submit.c), the claimant's own with
 * the claim token (claims_self.c, claims_correct.c, evidence.c), the association's
 * (claims_assoc.c); links sent by email (recovery.c, docs/mail.md). */
ROUTE("POST", "/v1/incidents/{slug}/claims", handle_claims_submit, ROLE_PUBLIC)
ROUTE("GET", "/v1/incidents/{slug}/claims", handle_claims_list_mandated, ROLE_ASSOCIATION)
ROUTE("GET", "/v1/claims/{reference}", handle_claims_get, ROLE_CLAIMANT)
ROUTE("PATCH", "/v1/claims/{reference}", handle_claims_correct, ROLE_CLAIMANT)
ROUTE("DELETE", "/v1/claims/{reference}", handle_claims_withdraw, ROLE_CLAIMANT)
ROUTE("POST", "/v1/claims/{reference}/evidence", handle_evidence_upload, ROLE_CLAIMANT)
ROUTE("GET", "/v1/claims/{reference}/evidence", handle_evidence_list_own, ROLE_CLAIMANT)
ROUTE("DELETE", "/v1/claims/{reference}/evidence/{file}", handle_evidence_remove, ROLE_CLAIMANT)
ROUTE("POST", "/v1/claim-recovery", handle_recovery_request, ROLE_PUBLIC)
ROUTE("POST", "/v1/claim-recovery/{token}", handle_recovery_redeem, ROLE_PUBLIC)
ROUTE("GET", "/confirm-email/{token}", handle_confirm_email, ROLE_PUBLIC)
ROUTE("POST", "/confirm-email/{token}", handle_confirm_email_post, ROLE_PUBLIC)
ROUTE("PATCH", "/v1/claims/{reference}/status", handle_claims_review, ROLE_ASSOCIATION_OR_OPERATOR)

/* Associations, their API keys, the audit chain (docs/api.md §10.2–10.3, §13.1). */
ROUTE("GET", "/v1/associations", handle_associations_list, ROLE_PUBLIC)
ROUTE("POST", "/v1/associations", handle_associations_create, ROLE_OPERATOR)
ROUTE("GET", "/v1/associations/{id}", handle_associations_get, ROLE_PUBLIC)
ROUTE("PATCH", "/v1/associations/{id}", handle_associations_update, ROLE_OPERATOR)
ROUTE("POST", "/v1/associations/{id}/keys", handle_keys_issue, ROLE_OPERATOR)
ROUTE("DELETE", "/v1/keys/{id}", handle_keys_revoke, ROLE_OPERATOR)
ROUTE("GET", "/v1/audit/verify", handle_audit_verify, ROLE_OPERATOR)

/* Representative actions (docs/api.md §10.4), the mandate a claimant accepts (public,
 * action_mandate.c), their compensation and export. */
ROUTE("POST", "/v1/actions", handle_actions_create, ROLE_ASSOCIATION)
ROUTE("GET", "/v1/actions", handle_actions_list, ROLE_ASSOCIATION)
ROUTE("GET", "/v1/actions/{id}", handle_actions_get, ROLE_ASSOCIATION)
ROUTE("PATCH", "/v1/actions/{id}", handle_actions_update, ROLE_ASSOCIATION)
ROUTE("GET", "/v1/actions/{id}/mandate", handle_action_mandate, ROLE_PUBLIC)
ROUTE("GET", "/v1/actions/{id}/compensation", handle_action_compensation, ROLE_ASSOCIATION)
ROUTE_RECORDING_GET("/v1/actions/{id}/export", handle_actions_export, ROLE_ASSOCIATION)
ROUTE("GET", "/v1/exports/{id}", handle_exports_get, ROLE_ASSOCIATION_OR_OPERATOR)

/* The workspace on an action's members (members.c, workspace_members.c, evidence.c,
 * docs/workspace.md): another association's action, or a claim that is not a member, is 404. */
ROUTE("POST", "/v1/actions/{id}/members", handle_members_add, ROLE_ASSOCIATION)
ROUTE("GET", "/v1/actions/{id}/members", handle_ws_members_list, ROLE_ASSOCIATION)
ROUTE_RECORDING_GET("/v1/actions/{id}/members/{reference}", handle_ws_member_get,
                    ROLE_ASSOCIATION)
ROUTE("DELETE", "/v1/actions/{id}/members/{reference}", handle_members_remove, ROLE_ASSOCIATION)
ROUTE("POST", "/v1/actions/{id}/members/{reference}/removal", handle_ws_member_removal,
      ROLE_ASSOCIATION)
ROUTE("POST", "/v1/actions/{id}/reviews", handle_ws_reviews, ROLE_ASSOCIATION)
ROUTE("GET", "/v1/actions/{id}/timeline", handle_ws_timeline, ROLE_ASSOCIATION)
ROUTE("GET", "/v1/actions/{id}/members/{reference}/evidence", handle_evidence_member_list,
      ROLE_ASSOCIATION)
ROUTE_RECORDING_GET("/v1/actions/{id}/members/{reference}/evidence/{file}",
                    handle_evidence_download, ROLE_ASSOCIATION)

/* Notices to the members (notices.c, docs/workspace.md "Notices"); the page behind every
 * non-essential notice's stop link, and a mail client's one-click (notices_stop.c, RFC 8058). */
ROUTE("POST", "/v1/actions/{id}/notices", handle_notices_create, ROLE_ASSOCIATION)
ROUTE("GET", "/v1/actions/{id}/notices", handle_notices_list, ROLE_ASSOCIATION)
ROUTE("GET", "/v1/actions/{id}/notices/{notice}", handle_notices_get, ROLE_ASSOCIATION)
ROUTE("GET", "/v1/actions/{id}/notices/{notice}/preview", handle_notices_preview, ROLE_ASSOCIATION)
ROUTE("POST", "/v1/actions/{id}/notices/{notice}/send", handle_notices_send, ROLE_ASSOCIATION)
ROUTE("POST", "/v1/actions/{id}/notices/{notice}/cancel", handle_notices_cancel, ROLE_ASSOCIATION)
ROUTE("DELETE", "/v1/actions/{id}/notices/{notice}", handle_notices_delete, ROLE_ASSOCIATION)
ROUTE("GET", "/notices/stop/{token}", handle_notices_stop_page, ROLE_PUBLIC)
ROUTE("POST", "/notices/stop/{token}", handle_notices_stop_post, ROLE_PUBLIC)
