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
#include "http/outcome.h"
#include "http/problem.h"
#include "service/claims_seal.h"

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
