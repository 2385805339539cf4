/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* /my-claim rendered by the server (docs/web-forms.md): the claimant gives reference and token
 * in a form (POST, never in the address), sees the claim as given, corrects any field the API
 * allows, gives a mandate to an open action, withdraws; "I lost my token" asks for a recovery
 * link by email, and the link's page sets a new token. Every action is the JSON API's own
 * handler run on the form's fields (handlers/claim_form.h), its answer made into the page; the
 * token travels only in the bodies of these posts. Works without JavaScript. */
#ifndef RECOURS_HANDLERS_PAGE_MY_CLAIM_H
#define RECOURS_HANDLERS_PAGE_MY_CLAIM_H

#include "http/request.h"

struct reply handle_page_my_claim(struct request *rq);
struct reply handle_page_my_claim_post(struct request *rq);

#endif
