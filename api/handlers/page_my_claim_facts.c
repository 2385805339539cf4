/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The claim as given on /my-claim (page_my_claim_view.h): its status and dates, the
 * claimant, the address, what was exposed and what happened, the payment chosen; each value
 * the claimant typed in its own <bdi> (docs/web-forms.md, "Text written right to left"). */
#include "handlers/page_my_claim_view.h"

#include <stdio.h>
#include <string.h>

#include "core/incident_name.h"
#include "domain/scheme.h"
#include "handlers/page_claim_form.h"
#include "handlers/page_parts.h"
#include "web/catalogue.h"
#include "web/escape.h"
#include "web/format.h"

static const char *
str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* A row of the claim as given; a value someone typed (the claimant, a reviewer, an operator)
 * isolated (html_isolated), so that a name or a text written right to left keeps its order
 * beside the page's words. */
static void
any_row(struct strbuf *sb, const struct web_ctx *w, const char *key, const char *value, bool typed)
{
    strbuf_puts(sb, "<div><dt>");
    web_te(sb, w->cat, w->lang, WEB_TEXT, key);
    strbuf_puts(sb, "</dt><dd>");
    if (value == NULL || value[0] == '\0')
        html_text(sb, web_t(w->cat, w->lang, "common.not_given"));
    else if (typed)
        html_isolated(sb, value);
    else
        html_text(sb, value);
    strbuf_puts(sb, "</dd></div>\n");
}

static void
row(struct strbuf *sb, const struct web_ctx *w, const char *key, const char *value)
{
    any_row(sb, w, key, value, false);
}

static void
typed_row(struct strbuf *sb, const struct web_ctx *w, const char *key, const char *value)
{
    any_row(sb, w, key, value, true);
}

/* The incident as its pages name it, the company first ("ACME SA — Customer database leak": a
 * title alone did not say whose leak it was), linked to its page: what the claim may receive,
 * the actions open. */
static void
incident_row(struct strbuf *sb, const struct web_ctx *w, const struct incident *inc)
{
    strbuf_puts(sb, "<div><dt>");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "my.incident");
    strbuf_puts(sb, "</dt><dd><a id=\"claim-incident\" href=\"/i/");
    html_attr(sb, inc->slug);
    strbuf_puts(sb, "\">");
    /* incident_name's words, each part in its own <bdi>: a company written right to left does
     * not carry the dash and the title into its direction */
    html_isolated(sb, inc->controller);
    strbuf_puts(sb, INCIDENT_NAME_SEP);
    html_isolated(sb, inc->title);
    strbuf_puts(sb, "</a></dd></div>\n");
}

/* One part of the address, isolated, then what follows it; nothing for a part not given. */
static void
address_part(struct strbuf *sb, const char *part, const char *then)
{
    if (part == NULL)
        return;
    html_isolated(sb, part);
    strbuf_puts(sb, then);
}

/* "line1, line2, postal code city, country": each part the claimant typed isolated, the
 * country's name in the page's language. */
static void
address_row(struct strbuf *sb, const struct web_ctx *w, const json_t *addr, const char *country)
{
    strbuf_puts(sb, "<div><dt>");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "f.line1");
    strbuf_puts(sb, "</dt><dd>");
    address_part(sb, str(addr, "line1"), ", ");
    address_part(sb, str(addr, "line2"), ", ");
    address_part(sb, str(addr, "postal_code"), " ");
    address_part(sb, str(addr, "city"), ", ");
    html_text(sb, country);
    strbuf_puts(sb, "</dd></div>\n");
}

static void
date_row(struct strbuf *sb, const struct web_ctx *w, const char *key, const char *iso)
{
    if (iso == NULL)
        return;
    strbuf_puts(sb, "<div><dt>");
    web_te(sb, w->cat, w->lang, WEB_TEXT, key);
    strbuf_puts(sb, "</dt><dd>");
    if (!web_format_date(sb, w->lang, iso))
        html_text(sb, iso);
    strbuf_puts(sb, "</dd></div>\n");
}

/* What happened, as the form asked it: the boxes ticked in the form's words, and the hours
 * spent where the scheme pays them (as the form asks them) or some were given. */
static void
harms_rows(struct strbuf *sb, const struct web_ctx *w, const struct scheme *scheme,
           const json_t *harms)
{
    static const char *const kinds[] = {"phishing", "identity_theft", "distress"};
    char key[32];
    size_t ticked = 0;

    strbuf_puts(sb, "<div><dt>");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "my.harms_h3");
    strbuf_puts(sb, "</dt><dd id=\"claim-harms\">");
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        snprintf(key, sizeof key, "harm.%s", kinds[i]);
        if (json_is_true(json_object_get(harms, kinds[i]))) {
            strbuf_puts(sb, ticked++ == 0 ? "<ul><li>" : "</li><li>");
            web_te(sb, w->cat, w->lang, WEB_TEXT, key);
        }
    }
    if (ticked == 0)
        web_te(sb, w->cat, w->lang, WEB_TEXT, "common.not_given");
    strbuf_puts(sb, ticked > 0 ? "</li></ul></dd></div>\n" : "</dd></div>\n");
    json_int_t hours = json_integer_value(json_object_get(harms, "hours_spent"));
    struct strbuf n = {0};
    if (hours > 0)
        web_format_int(&n, w->lang, hours);
    if (scheme == NULL || (scheme->hourly_rate > 0 && scheme->max_hours > 0) || hours > 0)
        row(sb, w, "my.harm_hours", n.data);
    strbuf_free(&n);
}

/* The payment chosen. A scheme without vouchers pays every claim in money, one that chose
 * vouchers before it was set too (domain/award.c): say what will happen, as the correction
 * form does; the preference stays as it is stored. Under a scheme with vouchers, the choice
 * and below it what it is in amounts, in the words the form said under it (the vouchers, or
 * the money instead), so that "Vouchers" is not left without what they are worth. */
static void
payment_row(struct strbuf *sb, const struct web_ctx *w, const struct scheme *scheme,
            const char *pref)
{
    char key[32];
    bool voucher = pref != NULL && strcmp(pref, "voucher") == 0;
    bool cash = pref != NULL && strcmp(pref, "cash") == 0;

    if (scheme != NULL && scheme->n_vouchers == 0) {
        row(sb, w, "my.payment", web_t(w->cat, w->lang, "pay.money_only"));
        return;
    }
    snprintf(key, sizeof key, "pay.%s", pref != NULL ? pref : "");
    if (scheme == NULL || (!voucher && !cash)) {
        row(sb, w, "my.payment", web_t(w->cat, w->lang, key));
        return;
    }
    struct strbuf vh = {0}, ch = {0};
    page_claim_payment_hints(&vh, &ch, w, scheme);
    strbuf_puts(sb, "<div><dt>");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "my.payment");
    strbuf_puts(sb, "</dt><dd id=\"claim-payment\">");
    web_te(sb, w->cat, w->lang, WEB_TEXT, key);
    strbuf_puts(sb, "<p class=\"option-hint\" id=\"claim-payment-hint\">");
    const char *hint = voucher ? vh.data : ch.data; /* markup already (page_claim_form.h) */
    strbuf_puts(sb, hint != NULL ? hint : "");
    strbuf_puts(sb, "</p></dd></div>\n");
    strbuf_free(&vh);
    strbuf_free(&ch);
}

/* The claim as given: who, address, phone for reading, categories, harms, payment. */
void
page_my_claim_facts(struct strbuf *sb, const struct web_ctx *w, const struct my_claim_state *st)
{
    const json_t *v = st->view;
    const json_t *who = json_object_get(v, "claimant");
    const json_t *addr = json_object_get(who, "address");
    const json_t *harms = json_object_get(v, "harms");
    char key[64];

    strbuf_puts(sb, "<dl id=\"claim-body\" class=\"facts\">\n<div><dt>");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "my.status");
    strbuf_puts(sb, "</dt><dd id=\"claim-status-value\">");
    snprintf(key, sizeof key, "status.%s", str(v, "status") != NULL ? str(v, "status") : "");
    web_te(sb, w->cat, w->lang, WEB_TEXT, key);
    strbuf_puts(sb, "</dd>");
    /* what the status means and what comes next: "Received" alone left a person asking "and
     * then?"; a dd of its own, the status's stays the word */
    snprintf(key, sizeof key, "status.%s_help", str(v, "status") != NULL ? str(v, "status") : "");
    if (strcmp(web_t(w->cat, w->lang, key), key) != 0) {
        strbuf_puts(sb, "<dd id=\"claim-status-help\" class=\"hint\">");
        web_te(sb, w->cat, w->lang, WEB_TEXT, key);
        /* a withdrawn claim opened again (later, or through the language switch of the page
         * that withdrew it) says when its personal data goes, as the question did; not twice
         * on the page whose notice at the top just said it */
        bool just_said = st->notice_key != NULL && strcmp(st->notice_key, "my.withdrawn_done") == 0;
        if (strcmp(key, "status.withdrawn_help") == 0 && !just_said) {
            strbuf_puts(sb, " ");
            page_withdrawn_days(sb, w, "my.withdraw_data");
        }
        strbuf_puts(sb, "</dd>");
    }
    strbuf_puts(sb, "</div>\n");
    /* a rejection: why, and until when a correction sends the claim back to review */
    if (str(v, "review_reason") != NULL) {
        snprintf(key, sizeof key, "ws.reason.%s", str(v, "review_reason"));
        row(sb, w, "my.review_reason", web_t(w->cat, w->lang, key));
    }
    date_row(sb, w, "my.correct_until", str(v, "correctable_until"));
    /* the reviewer's own words (a review's `note`, PATCH …/status's `reason`): written for the
     * claimant, who reads them here whatever the decision (docs/workspace.md "Review") */
    if (str(v, "status_reason") != NULL && str(v, "status_reason")[0] != '\0')
        typed_row(sb, w, "my.reviewer_note", str(v, "status_reason"));
    incident_row(sb, w, &st->data->incident);
    date_row(sb, w, "my.submitted", str(v, "created_at"));
    date_row(sb, w, "my.withdrawn_at", str(v, "withdrawn_at"));
    if (json_is_object(who)) {
        struct strbuf name = {0}, phone = {0};
        /* the name in one piece: given and family name written right to left read in their
         * own order inside it */
        strbuf_printf(&name, "%s %s", str(who, "given_name"), str(who, "family_name"));
        typed_row(sb, w, "my.name", name.data);
        typed_row(sb, w, "f.email", str(who, "email"));
        if (str(who, "phone") != NULL && !web_format_phone(&phone, str(who, "phone")))
            html_text(&phone, str(who, "phone"));
        /* the claim as given: "(optional)" is the form's word, not the claim's */
        row(sb, w, "my.phone", phone.data);
        if (str(who, "birth_date") != NULL)
            date_row(sb, w, "my.birth_date", str(who, "birth_date")); /* as the other dates */
        else
            row(sb, w, "my.birth_date", NULL);
        address_row(sb, w, addr, page_country_name(w, str(addr, "country")));
        strbuf_free(&name);
        strbuf_free(&phone);
    }
    struct strbuf cats = {0};
    const json_t *list = json_object_get(v, "data_categories");
    for (size_t i = 0; i < json_array_size(list); i++) {
        snprintf(key, sizeof key, "cat.%s", json_string_value(json_array_get(list, i)));
        strbuf_printf(&cats, "%s%s", i > 0 ? ", " : "", web_t(w->cat, w->lang, key));
    }
    row(sb, w, "my.data_h3", cats.data);
    strbuf_free(&cats);
    harms_rows(sb, w, st->scheme, harms);
    /* a loss the form never asked for (the scheme pays none) is not shown as "0"; one left
     * empty (the API's 0) reads "not given", as its field of the correction form is empty */
    json_int_t declared = json_integer_value(json_object_get(harms, "documented_loss"));
    if (st->scheme == NULL || st->scheme->reimburse || declared > 0) {
        struct strbuf loss = {0};
        if (declared > 0)
            web_format_money(&loss, w->lang, declared, st->data->incident.currency);
        row(sb, w, "my.harm_loss", loss.data);
        strbuf_free(&loss);
    }
    typed_row(sb, w, "my.harm_description", str(harms, "description"));
    payment_row(sb, w, st->scheme, str(v, "payment_preference"));
    strbuf_puts(sb, "</dl>\n");
}
