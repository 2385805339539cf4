/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The claim form's fields as the JSON API's claim body (docs/web-forms.md). Form controls are
 * named after the API's members ("claimant.address.city", "harms.phishing",
 * "data_categories"), so the body is built by name and then validated by the API's own code
 * (handlers/claims_parse.c): there is no second validator for forms. Only what HTML cannot
 * say is translated: a ticked box is `true`, a repeated name is an array, a number or an
 * amount typed as text becomes an integer (in minor units for money) when it reads as one,
 * and an empty control is an absent member (null in a correction: removed). What does not translate is passed as text, so
 * that the API's rules name the error (invalid-type), and unknown names are passed too, so
 * that they meet unknown-field. The form's own controls (incident, lang, idempotency_key,
 * switch_lang, sent, evidence_dropped) are not part of the body. */
#ifndef RECOURS_HANDLERS_CLAIM_FORM_H
#define RECOURS_HANDLERS_CLAIM_FORM_H

#include <jansson.h>
#include <stdbool.h>

#include "core/urlencoded.h"

/* The hidden control of a form that came back refused (the claim form, the correction of
 * /my-claim): its language switch shows the errors again (handlers/page_claim.h
 * page_claim_check), a fresh form's shows none. */
#define CLAIM_FORM_SENT "sent"

/* The name of a file chosen in /my-claim's evidence form, not attached, that a language switch
 * posts (web/static/evidence.js), so that the next page says to choose it again. */
#define CLAIM_FORM_EVIDENCE_DROPPED "evidence_dropped"

/* Names that belong to the page, not to the claim. */
bool claim_form_is_page_control(const char *name);

/* The body of f for POST /v1/incidents/{slug}/claims (or, with patch, for PATCH
 * /v1/claims/{reference}: then a box left unticked is `false` rather than absent, so that a
 * correction can untick it). decimals: the exponent of the incident currency (domain/currency.h).
 * NULL when a name meant once is repeated or nests under a value (the form was not ours);
 * the caller answers 400. The result is the caller's (json_decref). */
json_t *claim_form_to_json(const struct form *f, int decimals, bool patch);

/* The compact text of a body built by claim_form_to_json, members in a fixed order, so that
 * the same form sent twice gives the same bytes (the Idempotency-Key compares bodies). */
char *claim_form_dump(const json_t *body);

#endif
