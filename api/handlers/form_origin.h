/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Cross-site form posts refused (docs/decisions.md, "Forms without JavaScript"). The pages'
 * forms carry no cookie and no session, but a page elsewhere could still make a visitor's
 * browser post a claim, a correction or a withdrawal in their name; browsers say where a
 * request comes from, and the server believes them:
 *   - Sec-Fetch-Site (every current browser): only "same-origin" (or "none": typed, not
 *     sent by a page) passes;
 *   - otherwise Origin (older browsers send it on every POST): its host must be the Host the
 *     request was sent to ("null", an opaque origin, never passes);
 *   - neither header: not a browser (curl, a script), which no other site can drive, passes.
 * No token to keep, so a form rendered by a cached page still works. */
#ifndef RECOURS_HANDLERS_FORM_ORIGIN_H
#define RECOURS_HANDLERS_FORM_ORIGIN_H

#include <stdbool.h>

/* Whether a form post with these headers (each may be NULL) comes from this site. */
bool form_origin_is_same_site(const char *sec_fetch_site, const char *origin, const char *host);

#endif
