/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Role checks shared by handlers (docs/product.md §2, docs/api.md §2). */
#ifndef RECOURS_HANDLERS_GUARD_H
#define RECOURS_HANDLERS_GUARD_H

#include <stdbool.h>

#include "domain/reference.h"
#include "http/reply.h"
#include "http/request.h"
#include "http/router.h"
#include "service/actions.h"
#include "service/audit.h"

/* Who is calling (docs/api.md §2, docs/product.md §2). */
enum caller_kind {
    CALLER_NONE,         /* no Authorization header */
    CALLER_UNRECOGNISED, /* unknown, revoked, malformed, or of another kind (claim token) */
    CALLER_OPERATOR,     /* the operator key of the secrets, or an operator API key */
    CALLER_ASSOCIATION,  /* a live API key of an association */
};

struct caller {
    enum caller_kind kind;
    const char *association_id;     /* CALLER_ASSOCIATION */
    const char *association_status; /* approved | pending | suspended | lapsed */
    const char *actor;              /* "operator" or "association:<id>", for the audit */
};

/* Identifies the bearer credential (an API key through service/api_keys.h). False only with
 * *deny = 503 when the database cannot be asked. */
bool guard_identify(struct request *rq, struct caller *out, struct reply *deny);

/* The role check of the route table (docs/api.md §2), run by routes.c before the handler and
 * before the Idempotency-Key wrapper, so that no unauthorised request reaches either:
 *   operator, association, association,operator: 401 without a recognised credential, 404
 *     for a recognised one of the other kind;
 *   public,association,operator: no credential passes (public view), an unrecognised one 401;
 *   claimant: a credential shaped like a claim token passes (the handler checks it against
 *     the claim's reference), a valid key is 404, anything else 401;
 *   public: passes without looking.
 * 503 when the database cannot be asked. On success the caller is kept for guard_caller.
 * Then, on /v1/ routes, a query parameter the operation does not declare, or one given
 * twice, is 400 invalid-parameter naming it (handlers/query_declared.h). */
bool guard_route(struct request *rq, enum route_role role, struct reply *deny);

/* The caller guard_route identified for this request: recognised on operator and association
 * routes, CALLER_NONE or recognised on public,association,operator, CALLER_NONE elsewhere. */
struct caller guard_caller(const struct request *rq);

/* The audit note of a write (service/audit.h): the caller's actor and the request's body. */
struct audit_note guard_audit_note(const struct request *rq);

/* Whether the caller may write: not an association, or one whose approval is in force. */
bool caller_may_write(const struct caller *who);

/* Whether the association may write (docs/api.md §2.4: approved, not lapsed); else *deny = 409
 * approval-lapsed. */
bool guard_approved(const struct caller *who, struct reply *deny);

/* The action of the path's first parameter if it is the caller's association's, for a write
 * when write (docs/api.md §2.3): false with *deny = 404 (not a UUID, none, another's), 503,
 * then for a write 409 approval-lapsed when the caller's approval is not in force. */
bool guard_own_action(struct request *rq, bool write, struct caller *who, struct action *x,
                      struct reply *deny);

/* A member of one of the caller's actions, as the path names it. */
struct own_member {
    struct caller who;
    struct action x;
    char reference[REFERENCE_LEN + 1];
};

/* guard_own_action, then the claim reference of the path's second parameter (a member of
 * that action, /v1/actions/{id}/members/{reference}) into m->reference: false with *deny =
 * 404 as well when it cannot be a reference (whether the claim is a member is the service's
 * to say). */
bool guard_own_member(struct request *rq, bool write, struct own_member *m, struct reply *deny);

/* Reads ?limit (1..1000, default 100) and ?cursor for list kind; false with *deny = 400
 * invalid-parameter / invalid-cursor. *position_out is NULL without a cursor. filters names
 * the query parameters the list's rows depend on (NULL-terminated; NULL for none), values[i]
 * the value the handler read filters[i] as (NULL when absent): its canonical form (a country
 * upper-cased, an instant in UTC), so that a cursor follows the same filter however it is
 * written, while one made with other values (one added, removed or changed) is refused, since
 * its position is in another list (docs/api.md §7). limit is not one: it may change. (limit,
 * cursor or a filter given twice was refused by guard_route, handlers/query_declared.h.) */
bool guard_page(struct request *rq, const char *kind, const char *const filters[],
                const char *const values[], int *limit_out, const char **position_out,
                struct reply *deny);

/* 400 invalid-parameter naming the query parameter in errors[].field (docs/api.md §5.2). */
struct reply guard_bad_parameter(const char *name, const char *message);

/* ?name as an instant of a filter (domain/dates.h instant_parse: an RFC 3339 date-time or a
 * plain date, midnight UTC) into *out in the form the database reads, one text per instant
 * (UTC, "Z": a cursor's filter value), NULL when absent; false
 * with *deny = 400 invalid-parameter naming it. The one reader of the lists' date filters. */
bool guard_query_instant(struct request *rq, const char *name, const char **out,
                         struct reply *deny);

/* The "next" cursor for a list page ending at position, as an arena string; kind, filters
 * and values as given to guard_page. */
const char *guard_next_cursor(struct request *rq, const char *kind, const char *const filters[],
                              const char *const values[], const char *position);

#endif
