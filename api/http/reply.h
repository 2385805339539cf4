/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A reply is the value every handler returns: status, content type, body, extra headers.
 * Handlers never touch MHD; http/server.c turns a reply into an MHD response. */
#ifndef RECOURS_HTTP_REPLY_H
#define RECOURS_HTTP_REPLY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define REPLY_MAX_HEADERS 8

/* A body produced piece by piece while it is sent (chunked), in constant memory. Every call
 * comes from the worker thread that serves the connection, one at a time. */
struct reply_stream {
    /* Writes the next bytes into buf[0..max) (max > 0): their count (> 0), 0 at the end of
     * the body, or -1 on failure (the connection is closed without the final chunk). */
    ssize_t (*next)(void *ctx, char *buf, size_t max);
    /* Called exactly once, when the body will not be read any more: after next() answered 0
     * or -1, or when the request ended without that (the client vanished, the server stops,
     * or the reply was never queued). delivered: MHD reported the request completed. ctx is
     * not used afterwards: end frees it. */
    void (*end)(void *ctx, bool delivered);
    void *ctx;
};

struct reply_header {
    const char *name;  /* static or arena-owned */
    const char *value; /* static or arena-owned */
};

struct reply {
    int status;               /* 0: no reply decided yet */
    const char *content_type; /* static string */
    char *body;               /* heap, owned by the reply until queued; NULL for none */
    size_t body_len;
    struct reply_header headers[REPLY_MAX_HEADERS];
    int n_headers;
    struct reply_stream stream; /* stream.next set: the body is streamed (body is NULL) */
    const char *cache_control;  /* static; NULL: "no-store" (every answer but public ones) */
};

/* Serialises json (stolen, even on failure) compactly as application/json; charset=utf-8. */
struct reply reply_json_take(int status, json_t *json);

/* A body copied from bytes with the given static content type. */
struct reply reply_bytes(int status, const char *content_type, const void *bytes, size_t n);

/* A streamed body (see struct reply_stream): the reply owns st.ctx until queued, and
 * reply_discard ends it (delivered false) when it is not. */
struct reply reply_stream_take(int status, const char *content_type, struct reply_stream st);

/* No body (204, or 200 for HEAD-like answers). */
struct reply reply_empty(int status);

/* Adds a header (both strings must outlive the request: static or arena). Extra headers past
 * REPLY_MAX_HEADERS are a bug and are dropped with a log line. */
void reply_add_header(struct reply *r, const char *name, const char *value);

/* Frees a reply that will not be queued (a stream's end is called, delivered false). */
void reply_discard(struct reply *r);

#endif
