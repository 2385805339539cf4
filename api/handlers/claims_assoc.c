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
#include "domain/vocab.h"
#include "handlers/claim_json.h"
#include "handlers/claims.h"
#include "handlers/claims_self.h"
#include "handlers/guard.h"
#include "http/json_body.h"
#include "http/json_fields.h"
#include "http/outcome.h"
#include "http/problem.h"
#include "service/claims.h"
#include "service/claims_seal.h"
#include "service/incidents.h"
#include "service/tx.h"

#define LIST_KIND "incident-claims"

/* ?status=&category=&country=&since= */
static bool
read_filter(struct request *rq, struct claim_list_filter *f, struct reply *deny)
{
    const char *status = request_query(rq, "status");
    const char *category = request_query(rq, "category");
    const char *country = request_query(rq, "country");
    const char *since = request_query(rq, "since");
    time_t t;

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
    if (since != NULL && !rfc3339_parse(since, &t)) {
        *deny = guard_bad_parameter("since", "since must be an RFC 3339 date-time");
        return false;
    }
    f->since = since;
    return true;
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
    json_t *item = claims_self_view(rec, &who, description);
    if (item != NULL &&
        (json_object_set_new(item, "duplicate_attempts",
                             json_integer(rec->duplicate_attempts)) != 0 ||
         json_object_set_new(item, "eligibility", claim_eligibility_json(rec)) != 0)) {
        json_decref(item);
        return NULL;
    }
    return item;
}

struct reply
handle_claims_list_mandated(struct request *rq)
{
    struct claim_list_filter f;
    struct incident inc;
    struct caller who = guard_caller(rq);
    struct reply deny;
    const char *after;
    int limit, n = 0;
    PGconn *c;

    if (!guard_db(&c, &deny) ||
        !guard_page(rq, LIST_KIND, &limit, &after, &deny) || !read_filter(rq, &f, &deny))
        return deny;
    enum outcome o = svc_incidents_get(c, request_param(rq, 0), rq->arena, &inc);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    if (after != NULL) {
        char *bar = strchr(after, '|');
        if (bar == NULL)
            return problem_reply("invalid-cursor", "the cursor was not issued for this list");
        f.after_time = arena_strndup(rq->arena, after, (size_t)(bar - after));
        f.after_id = bar + 1;
    }
    struct claim_record *rows = arena_alloc(rq->arena, sizeof *rows * (size_t)(limit + 1));
    int rc = db_claims_list_mandated(c, inc.slug, who.association_id, &f, limit + 1, rq->arena,
                                     rows, &n);
    if (rc < 0)
        return reply_outcome(tx_outcome_of(c, rc), NULL);
    bool more = n > limit;
    if (more)
        n = limit;
    json_t *data = json_array();
    for (int i = 0; i < n; i++) {
        json_t *item = list_item(rq, &rows[i]);
        if (item == NULL) {
            json_decref(data);
            return reply_outcome(OUTCOME_INTERNAL, NULL);
        }
        json_array_append_new(data, item);
    }
    const char *next =
        more ? guard_next_cursor(rq, LIST_KIND,
                                 arena_printf(rq->arena, "%s|%lld", rows[n - 1].created_at,
                                              (long long)rows[n - 1].id))
             : NULL;
    return reply_json_take(200, json_pack("{s:o, s:s?}", "data", data, "next", next));
}

struct reply
handle_claims_review(struct request *rq)
{
    static const char *const members[] = {"status", "reason", NULL};
    static const char *const outcomes[] = {"verified", "rejected", NULL};
    struct claim_record rec, after;
    struct errors errors = {0};
    struct caller who = guard_caller(rq);
    struct reply deny;
    char reference[REFERENCE_LEN + 1];
    PGconn *c;

    if (!guard_db(&c, &deny))
        return deny;
    int rc = reference_parse(request_param(rq, 0), reference)
                 ? db_claims_get(c, reference, false, rq->arena, &rec)
                 : 0;
    if (rc < 0)
        return reply_outcome(tx_outcome_of(c, rc), NULL);
    /* only the association the claim mandated (or the operator) sees it at all */
    if (rc == 0 || (who.kind == CALLER_ASSOCIATION &&
                    (rec.mandate_association_id == NULL ||
                     strcmp(rec.mandate_association_id, who.association_id) != 0)))
        return reply_outcome(OUTCOME_NOT_FOUND, NULL);
    if (!guard_approved(&who, &deny))
        return deny;
    json_t *body = json_body_object(rq, true, &deny);
    if (body == NULL)
        return deny;
    struct json_fields jf = {.obj = body, .prefix = "", .errors = &errors, .arena = rq->arena};
    jf_refuse_unknown(&jf, members);
    const char *status = jf_enum(&jf, "status", true, outcomes);
    const char *reason = jf_text(&jf, "reason", false, 1000);
    if (status != NULL && strcmp(status, "rejected") == 0 && reason == NULL &&
        !json_object_get(body, "reason"))
        errors_add(&errors, "reason", "required", "say why the claim is rejected");
    if (errors_any(&errors))
        return json_body_invalid(&errors);
    struct audit_note note = {who.actor, rq->body.data, rq->body.len};
    enum outcome o = svc_claims_review(c, &note, &rec, status, reason, rq->arena, &after);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    return reply_json_take(200, json_pack("{s:s, s:s, s:s?, s:s?}", "reference", after.reference,
                                          "status", after.status, "status_reason",
                                          after.status_reason, "reviewed_at", after.reviewed_at));
}
