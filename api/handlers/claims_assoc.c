/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The association's side of claims: the claims that mandated it on an incident (filters,
 * cursor pages) and the review of a claim (verified / rejected with a reason). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/arena.h"
#include "domain/countries.h"
#include "domain/dates.h"
#include "domain/reference.h"
#include "domain/review.h"
#include "domain/vocab.h"
#include "handlers/claim_json.h"
#include "handlers/claims.h"
#include "handlers/claims_self.h"
#include "handlers/guard.h"
#include "http/json_body.h"
#include "http/json_build.h"
#include "http/json_fields.h"
#include "http/outcome.h"
#include "http/problem.h"
#include "service/claims.h"
#include "service/claims_seal.h"

#define LIST_KIND "incident-claims"

/* ?status=&category=&country=&since=: the cursor is valid only with the values it was made
 * with */
static const char *const list_filters[] = {"status", "category", "country", "since", NULL};

static bool
read_filter(struct request *rq, struct claim_list_filter *f, struct reply *deny)
{
    const char *status = request_query(rq, "status");
    const char *category = request_query(rq, "category");
    const char *country = request_query(rq, "country");

    memset(f, 0, sizeof *f);
    f->category = -1;
    for (size_t i = 0; status != NULL && claim_statuses[i] != NULL; i++)
        if (strcmp(status, claim_statuses[i]) == 0)
            f->status = claim_statuses[i];
    if (status != NULL && f->status == NULL) {
        *deny = guard_bad_parameter("status",
                                    "status must be received, verified, rejected or withdrawn");
        return false;
    }
    if (category != NULL && (f->category = data_category_index(category)) < 0) {
        *deny = guard_bad_parameter("category", "category must be a data category");
        return false;
    }
    char upper[3];
    if (country != NULL && !country_normalize(country, upper)) {
        *deny = guard_bad_parameter("country", "country must be an ISO 3166-1 alpha-2 code");
        return false;
    }
    f->country = country != NULL ? arena_strdup(rq->arena, upper) : NULL;
    return guard_query_instant(rq, "since", &f->since, deny);
}

/* A claim of the list as the association sees it: the claim view plus duplicate_attempts. */
static json_t *
list_item(struct request *rq, const struct claim_record *rec)
{
    const struct secrets *sec = app_secrets(rq->app);
    struct claimant who = {0};
    const char *description = "";

    if (rec->pii != NULL) {
        char *plain = claims_open(sec, rq->arena, rec->data_key_id, rec->reference,
                                  strlen(rec->reference), rec->pii, rec->pii_len);
        if (plain == NULL || !claim_pii_parse(rq->arena, plain, &who, &description))
            return NULL;
    }
    struct json_build b = {0};
    json_t *item = claims_self_view(rec, &who, description);
    jb_set(&b, item, "duplicate_attempts", json_integer(rec->duplicate_attempts));
    jb_set(&b, item, "eligibility", claim_eligibility_json(rec));
    return jb_result(&b, item);
}

struct reply
handle_claims_list_mandated(struct request *rq)
{
    struct claim_list_filter f;
    struct caller who = guard_caller(rq);
    struct reply deny;
    const char *after;
    int limit, n = 0;
    bool more = false;

    /* the cursor is tied to the caller (its kind), to this incident (its position starts
     * with the slug) and to the filters: it cannot walk another association's list, another
     * incident's, nor this one filtered otherwise */
    const char *slug = request_param(rq, 0);
    const char *kind = arena_printf(rq->arena, LIST_KIND ":%s",
                                    who.association_id != NULL ? who.association_id : "");
    if (!read_filter(rq, &f, &deny))
        return deny;
    const char *const values[] = {f.status, f.category >= 0 ? data_categories[f.category] : NULL,
                                  f.country, f.since, NULL};
    if (!guard_page(rq, kind, list_filters, values, &limit, &after, &deny))
        return deny;
    if (after != NULL) {
        size_t sl = strlen(slug);
        const char *rest =
            strncmp(after, slug, sl) == 0 && after[sl] == '|' ? after + sl + 1 : NULL;
        const char *bar = rest != NULL ? strchr(rest, '|') : NULL;
        if (bar == NULL)
            return problem_reply("invalid-cursor", "the cursor was not issued for this list");
        f.after_time = arena_strndup(rq->arena, rest, (size_t)(bar - rest));
        f.after_id = bar + 1;
    }
    struct claim_record *rows = arena_alloc(rq->arena, sizeof *rows * (size_t)(limit + 1));
    enum outcome o = svc_rq_claims_list_mandated(slug, who.association_id, &f, limit, rq->arena,
                                                 rows, &n, &more);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    struct json_build b = {0};
    json_t *data = json_array();
    for (int i = 0; i < n; i++) {
        json_t *item = list_item(rq, &rows[i]);
        if (item == NULL) {
            json_decref(data);
            return reply_outcome(OUTCOME_INTERNAL, NULL);
        }
        jb_append(&b, data, item);
    }
    const char *next =
        more ? guard_next_cursor(rq, kind, list_filters, values,
                                 arena_printf(rq->arena, "%s|%s|%lld", slug, rows[n - 1].created_at,
                                              (long long)rows[n - 1].id))
             : NULL;
    return reply_page(&b, data, next);
}

/* A review's body: the new status and, for a rejection, why: in words to the claimant
 * (reason) and as the workspace's code (review_reason, docs/api.md §9.9), "other" when not
 * given, so that every rejection names one. */
struct review {
    const char *status;
    const char *reason;
    const char *code;
};

static void
read_review(const struct json_fields *jf, void *out)
{
    static const char *const members[] = {"status", "reason", "review_reason", NULL};
    static const char *const outcomes[] = {"verified", "rejected", NULL};
    struct review *r = out;

    jf_refuse_unknown(jf, members);
    r->status = jf_enum(jf, "status", true, outcomes);
    bool rejected = r->status != NULL && strcmp(r->status, "rejected") == 0;
    /* a rejection's blank reason is a missing one (docs/api.md §5.4), not an optional text
     * to omit, which the message of too-short would have told the reviewer to do */
    r->reason = jf_text(jf, "reason", rejected && jf_has(jf, "reason"), 1000);
    r->code = jf_enum(jf, "review_reason", false, reject_reasons);
    /* a null reason is none, as in the workspace's review: an invalid one is said already */
    if (rejected && r->reason == NULL && !jf_has(jf, "reason"))
        errors_add(jf->errors, "reason", "required", "say why the claim is rejected");
    if (r->status != NULL && !rejected && r->code != NULL)
        errors_add(jf->errors, "review_reason", "invalid-value",
                   "only a rejection gives a reason code");
    if (rejected && r->code == NULL)
        r->code = "other";
}

/* A review the lifecycle refuses, said with the status the review's transaction found, as an
 * action's refused move is (handlers/actions.c): "this status change is not allowed" left the
 * reviewer to guess between a withdrawn claim and one decided so already. */
static struct reply
review_refused(struct arena *a, const char *from, const char *to)
{
    if (from == NULL)
        return reply_outcome(OUTCOME_INVALID_TRANSITION, NULL);
    return problem_reply("invalid-transition",
                         strcmp(from, "withdrawn") == 0
                             ? "the claim is withdrawn: it is reviewed no more"
                             : arena_printf(a, "the claim is %s already", to));
}

struct reply
handle_claims_review(struct request *rq)
{
    struct claim_record rec, after = {0};
    struct review review = {0};
    struct caller who = guard_caller(rq);
    struct reply deny;
    char reference[REFERENCE_LEN + 1];

    /* only the association the claim mandated (or the operator) sees it at all */
    enum outcome o = reference_parse(request_param(rq, 0), reference)
                         ? svc_rq_claims_for_review(reference,
                                                    who.kind == CALLER_ASSOCIATION
                                                        ? who.association_id
                                                        : NULL,
                                                    caller_may_write(&who), rq->arena, &rec)
                         : OUTCOME_NOT_FOUND;
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    if (!json_body_read(rq, true, read_review, &review, &deny))
        return deny;
    /* the workspace's decision on this claim (docs/workspace.md "Review"): the reason in
     * words is its note to the claimant, the code its reason */
    struct ws_decision d = {.decision = review.status,
                            .reason = review.code,
                            .note = review.reason,
                            .correct_days = ((const struct app *)rq->app)->cfg->correction_days};
    struct audit_note note = guard_audit_note(rq);
    o = svc_rq_claims_review(&note, &rec, &d, rq->arena, &after);
    if (o == OUTCOME_INVALID_TRANSITION)
        return review_refused(rq->arena, after.status, review.status);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    return reply_json_take(200, json_pack("{s:s, s:s, s:s?, s:s?, s:s?}", "reference",
                                          after.reference, "status", after.status, "status_reason",
                                          after.status_reason, "review_reason", after.review_reason,
                                          "reviewed_at", after.reviewed_at));
}
