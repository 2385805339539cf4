/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The notice code a controller printed in its letters (issue 14, the controller's list): the
 * one normal form the claim's code and the controller's list are hashed in
 * (docs/eligibility-kit.md, written into the kit's NORMALISATION.md). */
#ifndef RECOURS_DOMAIN_NOTICE_CODE_H
#define RECOURS_DOMAIN_NOTICE_CODE_H

#include <stdbool.h>

#define NOTICE_CODE_MIN 4
#define NOTICE_CODE_MAX 32

/* ASCII spaces and hyphens removed, ASCII letters upper-cased; the rest must be 4 to 32
 * letters A-Z or digits. "ab12-cd 34" gives "AB12CD34". False (out[0] = NUL) otherwise. */
bool normalize_notice_code(const char *in, char out[NOTICE_CODE_MAX + 1]);

#endif
