/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Group commit for claim submissions (the claims issue, "Intake speed"): request threads hand
 * sealed, hashed claims to a queue; a few writer threads each take whatever is waiting,
 * insert it with one statement (ON CONFLICT DO NOTHING finds the duplicates), store refused
 * submissions and Idempotency-Key answers in the same transaction, commit once, then report
 * every job. A job's `done` runs on the writer thread after COMMIT returned: a 201 is only
 * ever sent for a committed claim. */
#ifndef RECOURS_SERVICE_INTAKE_H
#define RECOURS_SERVICE_INTAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/claims_batch.h"

enum intake_result {
    INTAKE_CREATED,      /* committed */
    INTAKE_DUPLICATE,    /* refused as a duplicate; the submission is stored and linked */
    INTAKE_IDEM_IN_USE,  /* another request holds the Idempotency-Key */
    INTAKE_RETRY,        /* reference collision: nothing stored; make a new one, resubmit */
    INTAKE_UNAVAILABLE,  /* database unreachable or outcome unknown: 503 */
    INTAKE_INTERNAL,     /* unexpected database error */
};

struct intake_job {
    struct claim_row row;
    bool has_idem;
    struct idem_row idem;                /* its answer sealed for the 201 case */
    const uint8_t *idem_dup_response;    /* the sealed 409 answer, stored if a duplicate */
    size_t idem_dup_response_len;
    const uint8_t *submission;           /* the whole submission sealed, for claim_duplicates */
    size_t submission_len;
    enum intake_result result;           /* out */
    void (*done)(struct intake_job *job);
    void *ctx;
    struct intake_job *next;             /* queue link, the writer's */
};

/* Starts n_writers writer threads (each with its own database connection). */
bool intake_start(int n_writers);

/* Queues a job; never blocks on the database. The job must stay valid until done runs.
 * False (job not queued, done never runs) once intake_stop drained the queue and the
 * writers left: the caller answers 503 at once. Until then a job is always taken, even
 * while the writers drain. */
bool intake_submit(struct intake_job *job);

/* Drains the queue, stops and joins the writers. Call after the HTTP server stopped. */
void intake_stop(void);

/* Largest number of claims one transaction takes. */
#define INTAKE_BATCH_MAX 256

#endif
