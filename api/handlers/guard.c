/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Shared request guards: the route table's role check and the caller it identified, the
 * database connection, pagination parameters. */
#include "handlers/guard.h"

#include <ctype.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/arena.h"
#include "core/errors.h"
#include "crypto/cursor.h"
#include "crypto/keyed_hash.h"
#include "db/associations.h"
#include "db/pool.h"
#include "service/claims_seal.h"
#include "service/tx.h"
#include "http/auth.h"
#include "http/outcome.h"
#include "http/problem.h"

#define KEY_PREFIX_LEN 11 /* "rk_" + 8 */

/* "rk_" + 8 alphanumerics + "_" + 43 base64url: an API key's shape (docs/api.md §2.1). */
static bool
looks_like_api_key(const char *cred)
{
    if (strlen(cred) != KEY_PREFIX_LEN + 1 + 43 || strncmp(cred, "rk_", 3) != 0 ||
        cred[KEY_PREFIX_LEN] != '_')
        return false;
    for (int i = 3; i < KEY_PREFIX_LEN; i++)
        if (!isalnum((unsigned char)cred[i]))
            return false;
    return true;
}

static bool
identify_key(struct request *rq, PGconn *c, const char *cred, struct caller *out,
             struct reply *deny)
{
    const struct secrets *sec = app_secrets(rq->app);
    char prefix[KEY_PREFIX_LEN + 1];
    uint8_t presented[32];
    struct api_key key;

    memcpy(prefix, cred, KEY_PREFIX_LEN);
    prefix[KEY_PREFIX_LEN] = '\0';
    int rc = db_keys_find(c, prefix, rq->arena, &key);
    if (rc < 0) {
        *deny = reply_outcome(tx_outcome_of(c, rc), NULL);
        return false;
    }
    if (rc == 0 || !keyed_hash(sec->hmac_key, "api-key", cred, presented) ||
        CRYPTO_memcmp(presented, key.secret_hash, sizeof presented) != 0 ||
        key.revoked_at != NULL)
        return true; /* out->kind stays CALLER_UNRECOGNISED */
    if (key.stale_use)
        db_keys_touch(c, key.id); /* best effort: a failure must not refuse the request */
    if (key.association_id == NULL) {
        out->kind = CALLER_OPERATOR;
        out->actor = "operator";
        return true;
    }
    out->kind = CALLER_ASSOCIATION;
    out->association_id = key.association_id;
    out->association_status = key.association_status;
    out->actor = arena_printf(rq->arena, "association:%s", key.association_id);
    return true;
}

bool
guard_identify(struct request *rq, PGconn *c, struct caller *out, struct reply *deny)
{
    const struct secrets *sec = app_secrets(rq->app);
    const char *cred = auth_bearer(rq);

    memset(out, 0, sizeof *out);
    if (request_header(rq, "Authorization") == NULL) {
        out->kind = CALLER_NONE;
        return true;
    }
    out->kind = CALLER_UNRECOGNISED;
    if (cred == NULL)
        return true;
    if (secrets_operator_key_matches(sec, cred, strlen(cred))) {
        out->kind = CALLER_OPERATOR;
        out->actor = "operator";
        return true;
    }
    if (looks_like_api_key(cred))
        return identify_key(rq, c, cred, out, deny);
    return true;
}

/* A claim token is 43 base64url characters; anything else is another kind of credential. */
static bool
looks_like_claim_token(const char *cred)
{
    if (strlen(cred) != CLAIM_TOKEN_LEN)
        return false;
    for (const char *p = cred; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
            return false;
    return true;
}

/* Whether a recognised caller may call a route of role; false for no or an unrecognised one. */
static bool
kind_allowed(enum caller_kind kind, enum route_role role)
{
    switch (kind) {
    case CALLER_OPERATOR:
        return role == ROLE_OPERATOR || role == ROLE_ASSOCIATION_OR_OPERATOR ||
               role == ROLE_PUBLIC_OR_MEMBER;
    case CALLER_ASSOCIATION:
        return role == ROLE_ASSOCIATION || role == ROLE_ASSOCIATION_OR_OPERATOR ||
               role == ROLE_PUBLIC_OR_MEMBER;
    case CALLER_NONE:
    case CALLER_UNRECOGNISED:
        break;
    }
    return false;
}

bool
guard_route(struct request *rq, enum route_role role, struct reply *deny)
{
    struct caller *who = arena_alloc(rq->arena, sizeof *who);
    const char *cred = auth_bearer(rq);
    PGconn *c;

    memset(who, 0, sizeof *who);
    who->kind = CALLER_NONE;
    rq->route_data = who;
    if (role == ROLE_PUBLIC)
        return true;
    /* the public view asks nothing of the database: it may come from the cache */
    if (role == ROLE_PUBLIC_OR_MEMBER && request_header(rq, "Authorization") == NULL)
        return true;
    /* a claim token is told valid only against its claim's reference: the handler's work */
    if (role == ROLE_CLAIMANT && cred != NULL && looks_like_claim_token(cred))
        return true;
    if (!guard_db(&c, deny) || !guard_identify(rq, c, who, deny))
        return false;
    if (kind_allowed(who->kind, role))
        return true;
    if (who->kind == CALLER_NONE || who->kind == CALLER_UNRECOGNISED)
        *deny = auth_unauthorized();
    else /* a valid credential out of its reach: the same answer as a missing object */
        *deny = reply_outcome(OUTCOME_NOT_FOUND, NULL);
    return false;
}

struct caller
guard_caller(const struct request *rq)
{
    static const struct caller none = {.kind = CALLER_NONE};
    const struct caller *who = rq->route_data;

    return who != NULL ? *who : none;
}

bool
guard_approved(const struct caller *who, struct reply *deny)
{
    if (who->kind != CALLER_ASSOCIATION || strcmp(who->association_status, "approved") == 0)
        return true;
    *deny = problem_reply("approval-lapsed",
                          "the association's approval is not in force: it may read but not "
                          "write");
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

struct reply
guard_bad_parameter(const char *name, const char *message)
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
            *deny = guard_bad_parameter("limit", "limit must be an integer from 1 to 1000");
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
