/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The intake writers. Invariants: a submission's outcome is set only after its
 * transaction's COMMIT answered (or failed), done runs exactly once per submit, a failure of
 * one batch never reports success for any of its submissions, and an Idempotency-Key answer
 * is sealed and inserted once its outcome is known, in the transaction that makes it true. */
#include "service/intake.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "db/errors.h"
#include "db/pipeline.h"
#include "db/pool.h"
#include "service/intake_answers.h"
#include "service/intake_hooks.h"
#include "service/intake_metrics.h"
#include "service/tx.h"

#define MAX_WRITERS 16
#define MAX_ATTEMPTS 3
/* a reference collides once in billions of draws: three draws in a row is a broken CSPRNG */
#define MAX_REFERENCE_DRAWS 3
/* attempt()'s code for "some Idempotency-Keys turned out taken: run the batch again without
 * them" (below every DB_* status) */
#define ATTEMPT_REDO (-50)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static struct intake_submission *head;
static struct intake_submission *tail;
static bool stopping;
static pthread_t writers[MAX_WRITERS];
static int n_started;
/* writers not yet returned from take_batch for good: once it is 0 while stopping, nobody
 * will ever take a queued submission, so intake_submit refuses (decisions.md, "Hardening:
 * HTTP") */
static int n_alive;
/* this writer's shard of the summary tallies: writers never update the same tally row */
static _Thread_local int writer_shard;
/* The claims' statements of a batch (BEGIN, the claims and their tallies, the matches, the
 * duplicates) run in at most stage_max writers at a time; the others are running their hooks,
 * waiting for their COMMIT's WAL flush, connecting, or idle (issue 15, docs/decisions.md
 * "Intake p99", "The hooks outside the writers' place"). A writer takes a batch only while a
 * place is free, so the claims that arrive while the claims' statements of other batches run
 * join the next batch instead of waiting behind a flush or a hook, and the flushes of several
 * batches overlap. It holds the place from BEGIN to the duplicates: never while it
 * (re)connects, so a writer making a new connection (seconds, statements prepared) does not
 * hold up the others, and not for the hooks and the answers, which write rows of their own
 * (eligibility, risk, outbox, Idempotency-Key answers) that the next batch's claims statement
 * does not touch. */
static int stage_max = 1;
static int stage_busy;
static _Thread_local bool stage_held;

/* ---- the queue ---- */

bool
intake_submit(struct intake_submission *s)
{
    s->next = NULL;
    s->queued_ns = clock_monotonic_ns();
    pthread_mutex_lock(&lock);
    if (n_alive == 0) {
        /* the writers drained and left (or never started): queued, the submission would
         * wait for ever and its connection stay suspended */
        pthread_mutex_unlock(&lock);
        return false;
    }
    if (tail != NULL)
        tail->next = s;
    else
        head = s;
    tail = s;
    /* the writers waiting are few (at most --intake-writers): wake them all, so the one that
     * may take it (a place among the statements free) is not passed over; with no place free,
     * stage_leave wakes them */
    if (stage_busy < stage_max)
        pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&lock);
    return true;
}

/* Takes up to INTAKE_BATCH_MAX waiting submissions; 0 when stopping with nothing left. */
static int
take_batch(struct intake_submission **jobs)
{
    int n = 0;

    pthread_mutex_lock(&lock);
    while ((head == NULL || stage_busy >= stage_max) && !(stopping && head == NULL))
        pthread_cond_wait(&wake, &lock);
    while (head != NULL && n < INTAKE_BATCH_MAX) {
        jobs[n++] = head;
        head = head->next;
    }
    if (head == NULL)
        tail = NULL;
    if (n == 0)
        n_alive--; /* in the same critical section that saw the queue empty while stopping */
    pthread_mutex_unlock(&lock);
    int64_t now = clock_monotonic_ns();
    for (int i = 0; i < n; i++) {
        jobs[i]->taken_ns = now;
        intake_metrics_observe(INTAKE_PHASE_QUEUE, now - jobs[i]->queued_ns);
    }
    if (n > 0)
        intake_metrics_batch(n);
    return n;
}

/* A place among the writers running statements (the one take_batch saw free, unless another
 * writer came first). */
static void
stage_enter(void)
{
    if (stage_held)
        return;
    pthread_mutex_lock(&lock);
    while (stage_busy >= stage_max)
        pthread_cond_wait(&wake, &lock);
    stage_busy++;
    stage_held = true;
    pthread_mutex_unlock(&lock);
}

/* Leaves the place, before COMMIT or after a failed attempt: another writer may take the
 * claims queued meanwhile. */
static void
stage_leave(void)
{
    if (!stage_held)
        return;
    pthread_mutex_lock(&lock);
    stage_busy--;
    stage_held = false;
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&lock);
}

/* ---- one attempt at a batch, in one transaction ---- */

/* Counts the time since *since under step p and restarts the clock; returns rc. */
static int
step_done(enum intake_phase p, int64_t *since, int rc)
{
    int64_t now = clock_monotonic_ns();

    intake_metrics_observe(p, now - *since);
    *since = now;
    return rc;
}

/* A submission still to be written in this attempt. */
static bool
to_write(const struct intake_submission *s)
{
    return s->outcome == INTAKE_ACCEPTED && !s->retry;
}

/* Every submission starts as to be written, but for a key found taken earlier; two of one
 * batch with the same reference or Idempotency-Key cannot both go in: the later one is
 * settled before the database sees it. */
static void
settle_batch(struct intake_submission **jobs, int n)
{
    for (int i = 0; i < n; i++) {
        jobs[i]->outcome = jobs[i]->key_taken ? INTAKE_IDEM_IN_USE : INTAKE_ACCEPTED;
        jobs[i]->retry = false;
        jobs[i]->duplicate_of = 0;
    }
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < i && to_write(jobs[i]); j++) {
            if (!to_write(jobs[j]))
                continue;
            if (strcmp(jobs[i]->row.reference, jobs[j]->row.reference) == 0)
                jobs[i]->retry = true;
            else if (jobs[i]->key.present && jobs[j]->key.present &&
                     memcmp(jobs[i]->key.scope_hash, jobs[j]->key.scope_hash,
                            IDEM_HASH_LEN) == 0)
                jobs[i]->outcome = INTAKE_IDEM_IN_USE;
        }
    }
}

/* Claims that did not go in: a match with an active claim makes a duplicate; no match means
 * the reference collided (drawn again after this batch). */
static int
resolve_missing(PGconn *c, struct intake_submission **jobs, struct claim_row *rows,
                const int *row_job, int n)
{
    int idx[INTAKE_BATCH_MAX];
    int64_t match[INTAKE_BATCH_MAX];
    int m = 0;

    for (int r = 0; r < n; r++)
        if (!rows[r].inserted)
            idx[m++] = r;
    if (m == 0)
        return 0;
    int64_t t = clock_monotonic_ns();
    int rc = step_done(INTAKE_STEP_MATCHES, &t, db_claims_find_matches(c, rows, idx, m, match));
    if (rc < 0)
        return rc;
    for (int k = 0; k < m; k++) {
        struct intake_submission *s = jobs[row_job[idx[k]]];
        if (match[k] == 0) {
            s->retry = true;
        } else {
            s->outcome = INTAKE_DUPLICATE;
            s->duplicate_of = match[k];
        }
    }
    return 0;
}

/* Every claim to write, in one statement; the ones left out resolved. */
static int
write_claims(PGconn *c, struct intake_submission **jobs, int n)
{
    static _Thread_local struct claim_row rows[INTAKE_BATCH_MAX];
    int row_job[INTAKE_BATCH_MAX];
    int m = 0;

    for (int i = 0; i < n; i++) {
        if (!to_write(jobs[i]))
            continue;
        rows[m] = jobs[i]->row;
        row_job[m++] = i;
    }
    if (m == 0)
        return 0;
    int64_t t = clock_monotonic_ns();
    int rc = step_done(INTAKE_STEP_CLAIMS, &t,
                       db_claims_insert_batch(c, writer_shard, rows, m)); /* a count, or DB_* */
    if (rc < 0)
        return rc;
    for (int r = 0; r < m; r++) {
        jobs[row_job[r]]->row.inserted = rows[r].inserted;
        jobs[row_job[r]]->row.id = rows[r].id;
    }
    return resolve_missing(c, jobs, rows, row_job, m);
}

/* The refused submissions, each sealed (once) under its reference, in one statement
 * (docs/product.md: a duplicate is kept for the association to review). */
static int
write_duplicates(PGconn *c, struct intake_submission **jobs, int n)
{
    static _Thread_local struct duplicate_row dups[INTAKE_BATCH_MAX];
    int m = 0;

    for (int i = 0; i < n; i++) {
        struct intake_submission *s = jobs[i];
        if (s->outcome != INTAKE_DUPLICATE)
            continue;
        if (s->sealed_submission == NULL) {
            const char *ref = s->row.reference;
            s->sealed_submission = claims_seal(
                s->secrets, s->arena, ref, strlen(ref), s->body_json, strlen(s->body_json),
                &s->sealed_submission_len, &s->sealed_submission_key);
            if (s->sealed_submission == NULL)
                return DB_HARD; /* OpenSSL failed: this submission alone, run singly */
        }
        dups[m++] = (struct duplicate_row){
            .incident_id = s->row.incident_id, .claim_id = s->duplicate_of,
            .data_key_id = s->sealed_submission_key, .aad = s->row.reference,
            .pii = s->sealed_submission, .pii_len = s->sealed_submission_len};
    }
    int rc = m > 0 ? db_claims_insert_duplicates(c, writer_shard, dups, m) : 0;
    return rc < 0 ? rc : 0;
}

/* The per-claim writes of intake_hooks.c, for the accepted claims of the batch, in one
 * pipeline (db/pipeline.h): their statements need no answer but success, so they go in one
 * round trip instead of one each (the eligibility lock, its rows, the risk rows, the outbox:
 * four), after the batch left its writer's place. A failure is the first statement's, as if
 * each had run alone. */
static int
write_per_claim(PGconn *c, struct intake_submission **jobs, int n)
{
    struct intake_submission *accepted[INTAKE_BATCH_MAX];
    int m = 0;

    for (int i = 0; i < n; i++)
        if (to_write(jobs[i]))
            accepted[m++] = jobs[i];
    if (m == 0)
        return 0;
    int rc = db_pipeline_begin(c);
    if (rc != 0)
        return rc;
    rc = intake_hooks_run(c, writer_shard, accepted, m); /* each hook timed by it */
    int64_t t = clock_monotonic_ns();
    int answers = db_pipeline_end(c);
    intake_metrics_observe(INTAKE_STEP_HOOKS, clock_monotonic_ns() - t);
    return rc != 0 ? rc : answers;
}

/* The Idempotency-Key answers of the accepted and refused submissions, in one statement. A
 * key another transaction committed first (the live record is there) turns its submission
 * into IDEM_IN_USE, and the batch runs again without it: ATTEMPT_REDO. */
static int
write_answers(PGconn *c, struct intake_submission **jobs, int n)
{
    static _Thread_local struct idem_row rows[INTAKE_BATCH_MAX];
    int row_job[INTAKE_BATCH_MAX];
    int m = 0;

    for (int i = 0; i < n; i++) {
        struct intake_submission *s = jobs[i];
        if (!s->key.present || s->retry ||
            (s->outcome != INTAKE_ACCEPTED && s->outcome != INTAKE_DUPLICATE))
            continue;
        if (!intake_seal_answer(s))
            return DB_HARD; /* OpenSSL or jansson failed: this submission alone, run singly */
        rows[m] = s->answer;
        row_job[m++] = i;
    }
    if (m == 0)
        return 0;
    int rc = db_idem_insert_batch(c, rows, m); /* a count, or DB_* */
    if (rc < 0 || rc == m)
        return rc < 0 ? rc : 0;
    for (int r = 0; r < m; r++)
        if (!rows[r].inserted)
            jobs[row_job[r]]->key_taken = true;
    return ATTEMPT_REDO;
}

/* One attempt at the whole batch in one transaction; 0, ATTEMPT_REDO or DB_*. A connection
 * that died while idle (cut after the last batch's COMMIT answered, a server restart) fails
 * at BEGIN, before anything of this batch left: replaced once, the attempt goes on with the
 * new one rather than answer 503 for claims whose outcome is known (nothing written). *c is
 * the connection in use afterwards, NULL when none could be made (DB_UNAVAILABLE). */
static int
attempt(PGconn **c, struct intake_submission **jobs, int n)
{
    settle_batch(jobs, n);
    stage_enter();
    int64_t t = clock_monotonic_ns();
    int rc = tx_begin(*c, TX_READ_WRITE);
    /* a connection left in pipeline mode (an earlier pipeline's answers could not all be
     * read) is as unusable as a closed one */
    if (rc == DB_UNAVAILABLE && (PQstatus(*c) != CONNECTION_OK || db_pipeline_on(*c))) {
        log_warn("intake: the database connection was found closed; connecting again");
        stage_leave(); /* connecting takes no place */
        *c = db_pool_replace_dead(*c);
        if (*c == NULL)
            return DB_UNAVAILABLE;
        stage_enter();
        rc = tx_begin(*c, TX_READ_WRITE);
    }
    if (step_done(INTAKE_STEP_BEGIN, &t, rc) != 0) {
        stage_leave();
        return rc;
    }
    rc = write_claims(*c, jobs, n); /* times its own two statements */
    t = clock_monotonic_ns();
    if (rc == 0)
        rc = step_done(INTAKE_STEP_DUPLICATES, &t, write_duplicates(*c, jobs, n));
    stage_leave(); /* the next batch's claims may go in while this one's hooks run */
    if (rc == 0)
        rc = write_per_claim(*c, jobs, n); /* each hook and their answers timed */
    t = clock_monotonic_ns();
    if (rc == 0)
        rc = step_done(INTAKE_STEP_ANSWERS, &t, write_answers(*c, jobs, n));
    if (rc == 0)
        rc = step_done(INTAKE_STEP_COMMIT, &t, tx_commit(*c));
    if (rc != 0)
        tx_rollback(*c);
    return rc;
}

/* ---- a batch: attempts, splitting, new references ---- */

static void
fail_all(struct intake_submission **jobs, int n, enum intake_outcome outcome)
{
    for (int i = 0; i < n; i++) {
        jobs[i]->outcome = outcome;
        jobs[i]->retry = false;
    }
}

static void run_batch(struct intake_submission **jobs, int n);

/* A hard error in a batch may come from one row: each submission is run alone, so that one
 * bad row never fails the claims that came with it. */
static void
run_singly(struct intake_submission **jobs, int n)
{
    for (int i = 0; i < n; i++)
        run_batch(&jobs[i], 1);
}

static void
run_batch(struct intake_submission **jobs, int n)
{
    PGconn *c = db_pool_acquire();
    int rc = DB_UNAVAILABLE;

    if (c == NULL) {
        fail_all(jobs, n, INTAKE_UNAVAILABLE);
        return;
    }
    /* a redo settles at least one more key each time: at most n of them */
    for (int tries = 0, redos = 0; tries < MAX_ATTEMPTS && redos <= n;) {
        rc = attempt(&c, jobs, n);
        if (rc == ATTEMPT_REDO) {
            redos++;
            continue;
        }
        if (rc != DB_RETRY)
            break;
        tries++;
    }
    if (rc == 0)
        return;
    if (c == NULL) {
        fail_all(jobs, n, INTAKE_UNAVAILABLE);
        return;
    }
    if (rc == DB_HARD && n > 1 && PQstatus(c) == CONNECTION_OK) {
        run_singly(jobs, n);
        return;
    }
    log_error("intake batch of %d failed with status %d", n, rc);
    db_pool_check(c);
    /* a connection lost around COMMIT leaves the outcome unknown: 503, never 201
     * (docs/api.md §3.1); retries exhausted on deadlocks or serialization failures: the
     * client may retry too */
    fail_all(jobs, n, rc == DB_UNAVAILABLE || rc == DB_RETRY || PQstatus(c) != CONNECTION_OK
                          ? INTAKE_UNAVAILABLE : INTAKE_INTERNAL);
}

/* A submission whose reference collided (nothing of it was written) gets a new reference,
 * its personal fields sealed again under it; what was sealed under the old one is dropped. */
static bool
redraw(struct intake_submission *s)
{
    s->sealed_submission = NULL;
    s->answer_for = -1;
    s->receipt = NULL;
    s->location = NULL;
    return claims_reseal_reference(s->secrets, s->arena, s->pii_json, &s->row);
}

/* The batch, then its collided references drawn again and written, until none is left. */
static void
run_with_redraws(struct intake_submission **jobs, int n)
{
    struct intake_submission *again[INTAKE_BATCH_MAX];

    run_batch(jobs, n);
    for (int draw = 0;; draw++) {
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (!jobs[i]->retry)
                continue;
            jobs[i]->retry = false;
            if (draw < MAX_REFERENCE_DRAWS && redraw(jobs[i]))
                again[m++] = jobs[i];
            else
                jobs[i]->outcome = INTAKE_INTERNAL;
        }
        if (m == 0)
            return;
        run_batch(again, m);
    }
}

static void *
writer_main(void *arg)
{
    struct intake_submission *jobs[INTAKE_BATCH_MAX];

    writer_shard = (int)(intptr_t)arg;
    for (;;) {
        int n = take_batch(jobs);
        if (n == 0)
            break;
        run_with_redraws(jobs, n);
        int64_t committed = clock_monotonic_ns();
        for (int i = 0; i < n; i++) {
            /* made on the request thread already (intake_prepare), unless redrawn */
            if (jobs[i]->outcome == INTAKE_ACCEPTED && !intake_make_receipt(jobs[i]))
                log_error("intake: could not write a receipt"); /* done answers 500 */
            intake_metrics_observe(INTAKE_PHASE_BATCH, clock_monotonic_ns() - jobs[i]->taken_ns);
            jobs[i]->done(jobs[i]); /* replies; never re-enters the intake */
        }
        intake_metrics_observe(INTAKE_STEP_DELIVER, clock_monotonic_ns() - committed);
        db_pool_after_request();
    }
    db_pool_close_thread();
    return NULL;
}

bool
intake_start(int n_writers)
{
    if (n_writers < 1 || n_writers > MAX_WRITERS)
        n_writers = n_writers < 1 ? 1 : MAX_WRITERS;
    stage_max = (n_writers + 1) / 2;
    stage_busy = 0;
    stopping = false;
    for (n_started = 0; n_started < n_writers; n_started++) {
        pthread_mutex_lock(&lock);
        n_alive++;
        pthread_mutex_unlock(&lock);
        if (pthread_create(&writers[n_started], NULL, writer_main,
                           (void *)(intptr_t)n_started) != 0) {
            log_error("could not start intake writer %d", n_started);
            pthread_mutex_lock(&lock);
            n_alive--;
            pthread_mutex_unlock(&lock);
            intake_stop();
            return false;
        }
    }
    return true;
}

void
intake_stop(void)
{
    pthread_mutex_lock(&lock);
    stopping = true;
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < n_started; i++)
        pthread_join(writers[i], NULL);
    n_started = 0;
}
