/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Entity tags of rendered pages: a 64-bit FNV-1a digest of the body, quoted ("\"9f0c…\"").
 * Not a security digest: it only tells a cache whether the bytes changed, and is cheap
 * enough to compute on every render (a page is re-rendered, then compared with
 * If-None-Match, so the tag follows the bytes whatever changed them). */
#ifndef RECOURS_WEB_ETAG_H
#define RECOURS_WEB_ETAG_H

#include <stdbool.h>
#include <stddef.h>

#define WEB_ETAG_LEN 19 /* quote, 16 hex digits, quote, NUL */

void web_etag(const void *bytes, size_t n, char out[WEB_ETAG_LEN]);

/* Whether an If-None-Match header value (NULL: absent) names etag: "*", or one of a
 * comma-separated list, weak ("W/\"…\"") or not (RFC 9110 §13.1.2: weak comparison). */
bool web_etag_matches(const char *if_none_match, const char *etag);

#endif
