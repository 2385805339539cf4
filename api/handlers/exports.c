/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Export handlers: parameters, roles, the record, then the streamed body
 * (handlers/export_stream.c). Any other association's action or export answers 404. */
#include "handlers/exports.h"

#include <string.h>

#include "app.h"
#include "core/arena.h"
#include "core/errors.h"
#include "core/log.h"
#include "domain/uuid.h"
#include "handlers/export_stream.h"
#include "handlers/guard.h"
#include "handlers/read_guard.h"
#include "handlers/scheme_json.h"
#include "http/outcome.h"
#include "http/problem.h"
#include "service/actions.h"
#include "service/compensation.h"
#include "service/exports.h"
#include "service/incidents.h"

struct export_params {
    const char *format;    /* csv | ndjson */
    const char *separator; /* , | ; */
};

/* 400 invalid-parameter naming every bad parameter (docs/api.md §5.2, §12.1). */
static struct reply
bad_parameters(const struct errors *e)
{
    struct reply r = problem_reply("invalid-parameter", "format must be csv or ndjson, "
                                                        "sep , or ;");
    json_t *doc = json_loadb(r.body, r.body_len, 0, NULL);
    json_t *list = json_array();

    for (int i = 0; doc != NULL && list != NULL && i < e->n; i++) {
        json_t *item = json_pack("{s:s, s:s, s:s}", "field", e->items[i].field, "code",
                                 e->items[i].code, "message", e->items[i].message);
        if (item == NULL || json_array_append_new(list, item) != 0) {
            json_decref(list);
            list = NULL;
        }
    }
    if (doc == NULL || list == NULL || json_object_set_new(doc, "errors", list) != 0) {
        json_decref(doc);
        return r; /* the document without its list rather than none */
    }
    reply_discard(&r);
    r = reply_json_take(400, doc);
    r.content_type = "application/problem+json";
    return r;
}

/* ?format=csv|ndjson (csv) and ?sep=,|; (,) — "%3B" arrives decoded. */
static bool
read_params(struct request *rq, struct export_params *p, struct reply *deny)
{
    struct errors e = {0};
    const char *format = request_query(rq, "format");
    const char *sep = request_query(rq, "sep");

    p->format = format == NULL ? "csv" : format;
    p->separator = sep == NULL ? "," : sep;
    if (strcmp(p->format, "csv") != 0 && strcmp(p->format, "ndjson") != 0)
        errors_add(&e, "format", "invalid-value", "format must be csv or ndjson");
    if (strcmp(p->separator, ",") != 0 && strcmp(p->separator, ";") != 0)
        errors_add(&e, "sep", "invalid-value", "sep must be , or ;");
    if (!errors_any(&e))
        return true;
    *deny = bad_parameters(&e);
    return false;
}

/* The scheme in force of the incident, parsed into *s; *has false when none is set. */
static bool
scheme_in_force(struct request *rq, PGconn *c, int64_t incident_id, struct scheme *s, bool *has,
                struct reply *deny)
{
    struct scheme_record rec;
    struct errors ignored = {0};
    enum outcome o = svc_compensation_current(c, incident_id, rq->arena, &rec, has);

    if (o != OUTCOME_OK) {
        *deny = reply_outcome(o, NULL);
        return false;
    }
    if (!*has)
        return true;
    json_t *doc = json_loads(rec.json, JSON_REJECT_DUPLICATES, NULL);
    bool ok = doc != NULL && scheme_from_json(doc, "", s, &ignored);
    json_decref(doc);
    if (!ok)
        *deny = reply_outcome(OUTCOME_INTERNAL, NULL);
    return ok;
}

/* The headers of docs/api.md §12.1 for record rec (Cache-Control: no-store comes with every
 * answer). */
static void
add_headers(struct request *rq, struct reply *r, const struct export_record *rec, const char *ext)
{
    char day[9] = {0};

    /* created_at is YYYY-MM-DDT…: the day the export was made, UTC */
    for (int i = 0, k = 0; rec->created_at[i] != '\0' && rec->created_at[i] != 'T' && k < 8; i++)
        if (rec->created_at[i] != '-')
            day[k++] = rec->created_at[i];
    reply_add_header(r, "Content-Disposition",
                     arena_printf(rq->arena, "attachment; filename=\"recours-%s-%s.%s\"",
                                  rec->action_id, day, ext));
    reply_add_header(r, "X-Export-Id", arena_strdup(rq->arena, rec->id));
}

struct reply
handle_actions_export(struct request *rq)
{
    struct export_params p;
    struct export_awards awards;
    struct export_record rec;
    struct incident inc;
    struct action x;
    struct caller who = guard_caller(rq);
    struct scheme s;
    struct reply deny;
    struct reply_stream st;
    bool has = false;
    PGconn *c;

    if (!guard_db(&c, &deny))
        return deny;
    const char *id = request_param(rq, 0);
    enum outcome o = uuid_is_valid(id) ? svc_actions_get(c, id, who.association_id, rq->arena, &x)
                                       : OUTCOME_NOT_FOUND;
    if (o == OUTCOME_OK)
        o = svc_incidents_get(c, x.incident, rq->arena, &inc);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    if (!read_params(rq, &p, &deny) || !scheme_in_force(rq, c, inc.id, &s, &has, &deny))
        return deny;
    o = svc_exports_awards(c, inc.id, has ? &s : NULL, &awards);
    if (o == OUTCOME_OK)
        o = svc_exports_create(c, x.id, who.association_id, p.format, p.separator, rq->arena, &rec);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    bool csv = strcmp(p.format, "csv") == 0;
    struct export_spec spec = {&rec, who.actor,     inc.currency, &awards, app_secrets(rq->app),
                               csv,  p.separator[0]};
    if (!export_stream_new(&spec, &st)) {
        log_error("export %s: could not start its digest; the record stays streaming", rec.id);
        return reply_outcome(OUTCOME_INTERNAL, NULL);
    }
    struct reply r =
        reply_stream_take(200, csv ? "text/csv; charset=utf-8" : "application/x-ndjson", st);
    add_headers(rq, &r, &rec, csv ? "csv" : "ndjson");
    struct read_source src; /* the member pages may come from a replica: say how far behind */
    PGconn *pages;
    if (guard_db_read(&pages, &src, &deny))
        read_guard_mark(rq, &r, &src);
    return r;
}

static json_t *
record_json(const struct export_record *r)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s?, s:s, s:s, s:s?}", "id", r->id,
                     "action_id", r->action_id, "format", r->format, "separator", r->separator,
                     "rows", (json_int_t)r->rows, "bytes", (json_int_t)r->bytes, "sha256",
                     r->sha256, "status", r->status, "created_at", r->created_at, "completed_at",
                     r->completed_at);
}

struct reply
handle_exports_get(struct request *rq)
{
    struct export_record rec;
    struct caller who = guard_caller(rq);
    struct reply deny;
    PGconn *c;

    if (!guard_db(&c, &deny))
        return deny;
    const char *id = request_param(rq, 0);
    const char *owner = who.kind == CALLER_OPERATOR ? NULL : who.association_id;
    enum outcome o =
        uuid_is_valid(id) ? svc_exports_get(c, id, owner, rq->arena, &rec) : OUTCOME_NOT_FOUND;
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    return reply_json_take(200, record_json(&rec));
}
