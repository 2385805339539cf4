/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The parts of the claim page that other pages show too: what a claimant may receive, in words
 * and figures, and the mandate text of an action (page_claim_form.h). */
#include "handlers/page_claim_form.h"

#include <stdio.h>
#include <string.h>

#include "domain/vocab.h"
#include "web/catalogue.h"
#include "web/escape.h"
#include "web/format.h"
#include "handlers/page_parts.h"
#include "web/section.h"

void
page_claim_compensation(struct strbuf *sb, const struct web_ctx *w,
                        const struct claim_page_data *d)
{
    json_t *scheme = d->has_scheme ? json_loads(d->scheme.json, JSON_REJECT_DUPLICATES, NULL)
                                   : NULL;

    /* the words of /i/{slug} (handlers/page_parts.c), so that both pages say the same */
    web_section_begin(sb, w, NULL, "compensation", "comp-h2", "claimform.comp_h2");
    page_scheme(sb, w, scheme, d->scheme.version);
    strbuf_puts(sb, "</section>\n");
    json_decref(scheme);
}

void
page_claim_mandate_text(struct strbuf *sb, const struct web_ctx *w,
                        const struct claim_page_data *d)
{
    bool original = strcmp(d->mandate_text_lang, web_lang_code(w->lang)) != 0;

    page_original_note(sb, w, original, "page.action.mandate_fallback");
    strbuf_puts(sb, "<div id=\"mandate-text\" class=\"mandate-text\" tabindex=\"0\" "
                    "role=\"region\" aria-labelledby=\"mandate-text-label\" lang=\"");
    html_attr(sb, d->mandate_text_lang);
    strbuf_puts(sb, "\">");
    /* the box keeps white space (pre-wrap): page_paragraphs puts nothing between paragraphs */
    page_paragraphs(sb, d->mandate_text);
    strbuf_puts(sb, "</div>\n");
}

/* GOV.UK's error summary: every error as a link to its control, focused by the script and
 * announced (role="alert") without it. */
void
page_claim_error_summary(struct strbuf *sb, const struct web_ctx *w, const struct errors *errors)
{
    char key[160];

    if (errors == NULL || errors->n == 0) {
        strbuf_puts(sb, "<div id=\"error-summary\" class=\"error-summary\" tabindex=\"-1\" "
                        "hidden></div>\n");
        return;
    }
    strbuf_puts(sb, "<div id=\"error-summary\" class=\"error-summary\" tabindex=\"-1\" "
                    "role=\"alert\" aria-labelledby=\"error-summary-title\">\n"
                    "<h2 id=\"error-summary-title\">");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "errors.title");
    strbuf_puts(sb, "</h2>\n<p>");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "errors.intro");
    strbuf_puts(sb, "</p>\n<ul>\n");
    for (int i = 0; i < errors->n; i++) {
        const struct field_error *e = &errors->items[i];
        const char *id = "main", *label_key = NULL;
        bool known = page_claim_field_anchor(e->field, &id, &label_key);
        strbuf_puts(sb, "<li><a href=\"#");
        html_attr(sb, id);
        strbuf_puts(sb, "\">");
        if (known) {
            web_te(sb, w->cat, w->lang, WEB_TEXT, label_key);
            web_te(sb, w->cat, w->lang, WEB_TEXT, "common.label_sep");
        }
        html_text(sb, page_claim_error_message(w, e, key, sizeof key));
        strbuf_puts(sb, "</a></li>\n");
    }
    strbuf_puts(sb, "</ul>\n</div>\n");
}

void
page_claim_notice(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st)
{
    if (st->notice_key == NULL)
        return;
    strbuf_puts(sb, "<div id=\"form-notice\" class=\"status status-error\" role=\"alert\"><p>");
    web_tf(sb, w->cat, w->lang, WEB_TEXT, st->notice_key,
           (const char *[]){"seconds", st->notice_param != NULL ? st->notice_param : "", NULL});
    strbuf_puts(sb, "</p>");
    if (st->notice_link != NULL) {
        strbuf_puts(sb, "<p><a href=\"");
        html_attr(sb, st->notice_link);
        strbuf_puts(sb, "\">");
        web_te(sb, w->cat, w->lang, WEB_TEXT, st->notice_link_key);
        strbuf_puts(sb, "</a></p>");
    }
    strbuf_puts(sb, "</div>\n");
}

void
page_claim_incident_box(struct strbuf *sb, const struct web_ctx *w,
                        const struct claim_page_data *d)
{
    const struct incident *inc = &d->incident;

    strbuf_puts(sb, "<section id=\"incident-box\" class=\"incident-summary\" "
                    "aria-labelledby=\"incident-title\">\n<p class=\"controller\">");
    html_text(sb, inc->controller);
    strbuf_puts(sb, "</p>\n<h2 id=\"incident-title\">");
    html_text(sb, inc->title);
    strbuf_puts(sb, "</h2>\n<p><a href=\"/i/");
    url_component(sb, inc->slug);
    strbuf_puts(sb, "\">");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "claimform.incident_link");
    strbuf_puts(sb, "</a></p>\n</section>\n");
    page_claim_compensation(sb, w, d);
}


void
page_claim_mandate_intro(struct strbuf *sb, const struct web_ctx *w,
                         const struct claim_page_data *d)
{
    struct strbuf deadline = {0};
    char basis[80];

    snprintf(basis, sizeof basis, "basis.%s", d->action.legal_basis);
    if (!web_format_date(&deadline, w->lang, d->action.opt_in_deadline))
        strbuf_puts(&deadline, d->action.opt_in_deadline);
    strbuf_puts(sb, "<p id=\"mandate-intro\">");
    web_tf(sb, w->cat, w->lang, WEB_TEXT, "mandate.intro",
           (const char *[]){"association", d->association.name, "approval",
                            d->association.approval_reference, "title", d->action.title,
                            "counsel", d->action.counsel_name, "basis",
                            web_t(w->cat, w->lang, basis), "deadline",
                            deadline.data != NULL ? deadline.data : "", NULL});
    strbuf_puts(sb, "</p>\n<p class=\"hint-plain\" id=\"mandate-text-label\">");
    web_tf(sb, w->cat, w->lang, WEB_TEXT, "mandate.text_label",
           (const char *[]){"version", d->action.mandate_text_version, NULL});
    strbuf_puts(sb, "</p>\n");
    strbuf_free(&deadline);
}
