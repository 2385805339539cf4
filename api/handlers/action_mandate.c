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
#include "service/actions.h"

struct reply
handle_action_mandate(struct request *rq)
{
    const char *id = request_param(rq, 0);
    struct association s;
    struct action x;

    enum outcome o = uuid_is_valid(id) ? svc_rq_action_mandate_page(id, rq->arena, &x, &s)
                                       : OUTCOME_NOT_FOUND;
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    return reply_json_take(
        200, json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:s, s:s, s:s, s:s, s:s}",
                       "action_id", x.id, "incident", x.incident, "title", x.title,
                       "association", "id", s.id, "name", s.name, "approval_reference",
                       s.approval_reference, "country", s.country, "legal_basis",
                       x.legal_basis, "opt_in_deadline", x.opt_in_deadline, "counsel_name",
                       x.counsel_name, "mandate_text", x.mandate_text, "mandate_text_version",
                       x.mandate_text_version));
}
