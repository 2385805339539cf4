/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Idempotency-Key on POST (docs/api.md §4): scope = credential + method + path + key, kept 24 h;
 * same key and byte-identical body → the stored answer replayed with
 * `Idempotency-Replayed: true`; another body → 422 idempotency-key-reuse. Answers are stored
 * sealed (a claim receipt carries the token), in the transaction of the write itself. */
#ifndef RECOURS_HANDLERS_IDEMPOTENCY_H
#define RECOURS_HANDLERS_IDEMPOTENCY_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/claims_batch.h"
#include "http/reply.h"
#include "http/request.h"
#include "http/router.h"

struct idem_request {
    bool present;
    uint8_t scope_hash[32];
    uint8_t request_hash[32];
};

/* Reads the header; false with *deny = 400 invalid-parameter when it is malformed.
 * credential_scope names the caller ("public" without a credential). */
bool idem_read(struct request *rq, const char *credential_scope, struct idem_request *out,
               struct reply *deny);

/* True when a stored answer settles the request (*out: replay or 422); false to go on.
 * A database failure settles it too (503). */
bool idem_settle(struct request *rq, PGconn *c, const struct idem_request *ir,
                 struct reply *out);

/* Fills row with the answer to store: status, body sealed with the scope as associated data,
 * Location. False when sealing fails. */
bool idem_prepare(struct request *rq, const struct idem_request *ir, int status,
                  const char *body, const char *location, struct idem_row *row);

/* Runs the handler h of a POST with docs/api.md §4's Idempotency-Key, for every POST route but the
 * claim intake (which keeps its answer in the claim's own transaction, handlers/claims_submit.c).
 * Without the header: h alone. With it, scoped to the Authorization value ("public" without):
 * a stored answer is replayed or the reuse refused (422); a request with the same scope in
 * flight answers 409 idempotency-key-in-use (a session advisory lock held while h runs);
 * otherwise h runs and its answer is stored unless 5xx or 429. The answer is stored just after
 * h committed: a crash in between loses the replay, not the write (docs/decisions.md). */
struct reply idem_around(struct request *rq, route_handler h);

#endif
