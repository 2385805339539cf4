/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The questions of the claim (page_claim_form.h page_claim_fields), shared by /claim and the
 * correction form of /my-claim: who, the address with its country and the postal code it asks
 * for, the categories of the incident, the harms the scheme pays for, the payment. */
#include <stdio.h>
#include <string.h>

#include "domain/award.h"
#include "domain/money.h"
#include "domain/postal_codes.h"
#include "domain/vocab.h"
#include "handlers/page_claim_controls.h"
#include "handlers/page_parts.h"
#include "web/catalogue.h"
#include "web/country_names.h"
#include "web/escape.h"
#include "web/format.h"

/* The country chosen: the one sent back, else France on a fresh form. */
static const char *
chosen_country(const struct claim_form_state *st)
{
    return st->values != NULL ? page_claim_kept(st, "claimant.address.country") : "FR";
}

static void
country_select(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st)
{
    const struct claim_control *c = page_claim_control_of("claimant.address.country");
    const char *chosen = chosen_country(st);
    size_t n_none = 0;
    const char *const *none = countries_without_postal_code(&n_none);
    const unsigned short *order =
        w->lang == WEB_LANG_FR ? web_country_order_fr : web_country_order_en;

    page_claim_field_open(sb, w, st, c, NULL);
    strbuf_puts(sb, "<select id=\"country\" name=\"claimant.address.country\" required "
                    "autocomplete=\"country\" data-no-postal-code=\"");
    for (size_t i = 0; i < n_none; i++) /* claim.js follows the select with them */
        strbuf_printf(sb, "%s%s", i > 0 ? " " : "", none[i]);
    /* and checks the postal code by the API's rule: "FR:5:2:75001", the country, its digits,
     * after how many a space may come (0: none), an example */
    strbuf_puts(sb, "\" data-postal-forms=\"");
    size_t n_forms = 0;
    const struct postal_code_form *forms = postal_code_forms(&n_forms);
    for (size_t i = 0; i < n_forms; i++)
        strbuf_printf(sb, "%s%s:%d:%d:%s", i > 0 ? " " : "", forms[i].country, forms[i].digits,
                      forms[i].space_after, forms[i].example);
    strbuf_puts(sb, "\"");
    page_claim_describedby(sb, st, c, false);
    /* first, a choice that is none: a required select must start with one (HTML), and a form
     * sent back without a country shows it rather than the first country of the list */
    strbuf_printf(sb, ">\n<option value=\"\"%s>", chosen[0] == '\0' ? " selected" : "");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "f.country_choose");
    strbuf_puts(sb, "</option>\n");
    for (size_t i = 0; i < web_n_countries; i++) {
        const struct web_country *k = &web_countries[order[i]];
        strbuf_printf(sb, "<option value=\"%s\"%s>", k->code,
                      strcmp(k->code, chosen) == 0 ? " selected" : "");
        html_text(sb, w->lang == WEB_LANG_FR ? k->fr : k->en);
        strbuf_puts(sb, "</option>\n");
    }
    strbuf_puts(sb, "</select>\n</div>\n");
}

static void
categories(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st)
{
    const struct claim_control *c = page_claim_control_of("data_categories");
    char key[64], id[64];

    page_claim_group_open(sb, w, st, c, "claim.categories", "claim.categories_hint");
    strbuf_puts(sb, "<div id=\"categories\" class=\"checkboxes columns\">\n");
    for (int i = 0; i < DATA_CATEGORY_COUNT; i++) {
        if ((st->data->incident.data_categories & (1u << i)) == 0)
            continue;
        snprintf(key, sizeof key, "cat.%s", data_categories[i]);
        snprintf(id, sizeof id, "cat-%s", data_categories[i]);
        page_claim_box(sb, w, "checkbox", id, "data_categories", data_categories[i],
                       page_claim_kept_has(st, "data_categories", data_categories[i]), key, NULL,
                       NULL);
    }
    strbuf_puts(sb, "</div>\n</fieldset>\n");
}

/* The loss and time questions are asked only when the scheme pays for them (a scheme that
 * pays nothing for a documented loss must not make people dig out receipts). */
static bool
pays_loss(const struct claim_form_state *st)
{
    return st->scheme == NULL || st->scheme->reimburse;
}

static bool
pays_time(const struct claim_form_state *st)
{
    return st->scheme == NULL || (st->scheme->hourly_rate > 0 && st->scheme->max_hours > 0);
}

static void
harms(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st)
{
    static const char *const boxes[] = {"phishing", "identity_theft", "distress"};
    char name[64], key[64];

    strbuf_puts(sb, "<fieldset class=\"group\">\n<legend>");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "claim.harms");
    strbuf_puts(sb, "</legend>\n<p class=\"hint-plain\">");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "claim.harms_hint");
    strbuf_puts(sb, "</p>\n<div class=\"checkboxes\">\n");
    for (size_t i = 0; i < 3; i++) {
        snprintf(name, sizeof name, "harms.%s", boxes[i]);
        snprintf(key, sizeof key, "harm.%s", boxes[i]);
        page_claim_box(sb, w, "checkbox", boxes[i], name, "true",
                       page_claim_kept_has(st, name, NULL), key, NULL, NULL);
    }
    strbuf_puts(sb, "</div>\n");
    if (pays_loss(st)) {
        const struct claim_control c = {"harms.documented_loss", "documented_loss",
                                        "f.documented_loss", NULL, "text", "off", 20,
                                        "input-short"};
        page_claim_field_open(sb, w, st, &c,
                              (const char *[]){"currency", st->data->incident.currency, NULL});
        strbuf_puts(sb, "<input id=\"documented_loss\" name=\"harms.documented_loss\" "
                        "type=\"text\" inputmode=\"decimal\" autocomplete=\"off\" "
                        "maxlength=\"20\" class=\"input-short\"");
        page_claim_input_end(sb, st, page_claim_control_of(c.name), false);
    }
    if (pays_time(st)) {
        const struct claim_control *c = page_claim_control_of("harms.hours_spent");
        page_claim_field_open(sb, w, st, c, NULL);
        strbuf_puts(sb, "<input id=\"hours_spent\" name=\"harms.hours_spent\" type=\"text\" "
                        "inputmode=\"numeric\" pattern=\"[0-9]*\" maxlength=\"4\" "
                        "class=\"input-short\"");
        page_claim_input_end(sb, st, c, false);
    }
    const struct claim_control *d = page_claim_control_of("harms.description");
    page_claim_field_open(sb, w, st, d, NULL);
    strbuf_puts(sb, "<textarea id=\"description\" name=\"harms.description\" rows=\"4\" "
                    "maxlength=\"4000\" dir=\"auto\"");
    page_claim_describedby(sb, st, d, false);
    strbuf_puts(sb, ">");
    html_text(sb, page_claim_kept(st, d->name));
    strbuf_puts(sb, "</textarea>\n</div>\n</fieldset>\n");
}

void
page_claim_payment_hints(struct strbuf *voucher, struct strbuf *cash, const struct web_ctx *w,
                         const struct scheme *s)
{
    struct strbuf less = {0}, total = {0}, same = {0};
    int64_t amount;

    page_vouchers_text(voucher, w, s->vouchers, s->n_vouchers, s->base_amount, s->currency);
    if (s->has_cash_ratio && s->cash_ratio_bp < MONEY_BP_ONE && award_base(s, true, &amount) &&
        web_format_money(&less, w->lang, amount, s->currency) &&
        web_format_money(&total, w->lang, s->base_amount, s->currency))
        web_tf(cash, w->cat, w->lang, WEB_TEXT, "pay.cash_hint_less",
               (const char *[]){"amount", less.data, "total", total.data, NULL});
    else if (web_format_money(&same, w->lang, s->base_amount, s->currency))
        /* the amount itself: /my-claim says it without the vouchers' sentence above it */
        web_tf(cash, w->cat, w->lang, WEB_TEXT, "pay.cash_hint_same",
               (const char *[]){"amount", same.data, NULL});
    else
        web_te(cash, w->cat, w->lang, WEB_TEXT, "pay.cash_hint_same_plain");
    strbuf_free(&less);
    strbuf_free(&total);
    strbuf_free(&same);
}

/* Vouchers are offered only when the scheme in force has some: a scheme without vouchers
 * pays every claim in money, so the choice would be one of a thing that does not exist. With
 * no scheme yet both are offered (the preference is kept for the scheme to come, and a scheme
 * without vouchers pays either in money: docs/web-forms.md). */
static void
payment(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st)
{
    const struct claim_control *c = page_claim_control_of("payment_preference");
    bool voucher = page_claim_kept_has(st, "payment_preference", "voucher");
    bool cash = page_claim_kept_has(st, "payment_preference", "cash");

    if (st->scheme != NULL && st->scheme->n_vouchers == 0) {
        /* the API requires a preference: "cash", the one this scheme can pay, said in words */
        strbuf_puts(sb, "<div class=\"field\" id=\"payment\">\n<p class=\"hint-plain\" "
                        "id=\"pay-money-only\">");
        web_te(sb, w->cat, w->lang, WEB_TEXT, "pay.money_only");
        strbuf_puts(sb, "</p>\n<input type=\"hidden\" name=\"payment_preference\" "
                        "value=\"cash\">\n</div>\n");
        return;
    }

    page_claim_group_open(sb, w, st, c, "claim.payment", NULL);
    strbuf_puts(sb, "<div class=\"checkboxes\">\n");
    if (st->scheme == NULL) {
        page_claim_box(sb, w, "radio", "pay-voucher", "payment_preference", "voucher", voucher,
                       "pay.voucher", NULL, "pay.voucher_hint");
        page_claim_box(sb, w, "radio", "pay-cash", "payment_preference", "cash", cash, "pay.cash",
                       NULL, "pay.cash_hint");
    } else {
        struct strbuf vh = {0}, ch = {0};
        page_claim_payment_hints(&vh, &ch, w, st->scheme);
        page_claim_box_hinted(sb, w, "radio", "pay-voucher", "payment_preference", "voucher",
                              voucher, "pay.voucher", vh.data);
        page_claim_box_hinted(sb, w, "radio", "pay-cash", "payment_preference", "cash", cash,
                              "pay.cash", ch.data);
        strbuf_free(&vh);
        strbuf_free(&ch);
    }
    strbuf_puts(sb, "</div>\n</fieldset>\n");
}

void
page_claim_fields(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st)
{
    strbuf_puts(sb, "<fieldset class=\"group\">\n<legend>");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "claim.you");
    strbuf_puts(sb, "</legend>\n");
    for (size_t i = 0; i < page_claim_n_you; i++)
        page_claim_text_input(sb, w, st, &page_claim_you[i], i < 3);
    strbuf_puts(sb, "</fieldset>\n<fieldset class=\"group\">\n<legend>");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "claim.address");
    strbuf_puts(sb, "</legend>\n");
    for (size_t i = 0; i < page_claim_n_address; i++) {
        /* the postal code is optional where the country chosen has none (Hong Kong...) */
        struct claim_control c = page_claim_address[i];
        bool optional = i == 1 || (i == 2 && country_has_no_postal_code(chosen_country(st)));
        c.label_key = i == 2 && optional ? "f.postal_code_optional" : c.label_key;
        page_claim_text_input(sb, w, st, &c, !optional);
    }
    country_select(sb, w, st);
    strbuf_puts(sb, "</fieldset>\n");
    categories(sb, w, st);
    harms(sb, w, st);
    payment(sb, w, st);
}
