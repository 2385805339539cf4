/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Claim bodies (docs/api.md §9) → struct claim_input, every rule checked and every error listed.
 * Rules that need the incident (categories within it, the privacy notice) are applied by
 * claims_check_against_incident. */
#ifndef RECOURS_HANDLERS_CLAIMS_PARSE_H
#define RECOURS_HANDLERS_CLAIMS_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/claim.h"
#include "http/json_fields.h"

/* Reads a whole submission. within: the incident's categories (not-in-incident). */
void claims_parse_submission(const struct json_fields *jf, unsigned int within,
                             const char *notice_version, struct claim_input *in);

/* The claim form's own rule beside the API's, for a body a page wrote from its form
 * (request.from_page_form): the claimant's postal code in its country's form where that form
 * is certain (domain/postal_codes.h: France's 5 digits), else invalid-format at
 * claimant.address.postal_code, whose message gives the form and an example. The JSON API
 * itself takes any code of 1..20 characters, as its contract says (docs/decisions.md, "A
 * postal code's form, on the pages only"). Call after claims_parse_submission. */
void claims_check_postal_form(const struct json_fields *jf, const struct claim_input *in);

/* Reads a claimant object into *c (all members required as on submission). */
void claims_parse_claimant(const struct json_fields *jf, struct claimant *c);

/* Reads a harms object into *h (members optional; absent ones keep their value). */
void claims_parse_harms(const struct json_fields *jf, struct harms *h);

struct action;
struct arena;

/* The mandate rules of docs/api.md §9.2: action_id names an open action on incident_id whose
 * deadline has not passed and whose association is approved (else `unavailable`), and
 * mandate_text_version is that action's (else `mismatch`). Fills *out on success. A database
 * failure returns false with *unavailable_out set. The action is read on the calling thread's
 * connection (service/lookup_cache.h). */
bool claims_mandate_check(struct arena *a, int64_t incident_id, const char *action_id,
                          const char *version, struct errors *errors, struct action *out,
                          bool *unavailable_out);

struct incident;

/* A whole submission checked as POST /v1/claims/{slug} checks it, for that route and for the
 * claim page that shows the same errors again after a language switch: the body's rules
 * (claims_parse_submission against the incident's categories and notice_version), then the
 * mandate's (claims_mandate_check; *mandate filled when it holds and the body has no other
 * error: with others, only what it says of the action, and of a version given, is added).
 * Errors go to jf->errors. Returns false only when the database could not be asked about the
 * mandate of an otherwise valid body. */
bool claims_check_submission(const struct json_fields *jf, const struct incident *inc,
                             const char *notice_version, struct claim_input *in,
                             struct action *mandate);

/* The part of those rules told without the database: an action_id that is no UUID names no
 * action (`unavailable` at action_id, as claims_mandate_check says of it). Lets a body with
 * other errors name this one too (docs/api.md §5.2: every error at once). */
bool claims_mandate_id_form(const char *action_id, struct errors *errors);

#endif
