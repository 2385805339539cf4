/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* GET, PATCH, DELETE /v1/claims/{reference} with `Authorization: Bearer <claim token>`:
 * the claimant reads, corrects (same validation and dedup as submission) and withdraws. */
#include <string.h>

#include "app.h"
#include "core/arena.h"
#include "handlers/claim_json.h"
#include "handlers/claims.h"
#include "handlers/claims_self.h"
#include "handlers/guard.h"
#include "http/auth.h"
#include "http/json_body.h"
#include "http/outcome.h"
#include "service/claims.h"
#include "service/claims_seal.h"

/* The authenticated claim with its personal part opened; false with *deny otherwise. */
bool
claims_self_load(struct request *rq, struct claim_self *c, struct reply *deny)
{
    const struct app *app = rq->app;
    struct claim_record *rec = &c->rec;
    const char *cred = auth_bearer(rq);

    /* the route's role let only a claim token's shape through (handlers/guard.c guard_route);
     * whether it is this claim's is told here, against the reference */
    if (cred == NULL) {
        *deny = auth_unauthorized();
        return false;
    }
    enum outcome o = svc_rq_claims_find(app_secrets(app), request_param(rq, 0), cred, rq->arena,
                                        rec);
    if (o != OUTCOME_OK) {
        *deny = reply_outcome(o, NULL);
        return false;
    }
    memset(&c->who, 0, sizeof c->who);
    c->description = "";
    if (rec->pii == NULL)
        return true; /* erased after withdrawal and retention */
    char *plain = claims_open(app_secrets(app), rq->arena, rec->data_key_id, rec->reference,
                              strlen(rec->reference), rec->pii, rec->pii_len);
    if (plain == NULL || !claim_pii_parse(rq->arena, plain, &c->who, &c->description)) {
        *deny = reply_outcome(OUTCOME_INTERNAL, NULL);
        return false;
    }
    return true;
}

json_t *
claim_harms_json(const struct claim_facts *f, const char *description)
{
    return json_pack("{s:b, s:b, s:b, s:I, s:I, s:s}", "phishing", f->phishing,
                     "identity_theft", f->identity_theft, "distress", f->distress,
                     "documented_loss", (json_int_t)f->documented_loss, "hours_spent",
                     (json_int_t)f->hours_spent, "description", description);
}

json_t *
claims_self_view(const struct claim_record *rec, const struct claimant *who, const char *description)
{
    json_t *claimant = rec->pii != NULL ? claimant_json(who) : json_null();
    json_t *mandate = rec->mandate_action_id == NULL
                          ? json_null()
                          : json_pack("{s:s, s:s, s:s, s:s}", "action_id", rec->mandate_action_id,
                                      "mandate_text_version", rec->mandate_text_version,
                                      "mandated_at", rec->mandated_at, "channel",
                                      rec->mandate_channel);

    /* review_reason, correctable_until: why a rejected claim was, and until when a correction
     * sends it back to review (null otherwise) */
    return json_pack("{s:s, s:s, s:s, s:s?, s:o, s:o, s:o, s:s, s:s, s:o, s:s?, s:s, s:s, s:s?,"
                     " s:s?, s:s?}",
                     "reference", rec->reference, "incident", rec->incident_slug, "status",
                     rec->status, "status_reason", rec->status_reason, "claimant", claimant,
                     "data_categories", categories_json_array(rec->facts.categories), "harms",
                     claim_harms_json(&rec->facts, description), "payment_preference",
                     rec->facts.payment_preference, "privacy_notice_version",
                     rec->privacy_notice_version, "mandate", mandate, "action_id",
                     rec->member_of, "created_at",
                     rec->created_at, "updated_at", rec->updated_at, "withdrawn_at",
                     rec->withdrawn_at, "review_reason", rec->review_reason, "correctable_until",
                     rec->correctable_until);
}

struct reply
handle_claims_get(struct request *rq)
{
    struct claim_self c;
    struct reply deny;

    if (!claims_self_load(rq, &c, &deny))
        return deny;
    return reply_json_take(200, claims_self_view(&c.rec, &c.who, c.description));
}

struct reply
handle_claims_withdraw(struct request *rq)
{
    struct claim_self c;
    struct claim_record after;
    struct reply deny;

    if (!claims_self_load(rq, &c, &deny))
        return deny;
    enum outcome o = svc_rq_claims_withdraw(&c.rec, rq->arena, &after);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    return reply_json_take(200, claims_self_view(&after, &c.who, c.description));
}
