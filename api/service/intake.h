/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Group commit for claim submissions (docs/architecture.md §5): a request thread hands a
 * sealed submission to the intake queue; a few writer threads each take whatever is waiting,
 * write it in one transaction (the claims in one statement, ON CONFLICT DO NOTHING finding
 * the duplicates; the refused submissions; the per-claim writes of intake_hooks; the
 * Idempotency-Key answers, sealed once the outcome is known), commit once, then deliver ONE
 * outcome per submission to its `done` callback. `done` runs on the writer thread after
 * COMMIT returned: it only replies, it never calls back into this service. Retries (a
 * reference collision, a serialization failure, one bad row in a batch) live here. */
#ifndef RECOURS_SERVICE_INTAKE_H
#define RECOURS_SERVICE_INTAKE_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/matching_key.h"
#include "crypto/secrets.h"
#include "db/claims_batch.h"
#include "db/idempotency.h"
#include "domain/claim.h"
#include "domain/risk.h"
#include "service/claims_seal.h" /* CLAIM_TOKEN_LEN */
#include "service/idempotency.h"

struct arena;

enum intake_outcome {
    INTAKE_ACCEPTED,    /* committed: receipt (and location) set */
    INTAKE_DUPLICATE,   /* refused as a duplicate; the submission is stored and linked */
    INTAKE_IDEM_IN_USE, /* another request with the same Idempotency-Key came first */
    INTAKE_UNAVAILABLE, /* database unreachable or outcome unknown: 503 */
    INTAKE_INTERNAL,    /* unexpected error (database or crypto): 500 */
};

/* What a submission is made of, validated by the handler (the claim, its incident, the
 * mandate it gives) and the texts the service cannot make itself. */
struct intake_input {
    const struct claim_input *claim;
    int64_t incident_id;
    const char *incident_slug;
    const char *pii_json;  /* the personal fields as one JSON document (handlers/claim_json.c) */
    const char *body_json; /* the whole submission, stored sealed if refused as a duplicate */
    /* the mandate given with the form (docs/api.md §9.2): NULL id when none */
    const char *mandate_action_id;
    const char *mandate_association_id;
    const char *mandate_text_version;
    struct idem_key key;
    /* the 409 duplicate-claim document, stored for the key if refused (a constant text: the
     * HTTP layer owns problem documents) */
    const char *duplicate_answer;
    const char *client_ip; /* the address the server believes (http/client_ip.h), for risk flags */
};

/* One submission, sealed, from intake_prepare to its done. Lives in the request's arena; the
 * writer thread uses that arena only while the request thread waits (suspended). */
struct intake_submission {
    /* in, set by intake_prepare */
    const struct secrets *secrets;
    struct arena *arena;
    struct claim_row row;
    const char *pii_json;
    const char *body_json;
    const char *incident_slug;
    const char *action_id;
    struct idem_key key;
    const char *duplicate_answer;
    char token[CLAIM_TOKEN_LEN + 1];
    char created_at[40];
    struct matching_macs eligibility; /* the claim's hashes for the controller's list */
    struct risk_signals risk;         /* its risk signals, hashed (service/risk.h) */
    /* out, set before done runs */
    enum intake_outcome outcome;
    const char *receipt;  /* INTAKE_ACCEPTED: the receipt document (JSON) */
    const char *location; /* INTAKE_ACCEPTED: /v1/claims/<reference> */
    /* the completion callback: runs once, on a writer thread, after COMMIT; only replies */
    void (*done)(struct intake_submission *s);
    void *ctx;
    /* the writer's own */
    int64_t duplicate_of;                 /* the active claim it duplicates */
    const uint8_t *sealed_submission;     /* sealed once refused as a duplicate */
    size_t sealed_submission_len;
    int sealed_submission_key;
    struct idem_row answer;               /* sealed for answer_for (-1: none yet) */
    int answer_for;
    bool retry;                           /* its reference collided: draw another, again */
    bool key_taken;                       /* its key turned out taken: settled IDEM_IN_USE */
    struct intake_submission *next;       /* queue link */
    int64_t queued_ns;                    /* clock_monotonic_ns when queued, and taken */
    int64_t taken_ns;
};

/* Seals and hashes a validated submission into s (dedup keys, reference, token, sealed
 * personal fields); s->done and s->ctx are the caller's to set. False when the CSPRNG or
 * OpenSSL fails. */
bool intake_prepare(const struct secrets *sec, struct arena *a, const struct intake_input *in,
                    struct intake_submission *s);

/* Starts n_writers writer threads (each with its own database connection). */
bool intake_start(int n_writers);

/* Queues a submission; never blocks on the database. s must stay valid until done runs.
 * False (not queued, done never runs) once intake_stop drained the queue and the writers
 * left: the caller answers 503 at once. Until then a submission is always taken, even while
 * the writers drain. */
bool intake_submit(struct intake_submission *s);

/* Drains the queue, stops and joins the writers. Call after the HTTP server stopped. */
void intake_stop(void);

/* Largest number of claims one transaction takes. */
#define INTAKE_BATCH_MAX 256

#endif
