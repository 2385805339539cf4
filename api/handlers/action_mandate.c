/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The public face of an action that takes mandates: the association's identity, the action's
 * title, deadline, counsel and the mandate text with its version, so that the claim form can
 * show what the claimant signs and send the version back. Only while a submission would accept
 * the mandate (action open, deadline ahead, association approved, incident open); any other
 * action, existing or not, answers 404, as an unknown id does. Read through the intake's cache
 * (service/lookup_cache.h): this page is opened by as many people as submit. */
#include "handlers/handlers.h"

#include <string.h>

#include "domain/uuid.h"
#include "handlers/guard.h"
#include "http/json_build.h"
#include "http/outcome.h"
#include "service/actions.h"

/* ?lang=: absent, fr or en */
static bool
lang_is_valid(const char *lang)
{
    return lang == NULL || strcmp(lang, "fr") == 0 || strcmp(lang, "en") == 0;
}

struct reply
handle_action_mandate(struct request *rq)
{
    const char *id = request_param(rq, 0);
    const char *lang = request_query(rq, "lang");
    struct mandate_page m;

    enum outcome o = uuid_is_valid(id) ? svc_rq_action_mandate_page(
                                             id, lang_is_valid(lang) ? lang : NULL, rq->arena, &m)
                                       : OUTCOME_NOT_FOUND;
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    /* a bad lang is answered once the action is known to take mandates, as before */
    if (!lang_is_valid(lang))
        return guard_bad_parameter("lang", "lang must be fr or en");
    const struct action *x = &m.action;
    const struct association *s = &m.association;
    json_t *doc = json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:s, s:s, s:s, s:s, s:s}",
                            "action_id", x->id, "incident", x->incident, "title", x->title,
                            "association", "id", s->id, "name", s->name, "approval_reference",
                            s->approval_reference, "country", s->country, "legal_basis",
                            x->legal_basis, "opt_in_deadline", x->opt_in_deadline,
                            "counsel_name", x->counsel_name, "mandate_text", x->mandate_text,
                            "mandate_text_version", x->mandate_text_version);
    /* ?lang=: the text in that language, else the French original with a flag saying so
     * (docs/api.md "Action public record") */
    struct json_build b = {0};
    if (lang != NULL && doc != NULL) {
        jb_set(&b, doc, "mandate_text", json_string(m.text));
        jb_set(&b, doc, "mandate_text_version", json_string(m.version));
        jb_set(&b, doc, "mandate_text_lang", json_string(m.text_lang));
        jb_set(&b, doc, "mandate_text_fallback", json_boolean(strcmp(m.text_lang, lang) != 0));
    }
    return reply_json_take(200, jb_result(&b, doc));
}
