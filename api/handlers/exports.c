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
#include "service/exports.h"

struct export_params {
    const char *format;    /* csv | ndjson */
    const char *separator; /* , | ; */
};

/* 400 invalid-parameter naming every bad parameter (docs/api.md §5.2, §12.1). */
static struct reply
bad_parameters(const struct errors *e)
{
    return problem_reply_errors("invalid-parameter", "format must be csv or ndjson, sep , or ;",
                                e);
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
    struct export_params p = {0};
    struct export_started started;
    struct caller who = guard_caller(rq);
    struct reply refused = {0};
    struct reply_stream st;

    /* the parameters are answered after the action is found: 404 comes first */
    bool params_ok = read_params(rq, &p, &refused);
    struct export_start q = {request_param(rq, 0), who.association_id,
                             params_ok ? p.format : NULL, p.separator, scheme_from_stored};
    enum outcome o = uuid_is_valid(q.action_id)
                         ? svc_rq_exports_start(&q, rq->arena, &started)
                         : OUTCOME_NOT_FOUND;
    if (o == OUTCOME_INVALID && !params_ok)
        return refused;
    reply_discard(&refused);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    const struct export_record *rec = &started.record;
    bool csv = strcmp(p.format, "csv") == 0;
    struct export_spec spec = {rec, who.actor, started.incident.currency, &started.awards,
                               app_secrets(rq->app), csv, p.separator[0],
                               ((const struct app *)rq->app)->cfg->export_beat_s};
    if (!export_stream_new(&spec, &st)) {
        log_error("export %s: could not start its digest; the record stays streaming", rec->id);
        return reply_outcome(OUTCOME_INTERNAL, NULL);
    }
    struct reply r =
        reply_stream_take(200, csv ? "text/csv; charset=utf-8" : "application/x-ndjson", st);
    add_headers(rq, &r, rec, csv ? "csv" : "ndjson");
    /* the member pages may come from a replica: say how far behind */
    read_guard_mark(rq, &r, &started.pages);
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
    const char *id = request_param(rq, 0);
    const char *owner = who.kind == CALLER_OPERATOR ? NULL : who.association_id;
    enum outcome o =
        uuid_is_valid(id) ? svc_rq_exports_get(id, owner, rq->arena, &rec) : OUTCOME_NOT_FOUND;
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    return reply_json_take(200, record_json(&rec));
}
