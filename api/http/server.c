/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* MHD daemon and its access handler. Call model (http/README.md):
 *  1st call  make the request context; reject early what must be rejected before the body
 *            (413 on Content-Length, 431, 400 for conflicting framing) — only these replies
 *            are queued on the first call, since MHD then closes the connection;
 *  Nth call  accumulate body bytes up to the limit (a chunked body past it is discarded);
 *  last call route, run the handler, queue its reply (keep-alive preserved).
 * A streamed reply (an export) becomes a callback response that MHD feeds on the connection's
 * worker thread, chunk by chunk (http/stream_glue.c).
 * Completion: access log line, metrics, a stream released, arena freed. */
#include "http/server.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/urlencoded.h"
#include "core/xalloc.h"
#include "http/metrics.h"
#include "http/accept.h"
#include "http/body_stream.h"
#include "http/client_ip.h"
#include "http/head_checks.h"
#include "http/problem.h"
#include "http/ratelimit.h"
#include "http/request.h"
#include "http/request_id.h"
#include "http/stream_glue.h"

/* docs/architecture.md §9: only TLS 1.3 and TLS 1.2 ECDHE with AEAD suites (verified with
 * sslscan). */
static const char tls_priorities[] =
    "NONE:+VERS-TLS1.3:+VERS-TLS1.2:+ECDHE-ECDSA:+ECDHE-RSA:+AES-256-GCM:+AES-128-GCM:"
    "+CHACHA20-POLY1305:+AEAD:+SIGN-ALL:-SIGN-RSA-SHA1:-SIGN-ECDSA-SHA1:+GROUP-X25519:"
    "+GROUP-SECP256R1:+GROUP-SECP384R1:+COMP-NULL:+CTYPE-X509:%SERVER_PRECEDENCE";

struct http_server {
    struct MHD_Daemon *daemon;
    struct http_server_config cfg;
    _Atomic int in_flight;
    _Atomic int suspended; /* connections suspended and not yet resumed by their answer */
    int port;
    MHD_socket listen_fd; /* returned by MHD_quiesce_daemon, ours to close */
    struct rate_limiter *limiter;
    bool quiesced;
};

/* The path of a request target: a target in absolute form ("https://host/v1/incidents"),
 * which a server must accept (RFC 9112 §3.2.2) and MHD hands over whole, routes by its path;
 * the origin form ("/v1/incidents"), every other client's, is the path itself. */
static const char *
target_path(const char *url)
{
    size_t scheme = strncasecmp(url, "https://", 8) == 0  ? 8
                    : strncasecmp(url, "http://", 7) == 0 ? 7
                                                          : 0;
    if (scheme == 0)
        return url;
    const char *slash = strchr(url + scheme, '/');
    return slash != NULL ? slash : "/";
}

static struct request *
request_begin(struct http_server *s, struct MHD_Connection *conn, const char *url,
              const char *method)
{
    struct request *rq = xcalloc(1, sizeof *rq);
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_PROTOCOL);

    rq->started_ns = clock_monotonic_ns();
    rq->arena = arena_new();
    rq->conn = conn;
    rq->app = s->cfg.app;
    rq->method = method;
    rq->path = target_path(url);
    rq->tls = s->cfg.tls && info != NULL;
    pthread_mutex_init(&rq->async_lock, NULL);
    request_id_assign(rq);
    atomic_fetch_add(&s->in_flight, 1);
    return rq;
}

/* docs/api.md §6.1: POSTs to public routes spend a token of their client's bucket; a credential
 * changes nothing there (a bogus Authorization header must not lift the limit). */
static bool
rate_allows(struct http_server *s, struct request *rq)
{
    char ip[CLIENT_IP_MAX];

    if (strcmp(rq->method, "POST") != 0 || rq->match.route->role != ROLE_PUBLIC)
        return true;
    client_ip(rq, s->cfg.trusted_proxies, ip);
    struct rate_verdict v = ratelimit_take(s->limiter, ip);
    rq->rate_limited = true;
    rq->rate_limit = v.limit;
    rq->rate_remaining = v.remaining;
    rq->rate_reset_s = v.allowed ? v.reset_s : v.retry_after_s;
    return v.allowed;
}

/* The rate limit's refusal: a problem document, or for a browser the refused form's own page
 * (http_server_config rate_limited_forms); both say when to try again. */
static struct reply
rate_refusal(struct http_server *s, struct request *rq)
{
    const struct route *route = rq->match.route;
    struct reply r = {0};
    bool paged = false;

    for (size_t i = 0; i < s->cfg.n_rate_limited_forms && !paged; i++) {
        const struct rate_limited_form *f = &s->cfg.rate_limited_forms[i];
        paged = strcmp(f->method, route->method) == 0 && strcmp(f->path, route->path) == 0 &&
                accept_prefers_html(request_header(rq, "Accept")) && f->page(rq, &r);
    }
    if (!paged)
        r = problem_reply("rate-limited", "too many submissions from this address");
    reply_add_header(&r, "Retry-After", arena_printf(rq->arena, "%d", rq->rate_reset_s));
    return r;
}

static struct reply
dispatch(struct http_server *s, struct request *rq)
{
    if (rq->body_too_large)
        return problem_reply("payload-too-large", "the request body exceeds the limit");
    if (rq->streamed.sink.write != NULL && !body_stream_finish(rq))
        return problem_reply("internal-error", "the server could not answer");
    switch (router_match(s->cfg.routes, s->cfg.n_routes, rq->method, rq->path, rq->arena,
                         &rq->match)) {
    case ROUTER_NOT_FOUND:
        return problem_reply("not-found", "no such resource");
    case ROUTER_METHOD_NOT_ALLOWED: {
        struct reply r = problem_reply("method-not-allowed", "this resource does not allow the method");
        reply_add_header(&r, "Allow", arena_strdup(rq->arena, rq->match.allow));
        return r;
    }
    case ROUTER_MATCH:
        break;
    }
    if (!rate_allows(s, rq))
        return rate_refusal(s, rq);
    route_handler h = rq->match.route->handler;
    struct reply r = s->cfg.run != NULL ? s->cfg.run(rq, h) : h(rq);
    if (s->cfg.after_request != NULL)
        s->cfg.after_request(s->cfg.app);
    return r;
}

/* A browser gets an HTML page in place of a problem document (http_server_config
 * error_page); API clients keep problem+json. */
static void
maybe_error_page(struct http_server *s, struct request *rq, struct reply *r)
{
    if (s->cfg.error_page == NULL || r->content_type == NULL ||
        strcmp(r->content_type, "application/problem+json") != 0 ||
        !accept_prefers_html(request_header(rq, "Accept")))
        return;
    struct reply page = s->cfg.error_page(rq, r->status);
    for (int i = 0; i < r->n_headers; i++)
        reply_add_header(&page, r->headers[i].name, r->headers[i].value);
    reply_discard(r);
    *r = page;
}

static enum MHD_Result
queue_reply(struct http_server *s, struct request *rq, struct reply *r)
{
    struct MHD_Response *resp = NULL;
    struct stream_glue *glue = NULL;
    enum MHD_Result ret = MHD_NO;

    if (rq->present != NULL) {
        /* the API's answer to a form, made into its page (request.h) */
        *r = rq->present(rq, *r);
        rq->present = NULL;
    }
    maybe_error_page(s, rq, r);
    if (r->stream.next != NULL) {
        resp = stream_glue_response(r, &glue);
    } else if (r->body != NULL) {
        /* MHD frees it once sent: wiped first, it may be a claim view or a member list */
        resp =
            MHD_create_response_from_buffer_with_free_callback(r->body_len, r->body, xfree_wiped);
        if (resp != NULL)
            r->body = NULL; /* MHD owns it now */
    } else {
        resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    }
    if (resp == NULL) {
        log_error("could not create a response");
        goto cleanup;
    }
    bool ok = MHD_add_response_header(resp, "X-Request-Id", rq->id) == MHD_YES &&
              MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff") == MHD_YES &&
              MHD_add_response_header(resp, "Cache-Control",
                                      r->cache_control != NULL ? r->cache_control
                                                               : "no-store") == MHD_YES;
    if (ok && r->content_type != NULL)
        ok = MHD_add_response_header(resp, "Content-Type", r->content_type) == MHD_YES;
    if (ok && s->cfg.tls)
        ok = MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000") ==
             MHD_YES;
    if (ok && rq->rate_limited) {
        char v[3][16];
        snprintf(v[0], sizeof v[0], "%d", rq->rate_limit);
        snprintf(v[1], sizeof v[1], "%d", rq->rate_remaining);
        snprintf(v[2], sizeof v[2], "%d", rq->rate_reset_s);
        ok = MHD_add_response_header(resp, "RateLimit-Limit", v[0]) == MHD_YES &&
             MHD_add_response_header(resp, "RateLimit-Remaining", v[1]) == MHD_YES &&
             MHD_add_response_header(resp, "RateLimit-Reset", v[2]) == MHD_YES;
    }
    for (int i = 0; ok && i < r->n_headers; i++)
        ok = MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value) == MHD_YES;
    if (!ok) {
        log_error("could not add a response header");
        goto cleanup;
    }
    rq->status = r->status;
    ret = MHD_queue_response(rq->conn, (unsigned int)r->status, resp);
    if (ret == MHD_YES && glue != NULL) {
        stream_glue_hold(glue); /* the request's, dropped in on_completed */
        rq->stream = glue;
    }
cleanup:
    if (resp != NULL)
        MHD_destroy_response(resp);
    reply_discard(r);
    return ret;
}

/* The handler gave the work to another thread: suspend unless it already finished. */
static enum MHD_Result
wait_for_completion(struct http_server *s, struct request *rq)
{
    pthread_mutex_lock(&rq->async_lock);
    if (rq->async_done) {
        struct reply done = rq->async_reply;
        rq->async_reply.body = NULL;
        pthread_mutex_unlock(&rq->async_lock);
        return queue_reply(s, rq, &done);
    }
    rq->suspended = true;
    atomic_fetch_add(&s->suspended, 1);
    MHD_suspend_connection(rq->conn);
    pthread_mutex_unlock(&rq->async_lock);
    return MHD_YES;
}

static enum MHD_Result
on_access(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
          const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
    struct http_server *s = cls;
    struct request *rq = *con_cls;

    if (rq == NULL) {
        rq = request_begin(s, conn, url, method);
        *con_cls = rq;
        struct head_limits lim = {s->cfg.max_header_bytes, s->cfg.max_body_bytes,
                                  HEAD_DRAIN_MAX_BYTES};
        const struct body_stream_route *streamed = body_stream_find(&s->cfg.body_streams, rq);
        if (streamed != NULL) {
            /* a streamed body is cut off at its limit; one declared a few times over it is
             * drained for its 413 (head_checks.h, HEAD_STREAM_DRAIN_FACTOR) */
            lim.max_body_bytes = streamed->max_body_bytes(s->cfg.app);
            lim.max_drain_bytes = head_stream_drain_bytes(lim.max_body_bytes);
        }
        bool drain;
        rq->early = head_check(rq, version, &lim, &drain);
        if (drain) {
            /* declared over the limit: nothing of it is kept, every answer is that 413 (a
             * streamed route's role and opener do not run for it) */
            rq->body_too_large = true;
        } else if (rq->early.status == 0 && streamed != NULL) {
            /* its role and its opener decide before any byte is read (http/body_stream.h) */
            rq->early = body_stream_open(&s->cfg.body_streams, streamed, s->cfg.routes,
                                         s->cfg.n_routes, rq);
            if (s->cfg.after_request != NULL)
                s->cfg.after_request(s->cfg.app);
        }
        if (rq->early.status != 0) {
            struct reply r = rq->early;
            rq->early.body = NULL;
            return queue_reply(s, rq, &r);
        }
        return MHD_YES;
    }
    if (*upload_data_size != 0 && rq->streamed.sink.write != NULL) {
        if (!body_stream_take(rq, upload_data, *upload_data_size))
            return MHD_NO; /* past the route's limit: cut off, nothing more is read */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size != 0) {
        if (!rq->body_too_large &&
            rq->body.len + *upload_data_size > (size_t)s->cfg.max_body_bytes) {
            rq->body_too_large = true;
            strbuf_free(&rq->body);
        }
        if (!rq->body_too_large)
            strbuf_append(&rq->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (rq->suspended) {
        /* resumed by request_complete: the answer is ready */
        rq->resumed = true;
        atomic_fetch_sub(&s->suspended, 1);
        struct reply done = rq->async_reply;
        rq->async_reply.body = NULL;
        return queue_reply(s, rq, &done);
    }
    struct reply r = dispatch(s, rq);
    if (r.status == REPLY_ASYNC)
        return wait_for_completion(s, rq);
    return queue_reply(s, rq, &r);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
             enum MHD_RequestTerminationCode toe)
{
    struct http_server *s = cls;
    struct request *rq = *con_cls;

    (void)conn;
    if (rq == NULL)
        return;
    int64_t elapsed = clock_monotonic_ns() - rq->started_ns;
    const char *route = rq->match.route != NULL ? rq->match.route->path : "unmatched";
    /* a request the client abandoned has no status: logged as 499 like nginx does */
    int status = toe == MHD_REQUEST_TERMINATED_COMPLETED_OK || rq->status != 0 ? rq->status : 499;
    log_request(rq->id, rq->method, route, status, elapsed / 1000);
    metrics_record(route, rq->method, status, elapsed);
    if (rq->suspended && !rq->resumed)
        atomic_fetch_sub(&s->suspended, 1);
    if (rq->stream != NULL) {
        stream_glue_request_done(rq->stream, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK);
        rq->stream = NULL;
    }
    body_stream_end(rq);
    reply_discard(&rq->early);
    reply_discard(&rq->async_reply);
    pthread_mutex_destroy(&rq->async_lock);
    strbuf_free(&rq->body);
    arena_free(rq->arena);
    free(rq);
    *con_cls = NULL;
    atomic_fetch_sub(&s->in_flight, 1);
}

/* Percent-decoding of paths and query arguments, in place. "%00" is left encoded: a decoded
 * NUL would cut the string short, so "/static/a.css%00.js" would read as "/static/a.css". */
static size_t
on_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    char *out = s;

    (void)cls;
    (void)conn;
    for (char *in = s; *in != '\0'; in++) {
        int hi, lo;
        if (*in == '%' && (hi = hex_digit_value(in[1])) >= 0 && (lo = hex_digit_value(in[2])) >= 0 &&
            (hi | lo) != 0) {
            *out++ = (char)(hi << 4 | lo);
            in += 2;
        } else {
            *out++ = *in;
        }
    }
    *out = '\0';
    return (size_t)(out - s);
}

/* What libmicrohttpd 0.9.75 logs for every failed TLS handshake (connection_https.c, any
 * gnutls_handshake error but AGAIN/INTERRUPTED; the GnuTLS error itself is not passed on).
 * It is one connection's client at fault, and nothing the server can mend, so it is debug:
 * a client that does not trust the certificate aborts with a fatal alert (Chromium sends
 * certificate_unknown on each new connection to the default self-signed certificate even
 * with it accepted, then connects again with it allowed: a dozen or more a walk of the
 * pages); so does curl without -k; an old or scanning client without a common version or
 * suite fails too, as do plain HTTP sent to the port and a port probe. A certificate or key
 * the server cannot use stops the start instead, so it is never this. */
static const char mhd_tls_handshake_failed[] = "Error: received handshake message out of context.";

/* fmt comes from libmicrohttpd, which checks its own calls */
__attribute__((format(printf, 2, 0))) static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    char msg[512];

    (void)cls;
    vsnprintf(msg, sizeof msg, fmt, ap);
    msg[strcspn(msg, "\n")] = '\0';
    if (strcmp(msg, mhd_tls_handshake_failed) == 0)
        log_debug("libmicrohttpd: %s", msg);
    else
        log_warn("libmicrohttpd: %s", msg);
}

static bool
make_address(const char *text, int port, struct sockaddr_storage *ss, bool *ipv6_out)
{
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;

    memset(ss, 0, sizeof *ss);
    if (inet_pton(AF_INET, text, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        *ipv6_out = false;
        return true;
    }
    if (inet_pton(AF_INET6, text, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        *ipv6_out = true;
        return true;
    }
    return false;
}

/* The connection memory pool must hold our header limit with room to spare, so that our own
 * 431 problem answers header blocks a little past our limit; beyond the pool MHD's own 431
 * answers (docs/api.md §5.3, §6). MHD zeroes the pool on every keep-alive request: a larger
 * pool costs CPU on every request (bench/RESULTS.md, HTTP). */
static size_t
memory_pool_size(const struct http_server_config *cfg)
{
    return (size_t)cfg->max_header_bytes + 16384;
}

/* Every route declares a role, and a route that is not public has the run hook that
 * enforces it (routes.c): a table that would serve a route unguarded does not start. */
static bool
routes_guarded(const struct http_server_config *cfg)
{
    for (size_t i = 0; i < cfg->n_routes; i++) {
        const struct route *r = &cfg->routes[i];
        if (route_role_name(r->role) == NULL) {
            log_error("route %s %s declares no role", r->method, r->path);
            return false;
        }
        if (r->role != ROLE_PUBLIC && cfg->run == NULL) {
            log_error("route %s %s has a role but no hook enforces it", r->method, r->path);
            return false;
        }
    }
    return true;
}

struct http_server *
http_server_start(const struct http_server_config *cfg)
{
    if (!routes_guarded(cfg))
        return NULL;
    struct http_server *s = xcalloc(1, sizeof *s);
    struct sockaddr_storage addr;
    bool ipv6 = false;

    s->cfg = *cfg;
    s->listen_fd = MHD_INVALID_SOCKET;
    s->limiter = ratelimit_new(cfg->rate_limit_burst, cfg->rate_limit_per_s);
    if (!make_address(cfg->listen_address, cfg->port, &addr, &ipv6)) {
        log_error("cannot listen on '%s': not an IP address", cfg->listen_address);
        ratelimit_free(s->limiter);
        free(s);
        return NULL;
    }
    unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                         MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
    if (ipv6)
        flags |= MHD_USE_IPv6;
    if (cfg->tls)
        flags |= MHD_USE_TLS;

    struct MHD_OptionItem opts[24]; /* 14 used with TLS: room before the bound below */
    int n = 0;
    /* first, or MHD prints the messages of the options before it to stderr itself */
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)on_mhd_log, NULL};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, &addr};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, cfg->workers, NULL};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections, NULL};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_PER_IP_CONNECTION_LIMIT,
                                        cfg->max_connections_per_ip, NULL};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT,
                                        cfg->connection_timeout_s, NULL};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_MEMORY_LIMIT,
                                        (intptr_t)memory_pool_size(cfg), NULL};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, s};
    /* 0, not 1: at 1 MHD 0.9.75 answers a 1.1 request without Host itself, with its status
     * line and headers sent twice (it queues its page, then its state machine goes on as if
     * the headers were fine and queues the head again); head_check answers it instead */
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_STRICT_FOR_CLIENT, 0, NULL};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_UNESCAPE_CALLBACK, (intptr_t)on_unescape, NULL};
    if (cfg->tls) {
        opts[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)cfg->cert_pem};
        opts[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)cfg->key_pem};
        opts[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_PRIORITIES, 0,
                                            (void *)tls_priorities};
    }
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
    _Static_assert(sizeof opts / sizeof opts[0] >= 16, "room for every option");

    s->daemon = MHD_start_daemon(flags, (uint16_t)cfg->port, NULL, NULL, on_access, s,
                                 MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
    if (s->daemon == NULL) {
        log_error("could not start the HTTP daemon on %s port %d", cfg->listen_address,
                  cfg->port);
        ratelimit_free(s->limiter);
        free(s);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info != NULL ? info->port : cfg->port;
    return s;
}

int
http_server_port(const struct http_server *s)
{
    return s->port;
}

int
http_server_in_flight(const struct http_server *s)
{
    return atomic_load(&((struct http_server *)s)->in_flight);
}

void
http_server_drain(struct http_server *s, int grace_s)
{
    if (s->listen_fd == MHD_INVALID_SOCKET && !s->quiesced) {
        /* stop accepting; keep-alive connections already open may still finish requests */
        s->listen_fd = MHD_quiesce_daemon(s->daemon);
        s->quiesced = true;
        /* stop listening now, so new clients are refused at once instead of waiting in the
         * backlog; the descriptor itself is closed after MHD_stop_daemon, as MHD requires */
        if (s->listen_fd != MHD_INVALID_SOCKET)
            shutdown(s->listen_fd, SHUT_RDWR);
    }
    int64_t deadline = clock_monotonic_ns() + (int64_t)grace_s * 1000000000;
    while (http_server_in_flight(s) > 0 && clock_monotonic_ns() < deadline) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

void
http_server_stop(struct http_server *s)
{
    if (s == NULL)
        return;
    int left = http_server_in_flight(s);
    if (left > 0)
        log_warn("stopping with %d requests in flight", left);
    int stuck = atomic_load(&s->suspended);
    if (stuck > 0) {
        /* MHD_stop_daemon aborts the process on a suspended connection: leave the daemon to
         * the process exit rather than crash (none should remain: intake_submit refuses once
         * the writers are gone) */
        log_error("%d connections still suspended: the daemon is not stopped", stuck);
        return; /* its threads still use s */
    }
    MHD_stop_daemon(s->daemon);
    if (s->listen_fd != MHD_INVALID_SOCKET)
        close(s->listen_fd);
    ratelimit_free(s->limiter);
    free(s);
}
