/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Which countries have no postal code system, so that an address there is complete without
 * one (docs/decisions.md, "Postal code optional where a country has none").
 * Invariant: the list is sorted, upper-case ISO 3166-1 alpha-2 codes, each assigned. */
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

#endif
