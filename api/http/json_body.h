/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Request bodies as JSON objects (docs/api.md §1.3): the media type is checked (415), the bytes are
 * parsed with jansson rejecting duplicate keys, bad UTF-8 and NUL (400 malformed-json), the
 * nesting depth is bounded (32), and the top level must be an object. */
#ifndef RECOURS_HTTP_JSON_BODY_H
#define RECOURS_HTTP_JSON_BODY_H

#include <jansson.h>
#include <stdbool.h>

#include "core/errors.h"
#include "http/reply.h"
#include "http/request.h"

#define JSON_BODY_MAX_DEPTH 32

/* The parsed body, released with the request's arena; NULL with *err set to the problem
 * reply otherwise. allow_merge_patch also accepts application/merge-patch+json (PATCH). */
json_t *json_body_object(struct request *rq, bool allow_merge_patch, struct reply *err);

/* 422 validation-error with every collected error. */
struct reply json_body_invalid(const struct errors *e);

#endif
