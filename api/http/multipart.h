/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A streaming multipart/form-data reader (RFC 7578, RFC 2046 §5.1) for the evidence form
 * (docs/evidence.md §3): bytes go in as they arrive, in pieces of any size; each part's
 * name and file name come out once its headers are read, then its content, piece by piece,
 * never held whole. Memory: the parser and one part's header block (MULTIPART_HEADER_MAX).
 * Pure C (no libmicrohttpd), so it is unit-tested alone (tests/unit/test_multipart.c).
 * Invariants: the content handed out is exactly each part's bytes, delimiters excluded, for
 * any split of the input; a body without its final delimiter never reads as complete. */
#ifndef RECOURS_HTTP_MULTIPART_H
#define RECOURS_HTTP_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#define MULTIPART_HEADER_MAX 2048 /* one part's header block */
#define MULTIPART_BOUNDARY_MAX 70 /* RFC 2046 */

struct multipart_handlers {
    /* A part begins: its form name, and its file name (NULL for a plain field; "" when a
     * file control was left empty). Both are valid during the call only. */
    bool (*part_begin)(void *ctx, const char *name, const char *filename);
    /* The next bytes of the current part's content. */
    bool (*part_data)(void *ctx, const char *data, size_t n);
    /* The current part's content is complete. */
    bool (*part_end)(void *ctx);
    /* Each returns false to stop: the parser then refuses every later byte (MULTIPART_STOPPED). */
};

enum multipart_status { MULTIPART_OK, MULTIPART_MALFORMED, MULTIPART_STOPPED };

struct multipart;

/* A parser for a body of the given Content-Type, or NULL when it is not multipart/form-data
 * with a valid boundary parameter. */
struct multipart *multipart_new(const char *content_type, const struct multipart_handlers *h,
                                void *ctx);

/* Feeds data[0..n). Once it has answered other than MULTIPART_OK, it answers the same. */
enum multipart_status multipart_feed(struct multipart *mp, const char *data, size_t n);

/* Whether the final delimiter was read (the body is complete and well formed). */
bool multipart_complete(const struct multipart *mp);

void multipart_free(struct multipart *mp);

#endif
