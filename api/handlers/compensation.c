/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Compensation handlers: PUT scheme (operator), summaries (public view without credential,
 * full with one), simulation (association, operator), presets (public). */
#include "handlers/compensation.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/arena.h"
#include "core/log.h"
#include "domain/currency.h"
#include "domain/presets.h"
#include "domain/uuid.h"
#include "handlers/guard.h"
#include "handlers/handlers.h"
#include "handlers/read_guard.h"
#include "handlers/public_cache.h"
#include "handlers/scheme_json.h"
#include "handlers/summary_json.h"
#include "http/json_body.h"
#include "http/json_build.h"
#include "http/json_fields.h"
#include "http/outcome.h"
#include "http/problem.h"
#include "service/compensation.h"

#define PRESETS_LIST_KIND "presets"

/* ?basis=all|verified|matched|matched_verified (default all); matched: only the claims
 * matched on the controller's list (docs/eligibility.md "In the summaries"). */
static bool
read_basis(struct request *rq, struct summary_head *h, struct reply *deny)
{
    const char *b = request_query(rq, "basis");

    for (int v = 0; v < 2; v++)
        for (int m = 0; m < 2; m++)
            if (b == NULL || strcmp(b, summary_basis_name(v, m)) == 0) {
                h->verified_only = b != NULL && v;
                h->matched_only = b != NULL && m;
                return true;
            }
    *deny = guard_bad_parameter("basis",
                                "basis must be all, verified, matched or matched_verified");
    return false;
}

/* 200 with the summary read, described by h; says how far behind when its figures came from
 * a replica (docs/api.md §16). */
static struct reply
summary_reply(struct request *rq, struct summary_head *h, const struct summary_result *res)
{
    h->incident = res->incident.slug;
    h->action_id = res->action.id; /* NULL for an incident's summary */
    h->currency = res->incident.currency;
    h->affected_count = res->incident.affected_count;
    h->scheme_version = res->scheme_version;
    struct reply r =
        reply_json_take(200, summary_json(h, res->has_scheme ? &res->scheme : NULL, &res->view));
    read_guard_mark(rq, &r, &res->source);
    return r;
}

/* The summary of the incident of slug for a caller (full view for an operator or an
 * association, public view without a credential; the route's role refused any other). */
static struct reply
incident_summary(struct request *rq, const char *slug, struct summary_head h)
{
    struct summary_query q = {.incident_slug = slug,
                              .verified_only = h.verified_only,
                              .matched_only = h.matched_only,
                              .decode = scheme_from_stored,
                              .lag_ok = true};
    struct summary_result res;
    struct caller who = guard_caller(rq);

    enum outcome o = svc_rq_compensation_summary(&q, rq->arena, &res);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    h.full = who.kind == CALLER_OPERATOR || who.kind == CALLER_ASSOCIATION;
    return summary_reply(rq, &h, &res);
}

/* Without a credential the answer is the same for everyone and costs as much as the full
 * one (every claim group is read): it comes from the per-process cache, a few seconds old at
 * most, computed once per incident however many ask at once (handlers/public_cache.h). */
static struct reply
cached_public_summary(struct request *rq, const char *slug, struct summary_head h)
{
    struct public_cache_ticket ticket;
    struct reply r;
    char *body = NULL;
    size_t len = 0;

    switch (public_cache_get(slug, summary_basis_name(h.verified_only, h.matched_only), &body, &len,
                             &ticket)) {
    case PUBLIC_CACHE_HIT:
        r = reply_empty(200);
        r.content_type = "application/json; charset=utf-8";
        r.body = body;
        r.body_len = len;
        break;
    case PUBLIC_CACHE_LEAD:
        r = incident_summary(rq, slug, h);
        public_cache_put(&ticket, r.status == 200 ? r.body : NULL, r.body_len);
        break;
    case PUBLIC_CACHE_BYPASS:
    default:
        r = incident_summary(rq, slug, h);
        break;
    }
    return r;
}

static struct reply
public_incident_summary(struct request *rq, struct summary_head h)
{
    struct reply r = cached_public_summary(rq, request_param(rq, 0), h);

    if (r.status == 200) {
        r.cache_control = PUBLIC_CACHE_CONTROL;
        /* a shared cache must not hand this answer to a caller with a credential */
        reply_add_header(&r, "Vary", "Authorization");
    }
    return r;
}

struct reply
handle_incident_compensation(struct request *rq)
{
    struct summary_head h = {0};
    struct reply deny;

    if (!read_basis(rq, &h, &deny))
        return deny;
    if (request_header(rq, "Authorization") == NULL)
        return public_incident_summary(rq, h);
    return incident_summary(rq, request_param(rq, 0), h);
}

json_t *
incident_public_summary(struct request *rq, const char *slug)
{
    struct summary_head h = {0};
    struct reply r = cached_public_summary(rq, slug, h);
    json_t *doc = r.status == 200 ? json_loadb(r.body, r.body_len, 0, NULL) : NULL;

    free(r.body);
    return doc;
}

struct reply
handle_action_compensation(struct request *rq)
{
    struct summary_head h = {.full = true};
    struct summary_query q = {.decode = scheme_from_stored, .lag_ok = true};
    struct summary_result res;
    struct caller who = guard_caller(rq);
    struct reply deny;

    if (!read_basis(rq, &h, &deny))
        return deny;
    q.action_id = request_param(rq, 0);
    q.association_id = who.association_id;
    q.verified_only = h.verified_only;
    q.matched_only = h.matched_only;
    enum outcome o = uuid_is_valid(q.action_id)
                         ? svc_rq_compensation_summary(&q, rq->arena, &res)
                         : OUTCOME_NOT_FOUND;
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    return summary_reply(rq, &h, &res);
}

/* What a PUT of a scheme checks once its incident is known (service/compensation.h). */
struct scheme_put {
    struct request *rq;
    struct errors errors;
    struct scheme scheme;
    bool refused;        /* with deny: the body itself was refused (415, 400, 500) */
    struct reply deny;
};

/* The canonical JSON text of the body's scheme for incident inc, or NULL (errors or deny). */
static const char *
check_put(void *ctx, const struct incident *inc)
{
    struct scheme_put *x = ctx;
    json_t *body = json_body_object(x->rq, false, &x->deny);

    x->refused = body == NULL;
    if (body == NULL)
        return NULL;
    scheme_check(body, "", inc->currency, &x->scheme, &x->errors);
    if (errors_any(&x->errors))
        return NULL;
    json_t *canonical = scheme_to_json(&x->scheme);
    char *text = canonical != NULL ? json_dumps(canonical, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(canonical);
    if (text == NULL) {
        x->refused = true;
        x->deny = reply_outcome(OUTCOME_UNAVAILABLE, NULL); /* out of memory */
        return NULL;
    }
    arena_defer(x->rq->arena, free, text);
    return text;
}

struct reply
handle_scheme_put(struct request *rq)
{
    struct scheme_put x = {.rq = rq};
    struct scheme_record rec;
    struct incident inc;
    struct audit_note note = guard_audit_note(rq);

    enum outcome o = svc_rq_compensation_put(&note, request_param(rq, 0), check_put, &x,
                                             rq->arena, &inc, &rec);
    if (o == OUTCOME_INVALID && x.refused)
        return x.deny;
    if (o != OUTCOME_OK)
        return reply_outcome(o, &x.errors);
    public_cache_forget(inc.slug); /* this process's readers see the new scheme at once */
    return reply_json_take(200, json_pack("{s:s, s:i, s:o, s:s}", "incident", inc.slug,
                                          "version", rec.version, "scheme",
                                          scheme_to_json(&x.scheme), "created_at",
                                          rec.created_at));
}

static json_t *
preset_json(const struct preset *p)
{
    return json_pack("{s:s, s:s, s:s, s:I, s:o}", "id", p->id, "name", p->name, "source",
                     p->source, "affected_count", (json_int_t)p->affected_count, "scheme",
                     scheme_to_json(&p->scheme));
}

/* A list like the others (docs/api.md §7): ?limit and ?cursor are checked and honoured, the
 * cursor's position being the last preset id of the page (presets[] is in id order). */
struct reply
handle_presets(struct request *rq)
{
    struct reply deny;
    int limit;
    const char *after;

    if (!guard_page(rq, PRESETS_LIST_KIND, NULL, NULL, &limit, &after, &deny))
        return deny;
    size_t i = 0;
    while (after && i < n_presets && strcmp(presets[i].id, after) <= 0)
        i++;
    struct json_build b = {0};
    json_t *data = json_array();
    for (int n = 0; i < n_presets && n < limit; i++, n++)
        jb_append(&b, data, preset_json(&presets[i]));
    const char *next = i < n_presets
                           ? guard_next_cursor(rq, PRESETS_LIST_KIND, NULL, NULL, presets[i - 1].id)
                           : NULL;
    return reply_page(&b, data, next);
}

/* "no such incident or action of yours" on the member the body named. */
static bool
target_not_found(bool is_action, struct errors *errors)
{
    errors_add(errors, is_action ? "action_id" : "incident", "not-found",
               "no such incident or action of yours");
    return false;
}

/* The target of a simulation into q: an incident by slug, or one of the caller's actions.
 * False with errors when the body names none, both, or one that cannot exist. */
static bool
simulation_target(json_t *body, struct summary_query *q, struct errors *errors)
{
    json_t *slug = json_object_get(body, "incident");
    json_t *action = json_object_get(body, "action_id");
    bool is_action = action != NULL && !json_is_null(action);

    if ((slug != NULL && !json_is_null(slug)) == is_action) {
        errors_add(errors, "incident", "required", "give exactly one of incident or action_id");
        return false;
    }
    if (is_action && json_is_string(action) && uuid_is_valid(json_string_value(action)))
        q->action_id = json_string_value(action);
    else if (!is_action && json_is_string(slug))
        q->incident_slug = json_string_value(slug);
    else
        return target_not_found(is_action, errors);
    return true;
}

/* The proposed scheme: a scheme object, or a preset id. inc NULL: no target to price it for
 * (unknown, or not named well), so its currency is checked alone, against no incident. */
static bool
simulation_scheme(json_t *body, const struct incident *inc, struct scheme *s,
                  struct errors *errors)
{
    json_t *obj = json_object_get(body, "scheme");
    json_t *preset = json_object_get(body, "preset");
    bool by_obj = obj != NULL && !json_is_null(obj);

    if (by_obj == (preset != NULL && !json_is_null(preset))) {
        errors_add(errors, "scheme", "required", "give exactly one of scheme or preset");
        return false;
    }
    if (by_obj) {
        if (!json_is_object(obj)) {
            errors_add(errors, "scheme", "invalid-type", "expected a scheme object");
            return false;
        }
        int before = errors->n;
        scheme_check(obj, "scheme", inc != NULL ? inc->currency : NULL, s, errors);
        return errors->n == before;
    }
    const struct preset *p = json_is_string(preset) ? preset_find(json_string_value(preset))
                                                    : NULL;
    if (p == NULL) {
        errors_add(errors, "preset", "not-found", "no preset with this id");
        return false;
    }
    if (inc != NULL && strcmp(p->scheme.currency, inc->currency) != 0) {
        errors_add(errors, "preset", "mismatch", "the preset pays in another currency");
        return false;
    }
    *s = p->scheme;
    return true;
}

/* What the simulation's chooser sees (scheme_choose_fn): the body and its errors so far. */
struct simulation {
    json_t *body;
    struct errors *errors;
    int errors_before; /* the body's own errors: a run starts again from them */
    bool checked;      /* the scheme or preset was judged against the target */
};

static bool
choose_scheme(void *ctx, const struct incident *inc, struct scheme *out)
{
    struct simulation *x = ctx;

    x->errors->n = x->errors_before;
    x->checked = true;
    /* a body with errors of its own is not priced, but its scheme is judged all the same:
     * every error at once (docs/api.md §5.2) */
    bool clean = !errors_any(x->errors);
    return simulation_scheme(x->body, inc, out, x->errors) && clean;
}

/* The scheme or preset judged without a target, when none could be found: its errors are
 * said with the target's. */
static void
simulation_scheme_alone(json_t *body, struct errors *errors)
{
    struct scheme unused;

    (void)simulation_scheme(body, NULL, &unused, errors);
}

struct reply
handle_simulate(struct request *rq)
{
    static const char *const members[] = {"incident", "action_id", "scheme", "preset", "basis",
                                          NULL};
    /* the same bases as the summary's ?basis= (read_basis) */
    static const char *const bases[] = {"all", "verified", "matched", "matched_verified", NULL};
    struct summary_head h = {.full = true, .simulated = true};
    struct errors errors = {0};
    struct summary_result res;
    struct caller who = guard_caller(rq);
    struct reply deny;
    struct json_fields jf;

    if (!json_body_fields(rq, false, members, &errors, &jf, &deny))
        return deny;
    const char *basis = jf_enum(&jf, "basis", false, bases);
    h.verified_only = basis != NULL && strstr(basis, "verified") != NULL;
    h.matched_only = basis != NULL && strncmp(basis, "matched", 7) == 0;
    struct simulation sim = {jf.obj, &errors, 0, false};
    struct summary_query q = {.verified_only = h.verified_only,
                              .matched_only = h.matched_only,
                              .association_id = who.kind == CALLER_ASSOCIATION
                                                    ? who.association_id
                                                    : NULL,
                              .choose = choose_scheme,
                              .choose_ctx = &sim,
                              .lag_ok = true};
    if (!simulation_target(jf.obj, &q, &errors)) {
        simulation_scheme_alone(jf.obj, &errors);
        return json_body_invalid(&errors);
    }
    sim.errors_before = errors.n;
    enum outcome o = svc_rq_compensation_summary(&q, rq->arena, &res);
    if (o == OUTCOME_NOT_FOUND)
        target_not_found(q.action_id != NULL, &errors);
    if (errors_any(&errors) && !sim.checked)
        simulation_scheme_alone(jf.obj, &errors);
    if (errors_any(&errors))
        return json_body_invalid(&errors);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    return summary_reply(rq, &h, &res);
}

/* The totals of incident inc, read as its summary is (one snapshot). */
static enum outcome
compute_incident_totals(struct request *rq, const struct incident *inc, json_t **out)
{
    struct summary_query q = {.incident = inc, .decode = scheme_from_stored};
    struct summary_result res;

    *out = NULL;
    enum outcome o = svc_rq_compensation_summary(&q, rq->arena, &res);
    if (o != OUTCOME_OK && !res.counted)
        return o; /* the database's own outcome: 503 only when it is unreachable */
    const struct summary_view *v = &res.view;
    int64_t active = v->by_status[0] + v->by_status[1] + v->by_status[2];
    json_t *after = res.has_scheme ? money_json(v->money.total_after_cap) : json_null();
    *out = json_pack("{s:I, s:I, s:o}", "claims", (json_int_t)active, "eligible",
                     (json_int_t)v->eligible, "total_after_cap", after);
    if (*out == NULL)
        return OUTCOME_UNAVAILABLE; /* out of memory */
    return o == OUTCOME_OK ? OUTCOME_OK : OUTCOME_UNCOMPUTABLE;
}

/* The totals are the same for every reader of the public incident routes and cost a read of
 * every claim group: they come from the per-process cache like the public summary (a few
 * seconds old at most; handlers/public_cache.h). Totals whose money could not be computed are
 * kept too (their money is null, the bug logged once per computation); a database failure is
 * not kept. */
enum outcome
incident_totals(struct request *rq, const struct incident *inc, json_t **out)
{
    struct public_cache_ticket ticket;
    char *body = NULL;
    size_t len = 0;
    enum outcome o;

    *out = NULL;
    switch (public_cache_get(inc->slug, "totals", &body, &len, &ticket)) {
    case PUBLIC_CACHE_HIT:
        *out = json_loadb(body, len, 0, NULL);
        free(body);
        if (*out != NULL)
            return OUTCOME_OK;
        return compute_incident_totals(rq, inc, out);
    case PUBLIC_CACHE_LEAD:
        o = compute_incident_totals(rq, inc, out);
        body = *out != NULL ? json_dumps(*out, JSON_COMPACT) : NULL;
        public_cache_put(&ticket, body, body != NULL ? strlen(body) : 0);
        free(body);
        return o;
    case PUBLIC_CACHE_BYPASS:
    default:
        return compute_incident_totals(rq, inc, out);
    }
}
