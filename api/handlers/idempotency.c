/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Idempotency-Key handling for handlers (see idempotency.h). */
#include "handlers/idempotency.h"

#include <string.h>

#include "app.h"
#include "core/arena.h"
#include "http/outcome.h"
#include "http/problem.h"

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
idem_read(struct request *rq, const char *credential_scope, struct idem_key *out,
          struct reply *deny)
{
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
    if (!svc_idem_key(app_secrets(rq->app), scope, rq->body.data, rq->body.len, out)) {
        *deny = reply_outcome(OUTCOME_INTERNAL, NULL);
        return false;
    }
    return true;
}

static struct reply
replay(const struct idem_answer *ans)
{
    struct reply r = reply_bytes(ans->status,
                                 ans->status >= 400 ? "application/problem+json"
                                                    : "application/json; charset=utf-8",
                                 ans->body, strlen(ans->body));
    reply_add_header(&r, "Idempotency-Replayed", "true");
    if (ans->status == 401) /* RFC 9110: a 401 always names its scheme */
        reply_add_header(&r, "WWW-Authenticate", "Bearer realm=\"recours\"");
    if (ans->location != NULL)
        reply_add_header(&r, "Location", ans->location);
    return r;
}

static struct reply
key_in_use(void)
{
    return problem_reply("idempotency-key-in-use",
                         "a request with this Idempotency-Key is being processed");
}

struct reply
idem_settled_reply(const struct idem_lookup *l)
{
    switch (l->state) {
    case IDEM_REPLAY:
        return replay(&l->replay);
    case IDEM_REUSED:
        return problem_reply("idempotency-key-reuse",
                             "this Idempotency-Key was used with another request body");
    case IDEM_IN_USE:
        return key_in_use();
    case IDEM_FAILED:
        return reply_outcome(l->outcome, NULL);
    case IDEM_NEW:
    default:
        return reply_outcome(OUTCOME_INTERNAL, NULL);
    }
}

const char *
idem_location(const struct reply *r)
{
    for (int i = 0; i < r->n_headers; i++)
        if (strcmp(r->headers[i].name, "Location") == 0)
            return r->headers[i].value;
    return NULL;
}

/* docs/api.md §4.3: the scope is the credential as presented ("public" without one), so that two
 * callers never share a key's answer, whatever the handler later makes of the credential. */
static const char *
caller_scope(struct request *rq)
{
    const char *auth = request_header(rq, "Authorization");

    return auth != NULL ? arena_printf(rq->arena, "credential:%s", auth) : "public";
}

struct reply
idem_around(struct request *rq, route_handler h)
{
    const struct secrets *sec = app_secrets(rq->app);
    struct idem_key k;
    struct reply r;

    if (request_header(rq, "Idempotency-Key") == NULL)
        return h(rq);
    if (!idem_read(rq, caller_scope(rq), &k, &r))
        return r;
    struct idem_lookup l = svc_rq_idem_begin(sec, rq->arena, &k);
    if (l.state != IDEM_NEW)
        return idem_settled_reply(&l);
    r = h(rq);
    int status = r.stream.next != NULL ? 500 : r.status; /* a stream is never kept */
    const char *body = r.body != NULL ? arena_strndup(rq->arena, r.body, r.body_len) : "";
    enum outcome o = svc_rq_idem_end(sec, rq->arena, &k, status, body, idem_location(&r));
    if (o == OUTCOME_OK)
        return r;
    reply_discard(&r);
    return o == OUTCOME_ALREADY_EXISTS ? key_in_use() : reply_outcome(o, NULL);
}
