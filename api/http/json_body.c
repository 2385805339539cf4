/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* JSON request bodies. jansson's error text quotes the input (personal data, http/README.md), so
 * only its position is ever reported. */
#include "http/json_body.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "http/json_fields.h"
#include "http/problem.h"

/* "application/json", optionally with "; charset=utf-8" (any case, any spacing). */
static bool
media_type_is(const char *header, const char *want)
{
    size_t n = strlen(want);

    if (header == NULL || strncasecmp(header, want, n) != 0)
        return false;
    const char *p = header + n;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '\0')
        return true;
    if (*p++ != ';')
        return false;
    while (*p == ' ' || *p == '\t')
        p++;
    if (strncasecmp(p, "charset=", 8) != 0)
        return false;
    p += 8;
    if (*p == '"')
        p++;
    return strncasecmp(p, "utf-8", 5) == 0 && (p[5] == '\0' || p[5] == '"' || isspace((unsigned char)p[5]));
}

static bool
depth_ok(const json_t *v, int depth)
{
    if (depth > JSON_BODY_MAX_DEPTH)
        return false;
    if (json_is_object(v)) {
        const char *k;
        json_t *child;
        json_object_foreach((json_t *)v, k, child) {
            if (!depth_ok(child, depth + 1))
                return false;
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *child;
        json_array_foreach(v, i, child) {
            if (!depth_ok(child, depth + 1))
                return false;
        }
    }
    return true;
}

static void
release_json(void *p)
{
    json_decref(p);
}

json_t *
json_body_object(struct request *rq, bool allow_merge_patch, struct reply *err)
{
    const char *ct = request_header(rq, "Content-Type");
    json_error_t je;

    if (!media_type_is(ct, "application/json") &&
        !(allow_merge_patch && media_type_is(ct, "application/merge-patch+json"))) {
        *err = problem_reply("unsupported-media-type",
                             allow_merge_patch
                                 ? "send application/json or application/merge-patch+json"
                                 : "send application/json");
        return NULL;
    }
    json_t *doc = json_loadb(rq->body.data != NULL ? rq->body.data : "", rq->body.len,
                             JSON_REJECT_DUPLICATES, &je);
    if (doc == NULL) {
        char detail[128];
        /* jansson holds integers in 64 bits: a longer one is valid JSON that it cannot read
         * (no field takes one), said as such rather than as bad syntax (docs/api.md §1.3) */
        const char *what = json_error_code(&je) == json_error_numeric_overflow
                               ? "the body holds an integer beyond 64 bits"
                               : "the body is not valid JSON";
        snprintf(detail, sizeof detail, "%s (line %d, column %d)", what, je.line, je.column);
        *err = problem_reply("malformed-json", detail);
        return NULL;
    }
    arena_defer(rq->arena, release_json, doc);
    if (!json_is_object(doc)) {
        *err = problem_reply("malformed-json", "the body must be a JSON object");
        return NULL;
    }
    if (!depth_ok(doc, 1)) {
        *err = problem_reply("malformed-json", "the body nests deeper than 32 levels");
        return NULL;
    }
    return doc;
}

bool
json_body_fields(struct request *rq, bool allow_merge_patch, const char *const *keys,
                 struct errors *errors, struct json_fields *jf, struct reply *err)
{
    json_t *body = json_body_object(rq, allow_merge_patch, err);

    if (body == NULL)
        return false;
    *jf = (struct json_fields){.obj = body, .prefix = "", .errors = errors, .arena = rq->arena};
    if (keys != NULL)
        jf_refuse_unknown(jf, keys);
    return true;
}

bool
json_body_read(struct request *rq, bool allow_merge_patch, json_body_reader read, void *out,
               struct reply *err)
{
    struct errors errors = {0};
    struct json_fields jf;

    if (!json_body_fields(rq, allow_merge_patch, NULL, &errors, &jf, err))
        return false;
    read(&jf, out);
    if (!errors_any(&errors))
        return true;
    *err = json_body_invalid(&errors);
    return false;
}

struct reply
json_body_invalid(const struct errors *e)
{
    return problem_reply_errors("validation-error", "the request has invalid fields", e);
}
