/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The one owner of the Idempotency-Key (docs/api.md §4): the scope and body hashes of a key,
 * the lookup of a stored answer (replay, or 422 reuse of the key with another body), the
 * sealing of an answer, and its storage in the transaction of the request's effect.
 * Answers are sealed under the current data key with the scope hash as associated data (a
 * claim receipt carries the claim token). The SQL is db/idempotency.c's.
 * Two callers: handlers/idempotency.c (idem_around, every POST but the claim intake) with
 * svc_rq_idem_begin/svc_rq_idem_end, and the claim intake, whose handler looks up and keeps its
 * refusals here and whose writer (service/intake.c) stores accepted and duplicate answers
 * in its batch transaction with svc_idem_seal and db_idem_insert_batch. */
#ifndef RECOURS_SERVICE_IDEMPOTENCY_H
#define RECOURS_SERVICE_IDEMPOTENCY_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/outcome.h"
#include "crypto/secrets.h"
#include "db/idempotency.h"

struct arena;

/* A request's key, hashed: present false when the request has none. */
struct idem_key {
    bool present;
    uint8_t scope_hash[IDEM_HASH_LEN];   /* HMAC(purpose "idempotency", scope) */
    uint8_t request_hash[IDEM_HASH_LEN]; /* SHA-256 of the body bytes */
};

/* What the lookup found for a key. */
enum idem_state {
    IDEM_NEW,       /* no live answer: the request runs */
    IDEM_REPLAY,    /* a stored answer to this very body: replay it */
    IDEM_REUSED,    /* a stored answer to another body: 422 idempotency-key-reuse */
    IDEM_IN_USE,    /* a request with the key is in flight: 409 idempotency-key-in-use */
    IDEM_FAILED,    /* the database could not be asked: outcome says why */
};

/* A stored answer, opened (arena memory). */
struct idem_answer {
    int status;
    const char *body;
    const char *location; /* NULL when none */
};

struct idem_lookup {
    enum idem_state state;
    struct idem_answer replay; /* IDEM_REPLAY */
    enum outcome outcome;      /* IDEM_FAILED */
};

/* Hashes a key: scope is "<credential scope>\n<method>\n<path>\n<key>" (docs/api.md §4.3).
 * False when hashing fails. */
bool svc_idem_key(const struct secrets *s, const char *scope, const void *body, size_t len,
                  struct idem_key *out);

/* docs/api.md §4.6: every answer is kept but 5xx and 429 (and a stream, which has no body). */
bool svc_idem_keeps(int status);

/* Entry points for handlers, on the calling thread's connection (service/conn.h); without
 * one, a lookup is IDEM_FAILED with OUTCOME_UNAVAILABLE. */

/* The stored answer of k, if any (no lock): the claim intake's lookup before it validates. */
struct idem_lookup svc_rq_idem_lookup(const struct secrets *s, struct arena *a,
                                      const struct idem_key *k);

/* Fills row with an answer sealed for k. False when sealing fails. */
bool svc_idem_seal(const struct secrets *s, struct arena *a, const struct idem_key *k,
                   int status, const char *body, const char *location, struct idem_row *row);

/* Stores an answer that has no effect of its own (a refusal: 4xx) in a transaction of its
 * own. Best effort for the caller: a failure only loses the replay. */
enum outcome svc_rq_idem_remember(const struct secrets *s, struct arena *a,
                                  const struct idem_key *k, int status, const char *body,
                                  const char *location);

/* The whole Idempotency-Key walk of a POST but the intake, around its handler:
 * svc_rq_idem_begin takes the scope's session lock (IDEM_IN_USE when another session holds it),
 * then looks the answer up; on IDEM_NEW the request is under way: the first write of the
 * handler's service is held open (service/tx.h, tx_hold_begin), and svc_rq_idem_end must
 * follow, on the connection the thread has then, with the handler's answer: kept (svc_idem_keeps),
 * it is stored in that same transaction and both commit; not kept, the effect is rolled back.
 * OUTCOME_OK, or the outcome that replaces the answer (503: nothing, or not surely anything,
 * was committed; the client retries with its key). When the handler wrote nothing (a
 * refusal, a computation) the answer is stored in a transaction of its own, best effort: a
 * failure loses only the replay, and the answer stands (OUTCOME_OK). The lock is released when the session is
 * still the one that took it. On any other state svc_rq_idem_begin released the lock itself. */
struct idem_lookup svc_rq_idem_begin(const struct secrets *s, struct arena *a,
                                     const struct idem_key *k);
enum outcome svc_rq_idem_end(const struct secrets *s, struct arena *a, const struct idem_key *k,
                             int status, const char *body, const char *location);

#endif
