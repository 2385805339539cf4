/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Where a claim's time goes, measured by the server itself (issue 15, "Intake latency under
 * load"; docs/architecture.md §5): one latency histogram per phase of a submission and per
 * statement of a writer's batch, and the batch sizes, rendered into /metrics as
 * recours_intake_phase_seconds{phase=...} and recours_intake_batch_claims. Lock-free
 * (relaxed atomic counters): observing costs a few nanoseconds on the hot path. */
#ifndef RECOURS_SERVICE_INTAKE_METRICS_H
#define RECOURS_SERVICE_INTAKE_METRICS_H

#include <stdint.h>

#include "core/strbuf.h"

enum intake_phase {
    /* per submission */
    INTAKE_PHASE_HANDLER, /* first byte of the request to its queueing: body, parse, checks */
    INTAKE_PHASE_PREPARE, /* of which intake_prepare: hashes and the sealed personal fields */
    INTAKE_PHASE_QUEUE,   /* queued until a writer takes it */
    INTAKE_PHASE_BATCH,   /* taken until its outcome is delivered (its batch's transaction) */
    /* per batch, each statement of one attempt */
    INTAKE_STEP_BEGIN,
    INTAKE_STEP_CLAIMS,     /* the claims and their tallies, one statement */
    INTAKE_STEP_MATCHES,    /* the duplicates found, when a claim did not go in */
    INTAKE_STEP_DUPLICATES, /* the refused submissions stored */
    /* the per-claim writes of intake_hooks.c, each its own (building and sending) */
    INTAKE_STEP_ELIGIBILITY, /* against the controller's list: its lock, then the rows */
    INTAKE_STEP_RISK,        /* the risk flags */
    INTAKE_STEP_MAIL,        /* the confirmation messages queued in the outbox */
    /* the three above only build and send their statements, in one pipeline: its round trip,
     * every answer read (service/intake.c write_per_claim) */
    INTAKE_STEP_HOOKS,
    INTAKE_STEP_ANSWERS,     /* the Idempotency-Key answers */
    INTAKE_STEP_COMMIT,      /* COMMIT: the WAL flush (synchronous_commit on) */
    INTAKE_STEP_DELIVER,     /* after COMMIT, every outcome of the batch handed to its reply */
    INTAKE_PHASE_COUNT,
};

/* Counts one duration of phase p. */
void intake_metrics_observe(enum intake_phase p, int64_t ns);

/* Counts one batch of n submissions taken by a writer. */
void intake_metrics_batch(int n);

/* Appends the histograms in Prometheus text format. */
void intake_metrics_render(struct strbuf *sb);

#endif
