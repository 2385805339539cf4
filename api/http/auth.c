/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Bearer extraction (docs/api.md §2.1): one rule read from RFC 9110, as lenient for a tab as for
 * a space. */
#include "http/auth.h"

#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "http/problem.h"

/* What RFC 9110 calls whitespace around and inside the credentials: SP and HTAB (OWS, §5.6.3). */
static const char WS[] = " \t";

/* credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ] (§11.4), read so: the field value
 * without its leading and trailing whitespace (§5.5), the scheme `Bearer` in any case (§11.1),
 * then one or more SP or HTAB where the grammar says 1*SP (a tab is as good as a space, two as
 * good as one), then the credential. A token68 holds no whitespace: a value with some inside
 * names no credential. */
const char *
auth_bearer(const struct request *rq)
{
    const char *h = request_header(rq, "Authorization");

    if (h == NULL)
        return NULL;
    h += strspn(h, WS);
    if (strncasecmp(h, "Bearer", 6) != 0)
        return NULL;
    h += 6;
    size_t sep = strspn(h, WS);
    if (sep == 0) /* "Bearerx", or "Bearer" alone */
        return NULL;
    h += sep;
    size_t len = strcspn(h, WS);
    if (len == 0 || h[len + strspn(h + len, WS)] != '\0')
        return NULL;
    return h[len] == '\0' ? h : arena_strndup(rq->arena, h, len);
}

struct reply
auth_unauthorized(void)
{
    struct reply r = problem_reply("unauthorized", "a valid bearer credential is required");

    reply_add_header(&r, "WWW-Authenticate", "Bearer realm=\"recours\"");
    return r;
}
