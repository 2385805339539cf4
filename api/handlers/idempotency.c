/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Idempotency-Key handling for handlers (see idempotency.h). */
#include "handlers/idempotency.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "core/arena.h"
#include "crypto/keyed_hash.h"
#include "crypto/sha256.h"
#include "db/idempotency.h"
#include "db/pool.h"
#include "handlers/guard.h"
#include "http/outcome.h"
#include "http/problem.h"
#include "service/claims_seal.h"
#include "service/tx.h"

#define KEY_MAX 255

static bool
key_is_valid(const char *k)
{
    size_t n = strlen(k);

    if (n < 1 || n > KEY_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (k[i] < 0x21 || k[i] > 0x7e)
            return false;
    return true;
}

bool
idem_read(struct request *rq, const char *credential_scope, struct idem_request *out,
          struct reply *deny)
{
    const struct app *app = rq->app;
    const char *key = request_header(rq, "Idempotency-Key");

    memset(out, 0, sizeof *out);
    if (key == NULL)
        return true;
    if (!key_is_valid(key)) {
        *deny = problem_reply("invalid-parameter",
                              "Idempotency-Key must be 1 to 255 visible ASCII characters");
        return false;
    }
    char *scope = arena_printf(rq->arena, "%s\n%s\n%s\n%s", credential_scope, rq->method,
                               rq->path, key);
    if (!keyed_hash(app_secrets(app)->hmac_key, "idempotency", scope, out->scope_hash) ||
        !sha256(rq->body.data != NULL ? rq->body.data : "", rq->body.len, out->request_hash)) {
        *deny = reply_outcome(OUTCOME_INTERNAL, NULL);
        return false;
    }
    out->present = true;
    return true;
}

static struct reply
replay(struct request *rq, const struct idem_request *ir, const struct idem_record *rec)
{
    const struct app *app = rq->app;
    char *body = claims_open(app_secrets(app), rq->arena, rec->data_key_id,
                             (const char *)ir->scope_hash, sizeof ir->scope_hash,
                             rec->response, rec->response_len);

    if (body == NULL)
        return reply_outcome(OUTCOME_INTERNAL, NULL);
    struct reply r = reply_bytes(rec->status,
                                 rec->status >= 400 ? "application/problem+json"
                                                    : "application/json; charset=utf-8",
                                 body, strlen(body));
    reply_add_header(&r, "Idempotency-Replayed", "true");
    if (rec->status == 401) /* RFC 9110: a 401 always names its scheme */
        reply_add_header(&r, "WWW-Authenticate", "Bearer realm=\"recours\"");
    if (rec->location != NULL)
        reply_add_header(&r, "Location", rec->location);
    return r;
}

bool
idem_settle(struct request *rq, PGconn *c, const struct idem_request *ir, struct reply *out)
{
    struct idem_record rec;

    if (!ir->present)
        return false;
    int rc = db_idem_get(c, ir->scope_hash, rq->arena, &rec);
    if (rc == 0)
        return false;
    if (rc < 0) {
        *out = reply_outcome(OUTCOME_UNAVAILABLE, NULL);
        return true;
    }
    if (CRYPTO_memcmp(rec.request_hash, ir->request_hash, sizeof rec.request_hash) != 0) {
        *out = problem_reply("idempotency-key-reuse",
                             "this Idempotency-Key was used with another request body");
        return true;
    }
    *out = replay(rq, ir, &rec);
    return true;
}

bool
idem_prepare(struct request *rq, const struct idem_request *ir, int status, const char *body,
             const char *location, struct idem_row *row)
{
    const struct app *app = rq->app;

    memset(row, 0, sizeof *row);
    memcpy(row->scope_hash, ir->scope_hash, sizeof row->scope_hash);
    memcpy(row->request_hash, ir->request_hash, sizeof row->request_hash);
    row->status = status;
    row->location = location;
    row->response = claims_seal(app_secrets(app), rq->arena, (const char *)ir->scope_hash,
                                sizeof ir->scope_hash, body, strlen(body), &row->response_len,
                                &row->data_key_id);
    return row->response != NULL;
}

/* docs/api.md §4.3: the scope is the credential as presented ("public" without one), so that two
 * callers never share a key's answer, whatever the handler later makes of the credential. */
static const char *
caller_scope(struct request *rq)
{
    const char *auth = request_header(rq, "Authorization");

    return auth != NULL ? arena_printf(rq->arena, "credential:%s", auth) : "public";
}

/* Stores r for the scope unless 5xx or 429 (docs/api.md §4.6); best effort: a failure to store only
 * loses the replay, the write stands. */
static void
store(struct request *rq, PGconn *c, const struct idem_request *ir, const struct reply *r)
{
    const char *location = NULL;
    struct idem_row row;

    if (r->status < 200 || r->status >= 500 || r->status == 429 || r->stream.next != NULL)
        return;
    for (int i = 0; i < r->n_headers; i++)
        if (strcmp(r->headers[i].name, "Location") == 0)
            location = r->headers[i].value;
    const char *body = r->body != NULL ? arena_strndup(rq->arena, r->body, r->body_len) : "";
    if (idem_prepare(rq, ir, r->status, body, location, &row) &&
        db_idem_insert_batch(c, &row, 1) < 0)
        db_pool_check(c);
}

struct reply
idem_around(struct request *rq, route_handler h)
{
    struct idem_request ir;
    struct reply r;
    PGconn *c;

    if (request_header(rq, "Idempotency-Key") == NULL)
        return h(rq);
    if (!idem_read(rq, caller_scope(rq), &ir, &r) || !guard_db(&c, &r))
        return r;
    int locked = db_idem_try_lock(c, ir.scope_hash);
    if (locked < 0)
        return reply_outcome(tx_outcome_of(c, locked), NULL);
    if (locked == 0)
        return problem_reply("idempotency-key-in-use",
                             "a request with this Idempotency-Key is being processed");
    int pid = PQbackendPID(c);
    if (idem_settle(rq, c, &ir, &r)) {
        db_idem_unlock(c, ir.scope_hash);
        return r;
    }
    r = h(rq);
    /* h may have lost the connection and the pool made another: the lock went with the old
     * session, and c must not be touched again */
    PGconn *now = db_pool_acquire();
    if (now == NULL)
        return r;
    store(rq, now, &ir, &r);
    if (PQbackendPID(now) == pid && PQtransactionStatus(now) == PQTRANS_IDLE)
        db_idem_unlock(now, ir.scope_hash);
    return r;
}
