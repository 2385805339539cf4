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

/* Whether every name of f but a list's (data_categories) comes once: a name meant once sent
 * twice is not a form of ours (the page answers 400), the claim form's (claim_form_to_json)
 * as /my-claim's (its reference, token, form: which one was meant?). */
bool claim_form_names_once(const struct form *f);

/* How the page reads an amount typed (domain/amount_typed.h): in the incident's currency
 * (ISO 4217; NULL: unknown, two decimals and no sign taken) with the page language's decimal
 * mark (',' French, '.' English). */
struct claim_form_money {
    const char *currency;
    char decimal_mark;
};

/* The body of f for POST /v1/incidents/{slug}/claims (or, with patch, for PATCH
 * /v1/claims/{reference}: then a box left unticked is `false` rather than absent, so that a
 * correction can untick it). An amount that does not read (money) is passed as typed.
 * NULL when a name meant once is repeated (claim_form_names_once) or nests under a value
 * (the form was not ours);
 * the caller answers 400. The result is the caller's (json_decref). */
json_t *claim_form_to_json(const struct form *f, const struct claim_form_money *money, bool patch);

/* errors as the page says them: when the API refused the documented loss as text
 * (invalid-type) because f's amount was typed in another currency than money's, a copy in
 * the arena a where that error is `other-currency`, a page's code whose message names the
 * incident's currency; else errors itself (NULL stays NULL). */
struct arena;
struct errors;
const struct errors *claim_form_currency_errors(struct arena *a, const struct form *f,
                                                const struct claim_form_money *money,
                                                const struct errors *errors);

/* The compact text of a body built by claim_form_to_json, members in a fixed order, so that
 * the same form sent twice gives the same bytes (the Idempotency-Key compares bodies). */
char *claim_form_dump(const json_t *body);

#endif
