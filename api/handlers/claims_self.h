/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Shared by the claimant's read, correction and withdrawal handlers. */
#ifndef RECOURS_HANDLERS_CLAIMS_SELF_H
#define RECOURS_HANDLERS_CLAIMS_SELF_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/claim.h"
#include "http/request.h"
#include "service/claims.h"

/* A claim as its claimant reaches it: the record and its sealed part opened. */
struct claim_self {
    struct claim_record rec;
    struct claimant who;
    const char *description;
};

/* Authenticates the claim token (401 for a missing or non-token credential, 404 for a wrong
 * token or unknown reference) and opens the sealed part into c->who and c->description. */
bool claims_self_load(struct request *rq, struct claim_self *c, struct reply *deny);

/* The claim view of docs/api.md §9.5. */
json_t *claims_self_view(const struct claim_record *rec, const struct claimant *who,
                         const char *description);

/* The six harms of a claim: five of its facts and its description. */
json_t *claim_harms_json(const struct claim_facts *f, const char *description);

#endif
