/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The claim form page (docs/web-forms.md): GET /claim?incident=SLUG or ?action=ID renders the
 * form; POST /claim (application/x-www-form-urlencoded) is the same submission as the JSON
 * API's: the fields become the API's body (handlers/claim_form.h), handle_claims_submit runs
 * on it, validation, dedup, Idempotency-Key and the intake's group commit included, and its
 * answer is made into a page: the receipt, or the form again with the errors beside the
 * fields and the values kept. */
#ifndef RECOURS_HANDLERS_PAGE_CLAIM_H
#define RECOURS_HANDLERS_PAGE_CLAIM_H

#include "http/request.h"

struct reply handle_page_claim(struct request *rq);
struct reply handle_page_claim_post(struct request *rq);

/* A fresh Idempotency-Key for a rendered form: 32 hex digits into out[33]. */
bool page_form_key(char out[33]);

/* The checks every form post passes before its fields are read: same site
 * (handlers/form_origin.h), urlencoded body, well-formed (core/urlencoded.h). False with *deny
 * (an HTML page: 403, 415 or 400) otherwise. */
struct form;
bool page_form_read(struct request *rq, struct form *out, struct reply *deny);

#endif
