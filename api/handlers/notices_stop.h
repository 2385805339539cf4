/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The page behind the link of every non-essential notice (docs/workspace.md "Notices"):
 * GET /notices/stop/{token} says what stopping means and offers a button (a form: no
 * JavaScript needed); POST /notices/stop/{token} stops them, from that button or from a mail
 * client's one-click (RFC 8058: List-Unsubscribe-Post, whatever the body). A token we did not
 * make is a 404 page. */
#ifndef RECOURS_HANDLERS_NOTICES_STOP_H
#define RECOURS_HANDLERS_NOTICES_STOP_H

#include "http/request.h"

struct reply handle_notices_stop_page(struct request *rq);
struct reply handle_notices_stop_post(struct request *rq);

#endif
