/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Bearer extraction: the scheme is case-insensitive (RFC 9110), the credential is the rest. */
#include "http/auth.h"

#include <string.h>
#include <strings.h>

#include "http/problem.h"

const char *
auth_bearer(const struct request *rq)
{
    const char *h = request_header(rq, "Authorization");

    if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
        return NULL;
    h += 7;
    while (*h == ' ')
        h++;
    return *h != '\0' ? h : NULL;
}

struct reply
auth_unauthorized(void)
{
    struct reply r = problem_reply("unauthorized", "a valid bearer credential is required");

    reply_add_header(&r, "WWW-Authenticate", "Bearer realm=\"recours\"");
    return r;
}
