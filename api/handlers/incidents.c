/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Incident handlers: parse and validate (every error at once), one service call, reply. */
#include "handlers/incidents.h"

#include <string.h>
#include <time.h>

#include "app.h"
#include "core/arena.h"
#include "domain/currency.h"
#include "domain/dates.h"
#include "handlers/claim_json.h"
#include "handlers/compensation.h"
#include "handlers/guard.h"
#include "handlers/handlers.h"
#include "handlers/public_cache.h"
#include "handlers/scheme_json.h"
#include "http/json_body.h"
#include "http/json_build.h"
#include "http/json_fields.h"
#include "http/outcome.h"
#include "service/compensation.h"
#include "service/incidents.h"

#define LIST_KIND "incidents"

static const char *const create_members[] = {
    "slug", "controller", "title", "disclosed_on", "affected_count", "data_categories",
    "authority_reference", "currency", "status", NULL};

static void
check_disclosed_on(const struct json_fields *jf, const char *date)
{
    struct civil_date d;
    struct civil_date today = civil_date_of(time(NULL));

    if (date != NULL && civil_date_parse(date, &d) && civil_date_compare(&d, &today) > 0)
        errors_add(jf->errors, "disclosed_on", "out-of-range", "must not be in the future");
}

static void
read_create(const struct json_fields *jf, void *out)
{
    struct incident *in = out;
    bool present = false;

    jf_refuse_unknown(jf, create_members);
    in->slug = jf_text(jf, "slug", true, 64);
    if (in->slug != NULL && !incident_slug_is_valid(in->slug))
        errors_add(jf->errors, "slug", "invalid-format",
                   "3-64 of a-z, 0-9 and inner hyphens");
    in->controller = jf_text(jf, "controller", true, 200);
    in->title = jf_text(jf, "title", true, 300);
    in->disclosed_on = jf_date(jf, "disclosed_on", true);
    check_disclosed_on(jf, in->disclosed_on);
    jf_int64(jf, "affected_count", true, 0, INCIDENT_AFFECTED_MAX, &in->affected_count, &present);
    jf_categories(jf, "data_categories", true, 0, &in->data_categories);
    in->authority_reference = jf_text(jf, "authority_reference", false, 200);
    in->currency = jf_text(jf, "currency", true, 3);
    if (in->currency != NULL && currency_exponent(in->currency) < 0)
        errors_add(jf->errors, "currency", "invalid-value", "not an ISO 4217 currency code");
    in->status = jf_enum(jf, "status", false, incident_statuses);
    if (in->status == NULL)
        in->status = "open";
}

static json_t *
incident_fields(const struct app *app, const struct incident *inc)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:I, s:o, s:s?, s:s, s:s, s:s, s:n, s:n, s:s, s:s}",
                     "slug", inc->slug, "controller", inc->controller, "title", inc->title,
                     "disclosed_on", inc->disclosed_on, "affected_count",
                     (json_int_t)inc->affected_count, "data_categories",
                     categories_json_array(inc->data_categories), "authority_reference",
                     inc->authority_reference, "status", inc->status, "currency", inc->currency,
                     "privacy_notice_version", app->cfg->privacy_notice_version,
                     "scheme_version", "scheme", "created_at", inc->created_at, "updated_at",
                     inc->updated_at);
}

/* The incident with its scheme in force and its totals (docs/api.md §10.1) into *out. Totals whose
 * money cannot be computed show it as null (incident_totals logs the bug): the incident itself
 * stands, in a list, after a write. Else the database's outcome, *out NULL. */
static enum outcome
incident_json(struct request *rq, const struct incident *inc, json_t **out)
{
    json_t *totals = NULL;
    struct scheme_record rec;
    struct json_build b = {0};
    bool has = false;

    *out = NULL;
    enum outcome o = incident_totals(rq, inc, &totals);
    if (o == OUTCOME_UNCOMPUTABLE)
        o = OUTCOME_OK;
    if (o == OUTCOME_OK)
        o = svc_rq_compensation_current(inc->id, rq->arena, &rec, &has);
    if (o != OUTCOME_OK) {
        json_decref(totals);
        return o;
    }
    json_t *doc = incident_fields(rq->app, inc);
    jb_set(&b, doc, "totals", totals);
    if (has) {
        /* stored as jsonb (its own key order): shown in the canonical order of a PUT */
        struct scheme sch;
        bool ok = scheme_from_stored(rec.json, &sch);
        jb_set(&b, doc, "scheme_version", json_integer(rec.version));
        jb_set(&b, doc, "scheme", ok ? scheme_to_json(&sch) : json_null());
    }
    *out = jb_result(&b, doc);
    return *out != NULL ? OUTCOME_OK : OUTCOME_UNAVAILABLE; /* out of memory */
}

/* 200 (201) with the incident the service's call gave (its outcome o), or the outcome that
 * prevented it: o's, or that of the incident's JSON. */
static struct reply
incident_reply(struct request *rq, enum outcome o, const struct incident *inc, int status)
{
    json_t *doc = NULL;

    if (o == OUTCOME_OK)
        o = incident_json(rq, inc, &doc);
    return o == OUTCOME_OK ? reply_json_take(status, doc) : reply_outcome(o, NULL);
}

struct reply
handle_incidents_create(struct request *rq)
{
    struct reply deny;
    struct incident in = {0};
    struct incident out;

    if (!json_body_read(rq, false, read_create, &in, &deny))
        return deny;
    struct audit_note note = guard_audit_note(rq);
    enum outcome o = svc_rq_incidents_create(&note, &in, rq->arena, &out);
    struct reply r = incident_reply(rq, o, &out, 201);
    if (o == OUTCOME_OK)
        reply_add_header(&r, "Location", arena_printf(rq->arena, "/v1/incidents/%s", out.slug));
    return r;
}

struct reply
handle_incidents_get(struct request *rq)
{
    struct incident inc;
    enum outcome o = svc_rq_incidents_get(request_param(rq, 0), rq->arena, &inc);

    return incident_reply(rq, o, &inc, 200);
}

struct reply
handle_incidents_list(struct request *rq)
{
    struct reply deny;
    int limit;
    const char *after;
    int n = 0;
    bool more = false;

    if (!guard_page(rq, LIST_KIND, NULL, NULL, &limit, &after, &deny))
        return deny;
    struct incident *rows = arena_alloc(rq->arena, sizeof *rows * (size_t)(limit + 1));
    enum outcome o = svc_rq_incidents_list_open(after, limit, rq->arena, rows, &n, &more);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    struct json_build b = {0};
    json_t *data = json_array();
    for (int i = 0; i < n; i++) {
        json_t *item;
        /* only the database can fail an item (an incident whose money cannot be computed is
         * listed with it null), and then with its own outcome: 503 only when unreachable */
        o = incident_json(rq, &rows[i], &item);
        if (o != OUTCOME_OK) {
            json_decref(data);
            return reply_outcome(o, NULL);
        }
        jb_append(&b, data, item);
    }
    const char *next = more ? guard_next_cursor(rq, LIST_KIND, NULL, NULL, rows[n - 1].slug) : NULL;
    return reply_page(&b, data, next);
}

static const char *const patch_members[] = {
    "slug", "controller", "title", "disclosed_on", "affected_count", "data_categories",
    "authority_reference", "currency", "status", "privacy_notice_version", "scheme",
    "scheme_version", "totals", "created_at", "updated_at", NULL};
static const char *const read_only_members[] = {"privacy_notice_version", "scheme",
                                                "scheme_version", "totals", "created_at",
                                                "updated_at", NULL};

/* A merge patch (RFC 7396): a member present replaces, null removes; removing a required
 * member is `required`. */
static void
read_patch(const struct json_fields *jf, struct incident_patch *p)
{
    jf_refuse_unknown(jf, patch_members);
    for (size_t i = 0; read_only_members[i] != NULL; i++)
        if (json_object_get(jf->obj, read_only_members[i]) != NULL)
            errors_add(jf->errors, read_only_members[i], "read-only", "set by the server");
    if ((p->has_controller = json_object_get(jf->obj, "controller") != NULL))
        p->value.controller = jf_text(jf, "controller", true, 200);
    if ((p->has_title = json_object_get(jf->obj, "title") != NULL))
        p->value.title = jf_text(jf, "title", true, 300);
    if ((p->has_disclosed_on = json_object_get(jf->obj, "disclosed_on") != NULL)) {
        p->value.disclosed_on = jf_date(jf, "disclosed_on", true);
        check_disclosed_on(jf, p->value.disclosed_on);
    }
    if ((p->has_affected_count = json_object_get(jf->obj, "affected_count") != NULL))
        jf_int64(jf, "affected_count", true, 0, INCIDENT_AFFECTED_MAX, &p->value.affected_count,
                 NULL);
    if ((p->has_data_categories = json_object_get(jf->obj, "data_categories") != NULL))
        jf_categories(jf, "data_categories", true, 0, &p->value.data_categories);
    if ((p->has_authority_reference = json_object_get(jf->obj, "authority_reference") != NULL))
        p->value.authority_reference = jf_text(jf, "authority_reference", false, 200);
    if ((p->has_status = json_object_get(jf->obj, "status") != NULL))
        p->value.status = jf_enum(jf, "status", true, incident_statuses);
}

/* slug and currency cannot change: a patch that names them with another value is refused. */
static void
check_immutable(const struct json_fields *jf, const struct incident *cur)
{
    const char *names[] = {"slug", "currency"};
    const char *values[] = {cur->slug, cur->currency};

    for (int i = 0; i < 2; i++) {
        json_t *v = json_object_get(jf->obj, names[i]);
        if (v != NULL && !(json_is_string(v) && strcmp(json_string_value(v), values[i]) == 0))
            errors_add(jf->errors, names[i], "immutable", "cannot change after creation");
    }
}

struct reply
handle_incidents_update(struct request *rq)
{
    struct reply deny;
    struct errors errors = {0};
    struct incident_patch patch = {0};
    struct incident cur;
    struct incident out;

    json_t *body = json_body_object(rq, true, &deny);
    if (body == NULL)
        return deny;
    enum outcome o = svc_rq_incidents_get(request_param(rq, 0), rq->arena, &cur);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    struct json_fields jf = {.obj = body, .prefix = "", .errors = &errors, .arena = rq->arena};
    read_patch(&jf, &patch);
    check_immutable(&jf, &cur);
    if (errors_any(&errors))
        return json_body_invalid(&errors);
    struct audit_note note = guard_audit_note(rq);
    o = svc_rq_incidents_update(&note, cur.slug, &patch, rq->arena, &out);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    public_cache_forget(cur.slug); /* affected_count, status: this process shows them at once */
    public_cache_forget(out.slug);
    return incident_reply(rq, o, &out, 200);
}
