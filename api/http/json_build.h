/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Checked JSON building. jansson's setters fail (−1) when memory runs out or a value is NULL
 * (a json_pack that failed); written through these, a document is built in straight lines
 * and its failure seen once, at the end: jb_result hands reply_json_take a NULL, which
 * answers 503 (http/reply.h). A raw json_object_set_new, json_array_append_new… whose result
 * is dropped fails tests/checks/check_json_setters.sh. */
#ifndef RECOURS_HTTP_JSON_BUILD_H
#define RECOURS_HTTP_JSON_BUILD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "http/reply.h"

struct json_build {
    bool failed; /* a step failed: the document is incomplete */
};

/* obj[key] = value, value taken (released on failure). A NULL obj or value is a failure. */
void jb_set(struct json_build *b, json_t *obj, const char *key, json_t *value);

/* Appends value to arr, value taken (released on failure). */
void jb_append(struct json_build *b, json_t *arr, json_t *value);

/* doc when every step succeeded, else NULL with doc released: hand it to reply_json_take or
 * json_pack's "o" (which then fails in turn). */
json_t *jb_result(struct json_build *b, json_t *doc);

/* The page of a list (docs/api.md §4): {"data": data, "next": next or null}, 200; data
 * taken. 503 when b failed or the page cannot be built. */
struct reply reply_page(struct json_build *b, json_t *data, const char *next);

/* The page of n rows of size bytes each, item(row) giving each row's JSON: the list routes'
 * one walk from the rows a service returned to their page. */
struct reply reply_rows(const void *rows, int n, size_t size, json_t *(*item)(const void *row),
                        const char *next);

#endif
