/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Action handlers: the owner association only; any other caller gets 404 (docs/product.md §2.5,
 * docs/api.md §2.3). */
#include "handlers/actions.h"

#include <string.h>
#include <time.h>

#include "app.h"
#include "core/arena.h"
#include "core/clock.h"
#include "domain/action_rules.h"
#include "domain/dates.h"
#include "domain/uuid.h"
#include "domain/vocab.h"
#include "handlers/action_record.h"
#include "handlers/guard.h"
#include "handlers/handlers.h"
#include "handlers/incidents.h"
#include "http/json_body.h"
#include "http/json_build.h"
#include "http/json_fields.h"
#include "http/outcome.h"
#include "http/problem.h"
#include "service/actions.h"
#include "service/incidents.h"

#define LIST_KIND "actions"

static const char *const members[] = {"incident",      "title",           "legal_basis",
                                      "opt_in_deadline", "counsel_name",  "counsel_email",
                                      "mandate_text",  "mandate_text_version", "status",
                                      /* the public record (handlers/action_record.c) */
                                      "next_date", "next_date_note", "funding_sources",
                                      "fees_charged", "mandate_text_en", "history_add", NULL};
static const char *const action_statuses[] = {"open", "filed", "settled", "closed", NULL};

json_t *
action_json(const struct action *x)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s}",
                     "id", x->id, "association_id", x->association_id, "incident", x->incident,
                     "title", x->title, "legal_basis", x->legal_basis, "opt_in_deadline",
                     x->opt_in_deadline, "counsel_name", x->counsel_name, "counsel_email",
                     x->counsel_email, "mandate_text", x->mandate_text, "mandate_text_version",
                     x->mandate_text_version, "status", x->status, "member_count",
                     (json_int_t)x->member_count, "created_at", x->created_at, "updated_at",
                     x->updated_at);
}

/* An action of a list page (reply_rows). */
static json_t *
action_item(const void *row)
{
    return action_json(row);
}

/* A future RFC 3339 date-time, or a date alone: the end of that day in Paris (the actions are
 * French; an association writes "until 31 January" and means that day whole). */
static const char *
read_deadline(const struct json_fields *jf, bool required)
{
    const char *v = jf_text(jf, "opt_in_deadline", required, 40);
    struct civil_date day;
    time_t t;

    if (v == NULL)
        return NULL;
    if (civil_date_parse(v, &day)) {
        t = paris_day_end(&day);
        char *utc = arena_alloc(jf->arena, 32);
        clock_format_rfc3339(t, -1, utc, 32);
        v = utc;
    } else if (!rfc3339_parse(v, &t)) {
        errors_add(jf->errors, "opt_in_deadline", "invalid-format",
                   "expected an RFC 3339 date-time such as 2027-01-31T23:59:59Z, or a date "
                   "such as 2027-01-31 (the end of that day in Paris: 23:59:59 Europe/Paris)");
        return NULL;
    }
    if (t <= time(NULL)) {
        errors_add(jf->errors, "opt_in_deadline", "out-of-range", "must be in the future");
        return NULL;
    }
    return v;
}

/* A POST or PATCH body: the action's members (in for a POST, patch for a PATCH) and its
 * public record. */
struct action_body {
    struct action in;
    struct action_patch patch;
    struct action_record_patch rec;
    bool record;
};

static void
read_create(const struct json_fields *jf, void *out)
{
    struct action_body *cb = out;
    struct action *in = &cb->in;

    jf_refuse_unknown(jf, members);
    if (json_object_get(jf->obj, "status") != NULL)
        errors_add(jf->errors, "status", "read-only", "a new action is open");
    in->incident = jf_text(jf, "incident", true, 64);
    in->title = jf_text(jf, "title", true, 300);
    in->legal_basis = jf_enum(jf, "legal_basis", true, legal_bases);
    in->opt_in_deadline = read_deadline(jf, true);
    in->counsel_name = jf_text(jf, "counsel_name", true, 200);
    in->counsel_email = jf_email(jf, "counsel_email", true);
    in->mandate_text = jf_long_text(jf, "mandate_text", true, 20000);
    in->mandate_text_version = jf_text(jf, "mandate_text_version", true, 64);
    cb->record = action_record_read(jf, &cb->rec);
    /* every error at once (docs/api.md §5.2): a body refused for other members says too
     * whether its incident takes actions, which the write would have said next (a database
     * that cannot be asked leaves it unsaid) */
    if (errors_any(jf->errors) && in->incident != NULL) {
        struct incident inc = {0};
        enum outcome o = svc_rq_incidents_get(in->incident, jf->arena, &inc);
        if (o == OUTCOME_NOT_FOUND ||
            (o == OUTCOME_OK && inc.status != NULL && strcmp(inc.status, "open") != 0))
            errors_add(jf->errors, "incident", "not-found", "no open incident with this slug");
    }
}

/* The action's JSON with its record's members. */
static struct reply
reply_action(int status, const struct action_doc *d)
{
    json_t *doc = action_json(&d->action);

    if (!action_record_merge(doc, d->record)) {
        json_decref(doc);
        return reply_outcome(OUTCOME_INTERNAL, NULL);
    }
    return reply_json_take(status, doc);
}

struct reply
handle_actions_create(struct request *rq)
{
    struct action_body cb = {0};
    struct action_doc out;
    struct errors errors = {0};
    struct caller who = guard_caller(rq);
    struct reply deny;

    if (!guard_approved(&who, &deny) || !json_body_read(rq, false, read_create, &cb, &deny))
        return deny;
    cb.in.association_id = who.association_id;
    struct audit_note note = guard_audit_note(rq);
    enum outcome o =
        svc_rq_actions_create(&note, &cb.in, cb.record ? &cb.rec : NULL, rq->arena, &out);
    if (o == OUTCOME_INVALID) {
        errors_add(&errors, "incident", "not-found", "no open incident with this slug");
        return json_body_invalid(&errors);
    }
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    struct reply r = reply_action(201, &out);
    reply_add_header(&r, "Location", arena_printf(rq->arena, "/v1/actions/%s", out.action.id));
    return r;
}

struct reply
handle_actions_get(struct request *rq)
{
    struct action_doc d;
    struct caller who = guard_caller(rq);

    if (!uuid_is_valid(request_param(rq, 0)))
        return reply_outcome(OUTCOME_NOT_FOUND, NULL);
    enum outcome o = svc_rq_action_doc(request_param(rq, 0), who.association_id, rq->arena, &d);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    return reply_action(200, &d);
}

/* The list's filters: its cursor is valid only with the values it was made with. */
static const char *const list_filters[] = {"incident", "status", NULL};

static bool
read_filters(struct request *rq, const char **incident, const char **status, struct reply *deny)
{
    *incident = request_query(rq, "incident");
    *status = request_query(rq, "status");
    if (*incident != NULL && !incident_slug_is_valid(*incident)) {
        *deny = guard_bad_parameter("incident", "incident must be an incident slug");
        return false;
    }
    for (size_t i = 0; *status != NULL && action_statuses[i] != NULL; i++)
        if (strcmp(*status, action_statuses[i]) == 0)
            return true;
    if (*status == NULL)
        return true;
    *deny = guard_bad_parameter("status", "status must be open, filed, settled or closed");
    return false;
}

struct reply
handle_actions_list(struct request *rq)
{
    const char *incident, *status, *after;
    struct caller who = guard_caller(rq);
    struct reply deny;
    int limit, n = 0;
    bool more = false;

    /* the cursor is tied to the caller and to the filters: it cannot walk another
     * association's list, nor this one filtered otherwise */
    const char *kind = arena_printf(rq->arena, LIST_KIND ":%s",
                                    who.association_id != NULL ? who.association_id : "");
    if (!read_filters(rq, &incident, &status, &deny))
        return deny;
    const char *const values[] = {incident, status, NULL};
    if (!guard_page(rq, kind, list_filters, values, &limit, &after, &deny))
        return deny;
    struct action *rows = arena_alloc(rq->arena, sizeof *rows * (size_t)(limit + 1));
    enum outcome o = svc_rq_actions_list(who.association_id, incident, status, after, limit,
                                         rq->arena, rows, &n, &more);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    const char *next =
        more ? guard_next_cursor(rq, kind, list_filters, values, rows[n - 1].id) : NULL;
    return reply_rows(rows, n, sizeof *rows, action_item, next);
}

static void
read_patch(const struct json_fields *jf, void *out)
{
    struct action_body *ub = out;
    struct action_patch *p = &ub->patch;
    json_t *o = jf->obj;

    jf_refuse_unknown(jf, members);
    if (json_object_get(o, "incident") != NULL)
        errors_add(jf->errors, "incident", "immutable", "an action stays on its incident");
    if ((p->has_title = json_object_get(o, "title") != NULL))
        p->value.title = jf_text(jf, "title", true, 300);
    if ((p->has_legal_basis = json_object_get(o, "legal_basis") != NULL))
        p->value.legal_basis = jf_enum(jf, "legal_basis", true, legal_bases);
    if ((p->has_opt_in_deadline = json_object_get(o, "opt_in_deadline") != NULL))
        p->value.opt_in_deadline = read_deadline(jf, true);
    if ((p->has_counsel_name = json_object_get(o, "counsel_name") != NULL))
        p->value.counsel_name = jf_text(jf, "counsel_name", true, 200);
    if ((p->has_counsel_email = json_object_get(o, "counsel_email") != NULL))
        p->value.counsel_email = jf_email(jf, "counsel_email", true);
    if ((p->has_mandate_text = json_object_get(o, "mandate_text") != NULL))
        p->value.mandate_text = jf_long_text(jf, "mandate_text", true, 20000);
    if ((p->has_mandate_text_version = json_object_get(o, "mandate_text_version") != NULL))
        p->value.mandate_text_version = jf_text(jf, "mandate_text_version", true, 64);
    if ((p->has_status = json_object_get(o, "status") != NULL))
        p->value.status = jf_enum(jf, "status", true, action_statuses);
    ub->record = action_record_read(jf, &ub->rec);
}

/* A status move the lifecycle refuses, said with the moves it allows from `from` (the status
 * the PATCH's transaction found: one read before it may have changed meanwhile): "this status
 * change is not allowed" left an integrator to guess. */
static struct reply
transition_refused(struct arena *a, const char *from, const char *to)
{
    const char *next = "";
    for (size_t i = 0; action_statuses[i] != NULL; i++) {
        if (strcmp(action_statuses[i], from) != 0 && action_transition_ok(from, action_statuses[i]))
            next = arena_printf(a, "%s%s%s", next, *next ? " or " : "", action_statuses[i]);
    }
    return problem_reply(
        "invalid-transition",
        *next ? arena_printf(a, "the action is %s: it may move to %s, not to %s", from, next, to)
              : arena_printf(a, "the action is %s: it moves no further", from));
}

struct reply
handle_actions_update(struct request *rq)
{
    struct action_body ub = {0};
    struct action own;
    struct action_doc out = {0};
    struct caller who = guard_caller(rq);
    struct reply deny;

    const char *id = request_param(rq, 0);
    enum outcome o = uuid_is_valid(id) ? svc_rq_action_own(id, who.association_id,
                                                           caller_may_write(&who), rq->arena, &own)
                                       : OUTCOME_NOT_FOUND;
    if (o != OUTCOME_OK)
        return reply_outcome(o == OUTCOME_APPROVAL_LAPSED ? o : OUTCOME_NOT_FOUND, NULL);
    if (!json_body_read(rq, true, read_patch, &ub, &deny))
        return deny;
    struct audit_note note = guard_audit_note(rq);
    o = svc_rq_actions_update(&note, id, who.association_id, &ub.patch,
                              ub.record ? &ub.rec : NULL, rq->arena, &out);
    if (o == OUTCOME_INVALID_TRANSITION && ub.patch.has_status && out.action.status != NULL)
        return transition_refused(rq->arena, out.action.status, ub.patch.value.status);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    return reply_action(200, &out);
}
