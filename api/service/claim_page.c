/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The claim page's reads (see claim_page.h): through the intake's cache (service/lookup_cache.h)
 * where the intake reads the same rows, since this page is opened by as many people as submit. */
#include "service/claim_page.h"

#include <string.h>

#include "domain/uuid.h"
#include "service/associations.h"
#include "service/compensation.h"
#include "service/conn.h"
#include "service/lookup_cache.h"
#include "service/public_pages.h"
#include "service/tx.h"

bool
svc_action_takes_mandates(const struct action *x)
{
    return strcmp(x->status, "open") == 0 && !x->deadline_passed &&
           strcmp(x->association_status, "approved") == 0 &&
           strcmp(x->incident_status, "open") == 0;
}

/* The action of id into out->action when it exists: 1, 0, or DB_*. */
static int
load_action(PGconn *c, const char *id, struct arena *a, struct claim_page_data *out)
{
    if (id == NULL || !uuid_is_valid(id))
        return 0;
    return svc_action_for_mandate(c, id, a, &out->action);
}

static enum outcome
claim_page_load(PGconn *c, const char *slug, const char *action_id, const char *lang,
                struct arena *a, struct claim_page_data *out)
{
    memset(out, 0, sizeof *out);
    int rc = load_action(c, action_id, a, out);
    if (rc < 0)
        return tx_outcome_of(c, rc);
    bool found_action = rc == 1;
    if (slug == NULL && !found_action)
        return OUTCOME_NOT_FOUND;
    enum outcome o = svc_incident_for_intake(c, slug != NULL ? slug : out->action.incident, a,
                                             &out->incident);
    if (o != OUTCOME_OK)
        return o;
    out->offer_refused = action_id != NULL;
    if (found_action && out->action.incident_id == out->incident.id &&
        svc_action_takes_mandates(&out->action)) {
        o = svc_associations_get(c, out->action.association_id, a, &out->association);
        if (o != OUTCOME_OK && o != OUTCOME_NOT_FOUND)
            return o;
        out->has_offer = o == OUTCOME_OK;
        out->offer_refused = !out->has_offer;
    }
    if (out->has_offer) {
        const char *version = NULL;
        o = svc_action_mandate_text(c, out->action.id, lang, a, &out->mandate_text,
                                    &out->mandate_text_lang, &version);
        if (o != OUTCOME_OK && o != OUTCOME_NOT_FOUND)
            return o;
        if (o != OUTCOME_OK || out->mandate_text == NULL) {
            out->mandate_text = out->action.mandate_text; /* the original, as stored */
            out->mandate_text_lang = "fr";
        }
    }
    return svc_compensation_current(c, out->incident.id, a, &out->scheme, &out->has_scheme);
}

enum outcome
svc_rq_claim_page_load(const char *slug, const char *action_id, const char *lang,
                       struct arena *a, struct claim_page_data *out)
{
    PGconn *c;
    enum outcome o = svc_conn(&c);

    return o == OUTCOME_OK ? claim_page_load(c, slug, action_id, lang, a, out) : o;
}

/* The action the claim is a member of (member_action_id) and its association, when they
 * exist. */
static enum outcome
load_member(PGconn *c, const char *member_action_id, struct arena *a,
            struct claim_page_data *out)
{
    if (member_action_id == NULL || !uuid_is_valid(member_action_id))
        return OUTCOME_OK;
    int rc = svc_action_for_mandate(c, member_action_id, a, &out->member);
    if (rc < 0)
        return tx_outcome_of(c, rc);
    if (rc == 0)
        return OUTCOME_OK;
    enum outcome o =
        svc_associations_get(c, out->member.association_id, a, &out->member_association);
    if (o != OUTCOME_OK && o != OUTCOME_NOT_FOUND)
        return o;
    out->has_member = o == OUTCOME_OK;
    return OUTCOME_OK;
}

enum outcome
svc_rq_my_claim_load(const char *slug, const char *member_action_id,
                     const char *offer_action_id, const char *lang, struct arena *a,
                     struct claim_page_data *out)
{
    PGconn *c;
    enum outcome o = svc_conn(&c);

    if (o == OUTCOME_OK)
        o = claim_page_load(c, slug, offer_action_id, lang, a, out);
    if (o == OUTCOME_OK)
        o = load_member(c, member_action_id, a, out);
    /* the incident's open actions that take mandates: the incident page's own read */
    if (o == OUTCOME_OK)
        o = svc_public_incident(c, out->incident.slug, a, &out->incident_doc);
    return o;
}
