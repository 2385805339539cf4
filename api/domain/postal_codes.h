/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Which countries have no postal code system, so that an address there is complete without
 * one (docs/decisions.md, "Postal code optional where a country has none"), and the form of
 * the codes where it is certain (France: 5 digits), so that "6900" or "75OO1" is refused.
 * Invariant: both lists are sorted, upper-case ISO 3166-1 alpha-2 codes, each assigned. */
#ifndef RECOURS_DOMAIN_POSTAL_CODES_H
#define RECOURS_DOMAIN_POSTAL_CODES_H

#include <stdbool.h>
#include <stddef.h>

/* True when an address in the country code (upper case, "HK") needs no postal code; false for
 * every other code, an unknown one or NULL (the postal code is then required, as before). */
bool country_has_no_postal_code(const char *code);

/* The countries without postal codes, sorted: n_out receives their number. The page gives
 * them to its script, which follows the country select with them. */
const char *const *countries_without_postal_code(size_t *n_out);

/* The form of a country's postal codes: `digits` ASCII digits, one space allowed after the
 * first `space_after` of them where people write one (France's "75 001"; 0: none); an
 * example of the country's; the API's message, which says both. */
struct postal_code_form {
    const char *country;
    int digits;
    int space_after;
    const char *example;
    const char *message;
};

/* The form of the country's codes (upper case, "FR"), or NULL where it is not checked (any
 * code of 1..20 characters, as before): an unknown country, NULL. */
const struct postal_code_form *postal_code_form_of(const char *code);

/* The forms, sorted by country: n_out receives their number. The page writes them on the
 * country select for its script (web/static/claim.js), which checks the same rule. */
const struct postal_code_form *postal_code_forms(size_t *n_out);

/* Whether text, trimmed already, is a code of that form. */
bool postal_code_fits(const struct postal_code_form *f, const char *text);

#endif
