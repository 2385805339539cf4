/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The fixed texts: /privacy (the notice in force), /privacy/v/{version} (any version, so that
 * the one a claim accepted stays readable), /legal (mentions légales) and /accessibility.
 * The operator's identity comes from configuration (api/core/config.c); the notice's texts
 * from web/privacy/ (api/web/site.h). No database: rendered per request, cached by clients
 * and proxies for five minutes. */
#include <string.h>

#include "app.h"
#include "handlers/page_common.h"
#include "handlers/page_parts.h"
#include "handlers/handlers.h"
#include "http/problem.h"
#include "web/escape.h"
#include "web/format.h"
#include "web/site.h"

/* The body of a fixed text's page (below its <h1>); ctx is the text's (a notice version). */
typedef void (*text_body_fn)(struct strbuf *sb, const struct web_ctx *w, const void *ctx);

/* The page of a fixed text: the query checked, the frame with its title (title_key) as <h1>,
 * the body, answered and cached as fixed texts are. */
static struct reply
text_page(struct request *rq, const char *title_key, const char *description_key,
          text_body_fn body, const void *ctx)
{
    struct web_ctx w = page_ctx(rq);
    struct strbuf sb = {0};
    struct reply deny;
    struct web_page p = {
        .title = web_t(w.cat, w.lang, title_key),
        .description = description_key != NULL ? web_t(w.cat, w.lang, description_key) : NULL,
        .path = rq->path,
        .h1 = true,
    };

    if (!page_query_ok(rq, &deny))
        return deny;
    web_layout_begin(&sb, &w, &p);
    body(&sb, &w, ctx);
    web_layout_end(&sb, &w);
    return page_reply(rq, &w, 200, &sb, PAGE_CACHE_TEXT);
}

/* A version of the privacy notice and the site's list of them. */
struct privacy_ctx {
    const struct web_site *site;
    const struct web_privacy_version *v;
};

static void
privacy(struct strbuf *sb, const struct web_ctx *w, const void *ctx)
{
    const struct privacy_ctx *x = ctx;
    const struct web_site *site = x->site;
    const struct web_privacy_version *v = x->v;
    const char *html = v->html[w->lang];
    bool fallback = html == NULL;
    bool current = v == site->privacy_current;

    if (fallback)
        html = v->html[WEB_LANG_FR];
    strbuf_puts(sb, "<p class=\"lead\">");
    web_tf(sb, w->cat, w->lang, WEB_TEXT, "page.privacy.version",
           (const char *[]){"version", v->version, NULL});
    strbuf_puts(sb, " ");
    web_te(sb, w->cat, w->lang, WEB_TEXT, current ? "page.privacy.current" : "page.privacy.older");
    strbuf_puts(sb, "</p>\n");
    page_text_open(sb, w, fallback, "page.privacy.fallback", "notice-text");
    /* the operator's file, its placeholders filled with escaped settings at start */
    strbuf_puts(sb, html);
    strbuf_puts(sb, "</div>\n<h2>");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "page.privacy.versions");
    strbuf_puts(sb, "</h2>\n<ul>");
    for (size_t i = site->n_privacy; i-- > 0;) {
        strbuf_puts(sb, "<li><a href=\"/privacy/v/");
        url_component(sb, site->privacy[i].version);
        strbuf_puts(sb, "\">");
        web_tf(sb, w->cat, w->lang, WEB_TEXT, "page.privacy.version",
               (const char *[]){"version", site->privacy[i].version, NULL});
        strbuf_puts(sb, "</a></li>");
    }
    strbuf_puts(sb, "</ul>\n");
}

static struct reply
privacy_page(struct request *rq, const struct web_privacy_version *v)
{
    const struct app *app = rq->app;
    const struct privacy_ctx x = {app->site, v};

    return text_page(rq, "page.privacy.title", "page.privacy.description", privacy, &x);
}

struct reply
handle_page_privacy(struct request *rq)
{
    const struct app *app = rq->app;

    return privacy_page(rq, app->site->privacy_current);
}

struct reply
handle_page_privacy_version(struct request *rq)
{
    const struct app *app = rq->app;
    const struct web_privacy_version *v = web_site_privacy(app->site, request_param(rq, 0));
    struct reply deny;

    if (!page_query_ok(rq, &deny))
        return deny;
    if (v == NULL)
        return problem_reply("not-found", "no such version of the privacy notice");
    return privacy_page(rq, v);
}

/* The operator's or the host's setting flag, when it is not empty. */
static void
fact(struct strbuf *sb, const struct web_ctx *w, const char *label, const char *flag,
     const char *value)
{
    struct strbuf said = {0};

    if (value == NULL || value[0] == '\0')
        return;
    web_setting_plain(&said, w->cat, w->lang, w->cfg, flag, value); /* a default in words */
    page_fact_text(sb, w, label, said.data);
    strbuf_free(&said);
}

static void
legal(struct strbuf *sb, const struct web_ctx *w, const void *ctx)
{
    const struct config *cfg = w->cfg;

    (void)ctx;
    web_markup(sb, w->cat, w->lang, "<h2>{page.legal.operator_h}</h2>\n<dl class=\"facts\">\n");
    fact(sb, w, "page.legal.name", "operator-name", cfg->operator_name);
    fact(sb, w, "page.legal.address", "operator-address", cfg->operator_address);
    fact(sb, w, "page.legal.email", "operator-email", cfg->operator_email);
    fact(sb, w, "page.legal.registration", "operator-registration", cfg->operator_registration);
    fact(sb, w, "page.legal.director", "publication-director", cfg->publication_director);
    web_markup(sb, w->cat, w->lang, "</dl>\n<h2>{page.legal.host_h}</h2>\n<dl class=\"facts\">\n");
    fact(sb, w, "page.legal.name", "host-name", cfg->host_name);
    fact(sb, w, "page.legal.address", "host-address", cfg->host_address);
    web_markup(sb, w->cat, w->lang,
               "</dl>\n<h2>{page.legal.software_h}</h2>\n<p>{page.legal.software}</p>\n"
               "<p><a href=\"/privacy\">{page.legal.data}</a></p>\n");
}

struct reply
handle_page_legal(struct request *rq)
{
    return text_page(rq, "page.legal.title", NULL, legal, NULL);
}

/* The date the statement was last reviewed: the release of this text. */
#define ACCESSIBILITY_STATEMENT_DATE "2026-12-05"

static void
section(struct strbuf *sb, const struct web_ctx *w, const char *h_key, const char *p_key,
        const char *const *params)
{
    strbuf_puts(sb, "<h2>");
    web_te(sb, w->cat, w->lang, WEB_TEXT, h_key);
    strbuf_puts(sb, "</h2>\n<p>");
    web_tf(sb, w->cat, w->lang, WEB_TEXT, p_key, params);
    strbuf_puts(sb, "</p>\n");
}

static void
accessibility(struct strbuf *sb, const struct web_ctx *w, const void *ctx)
{
    const struct config *cfg = w->cfg;
    struct strbuf date = {0};
    struct strbuf email = {0};
    struct strbuf who = {0};

    (void)ctx;
    web_setting_plain(&email, w->cat, w->lang, cfg, "operator-email", cfg->operator_email);
    web_setting_plain(&who, w->cat, w->lang, cfg, "operator-name", cfg->operator_name);
    strbuf_puts(sb, "<p>");
    web_tf(sb, w->cat, w->lang, WEB_TEXT, "page.a11y.intro",
           (const char *[]){"operator", who.data != NULL ? who.data : "", NULL});
    strbuf_puts(sb, "</p>\n");
    section(sb, w, "page.a11y.status_h", "page.a11y.status", NULL);
    section(sb, w, "page.a11y.feedback_h", "page.a11y.feedback",
            (const char *[]){"email", email.data, NULL});
    section(sb, w, "page.a11y.recourse_h", "page.a11y.recourse", NULL);
    web_format_date(&date, w->lang, ACCESSIBILITY_STATEMENT_DATE);
    strbuf_puts(sb, "<p class=\"hint-plain\">");
    web_tf(sb, w->cat, w->lang, WEB_TEXT, "page.a11y.date",
           (const char *[]){"date", date.data, NULL});
    strbuf_puts(sb, "</p>\n");
    strbuf_free(&date);
    strbuf_free(&email);
    strbuf_free(&who);
}

struct reply
handle_page_accessibility(struct request *rq)
{
    return text_page(rq, "page.a11y.title", NULL, accessibility, NULL);
}
