/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The claim form's controls and how one question is written (page_claim_controls.h). Every
 * value from outside this file goes through one escaper of web/escape.h; every string through
 * the catalogue. The ids are those the scripts know (given_name, email, ...), the names those
 * of the API (claimant.given_name). */
#include "handlers/page_claim_controls.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/page_field_error.h"
#include "web/catalogue.h"
#include "web/escape.h"

const struct claim_control page_claim_you[] = {
    {"claimant.given_name", "given_name", "f.given_name", NULL, "text", "given-name", 100, NULL},
    {"claimant.family_name", "family_name", "f.family_name", NULL, "text", "family-name", 100,
     NULL},
    {"claimant.email", "email", "f.email", "f.email_hint", "email", "email", 254, NULL},
    {"claimant.phone", "phone", "f.phone", "f.phone_hint", "tel", "tel", 40, "input-medium"},
    {"claimant.birth_date", "birth_date", "f.birth_date", "f.birth_date_hint", "date", "bday", 10,
     "input-medium"},
};

const struct claim_control page_claim_address[] = {
    {"claimant.address.line1", "line1", "f.line1", "f.line1_hint", "text", "address-line1", 200,
     NULL},
    {"claimant.address.line2", "line2", "f.line2", NULL, "text", "address-line2", 200, NULL},
    {"claimant.address.postal_code", "postal_code", "f.postal_code", "f.postal_code_hint", "text",
     "postal-code", 20, "input-short"},
    {"claimant.address.city", "city", "f.city", NULL, "text", "address-level2", 100, NULL},
};

const size_t page_claim_n_you = sizeof page_claim_you / sizeof page_claim_you[0];
const size_t page_claim_n_address = sizeof page_claim_address / sizeof page_claim_address[0];

/* Controls without a text input: where their errors are summarised and focused. In the
 * page's order after the address (the error summary's order, control_rank). */
static const struct claim_control others[] = {
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
    {"action_id", "mandate", "mandate.legend", NULL, NULL, NULL, 0, NULL},
    {"mandate_text_version", "mandate", "mandate.legend", NULL, NULL, NULL, 0, NULL},
    {"privacy_notice_version", "privacy", "f.privacy", NULL, NULL, NULL, 0, NULL},
};
#define N_OTHERS (sizeof others / sizeof others[0])

const struct claim_control *
page_claim_control_of(const char *field)
{
    char base[ERRORS_FIELD_MAX];
    size_t n = strcspn(field, "[");

    snprintf(base, sizeof base, "%.*s", (int)n, field);
    for (size_t i = 0; i < page_claim_n_you; i++)
        if (strcmp(page_claim_you[i].name, base) == 0)
            return &page_claim_you[i];
    for (size_t i = 0; i < page_claim_n_address; i++)
        if (strcmp(page_claim_address[i].name, base) == 0)
            return &page_claim_address[i];
    for (size_t i = 0; i < N_OTHERS; i++)
        if (strcmp(others[i].name, base) == 0)
            return &others[i];
    return NULL;
}

/* Where c stands in the form: the questions about you, the address, then the others; after
 * every control for an error of none. */
static size_t
control_rank(const struct claim_control *c)
{
    size_t rank = 0;

    /* by equality: an order between pointers into different arrays is undefined */
    for (size_t i = 0; i < page_claim_n_you; i++, rank++)
        if (c == &page_claim_you[i])
            return rank;
    for (size_t i = 0; i < page_claim_n_address; i++, rank++)
        if (c == &page_claim_address[i])
            return rank;
    for (size_t i = 0; i < N_OTHERS; i++, rank++)
        if (c == &others[i])
            return rank;
    return rank;
}

/* The value an error on a list's element names ({item}: "data_categories[1]" is the second
 * value posted under data_categories, claim_form.c appending a list's values to the body's
 * array in their order), or "": the page said "« {item} » n'est pas un type de données
 * connu" of a forged category. */
static const char *
posted_item(const struct claim_form_state *st, const struct field_error *e)
{
    const char *open = strchr(e->field, '[');
    if (open == NULL || st->values == NULL || !isdigit((unsigned char)open[1]))
        return "";
    char *end;
    unsigned long n = strtoul(open + 1, &end, 10);
    size_t name_len = (size_t)(open - e->field);
    if (*end != ']')
        return "";
    for (size_t i = 0; i < st->values->n; i++) {
        const char *name = st->values->pairs[i].name;
        if (strncmp(name, e->field, name_len) == 0 && name[name_len] == '\0' && n-- == 0)
            return st->values->pairs[i].value;
    }
    return "";
}

/* One error of the summary: a link to its control (c, NULL: none), its label and message. */
static void
summary_item(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st,
             const struct field_error *e, const struct claim_control *c)
{
    strbuf_puts(sb, "<li><a href=\"#");
    html_attr(sb, c != NULL ? c->id : "main");
    strbuf_puts(sb, "\">");
    if (c != NULL) {
        web_te(sb, w->cat, w->lang, WEB_TEXT, c->label_key);
        web_te(sb, w->cat, w->lang, WEB_TEXT, "common.label_sep");
    }
    page_field_error_message(sb, w, e, st->data->incident.currency,
                             page_claim_kept(st, "claimant.address.country"), posted_item(st, e));
    strbuf_puts(sb, "</a></li>\n");
}

/* GOV.UK's error summary: every error as a link to its control, focused by the script and
 * announced (role="alert") without it; in the order of the form, whatever the order the rules
 * found them in (the phone, checked against the address's country, came after the city), so
 * that going down the list goes down the page. */
void
page_claim_error_summary(struct strbuf *sb, const struct web_ctx *w,
                         const struct claim_form_state *st)
{
    const struct errors *errors = st->errors;

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
    for (size_t rank = 0, last = control_rank(NULL); rank <= last; rank++)
        for (int i = 0; i < errors->n; i++) {
            const struct field_error *e = &errors->items[i];
            const struct claim_control *c = page_claim_control_of(e->field);
            if (control_rank(c) == rank)
                summary_item(sb, w, st, e, c);
        }
    strbuf_puts(sb, "</ul>\n</div>\n");
}

/* The value posted for name, or "" (first render: nothing). */
const char *
page_claim_kept(const struct claim_form_state *st, const char *name)
{
    const char *v = st->values != NULL ? form_get(st->values, name, NULL) : NULL;
    return v != NULL ? v : "";
}

bool
page_claim_kept_has(const struct claim_form_state *st, const char *name, const char *value)
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
is_for(const struct field_error *e, const struct claim_control *c)
{
    const struct claim_control *of = page_claim_control_of(e->field);

    return of != NULL && strcmp(of->id, c->id) == 0; /* action_id and its version: one box */
}

static bool
has_error(const struct claim_form_state *st, const struct claim_control *c)
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
             const struct claim_control *c)
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
        page_field_error_message(sb, w, e, st->data->incident.currency,
                                 page_claim_kept(st, "claimant.address.country"),
                                 posted_item(st, e));
        strbuf_puts(sb, "</span>");
    }
    strbuf_puts(sb, "</p>\n");
}

void
page_claim_describedby(struct strbuf *sb, const struct claim_form_state *st,
                       const struct claim_control *c, bool hint)
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
              const struct claim_control *c, const char *legend_key,
              const char *const *label_params, const char *hint_key)
{
    strbuf_puts(sb, legend_key != NULL ? "<fieldset class=\"group" : "<div class=\"field");
    strbuf_puts(sb, has_error(st, c) ? " has-error" : "");
    strbuf_puts(sb, "\" data-field=\"");
    html_attr(sb, c->name);
    /* the summary's name, as the server's */
    const struct claim_control *named = page_claim_control_of(c->name);
    strbuf_puts(sb, "\" data-label-key=\"");
    html_attr(sb, named != NULL ? named->label_key : c->label_key);
    if (legend_key != NULL) {
        strbuf_puts(sb, "\"");
        page_claim_describedby(sb, st, c, hint_key != NULL);
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
void
page_claim_field_open(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st,
                      const struct claim_control *c, const char *const *label_params)
{
    question_open(sb, w, st, c, NULL, label_params, c->hint_key);
}

/* The end of a field's <input>: what describes it, the value kept, then the field closed. */
void
page_claim_input_end(struct strbuf *sb, const struct claim_form_state *st,
                     const struct claim_control *c, bool hint)
{
    page_claim_describedby(sb, st, c, hint);
    strbuf_puts(sb, " value=\"");
    html_attr(sb, page_claim_kept(st, c->name));
    strbuf_puts(sb, "\">\n</div>\n");
}

void
page_claim_text_input(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st,
                      const struct claim_control *c, bool required)
{
    page_claim_field_open(sb, w, st, c, NULL);
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
    page_claim_input_end(sb, st, c, c->hint_key != NULL);
}

/* A fieldset that is one question (categories, payment): its errors go on the fieldset. */
void
page_claim_group_open(struct strbuf *sb, const struct web_ctx *w, const struct claim_form_state *st,
                      const struct claim_control *c, const char *legend_key, const char *hint_key)
{
    question_open(sb, w, st, c, legend_key, NULL, hint_key);
}

/* <div class="check"><input type=checkbox|radio ...><label>…</label>[hint]</div>; the label is
 * the catalogue's label_key with params, the hint hint_key (NULL: none). */
/* page_claim_box with its hint as a catalogue key or as text already escaped (hint_html) */
static void
box(struct strbuf *sb, const struct web_ctx *w, const char *type, const char *id, const char *name,
    const char *value, bool checked, const char *label_key, const char *const *params,
    const char *hint_key, const char *hint_html)
{
    bool hint = hint_key != NULL || hint_html != NULL;

    strbuf_puts(sb, "<div class=\"check\"><input id=\"");
    html_attr(sb, id);
    strbuf_printf(sb, "\" type=\"%s\" name=\"", type);
    html_attr(sb, name);
    strbuf_puts(sb, "\" value=\"");
    html_attr(sb, value);
    strbuf_printf(sb, "\"%s", checked ? " checked" : "");
    if (hint) {
        strbuf_puts(sb, " aria-describedby=\"");
        html_attr(sb, id);
        strbuf_puts(sb, "-hint\"");
    }
    strbuf_puts(sb, "><label for=\"");
    html_attr(sb, id);
    strbuf_puts(sb, "\">");
    web_tf_isolated(sb, w->cat, w->lang, label_key, params); /* an association's name */
    strbuf_puts(sb, "</label>");
    if (hint) {
        strbuf_puts(sb, "<p class=\"option-hint\" id=\"");
        html_attr(sb, id);
        strbuf_puts(sb, "-hint\">");
        if (hint_html != NULL)
            strbuf_puts(sb, hint_html);
        else
            web_te(sb, w->cat, w->lang, WEB_TEXT, hint_key);
        strbuf_puts(sb, "</p>");
    }
    strbuf_puts(sb, "</div>\n");
}

void
page_claim_box(struct strbuf *sb, const struct web_ctx *w, const char *type, const char *id,
               const char *name, const char *value, bool checked, const char *label_key,
               const char *const *params, const char *hint_key)
{
    box(sb, w, type, id, name, value, checked, label_key, params, hint_key, NULL);
}

void
page_claim_box_hinted(struct strbuf *sb, const struct web_ctx *w, const char *type, const char *id,
                      const char *name, const char *value, bool checked, const char *label_key,
                      const char *hint_html)
{
    box(sb, w, type, id, name, value, checked, label_key, NULL, NULL, hint_html);
}
