/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The intake writers. Invariants: a job's result is set only after its transaction's COMMIT
 * answered (or failed), done runs exactly once per submit, and a failure of one batch never
 * reports success for any of its jobs. */
#include "service/intake.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "core/log.h"
#include "db/errors.h"
#include "db/outbox.h"
#include "db/pool.h"
#include "service/tx.h"

#define MAX_WRITERS 16
#define MAX_ATTEMPTS 3

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static struct intake_job *head;
static struct intake_job *tail;
static bool stopping;
static pthread_t writers[MAX_WRITERS];
static int n_started;
/* writers not yet returned from take_batch for good: once it is 0 while stopping, nobody
 * will ever take a queued job, so intake_submit refuses (decisions.md, "Hardening: HTTP") */
static int n_alive;
/* this writer's shard of the summary tallies: writers never update the same tally row */
static _Thread_local int writer_shard;

bool
intake_submit(struct intake_job *job)
{
    job->next = NULL;
    pthread_mutex_lock(&lock);
    if (n_alive == 0) {
        /* the writers drained and left (or never started): queued, the job would wait for
         * ever and its connection stay suspended */
        pthread_mutex_unlock(&lock);
        return false;
    }
    if (tail != NULL)
        tail->next = job;
    else
        head = job;
    tail = job;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
    return true;
}

/* Takes up to INTAKE_BATCH_MAX waiting jobs; 0 when stopping with nothing left. */
static int
take_batch(struct intake_job **jobs)
{
    int n = 0;

    pthread_mutex_lock(&lock);
    while (head == NULL && !stopping)
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
    return n;
}

/* Two jobs of one batch with the same reference or Idempotency-Key cannot both go in: the
 * later one is settled before the database sees it. */
static void
settle_batch_collisions(struct intake_job **jobs, int n)
{
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < i && jobs[i]->result == INTAKE_CREATED; j++) {
            if (jobs[j]->result != INTAKE_CREATED)
                continue;
            if (strcmp(jobs[i]->row.reference, jobs[j]->row.reference) == 0)
                jobs[i]->result = INTAKE_RETRY;
            else if (jobs[i]->has_idem && jobs[j]->has_idem &&
                     memcmp(jobs[i]->idem.scope_hash, jobs[j]->idem.scope_hash, KEY_LEN) == 0)
                jobs[i]->result = INTAKE_IDEM_IN_USE;
        }
    }
}

static int
write_idempotency(PGconn *c, struct intake_job **jobs, int n, struct idem_row *idems)
{
    int m = 0;

    for (int i = 0; i < n; i++)
        if (jobs[i]->has_idem && jobs[i]->result == INTAKE_CREATED)
            idems[m++] = jobs[i]->idem;
    if (m == 0)
        return 0;
    int rc = db_idem_insert_batch(c, idems, m); /* a count, or DB_* */
    if (rc < 0)
        return rc;
    for (int i = 0, k = 0; i < n; i++) {
        if (!jobs[i]->has_idem || jobs[i]->result != INTAKE_CREATED)
            continue;
        if (!idems[k++].inserted)
            jobs[i]->result = INTAKE_IDEM_IN_USE;
    }
    return 0;
}

/* Claims that did not go in: a match with an active claim makes a duplicate (stored, with
 * its Idempotency-Key answer turned into the 409); no match means the reference collided. */
static int
resolve_missing(PGconn *c, struct intake_job **jobs, int n, struct claim_row *rows,
                const int *row_job)
{
    int idx[INTAKE_BATCH_MAX];
    int64_t match[INTAKE_BATCH_MAX];
    struct duplicate_row dups[INTAKE_BATCH_MAX];
    int m = 0;
    int n_dups = 0;
    int rc;

    for (int r = 0; r < n; r++)
        if (!rows[r].inserted)
            idx[m++] = r;
    if (m == 0)
        return 0;
    rc = db_claims_find_matches(c, rows, idx, m, match);
    if (rc < 0)
        return rc;
    for (int k = 0; k < m; k++) {
        struct intake_job *job = jobs[row_job[idx[k]]];
        if (match[k] == 0) {
            job->result = INTAKE_RETRY;
            rc = job->has_idem ? db_idem_delete(c, job->idem.scope_hash) : 0;
        } else {
            job->result = INTAKE_DUPLICATE;
            dups[n_dups++] = (struct duplicate_row){
                .incident_id = job->row.incident_id, .claim_id = match[k],
                .data_key_id = job->row.data_key_id, .aad = job->row.reference,
                .pii = job->submission, .pii_len = job->submission_len};
            if (job->has_idem) {
                struct idem_row answer = job->idem;
                answer.status = 409;
                answer.response = job->idem_dup_response;
                answer.response_len = job->idem_dup_response_len;
                answer.location = NULL;
                rc = db_idem_set_answer(c, &answer);
            }
        }
        if (rc < 0)
            return rc;
    }
    rc = n_dups > 0 ? db_claims_insert_duplicates(c, writer_shard, dups, n_dups) : 0;
    return rc < 0 ? rc : 0;
}

static int
write_claims(PGconn *c, struct intake_job **jobs, int n)
{
    static _Thread_local struct claim_row rows[INTAKE_BATCH_MAX];
    int row_job[INTAKE_BATCH_MAX];
    int m = 0;

    for (int i = 0; i < n; i++) {
        if (jobs[i]->result != INTAKE_CREATED)
            continue;
        rows[m] = jobs[i]->row;
        row_job[m++] = i;
    }
    if (m == 0)
        return 0;
    int rc = db_claims_insert_batch(c, writer_shard, rows, m); /* a count, or DB_* */
    if (rc < 0)
        return rc;
    for (int r = 0; r < m; r++) {
        jobs[row_job[r]]->row.inserted = rows[r].inserted;
        jobs[row_job[r]]->row.id = rows[r].id;
    }
    /* the confirmation message commits with its claim or not at all (issue 12) */
    rc = db_outbox_enqueue_accepted(c, rows, m);
    if (rc < 0)
        return rc;
    return resolve_missing(c, jobs, m, rows, row_job);
}

/* One attempt at the whole batch in one transaction; 0 or DB_*. A connection that died
 * while idle (cut after the last batch's COMMIT answered, a server restart) fails at BEGIN,
 * before anything of this batch left: replaced once, the attempt goes on with the new one
 * rather than answer 503 for claims whose outcome is known (nothing written). *c is the
 * connection in use afterwards, NULL when none could be made (DB_UNAVAILABLE). */
static int
attempt(PGconn **c, struct intake_job **jobs, int n)
{
    static _Thread_local struct idem_row idems[INTAKE_BATCH_MAX];
    int rc;

    for (int i = 0; i < n; i++)
        jobs[i]->result = INTAKE_CREATED;
    settle_batch_collisions(jobs, n);
    rc = tx_begin(*c, TX_READ_WRITE);
    if (rc == DB_UNAVAILABLE && PQstatus(*c) != CONNECTION_OK) {
        log_warn("intake: the database connection was found closed; connecting again");
        *c = db_pool_replace_dead(*c);
        if (*c == NULL)
            return DB_UNAVAILABLE;
        rc = tx_begin(*c, TX_READ_WRITE);
    }
    if (rc != 0)
        return rc;
    rc = write_idempotency(*c, jobs, n, idems);
    if (rc == 0)
        rc = write_claims(*c, jobs, n);
    if (rc == 0)
        rc = tx_commit(*c);
    if (rc != 0)
        tx_rollback(*c);
    return rc;
}

static void
fail_all(struct intake_job **jobs, int n, enum intake_result result)
{
    for (int i = 0; i < n; i++)
        jobs[i]->result = result;
}

static void run_batch(struct intake_job **jobs, int n);

/* A hard error in a batch may come from one row: each job is retried alone, so that one bad
 * row never fails the claims that came with it. */
static void
run_singly(struct intake_job **jobs, int n)
{
    for (int i = 0; i < n; i++)
        run_batch(&jobs[i], 1);
}

static void
run_batch(struct intake_job **jobs, int n)
{
    PGconn *c = db_pool_acquire();
    int rc = DB_UNAVAILABLE;

    if (c == NULL) {
        fail_all(jobs, n, INTAKE_UNAVAILABLE);
        return;
    }
    for (int tries = 0; tries < MAX_ATTEMPTS; tries++) {
        rc = attempt(&c, jobs, n);
        if (rc != DB_RETRY)
            break;
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
     * (docs/api.md §3.1) */
    /* retries exhausted on deadlocks or serialization failures: the client may retry too */
    fail_all(jobs, n, rc == DB_UNAVAILABLE || rc == DB_RETRY || PQstatus(c) != CONNECTION_OK
                          ? INTAKE_UNAVAILABLE : INTAKE_INTERNAL);
}

static void *
writer_main(void *arg)
{
    struct intake_job *jobs[INTAKE_BATCH_MAX];

    writer_shard = (int)(intptr_t)arg;
    for (;;) {
        int n = take_batch(jobs);
        if (n == 0)
            break;
        run_batch(jobs, n);
        for (int i = 0; i < n; i++)
            jobs[i]->done(jobs[i]); /* may resubmit (INTAKE_RETRY) */
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
