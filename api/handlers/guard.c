/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Shared request guards: the route table's role check and the caller it identified, the
 * database connection, pagination parameters. */
#include "handlers/guard.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/errors.h"
#include "crypto/cursor.h"
#include "domain/dates.h"
#include "domain/uuid.h"
#include "handlers/query_declared.h"
#include "service/actions.h"
#include "service/api_keys.h"
#include "service/claims_seal.h"
#include "http/auth.h"
#include "http/outcome.h"
#include "http/problem.h"

/* "rk_" + 8 alphanumerics + "_" + 43 base64url: an API key's shape (docs/api.md §2.1). */
static bool
looks_like_api_key(const char *cred)
{
    if (strlen(cred) != API_KEY_PREFIX_LEN + 1 + 43 || strncmp(cred, "rk_", 3) != 0 ||
        cred[API_KEY_PREFIX_LEN] != '_')
        return false;
    for (int i = 3; i < API_KEY_PREFIX_LEN; i++)
        if (!isalnum((unsigned char)cred[i]))
            return false;
    return true;
}

/* The caller a live key (or none) makes; false with *deny when the database cannot be asked. */
static bool
identify_key(struct request *rq, const char *cred, struct caller *out, struct reply *deny)
{
    struct key_holder holder;
    enum outcome o = svc_api_key_identify(app_secrets(rq->app), cred, rq->arena, &holder);

    if (o != OUTCOME_OK) {
        *deny = reply_outcome(o, NULL);
        return false;
    }
    if (!holder.live)
        return true; /* out->kind stays CALLER_UNRECOGNISED */
    if (holder.association_id == NULL) {
        out->kind = CALLER_OPERATOR;
        out->actor = "operator";
        return true;
    }
    out->kind = CALLER_ASSOCIATION;
    out->association_id = holder.association_id;
    out->association_status = holder.association_status;
    out->actor = arena_printf(rq->arena, "association:%s", holder.association_id);
    return true;
}

bool
guard_identify(struct request *rq, struct caller *out, struct reply *deny)
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
        return identify_key(rq, cred, out, deny);
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

/* The role column's check (guard_route's first half). */
static bool
role_admits(struct request *rq, enum route_role role, struct reply *deny)
{
    struct caller *who = arena_alloc(rq->arena, sizeof *who);
    const char *cred = auth_bearer(rq);

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
    if (!guard_identify(rq, who, deny))
        return false;
    if (kind_allowed(who->kind, role))
        return true;
    if (who->kind == CALLER_NONE || who->kind == CALLER_UNRECOGNISED)
        *deny = auth_unauthorized();
    else /* a valid credential out of its reach: the same answer as a missing object */
        *deny = reply_outcome(OUTCOME_NOT_FOUND, NULL);
    return false;
}

bool
guard_route(struct request *rq, enum route_role role, struct reply *deny)
{
    /* the role first: a caller it refuses learns nothing of the parameters */
    return role_admits(rq, role, deny) && query_declared_only(rq, deny);
}

struct caller
guard_caller(const struct request *rq)
{
    static const struct caller none = {.kind = CALLER_NONE};
    const struct caller *who = rq->route_data;

    return who != NULL ? *who : none;
}

struct audit_note
guard_audit_note(const struct request *rq)
{
    struct caller who = guard_caller(rq);

    return (struct audit_note){who.actor, rq->body.data, rq->body.len};
}

bool
caller_may_write(const struct caller *who)
{
    return who->kind != CALLER_ASSOCIATION || strcmp(who->association_status, "approved") == 0;
}

bool
guard_approved(const struct caller *who, struct reply *deny)
{
    if (caller_may_write(who))
        return true;
    *deny = reply_outcome(OUTCOME_APPROVAL_LAPSED, NULL);
    return false;
}

bool
guard_own_action(struct request *rq, bool write, struct caller *who, struct action *x,
                 struct reply *deny)
{
    const char *id = request_param(rq, 0);

    *who = guard_caller(rq);
    bool may = !write || caller_may_write(who);
    enum outcome o = uuid_is_valid(id)
                         ? svc_rq_action_own(id, who->association_id, may, rq->arena, x)
                         : OUTCOME_NOT_FOUND;
    if (o != OUTCOME_OK)
        *deny = reply_outcome(o, NULL);
    return o == OUTCOME_OK;
}

bool
guard_own_member(struct request *rq, bool write, struct own_member *m, struct reply *deny)
{
    if (!guard_own_action(rq, write, &m->who, &m->x, deny))
        return false;
    if (reference_parse(request_param(rq, 1), m->reference))
        return true;
    *deny = reply_outcome(OUTCOME_NOT_FOUND, NULL);
    return false;
}

struct reply
guard_bad_parameter(const char *name, const char *message)
{
    struct errors e = {0};

    errors_add(&e, name, "invalid-value", message);
    return problem_reply_errors("invalid-parameter", message, &e);
}

/* The values of the list's filters as the handler read them, as the cursor's scope: each
 * "<length>:<value>;" or "-;" when absent, in the order of filters (lengths keep the split
 * unambiguous whatever a value holds). The values read, not the text typed: "fr" then "FR"
 * is one list (France), "2026-12-01" and "2026-12-01T00:00:00Z" one instant. */
static const char *
filter_scope(struct request *rq, const char *const filters[], const char *const values[])
{
    const char *scope = "";

    for (size_t i = 0; filters != NULL && filters[i] != NULL; i++) {
        const char *v = values[i];
        scope = v != NULL ? arena_printf(rq->arena, "%s%zu:%s;", scope, strlen(v), v)
                          : arena_printf(rq->arena, "%s-;", scope);
    }
    return scope;
}

bool
guard_page(struct request *rq, const char *kind, const char *const filters[],
           const char *const values[], int *limit_out, const char **position_out,
           struct reply *deny)
{
    const struct app *app = rq->app;
    const char *limit = request_query(rq, "limit");
    const char *cursor = request_query(rq, "cursor");

    *limit_out = 100;
    *position_out = NULL;
    /* a parameter given twice was refused before (handlers/query_declared.h) */
    if (limit != NULL) {
        char *end = NULL;
        /* digits only: strtol alone also takes a sign and leading spaces ("+5", "%205") */
        bool digits = limit[0] >= '0' && limit[0] <= '9';
        long v = digits ? strtol(limit, &end, 10) : 0;
        if (!digits || *end != '\0' || v < 1 || v > 1000) {
            *deny = guard_bad_parameter("limit", "limit must be an integer from 1 to 1000");
            return false;
        }
        *limit_out = (int)v;
    }
    if (cursor != NULL) {
        char *pos = arena_alloc(rq->arena, CURSOR_POSITION_MAX + 1);
        if (!cursor_decode(app_secrets(app)->hmac_key, kind, filter_scope(rq, filters, values),
                           cursor, pos)) {
            *deny = problem_reply("invalid-cursor", "the cursor was not issued for this list");
            return false;
        }
        *position_out = pos;
    }
    return true;
}

const char *
guard_next_cursor(struct request *rq, const char *kind, const char *const filters[],
                  const char *const values[], const char *position)
{
    const struct app *app = rq->app;
    char *out = arena_alloc(rq->arena, CURSOR_TEXT_MAX);

    if (!cursor_encode(app_secrets(app)->hmac_key, kind, filter_scope(rq, filters, values),
                       position, out))
        return NULL;
    return out;
}

/* The instant t as one text whatever way it was written (a date, another offset, a fraction
 * with trailing zeros): UTC, "Z", the fraction of v as written without its trailing zeros.
 * The database reads it as v, and a cursor bound to it matches the same instant written
 * otherwise. */
static const char *
instant_canonical(struct request *rq, const char *v, time_t t)
{
    char utc[32];
    const char *dot = strlen(v) > 19 && v[19] == '.' ? v + 20 : NULL;
    size_t digits = 0;

    clock_format_rfc3339(t, -1, utc, sizeof utc);
    while (dot != NULL && dot[digits] >= '0' && dot[digits] <= '9')
        digits++;
    while (digits > 0 && dot[digits - 1] == '0')
        digits--;
    if (digits == 0)
        return arena_strdup(rq->arena, utc);
    utc[strlen(utc) - 1] = '\0'; /* the "Z", written after the fraction */
    return arena_printf(rq->arena, "%s.%.*sZ", utc, (int)digits, dot);
}

/* v with a space before a final "hh:mm" read as the offset's "+": a query decoded as a form
 * turns an unescaped "+02:00" into " 02:00" (libmicrohttpd does), and a client writing
 * `?since=` + an ISO time of its language ("…T10:00:00+00:00") sends it so. The space can
 * stand for nothing else there; v itself when it has no such space. */
static const char *
offset_plus_restored(struct arena *a, const char *v)
{
    size_t n = strlen(v);

    if (n < 7 || v[n - 6] != ' ' || v[n - 3] != ':')
        return v;
    char *copy = arena_strdup(a, v);
    copy[n - 6] = '+';
    return copy;
}

bool
guard_query_instant(struct request *rq, const char *name, const char **out, struct reply *deny)
{
    const char *v = request_query(rq, name);
    bool is_date;
    time_t t;

    *out = NULL;
    if (v == NULL)
        return true;
    v = offset_plus_restored(rq->arena, v);
    if (!instant_parse(v, &t, &is_date)) {
        *deny = guard_bad_parameter(
            name, arena_printf(rq->arena,
                               "%s must be a date (2026-12-01, midnight UTC) or an RFC 3339 "
                               "date-time (2026-12-01T09:30:00Z)",
                               name));
        return false;
    }
    *out = instant_canonical(rq, v, t);
    return true;
}
