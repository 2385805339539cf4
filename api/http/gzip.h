/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* gzip for the static texts a page loads (stylesheets, scripts, the string catalogue), when
 * the client accepts it: on a phone they are most of a page's weight (docs/api.md §15).
 * Only those: they hold no secret, so compressing them cannot leak one (BREACH needs a secret
 * and attacker-chosen text in one compressed body); pages, which may show a token or
 * personal data, are sent as they are. */
#ifndef RECOURS_HTTP_GZIP_H
#define RECOURS_HTTP_GZIP_H

#include <stdbool.h>

#include "http/reply.h"

/* Whether an Accept-Encoding value accepts gzip (gzip, x-gzip or *, without q=0). NULL: no. */
bool http_accepts_gzip(const char *accept_encoding);

/* Replaces r's body by its gzip encoding and adds Content-Encoding: gzip, when that makes it
 * smaller; false (r unchanged) otherwise, or when zlib fails. Adds Vary: Accept-Encoding in
 * both cases, since the answer depends on it. */
bool reply_gzip(struct reply *r);

#endif
