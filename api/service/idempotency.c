/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The Idempotency-Key (see idempotency.h). */
#include "service/idempotency.h"

#include <openssl/crypto.h>
#include <string.h>

#include "core/log.h"
#include "crypto/keyed_hash.h"
#include "crypto/sha256.h"
#include "service/claims_seal.h"
#include "service/conn.h"
#include "service/lookup_cache.h"
#include "service/tx.h"

/* The session that took the scope's lock in svc_rq_idem_begin (one request at a time per
 * worker thread): the lock is released only on that session. */
static _Thread_local int lock_pid;

bool
svc_idem_key(const struct secrets *s, const char *scope, const void *body, size_t len,
             struct idem_key *out)
{
    memset(out, 0, sizeof *out);
    if (!keyed_hash(s->hmac_key, "idempotency", scope, out->scope_hash) ||
        !sha256(body != NULL ? body : "", len, out->request_hash))
        return false;
    out->present = true;
    return true;
}

bool
svc_idem_keeps(int status)
{
    return status >= 200 && status < 500 && status != 429;
}

/* The stored answer of k on c, if any (no lock). */
static struct idem_lookup
lookup(PGconn *c, const struct secrets *s, struct arena *a, const struct idem_key *k)
{
    struct idem_lookup out = {.state = IDEM_NEW};
    struct idem_record rec;

    if (!k->present)
        return out;
    int rc = db_idem_get(c, k->scope_hash, a, &rec);
    if (rc == 0)
        return out;
    if (rc < 0) {
        out.state = IDEM_FAILED;
        out.outcome = tx_outcome_of(c, rc);
        return out;
    }
    if (CRYPTO_memcmp(rec.request_hash, k->request_hash, sizeof rec.request_hash) != 0) {
        out.state = IDEM_REUSED;
        return out;
    }
    out.replay.body = claims_open(s, a, rec.data_key_id, (const char *)k->scope_hash,
                                  sizeof k->scope_hash, rec.response, rec.response_len);
    if (out.replay.body == NULL) {
        out.state = IDEM_FAILED;
        out.outcome = OUTCOME_INTERNAL;
        return out;
    }
    out.state = IDEM_REPLAY;
    out.replay.status = rec.status;
    out.replay.location = rec.location;
    return out;
}

bool
svc_idem_seal(const struct secrets *s, struct arena *a, const struct idem_key *k, int status,
              const char *body, const char *location, struct idem_row *row)
{
    memset(row, 0, sizeof *row);
    memcpy(row->scope_hash, k->scope_hash, sizeof row->scope_hash);
    memcpy(row->request_hash, k->request_hash, sizeof row->request_hash);
    row->status = status;
    row->location = location;
    row->response = claims_seal(s, a, (const char *)k->scope_hash, sizeof k->scope_hash, body,
                                strlen(body), &row->response_len, &row->data_key_id);
    return row->response != NULL;
}

/* The answer's insert, as a transaction body. A live answer already there means another
 * request with the key committed first (possible only without the session lock): the
 * effect of this one must not stand beside it. */
static int
store_body(PGconn *c, struct tx *t, void *ctx)
{
    struct idem_row *row = ctx;
    int rc = db_idem_insert_batch(c, row, 1);

    return rc == 0 ? tx_answer(t, OUTCOME_ALREADY_EXISTS) : rc;
}

/* The lookup of a request that could not reach the database. */
static struct idem_lookup
unavailable(void)
{
    return (struct idem_lookup){.state = IDEM_FAILED, .outcome = OUTCOME_UNAVAILABLE};
}

struct idem_lookup
svc_rq_idem_lookup(const struct secrets *s, struct arena *a, const struct idem_key *k)
{
    PGconn *c;

    if (!k->present)
        return (struct idem_lookup){.state = IDEM_NEW};
    return svc_conn(&c) != OUTCOME_OK ? unavailable() : lookup(c, s, a, k);
}

enum outcome
svc_rq_idem_remember(const struct secrets *s, struct arena *a, const struct idem_key *k,
                     int status, const char *body, const char *location)
{
    struct idem_row row;

    if (!k->present || !svc_idem_keeps(status))
        return OUTCOME_OK;
    if (!svc_idem_seal(s, a, k, status, body, location, &row))
        return OUTCOME_INTERNAL;
    return svc_tx_run_here("idempotency.remember", TX_READ_WRITE, store_body, &row);
}

struct idem_lookup
svc_rq_idem_begin(const struct secrets *s, struct arena *a, const struct idem_key *k)
{
    struct idem_lookup out = {.state = IDEM_NEW};
    PGconn *c;

    if (svc_conn(&c) != OUTCOME_OK)
        return unavailable();
    int locked = db_idem_try_lock(c, k->scope_hash);

    if (locked < 0) {
        out.state = IDEM_FAILED;
        out.outcome = tx_outcome_of(c, locked);
        return out;
    }
    if (locked == 0) {
        out.state = IDEM_IN_USE;
        return out;
    }
    out = lookup(c, s, a, k);
    if (out.state != IDEM_NEW) {
        if (PQstatus(c) == CONNECTION_OK)
            (void)db_idem_unlock(c, k->scope_hash);
        return out;
    }
    lock_pid = PQbackendPID(c);
    tx_hold_begin();
    return out;
}

enum outcome
svc_rq_idem_end(const struct secrets *s, struct arena *a, const struct idem_key *k, int status,
                const char *body, const char *location)
{
    PGconn *c; /* the handler may have lost its session and the pool made another: see below */
    struct idem_row row;
    bool keep = svc_idem_keeps(status);
    bool effect = tx_hold_open();
    enum outcome o;

    if (svc_conn(&c) != OUTCOME_OK)
        c = NULL; /* tx_hold_end says what was lost */

    if (keep && !svc_idem_seal(s, a, k, status, body, location, &row)) {
        log_error("idempotency: could not seal an answer");
        (void)tx_hold_end(c, "idempotency.store", NULL, NULL); /* rolls the effect back */
        o = OUTCOME_INTERNAL;
    } else {
        o = tx_hold_end(c, "idempotency.store", keep ? store_body : NULL, &row);
    }
    /* an answer without an effect (a refusal, a computation) loses only its replay when it
     * cannot be stored: the answer stands, as svc_rq_idem_remember's */
    if (!effect)
        o = OUTCOME_OK;
    /* the service invalidated the lookup cache when its body returned, before this COMMIT: a
     * submission may have filled it again with what it read meanwhile (lookup_cache.h) */
    if (effect)
        svc_lookup_cache_invalidate();
    /* the handler may have lost its session and the pool made another: the lock went with
     * the old one */
    if (c != NULL && PQstatus(c) == CONNECTION_OK && PQbackendPID(c) == lock_pid &&
        PQtransactionStatus(c) == PQTRANS_IDLE)
        (void)db_idem_unlock(c, k->scope_hash);
    lock_pid = 0;
    return o;
}
