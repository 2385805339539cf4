/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The association's workspace on its action's members (docs/workspace.md): the filtered list,
 * one member's claim with its personal data (audited), review decisions and removal. Another
 * association's action, or a claim that is not a member of this one, answers 404. */
#ifndef RECOURS_HANDLERS_WORKSPACE_MEMBERS_H
#define RECOURS_HANDLERS_WORKSPACE_MEMBERS_H

#include <jansson.h>
#include <stdbool.h>

/* The claims a body names (adding members, reviews): by "references" (an array) or by
 * "filter" (an object), exactly one of them. Returns the references' JSON value, NULL when
 * by filter (*by_filter true, *filter over it) or when the body gives neither or both (the
 * "required" error appended). */
struct json_fields;
json_t *ws_references_or_filter(const struct json_fields *jf, struct json_fields *filter,
                                bool *by_filter);

/* Reads jf (a "filter" object of a request body: status, country, payment_preference,
 * mandated_from, mandated_to, email_confirmed, as the list's query) into f, its errors
 * appended under jf's prefix; also the notices' audience (handlers/notices.c). */
struct ws_filter;
void ws_filter_from_json(const struct json_fields *jf, struct ws_filter *f);

#endif
