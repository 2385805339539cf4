/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* GET /i18n/{file}: the string catalogue of a language (fr.json, en.json) as the server
 * loaded it, for the scripts (web/static/i18n.js). */
#ifndef RECOURS_HANDLERS_PAGE_I18N_H
#define RECOURS_HANDLERS_PAGE_I18N_H

#include "http/request.h"

struct reply handle_page_i18n(struct request *rq);

#endif
