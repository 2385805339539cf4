/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Routes whose request body is streamed rather than buffered (evidence uploads,
 * docs/evidence.md §3). For every other route the server keeps the body in rq->body up to
 * --max-body-bytes; a streamed route instead names
 *   - its own limit: a Content-Length above it is answered 413 (before any byte is read, or
 *     once the body is read and dropped: http/head_checks.h, HEAD_STREAM_DRAIN_FACTOR), and a
 *     chunked body that passes it is cut off (the connection is closed: nothing more is read);
 *   - an opener, run on the first call once the route's role admitted the request and before
 *     any byte of the body: it answers at once (401, 404, 409 … the connection is then
 *     closed), or gives the sink that takes the body's bytes as they arrive.
 * Once the body is in, the route's handler of the route table runs as for any route, and
 * finds the sink in rq->sink; in place of the bytes, rq->body holds "sha256:<hex>" of the
 * whole body, so what hashes a body (the Idempotency-Key's request hash) tells two uploads
 * apart without holding either. The sink's end runs when the request is over, answered or
 * not: it frees the sink and undoes what was not kept.
 * The server never holds more of such a body than MHD's read buffer and what the sink keeps. */
#ifndef RECOURS_HTTP_BODY_STREAM_H
#define RECOURS_HTTP_BODY_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/reply.h"

struct request;
struct route;

struct body_sink {
    void (*write)(void *ctx, const char *data, size_t n); /* the next bytes of the body */
    void (*end)(void *ctx);                               /* the request is over */
    void *ctx;
};

struct body_stream_route {
    const char *method;
    const char *path; /* a template of the route table (same method) */
    /* the body's limit for this route (from the application's configuration) */
    int64_t (*max_body_bytes)(const void *app);
    /* *sink, or false with *refusal */
    bool (*open)(struct request *rq, struct body_sink *sink, struct reply *refusal);
};

struct body_streams {
    const struct body_stream_route *routes;
    size_t n;
    /* the role check of the matched route (routes.c): false with *deny */
    bool (*admit)(struct request *rq, struct reply *deny);
};

/* The streamed route of the request, or NULL: a buffered request. */
const struct body_stream_route *body_stream_find(const struct body_streams *bs,
                                                 const struct request *rq);

/* On the first call, for the request of route r: matches its route, admits it and opens its
 * sink. A reply to answer at once (status 0: none, the body may come). */
struct reply body_stream_open(const struct body_streams *bs, const struct body_stream_route *r,
                              const struct route *table, size_t n_routes, struct request *rq);

/* Hands data[0..n) to the request's sink. False when the body passed the route's limit: the
 * caller closes the connection. */
bool body_stream_take(struct request *rq, const char *data, size_t n);

/* After the last byte: sets rq->body to "sha256:<hex>" of the body. False if OpenSSL fails. */
bool body_stream_finish(struct request *rq);

/* The request is over: the sink's end, once. */
void body_stream_end(struct request *rq);

#endif
