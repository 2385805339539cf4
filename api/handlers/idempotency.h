/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Idempotency-Key on POST, the HTTP side (docs/api.md §4): reading the header, replaying a
 * stored answer, and idem_around for every POST route but the claim intake. What a key means
 * (scope, lookup, storage in the effect's transaction) is service/idempotency.h's. */
#ifndef RECOURS_HANDLERS_IDEMPOTENCY_H
#define RECOURS_HANDLERS_IDEMPOTENCY_H

#include <stdbool.h>

#include "http/reply.h"
#include "http/request.h"
#include "http/router.h"
#include "service/idempotency.h"

/* Reads the header and hashes it with the body; out->present false without one. False with
 * *deny = 400 invalid-parameter when it is malformed (500 when hashing fails).
 * credential_scope names the caller ("public" without a credential). */
bool idem_read(struct request *rq, const char *credential_scope, struct idem_key *out,
               struct reply *deny);

/* The reply of a lookup that settles the request: the replay (`Idempotency-Replayed: true`),
 * 422 idempotency-key-reuse, 409 idempotency-key-in-use or the failure. l->state != IDEM_NEW. */
struct reply idem_settled_reply(const struct idem_lookup *l);

/* The Location header of r, or NULL. */
const char *idem_location(const struct reply *r);

/* Runs the handler h of a POST with docs/api.md §4's Idempotency-Key, for every POST route but
 * the claim intake (whose writer keeps its answer in the claim's own transaction,
 * service/intake.c). Without the header: h alone. With it, scoped to the Authorization value
 * ("public" without): a request with the same scope in flight answers 409
 * idempotency-key-in-use; a stored answer is replayed or the reuse refused (422); otherwise h
 * runs and its answer, unless 5xx or 429, is stored in the transaction of h's write, which
 * commits only then (svc_idem_begin/svc_idem_end). A 5xx rolls h's write back; a commit that
 * fails replaces h's answer with 503. */
struct reply idem_around(struct request *rq, route_handler h);

#endif
