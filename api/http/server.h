/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The HTTP(S) daemon: libmicrohttpd in thread-pool mode with epoll, TLS through GnuTLS with
 * the priorities of http/README.md, the limits of docs/api.md §6, request ids, access log,
 * metrics, and graceful shutdown. See http/README.md for the call model. */
#ifndef RECOURS_HTTP_SERVER_H
#define RECOURS_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/body_stream.h"
#include "http/router.h"

/* A route whose refusal by the rate limit of public posts (docs/api.md §6.1) is a page of its
 * own rather than the error page: a form that comes back as typed, so that a person without
 * JavaScript loses nothing (routes.c rate_limited_forms). */
struct rate_limited_form {
    const char *method;
    const char *path; /* the route's template, as in the route table */
    /* the refusal's page into *out, its status 429 (the server adds Retry-After); false when
     * the post is not one this page can show again: the error page answers */
    bool (*page)(struct request *rq, struct reply *out);
};

struct http_server_config {
    const char *listen_address; /* IPv4 or IPv6 literal */
    int port;                   /* 0: any free port (see http_server_port) */
    bool tls;
    const char *cert_pem;       /* with tls */
    const char *key_pem;        /* with tls */
    int workers;
    int64_t max_body_bytes;
    int64_t max_header_bytes;
    int max_connections;
    int max_connections_per_ip;
    int connection_timeout_s;
    int rate_limit_burst;                   /* public POSTs per client IP */
    int rate_limit_per_s;
    const char *trusted_proxies;            /* comma-separated IPs, "" for none */
    const struct route *routes;
    size_t n_routes;
    void *app;                              /* handed to handlers as rq->app */
    void (*after_request)(void *app);       /* on the worker thread after each handler */
    /* runs the matched handler, adding what routes share (routes.c: the role check of the
     * route, then Idempotency-Key on POSTs); NULL only when every route is public */
    struct reply (*run)(struct request *rq, route_handler handler);
    /* an HTML page for an error answered to a client that prefers HTML to JSON (a browser):
     * called with the status of the problem document it replaces (http/accept.h); the
     * problem's headers (Allow, Retry-After) are kept. NULL: problem+json for everyone */
    struct reply (*error_page)(struct request *rq, int status);
    /* routes whose rate-limit refusal is a page of their own, for a client that prefers HTML;
     * none when NULL */
    const struct rate_limited_form *rate_limited_forms;
    size_t n_rate_limited_forms;
    /* routes whose body is streamed to a sink, not buffered (http/body_stream.h); none when
     * zeroed */
    struct body_streams body_streams;
};

struct http_server;

/* Starts listening; NULL with a log line if the daemon could not start. */
struct http_server *http_server_start(const struct http_server_config *cfg);

/* The port actually bound. */
int http_server_port(const struct http_server *s);

/* Requests currently between their first byte and their completion. */
int http_server_in_flight(const struct http_server *s);

/* Stops accepting new connections and waits up to grace_s seconds for requests in flight
 * (suspended ones included) to finish. May be called again to wait more. */
void http_server_drain(struct http_server *s, int grace_s);

/* Stops the daemon and frees it. Every suspended connection must have been completed
 * (request_complete) before: drain, stop the producers of completions, drain again. */
void http_server_stop(struct http_server *s);

#endif
