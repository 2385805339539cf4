/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What every server-rendered page handler shares (api/web/ renders, this file answers):
 * the request's language (?lang=, cookie, Accept-Language), the reply with its cache
 * validators (ETag, 304 on If-None-Match, Cache-Control public with a per-page max-age,
 * Vary), the language cookie when ?lang= chose, and the page security headers of
 * docs/api.md §1.7. */
#ifndef RECOURS_HANDLERS_PAGE_COMMON_H
#define RECOURS_HANDLERS_PAGE_COMMON_H

#include <jansson.h>
#include <stdint.h>

#include "core/strbuf.h"
#include "http/request.h"
#include "service/public_pages.h"
#include "web/layout.h"

/* Cache lifetimes (seconds) per kind of page: figures that move (home, incident, action)
 * are cached briefly, so that a proxy absorbs a spike and a change shows within a minute;
 * fixed texts longer. */
#define PAGE_CACHE_LIVE "public, max-age=30"
#define PAGE_CACHE_TEXT "public, max-age=300"

/* Whether the query of a page is valid: a ?lang= other than fr or en is 400
 * invalid-parameter (docs/api.md §5.2, as every declared parameter), *deny set. */
bool page_query_ok(const struct request *rq, struct reply *deny);

/* The rendering context of rq: catalogue, settings, the chosen language. */
struct web_ctx page_ctx(const struct request *rq);

/* Whether the reader chose the page's language (?lang=, or the language switch's cookie): a
 * page that otherwise speaks another's language (the claim's, in its links) then gives way. */
bool page_lang_chosen(const struct request *rq);

/* The reply of a rendered page: takes body (left empty), answers 304 when If-None-Match
 * names its ETag, sets cache_control (static string; for status 200 only, errors are
 * no-store), and the language cookie when ?lang= chose the language. */
struct reply page_reply(struct request *rq, const struct web_ctx *w, int status,
                        struct strbuf *body, const char *cache_control);

/* The language cookie on r when ?lang= chose the language (a valid one): the next page,
 * rendered or static, keeps it (web/lang.h). Whether it was set. */
bool page_remember_lang(struct request *rq, struct reply *r);

/* The page security headers (docs/api.md §1.7) on r. */
void page_security_headers(struct reply *r);

/* The HTML page of an error status for a browser (http_server_config error_page): title and
 * explanation in the request's language, never cached. To a client whose Accept does not
 * prefer HTML, the problem document of that status instead (403 excepted: it has none). */
struct reply page_error(struct request *rq, int status);

/* Renders a page of the document the service read (service/public_pages.h) into out. */
typedef void (*page_render_fn)(struct request *rq, const struct web_ctx *w, const json_t *doc,
                               struct strbuf *out);

/* A public page: its document of kind (svc_rq_public_doc), for the route's path parameter
 * (an incident's slug, an action's id: a malformed one is a 404 before any read), read and
 * rendered at most once per few seconds per language however many ask
 * (handlers/public_cache.h: single flight, short TTL, scope "page:<its path>"), then
 * answered by page_reply: a burst after a news report costs one database read per page and
 * language. A document that cannot be read answers its outcome's problem (404, 503). */
struct reply page_render_cached(struct request *rq, enum public_doc kind, page_render_fn render,
                                const char *cache_control);

/* Members of the documents the service gives (NULL / 0 when absent or of another type). */
const char *pj_str(const json_t *obj, const char *key);
int64_t pj_int(const json_t *obj, const char *key);

/* <dt>label</dt><dd>…: opens a fact of a <dl class="facts"> (the caller writes the value and
 * closes with page_fact_end). */
void page_fact_begin(struct strbuf *sb, const struct web_ctx *w, const char *label_key);
void page_fact_end(struct strbuf *sb);

/* A whole fact whose value is text (escaped; NULL writes an empty value). */
void page_fact_text(struct strbuf *sb, const struct web_ctx *w, const char *label_key,
                    const char *text);

/* A whole fact whose value is a count, written as the page's language writes numbers. */
void page_fact_int(struct strbuf *sb, const struct web_ctx *w, const char *label_key, int64_t v);

/* A whole fact whose value is the catalogue's text of text_key. */
void page_fact_word(struct strbuf *sb, const struct web_ctx *w, const char *label_key,
                    const char *text_key);

#endif
