/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The pages the server renders or serves (api/web/), for routes.c: one declaration header for
 * the family, each file below implementing a group. Each handler parses, calls one service
 * entry point (service/public_pages.h, service/claim_page.h) and replies a page with the
 * page security headers of docs/api.md §1.7 (page_common.h). */
#ifndef RECOURS_HANDLERS_PAGES_H
#define RECOURS_HANDLERS_PAGES_H

#include "http/request.h"

/* The public pages (page_home.c, page_action.c, page_texts.c): GET / (open incidents, their
 * public totals and open actions), /i/{slug} (an incident and what a claimant may receive),
 * /a/{id} (a representative action's public record), /privacy, /privacy/v/{version},
 * /legal, /accessibility. The first three read one document each (svc_rq_public_doc),
 * cached a few seconds; the fixed texts read no database. */
struct reply handle_page_home(struct request *rq);
struct reply handle_page_incident(struct request *rq);
struct reply handle_page_action(struct request *rq);
struct reply handle_page_privacy(struct request *rq);
struct reply handle_page_privacy_version(struct request *rq);
struct reply handle_page_legal(struct request *rq);
struct reply handle_page_accessibility(struct request *rq);

/* The claim form page (page_claim.c, docs/web-forms.md): GET /claim?incident=SLUG or
 * ?action=ID renders the form; POST /claim (application/x-www-form-urlencoded) is the same
 * submission as the JSON API's: the fields become the API's body (handlers/claim_form.h),
 * handle_claims_submit runs on it, validation, dedup, Idempotency-Key and the intake's group
 * commit included, and its answer is made into a page: the receipt, or the form again with
 * the errors beside the fields and the values kept. */
struct reply handle_page_claim(struct request *rq);
struct reply handle_page_claim_post(struct request *rq);

/* /my-claim rendered by the server (page_my_claim.c, docs/web-forms.md): the claimant gives
 * reference and token in a form (POST, never in the address), sees the claim as given,
 * corrects any field the API allows, gives a mandate to an open action, withdraws; "I lost
 * my token" asks for a recovery link by email, and the link's page sets a new token. Every
 * action is the JSON API's own handler run on the form's fields (page_api.h), its answer
 * made into the page; the token travels only in the bodies of these posts. Works without
 * JavaScript. */
struct reply handle_page_my_claim(struct request *rq);
struct reply handle_page_my_claim_post(struct request *rq);

/* GET /i18n/{file} (page_i18n.c): the string catalogue of a language (fr.json, en.json) as
 * the server loaded it, for the scripts (web/static/i18n.js). */
struct reply handle_page_i18n(struct request *rq);

/* The static files of web/ (web.c): GET /dashboard (the association dashboard) and
 * /static/{file} (stylesheets, scripts, images). */
struct reply handle_web_page(struct request *rq);
struct reply handle_web_asset(struct request *rq);

#endif
