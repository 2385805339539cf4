/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The public pages rendered by the server (api/web/): GET / (open incidents, their public
 * totals and open actions), /i/{slug} (an incident and what a claimant may receive), /a/{id}
 * (a representative action's public record), /privacy, /privacy/v/{version}, /legal,
 * /accessibility. Each reads through one service call (service/public_pages.h). */
#ifndef RECOURS_HANDLERS_PAGE_HOME_H
#define RECOURS_HANDLERS_PAGE_HOME_H

#include "http/request.h"

struct reply handle_page_home(struct request *rq);
struct reply handle_page_incident(struct request *rq);
struct reply handle_page_action(struct request *rq);
struct reply handle_page_privacy(struct request *rq);
struct reply handle_page_privacy_version(struct request *rq);
struct reply handle_page_legal(struct request *rq);
struct reply handle_page_accessibility(struct request *rq);

#endif
