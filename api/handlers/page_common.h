/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What every server-rendered page handler shares (api/web/ renders, this file answers):
 * the request's language (?lang=, cookie, Accept-Language), the reply with its cache
 * validators (ETag, 304 on If-None-Match, Cache-Control public with a per-page max-age,
 * Vary), the language cookie when ?lang= chose, and the page security headers of
 * docs/api.md §1.7. */
#ifndef RECOURS_HANDLERS_PAGE_COMMON_H
#define RECOURS_HANDLERS_PAGE_COMMON_H

#include "core/strbuf.h"
#include "http/request.h"
#include "web/layout.h"

/* Cache lifetimes (seconds) per kind of page: figures that move (home, incident, action)
 * are cached briefly, so that a proxy absorbs a spike and a change shows within a minute;
 * fixed texts longer. */
#define PAGE_CACHE_LIVE "public, max-age=30"
#define PAGE_CACHE_TEXT "public, max-age=300"

/* The rendering context of rq: catalogue, settings, the chosen language. */
struct web_ctx page_ctx(const struct request *rq);

/* The reply of a rendered page: takes body (left empty), answers 304 when If-None-Match
 * names its ETag, sets cache_control (static string; for status 200 only, errors are
 * no-store), and the language cookie when ?lang= chose the language. */
struct reply page_reply(struct request *rq, const struct web_ctx *w, int status,
                        struct strbuf *body, const char *cache_control);

/* The page security headers (docs/api.md §1.7) on r. */
void page_security_headers(struct reply *r);

/* The HTML page of an error status for a browser (http_server_config error_page): title and
 * explanation in the request's language, never cached. */
struct reply page_error(struct request *rq, int status);

#endif
