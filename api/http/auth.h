/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Bearer credentials (docs/api.md §2): only `Authorization: Bearer <credential>`. A missing or
 * unrecognised credential on a route that needs one is 401 + WWW-Authenticate; a valid one
 * out of its reach is the route's 404. */
#ifndef RECOURS_HTTP_AUTH_H
#define RECOURS_HTTP_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "http/reply.h"
#include "http/request.h"

/* The credential of the Authorization header, or NULL when absent or not a Bearer one
 * (auth.c says how the header is read; the credential may be an arena copy). */
const char *auth_bearer(const struct request *rq);

/* The 401 unauthorized problem with its WWW-Authenticate header. */
struct reply auth_unauthorized(void);

#endif
