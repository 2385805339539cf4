/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What must be answered before a request's body is read, from its request line and headers:
 * Host missing in HTTP/1.1 (400), request target too long (414), header block too large or
 * too many fields (431), conflicting framing (400), a declared body over the limit (413).
 * libmicrohttpd 0.9.75 answers some of these itself with HTML pages, or twice, or not at all;
 * these checks answer first wherever MHD lets the request reach us (docs/decisions.md,
 * "Hardening: HTTP"). */
#ifndef RECOURS_HTTP_HEAD_CHECKS_H
#define RECOURS_HTTP_HEAD_CHECKS_H

#include <stdbool.h>
#include <stdint.h>

#include "http/reply.h"
#include "http/request.h"

/* Header fields beyond this count get our 431: each costs MHD a record in the connection's
 * memory pool, and a pool filled with records leaves no room for any answer (the connection
 * would be closed silently). */
#define HEAD_MAX_FIELDS 100

/* A declared body over the limit but not over this is read and thrown away before its 413,
 * unless the client waits for 100-continue. A client that sends its body at once (browsers,
 * most libraries) met a connection closed on unread bytes, whose reset destroyed the early 413
 * before it was read: the client saw a dropped connection. Above this, the early 413 and the
 * close stand (docs/api.md §6). */
#define HEAD_DRAIN_MAX_BYTES (1024 * 1024)

/* The same for a streamed route (an evidence upload, http/body_stream.h): a file a few times
 * over its limit (a phone's photo or video picked for a 10 MiB limit) is read and thrown away
 * before its 413, so the form's page says "too large" where a browser without JavaScript showed
 * "connection reset"; this many times the route's limit, and never more than
 * HEAD_STREAM_DRAIN_CAP_BYTES. */
#define HEAD_STREAM_DRAIN_FACTOR 4
#define HEAD_STREAM_DRAIN_CAP_BYTES (64LL * 1024 * 1024)

struct head_limits {
    int64_t max_header_bytes; /* header block; also the request target's limit (414) */
    int64_t max_body_bytes;
    int64_t max_drain_bytes; /* HEAD_DRAIN_MAX_BYTES, a streamed route's, or 0: none */
};

/* A streamed route's drain bound for its body limit (HEAD_STREAM_DRAIN_FACTOR). */
int64_t head_stream_drain_bytes(int64_t max_body_bytes);

/* The early answer for the request (status 0: none). version is MHD's ("HTTP/1.1"). A body
 * to drain gets none here, and *drain set: the caller discards it and answers 413 at its end. */
struct reply head_check(const struct request *rq, const char *version,
                        const struct head_limits *lim, bool *drain);

#endif
