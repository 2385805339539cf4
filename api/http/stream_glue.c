/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See stream_glue.h. */
#include "http/stream_glue.h"

#include <stdlib.h>

#include "core/xalloc.h"

struct stream_glue {
    struct reply_stream st;
    int refs;
    bool finished;  /* next() answered the end or a failure */
    bool delivered; /* MHD reported the request completed */
};

#define STREAM_BLOCK_BYTES (32 * 1024)

static ssize_t
on_stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct stream_glue *g = cls;

    (void)pos;
    if (g->finished || max == 0)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    ssize_t n = g->st.next(g->st.ctx, buf, max);
    if (n > 0)
        return n;
    g->finished = true;
    return n == 0 ? MHD_CONTENT_READER_END_OF_STREAM : MHD_CONTENT_READER_END_WITH_ERROR;
}

static void
release(struct stream_glue *g)
{
    if (--g->refs > 0)
        return;
    g->st.end(g->st.ctx, g->delivered);
    free(g);
}

static void
on_stream_free(void *cls)
{
    release(cls);
}

struct MHD_Response *
stream_glue_response(struct reply *r, struct stream_glue **glue_out)
{
    struct stream_glue *g = xcalloc(1, sizeof *g);

    g->st = r->stream;
    g->refs = 1; /* the response's */
    r->stream = (struct reply_stream){0};
    struct MHD_Response *resp = MHD_create_response_from_callback(
        MHD_SIZE_UNKNOWN, STREAM_BLOCK_BYTES, on_stream_read, g, on_stream_free);
    if (resp == NULL) {
        release(g);
        g = NULL;
    }
    *glue_out = g;
    return resp;
}

void
stream_glue_hold(struct stream_glue *g)
{
    g->refs++;
}

void
stream_glue_request_done(struct stream_glue *g, bool delivered)
{
    g->delivered = delivered;
    release(g);
}
