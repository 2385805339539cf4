/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* PATCH /v1/claims/{reference}: a JSON merge patch (RFC 7396) applied to the claim's current
 * submission form, then validated and deduplicated exactly as a new submission would be. */
#include <string.h>

#include "app.h"
#include "core/arena.h"
#include "handlers/claim_json.h"
#include "handlers/claims.h"
#include "handlers/claims_self.h"
#include "handlers/guard.h"
#include "http/json_body.h"
#include "http/json_build.h"
#include "http/json_fields.h"
#include "http/outcome.h"
#include "service/actions.h"
#include "service/claims.h"
#include "service/claims_seal.h"

static const char *const read_only[] = {"reference", "status", "token",
                                        "privacy_notice_version", NULL};

/* RFC 7396: objects merge member by member, null removes, anything else replaces. NULL when
 * memory ran out. */
static json_t *
merge_patch(json_t *target, json_t *patch)
{
    struct json_build b = {0};
    const char *key;
    json_t *value;

    if (!json_is_object(patch))
        return json_incref(patch);
    json_t *out = json_is_object(target) ? json_deep_copy(target) : json_object();
    json_object_foreach(patch, key, value) {
        if (json_is_null(value)) {
            json_object_del(out, key); /* an absent member is not an error: nothing to remove */
            continue;
        }
        jb_set(&b, out, key, merge_patch(json_object_get(out, key), value));
    }
    return jb_result(&b, out);
}

static void
release_json(void *p)
{
    json_decref(p);
}

/* The claim as a submission body, which the patch is merged into. */
static json_t *
current_submission(const struct claim_record *rec, const struct claimant *who,
                   const char *description)
{
    json_t *harms = claim_harms_json(&rec->facts, description);

    return json_pack("{s:o, s:o, s:o, s:s, s:s}", "claimant", claimant_json(who),
                     "data_categories", categories_json_array(rec->facts.categories), "harms",
                     harms, "payment_preference", rec->facts.payment_preference,
                     "privacy_notice_version", rec->privacy_notice_version);
}

/* The new row's keys, seal and clear columns; false with *deny on a crypto failure. */
static bool
prepare_row(struct request *rq, const struct claim_record *rec, const struct claim_input *in,
            struct claim_row *row, struct reply *deny)
{
    const struct app *app = rq->app;
    const struct secrets *sec = app_secrets(app); /* one snapshot: keys may rotate meanwhile */
    const char *pii = claim_pii_json(rq->arena, &in->claimant, in->harms.description);

    if (!claims_seal_correction(sec, rq->arena, rec->reference, in, pii, row)) {
        *deny = reply_outcome(OUTCOME_INTERNAL, NULL);
        return false;
    }
    return true;
}

/* action_id in the patch: null revokes the mandate, a string mandates (or confirms) that
 * action. Taken out of the patch before the merge: it is not part of the claim's body. */
static bool
read_mandate_change(struct request *rq, json_t *patch,
                    const struct claim_record *rec, struct errors *errors,
                    struct mandate_change *m, struct action *action, struct reply *deny)
{
    json_t *id = json_object_get(patch, "action_id");
    json_t *version = json_object_get(patch, "mandate_text_version");
    const char *text;
    bool db_down = false;

    m->kind = MANDATE_KEEP;
    if (id == NULL) {
        if (version != NULL)
            errors_add(errors, "mandate_text_version", "invalid-value",
                       "only with action_id");
        json_object_del(patch, "mandate_text_version");
        return true;
    }
    if (json_is_null(id)) {
        m->kind = MANDATE_REVOKE;
        /* a revocation gives no mandate text: a version beside it is refused as without
         * action_id, not silently dropped */
        if (version != NULL)
            errors_add(errors, "mandate_text_version", "invalid-value",
                       "only with an action id, not with null");
    } else if (!json_is_string(id)) {
        errors_add(errors, "action_id", "invalid-type", "expected an action id or null");
    } else if (rec->member_of != NULL && strcmp(rec->member_of, json_string_value(id)) != 0) {
        *deny = reply_outcome(OUTCOME_ALREADY_IN_ACTION, NULL);
        return false;
    } else if ((text = jf_text(&(struct json_fields){patch, "", errors, rq->arena},
                               "mandate_text_version", version != NULL, 64)) == NULL) {
        /* a blank, mistyped or overlong version is said as a submission says it (required,
         * invalid-type, too-long), and both mistakes at once (docs/api.md §5.2) */
        claims_mandate_id_form(json_string_value(id), errors);
        if (version == NULL)
            errors_add(errors, "mandate_text_version", "required", "required with action_id");
    } else if (claims_mandate_check(rq->arena, rec->incident_id, json_string_value(id), text,
                                    errors, action, &db_down)) {
        m->kind = MANDATE_SET;
        m->action_id = action->id;
        m->association_id = action->association_id;
        m->version = action->mandate_text_version;
    } else if (db_down) {
        *deny = reply_outcome(OUTCOME_UNAVAILABLE, NULL);
        return false;
    }
    json_object_del(patch, "action_id");
    json_object_del(patch, "mandate_text_version");
    return true;
}

struct reply
handle_claims_correct(struct request *rq)
{
    struct claim_self self;
    struct claim_record after;
    struct claim_input in;
    struct claim_row row;
    struct mandate_change mandate;
    struct action action;
    struct errors errors = {0};
    struct reply deny;

    if (!claims_self_load(rq, &self, &deny))
        return deny;
    struct claim_record *rec = &self.rec;
    if (strcmp(rec->status, "withdrawn") == 0)
        return reply_outcome(OUTCOME_CLAIM_WITHDRAWN, NULL);
    json_t *patch = json_body_object(rq, true, &deny);
    if (patch == NULL)
        return deny;
    /* every error at once (docs/api.md §5.2): a read-only member or a refused mandate is said
     * beside the fields the merged claim refuses, each once (both taken out of the patch) */
    for (size_t i = 0; read_only[i] != NULL; i++)
        if (json_object_get(patch, read_only[i]) != NULL) {
            errors_add(&errors, read_only[i], "read-only", "cannot be changed by the claimant");
            json_object_del(patch, read_only[i]);
        }
    if (!read_mandate_change(rq, patch, rec, &errors, &mandate, &action, &deny))
        return deny;
    json_t *current = current_submission(rec, &self.who, self.description);
    json_t *merged = merge_patch(current, patch);
    json_decref(current);
    if (merged == NULL)
        return reply_outcome(OUTCOME_UNAVAILABLE, NULL); /* out of memory */
    arena_defer(rq->arena, release_json, merged);
    struct json_fields jf = {.obj = merged, .prefix = "", .errors = &errors, .arena = rq->arena};
    claims_parse_submission(&jf, rec->incident_categories, rec->privacy_notice_version, &in);
    if (rq->from_page_form)
        claims_check_postal_form(&jf, &in);
    if (errors_any(&errors))
        return json_body_invalid(&errors);
    struct claim_hashes again;
    if (!prepare_row(rq, rec, &in, &row, &deny))
        return deny;
    if (!svc_claims_hashes(app_secrets(rq->app), rec->incident_id, &in, &again))
        return reply_outcome(OUTCOME_INTERNAL, NULL);
    /* the old address is told of a new one (docs/mail.md, address-changed): any difference in
     * its text, so that a look-alike the normal form would equate is told too */
    struct address_move moved = {app_secrets(rq->app),
                                 self.who.email != NULL &&
                                         strcmp(self.who.email, in.claimant.email) != 0
                                     ? self.who.email
                                     : NULL};
    enum outcome o = svc_rq_claims_correct(rec, &row, &mandate, &again, &moved, rq->arena,
                                           &after);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    return reply_json_take(200, claims_self_view(&after, &in.claimant, in.harms.description));
}
