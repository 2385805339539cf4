/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See head_checks.h. */
#include "http/head_checks.h"

#include <microhttpd.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/problem.h"

struct census {
    size_t bytes;
    int fields;
    int content_length; /* occurrences */
    int transfer_encoding;
};

static enum MHD_Result
count_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    struct census *hc = cls;

    (void)kind;
    hc->bytes += strlen(key) + (value != NULL ? strlen(value) : 0) + 4;
    hc->fields++;
    if (strcasecmp(key, "Content-Length") == 0)
        hc->content_length++;
    else if (strcasecmp(key, "Transfer-Encoding") == 0)
        hc->transfer_encoding++;
    return MHD_YES;
}

static enum MHD_Result
count_argument(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    size_t *n = cls;

    (void)kind;
    *n += strlen(key) + (value != NULL ? strlen(value) : 0) + 2; /* '?' or '&', '=' */
    return MHD_YES;
}

/* The request target's length after percent-decoding (MHD keeps no raw copy): path plus
 * query arguments. */
static size_t
target_length(const struct request *rq)
{
    size_t n = strlen(rq->path);

    MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, count_argument, &n);
    return n;
}

/* RFC 9110 §10.1.1: the client sends nothing of its body before a 100 (Continue). */
static bool
waits_for_continue(const struct request *rq)
{
    const char *expect = request_header(rq, "Expect");

    return expect != NULL && strcasecmp(expect, "100-continue") == 0;
}

struct reply
head_check(const struct request *rq, const char *version, const struct head_limits *lim,
           bool *drain)
{
    struct census hc = {0};
    const char *te = request_header(rq, "Transfer-Encoding");
    const char *cl = request_header(rq, "Content-Length");
    struct reply none = {0};

    *drain = false;

    /* RFC 9112 §3.2: a 1.1 request without Host is answered 400. Ours, not MHD's: MHD 0.9.75
     * (MHD_OPTION_STRICT_FOR_CLIENT 1) sends its own page with the status line twice */
    if (version != NULL && strcmp(version, "HTTP/1.1") == 0 &&
        request_header(rq, "Host") == NULL)
        return problem_reply("malformed-request", "the Host header is required in HTTP/1.1");
    if ((int64_t)target_length(rq) > lim->max_header_bytes)
        return problem_reply("uri-too-long", "the request target exceeds the limit");
    MHD_get_connection_values(rq->conn, MHD_HEADER_KIND, count_header, &hc);
    if ((int64_t)hc.bytes > lim->max_header_bytes)
        return problem_reply("headers-too-large", "the request headers exceed the limit");
    if (hc.fields > HEAD_MAX_FIELDS)
        return problem_reply("headers-too-large", "the request has too many header fields");
    /* MHD 0.9.75 accepts both framings at once and unknown codings: request smuggling bait */
    if (hc.content_length > 1 || hc.transfer_encoding > 1 ||
        (te != NULL && (cl != NULL || strcasecmp(te, "chunked") != 0)))
        return problem_reply("malformed-request",
                             "give one Content-Length, or Transfer-Encoding: chunked alone");
    if (cl != NULL) {
        char *end = NULL;
        unsigned long long n = strtoull(cl, &end, 10);
        bool valid = end != cl && *end == '\0';
        if (valid && n <= (unsigned long long)lim->max_body_bytes)
            return none;
        if (valid && n <= (unsigned long long)lim->max_drain_bytes && !waits_for_continue(rq)) {
            *drain = true; /* read and dropped: 413 once it is in (http/server.c) */
            return none;
        }
        return problem_reply("payload-too-large", "the request body exceeds the limit");
    }
    return none;
}

int64_t
head_stream_drain_bytes(int64_t max_body_bytes)
{
    if (max_body_bytes >= HEAD_STREAM_DRAIN_CAP_BYTES / HEAD_STREAM_DRAIN_FACTOR)
        return HEAD_STREAM_DRAIN_CAP_BYTES > max_body_bytes ? HEAD_STREAM_DRAIN_CAP_BYTES
                                                            : max_body_bytes;
    return max_body_bytes * HEAD_STREAM_DRAIN_FACTOR;
}
