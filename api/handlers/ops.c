/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Health, readiness, metrics and the OpenAPI document. /healthz never touches the database,
 * so it answers while PostgreSQL is down; /readyz does, and also requires the schema to be
 * exactly the migrations this binary was started with. */
#include "handlers/handlers.h"

#include <string.h>

#include "app.h"
#include "core/strbuf.h"
#include "http/metrics.h"
#include "service/intake_metrics.h"
#include "http/problem.h"
#include "service/ops.h"

extern const unsigned char openapi_doc[];
extern const size_t openapi_doc_len;

struct reply
handle_healthz(struct request *rq)
{
    (void)rq;
    return reply_json_take(200, json_pack("{s:s}", "status", "ok"));
}

static struct reply
unavailable(const char *detail)
{
    struct reply r = problem_reply("service-unavailable", detail);

    reply_add_header(&r, "Retry-After", "1");
    return r;
}

struct reply
handle_readyz(struct request *rq)
{
    const struct app *app = rq->app;

    switch (svc_ops_readiness(&app->migrations)) {
    case READY:
        return reply_json_take(200, json_pack("{s:s}", "status", "ready"));
    case READY_PENDING:
        return unavailable("database migrations are pending: run recours migrate");
    case READY_CHANGED:
        return unavailable("applied database migrations differ from this release");
    case READY_UNREACHABLE:
        break;
    }
    return unavailable("the database cannot be reached");
}

struct reply
handle_metrics(struct request *rq)
{
    struct strbuf sb = {0};
    int up = 0;
    int down = 0;

    (void)rq;
    metrics_render_http(&sb);
    intake_metrics_render(&sb);
    svc_ops_connections(&up, &down);
    strbuf_printf(&sb,
                  "# HELP recours_db_connections Worker database connections by state.\n"
                  "# TYPE recours_db_connections gauge\n"
                  "recours_db_connections{state=\"up\"} %d\n"
                  "recours_db_connections{state=\"down\"} %d\n",
                  up, down);
    struct reply r = {.status = 200, .content_type = "text/plain; version=0.0.4; charset=utf-8"};
    r.body_len = sb.len;
    r.body = strbuf_take(&sb);
    return r;
}

struct reply
handle_openapi(struct request *rq)
{
    (void)rq;
    return reply_bytes(200, "application/json; charset=utf-8", openapi_doc, openapi_doc_len);
}
