/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The association's workspace on its action's members (docs/workspace.md): the filtered list,
 * one member's claim with its personal data (audited), review decisions and removal. Another
 * association's action, or a claim that is not a member of this one, answers 404. */
#ifndef RECOURS_HANDLERS_WORKSPACE_MEMBERS_H
#define RECOURS_HANDLERS_WORKSPACE_MEMBERS_H

#include <jansson.h>
#include <stdbool.h>

#include "core/errors.h"
#include "handlers/guard.h"
#include "http/json_fields.h"

/* The body of a write on the caller's own action that names claims (adding members,
 * reviews): by "references" (an array) or by "filter" (an object), exactly one of them. */
struct ws_claims_body {
    struct caller who;
    struct action x;           /* the path's action, the caller's own */
    struct errors errors;      /* every error of the body, collected */
    struct json_fields jf;     /* the body, its members other than keys refused */
    struct json_fields filter; /* the "filter" object, when by_filter */
    json_t *references;        /* the "references" value, or NULL */
    bool by_filter;
};

/* guard_own_action for a write, json_body_fields with keys, then which of references or
 * filter the body gives (neither or both: the "required" error appended; both are kept, for
 * the caller to name the errors inside each). False with *deny: 404, 409, 415 or 400. */
bool ws_claims_body_read(struct request *rq, const char *const *keys, struct ws_claims_body *b,
                         struct reply *deny);

/* Reads jf (a "filter" object of a request body: status, country, payment_preference,
 * mandated_from, mandated_to, email_confirmed, as the list's query) into f, its errors
 * appended under jf's prefix; also the notices' audience (handlers/notices.c). */
struct ws_filter;
void ws_filter_from_json(const struct json_fields *jf, struct ws_filter *f);

#endif
