/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What the claim form page and its answers show (docs/web-forms.md): the incident, the scheme
 * in force (what a claimant may receive), and the action whose mandate the form offers, with
 * its association. One call for the handlers of /claim and POST /claim. */
#ifndef RECOURS_SERVICE_CLAIM_PAGE_H
#define RECOURS_SERVICE_CLAIM_PAGE_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "core/outcome.h"
#include "db/actions.h"
#include "db/associations.h"
#include "db/incidents.h"
#include "db/schemes.h"

struct arena;

struct claim_page_data {
    struct incident incident;
    bool has_scheme;
    struct scheme_record scheme;
    bool has_offer;                 /* the action named takes mandates now */
    bool offer_refused;             /* an action was named but takes none (or is unknown) */
    struct action action;           /* when has_offer */
    struct association association; /* when has_offer */
    const char *mandate_text;       /* when has_offer: the text in force in the page's language,
                                     * or the French original */
    const char *mandate_text_lang;  /* "fr" | "en": the language of mandate_text */
    bool has_member;                /* /my-claim: the action the claim is a member of */
    struct action member;
    struct association member_association;
    const char *incident_doc;       /* /my-claim: the incident page's document (its open
                                     * actions), svc_public_incident's */
};

/* Whether a submission would accept a mandate for x now: action open, deadline ahead,
 * association approved, incident open (the rule of handlers/claims_parse.c, seen from the
 * page). */
bool svc_action_takes_mandates(const struct action *x);

/* Entry point of /claim (GET and POST), on the calling thread's connection (service/conn.h):
 * loads the incident of slug, or, with slug NULL, the incident of action_id. action_id (may
 * be NULL) is offered when it takes mandates on that incident, with its mandate text in lang
 * ("fr" | "en"; the French original where the action has none in lang); otherwise
 * offer_refused is set and the form goes on without it. NOT_FOUND when neither names an
 * incident; the outcome of a database failure (UNAVAILABLE without a connection) otherwise.
 * Strings live in a. */
enum outcome svc_rq_claim_page_load(const char *slug, const char *action_id, const char *lang,
                                    struct arena *a, struct claim_page_data *out);

/* Entry point of /my-claim: svc_rq_claim_page_load of the claim's incident (slug) and of the
 * action a link offers (offer_action_id, may be NULL), plus the action the claim is a member
 * of (member_action_id, may be NULL) and its association, whatever their status, and the
 * incident page's document (incident_doc). */
enum outcome svc_rq_my_claim_load(const char *slug, const char *member_action_id,
                                  const char *offer_action_id, const char *lang,
                                  struct arena *a, struct claim_page_data *out);

#endif
