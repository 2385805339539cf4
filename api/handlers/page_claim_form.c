/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The page of /claim (page_claim_form.h): the error summary and what stands above the form,
 * the form with the questions of the claim (page_claim_fields.c), the mandate of the action
 * the page was opened from and the privacy notice, each with its box. Every value from outside
 * this file goes through one escaper of web/escape.h; every string through the catalogue. */
#include "handlers/page_claim_form.h"

#include <string.h>

#include "handlers/claim_form.h"
#include "handlers/page_claim_controls.h"
#include "web/catalogue.h"
#include "web/escape.h"
#include "web/format.h"

/* The box that gives a consent (the mandate, the privacy notice) under what it consents to,
 * closing the group that page_claim_group_open began: named after c's member, its value value. */
static void
consent_close(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st,
              const struct claim_control *c, const char *value, const char *accept_key,
              const char *const *params, const char *hint_key)
{
    page_claim_box(sb, w, "checkbox", c->id, c->name, value, page_claim_kept_has(st, c->name, NULL),
                   accept_key, params, hint_key);
    strbuf_puts(sb, "</fieldset>\n");
}

/* The mandate of the action the page was opened from: its text in full, then one box. The text
 * is the version the claimant signs; it is sent back (hidden) and checked by the API. */
static void
mandate(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st)
{
    const struct claim_page_data *d = st->data;
    const struct claim_control *c = page_claim_control_of("action_id");

    if (!d->has_offer)
        return;
    page_claim_group_open(sb, w, st, c, "mandate.legend", NULL);
    page_claim_mandate(sb, w, d);
    html_hidden(sb, "mandate_text_version", d->action.mandate_text_version);
    consent_close(sb, w, st, c, d->action.id, "mandate.accept",
                  (const char *[]){"association", d->association.name, NULL}, "mandate.hint");
    /* the receipt's line when the mandate is given, for the receipt web/static/claim.js shows */
    strbuf_puts(sb, "<p id=\"mandate-joined\" hidden>");
    web_tf_isolated(
        sb, w->cat, w->lang, "claimform.next_action",
        (const char *[]){"association", d->association.name, "title", d->action.title, NULL});
    strbuf_puts(sb, "</p>\n");
}

static void
privacy(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st)
{
    const struct claim_control *c = page_claim_control_of("privacy_notice_version");

    page_claim_group_open(sb, w, st, c, "claim.privacy", NULL);
    strbuf_puts(sb, "<p><a href=\"/privacy\">");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "claimform.privacy_link");
    strbuf_puts(sb, "</a></p>\n");
    consent_close(sb, w, st, c, st->privacy_version, "privacy.accept",
                  (const char *[]){"version", st->privacy_version, NULL}, NULL);
}

void
page_claim_form_render(struct strbuf *sb, const struct web_ctx *w,
                       const struct claim_form_state *st)
{
    const struct claim_page_data *d = st->data;
    struct strbuf keep = {0};

    strbuf_puts(&keep, "incident=");
    url_component(&keep, d->incident.slug);
    if (d->has_offer) {
        strbuf_puts(&keep, "&action=");
        url_component(&keep, d->action.id);
    }
    struct web_page p = {
        .title = web_t(w->cat, w->lang, "claim.h1"),
        .path = "/claim",
        .query_keep = keep.data,
        .noindex = true,
        .script = "/static/claim.js",
        .h1 = true,
        .error = (st->errors != NULL && st->errors->n > 0) || st->notice_key != NULL,
        /* the switch keeps what was typed (POST /claim's switch_lang) while there is a form */
        .switch_form = strcmp(d->incident.status, "open") == 0 ? "claim-form" : NULL,
    };
    web_layout_begin(sb, w, &p);
    page_claim_error_summary(sb, w, st);
    page_claim_form_top(sb, w, st);
    if (d->offer_refused || st->offer_note_key != NULL) {
        strbuf_puts(sb, "<p id=\"mandate-status\" class=\"status status-info\">");
        web_te(sb, w->cat, w->lang, WEB_TEXT,
               st->offer_note_key != NULL ? st->offer_note_key : "mandate.unavailable");
        strbuf_puts(sb, "</p>\n");
    }
    if (strcmp(d->incident.status, "open") != 0) {
        strbuf_puts(sb, "<p class=\"status status-error\">");
        web_te(sb, w->cat, w->lang, WEB_TEXT, "claim.closed");
        strbuf_puts(sb, "</p>\n");
        web_layout_end(sb, w);
        strbuf_free(&keep);
        return;
    }
    strbuf_printf(sb, "<form id=\"claim-form\" method=\"post\" action=\"/claim?lang=%s\" "
                      "novalidate data-currency=\"",
                  web_lang_code(w->lang));
    html_attr(sb, d->incident.currency);
    strbuf_puts(sb, "\">\n<p class=\"intro\">");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "claim.intro");
    strbuf_puts(sb, "</p>\n");
    html_hidden(sb, "incident", d->incident.slug);
    html_hidden(sb, "lang", web_lang_code(w->lang));
    html_hidden(sb, "idempotency_key", st->idem_key);
    if (st->values != NULL && st->sent != NULL)
        html_hidden(sb, CLAIM_FORM_SENT, st->sent); /* its switch says the refusal again */
    if (d->has_offer)
        html_hidden(sb, "action", d->action.id); /* the offer stays when the box is left unticked */
    page_claim_fields(sb, w, st);
    mandate(sb, w, st);
    privacy(sb, w, st);
    strbuf_puts(sb, "<div id=\"form-status\" class=\"status\" role=\"status\" aria-live=\"polite\" "
                    "hidden></div>\n<p class=\"actions\"><button id=\"submit\" type=\"submit\" "
                    "class=\"button primary\">");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "claim.submit");
    strbuf_puts(sb, "</button></p>\n</form>\n");
    web_layout_end(sb, w);
    strbuf_free(&keep);
}
