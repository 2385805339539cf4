/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Content negotiation on the Accept header, as far as the server needs it: does the client
 * prefer an HTML page to JSON? Browsers do ("text/html,…,any;q=0.8"); API clients and curl
 * ("application/json", "any", none) do not, and keep problem+json. */
#ifndef RECOURS_HTTP_ACCEPT_H
#define RECOURS_HTTP_ACCEPT_H

#include <stdbool.h>

/* True when text/html gets a strictly higher quality than application/json and
 * application/problem+json in accept (RFC 9110 §12.5.1: the most specific range gives a
 * type its quality). NULL or "" (anything acceptable) → false. */
bool accept_prefers_html(const char *accept);

#endif
