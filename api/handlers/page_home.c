/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The home page and the incident page (GET /, GET /i/{slug}): the documents of
 * service/public_pages.h rendered with api/web/. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/incident_name.h"
#include "handlers/page_common.h"
#include "handlers/page_parts.h"
#include "handlers/scheme_json.h"
#include "handlers/handlers.h"
#include "web/escape.h"
#include "web/section.h"

/* A button about the incident inc: href_base then its slug (then "&action=" and action, when
 * not NULL); its text the catalogue's key, its accessible name key_for naming the controller
 * and the incident (several cards each have one). */
static void
incident_button(struct strbuf *sb, const struct web_ctx *w, const json_t *inc, const char *cls,
                const char *href_base, const char *action, const char *key)
{
    char key_for[64];

    snprintf(key_for, sizeof key_for, "%s_for", key);
    strbuf_printf(sb, "<a class=\"%s\" href=\"%s", cls, href_base);
    url_component(sb, pj_str(inc, "slug"));
    if (action != NULL) {
        strbuf_puts(sb, "&amp;action=");
        url_component(sb, action);
    }
    strbuf_puts(sb, "\" aria-label=\"");
    web_tf(sb, w->cat, w->lang, WEB_ATTR, key_for,
           (const char *[]){"controller", pj_str(inc, "controller"), "title",
                            pj_str(inc, "title"), NULL});
    strbuf_puts(sb, "\">");
    web_te(sb, w->cat, w->lang, WEB_TEXT, key);
    strbuf_puts(sb, "</a>");
}

/* "Make a claim" for the incident inc. While one action takes mandates (the document's
 * "actions"), the form it opens offers that action's mandate, unticked, its text in full: a
 * victim learns of the action where the claim is made, and may leave it; with several, the
 * site picks no association, each action's page offers its own (docs/decisions.md). */
static void
claim_link(struct strbuf *sb, const struct web_ctx *w, const json_t *inc, const char *cls)
{
    const json_t *actions = json_object_get(inc, "actions");
    const char *only =
        json_array_size(actions) == 1 ? pj_str(json_array_get(actions, 0), "id") : NULL;

    incident_button(sb, w, inc, cls, "/claim?incident=", only, "incident.make_claim");
}

static void
incident_card(struct strbuf *sb, const struct web_ctx *w, const json_t *inc)
{
    const char *slug = pj_str(inc, "slug");

    strbuf_puts(sb, "<li class=\"incident-card\" data-slug=\"");
    html_attr(sb, slug);
    strbuf_puts(sb, "\"><article aria-labelledby=\"incident-");
    html_attr(sb, slug);
    strbuf_puts(sb, "\">\n<p class=\"controller\">");
    html_text(sb, pj_str(inc, "controller"));
    strbuf_puts(sb, "</p>\n<h3 id=\"incident-");
    html_attr(sb, slug);
    strbuf_puts(sb, "\"><a href=\"/i/");
    url_component(sb, slug);
    strbuf_puts(sb, "\">");
    html_text(sb, pj_str(inc, "title"));
    strbuf_puts(sb, "</a></h3>\n");
    page_incident_facts(sb, w, inc);
    if (json_array_size(json_object_get(inc, "actions")) > 0) {
        char *hid = NULL;
        struct strbuf id = {0};
        strbuf_puts(&id, "actions-");
        strbuf_puts(&id, slug);
        hid = strbuf_take(&id);
        strbuf_printf(sb, "<h4 id=\"%s\">", hid); /* a slug is [a-z0-9-] (0001_incidents) */
        web_te(sb, w->cat, w->lang, WEB_TEXT, "page.actions.h");
        strbuf_puts(sb, "</h4>\n");
        page_open_actions(sb, w, json_object_get(inc, "actions"), hid);
        free(hid);
    }
    strbuf_puts(sb, "<p class=\"card-actions\">");
    claim_link(sb, w, inc, "button primary");
    strbuf_puts(sb, " ");
    incident_button(sb, w, inc, "button secondary", "/i/", NULL, "page.home.see");
    strbuf_puts(sb, "</p>\n</article></li>\n");
}

static void
render_home(struct request *rq, const struct web_ctx *w, const json_t *doc, struct strbuf *sb)
{
    (void)rq;
    struct web_page p = {
        .title = web_t(w->cat, w->lang, "page.home.title"),
        .description = web_t(w->cat, w->lang, "page.home.description"),
        .path = "/",
        .social = true,
        .nav_current = "/",
    };
    web_layout_begin(sb, w, &p);
    web_markup(sb, w->cat, w->lang,
               "<section class=\"hero\">\n<h1>{index.h1}</h1>\n"
               "<p class=\"lead\">{index.intro1} {index.intro2}</p>\n</section>\n"
               "<aside class=\"panel panel-inline\" aria-labelledby=\"already-h2\">\n"
               "<div><h2 id=\"already-h2\">{index.already_h2}</h2>\n"
               "<p>{index.already_p}</p></div>\n"
               "<a id=\"my-claim-link\" class=\"button secondary\" href=\"/my-claim\">"
               "{index.already_link}</a>\n</aside>\n");
    web_section_begin(sb, w, NULL, NULL, "open-h2", "index.open_h2");
    const json_t *list = json_object_get(doc, "incidents");
    if (json_array_size(list) == 0) {
        web_markup(sb, w->cat, w->lang, "<p>{index.none}</p>\n");
    } else {
        size_t i;
        json_t *inc;
        strbuf_puts(sb, "<ul id=\"incidents\" class=\"incident-list\">\n");
        json_array_foreach(list, i, inc)
            incident_card(sb, w, inc);
        strbuf_puts(sb, "</ul>\n");
    }
    strbuf_puts(sb, "</section>\n");
    web_layout_end(sb, w);
}

struct reply
handle_page_home(struct request *rq)
{
    return page_render_cached(rq, PUBLIC_DOC_HOME, render_home, PAGE_CACHE_LIVE);
}

/* The scheme in force of an incident's document as a struct in *s, read as the claim form
 * reads it (page_claim.h page_claim_scheme); NULL when there is none or it cannot be read. */
static const struct scheme *
incident_scheme(const json_t *doc, struct scheme *s)
{
    json_t *stored = json_object_get(doc, "scheme");
    struct errors e = {0};

    if (!json_is_object(stored) || !scheme_from_json(stored, "", s, &e))
        return NULL;
    return s;
}

static void
render_incident(struct request *rq, const struct web_ctx *w, const json_t *doc,
                struct strbuf *sb)
{
    struct scheme scheme;
    struct page_fund fund;
    struct strbuf title = {0}, desc = {0};
    incident_name(&title, pj_str(doc, "controller"), pj_str(doc, "title"));
    web_expand(&desc, web_t(w->cat, w->lang, "page.incident.description"),
               (const char *[]){"controller", pj_str(doc, "controller"), "title",
                                pj_str(doc, "title"), NULL});
    struct web_page p = {
        .title = title.data,
        .description = desc.data,
        .path = rq->path,
        .social = true,
    };
    bool open = pj_str(doc, "status") != NULL && strcmp(pj_str(doc, "status"), "open") == 0;
    web_layout_begin(sb, w, &p);
    page_heading(sb, pj_str(doc, "controller"), 1, NULL, pj_str(doc, "title"));
    page_incident_facts(sb, w, doc);
    web_section_begin(sb, w, NULL, "panel", "receive-h2", "page.incident.h_receive");
    const struct scheme *s = incident_scheme(doc, &scheme);
    /* where a fund cap stands comes from the public summary's cache (page_fund.h): this page,
     * cached itself, asks it once per refresh */
    page_scheme(sb, w, s, page_categories_of(json_object_get(doc, "data_categories")),
                pj_int(doc, "scheme_version"), open,
                page_fund_read(rq, request_param(rq, 0), s, pj_int(doc, "scheme_version"), &fund));
    strbuf_puts(sb, "</section>\n<p class=\"card-actions\">");
    if (open) {
        claim_link(sb, w, doc, "button primary");
    } else {
        web_markup(sb, w->cat, w->lang, "<span class=\"note\">{page.incident.closed}</span>");
    }
    strbuf_puts(sb, "</p>\n");
    web_section_begin(sb, w, NULL, NULL, "actions-h2", "page.actions.h");
    page_open_actions(sb, w, json_object_get(doc, "actions"), "actions-h2");
    strbuf_puts(sb, "</section>\n");
    page_share(sb, w, title.data, rq->path);
    web_layout_end(sb, w);
    strbuf_free(&title);
    strbuf_free(&desc);
}

struct reply
handle_page_incident(struct request *rq)
{
    return page_render_cached(rq, PUBLIC_DOC_INCIDENT, render_incident, PAGE_CACHE_LIVE);
}
