/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* One HTTP request as handlers see it: method, matched route and parameters, body, headers,
 * query arguments, the arena that owns everything made for it, and the application context.
 * Created on MHD's first call for the request, freed when MHD reports it complete. */
#ifndef RECOURS_HTTP_REQUEST_H
#define RECOURS_HTTP_REQUEST_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/strbuf.h"
#include "http/body_stream.h"
#include "http/reply.h"
#include "http/router.h"

struct MHD_Connection;
struct arena;
struct stream_glue;
struct sha256_stream;

#define REQUEST_ID_MAX 64
#define REQUEST_MAX_OVERRIDES 2

struct request {
    struct arena *arena;
    struct MHD_Connection *conn;
    void *app;                /* the application context given to http_server_start */
    const char *method;       /* MHD-owned, valid for the request's life */
    const char *path;         /* decoded path without the query string */
    char id[REQUEST_ID_MAX + 1];
    bool tls;
    int64_t started_ns;
    struct route_match match;
    const void *route_data;   /* set by the run hook for the handler (routes.c: the caller its
                               * role check identified, handlers/guard.h guard_caller) */
    struct strbuf body;       /* accumulated request body */
    bool body_too_large;      /* a chunked body outgrew the limit: discarded, answered 413 */
    struct reply early;       /* decided before the body was read (status 0: none) */
    int status;               /* status queued, for the access log and metrics */
    bool rate_limited;        /* a public POST: RateLimit-* headers go on its answer */
    int rate_limit, rate_remaining, rate_reset_s;
    /* asynchronous completion (see request_complete): guarded by async_lock */
    pthread_mutex_t async_lock;
    bool async_done;
    bool suspended;
    bool resumed;             /* the worker took the answer after the resume */
    struct reply async_reply;
    struct stream_glue *stream; /* a streamed body still being sent (http/stream_glue.h) */
    /* A page answering a form (docs/web-forms.md): the form handler runs the JSON API's handler
     * on the form's fields and sets present, which turns each reply of that handler, the
     * asynchronous one included, into the page; called on the worker thread, just before the
     * reply is queued. */
    struct reply (*present)(struct request *rq, struct reply r);
    void *present_ctx;
    /* The body was written by a page from its form (handlers/page_api.h page_api_body): the
     * API's handler applies the form's own rules beside the API's (docs/decisions.md, "A
     * postal code's form, on the pages only"). */
    bool from_page_form;
    /* Headers the form handler gives the API handler in place of the client's (the JSON
     * Content-Type, the form's Idempotency-Key); request_header reads them first. */
    struct reply_header header_overrides[REQUEST_MAX_OVERRIDES];
    int n_header_overrides;
    /* A streamed body (http/body_stream.h): its route's limit, its sink, the bytes taken and
     * their digest; sink.write NULL for a buffered body. */
    struct {
        int64_t limit;
        int64_t taken;
        struct body_sink sink;
        struct sha256_stream *digest;
    } streamed;
};

/* Status of the reply a handler returns when another thread will answer: the connection is
 * suspended (its worker serves other connections meanwhile) until request_complete. */
#define REPLY_ASYNC (-1)

static inline struct reply
reply_async(void)
{
    struct reply r = {.status = REPLY_ASYNC};
    return r;
}

/* Hands the final reply of an asynchronous request from any thread and resumes its
 * connection. Called exactly once per reply_async; rq must not be touched afterwards. */
void request_complete(struct request *rq, struct reply r);

/* Value of a request header (case-insensitive name), or NULL. An override set with
 * request_override_header wins over what the client sent. */
const char *request_header(const struct request *rq, const char *name);

/* Makes request_header answer value (static or arena-owned) for name from now on. False when
 * REQUEST_MAX_OVERRIDES are already set. */
bool request_override_header(struct request *rq, const char *name, const char *value);

/* Value of a query argument, or NULL (absent). An argument given without "=" is "". */
const char *request_query(const struct request *rq, const char *name);

/* How many times the query gives the argument name (0: absent). request_query reads the
 * first only: a reader that must not pick one of two values silently asks this first. */
int request_query_count(const struct request *rq, const char *name);

/* The name of the first query argument for which known(cls, name) is false, in the order
 * given, or NULL when every one is known. */
const char *request_query_first_unknown(const struct request *rq,
                                        bool (*known)(void *cls, const char *name), void *cls);

/* The n-th path parameter of the matched route template. */
const char *request_param(const struct request *rq, int n);

#endif
