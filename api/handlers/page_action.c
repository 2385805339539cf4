/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* GET /a/{id}: the public page of a representative action, with what Directive 2020/1828
 * Art. 13 and its French transposition ask the qualified entity to publish (the association
 * and its approval, the status and its dated history, the next date, the opt-in deadline,
 * counsel, funding, fees charged, the number of members, the mandate in full) and "join this
 * action"; OpenGraph and Twitter tags so that a shared link shows title and deadline. */
#include <string.h>

#include "core/incident_name.h"
#include "handlers/page_common.h"
#include "handlers/page_parts.h"
#include "handlers/handlers.h"
#include "web/escape.h"
#include "web/format.h"
#include "web/section.h"

static void
text_fact(struct strbuf *sb, const struct web_ctx *w, const char *label, const char *value,
          const char *absent_key)
{
    if (value == NULL && absent_key == NULL)
        return;
    page_fact_begin(sb, w, label);
    if (value != NULL)
        page_paragraphs(sb, value);
    else
        web_te(sb, w->cat, w->lang, WEB_TEXT, absent_key);
    page_fact_end(sb);
}

static void
association(struct strbuf *sb, const struct web_ctx *w, const json_t *s)
{
    web_section_begin(sb, w, NULL, NULL, "entity-h2", "page.action.h_entity");
    strbuf_puts(sb, "<dl class=\"facts\">\n");
    page_fact_text(sb, w, "page.legal.name", pj_str(s, "name"));
    page_fact_begin(sb, w, "page.action.approval");
    html_text(sb, pj_str(s, "approval_reference"));
    strbuf_puts(sb, " — ");
    struct strbuf from = {0}, until = {0};
    web_format_date(&from, w->lang, pj_str(s, "approved_from"));
    web_format_date(&until, w->lang, pj_str(s, "approved_until"));
    web_tf(sb, w->cat, w->lang, WEB_TEXT,
           until.data != NULL ? "page.action.approved_until" : "page.action.approved_period",
           (const char *[]){"from", from.data != NULL ? from.data : "", "until",
                            until.data != NULL ? until.data : "", NULL});
    strbuf_free(&from);
    strbuf_free(&until);
    if (!json_is_true(json_object_get(s, "approved"))) {
        strbuf_puts(sb, " <strong>");
        web_te(sb, w->cat, w->lang, WEB_TEXT, "page.action.not_approved");
        strbuf_puts(sb, "</strong>");
    }
    page_fact_end(sb);
    page_fact_text(sb, w, "page.action.country", page_country_name(w, pj_str(s, "country")));
    if (pj_str(s, "contact_email") != NULL)
        page_fact_text(sb, w, "page.action.contact", pj_str(s, "contact_email"));
    strbuf_puts(sb, "</dl>\n</section>\n");
}

static void
history(struct strbuf *sb, const struct web_ctx *w, const json_t *events)
{
    size_t i;
    json_t *e;

    web_section_begin(sb, w, NULL, NULL, "history-h2", "page.action.h_history");
    strbuf_puts(sb, "<ol class=\"history\">\n");
    json_array_foreach(events, i, e) {
        char key[48];
        snprintf(key, sizeof key, "event.%s", pj_str(e, "kind") != NULL ? pj_str(e, "kind") : "");
        strbuf_puts(sb, "<li>");
        page_date(sb, w, pj_str(e, "date"));
        strbuf_puts(sb, " — ");
        web_te(sb, w->cat, w->lang, WEB_TEXT, key);
        if (pj_str(e, "court_reference") != NULL) {
            strbuf_puts(sb, " (");
            web_tf(sb, w->cat, w->lang, WEB_TEXT, "page.action.court_reference",
                   (const char *[]){"reference", pj_str(e, "court_reference"), NULL});
            strbuf_puts(sb, ")");
        }
        if (pj_str(e, "note") != NULL) {
            strbuf_puts(sb, ": ");
            html_text(sb, pj_str(e, "note"));
        }
        strbuf_puts(sb, "</li>\n");
    }
    strbuf_puts(sb, "</ol>\n</section>\n");
}

static void
mandate(struct strbuf *sb, const struct web_ctx *w, const json_t *doc)
{
    const json_t *texts = json_object_get(doc, "mandate_texts");
    const char *text = pj_str(texts, web_lang_code(w->lang));
    bool fallback = text == NULL;

    if (fallback)
        text = pj_str(texts, "fr");
    web_section_begin(sb, w, NULL, NULL, "mandate-h2", "page.action.h_mandate");
    if (fallback) {
        strbuf_puts(sb, "<p class=\"note\">");
        web_te(sb, w->cat, w->lang, WEB_TEXT, "page.action.mandate_fallback");
        strbuf_puts(sb, "</p>\n");
    }
    /* no line break inside the box: it keeps white space (pre-wrap), a break would show as a
     * blank line above the text */
    strbuf_printf(sb, "<div class=\"mandate-text\" lang=\"%s\">",
                  fallback ? "fr" : web_lang_code(w->lang));
    page_paragraphs(sb, text);
    strbuf_puts(sb, "</div>\n<p class=\"hint-plain\">");
    web_tf(sb, w->cat, w->lang, WEB_TEXT, "page.action.mandate_version",
           (const char *[]){"version", pj_str(doc, "mandate_text_version"), NULL});
    strbuf_puts(sb, "</p>\n</section>\n");
}

/* Whether a claim may join the action now (as handlers/action_mandate.c decides). */
static bool
takes_mandates(const json_t *doc)
{
    const char *status = pj_str(doc, "status");
    const char *inc_status = pj_str(json_object_get(doc, "incident"), "status");

    return status != NULL && strcmp(status, "open") == 0 &&
           !json_is_true(json_object_get(doc, "deadline_passed")) &&
           json_is_true(json_object_get(json_object_get(doc, "association"), "approved")) &&
           inc_status != NULL && strcmp(inc_status, "open") == 0;
}

static void
join_button(struct strbuf *sb, const struct web_ctx *w, const json_t *doc)
{
    strbuf_puts(sb, "<p class=\"card-actions\">");
    if (takes_mandates(doc)) {
        strbuf_puts(sb, "<a class=\"button primary\" href=\"/claim?incident=");
        url_component(sb, pj_str(json_object_get(doc, "incident"), "slug"));
        strbuf_puts(sb, "&amp;action=");
        url_component(sb, pj_str(doc, "id"));
        strbuf_puts(sb, "\">");
        web_te(sb, w->cat, w->lang, WEB_TEXT, "page.action.join");
        strbuf_puts(sb, "</a>");
    } else {
        strbuf_puts(sb, "<span class=\"note\">");
        web_te(sb, w->cat, w->lang, WEB_TEXT, "page.action.deadline_passed");
        strbuf_puts(sb, "</span>");
    }
    strbuf_puts(sb, "</p>\n");
}

static void
action_facts(struct strbuf *sb, const struct web_ctx *w, const json_t *doc)
{
    const json_t *inc = json_object_get(doc, "incident");
    char key[64];

    web_section_begin(sb, w, NULL, NULL, "action-h2", "page.action.h_action");
    strbuf_puts(sb, "<dl class=\"facts\">\n");
    page_fact_begin(sb, w, "page.action.against");
    /* incident_name's words, the title alone a link to the incident's page */
    html_text(sb, pj_str(inc, "controller"));
    strbuf_puts(sb, INCIDENT_NAME_SEP "<a href=\"/i/");
    url_component(sb, pj_str(inc, "slug"));
    strbuf_puts(sb, "\">");
    html_text(sb, pj_str(inc, "title"));
    strbuf_puts(sb, "</a>");
    page_fact_end(sb);
    snprintf(key, sizeof key, "basis.%s", pj_str(doc, "legal_basis"));
    page_fact_word(sb, w, "page.action.legal_basis", key);
    snprintf(key, sizeof key, "astatus.%s", pj_str(doc, "status"));
    page_fact_word(sb, w, "page.action.status", key);
    page_fact_int(sb, w, "page.action.members", pj_int(doc, "members"));
    page_fact_date(sb, w, "page.action.deadline", pj_str(doc, "opt_in_deadline"));
    page_fact_begin(sb, w, "page.action.next_date");
    if (pj_str(doc, "next_date") != NULL) {
        page_date(sb, w, pj_str(doc, "next_date"));
        if (pj_str(doc, "next_date_note") != NULL) {
            strbuf_puts(sb, " — ");
            html_text(sb, pj_str(doc, "next_date_note"));
        }
    } else {
        web_te(sb, w->cat, w->lang, WEB_TEXT, "page.action.none_set");
    }
    page_fact_end(sb);
    page_fact_text(sb, w, "page.action.counsel", pj_str(doc, "counsel_name"));
    text_fact(sb, w, "page.action.funding", pj_str(doc, "funding_sources"),
              "page.action.not_stated");
    text_fact(sb, w, "page.action.fees", pj_str(doc, "fees_charged"), "page.action.fees_none");
    strbuf_puts(sb, "</dl>\n</section>\n");
}

static void
render_action(struct request *rq, const struct web_ctx *w, const json_t *doc, struct strbuf *sb)
{
    const json_t *s = json_object_get(doc, "association");
    const json_t *inc = json_object_get(doc, "incident");
    struct strbuf date = {0}, desc = {0};
    web_format_date(&date, w->lang, pj_str(doc, "opt_in_deadline"));
    web_expand(&desc, web_t(w->cat, w->lang, "page.action.description"),
               (const char *[]){"association", pj_str(s, "name"), "controller",
                                pj_str(inc, "controller"), "date",
                                date.data != NULL ? date.data : "", NULL});
    struct web_page p = {
        .title = pj_str(doc, "title"),
        .description = desc.data,
        .path = rq->path,
        .social = true,
        .og_type = "article",
    };
    web_layout_begin(sb, w, &p);
    page_heading(sb, pj_str(s, "name"), 1, NULL, pj_str(doc, "title"));
    strbuf_puts(sb, "<p class=\"lead\">");
    html_text(sb, desc.data);
    strbuf_puts(sb, "</p>\n");
    join_button(sb, w, doc);
    association(sb, w, s);
    action_facts(sb, w, doc);
    history(sb, w, json_object_get(doc, "history"));
    mandate(sb, w, doc);
    join_button(sb, w, doc);
    page_share(sb, w, pj_str(doc, "title"), rq->path);
    web_layout_end(sb, w);
    strbuf_free(&date);
    strbuf_free(&desc);
}

struct reply
handle_page_action(struct request *rq)
{
    return page_render_cached(rq, PUBLIC_DOC_ACTION, render_action, PAGE_CACHE_LIVE);
}
