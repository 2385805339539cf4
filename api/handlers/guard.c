/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Shared request guards: operator credential, database connection, pagination parameters. */
#include "handlers/guard.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/arena.h"
#include "core/errors.h"
#include "crypto/cursor.h"
#include "db/pool.h"
#include "http/auth.h"
#include "http/outcome.h"
#include "http/problem.h"

bool
guard_operator(struct request *rq, struct reply *deny)
{
    const struct app *app = rq->app;
    const char *cred = auth_bearer(rq);

    if (cred != NULL && secrets_operator_key_matches(app_secrets(app), cred, strlen(cred)))
        return true;
    *deny = auth_unauthorized();
    return false;
}

bool
guard_db(PGconn **c_out, struct reply *deny)
{
    *c_out = db_pool_acquire();
    if (*c_out != NULL)
        return true;
    *deny = reply_outcome(OUTCOME_UNAVAILABLE, NULL);
    return false;
}

static struct reply
bad_parameter(const char *name, const char *message)
{
    struct reply r = problem_reply("invalid-parameter", message);
    json_t *doc = json_loadb(r.body, r.body_len, 0, NULL);

    if (doc == NULL)
        return r;
    json_object_set_new(doc, "errors",
                        json_pack("[{s:s, s:s, s:s}]", "field", name, "code", "invalid-value",
                                  "message", message));
    reply_discard(&r);
    r = reply_json_take(400, doc);
    r.content_type = "application/problem+json";
    return r;
}

bool
guard_page(struct request *rq, const char *kind, int *limit_out, const char **position_out,
           struct reply *deny)
{
    const struct app *app = rq->app;
    const char *limit = request_query(rq, "limit");
    const char *cursor = request_query(rq, "cursor");

    *limit_out = 100;
    *position_out = NULL;
    if (limit != NULL) {
        char *end = NULL;
        long v = strtol(limit, &end, 10);
        if (end == limit || *end != '\0' || v < 1 || v > 1000) {
            *deny = bad_parameter("limit", "limit must be an integer from 1 to 1000");
            return false;
        }
        *limit_out = (int)v;
    }
    if (cursor != NULL) {
        char *pos = arena_alloc(rq->arena, CURSOR_POSITION_MAX + 1);
        if (!cursor_decode(app_secrets(app)->hmac_key, kind, cursor, pos)) {
            *deny = problem_reply("invalid-cursor", "the cursor was not issued for this list");
            return false;
        }
        *position_out = pos;
    }
    return true;
}

const char *
guard_next_cursor(struct request *rq, const char *kind, const char *position)
{
    const struct app *app = rq->app;
    char *out = arena_alloc(rq->arena, CURSOR_TEXT_MAX);

    if (!cursor_encode(app_secrets(app)->hmac_key, kind, position, out))
        return NULL;
    return out;
}
