/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The mandate check shared by submission and correction (docs/api.md §9.2, §9.6), and the
 * whole submission's check shared by the API and the claim page; the action comes through the
 * intake's read cache (service/lookup_cache.h: at most 1 s behind a write of another
 * process). */
#include <string.h>

#include "domain/uuid.h"
#include "handlers/claims_parse.h"
#include "service/lookup_cache.h"

static void
add_unavailable(struct errors *errors)
{
    errors_add(errors, "action_id", "unavailable",
               "no action on this incident takes mandates under this id now");
}

bool
claims_mandate_id_form(const char *action_id, struct errors *errors)
{
    if (uuid_is_valid(action_id))
        return true;
    add_unavailable(errors);
    return false;
}

bool
claims_mandate_check(struct arena *a, int64_t incident_id, const char *action_id,
                     const char *version, struct errors *errors, struct action *out,
                     bool *unavailable_out)
{
    *unavailable_out = false;
    enum outcome o = uuid_is_valid(action_id) ? svc_rq_action_for_mandate(action_id, a, out)
                                              : OUTCOME_NOT_FOUND;
    if (o != OUTCOME_OK && o != OUTCOME_NOT_FOUND) {
        *unavailable_out = true;
        return false;
    }
    if (o == OUTCOME_NOT_FOUND || out->incident_id != incident_id ||
        strcmp(out->status, "open") != 0 || out->deadline_passed ||
        strcmp(out->association_status, "approved") != 0) {
        add_unavailable(errors);
        return false;
    }
    if (version == NULL || strcmp(version, out->mandate_text_version) != 0) {
        errors_add(errors, "mandate_text_version", "mismatch",
                   "accept the current mandate text of this action");
        return false;
    }
    return true;
}

bool
claims_check_submission(const struct json_fields *jf, const struct incident *inc,
                        const char *notice_version, struct claim_input *in, struct action *mandate)
{
    bool db_down = false;

    claims_parse_submission(jf, inc->data_categories, notice_version, in);
    if (in->action_id == NULL || !uuid_is_valid(in->action_id))
        return true; /* none, or named `unavailable` by its form already */
    if (!errors_any(jf->errors)) {
        claims_mandate_check(jf->arena, inc->id, in->action_id, in->mandate_text_version,
                             jf->errors, mandate, &db_down);
        return !db_down;
    }
    /* Other errors: whether the action takes mandates is said with them (every error at once,
     * docs/api.md §5.2), and its text version only when one was given (else `required` is
     * said already). The answer is a 422 whatever the database says: one it could not be
     * asked leaves the action unjudged, as before, rather than turning the 422 into a 503. */
    struct errors found = {0};
    struct action unused;
    (void)claims_mandate_check(jf->arena, inc->id, in->action_id, in->mandate_text_version, &found,
                               &unused, &db_down);
    for (int i = 0; i < found.n; i++)
        if (in->mandate_text_version != NULL || strcmp(found.items[i].field, "action_id") == 0)
            errors_add(jf->errors, found.items[i].field, found.items[i].code,
                       found.items[i].message);
    return true;
}
