/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The sealed personal document of a claim, read without a JSON library: what an export does
 * for every member (a million times), where building and freeing a JSON tree per member cost
 * more than everything else (bench/RESULTS.md, issue 15). The document is the one
 * claim_pii_json writes (handlers/claim_json.c):
 *     {"claimant":{"given_name":…,"family_name":…,"email":…,"phone":…|null,
 *                  "birth_date":…|null,"address":{"line1":…,"line2":…|null,
 *                  "postal_code":…,"city":…,"country":…}},"description":…}
 * This reader takes exactly that form (keys in any order, JSON whitespace, every string
 * escape) and declines everything else, so that its caller falls back to the JSON library's
 * reader (claim_pii_parse), whose answer is then the one given: for what it takes, it gives
 * the same fields as that reader. */
#ifndef RECOURS_DOMAIN_PII_DOC_H
#define RECOURS_DOMAIN_PII_DOC_H

#include <stdbool.h>

#include "domain/claim.h"

/* Reads json into *c and *description, the strings unescaped into out (room for
 * strlen(json) + 1 bytes: unescaping never lengthens a string) and pointing there; json is
 * not changed. False when json is not exactly in the form above (another key or value type,
 * a key twice, a required field missing, invalid UTF-8, \u0000, anything after the object):
 * then *c and *description are unspecified and out may hold part of the strings. */
bool pii_doc_read(const char *json, char *out, struct claimant *c, const char **description);

/* The document of c and description in the form above (keys in that order; phone, birth_date,
 * line2 and postal_code null when absent), in the arena; NULL when a member the form requires
 * is missing (given_name, family_name, email, line1, city, description) or a string is not
 * valid UTF-8, as the JSON library's writer gave none for them. (pii_doc_write.c) */
struct arena;
char *pii_doc_write(struct arena *a, const struct claimant *c, const char *description);

#endif
