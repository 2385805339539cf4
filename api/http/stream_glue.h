/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A streamed reply (struct reply_stream, an export) as a libmicrohttpd callback response.
 * The glue is shared by the MHD response, which MHD frees when it is done with it, and by the
 * request, done when MHD reports it complete; the order of the two differs between a
 * completed and a broken connection. The stream ends when both have let go, so its end()
 * learns whether the request completed. Every call happens on the connection's worker
 * thread: the count needs no lock. */
#ifndef RECOURS_HTTP_STREAM_GLUE_H
#define RECOURS_HTTP_STREAM_GLUE_H

#include <microhttpd.h>
#include <stdbool.h>

#include "http/reply.h"

struct stream_glue;

/* The response of r's stream; r->stream is the glue's from here on, even on failure (NULL,
 * the stream ended). *glue_out: the glue, held by the response only. */
struct MHD_Response *stream_glue_response(struct reply *r, struct stream_glue **glue_out);

/* The request takes its hold once its response is queued. */
void stream_glue_hold(struct stream_glue *g);

/* The request is done (delivered: MHD completed it normally) and lets go. */
void stream_glue_request_done(struct stream_glue *g, bool delivered);

#endif
