/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The declared query parameters of each operation, read once from the OpenAPI document the
 * binary serves (handlers/ops.c), so that what is accepted and what is documented cannot
 * drift apart. */
#include "handlers/query_declared.h"

#include <jansson.h>
#include <pthread.h>
#include <string.h>

#include "core/arena.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/strbuf.h"
#include "core/urlencoded.h"
#include "core/utf8_cut.h"
#include "handlers/guard.h"
#include "http/json_build.h"
#include "http/problem.h"

extern const unsigned char openapi_doc[];
extern const size_t openapi_doc_len;

/* "GET /v1/incidents" → {"limit": true, "cursor": true}; NULL when the document could not be
 * read (a bug the tests catch: then nothing is refused). Built once, read-only after. */
static json_t *declared;
static pthread_once_t declared_once = PTHREAD_ONCE_INIT;

/* A parameter object, through its $ref into components.parameters when it is one. */
static json_t *
resolve(json_t *doc, json_t *p)
{
    const char *ref = json_string_value(json_object_get(p, "$ref"));
    static const char prefix[] = "#/components/parameters/";

    if (ref == NULL || strncmp(ref, prefix, sizeof prefix - 1) != 0)
        return p;
    return json_object_get(json_object_get(json_object_get(doc, "components"), "parameters"),
                           ref + sizeof prefix - 1);
}

static void
add_query_names(struct json_build *b, json_t *doc, json_t *params, json_t *names)
{
    size_t i;
    json_t *p;

    json_array_foreach(params, i, p) {
        p = resolve(doc, p);
        const char *name = json_string_value(json_object_get(p, "name"));
        const char *in = json_string_value(json_object_get(p, "in"));
        if (name != NULL && in != NULL && strcmp(in, "query") == 0)
            jb_set(b, names, name, json_true());
    }
}

static void
build_declared(void)
{
    json_error_t err;
    json_t *doc = json_loadb((const char *)openapi_doc, openapi_doc_len, 0, &err);
    json_t *table = json_object();
    const char *path, *method;
    json_t *item, *op;
    struct json_build b = {0};

    if (doc == NULL || table == NULL) {
        log_bug("openapi.json unreadable: query parameters are not checked");
        json_decref(doc);
        json_decref(table);
        return;
    }
    json_object_foreach(json_object_get(doc, "paths"), path, item) {
        json_object_foreach(item, method, op) {
            if (!json_is_object(op) || json_object_get(op, "responses") == NULL)
                continue; /* the path's own "parameters", not an operation */
            json_t *names = json_object();
            add_query_names(&b, doc, json_object_get(item, "parameters"), names);
            add_query_names(&b, doc, json_object_get(op, "parameters"), names);
            char key[512];
            snprintf(key, sizeof key, "%s %s", method, path);
            jb_set(&b, table, key, names);
        }
    }
    json_decref(doc);
    declared = jb_result(&b, table);
    if (declared == NULL)
        log_bug("openapi.json: no memory for its query parameters: they are not checked");
}

static bool
is_declared(void *names, const char *name)
{
    return name[0] == '\0' || json_object_get(names, name) != NULL;
}

/* The name as a field of errors[]: as sent when it is text, else percent-encoded; at most
 * FIELD_MAX bytes, cut on a character's boundary (a name may be as long as the target). */
#define FIELD_MAX 64

static const char *
field_of(struct request *rq, const char *name)
{
    struct strbuf sb = {0};
    bool text = utf8_is_valid(name, strlen(name));

    for (const unsigned char *c = (const unsigned char *)name; *c && sb.len < FIELD_MAX; c++)
        if (*c < 0x20 || *c == 0x7f || (!text && *c >= 0x80))
            strbuf_printf(&sb, "%%%02X", *c);
        else
            strbuf_append(&sb, c, 1);
    char *out = arena_strdup(rq->arena, sb.len > 0 ? sb.data : "");
    strbuf_free(&sb);
    utf8_cut_incomplete(out, strlen(out));
    return out;
}

/* Two values of one parameter: which one a proxy, a cache or a log reads is anyone's guess,
 * so neither is picked (request_query would take the first silently). None of ours is a list. */
static bool
given_once(struct request *rq, json_t *names, struct reply *deny)
{
    const char *n;
    json_t *v;

    json_object_foreach(names, n, v) {
        if (request_query_count(rq, n) > 1) {
            *deny =
                guard_bad_parameter(n, arena_printf(rq->arena, "%s is given more than once", n));
            return false;
        }
    }
    return true;
}

bool
query_declared_only(struct request *rq, struct reply *deny)
{
    const struct route *route = rq->match.route;

    if (route == NULL || strncmp(route->path, "/v1/", 4) != 0)
        return true;
    pthread_once(&declared_once, build_declared);
    if (declared == NULL)
        return true;
    char key[512], method[8];
    size_t i;
    for (i = 0; i < sizeof method - 1 && route->method[i] != '\0'; i++)
        method[i] = (char)(route->method[i] | 0x20); /* the document's lower case */
    method[i] = '\0';
    snprintf(key, sizeof key, "%s %s", method, route->path);
    json_t *names = json_object_get(declared, key);
    const char *unknown = request_query_first_unknown(rq, is_declared, names);
    if (unknown == NULL)
        return given_once(rq, names, deny);

    struct strbuf takes = {0};
    const char *n;
    json_t *v;
    json_object_foreach(names, n, v) {
        strbuf_printf(&takes, "%s%s", takes.len ? ", " : "", n);
    }
    const char *field = field_of(rq, unknown);
    const char *message =
        arena_printf(rq->arena, "%s is not a parameter of this operation (it takes %s)", field,
                     takes.len ? takes.data : "none");
    struct errors e = {0};
    errors_add(&e, field, "unknown-field", message);
    *deny = problem_reply_errors("invalid-parameter", message, &e);
    strbuf_free(&takes);
    return false;
}
