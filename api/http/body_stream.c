/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See body_stream.h. Called by http/server.c alone, on the connection's worker thread. */
#include "http/body_stream.h"

#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "crypto/sha256.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/router.h"

/* A route template matches the path when each "{name}" stands for one non-empty segment. */
static bool
template_matches(const char *tpl, const char *path)
{
    while (*tpl != '\0' && *path != '\0') {
        if (*tpl == '{') {
            tpl = strchr(tpl, '}');
            if (tpl == NULL)
                return false;
            tpl++;
            size_t seg = strcspn(path, "/");
            if (seg == 0)
                return false;
            path += seg;
            continue;
        }
        if (*tpl++ != *path++)
            return false;
    }
    return *tpl == '\0' && *path == '\0';
}

const struct body_stream_route *
body_stream_find(const struct body_streams *bs, const struct request *rq)
{
    for (size_t i = 0; bs != NULL && i < bs->n; i++)
        if (strcmp(bs->routes[i].method, rq->method) == 0 &&
            template_matches(bs->routes[i].path, rq->path))
            return &bs->routes[i];
    return NULL;
}

struct reply
body_stream_open(const struct body_streams *bs, const struct body_stream_route *r,
                 const struct route *table, size_t n_routes, struct request *rq)
{
    struct reply none = {0}, deny = {0};

    rq->streamed.limit = r->max_body_bytes(rq->app);
    switch (router_match(table, n_routes, rq->method, rq->path, rq->arena, &rq->match)) {
    case ROUTER_MATCH:
        break;
    case ROUTER_NOT_FOUND:
        /* a path the template matches but the router does not: one that is not UTF-8 once
         * percent-decoded names nothing (router.c, docs/api.md §5.3), as on every route */
        return problem_reply("not-found", "no such resource");
    case ROUTER_METHOD_NOT_ALLOWED:
        log_error("streamed route %s %s is not in the route table", r->method, r->path);
        return problem_reply("internal-error", "the server could not answer");
    }
    if (bs->admit != NULL && !bs->admit(rq, &deny))
        return deny;
    rq->streamed.digest = sha256_stream_new();
    if (rq->streamed.digest == NULL)
        return problem_reply("internal-error", "the server could not answer");
    if (!r->open(rq, &rq->streamed.sink, &deny)) {
        memset(&rq->streamed.sink, 0, sizeof rq->streamed.sink);
        return deny;
    }
    return none;
}

bool
body_stream_take(struct request *rq, const char *data, size_t n)
{
    if (rq->streamed.taken + (int64_t)n > rq->streamed.limit)
        return false;
    rq->streamed.taken += (int64_t)n;
    if (!sha256_stream_update(rq->streamed.digest, data, n))
        return false;
    rq->streamed.sink.write(rq->streamed.sink.ctx, data, n);
    return true;
}

bool
body_stream_finish(struct request *rq)
{
    char hex[SHA256_HEX_LEN + 1];

    if (!sha256_stream_peek_hex(rq->streamed.digest, hex))
        return false;
    strbuf_free(&rq->body);
    strbuf_puts(&rq->body, "sha256:");
    strbuf_puts(&rq->body, hex);
    return true;
}

void
body_stream_end(struct request *rq)
{
    if (rq->streamed.sink.end != NULL)
        rq->streamed.sink.end(rq->streamed.sink.ctx);
    memset(&rq->streamed.sink, 0, sizeof rq->streamed.sink);
    sha256_stream_free(rq->streamed.digest);
    rq->streamed.digest = NULL;
}
