/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The static pages of web/: the claim form, the claimant's page, the association dashboard,
 * and their assets, with the page security headers of docs/api.md §1.7. */
#ifndef RECOURS_HANDLERS_WEB_H
#define RECOURS_HANDLERS_WEB_H

#include "http/request.h"

struct reply handle_web_page(struct request *rq);
struct reply handle_web_asset(struct request *rq);

#endif
