/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The review vocabularies of the association's workspace (docs/workspace.md): the decisions a
 * reviewer takes on a member and the short list of reasons a rejection or a removal gives. */
#ifndef RECOURS_DOMAIN_REVIEW_H
#define RECOURS_DOMAIN_REVIEW_H

#include <stdbool.h>

/* NULL-terminated. */
extern const char *const review_decisions[];  /* verified, rejected */
extern const char *const reject_reasons[];    /* not_affected, incomplete, duplicate,
                                                 outside_period, other */
extern const char *const removal_reasons[];   /* the same and claimant_request */

/* Whether a member of status `from` moves on decision `to`: received to either, verified and
 * rejected to the other; anything else (the same status, withdrawn) does not. */
bool review_moves(const char *from, const char *to);

#endif
