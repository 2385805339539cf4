/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* JSON forms of a claim's personal part: the sealed record (claimant + harm description) and
 * the `claimant` object of the claim view (docs/api.md §9.5). */
#ifndef RECOURS_HANDLERS_CLAIM_JSON_H
#define RECOURS_HANDLERS_CLAIM_JSON_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/claim.h"

struct arena;
struct claim_record;

/* The plaintext to seal: {"claimant": {...}, "description": "..."}, compact, in the arena. */
char *claim_pii_json(struct arena *a, const struct claimant *c, const char *description);

/* Reads it back into *c and *description (arena strings). False if it is not that shape. */
bool claim_pii_parse(struct arena *a, const char *json, struct claimant *c,
                     const char **description);

/* The claimant object of the claim view; absent members are null. */
json_t *claimant_json(const struct claimant *c);

/* Data categories of a set, in vocabulary order. */
json_t *categories_json_array(unsigned int set);

/* {"state": matched|unmatched|unknown, "matched": ["email", "phone", "code"]} of a claim
 * against its incident's controller's list (docs/api.md, issue 14); NULL when jansson fails. */
json_t *claim_eligibility_json(const struct claim_record *rec);

#endif
