/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A form post answered by the JSON API's own handler (docs/web-forms.md), for POST /claim and
 * POST /my-claim: the form's fields become the API's request (body, media type, the route's
 * path parameter), the API's handler runs, and its answer is read back for the page (status,
 * problem name, errors, Retry-After). There is no second validator for forms. */
#ifndef RECOURS_HANDLERS_PAGE_API_H
#define RECOURS_HANDLERS_PAGE_API_H

#include <jansson.h>
#include <stdbool.h>

#include "core/errors.h"
#include "http/request.h"

/* Makes body (taken, even on failure; NULL fails) rq's body with media as its Content-Type,
 * compact, members in a fixed order: the same form sent twice gives the same bytes (the
 * Idempotency-Key compares bodies). False when it cannot be written. */
bool page_api_body(struct request *rq, json_t *body, const char *media);

/* Sets the route's one path parameter (the incident's slug, the claim's reference, a link). */
void page_api_param(struct request *rq, const char *value);

/* What the API answered. */
struct page_answer {
    int status;
    json_t *doc;             /* the body as JSON, NULL when it is none; freed with the arena */
    const char *problem;     /* a problem document's name (its type's last segment), or "" */
    const char *retry_after; /* the Retry-After header, or NULL */
};

/* Reads api (discarded) into *out. */
void page_api_answer(struct request *rq, struct reply api, struct page_answer *out);

/* The errors[] of a 422 validation-error answer, in rq's arena; NULL for any other. */
struct errors *page_api_errors(struct request *rq, const struct page_answer *a);

#endif
