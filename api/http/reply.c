/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Reply constructors. Serialisation failures become a bare 500 rather than a crash. */
#include "http/reply.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/xalloc.h"

static const char json_content_type[] = "application/json; charset=utf-8";

struct reply
reply_json_take(int status, json_t *json)
{
    struct reply r = {.status = status, .content_type = json_content_type};

    if (json == NULL) {
        /* a document that could not be built: jansson ran out of memory (http/json_build.h),
         * a transient state the client may retry after */
        log_error("reply: the answer could not be built (out of memory)");
        r.status = 503;
        r.body = xstrdup("{\"type\":\"https://recours.dev/problems/service-unavailable\","
                         "\"title\":\"Service unavailable\",\"status\":503,"
                         "\"detail\":\"the server could not build its answer; retry\"}");
        r.body_len = strlen(r.body);
        r.content_type = "application/problem+json";
        reply_add_header(&r, "Retry-After", "1");
        return r;
    }
    r.body = json_dumps(json, JSON_COMPACT);
    json_decref(json);
    if (r.body == NULL) {
        log_bug("json_dumps failed");
        return reply_json_take(status, NULL);
    }
    r.body_len = strlen(r.body);
    return r;
}

struct reply
reply_bytes(int status, const char *content_type, const void *bytes, size_t n)
{
    struct reply r = {.status = status, .content_type = content_type};

    r.body = xmalloc(n + 1);
    memcpy(r.body, bytes, n);
    r.body[n] = '\0';
    r.body_len = n;
    return r;
}

struct reply
reply_stream_take(int status, const char *content_type, struct reply_stream st)
{
    struct reply r = {.status = status, .content_type = content_type, .stream = st};

    return r;
}

struct reply
reply_empty(int status)
{
    struct reply r = {.status = status};

    return r;
}

void
reply_add_header(struct reply *r, const char *name, const char *value)
{
    if (r->n_headers >= REPLY_MAX_HEADERS) {
        log_bug("too many reply headers, dropped %s", name);
        return;
    }
    r->headers[r->n_headers].name = name;
    r->headers[r->n_headers].value = value;
    r->n_headers++;
}

void
reply_discard(struct reply *r)
{
    xfree_wiped(r->body); /* a body never sent may be a claim view */
    r->body = NULL;
    r->body_len = 0;
    if (r->stream.next != NULL) {
        struct reply_stream st = r->stream;
        r->stream = (struct reply_stream){0};
        st.end(st.ctx, false);
    }
}
