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
#include "handlers/read_guard.h"
#include "handlers/public_cache.h"
#include "handlers/scheme_json.h"
#include "handlers/summary_json.h"
#include "http/json_body.h"
#include "http/json_fields.h"
#include "http/outcome.h"
#include "http/problem.h"
#include "service/actions.h"
#include "service/compensation.h"
#include "service/incidents.h"

/* ?basis=all|verified (default all). */
static bool
read_basis(struct request *rq, bool *verified_only, struct reply *deny)
{
    const char *b = request_query(rq, "basis");

    *verified_only = b != NULL && strcmp(b, "verified") == 0;
    if (b == NULL || strcmp(b, "all") == 0 || *verified_only)
        return true;
    *deny = guard_bad_parameter("basis", "basis must be all or verified");
    return false;
}

/* The scheme in force of the incident, parsed; *has false when none is set. */
static bool
current_scheme(struct request *rq, PGconn *c, const struct incident *inc, struct scheme *s,
               int *version, bool *has, struct reply *deny)
{
    struct scheme_record rec;
    struct errors ignored = {0};
    enum outcome o = svc_compensation_current(c, inc->id, rq->arena, &rec, has);

    *version = 0;
    if (o != OUTCOME_OK) {
        *deny = reply_outcome(o, NULL);
        return false;
    }
    if (!*has)
        return true;
    json_t *doc = json_loads(rec.json, 0, NULL);
    if (doc == NULL || !scheme_from_json(doc, "", s, &ignored)) {
        json_decref(doc);
        *deny = reply_outcome(OUTCOME_INTERNAL, NULL);
        return false;
    }
    json_decref(doc);
    *version = rec.version;
    return true;
}

/* Summary of an incident (action NULL) or of an action's members, for scheme s (NULL: none). */
static struct reply
summarise(struct request *rq, const struct incident *inc, const struct action *x,
          const struct scheme *s, struct summary_head *h)
{
    struct tally_group *pool = NULL, *groups = NULL;
    int n_pool = 0, n = 0;
    int64_t dups = 0, action_dups = 0;
    struct summary_view v;
    struct read_source src;
    struct reply r;
    PGconn *c; /* the tallies may come from a replica (docs/api.md, "Reads from a replica") */

    if (!guard_db_read(&c, &src, &r))
        return r;
    h->incident = inc->slug;
    h->action_id = x != NULL ? x->id : NULL;
    h->currency = inc->currency;
    h->affected_count = inc->affected_count;
    if (x == NULL) { /* the incident's own: from rows that do not grow with the claims */
        enum outcome so = svc_compensation_summary(c, inc->id, s, h->verified_only,
                                                   inc->affected_count, rq->arena, &v);
        if (so != OUTCOME_OK)
            return reply_outcome(so, NULL);
        r = reply_json_take(200, summary_json(h, s, &v));
        read_guard_mark(rq, &r, &src);
        return r;
    }
    enum outcome o = svc_compensation_groups(c, inc->id, rq->arena, &pool, &n_pool, &dups);
    if (o == OUTCOME_OK && x != NULL)
        o = svc_compensation_action_groups(c, x->id, rq->arena, &groups, &n, &action_dups);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    if (x == NULL) {
        groups = pool;
        n = n_pool;
    }
    /* a figure that cannot be computed is this summary's failure, never the database's */
    if (!summary_build(s, groups, n, pool, n_pool, h->verified_only, inc->affected_count,
                       x != NULL ? action_dups : dups, rq->arena, &v)) {
        log_bug("summary of incident %lld could not be computed", (long long)inc->id);
        return reply_outcome(OUTCOME_UNCOMPUTABLE, NULL);
    }
    r = reply_json_take(200, summary_json(h, s, &v));
    read_guard_mark(rq, &r, &src);
    return r;
}

/* The summary of the incident of the path for a caller (full view for an operator or an
 * association, public view without a credential; the route's role refused any other). */
static struct reply
incident_summary(struct request *rq, bool verified_only)
{
    struct summary_head h = {.verified_only = verified_only};
    struct incident inc;
    struct caller who = guard_caller(rq);
    struct scheme s;
    struct reply deny;
    bool has = false;
    PGconn *c;

    if (!guard_db(&c, &deny))
        return deny;
    enum outcome o = svc_incidents_get(c, request_param(rq, 0), rq->arena, &inc);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    if (!current_scheme(rq, c, &inc, &s, &h.scheme_version, &has, &deny))
        return deny;
    h.full = who.kind == CALLER_OPERATOR || who.kind == CALLER_ASSOCIATION;
    return summarise(rq, &inc, NULL, has ? &s : NULL, &h);
}

/* Without a credential the answer is the same for everyone and costs as much as the full
 * one (every claim group is read): it comes from the per-process cache, a few seconds old at
 * most, computed once per incident however many ask at once (handlers/public_cache.h). */
static struct reply
public_incident_summary(struct request *rq, bool verified_only)
{
    struct public_cache_ticket ticket;
    struct reply r;
    char *body = NULL;
    size_t len = 0;

    switch (public_cache_get(request_param(rq, 0), verified_only ? "verified" : "all", &body,
                             &len, &ticket)) {
    case PUBLIC_CACHE_HIT:
        r = reply_empty(200);
        r.content_type = "application/json; charset=utf-8";
        r.body = body;
        r.body_len = len;
        break;
    case PUBLIC_CACHE_LEAD:
        r = incident_summary(rq, verified_only);
        public_cache_put(&ticket, r.status == 200 ? r.body : NULL, r.body_len);
        break;
    case PUBLIC_CACHE_BYPASS:
    default:
        r = incident_summary(rq, verified_only);
        break;
    }
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
    bool verified_only = false;
    struct reply deny;

    if (!read_basis(rq, &verified_only, &deny))
        return deny;
    if (request_header(rq, "Authorization") == NULL)
        return public_incident_summary(rq, verified_only);
    return incident_summary(rq, verified_only);
}

struct reply
handle_action_compensation(struct request *rq)
{
    struct summary_head h = {.full = true};
    struct incident inc;
    struct action x;
    struct caller who = guard_caller(rq);
    struct scheme s;
    struct reply deny;
    bool has = false;
    PGconn *c;

    if (!guard_db(&c, &deny) ||
        !read_basis(rq, &h.verified_only, &deny))
        return deny;
    const char *id = request_param(rq, 0);
    enum outcome o = uuid_is_valid(id) ? svc_actions_get(c, id, who.association_id, rq->arena, &x)
                                       : OUTCOME_NOT_FOUND;
    if (o == OUTCOME_OK)
        o = svc_incidents_get(c, x.incident, rq->arena, &inc);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    if (!current_scheme(rq, c, &inc, &s, &h.scheme_version, &has, &deny))
        return deny;
    return summarise(rq, &inc, &x, has ? &s : NULL, &h);
}

struct reply
handle_scheme_put(struct request *rq)
{
    struct errors errors = {0};
    struct scheme_record rec;
    struct incident inc;
    struct caller who = guard_caller(rq);
    struct scheme s;
    struct reply deny;
    PGconn *c;

    if (!guard_db(&c, &deny))
        return deny;
    enum outcome o = svc_incidents_get(c, request_param(rq, 0), rq->arena, &inc);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    json_t *body = json_body_object(rq, false, &deny);
    if (body == NULL)
        return deny;
    scheme_check(body, "", inc.currency, &s, &errors);
    if (errors_any(&errors))
        return json_body_invalid(&errors);
    json_t *canonical = scheme_to_json(&s);
    char *text = json_dumps(canonical, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(canonical);
    if (text == NULL)
        return reply_outcome(OUTCOME_INTERNAL, NULL);
    arena_defer(rq->arena, free, text);
    struct audit_note note = {who.actor, rq->body.data, rq->body.len};
    o = svc_compensation_put(c, &note, &inc, text, rq->arena, &rec);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    public_cache_forget(inc.slug); /* this process's readers see the new scheme at once */
    return reply_json_take(200, json_pack("{s:s, s:i, s:o, s:s}", "incident", inc.slug,
                                          "version", rec.version, "scheme", scheme_to_json(&s),
                                          "created_at", rec.created_at));
}

static json_t *
preset_json(const struct preset *p)
{
    return json_pack("{s:s, s:s, s:s, s:I, s:o}", "id", p->id, "name", p->name, "source",
                     p->source, "affected_count", (json_int_t)p->affected_count, "scheme",
                     scheme_to_json(&p->scheme));
}

struct reply
handle_presets(struct request *rq)
{
    json_t *data = json_array();

    (void)rq;
    for (size_t i = 0; i < n_presets; i++)
        json_array_append_new(data, preset_json(&presets[i]));
    return reply_json_take(200, json_pack("{s:o, s:n}", "data", data, "next"));
}

/* The target of a simulation: an incident, or one of the caller's actions (and its
 * incident). False with errors or *deny. */
static bool
simulation_target(struct request *rq, PGconn *c, const struct caller *who, json_t *body,
                  struct errors *errors, struct incident *inc, struct action *x, bool *is_action,
                  struct reply *deny)
{
    json_t *slug = json_object_get(body, "incident");
    json_t *action = json_object_get(body, "action_id");
    enum outcome o;

    *is_action = action != NULL && !json_is_null(action);
    if ((slug != NULL && !json_is_null(slug)) == *is_action) {
        errors_add(errors, "incident", "required", "give exactly one of incident or action_id");
        return false;
    }
    if (*is_action) {
        const char *id = json_is_string(action) ? json_string_value(action) : "";
        o = uuid_is_valid(id) ? svc_actions_get(c, id,
                                                who->kind == CALLER_ASSOCIATION
                                                    ? who->association_id : NULL,
                                                rq->arena, x)
                              : OUTCOME_NOT_FOUND;
        if (o == OUTCOME_OK)
            o = svc_incidents_get(c, x->incident, rq->arena, inc);
    } else {
        o = json_is_string(slug) ? svc_incidents_get(c, json_string_value(slug), rq->arena, inc)
                                 : OUTCOME_NOT_FOUND;
    }
    if (o == OUTCOME_NOT_FOUND) {
        errors_add(errors, *is_action ? "action_id" : "incident", "not-found",
                   "no such incident or action of yours");
        return false;
    }
    if (o != OUTCOME_OK) {
        *deny = reply_outcome(o, NULL);
        return false;
    }
    return true;
}

/* The proposed scheme: a scheme object, or a preset id. */
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
        scheme_check(obj, "scheme", inc->currency, s, errors);
        return errors->n == before;
    }
    const struct preset *p = json_is_string(preset) ? preset_find(json_string_value(preset))
                                                    : NULL;
    if (p == NULL) {
        errors_add(errors, "preset", "not-found", "no preset with this id");
        return false;
    }
    if (strcmp(p->scheme.currency, inc->currency) != 0) {
        errors_add(errors, "preset", "mismatch", "the preset pays in another currency");
        return false;
    }
    *s = p->scheme;
    return true;
}

struct reply
handle_simulate(struct request *rq)
{
    static const char *const members[] = {"incident", "action_id", "scheme", "preset", "basis",
                                          NULL};
    static const char *const bases[] = {"all", "verified", NULL};
    struct summary_head h = {.full = true, .simulated = true};
    struct errors errors = {0};
    struct incident inc;
    struct action x;
    struct caller who = guard_caller(rq);
    struct scheme s;
    struct reply deny;
    bool is_action = false;
    PGconn *c;

    if (!guard_db(&c, &deny))
        return deny;
    json_t *body = json_body_object(rq, false, &deny);
    if (body == NULL)
        return deny;
    struct json_fields jf = {.obj = body, .prefix = "", .errors = &errors, .arena = rq->arena};
    jf_refuse_unknown(&jf, members);
    const char *basis = jf_enum(&jf, "basis", false, bases);
    h.verified_only = basis != NULL && strcmp(basis, "verified") == 0;
    if (!simulation_target(rq, c, &who, body, &errors, &inc, &x, &is_action, &deny) &&
        !errors_any(&errors))
        return deny;
    if (!errors_any(&errors))
        simulation_scheme(body, &inc, &s, &errors);
    if (errors_any(&errors))
        return json_body_invalid(&errors);
    return summarise(rq, &inc, is_action ? &x : NULL, &s, &h);
}

static enum outcome
compute_incident_totals(struct request *rq, PGconn *c, const struct incident *inc,
                        json_t **out)
{
    struct scheme_record rec;
    struct summary_view v;
    struct scheme s;
    bool has = false;

    *out = NULL;
    enum outcome o = svc_compensation_current(c, inc->id, rq->arena, &rec, &has);
    if (o != OUTCOME_OK)
        return o; /* the database's own outcome: 503 only when it is unreachable */
    bool computed = true;
    if (has) {
        struct errors ignored = {0};
        json_t *doc = json_loads(rec.json, 0, NULL);
        computed = doc != NULL && scheme_from_json(doc, "", &s, &ignored);
        json_decref(doc);
        if (computed) {
            o = svc_compensation_summary(c, inc->id, &s, false, inc->affected_count,
                                         rq->arena, &v);
            if (o != OUTCOME_OK && o != OUTCOME_UNCOMPUTABLE)
                return o;
            computed = o == OUTCOME_OK;
        }
    }
    if (!has || !computed) { /* the counts need no scheme */
        o = svc_compensation_summary(c, inc->id, NULL, false, inc->affected_count, rq->arena,
                                     &v);
        if (o != OUTCOME_OK)
            return o;
    }
    if (!computed)
        log_bug("totals of incident %lld could not be computed", (long long)inc->id);
    int64_t active = v.by_status[0] + v.by_status[1] + v.by_status[2];
    json_t *after = has && computed ? money_json(v.money.total_after_cap) : json_null();
    *out = json_pack("{s:I, s:I, s:o}", "claims", (json_int_t)active, "eligible",
                     (json_int_t)v.eligible, "total_after_cap", after);
    if (*out == NULL)
        return OUTCOME_INTERNAL;
    return computed ? OUTCOME_OK : OUTCOME_UNCOMPUTABLE;
}

/* The totals are the same for every reader of the public incident routes and cost a read of
 * every claim group: they come from the per-process cache like the public summary (a few
 * seconds old at most; handlers/public_cache.h). Totals whose money could not be computed are
 * kept too (their money is null, the bug logged once per computation); a database failure is
 * not kept. */
enum outcome
incident_totals(struct request *rq, PGconn *c, const struct incident *inc, json_t **out)
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
        return compute_incident_totals(rq, c, inc, out);
    case PUBLIC_CACHE_LEAD:
        o = compute_incident_totals(rq, c, inc, out);
        body = *out != NULL ? json_dumps(*out, JSON_COMPACT) : NULL;
        public_cache_put(&ticket, body, body != NULL ? strlen(body) : 0);
        free(body);
        return o;
    case PUBLIC_CACHE_BYPASS:
    default:
        return compute_incident_totals(rq, c, inc, out);
    }
}
