/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The parts of the claim page that other pages show too: what a claimant may receive, in words
 * and figures, and the mandate of an action; and what stands above the form (page_claim_form.h). */
#include "handlers/page_claim_form.h"

#include <stdio.h>
#include <string.h>

#include "domain/vocab.h"
#include "web/catalogue.h"
#include "web/escape.h"
#include "web/format.h"
#include "handlers/page_parts.h"
#include "web/section.h"

/* What a claimant may receive under the scheme in force (the form's, read), in the words of
 * /i/{slug}. */
static void
compensation(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st)
{
    const struct claim_page_data *d = st->data;

    /* the words of /i/{slug} (handlers/page_parts.c), so that both pages say the same */
    web_section_begin(sb, w, NULL, "compensation", "comp-h2", "claimform.comp_h2");
    page_scheme(sb, w, st->scheme, d->incident.data_categories, d->scheme.version,
                strcmp(d->incident.status, "open") == 0, st->fund);
    strbuf_puts(sb, "</section>\n");
}

/* The mandate text in the page's language, or the original with a sentence saying so. */
static void
mandate_text(struct strbuf *sb, const struct web_ctx *w, const struct claim_page_data *d)
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

static void
notice(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st)
{
    char one[96];

    if (st->notice_key == NULL)
        return;
    const char *key = web_key_counted(w->cat, w->lang, st->notice_key, st->notice_param, one,
                                      sizeof one); /* "1 second" */
    /* one alert per refusal: beside an error summary (its own alert), the notice is plain */
    strbuf_printf(sb, "<div id=\"form-notice\" class=\"status status-error\"%s><p>",
                  st->errors != NULL && st->errors->n > 0 ? "" : " role=\"alert\"");
    web_tf(sb, w->cat, w->lang, WEB_TEXT, key,
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

static void
incident_box(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st)
{
    const struct incident *inc = &st->data->incident;

    strbuf_puts(sb, "<section id=\"incident-box\" class=\"incident-summary\" "
                    "aria-labelledby=\"incident-title\">\n");
    page_heading(sb, inc->controller, 2, "incident-title", inc->title);
    strbuf_puts(sb, "<p><a href=\"/i/");
    url_component(sb, inc->slug);
    web_markup(sb, w->cat, w->lang, "\">{claimform.incident_link}</a></p>\n</section>\n");
    compensation(sb, w, st);
}

void
page_claim_form_top(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st)
{
    notice(sb, w, st);
    incident_box(sb, w, st);
}

/* "{association} (approved association, …) brings the action …", then the text's label. */
static void
mandate_intro(struct strbuf *sb, const struct web_ctx *w, const struct claim_page_data *d)
{
    struct strbuf deadline = {0};
    char basis[80];

    snprintf(basis, sizeof basis, "basis.%s", d->action.legal_basis);
    if (!web_format_date(&deadline, w->lang, d->action.opt_in_deadline))
        strbuf_puts(&deadline, d->action.opt_in_deadline);
    strbuf_puts(sb, "<p id=\"mandate-intro\">");
    web_tf_isolated(sb, w->cat, w->lang, "mandate.intro", /* names written right to left */
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

void
page_claim_mandate(struct strbuf *sb, const struct web_ctx *w, const struct claim_page_data *d)
{
    mandate_intro(sb, w, d);
    mandate_text(sb, w, d);
}
