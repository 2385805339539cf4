/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The page behind the link of every non-essential notice (docs/workspace.md "Notices"):
 * GET /notices/stop/{token} says what stopping means and offers a button (a form: no
 * JavaScript needed); POST /notices/stop/{token} stops them, from that button or from a mail
 * client's one-click (RFC 8058: List-Unsubscribe-Post, whatever the body). A token we did not
 * make is a 404 page. The page is in the member's language (the claim's) unless the reader
 * chose the other (?lang=, kept by the button's post, or the language switch's cookie),
 * never cached (the address is the member's own). No Origin check on the POST, unlike the site's
 * other forms: a mail client's one-click comes from its own servers, and the token alone, made with
 * the server's key, says whose notices stop. */
#include "handlers/handlers.h"

#include <string.h>

#include "app.h"
#include "handlers/page_common.h"
#include "http/outcome.h"
#include "service/notices_stop.h"
#include "web/escape.h"

/* The page: what stopping means, then the button (GET) or the confirmation (POST). */
static struct reply
stop_page(struct request *rq, const struct notice_stop_info *info, bool done)
{
    struct web_ctx w = page_ctx(rq);
    struct strbuf sb = {0};
    enum web_lang lang;

    if (!page_lang_chosen(rq) && web_lang_parse(info->lang, &lang))
        w.lang = lang;
    struct web_page p = {
        .title = web_t(w.cat, w.lang, "notices.stop.title"),
        .path = rq->path,
        .noindex = true,
    };
    web_layout_begin(&sb, &w, &p);
    strbuf_puts(&sb, "<h1>");
    web_te(&sb, w.cat, w.lang, WEB_TEXT, "notices.stop.title");
    strbuf_puts(&sb, "</h1>\n");
    if (info->action_title != NULL) {
        strbuf_puts(&sb, "<p>");
        web_tf(&sb, w.cat, w.lang, WEB_TEXT, "notices.stop.about",
               (const char *[]){"association", info->association_name, "action",
                                info->action_title, NULL});
        strbuf_puts(&sb, "</p>\n");
    }
    strbuf_puts(&sb, "<p>");
    web_te(&sb, w.cat, w.lang, WEB_TEXT, "notices.stop.essential");
    strbuf_puts(&sb, "</p>\n");
    if (done || info->opted_out) {
        strbuf_puts(&sb, "<p class=\"status status-success\" id=\"stop-done\">");
        web_te(&sb, w.cat, w.lang, WEB_TEXT, "notices.stop.done");
        strbuf_puts(&sb, "</p>\n");
    } else {
        /* the same body as a mail client's one-click (RFC 8058) */
        strbuf_puts(&sb, "<form method=\"post\" action=\"");
        web_escape(&sb, WEB_ATTR, rq->path);
        strbuf_printf(&sb, "?lang=%s\">\n", web_lang_code(w.lang));
        strbuf_puts(&sb, "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">\n"
                         "<p><button type=\"submit\" id=\"stop-button\" class=\"button primary\">");
        web_te(&sb, w.cat, w.lang, WEB_TEXT, "notices.stop.button");
        strbuf_puts(&sb, "</button></p>\n</form>\n");
    }
    strbuf_printf(&sb, "<p><a href=\"/my-claim?lang=%s\">", web_lang_code(w.lang));
    web_te(&sb, w.cat, w.lang, WEB_TEXT, "nav.my_claim");
    strbuf_puts(&sb, "</a></p>\n");
    web_layout_end(&sb, &w);
    return page_reply(rq, &w, 200, &sb, NULL);
}

static struct reply
answer(struct request *rq, bool stop)
{
    const struct app *app = rq->app;
    struct notice_stop_info info;
    const char *token = request_param(rq, 0);
    struct reply deny;

    if (!page_query_ok(rq, &deny))
        return deny;
    enum outcome o = stop ? svc_rq_notice_stop(app_secrets(app), token, rq->arena, &info)
                          : svc_rq_notice_stop_info(app_secrets(app), token, rq->arena, &info);

    if (o == OUTCOME_NOT_FOUND)
        return page_error(rq, 404);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    return stop_page(rq, &info, stop);
}

struct reply
handle_notices_stop_page(struct request *rq)
{
    return answer(rq, false);
}

struct reply
handle_notices_stop_post(struct request *rq)
{
    return answer(rq, true);
}
