/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Workspace member routes (docs/workspace.md). Each first checks that the path's action is the
 * caller's own: any other answers 404 before anything else is read. */
#include "handlers/workspace_members.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/arena.h"
#include "domain/countries.h"
#include "domain/dates.h"
#include "domain/reference.h"
#include "domain/review.h"
#include "domain/uuid.h"
#include "domain/vocab.h"
#include "handlers/claim_json.h"
#include "handlers/claims_self.h"
#include "handlers/guard.h"
#include "handlers/handlers.h"
#include "handlers/read_guard.h"
#include "handlers/risk.h"
#include "http/json_body.h"
#include "http/json_build.h"
#include "http/json_fields.h"
#include "http/outcome.h"
#include "http/problem.h"
#include "service/claims_seal.h"
#include "service/workspace.h"

#define REFERENCES_MAX 1000

/* The risk and eligibility filters (issue 14: docs/risk.md, docs/eligibility.md). */
static const char *const risk_values[] = {"network", "address", "disposable_email",
                                          "email_unconfirmed", "unmatched", "any", "none", NULL};
static const char *const eligibility_states[] = {"matched", "unmatched", "unknown", NULL};
#define NOTE_MAX 1000

static const char *const member_statuses[] = {"received", "verified", "rejected", NULL};

/* One of allowed or absent; false with *deny = 400 naming the parameter. */
static bool
query_enum(struct request *rq, const char *name, const char *const allowed[], const char **out,
           struct reply *deny)
{
    const char *v = request_query(rq, name);

    *out = NULL;
    for (size_t i = 0; v != NULL && allowed[i] != NULL; i++)
        if (strcmp(v, allowed[i]) == 0)
            *out = allowed[i];
    if (v != NULL && *out == NULL) {
        *deny = guard_bad_parameter(name, arena_printf(rq->arena, "%s is not a known value", name));
        return false;
    }
    return true;
}

/* The filters query_filter reads, and the order: a page's cursor is valid only with the
 * values it was made with, and none may be given twice (handlers/guard.h guard_page). */
static const char *const list_filters[] = {
    "email_confirmed",    "risk",          "eligibility", "status",
    "payment_preference", "mandated_from", "mandated_to", "country",
    "reference",          "sort",          "order",       NULL};

/* The filters' values as query_filter read them, in list_filters' order: a cursor follows
 * "country=fr" with "country=FR" (one list), never with another country. */
static const char *const *
filter_values(struct request *rq, const struct ws_filter *f, const char *sort, const char *order)
{
    const char **v = arena_alloc(rq->arena, sizeof list_filters);
    const char *confirmed = f->email_confirmed < 0 ? NULL : f->email_confirmed ? "true" : "false";
    const char *read[] = {
        confirmed,      f->risk,    f->eligibility, f->status, f->payment, f->mandated_from,
        f->mandated_to, f->country, f->reference,   sort,      order,      NULL};

    _Static_assert(sizeof read == sizeof list_filters, "one value per filter");
    memcpy(v, read, sizeof read);
    return v;
}

/* ?status=&country=&payment_preference=&mandated_from=&mandated_to=&reference= */
static bool
query_filter(struct request *rq, struct ws_filter *f, struct reply *deny)
{
    const char *country = request_query(rq, "country");
    const char *reference = request_query(rq, "reference");
    char upper[3];

    static const char *const booleans[] = {"true", "false", NULL};
    const char *confirmed;

    memset(f, 0, sizeof *f);
    if (!query_enum(rq, "email_confirmed", booleans, &confirmed, deny))
        return false;
    f->email_confirmed = confirmed == NULL ? -1 : strcmp(confirmed, "true") == 0;
    if (!query_enum(rq, "risk", risk_values, &f->risk, deny) ||
        !query_enum(rq, "eligibility", eligibility_states, &f->eligibility, deny))
        return false;
    if (!query_enum(rq, "status", member_statuses, &f->status, deny) ||
        !query_enum(rq, "payment_preference", payment_preferences, &f->payment, deny) ||
        !guard_query_instant(rq, "mandated_from", &f->mandated_from, deny) ||
        !guard_query_instant(rq, "mandated_to", &f->mandated_to, deny))
        return false;
    if (country != NULL && !country_normalize(country, upper)) {
        *deny = guard_bad_parameter("country", "country must be an ISO 3166-1 alpha-2 code");
        return false;
    }
    f->country = country != NULL ? arena_strdup(rq->arena, upper) : NULL;
    if (reference != NULL) {
        char canonical[REFERENCE_LEN + 1];
        if (!reference_parse(reference, canonical)) {
            *deny = guard_bad_parameter("reference", "reference must be RC-XXXX-XXXX");
            return false;
        }
        f->reference = arena_strdup(rq->arena, canonical);
    }
    return true;
}

static json_t *
member_json(const void *row)
{
    const struct ws_member_row *m = row;
    return json_pack("{s:s, s:s, s:s?, s:s?, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s?, s:I, s:b}",
                     "reference", m->reference, "claim_status", m->status, "review_reason",
                     m->review_reason, "correctable_until", m->correctable_until, "country",
                     m->country, "data_categories", categories_json_array(m->categories),
                     "payment_preference", m->payment_preference, "added_at", m->added_at,
                     "mandated_at", m->mandated_at, "mandate_text_version",
                     m->mandate_text_version, "channel", m->channel, "reviewed_at",
                     m->reviewed_at, "duplicate_attempts", (json_int_t)m->duplicate_attempts,
                     "email_confirmed", m->email_confirmed);
}

/* The path's action id in the database's form (lower case), or NULL when it is no UUID. */
static const char *
path_action_id(struct request *rq)
{
    const char *id = request_param(rq, 0);

    if (!uuid_is_valid(id))
        return NULL;
    char *lower = arena_strdup(rq->arena, id);
    for (char *p = lower; *p != '\0'; p++)
        *p = (char)tolower((unsigned char)*p);
    return lower;
}

/* The page asked for by the query (filter, order, cursor) into q, its cursor's kind and the
 * filters' values it is bound to; false with *deny (400). */
static bool
members_query(struct request *rq, const char *action_id, struct ws_filter *f,
              struct ws_page_query *q, const char **kind, const char *const **values,
              struct reply *deny)
{
    static const char *const sorts[] = {"reference", "mandated_at", NULL};
    static const char *const orders[] = {"asc", "desc", NULL};
    const char *sort, *order, *after;
    int limit;

    if (!query_filter(rq, f, deny) || !query_enum(rq, "sort", sorts, &sort, deny) ||
        !query_enum(rq, "order", orders, &order, deny))
        return false;
    q->f = f;
    q->sort = sort != NULL && strcmp(sort, "mandated_at") == 0 ? WS_SORT_MANDATED
                                                               : WS_SORT_REFERENCE;
    q->desc = order != NULL && strcmp(order, "desc") == 0;
    /* the cursor is tied to this action, this order and these filters: it cannot walk
     * another */
    *kind = arena_printf(rq->arena, "members:%s:%s:%s", action_id,
                         q->sort == WS_SORT_MANDATED ? "m" : "r", q->desc ? "d" : "a");
    *values = filter_values(rq, f, sort, order);
    if (!guard_page(rq, *kind, list_filters, *values, &limit, &after, deny))
        return false;
    q->limit = limit;
    if (after != NULL && q->sort == WS_SORT_MANDATED) {
        const char *bar = strchr(after, '|');
        if (bar == NULL) {
            *deny = problem_reply("invalid-cursor", "the cursor was not issued for this list");
            return false;
        }
        q->after_mandated = arena_strndup(rq->arena, after, (size_t)(bar - after));
        q->after_ref = bar + 1;
    } else {
        q->after_ref = after;
    }
    return true;
}

/* The list asks the database once: the action's owner is checked by the page's statement
 * (only an empty page asks again, to tell 404 from no member: svc_rq_ws_members_page; and a
 * query refused asks first, so that another's action answers 404 before any 400). */
struct reply
handle_ws_members_list(struct request *rq)
{
    struct ws_filter f;
    struct caller who = guard_caller(rq);
    struct action x;
    struct reply deny, not_own;
    const char *kind;
    const char *const *values;
    const char *action_id = path_action_id(rq);
    int n = 0;
    bool more = false;

    if (action_id == NULL || who.association_id == NULL) /* the workspace is an association's */
        return reply_outcome(OUTCOME_NOT_FOUND, NULL);
    struct ws_page_query q = {.action_id = action_id, .association_id = who.association_id};
    if (!members_query(rq, action_id, &f, &q, &kind, &values, &deny)) {
        if (guard_own_action(rq, false, &who, &x, &not_own))
            return deny;
        reply_discard(&deny);
        return not_own;
    }
    int limit = q.limit;
    struct ws_member_row *rows = arena_alloc(rq->arena, sizeof *rows * (size_t)(limit + 1));
    /* its members may come from a replica (docs/api.md §16), and the answer then says how
     * far behind it may be; an empty page's action is checked on the primary */
    struct read_source src;
    enum outcome o = svc_rq_ws_members_page(&q, rq->arena, rows, &n, &more, &src);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    const char *next = NULL;
    if (more) {
        const struct ws_member_row *last = &rows[n - 1];
        next = guard_next_cursor(
            rq, kind, list_filters, values,
            q.sort == WS_SORT_MANDATED
                ? arena_printf(rq->arena, "%s|%s", last->mandated_at, last->reference)
                : last->reference);
    }
    struct reply r = reply_rows(rows, n, sizeof *rows, member_json, next);
    read_guard_mark(rq, &r, &src);
    return r;
}

/* The member view: the claim as its claimant sees it, the review, the duplicate attempts
 * (count and dates: never the refused person's data). */
static json_t *
member_view(struct request *rq, const struct ws_member_view *v)
{
    const struct claim_record *rec = &v->claim;
    struct claimant person = {0};
    const char *description = "";

    if (rec->pii != NULL) {
        char *plain = claims_open(app_secrets(rq->app), rq->arena, rec->data_key_id,
                                  rec->reference, strlen(rec->reference), rec->pii, rec->pii_len);
        if (plain == NULL || !claim_pii_parse(rq->arena, plain, &person, &description))
            return NULL;
    }
    json_t *claim = claims_self_view(rec, &person, description);
    if (claim == NULL)
        return NULL;
    struct json_build b = {0};
    json_t *dates = json_array();
    for (int i = 0; i < v->n_duplicate_dates; i++)
        jb_append(&b, dates, json_string(v->duplicate_dates[i]));
    dates = jb_result(&b, dates); /* NULL: json_pack below fails in turn */
    json_t *history = json_array();
    for (int i = 0; i < v->n_history; i++) {
        const struct ws_history_row *h = &v->history[i];
        jb_append(&b, history,
                  json_pack("{s:s, s:s?, s:s, s:s}", "decision", h->decision, "reason", h->reason,
                            "at", h->at, "by", h->by));
    }
    history = jb_result(&b, history);
    bool rejected = strcmp(rec->status, "rejected") == 0;
    return json_pack("{s:o, s:{s:s, s:s?, s:s?, s:s?, s:s?, s:o}, s:{s:I, s:o}, s:o}", "claim",
                     claim, "review", "status", rec->status, "reason", v->review.review_reason,
                     "note", rec->status_reason, "reviewed_at", v->review.reviewed_at,
                     "correctable_until", rejected ? v->review.correctable_until : NULL, "history",
                     history, "duplicate_attempts", "count",
                     (json_int_t)v->review.duplicate_attempts, "dates", dates, "risk",
                     risk_view_json(&v->risk));
}

struct reply
handle_ws_member_get(struct request *rq)
{
    struct ws_member_view v;
    struct own_member m;
    struct reply deny;

    if (!guard_own_member(rq, false, &m, &deny))
        return deny;
    /* the audit digests the reference alone: who read which claim, when, nothing personal */
    struct audit_note note = {m.who.actor, m.reference, strlen(m.reference)};
    enum outcome o = svc_rq_ws_member_read(&note, m.x.id, m.reference, rq->arena, &v);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    json_t *doc = member_view(rq, &v);
    if (doc == NULL)
        return reply_outcome(OUTCOME_INTERNAL, NULL);
    return reply_json_take(200, doc);
}

/* {"references": [...]}: 1–1000 strings into f->refs; every bad one named (docs/api.md §5.2). */
static void
read_references(struct request *rq, const struct json_fields *jf, json_t *list,
                struct ws_filter *f)
{
    size_t i, n = json_is_array(list) ? json_array_size(list) : 0;
    json_t *item;
    bool all_read = true;

    if (!json_is_array(list) || n == 0 || n > REFERENCES_MAX) {
        errors_add(jf->errors, "references", !json_is_array(list) ? "invalid-type" : "invalid-value",
                   "give an array of 1 to 1000 references");
        return;
    }
    const char **refs = arena_alloc(rq->arena, sizeof *refs * n);
    json_array_foreach(list, i, item) {
        char path[48];
        snprintf(path, sizeof path, "references[%zu]", i);
        if ((refs[i] = jf_reference_item(jf, item, path)) == NULL)
            all_read = false;
    }
    if (!all_read)
        return;
    f->refs = refs;
    f->n_refs = (int)n;
}

bool
ws_claims_body_read(struct request *rq, const char *const *keys, struct ws_claims_body *b,
                    struct reply *deny)
{
    b->errors = (struct errors){0};
    if (!guard_own_action(rq, true, &b->who, &b->x, deny) ||
        !json_body_fields(rq, false, keys, &b->errors, &b->jf, deny))
        return false;
    /* null is absent (docs/api.md §1.4): {"references": null, "filter": {...}} is a filter */
    b->references = jf_has(&b->jf, "references") ? json_object_get(b->jf.obj, "references") : NULL;
    b->by_filter = jf_object(&b->jf, "filter", false, &b->filter);
    /* both given: both kept, so that the errors inside each are named beside this one
     * (docs/api.md §5.2) */
    if ((b->references != NULL) == b->by_filter)
        errors_add(&b->errors, "references", "required",
                   "give exactly one of references or filter");
    return true;
}

/* {"filter": {...}}: the fields of the list's query, as JSON. */
void
ws_filter_from_json(const struct json_fields *jf, struct ws_filter *f)
{
    static const char *const keys[] = {"status", "country", "payment_preference",
                                       "mandated_from", "mandated_to", "email_confirmed",
                                       "risk", "eligibility", NULL};
    bool confirmed;

    jf_refuse_unknown(jf, keys);
    f->email_confirmed = jf_bool(jf, "email_confirmed", &confirmed) ? confirmed : -1;
    f->status = jf_enum(jf, "status", false, member_statuses);
    f->payment = jf_enum(jf, "payment_preference", false, payment_preferences);
    f->risk = jf_enum(jf, "risk", false, risk_values);
    f->eligibility = jf_enum(jf, "eligibility", false, eligibility_states);
    f->country = jf_country(jf, "country", false);
    f->mandated_from = jf_instant(jf, "mandated_from", false);
    f->mandated_to = jf_instant(jf, "mandated_to", false);
}

struct reply
handle_ws_reviews(struct request *rq)
{
    static const char *const keys[] = {"references", "filter", "decision", "reason", "note",
                                       "expected_count", "dry_run", NULL};
    struct ws_filter f = {.email_confirmed = -1};
    struct ws_review_result res;
    struct ws_claims_body b;
    struct reply deny;

    if (!ws_claims_body_read(rq, keys, &b, &deny))
        return deny;
    const struct json_fields *jf = &b.jf;
    if (b.references != NULL)
        read_references(rq, jf, b.references, &f);
    if (b.by_filter)
        ws_filter_from_json(&b.filter, &f);
    struct ws_review_request r = {.expected = -1};
    r.d.action_id = b.x.id;
    r.d.f = &f;
    r.d.decision = jf_enum(jf, "decision", true, review_decisions);
    r.d.reason = jf_enum(jf, "reason", false, reject_reasons);
    r.d.note = jf_long_text(jf, "note", false, NOTE_MAX);
    r.d.correct_days = ((const struct app *)rq->app)->cfg->correction_days;
    bool present = false;
    jf_int64(jf, "expected_count", false, 0, INT64_MAX, &r.expected, &present);
    if (!present)
        r.expected = -1;
    jf_bool(jf, "dry_run", &r.dry_run);
    bool rejecting = r.d.decision != NULL && strcmp(r.d.decision, "rejected") == 0;
    if (rejecting && r.d.reason == NULL && !jf_has(jf, "reason"))
        errors_add(&b.errors, "reason", "required", "say why the claims are rejected");
    if (!rejecting && jf_has(jf, "reason"))
        errors_add(&b.errors, "reason", "invalid-value", "a reason goes with a rejection only");
    /* a decision on every member matching a filter runs only on a count the client saw */
    if (b.by_filter && b.references == NULL && !r.dry_run && !present)
        errors_add(&b.errors, "expected_count", "required",
                   "confirm the count a dry run gave for this filter");
    if (errors_any(&b.errors))
        return json_body_invalid(&b.errors);
    struct audit_note note = {b.who.actor, rq->body.data, rq->body.len};
    enum outcome o = svc_rq_ws_review(&note, &r, rq->arena, &res);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    if (res.count_changed) {
        /* "1 member matches", not "1 members match": the detail is read by an integrator */
        struct reply p = problem_reply(
            "count-changed",
            arena_printf(rq->arena, "%lld %s now, not %lld: nothing was changed",
                         (long long)res.count, res.count == 1 ? "member matches" : "members match",
                         (long long)r.expected));
        return p;
    }
    return reply_json_take(200, json_pack("{s:s, s:I, s:b, s:s?}", "decision", r.d.decision,
                                          "count", (json_int_t)res.count, "dry_run", r.dry_run,
                                          "batch_id",
                                          res.batch_id[0] != '\0' ? res.batch_id : NULL));
}

struct reply
handle_ws_member_removal(struct request *rq)
{
    static const char *const keys[] = {"reason", NULL};
    struct errors errors = {0};
    struct own_member m;
    struct reply deny;

    if (!guard_own_member(rq, true, &m, &deny))
        return deny;
    struct json_fields jf;
    if (!json_body_fields(rq, false, keys, &errors, &jf, &deny))
        return deny;
    const char *reason = jf_enum(&jf, "reason", true, removal_reasons);
    if (errors_any(&errors))
        return json_body_invalid(&errors);
    struct audit_note note = {m.who.actor, rq->body.data, rq->body.len};
    enum outcome o = svc_rq_ws_member_remove(&note, m.x.id, m.reference, reason);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    return reply_json_take(200,
                           json_pack("{s:s, s:s}", "reference", m.reference, "reason", reason));
}

struct reply
handle_ws_timeline(struct request *rq)
{
    struct ws_day *days = NULL;
    struct caller who;
    struct action x;
    struct reply deny;
    int n = 0;

    if (!guard_own_action(rq, false, &who, &x, &deny))
        return deny;
    enum outcome o = svc_rq_ws_members_per_day(x.id, rq->arena, &days, &n);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    struct json_build b = {0};
    json_t *per_day = json_array();
    for (int i = 0; i < n; i++)
        jb_append(&b, per_day, json_pack("{s:s, s:I}", "date", days[i].date, "members",
                                         (json_int_t)days[i].n));
    per_day = jb_result(&b, per_day);
    return reply_json_take(200, json_pack("{s:s, s:o}", "action_id", x.id, "members_per_day",
                                          per_day));
}
