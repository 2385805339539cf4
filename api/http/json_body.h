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

struct json_fields;

/* Reads the members of a body object into out with jf_* readers (http/json_fields.h),
 * appending every error to jf->errors. */
typedef void (*json_body_reader)(const struct json_fields *jf, void *out);

/* The body as an object, ready to read: json_body_object, then *jf over it (the request's
 * arena, errors collected into *errors), its members other than keys refused (keys NULL:
 * none). For a handler whose checks go beyond one reader; else json_body_read. False with
 * *err: 415 or 400. */
bool json_body_fields(struct request *rq, bool allow_merge_patch, const char *const *keys,
                      struct errors *errors, struct json_fields *jf, struct reply *err);

/* The prologue of a handler that takes a body: json_body_object, then read into out, every
 * error collected. False with *err: 415, 400 or 422 with all the errors. */
bool json_body_read(struct request *rq, bool allow_merge_patch, json_body_reader read,
                    void *out, struct reply *err);

#endif
