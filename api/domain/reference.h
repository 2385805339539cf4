/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Public claim references "RC-XXXX-XXXX" (docs/api.md §8.5): 7 random Crockford base32
 * symbols and a Luhn mod 32 check symbol, so a mistyped reference is refused before any lookup.
 * Invariants: the canonical form is upper case, 12 characters; the alphabet has no I, L, O
 * or U; every canonical reference carries a valid check symbol. */
#ifndef RECOURS_DOMAIN_REFERENCE_H
#define RECOURS_DOMAIN_REFERENCE_H

#include <stdbool.h>

#define REFERENCE_LEN 12 /* "RC-7K3M-Q9XJ" */

/* A fresh reference from the CSPRNG into out (35 random bits: uniqueness is the database's
 * unique constraint, the caller draws again on a conflict). False only if the CSPRNG fails. */
bool reference_generate(char out[REFERENCE_LEN + 1]);

/* Checks in is a reference, in upper or lower case, with a valid check symbol, and writes its
 * canonical upper-case form to out. No other leniency: Crockford's substitutions (O for 0,
 * I or L for 1), missing dashes or surrounding spaces are refused. out is "" on failure. */
bool reference_parse(const char *in, char out[REFERENCE_LEN + 1]);

/* The Luhn mod 32 check value (0-31) of n symbol values (each 0-31), for tests and tools. */
int reference_check_value(const int *values, int n);

/* The value of a Crockford symbol, upper case only, or -1 ('I', 'L', 'O', 'U' are -1). */
int reference_symbol_value(char c);

#endif
