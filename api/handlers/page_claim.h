/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What the claim form page (page_claim.c: GET and POST /claim) shares with /my-claim:
 * the form's key, its scheme, and the checks of a form post. */
#ifndef RECOURS_HANDLERS_PAGE_CLAIM_H
#define RECOURS_HANDLERS_PAGE_CLAIM_H

#include <jansson.h>

#include "core/errors.h"
#include "handlers/claim_form.h"
#include "http/request.h"
#include "web/lang.h"

/* A fresh Idempotency-Key for a rendered form: 32 hex digits into out[33]. */
bool page_form_key(char out[33]);

/* The scheme in force of d (service/claim_page.h) as a struct in *s, or NULL when there is
 * none or it cannot be read: the page then says nothing of what a claimant may receive. */
struct claim_page_data;
struct scheme;
const struct scheme *page_claim_scheme(const struct claim_page_data *d, struct scheme *s);

/* How the page of language w reads an amount in currency (the incident's): its decimal mark. */
struct web_ctx;
struct claim_form_money page_claim_money(const char *currency, const struct web_ctx *w);

/* The errors the API would answer for the claim body (taken; NULL: none), found without
 * sending it: the rules of a submission to inc (handlers/claims_parse.h, the mandate's
 * included), notice_version the privacy notice it must accept. In rq's arena; NULL when
 * there is none. For the language switch of a form that came back refused. */
struct incident;
struct errors *page_claim_check(struct request *rq, json_t *body, const struct incident *inc,
                                const char *notice_version);

/* A refusal for a while ("rate_limited", "unavailable": Retry-After's seconds) as the word a
 * form keeps in its hidden `sent` ("rate_limited:1796000000", the moment the wait ends), so
 * that its language switch says it again; NULL for another name. */
const char *page_wait_kept(struct request *rq, const char *name, const char *seconds);

/* What a form's kept wait (page_wait_kept) says now: *key its message, with *left the seconds
 * left, or, once the wait is over (*left NULL), the message that says to send again. False
 * when sent is no wait's word. */
bool page_wait_again(struct request *rq, const char *sent, const char **key, const char **left);

/* POST /claim refused before its handler by the rate limit of public posts (http/server.c,
 * routes.c rate_limited_forms): the form again with what was typed and the rate limit's
 * message, 429, into *out, so that a person without JavaScript loses nothing (the error page
 * did). False when the post is not a form this page can show again (the caller answers the
 * plain error page). */
bool page_claim_rate_limited(struct request *rq, struct reply *out);

/* The same for POST /my-claim (page_my_claim.c): a correction comes back on the claim's page
 * as typed, the access and recovery forms with what was typed but the token; a button's post
 * (withdraw, join, …) has nothing typed to lose: false, the plain error page. */
bool page_my_claim_rate_limited(struct request *rq, struct reply *out);

/* The checks every form post passes before its fields are read: same site
 * (handlers/form_origin.h), urlencoded body, well-formed (core/urlencoded.h). False with *deny
 * (an HTML page: 403, 415 or 400) otherwise. */
struct form;
bool page_form_read(struct request *rq, struct form *out, struct reply *deny);

/* The language of the page answering the post f, into *lang (left as it is when f names
 * none): the language switch's button of the form (`switch_lang`, and *switched true), else
 * the form's `lang` field. False for a switch to a language the site does not have (the
 * caller answers a 400 page). */
bool page_form_lang(const struct form *f, enum web_lang *lang, bool *switched);

#endif
