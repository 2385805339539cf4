/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Linear route matching: the table is a few dozen entries, a scan costs less than a hash. */
#include "http/router.h"

#include <stdint.h>
#include <string.h>
#include <unistr.h>

#include "core/arena.h"

/* Compares one template to a path; on a match fills params. Segments are compared in place:
 * a "{x}" segment takes everything up to the next '/', and must not be empty. */
static bool
template_matches(const char *tpl, const char *path, struct arena *arena,
                 struct route_match *m)
{
    int n = 0;
    const char *starts[ROUTER_MAX_PARAMS];
    size_t lens[ROUTER_MAX_PARAMS];

    while (*tpl != '\0' && *path != '\0') {
        if (*tpl == '{') {
            const char *close = strchr(tpl, '}');
            size_t len = strcspn(path, "/");
            if (close == NULL || len == 0 || n >= ROUTER_MAX_PARAMS)
                return false;
            starts[n] = path;
            lens[n] = len;
            n++;
            tpl = close + 1;
            path += len;
            continue;
        }
        if (*tpl != *path)
            return false;
        tpl++;
        path++;
    }
    if (*tpl != '\0' || *path != '\0')
        return false;
    if (m != NULL) {
        for (int i = 0; i < n; i++)
            m->params[i] = arena_strndup(arena, starts[i], lens[i]);
        m->n_params = n;
    }
    return true;
}

/* HEAD runs a GET's handler and drops the body: not on a GET that records what it served. */
static bool
head_allowed(const struct route *r)
{
    return strcmp(r->method, "GET") == 0 && !r->get_records;
}

static bool
method_is(const struct route *r, const char *method)
{
    if (strcmp(r->method, method) == 0)
        return true;
    return strcmp(method, "HEAD") == 0 && head_allowed(r);
}

static void
allow_add(char *allow, size_t cap, const char *method)
{
    if (strstr(allow, method) != NULL)
        return;
    if (allow[0] != '\0')
        strncat(allow, ", ", cap - strlen(allow) - 1);
    strncat(allow, method, cap - strlen(allow) - 1);
}

enum router_result
router_match(const struct route *routes, size_t n, const char *method, const char *path,
             struct arena *arena, struct route_match *m)
{
    bool path_known = false;

    memset(m, 0, sizeof *m);
    /* Slugs, references, ids and file names are UTF-8: a path that is not (after
     * percent-decoding) names nothing, and must not reach PostgreSQL, which refuses such a
     * parameter (SQLSTATE 22021) with an error that would read as ours (500). */
    if (u8_check((const uint8_t *)path, strlen(path)) != NULL)
        return ROUTER_NOT_FOUND;
    for (size_t i = 0; i < n; i++) {
        if (!template_matches(routes[i].path, path, NULL, NULL))
            continue;
        path_known = true;
        allow_add(m->allow, sizeof m->allow, routes[i].method);
        if (head_allowed(&routes[i]))
            allow_add(m->allow, sizeof m->allow, "HEAD");
        if (m->route == NULL && method_is(&routes[i], method)) {
            m->route = &routes[i];
            template_matches(routes[i].path, path, arena, m);
        }
    }
    if (m->route != NULL)
        return ROUTER_MATCH;
    return path_known ? ROUTER_METHOD_NOT_ALLOWED : ROUTER_NOT_FOUND;
}

const char *
route_role_name(enum route_role role)
{
    switch (role) {
    case ROLE_PUBLIC:
        return "public";
    case ROLE_CLAIMANT:
        return "claimant";
    case ROLE_ASSOCIATION:
        return "association";
    case ROLE_OPERATOR:
        return "operator";
    case ROLE_ASSOCIATION_OR_OPERATOR:
        return "association,operator";
    case ROLE_PUBLIC_OR_MEMBER:
        return "public,association,operator";
    }
    return NULL;
}
