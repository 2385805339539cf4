/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The claim form's markup (page_claim_form.h). Every value from outside this file goes through
 * one escaper of web/escape.h; every string through the catalogue. The ids are those the
 * scripts know (given_name, email, ...), the names those of the API (claimant.given_name). */
#include "handlers/page_claim_form.h"

#include <stdio.h>
#include <string.h>

#include "domain/postal_codes.h"
#include "domain/vocab.h"
#include "handlers/claim_form.h"
#include "handlers/page_field_error.h"
#include "web/catalogue.h"
#include "web/country_names.h"
#include "web/escape.h"
#include "web/format.h"

/* One control of the form and where its errors go. */
struct control {
    const char *name;      /* the API's member: claimant.email */
    const char *id;        /* the element's id: email */
    const char *label_key;
    const char *hint_key;  /* NULL: none */
    const char *type;      /* input type; NULL: not a text input */
    const char *autocomplete;
    int maxlength;
    const char *size_class; /* input-short | input-medium | NULL */
};

static const struct control you[] = {
    {"claimant.given_name", "given_name", "f.given_name", NULL, "text", "given-name", 100, NULL},
    {"claimant.family_name", "family_name", "f.family_name", NULL, "text", "family-name", 100,
     NULL},
    {"claimant.email", "email", "f.email", "f.email_hint", "email", "email", 254, NULL},
    {"claimant.phone", "phone", "f.phone", "f.phone_hint", "tel", "tel", 40, "input-medium"},
    {"claimant.birth_date", "birth_date", "f.birth_date", "f.birth_date_hint", "date", "bday", 10,
     "input-medium"},
};

static const struct control address[] = {
    {"claimant.address.line1", "line1", "f.line1", "f.line1_hint", "text", "address-line1", 200,
     NULL},
    {"claimant.address.line2", "line2", "f.line2", NULL, "text", "address-line2", 200, NULL},
    {"claimant.address.postal_code", "postal_code", "f.postal_code", "f.postal_code_hint", "text",
     "postal-code", 20, "input-short"},
    {"claimant.address.city", "city", "f.city", NULL, "text", "address-level2", 100, NULL},
};

/* Controls without a text input: where their errors are summarised and focused. */
static const struct control others[] = {
    {"claimant.address.country", "country", "f.country", NULL, NULL, NULL, 0, NULL},
    {"data_categories", "categories", "f.data_categories", NULL, NULL, NULL, 0, NULL},
    {"harms.phishing", "phishing", "harm.phishing", NULL, NULL, NULL, 0, NULL},
    {"harms.identity_theft", "identity_theft", "harm.identity_theft", NULL, NULL, NULL, 0, NULL},
    {"harms.distress", "distress", "harm.distress", NULL, NULL, NULL, 0, NULL},
    {"harms.documented_loss", "documented_loss", "f.documented_loss_label", NULL, NULL, NULL, 0,
     NULL},
    {"harms.hours_spent", "hours_spent", "f.hours_spent", NULL, NULL, NULL, 0, NULL},
    {"harms.description", "description", "f.description", NULL, NULL, NULL, 0, NULL},
    {"payment_preference", "pay-voucher", "f.payment_preference", NULL, NULL, NULL, 0, NULL},
    {"privacy_notice_version", "privacy", "f.privacy", NULL, NULL, NULL, 0, NULL},
    {"action_id", "mandate", "mandate.legend", NULL, NULL, NULL, 0, NULL},
    {"mandate_text_version", "mandate", "mandate.legend", NULL, NULL, NULL, 0, NULL},
};

static const struct control *
control_of(const char *field)
{
    char base[ERRORS_FIELD_MAX];
    size_t n = strcspn(field, "[");

    snprintf(base, sizeof base, "%.*s", (int)n, field);
    for (size_t i = 0; i < sizeof you / sizeof you[0]; i++)
        if (strcmp(you[i].name, base) == 0)
            return &you[i];
    for (size_t i = 0; i < sizeof address / sizeof address[0]; i++)
        if (strcmp(address[i].name, base) == 0)
            return &address[i];
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        if (strcmp(others[i].name, base) == 0)
            return &others[i];
    return NULL;
}

/* GOV.UK's error summary: every error as a link to its control, focused by the script and
 * announced (role="alert") without it. */
void
page_claim_error_summary(struct strbuf *sb, const struct web_ctx *w, const struct errors *errors,
                         const char *currency)
{
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
        const struct control *c = control_of(e->field);
        strbuf_puts(sb, "<li><a href=\"#");
        html_attr(sb, c != NULL ? c->id : "main");
        strbuf_puts(sb, "\">");
        if (c != NULL) {
            web_te(sb, w->cat, w->lang, WEB_TEXT, c->label_key);
            web_te(sb, w->cat, w->lang, WEB_TEXT, "common.label_sep");
        }
        page_field_error_message(sb, w, e, currency);
        strbuf_puts(sb, "</a></li>\n");
    }
    strbuf_puts(sb, "</ul>\n</div>\n");
}

/* The value posted for name, or "" (first render: nothing). */
static const char *
kept(const struct claim_form_state *st, const char *name)
{
    const char *v = st->values != NULL ? form_get(st->values, name, NULL) : NULL;
    return v != NULL ? v : "";
}

static bool
kept_has(const struct claim_form_state *st, const char *name, const char *value)
{
    if (st->values == NULL)
        return false;
    for (size_t i = 0; i < st->values->n; i++)
        if (strcmp(st->values->pairs[i].name, name) == 0 &&
            (value == NULL || strcmp(st->values->pairs[i].value, value) == 0))
            return true;
    return false;
}

/* Whether a field error belongs to the control c. */
static bool
is_for(const struct field_error *e, const struct control *c)
{
    const struct control *of = control_of(e->field);

    return of != NULL && strcmp(of->id, c->id) == 0; /* action_id and its version: one box */
}

static bool
has_error(const struct claim_form_state *st, const struct control *c)
{
    for (int i = 0; st->errors != NULL && i < st->errors->n; i++)
        if (is_for(&st->errors->items[i], c))
            return true;
    return false;
}

/* <p class="error-msg" id="X-error">, with the messages of c's errors (hidden when none:
 * the scripts fill the same holder). */
static void
error_holder(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st,
             const struct control *c)
{
    strbuf_puts(sb, "<p class=\"error-msg\" id=\"");
    html_attr(sb, c->id);
    strbuf_printf(sb, "-error\"%s>", has_error(st, c) ? "" : " hidden");
    for (int i = 0; st->errors != NULL && i < st->errors->n; i++) {
        const struct field_error *e = &st->errors->items[i];
        if (!is_for(e, c))
            continue;
        strbuf_puts(sb, "<span class=\"error-line\"><span class=\"visually-hidden\">");
        web_te(sb, w->cat, w->lang, WEB_TEXT, "errors.prefix");
        strbuf_puts(sb, "</span>");
        page_field_error_message(sb, w, e, st->data->incident.currency);
        strbuf_puts(sb, "</span>");
    }
    strbuf_puts(sb, "</p>\n");
}

static void
describedby(struct strbuf *sb, const struct claim_form_state *st, const struct control *c,
            bool hint)
{
    bool err = has_error(st, c);

    if (!hint && !err)
        return;
    strbuf_puts(sb, " aria-describedby=\"");
    if (hint) {
        html_attr(sb, c->id);
        strbuf_puts(sb, "-hint");
    }
    if (err) {
        strbuf_puts(sb, hint ? " " : "");
        html_attr(sb, c->id);
        strbuf_puts(sb, "-error");
    }
    strbuf_puts(sb, "\"");
    if (err)
        strbuf_puts(sb, " aria-invalid=\"true\"");
}

/* The opening of a question, its errors' holder last: a field (<div class="field"> and the
 * <label> of its control, label_params filling the label) or, with a legend, a group
 * (<fieldset class="group"> described by its hint and errors, and its <legend>). */
static void
question_open(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st,
              const struct control *c, const char *legend_key, const char *const *label_params,
              const char *hint_key)
{
    strbuf_puts(sb, legend_key != NULL ? "<fieldset class=\"group" : "<div class=\"field");
    strbuf_puts(sb, has_error(st, c) ? " has-error" : "");
    strbuf_puts(sb, "\" data-field=\"");
    html_attr(sb, c->name);
    const struct control *named = control_of(c->name); /* the summary's name, as the server's */
    strbuf_puts(sb, "\" data-label-key=\"");
    html_attr(sb, named != NULL ? named->label_key : c->label_key);
    if (legend_key != NULL) {
        strbuf_puts(sb, "\"");
        describedby(sb, st, c, hint_key != NULL);
        strbuf_puts(sb, ">\n<legend>");
        web_te(sb, w->cat, w->lang, WEB_TEXT, legend_key);
        strbuf_puts(sb, "</legend>\n");
    } else {
        strbuf_puts(sb, "\">\n<label for=\"");
        html_attr(sb, c->id);
        strbuf_puts(sb, "\">");
        web_tf(sb, w->cat, w->lang, WEB_TEXT, c->label_key, label_params);
        strbuf_puts(sb, "</label>\n");
    }
    if (hint_key != NULL) {
        strbuf_puts(sb, "<p class=\"hint\" id=\"");
        html_attr(sb, c->id);
        strbuf_puts(sb, "-hint\">");
        web_te(sb, w->cat, w->lang, WEB_TEXT, hint_key);
        strbuf_puts(sb, "</p>\n");
    }
    error_holder(sb, w, st, c);
}

/* <div class="field" data-field=...> label, hint, error, and what body writes */
static void
field_open(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st,
           const struct control *c, const char *const *label_params)
{
    question_open(sb, w, st, c, NULL, label_params, c->hint_key);
}

/* The end of a field's <input>: what describes it, the value kept, then the field closed. */
static void
input_end(struct strbuf *sb, const struct claim_form_state *st, const struct control *c,
          bool hint)
{
    describedby(sb, st, c, hint);
    strbuf_puts(sb, " value=\"");
    html_attr(sb, kept(st, c->name));
    strbuf_puts(sb, "\">\n</div>\n");
}

static void
text_input(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st,
           const struct control *c, bool required)
{
    field_open(sb, w, st, c, NULL);
    strbuf_puts(sb, "<input id=\"");
    html_attr(sb, c->id);
    strbuf_puts(sb, "\" name=\"");
    html_attr(sb, c->name);
    strbuf_printf(sb, "\" type=\"%s\" autocomplete=\"%s\"", c->type, c->autocomplete);
    /* HTML allows maxlength on the text-like types only (a date input has its own format) */
    if (strcmp(c->type, "date") != 0)
        strbuf_printf(sb, " maxlength=\"%d\"", c->maxlength);
    strbuf_printf(sb, "%s%s%s", required ? " required" : "",
                  c->size_class != NULL ? " class=\"" : "",
                  c->size_class != NULL ? c->size_class : "");
    if (c->size_class != NULL)
        strbuf_puts(sb, "\"");
    if (strcmp(c->type, "date") == 0)
        strbuf_puts(sb, " min=\"1900-01-01\"");
    if (strcmp(c->type, "text") == 0 || strcmp(c->type, "email") == 0)
        strbuf_puts(sb, " spellcheck=\"false\"");
    /* a name or an address in Arabic or Hebrew runs right to left as it is typed */
    if (strcmp(c->type, "text") == 0)
        strbuf_puts(sb, " dir=\"auto\"");
    input_end(sb, st, c, c->hint_key != NULL);
}

/* The country chosen: the one sent back, else France on a fresh form. */
static const char *
chosen_country(const struct claim_form_state *st)
{
    return st->values != NULL ? kept(st, "claimant.address.country") : "FR";
}

static void
country_select(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st)
{
    const struct control *c = control_of("claimant.address.country");
    const char *chosen = chosen_country(st);
    size_t n_none = 0;
    const char *const *none = countries_without_postal_code(&n_none);
    const unsigned short *order =
        w->lang == WEB_LANG_FR ? web_country_order_fr : web_country_order_en;

    field_open(sb, w, st, c, NULL);
    strbuf_puts(sb, "<select id=\"country\" name=\"claimant.address.country\" required "
                    "autocomplete=\"country\" data-no-postal-code=\"");
    for (size_t i = 0; i < n_none; i++) /* claim.js follows the select with them */
        strbuf_printf(sb, "%s%s", i > 0 ? " " : "", none[i]);
    strbuf_puts(sb, "\"");
    describedby(sb, st, c, false);
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

/* A fieldset that is one question (categories, payment): its errors go on the fieldset. */
static void
group_open(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st,
           const struct control *c, const char *legend_key, const char *hint_key)
{
    question_open(sb, w, st, c, legend_key, NULL, hint_key);
}

/* <div class="check"><input type=checkbox|radio ...><label>…</label>[hint]</div>; the label is
 * the catalogue's label_key with params, the hint hint_key (NULL: none). */
static void
check(struct strbuf *sb, const struct web_ctx *w, const char *type, const char *id,
      const char *name, const char *value, bool checked, const char *label_key,
      const char *const *params, const char *hint_key)
{
    strbuf_puts(sb, "<div class=\"check\"><input id=\"");
    html_attr(sb, id);
    strbuf_printf(sb, "\" type=\"%s\" name=\"", type);
    html_attr(sb, name);
    strbuf_puts(sb, "\" value=\"");
    html_attr(sb, value);
    strbuf_printf(sb, "\"%s", checked ? " checked" : "");
    if (hint_key != NULL) {
        strbuf_puts(sb, " aria-describedby=\"");
        html_attr(sb, id);
        strbuf_puts(sb, "-hint\"");
    }
    strbuf_puts(sb, "><label for=\"");
    html_attr(sb, id);
    strbuf_puts(sb, "\">");
    web_tf_isolated(sb, w->cat, w->lang, label_key, params); /* an association's name */
    strbuf_puts(sb, "</label>");
    if (hint_key != NULL) {
        strbuf_puts(sb, "<p class=\"option-hint\" id=\"");
        html_attr(sb, id);
        strbuf_puts(sb, "-hint\">");
        web_te(sb, w->cat, w->lang, WEB_TEXT, hint_key);
        strbuf_puts(sb, "</p>");
    }
    strbuf_puts(sb, "</div>\n");
}

static void
categories(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st)
{
    const struct control *c = control_of("data_categories");
    char key[64], id[64];

    group_open(sb, w, st, c, "claim.categories", "claim.categories_hint");
    strbuf_puts(sb, "<div id=\"categories\" class=\"checkboxes columns\">\n");
    for (int i = 0; i < DATA_CATEGORY_COUNT; i++) {
        if ((st->data->incident.data_categories & (1u << i)) == 0)
            continue;
        snprintf(key, sizeof key, "cat.%s", data_categories[i]);
        snprintf(id, sizeof id, "cat-%s", data_categories[i]);
        check(sb, w, "checkbox", id, "data_categories", data_categories[i],
              kept_has(st, "data_categories", data_categories[i]), key, NULL, NULL);
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
        check(sb, w, "checkbox", boxes[i], name, "true", kept_has(st, name, NULL), key, NULL,
              NULL);
    }
    strbuf_puts(sb, "</div>\n");
    if (pays_loss(st)) {
        const struct control c = {"harms.documented_loss", "documented_loss",
                                  "f.documented_loss", NULL, "text", "off", 20, "input-short"};
        field_open(sb, w, st, &c,
                   (const char *[]){"currency", st->data->incident.currency, NULL});
        strbuf_puts(sb, "<input id=\"documented_loss\" name=\"harms.documented_loss\" "
                        "type=\"text\" inputmode=\"decimal\" autocomplete=\"off\" "
                        "maxlength=\"20\" class=\"input-short\"");
        input_end(sb, st, control_of(c.name), false);
    }
    if (pays_time(st)) {
        const struct control *c = control_of("harms.hours_spent");
        field_open(sb, w, st, c, NULL);
        strbuf_puts(sb, "<input id=\"hours_spent\" name=\"harms.hours_spent\" type=\"text\" "
                        "inputmode=\"numeric\" pattern=\"[0-9]*\" maxlength=\"4\" "
                        "class=\"input-short\"");
        input_end(sb, st, c, false);
    }
    const struct control *d = control_of("harms.description");
    field_open(sb, w, st, d, NULL);
    strbuf_puts(sb, "<textarea id=\"description\" name=\"harms.description\" rows=\"4\" "
                    "maxlength=\"4000\" dir=\"auto\"");
    describedby(sb, st, d, false);
    strbuf_puts(sb, ">");
    html_text(sb, kept(st, d->name));
    strbuf_puts(sb, "</textarea>\n</div>\n</fieldset>\n");
}

static void
payment(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st)
{
    const struct control *c = control_of("payment_preference");

    group_open(sb, w, st, c, "claim.payment", NULL);
    strbuf_puts(sb, "<div class=\"checkboxes\">\n");
    check(sb, w, "radio", "pay-voucher", "payment_preference", "voucher",
          kept_has(st, "payment_preference", "voucher"), "pay.voucher", NULL, "pay.voucher_hint");
    check(sb, w, "radio", "pay-cash", "payment_preference", "cash",
          kept_has(st, "payment_preference", "cash"), "pay.cash", NULL, "pay.cash_hint");
    strbuf_puts(sb, "</div>\n</fieldset>\n");
}

/* The box that gives a consent (the mandate, the privacy notice) under what it consents to,
 * closing the group that group_open began: named after c's member, its value value. */
static void
consent_close(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st,
              const struct control *c, const char *value, const char *accept_key,
              const char *const *params, const char *hint_key)
{
    check(sb, w, "checkbox", c->id, c->name, value, kept_has(st, c->name, NULL), accept_key,
          params, hint_key);
    strbuf_puts(sb, "</fieldset>\n");
}

/* The mandate of the action the page was opened from: its text in full, then one box. The text
 * is the version the claimant signs; it is sent back (hidden) and checked by the API. */
static void
mandate(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st)
{
    const struct claim_page_data *d = st->data;
    const struct control *c = control_of("action_id");

    if (!d->has_offer)
        return;
    group_open(sb, w, st, c, "mandate.legend", NULL);
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
    const struct control *c = control_of("privacy_notice_version");

    group_open(sb, w, st, c, "claim.privacy", NULL);
    strbuf_puts(sb, "<p><a href=\"/privacy\">");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "claimform.privacy_link");
    strbuf_puts(sb, "</a></p>\n");
    consent_close(sb, w, st, c, st->privacy_version, "privacy.accept",
                  (const char *[]){"version", st->privacy_version, NULL}, NULL);
}

void
page_claim_fields(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st)
{
    strbuf_puts(sb, "<fieldset class=\"group\">\n<legend>");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "claim.you");
    strbuf_puts(sb, "</legend>\n");
    for (size_t i = 0; i < sizeof you / sizeof you[0]; i++)
        text_input(sb, w, st, &you[i], i < 3);
    strbuf_puts(sb, "</fieldset>\n<fieldset class=\"group\">\n<legend>");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "claim.address");
    strbuf_puts(sb, "</legend>\n");
    for (size_t i = 0; i < sizeof address / sizeof address[0]; i++) {
        /* the postal code is optional where the country chosen has none (Hong Kong...) */
        struct control c = address[i];
        bool optional = i == 1 || (i == 2 && country_has_no_postal_code(chosen_country(st)));
        c.label_key = i == 2 && optional ? "f.postal_code_optional" : c.label_key;
        text_input(sb, w, st, &c, !optional);
    }
    country_select(sb, w, st);
    strbuf_puts(sb, "</fieldset>\n");
    categories(sb, w, st);
    harms(sb, w, st);
    payment(sb, w, st);
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
    page_claim_error_summary(sb, w, st->errors, d->incident.currency);
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
