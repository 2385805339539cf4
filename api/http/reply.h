/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A reply is the value every handler returns: status, content type, body, extra headers.
 * Handlers never touch MHD; http/server.c turns a reply into an MHD response. */
#ifndef RECOURS_HTTP_REPLY_H
#define RECOURS_HTTP_REPLY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define REPLY_MAX_HEADERS 8

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
};

/* Serialises json (stolen, even on failure) compactly as application/json; charset=utf-8. */
struct reply reply_json_take(int status, json_t *json);

/* A body copied from bytes with the given static content type. */
struct reply reply_bytes(int status, const char *content_type, const void *bytes, size_t n);

/* No body (204, or 200 for HEAD-like answers). */
struct reply reply_empty(int status);

/* Adds a header (both strings must outlive the request: static or arena). Extra headers past
 * REPLY_MAX_HEADERS are a bug and are dropped with a log line. */
void reply_add_header(struct reply *r, const char *name, const char *value);

/* Frees a reply that will not be queued. */
void reply_discard(struct reply *r);

#endif
