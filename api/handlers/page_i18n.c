/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* GET /i18n/{file}: a language's string catalogue (fr.json, en.json) for the scripts: the
 * bytes loaded at start, validated by their ETag, cached five minutes (a new catalogue comes
 * with a restart). */
#include "handlers/handlers.h"

#include <string.h>

#include "app.h"
#include "handlers/page_common.h"
#include "core/arena.h"
#include "http/gzip.h"
#include "http/problem.h"
#include "web/etag.h"

struct reply
handle_page_i18n(struct request *rq)
{
    const struct app *app = rq->app;
    const char *file = request_param(rq, 0);
    enum web_lang lang;
    char code[4];
    size_t n = strlen(file), len;
    const char *etag;

    if (n != 7 || strcmp(file + 2, ".json") != 0)
        return problem_reply("not-found", "no such catalogue");
    memcpy(code, file, 2);
    code[2] = '\0';
    if (!web_lang_parse(code, &lang) || strcmp(code, web_lang_code(lang)) != 0)
        return problem_reply("not-found", "no such catalogue");
    const char *bytes = web_catalogue_bytes(app->site->catalogue, lang, &len, &etag);
    /* gzip (half the weight of a form page on a phone: http/gzip.h) is another
     * representation, with an ETag of its own */
    bool gzip = http_accepts_gzip(request_header(rq, "Accept-Encoding"));
    if (gzip)
        etag = arena_printf(rq->arena, "%.*s-gz\"", (int)(strlen(etag) - 1), etag);
    struct reply r = web_etag_matches(request_header(rq, "If-None-Match"), etag)
                         ? reply_empty(304)
                         : reply_bytes(200, "application/json; charset=utf-8", bytes, len);
    if (gzip && r.status == 200)
        reply_gzip(&r);
    else
        reply_add_header(&r, "Vary", "Accept-Encoding");
    reply_add_header(&r, "ETag", etag);
    r.cache_control = PAGE_CACHE_TEXT;
    return r;
}
