/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The public face of an action that takes mandates: the association's identity, the action's
 * title, deadline, counsel and the mandate text with its version, so that the claim form can
 * show what the claimant signs and send the version back. Only while a submission would accept
 * the mandate (action open, deadline ahead, association approved, incident open); any other
 * action, existing or not, answers 404, as an unknown id does. Read through the intake's cache
 * (service/lookup_cache.h): this page is opened by as many people as submit. */
#include "handlers/action_mandate.h"

#include <string.h>

#include "domain/uuid.h"
#include "handlers/guard.h"
#include "http/outcome.h"
#include "service/associations.h"
#include "service/lookup_cache.h"
#include "service/public_pages.h"
#include "service/tx.h"

static bool
takes_mandates(const struct action *x)
{
    return strcmp(x->status, "open") == 0 && !x->deadline_passed &&
           strcmp(x->association_status, "approved") == 0 &&
           strcmp(x->incident_status, "open") == 0;
}

struct reply
handle_action_mandate(struct request *rq)
{
    const char *id = request_param(rq, 0);
    struct association s;
    struct action x;
    struct reply deny;
    PGconn *c;

    if (!uuid_is_valid(id))
        return reply_outcome(OUTCOME_NOT_FOUND, NULL);
    if (!guard_db(&c, &deny))
        return deny;
    int rc = svc_action_for_mandate(c, id, rq->arena, &x);
    if (rc < 0)
        return reply_outcome(tx_outcome_of(c, rc), NULL);
    if (rc == 0 || !takes_mandates(&x))
        return reply_outcome(OUTCOME_NOT_FOUND, NULL);
    enum outcome o = svc_associations_get(c, x.association_id, rq->arena, &s);
    if (o != OUTCOME_OK)
        return reply_outcome(o == OUTCOME_NOT_FOUND ? OUTCOME_INTERNAL : o, NULL);
    json_t *doc = json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:s, s:s, s:s, s:s, s:s}",
                       "action_id", x.id, "incident", x.incident, "title", x.title,
                       "association", "id", s.id, "name", s.name, "approval_reference",
                       s.approval_reference, "country", s.country, "legal_basis",
                       x.legal_basis, "opt_in_deadline", x.opt_in_deadline, "counsel_name",
                       x.counsel_name, "mandate_text", x.mandate_text, "mandate_text_version",
                       x.mandate_text_version);
    /* ?lang=: the text in that language, else the French original with a flag saying so
     * (docs/api.md "Action public record") */
    const char *lang = request_query(rq, "lang");
    if (lang != NULL && doc != NULL) {
        const char *text, *text_lang, *version;
        if (strcmp(lang, "fr") != 0 && strcmp(lang, "en") != 0) {
            json_decref(doc);
            return guard_bad_parameter("lang", "lang must be fr or en");
        }
        o = svc_action_mandate_text(c, id, lang, rq->arena, &text, &text_lang, &version);
        if (o != OUTCOME_OK) {
            json_decref(doc);
            return reply_outcome(o, NULL);
        }
        if (json_object_set_new(doc, "mandate_text", json_string(text)) != 0 ||
            json_object_set_new(doc, "mandate_text_version", json_string(version)) != 0 ||
            json_object_set_new(doc, "mandate_text_lang", json_string(text_lang)) != 0 ||
            json_object_set_new(doc, "mandate_text_fallback",
                                json_boolean(strcmp(text_lang, lang) != 0)) != 0) {
            json_decref(doc);
            return reply_outcome(OUTCOME_INTERNAL, NULL);
        }
    }
    return reply_json_take(200, doc);
}
