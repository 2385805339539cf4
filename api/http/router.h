/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Route table matching: method + path template ("/v1/incidents/{slug}") → handler.
 * A path that matches a template under another method gives 405 with the Allow list. */
#ifndef RECOURS_HTTP_ROUTER_H
#define RECOURS_HTTP_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "http/reply.h"

struct request;

/* Who may call a route (docs/api.md §2). The route table's column is what enforces it: the
 * server's run hook (routes.c → handlers/guard.c guard_route) checks it before the handler.
 * No role is zero, so a route left without one is refused: -Wmissing-field-initializers at
 * build, http_server_start at start, tests/unit/test_routes.c in the suite. */
enum route_role {
    ROLE_PUBLIC = 1,
    ROLE_CLAIMANT,
    ROLE_ASSOCIATION,
    ROLE_OPERATOR,
    ROLE_ASSOCIATION_OR_OPERATOR,
    ROLE_PUBLIC_OR_MEMBER, /* public view, fuller view with a credential */
};

typedef struct reply (*route_handler)(struct request *rq);

struct route {
    const char *method;   /* "GET", "POST", "PUT", "PATCH", "DELETE" */
    const char *path;     /* template; "{name}" matches one non-empty segment */
    route_handler handler;
    enum route_role role;
    bool get_records; /* a GET that records (audit, export): no HEAD on it */
};

#define ROUTER_MAX_PARAMS 4

struct route_match {
    const struct route *route;            /* NULL unless matched */
    const char *params[ROUTER_MAX_PARAMS]; /* arena copies, in template order */
    int n_params;
    char allow[64];                        /* for 405: "GET, PATCH" */
};

enum router_result { ROUTER_MATCH, ROUTER_NOT_FOUND, ROUTER_METHOD_NOT_ALLOWED };

struct arena;

/* Matches method and path against routes[0..n). HEAD matches GET routes. Parameters are
 * copied into the arena. */
enum router_result router_match(const struct route *routes, size_t n, const char *method,
                                const char *path, struct arena *arena, struct route_match *m);

/* Name of a route role, for listings ("public", "operator", ...); NULL for a value that is
 * not a declared role. */
const char *route_role_name(enum route_role role);

#endif
