/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Token recovery and email confirmation: parse, one service call, reply. The recovery
 * request's answer never depends on whether a claim matches (issue 12): that is known only
 * when the message is delivered. */
#include "handlers/handlers.h"

#include <jansson.h>
#include <string.h>

#include "app.h"
#include "core/arena.h"
#include "core/errors.h"
#include "core/strbuf.h"
#include "domain/normalize.h"
#include "domain/reference.h"
#include "handlers/page_common.h"
#include "http/accept.h"
#include "http/client_ip.h"
#include "http/json_body.h"
#include "http/json_fields.h"
#include "http/outcome.h"
#include "http/problem.h"
#include "http/reply.h"
#include "service/mail_links.h"
#include "web/catalogue.h"
#include "web/escape.h"

static const char *const request_members[] = {"email", "reference", "lang", NULL};
static const char *const languages[] = {"fr", "en", NULL};

/* The fields of a recovery request; false with *deny (422, every error at once). */
static bool
parse_request(struct request *rq, struct recovery_request *r, struct reply *deny)
{
    struct errors errors = {0};
    char normal[512];
    char canonical[13];
    json_t *body = json_body_object(rq, false, deny);

    if (body == NULL)
        return false;
    struct json_fields jf = {.obj = body, .prefix = "", .errors = &errors, .arena = rq->arena};
    jf_refuse_unknown(&jf, request_members);
    r->email = jf_text(&jf, "email", true, 254);
    if (r->email != NULL && !normalize_email(r->email, normal, sizeof normal))
        errors_add(&errors, "email", "invalid-format", "expected an address like name@example.org");
    explicit_bzero(normal, sizeof normal);
    r->reference = jf_text(&jf, "reference", false, 32);
    if (r->reference != NULL) {
        if (reference_parse(r->reference, canonical))
            r->reference = arena_strdup(rq->arena, canonical);
        else
            errors_add(&errors, "reference", "invalid-format", "expected a reference like "
                                                               "RC-7K3M-Q9XJ");
    }
    r->lang = jf_enum(&jf, "lang", false, languages);
    if (errors_any(&errors)) {
        *deny = json_body_invalid(&errors);
        return false;
    }
    return true;
}

/* POST /v1/claim-recovery {email, reference?, lang?}: 202, the same answer whether a claim
 * matches or not; 429 past the limits per client and per address. */
struct reply
handle_recovery_request(struct request *rq)
{
    const struct app *app = rq->app;
    struct recovery_request r = {0};
    char client[CLIENT_IP_MAX];
    struct reply deny;
    bool limited = false;

    if (!parse_request(rq, &r, &deny))
        return deny;
    client_ip(rq, app->cfg->trusted_proxies, client);
    r.client = client;
    enum outcome o = svc_rq_recovery_request(app_secrets(app), &r, &limited);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    if (limited) {
        struct reply lr = problem_reply("rate-limited", "too many recovery requests: try again "
                                                        "in a quarter of an hour");
        reply_add_header(&lr, "Retry-After", "900");
        return lr;
    }
    return reply_json_take(202, json_pack("{s:s}", "status", "queued"));
}

/* POST /v1/claim-recovery/{token}: 200 {reference, token} (the new claim token, shown
 * once; the old one stops working); 404 for an unknown, used or expired link. */
struct reply
handle_recovery_redeem(struct request *rq)
{
    const struct app *app = rq->app;
    char token[64];
    char reference[13];
    enum outcome o = svc_rq_recovery_redeem(app_secrets(app), request_param(rq, 0), token,
                                            reference);

    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    struct reply r = reply_json_take(200, json_pack("{s:s, s:s}", "reference", reference,
                                                    "token", token));
    explicit_bzero(token, sizeof token);
    return r;
}

/* The confirmation pages, in the site's layout (the first page of the site a claimant opens
 * from an email): catalogue words only, nothing from the request is echoed; never cached. In
 * the claim's language once the link is known, unless the reader chose one (?lang=, the
 * switch's cookie: as on every page), else the reader's. A known link's pages name its claim
 * (reference, incident: a reader who never made it, or made several, sees which), nothing
 * personal. Its links (canonical, language switch) are /my-claim's: the link's token stays
 * out of them, but for the form that posts back to the link itself. */
enum confirm_state { CONFIRM_ASK, CONFIRM_DONE, CONFIRM_GONE };

static struct reply
confirm_page(struct request *rq, enum confirm_state state, const struct confirm_claim *claim)
{
    static const char *const titles[] = {"confirm.ask_title", "confirm.done_title",
                                         "confirm.gone_title"};
    static const char *const texts[] = {"confirm.ask_text", "confirm.done_text",
                                        "confirm.gone_text"};
    struct web_ctx w = page_ctx(rq);
    struct strbuf sb = {0};
    enum web_lang l;

    if (claim != NULL && !page_lang_chosen(rq) && web_lang_parse(claim->lang, &l))
        w.lang = l;
    struct web_page p = {.title = web_t(w.cat, w.lang, titles[state]),
                         .path = "/my-claim",
                         .noindex = true,
                         .h1 = true,
                         /* a link that no longer works is an error page like any other: its
                          * title starts with "Error: " */
                         .error = state == CONFIRM_GONE};
    web_layout_begin(&sb, &w, &p);
    if (claim != NULL) { /* "Claim RC-…, incident: ACME SA — Customer database leak." */
        strbuf_puts(&sb, "<p id=\"confirm-claim\">");
        web_tf_isolated(&sb, w.cat, w.lang, "confirm.claim",
                        (const char *[]){"reference", claim->reference, "controller",
                                         claim->incident_controller, "title", claim->incident_title,
                                         NULL});
        strbuf_puts(&sb, "</p>\n");
    }
    strbuf_puts(&sb, "<p>");
    web_te(&sb, w.cat, w.lang, WEB_TEXT, texts[state]);
    strbuf_puts(&sb, "</p>\n");
    if (state == CONFIRM_GONE) { /* what to do now: the claim is safe, how to get a new link */
        strbuf_puts(&sb, "<p id=\"confirm-next\">");
        web_te(&sb, w.cat, w.lang, WEB_TEXT, "confirm.gone_next");
        strbuf_puts(&sb, "</p>\n");
    }
    if (state == CONFIRM_ASK) {
        /* a button, not the link itself: a mail scanner opens links, it does not press them */
        strbuf_puts(&sb, "<form method=\"post\" action=\"");
        web_escape(&sb, WEB_ATTR, rq->path);
        /* the language chosen holds for the answer to the button */
        if (request_query(rq, "lang") != NULL)
            strbuf_printf(&sb, "?lang=%s", web_lang_code(w.lang));
        strbuf_puts(&sb, "\">\n<p><button type=\"submit\" id=\"confirm-button\" "
                         "class=\"button primary\">");
        web_te(&sb, w.cat, w.lang, WEB_TEXT, "confirm.button");
        strbuf_puts(&sb, "</button></p>\n</form>\n");
    }
    /* the page's language on (the claim's may not be the browser's) */
    strbuf_printf(&sb, "<p><a %shref=\"/my-claim?lang=%s\">",
                  state == CONFIRM_GONE ? "class=\"button primary\" " : "", web_lang_code(w.lang));
    web_te(&sb, w.cat, w.lang, WEB_TEXT,
           state == CONFIRM_GONE ? "confirm.gone_open" : "nav.my_claim");
    strbuf_puts(&sb, "</a></p>\n");
    web_layout_end(&sb, &w);
    struct reply r = page_reply(rq, &w, state == CONFIRM_GONE ? 404 : 200, &sb, NULL);
    r.cache_control = "no-store"; /* the address is the claimant's own link */
    return r;
}

/* An unknown or expired link: a person following it reads a page, an API client gets the
 * problem document; who is who as for every error page (an Accept preferring text/html to
 * JSON: one that merely lists text/html, at a lower weight, is an API client's). */
static struct reply
confirm_refused(struct request *rq, enum outcome o)
{
    if (o == OUTCOME_NOT_FOUND && accept_prefers_html(request_header(rq, "Accept")))
        return confirm_page(rq, CONFIRM_GONE, NULL);
    return reply_outcome(o, NULL);
}

/* GET /confirm-email/{token}: the page that asks, whose button confirms (or says the address
 * is confirmed already); nothing is recorded by opening the link, which mail scanners do
 * before their reader (docs/mail.md). */
struct reply
handle_confirm_email(struct request *rq)
{
    const struct app *app = rq->app;
    struct confirm_claim claim = {0};
    struct reply deny;

    if (!page_query_ok(rq, &deny))
        return deny;
    enum outcome o =
        svc_rq_mail_confirm_email_peek(app_secrets(app), request_param(rq, 0), rq->arena, &claim);

    if (o != OUTCOME_OK)
        return confirm_refused(rq, o);
    return confirm_page(rq, claim.confirmed ? CONFIRM_DONE : CONFIRM_ASK, &claim);
}

/* POST /confirm-email/{token}: the page's button; records the claim's address as confirmed
 * (again and again until the link expires: the first time counts) and says so. The body is
 * not read, and no Origin is asked for: the token alone, made with the server's key, says
 * whose address it is, as the notices' stop link (notices_stop.c). */
struct reply
handle_confirm_email_post(struct request *rq)
{
    const struct app *app = rq->app;
    struct confirm_claim claim = {0};
    struct reply deny;

    if (!page_query_ok(rq, &deny))
        return deny;
    enum outcome o =
        svc_rq_mail_confirm_email(app_secrets(app), request_param(rq, 0), rq->arena, &claim);

    if (o != OUTCOME_OK)
        return confirm_refused(rq, o);
    return confirm_page(rq, CONFIRM_DONE, &claim);
}
