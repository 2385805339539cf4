/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The fixed texts: /privacy (the notice in force), /privacy/v/{version} (any version, so that
 * the one a claim accepted stays readable), /legal (mentions légales) and /accessibility.
 * The operator's identity comes from configuration (api/core/config.c); the notice's texts
 * from web/privacy/ (api/web/site.h). No database: rendered per request, cached by clients
 * and proxies for five minutes. */
#include <string.h>

#include "app.h"
#include "handlers/page_common.h"
#include "handlers/page_home.h"
#include "http/problem.h"
#include "web/escape.h"
#include "web/format.h"

static struct reply
privacy(struct request *rq, const struct web_privacy_version *v)
{
    const struct app *app = rq->app;
    const struct web_site *site = app->site;
    struct web_ctx w = page_ctx(rq);
    struct strbuf sb = {0};
    const char *html = v->html[w.lang];
    bool fallback = html == NULL;
    bool current = v == site->privacy_current;

    if (fallback)
        html = v->html[WEB_LANG_FR];
    struct web_page p = {
        .title = web_t(w.cat, w.lang, "page.privacy.title"),
        .description = web_t(w.cat, w.lang, "page.privacy.description"),
        .path = rq->path,
    };
    web_layout_begin(&sb, &w, &p);
    strbuf_puts(&sb, "<h1>");
    web_te(&sb, w.cat, w.lang, WEB_TEXT, "page.privacy.title");
    strbuf_puts(&sb, "</h1>\n<p class=\"lead\">");
    web_tf(&sb, w.cat, w.lang, WEB_TEXT, "page.privacy.version",
           (const char *[]){"version", v->version, NULL});
    strbuf_puts(&sb, " ");
    web_te(&sb, w.cat, w.lang, WEB_TEXT, current ? "page.privacy.current" : "page.privacy.older");
    strbuf_puts(&sb, "</p>\n");
    if (fallback) {
        strbuf_puts(&sb, "<p class=\"note\">");
        web_te(&sb, w.cat, w.lang, WEB_TEXT, "page.privacy.fallback");
        strbuf_puts(&sb, "</p>\n");
    }
    /* the operator's file, its placeholders filled with escaped settings at start */
    strbuf_printf(&sb, "<div class=\"notice-text\" lang=\"%s\">\n",
                  fallback ? "fr" : web_lang_code(w.lang));
    strbuf_puts(&sb, html);
    strbuf_puts(&sb, "</div>\n<h2>");
    web_te(&sb, w.cat, w.lang, WEB_TEXT, "page.privacy.versions");
    strbuf_puts(&sb, "</h2>\n<ul>");
    for (size_t i = site->n_privacy; i-- > 0;) {
        strbuf_puts(&sb, "<li><a href=\"/privacy/v/");
        url_component(&sb, site->privacy[i].version);
        strbuf_puts(&sb, "\">");
        web_tf(&sb, w.cat, w.lang, WEB_TEXT, "page.privacy.version",
               (const char *[]){"version", site->privacy[i].version, NULL});
        strbuf_puts(&sb, "</a></li>");
    }
    strbuf_puts(&sb, "</ul>\n");
    web_layout_end(&sb, &w);
    return page_reply(rq, &w, 200, &sb, PAGE_CACHE_TEXT);
}

struct reply
handle_page_privacy(struct request *rq)
{
    const struct app *app = rq->app;

    struct reply deny;

    if (!page_query_ok(rq, &deny))
        return deny;
    return privacy(rq, app->site->privacy_current);
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
    return privacy(rq, v);
}

static void
fact(struct strbuf *sb, const struct web_ctx *w, const char *label, const char *value)
{
    if (value == NULL || value[0] == '\0')
        return;
    page_fact_begin(sb, w, label);
    html_text(sb, value);
    page_fact_end(sb);
}

struct reply
handle_page_legal(struct request *rq)
{
    struct reply deny;

    if (!page_query_ok(rq, &deny))
        return deny;

    struct web_ctx w = page_ctx(rq);
    const struct config *cfg = w.cfg;
    struct strbuf sb = {0};
    struct web_page p = {
        .title = web_t(w.cat, w.lang, "page.legal.title"),
        .path = rq->path,
    };

    web_layout_begin(&sb, &w, &p);
    strbuf_puts(&sb, "<h1>");
    web_te(&sb, w.cat, w.lang, WEB_TEXT, "page.legal.title");
    strbuf_puts(&sb, "</h1>\n<h2>");
    web_te(&sb, w.cat, w.lang, WEB_TEXT, "page.legal.operator_h");
    strbuf_puts(&sb, "</h2>\n<dl class=\"facts\">\n");
    fact(&sb, &w, "page.legal.name", cfg->operator_name);
    fact(&sb, &w, "page.legal.address", cfg->operator_address);
    fact(&sb, &w, "page.legal.email", cfg->operator_email);
    fact(&sb, &w, "page.legal.registration", cfg->operator_registration);
    fact(&sb, &w, "page.legal.director", cfg->publication_director);
    strbuf_puts(&sb, "</dl>\n<h2>");
    web_te(&sb, w.cat, w.lang, WEB_TEXT, "page.legal.host_h");
    strbuf_puts(&sb, "</h2>\n<dl class=\"facts\">\n");
    fact(&sb, &w, "page.legal.name", cfg->host_name);
    fact(&sb, &w, "page.legal.address", cfg->host_address);
    strbuf_puts(&sb, "</dl>\n<h2>");
    web_te(&sb, w.cat, w.lang, WEB_TEXT, "page.legal.software_h");
    strbuf_puts(&sb, "</h2>\n<p>");
    web_te(&sb, w.cat, w.lang, WEB_TEXT, "page.legal.software");
    strbuf_puts(&sb, "</p>\n<p><a href=\"/privacy\">");
    web_te(&sb, w.cat, w.lang, WEB_TEXT, "page.legal.data");
    strbuf_puts(&sb, "</a></p>\n");
    web_layout_end(&sb, &w);
    return page_reply(rq, &w, 200, &sb, PAGE_CACHE_TEXT);
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

struct reply
handle_page_accessibility(struct request *rq)
{
    struct reply deny;

    if (!page_query_ok(rq, &deny))
        return deny;

    struct web_ctx w = page_ctx(rq);
    const struct config *cfg = w.cfg;
    struct strbuf sb = {0}, date = {0};
    struct web_page p = {
        .title = web_t(w.cat, w.lang, "page.a11y.title"),
        .path = rq->path,
    };
    const char *email = cfg->operator_email;

    web_layout_begin(&sb, &w, &p);
    strbuf_puts(&sb, "<h1>");
    web_te(&sb, w.cat, w.lang, WEB_TEXT, "page.a11y.title");
    strbuf_puts(&sb, "</h1>\n<p>");
    web_tf(&sb, w.cat, w.lang, WEB_TEXT, "page.a11y.intro",
           (const char *[]){"operator", cfg->operator_name, NULL});
    strbuf_puts(&sb, "</p>\n");
    section(&sb, &w, "page.a11y.status_h", "page.a11y.status", NULL);
    section(&sb, &w, "page.a11y.feedback_h", "page.a11y.feedback",
            (const char *[]){"email", email, NULL});
    section(&sb, &w, "page.a11y.recourse_h", "page.a11y.recourse", NULL);
    web_format_date(&date, w.lang, ACCESSIBILITY_STATEMENT_DATE);
    strbuf_puts(&sb, "<p class=\"hint-plain\">");
    web_tf(&sb, w.cat, w.lang, WEB_TEXT, "page.a11y.date",
           (const char *[]){"date", date.data, NULL});
    strbuf_puts(&sb, "</p>\n");
    strbuf_free(&date);
    web_layout_end(&sb, &w);
    return page_reply(rq, &w, 200, &sb, PAGE_CACHE_TEXT);
}
