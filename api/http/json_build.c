/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Checked jansson setters that remember their failure (json_build.h). jansson's *_new setters
 * release the value on every failure, a NULL container included. */
#include "http/json_build.h"

void
jb_set(struct json_build *b, json_t *obj, const char *key, json_t *value)
{
    if (json_object_set_new(obj, key, value) != 0)
        b->failed = true;
}

void
jb_append(struct json_build *b, json_t *arr, json_t *value)
{
    if (json_array_append_new(arr, value) != 0)
        b->failed = true;
}

struct reply
reply_page(struct json_build *b, json_t *data, const char *next)
{
    return reply_json_take(200, json_pack("{s:o, s:s?}", "data", jb_result(b, data), "next",
                                          next));
}

struct reply
reply_rows(const void *rows, int n, size_t size, json_t *(*item)(const void *row),
           const char *next)
{
    struct json_build b = {0};
    json_t *data = json_array();
    const char *row = rows;
    for (int i = 0; i < n; i++)
        jb_append(&b, data, item(row + (size_t)i * size));
    return reply_page(&b, data, next);
}

json_t *
jb_result(struct json_build *b, json_t *doc)
{
    if (!b->failed && doc != NULL)
        return doc;
    json_decref(doc);
    return NULL;
}
