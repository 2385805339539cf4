/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The controller's kit (issue 14): the text of NORMALISATION.md and the test vectors, made
 * with the very functions the intake uses (domain/normalize.c, domain/notice_code.c,
 * crypto/matching_key.c). */
#ifndef RECOURS_CLI_ELIGIBILITY_KIT_H
#define RECOURS_CLI_ELIGIBILITY_KIT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "crypto/matching_key.h"

/* NORMALISATION.md for the incident slug. */
void eligibility_kit_normalisation(FILE *out, const char *slug);

/* test-vectors.csv: "kind,input,country,normalised,hmac_sha256_hex" with a header line;
 * false when a vector does not normalise (a bug) or OpenSSL fails. */
bool eligibility_kit_vectors(FILE *out, const uint8_t key[KEYED_HASH_KEY_LEN]);

#endif
