/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Members of the caller's own action; any other action answers 404. */
#include "handlers/handlers.h"

#include <string.h>
#include <time.h>

#include "app.h"
#include "core/arena.h"
#include "domain/countries.h"
#include "domain/dates.h"
#include "domain/reference.h"
#include "domain/uuid.h"
#include "domain/vocab.h"
#include "handlers/claim_json.h"
#include "handlers/guard.h"
#include "handlers/workspace_members.h"
#include "http/json_body.h"
#include "http/json_build.h"
#include "http/json_fields.h"
#include "http/outcome.h"
#include "service/actions.h"
#include "service/members.h"

#define REFERENCES_MAX 1000

/* {"references": [...]}: 1–1000 strings into an arena array of *n_out (duplicates are folded by
 * the service's statement); NULL with errors. */
static const char *const *
read_references(const struct json_fields *jf, json_t *refs, size_t *n_out)
{
    size_t i;
    json_t *item;
    const char **out;

    if (!json_is_array(refs)) {
        errors_add(jf->errors, "references", "invalid-type", "expected an array of references");
        return NULL;
    }
    if (json_array_size(refs) == 0 || json_array_size(refs) > REFERENCES_MAX) {
        errors_add(jf->errors, "references", json_array_size(refs) == 0 ? "too-short" : "too-long",
                   "give 1 to 1000 references");
        return NULL;
    }
    out = arena_alloc(jf->arena, sizeof *out * json_array_size(refs));
    *n_out = 0;
    json_array_foreach(refs, i, item) {
        char path[48];
        snprintf(path, sizeof path, "references[%zu]", i);
        const char *ref = jf_reference_item(jf, item, path);
        if (ref != NULL)
            out[(*n_out)++] = ref;
    }
    return errors_any(jf->errors) ? NULL : out;
}

static void
read_filter(const struct json_fields *jf, struct member_filter *f)
{
    static const char *const keys[] = {"status", "category", "country", "submitted_after",
                                       "submitted_before", NULL};

    jf_refuse_unknown(jf, keys);
    f->status = jf_enum(jf, "status", false, claim_statuses);
    f->category = -1;
    const char *cat = jf_text(jf, "category", false, 32);
    if (cat != NULL && (f->category = data_category_index(cat)) < 0)
        errors_add(jf->errors, "filter.category", "invalid-value", "not a data category");
    f->country = jf_country(jf, "country", false);
    f->submitted_after = jf_instant(jf, "submitted_after", false);
    f->submitted_before = jf_instant(jf, "submitted_before", false);
}

struct reply
handle_members_add(struct request *rq)
{
    static const char *const keys[] = {"references", "filter", NULL};
    struct member_filter filter = {.category = -1};
    struct member_counts counts;
    struct ws_claims_body b;
    struct reply deny;
    size_t n_refs = 0;

    if (!ws_claims_body_read(rq, keys, &b, &deny))
        return deny;
    const char *const *refs = NULL;
    if (b.references != NULL)
        refs = read_references(&b.jf, b.references, &n_refs);
    if (b.by_filter)
        read_filter(&b.filter, &filter);
    if (errors_any(&b.errors))
        return json_body_invalid(&b.errors);
    struct audit_note note = guard_audit_note(rq);
    enum outcome o = svc_rq_members_add(&note, &b.x, refs, n_refs, &filter, &counts);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    return reply_json_take(200, json_pack("{s:I, s:I, s:I, s:I}", "added",
                                          (json_int_t)counts.added, "already_in_action",
                                          (json_int_t)counts.already_in_action,
                                          "in_other_action", (json_int_t)counts.in_other_action,
                                          "not_mandated", (json_int_t)counts.not_mandated));
}

struct reply
handle_members_remove(struct request *rq)
{
    struct own_member m;
    struct reply deny;

    if (!guard_own_member(rq, true, &m, &deny))
        return deny;
    struct audit_note note = {m.who.actor, m.reference, strlen(m.reference)};
    enum outcome o = svc_rq_members_remove(&note, &m.x, m.reference);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    return reply_empty(204);
}
