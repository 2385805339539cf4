/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* /my-claim's markup (page_my_claim_view.h). Every value goes through one escaper of
 * web/escape.h; the claim's own fields included. */
#include "handlers/page_my_claim_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "domain/vocab.h"
#include "handlers/claim_form.h"
#include "handlers/evidence_page.h"
#include "handlers/page_claim_form.h"
#include "handlers/page_parts.h"
#include "web/catalogue.h"
#include "web/escape.h"
#include "web/format.h"
#include "web/section.h"

static const char *
str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static void
hidden(struct strbuf *sb, const char *name, const char *value)
{
    html_hidden(sb, name, value);
}

/* <form method=post action=/my-claim> saying what it does (POST /my-claim's `form`) */
static void
form_open(struct strbuf *sb, const struct web_ctx *w, const char *id, const char *what)
{
    strbuf_printf(sb, "<form id=\"%s\" method=\"post\" action=\"/my-claim?lang=%s\" novalidate>\n",
                  id, web_lang_code(w->lang));
    hidden(sb, "form", what);
    hidden(sb, "lang", web_lang_code(w->lang));
}

/* form_open with the claim's credentials (and the action a link offers) */
static void
claim_form_open(struct strbuf *sb, const struct web_ctx *w, const struct my_claim_state *st,
                const char *id, const char *what)
{
    form_open(sb, w, id, what);
    hidden(sb, "reference", str(st->view, "reference"));
    hidden(sb, "token", st->token);
    if (st->data != NULL && st->data->has_offer)
        hidden(sb, "action", st->data->action.id);
}

static void
button(struct strbuf *sb, const struct web_ctx *w, const char *id, const char *cls, const char *key,
       const char *const *params)
{
    /* the words in one <span>: a button lays out its children side by side (a flex box), so
     * the sentence and the name in its <bdi> stood as two columns on a phone */
    strbuf_printf(sb,
                  "<p class=\"actions\"><button id=\"%s\" type=\"submit\" class=\"button %s\">"
                  "<span>",
                  id, cls);
    web_tf_isolated(sb, w->cat, w->lang, key, params); /* an association's name */
    strbuf_puts(sb, "</span></button></p>\n</form>\n");
}

static void
notice(struct strbuf *sb, const struct web_ctx *w, const struct my_claim_state *st)
{
    char one[96];

    if (st->notice_key == NULL)
        return;
    /* one alert per refusal: a refused correction's error summary is its alert, and this
     * notice, which links down to it, is plain */
    bool summary = st->errors != NULL && st->errors->n > 0;
    bool error = st->notice_kind != NULL && strcmp(st->notice_kind, "error") == 0;
    strbuf_printf(sb, "<div id=\"claim-status\" class=\"status status-%s\"%s><p>",
                  st->notice_kind != NULL ? st->notice_kind : "info",
                  summary ? ""
                  : error ? " role=\"alert\""
                          : " role=\"status\"");
    bool to_email = st->sent != NULL && strcmp(st->sent, "bad_email") == 0;
    if (to_email) /* the address's field is far below on a phone: the message leads to it */
        strbuf_puts(sb, "<a href=\"#recover-email\">");
    /* a wait of two minutes or more (the recovery's limit per address holds 15) in minutes,
     * rounded up, where the catalogue has the words: "900 secondes" was a sum to do */
    const char *key = st->notice_key;
    char minutes[24] = "", minutes_key[96];
    long seconds = st->notice_param != NULL ? strtol(st->notice_param, NULL, 10) : 0;
    snprintf(minutes_key, sizeof minutes_key, "%s_minutes", key);
    if (seconds >= 120 && strcmp(web_t(w->cat, w->lang, minutes_key), minutes_key) != 0) {
        key = minutes_key;
        snprintf(minutes, sizeof minutes, "%ld", (seconds + 59) / 60);
    }
    web_tf(sb, w->cat, w->lang, WEB_TEXT,
           web_key_counted(w->cat, w->lang, key, st->notice_param, one, sizeof one),
           (const char *[]){"seconds", st->notice_param != NULL ? st->notice_param : "", "days",
                            st->notice_param != NULL ? st->notice_param : "", "minutes", minutes,
                            NULL});
    if (to_email)
        strbuf_puts(sb, "</a>");
    if (st->values != NULL && st->errors != NULL && st->errors->n > 0) {
        /* the correction's errors are far below the claim as given: the way to them */
        strbuf_puts(sb, " <a href=\"#error-summary\">");
        web_te(sb, w->cat, w->lang, WEB_TEXT, "my.correct_refused_link");
        strbuf_puts(sb, "</a>");
    } else if (st->evidence_refused != NULL && st->evidence != NULL) {
        /* a file refused (said again by the language switch): the file input is far below */
        strbuf_puts(sb, " <a href=\"#evidence\">");
        web_te(sb, w->cat, w->lang, WEB_TEXT, "ev.refused_link");
        strbuf_puts(sb, "</a>");
    }
    strbuf_puts(sb, "</p></div>\n");
}

/* A labelled input; invalid: the refusal at the top of the page (#claim-status) is its
 * error, which it is marked with and described by (a field without a hint). */
static void
text_field(struct strbuf *sb, const struct web_ctx *w, const char *id, const char *name,
           const char *label_key, const char *hint_key, const char *type, const char *value,
           const char *autocomplete, bool invalid)
{
    strbuf_printf(sb, "<div class=\"field%s\">\n<label for=\"%s\">", invalid ? " has-error" : "",
                  id);
    web_te(sb, w->cat, w->lang, WEB_TEXT, label_key);
    strbuf_puts(sb, "</label>\n");
    if (hint_key != NULL) {
        strbuf_printf(sb, "<p class=\"hint\" id=\"%s-hint\">", id);
        web_te(sb, w->cat, w->lang, WEB_TEXT, hint_key);
        strbuf_puts(sb, "</p>\n");
    }
    strbuf_printf(sb,
                  "<input id=\"%s\" name=\"%s\" type=\"%s\" autocomplete=\"%s\" "
                  "spellcheck=\"false\"%s%s%s%s value=\"",
                  id, name, type, autocomplete, hint_key != NULL ? " aria-describedby=\"" : "",
                  hint_key != NULL ? id : "", hint_key != NULL ? "-hint\"" : "",
                  invalid && hint_key == NULL
                      ? " aria-invalid=\"true\" aria-describedby=\"claim-status\""
                      : "");
    html_attr(sb, value != NULL ? value : "");
    strbuf_puts(sb, "\">\n</div>\n");
}

/* Reference + token, and "I lost my token" (recovery by email); or, from a recovery link, the
 * button that sets a new token (a GET never uses the link: mail scanners open links). */
static void
secrets_section(struct strbuf *sb, const struct web_ctx *w, const struct my_claim_state *st)
{
    strbuf_puts(sb, "<section id=\"receipt\" class=\"receipt\"><h2>");
    web_te(sb, w->cat, w->lang, WEB_TEXT,
           st->view != NULL && !st->renewed ? "my.secrets_h2" : "myform.new_token_h2");
    strbuf_puts(sb, "</h2>\n<dl class=\"secrets\"><div><dt>");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "receipt.reference");
    strbuf_puts(sb, "</dt><dd><code id=\"receipt-reference\">");
    html_text(sb, st->new_reference);
    strbuf_puts(sb, "</code></dd></div><div><dt>");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "receipt.token");
    strbuf_puts(sb, "</dt><dd><code id=\"receipt-token\" class=\"token\">");
    html_text(sb, st->new_token);
    /* what the token is, as on the receipt this page shows again after its language switch */
    web_markup(sb, w->cat, w->lang,
               "</code></dd><dd id=\"receipt-token-hint\" class=\"hint\">{receipt.token_hint}</dd>"
               "</div></dl>\n<p class=\"warning\">");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "receipt.keep");
    strbuf_puts(sb, "</p>\n</section>\n");
}

static void
access_page(struct strbuf *sb, const struct web_ctx *w, const struct my_claim_state *st)
{
    if (st->new_token != NULL)
        secrets_section(sb, w, st);
    if (st->recover_link != NULL) {
        form_open(sb, w, "redeem-form", "redeem");
        hidden(sb, "link", st->recover_link);
        strbuf_puts(sb, "<p>");
        web_te(sb, w->cat, w->lang, WEB_TEXT, "myform.redeem_intro");
        strbuf_puts(sb, "</p>\n");
        button(sb, w, "redeem", "primary", "myform.redeem", NULL);
        return;
    }
    /* one form for both: its language switch (a button of it) keeps what was typed in
     * either, the token excepted; the buttons name what they send (`form`), and Enter (the
     * layout's hidden default button, nameless) sends the one whose fields were filled
     * (handle_page_my_claim_post) */
    strbuf_printf(sb,
                  "<form id=\"access-form\" method=\"post\" action=\"/my-claim?lang=%s\" "
                  "novalidate>\n",
                  web_lang_code(w->lang));
    hidden(sb, "lang", web_lang_code(w->lang));
    if (st->offer_action != NULL)
        hidden(sb, "action", st->offer_action);
    if (st->sent != NULL)
        hidden(sb, CLAIM_FORM_SENT, st->sent); /* its language switch says the refusal again */
    strbuf_puts(sb, "<p class=\"intro\">");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "my.intro");
    strbuf_puts(sb, "</p>\n");
    text_field(sb, w, "reference", "reference", "f.reference", "f.reference_hint", "text",
               st->reference, "off", false);
    text_field(sb, w, "token", "token", "f.token", "f.token_hint", "password", "", "off", false);
    /* 43 characters copied from paper into dots could not be checked before sending; with
     * JavaScript (web/static/my-claim.js) the box shows them. Nameless: never posted */
    web_markup(sb, w->cat, w->lang,
               "<div class=\"check\" id=\"show-token-field\" hidden><input id=\"show-token\" "
               "type=\"checkbox\"><label for=\"show-token\">{my.show_token}</label></div>\n");
    web_markup(sb, w->cat, w->lang,
               "<p class=\"actions\"><button id=\"open\" type=\"submit\" name=\"form\" "
               "value=\"open\" class=\"button primary\"><span>{my.open}</span></button></p>\n");
    web_section_begin(sb, w, NULL, NULL, "lost-h2", "myform.lost_h2");
    strbuf_puts(sb, "<p>");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "myform.lost_intro");
    strbuf_puts(sb, "</p>\n");
    /* an address refused: marked, and the refusal at the top links down to it (far below on
     * a phone) */
    bool bad_email = st->sent != NULL && strcmp(st->sent, "bad_email") == 0;
    text_field(sb, w, "recover-email", "email", "f.email", NULL, "email", st->recover_email,
               "email", bad_email);
    text_field(sb, w, "recover-reference", MY_CLAIM_RECOVER_REFERENCE, "myform.reference_optional",
               NULL, "text", st->recover_reference, "off", false);
    web_markup(sb, w->cat, w->lang,
               "<p class=\"actions\"><button id=\"recover\" type=\"submit\" name=\"form\" "
               "value=\"recover\" class=\"button secondary\"><span>{myform.lost_send}</span>"
               "</button></p>\n</section>\n</form>\n");
}

/* The incident's other open actions, each with its association and a button that opens its
 * mandate here (the join form above), so that the text is read before it is given: a claimant
 * can join any of them, not only the one a link named. */
static void
open_actions(struct strbuf *sb, const struct web_ctx *w, const struct my_claim_state *st)
{
    const struct claim_page_data *d = st->data;
    size_t shown = 0;

    for (size_t i = 0; i < json_array_size(st->open_actions); i++) {
        const json_t *x = json_array_get(st->open_actions, i);
        const char *id = str(x, "id");
        if (id == NULL || (d->has_offer && strcmp(id, d->action.id) == 0))
            continue;
        if (shown++ == 0) {
            strbuf_puts(sb, "<h3 id=\"open-actions-h3\">");
            web_te(sb, w->cat, w->lang, WEB_TEXT, "myform.open_actions_h3");
            strbuf_puts(sb, "</h3>\n<p>");
            web_te(sb, w->cat, w->lang, WEB_TEXT, "myform.open_actions_intro");
            strbuf_puts(sb, "</p>\n<ul id=\"open-actions\" class=\"open-actions\">\n");
        }
        strbuf_puts(sb, "<li><a href=\"/a/");
        url_component(sb, id);
        strbuf_puts(sb, "\">");
        html_isolated(sb, str(x, "title") != NULL ? str(x, "title") : "");
        strbuf_puts(sb, "</a> — ");
        html_isolated(sb, str(x, "association") != NULL ? str(x, "association") : "");
        /* "open" with the action: the claim page again, this action's mandate offered */
        char form_id[32];
        snprintf(form_id, sizeof form_id, "open-action-%zu", shown);
        strbuf_puts(sb, "\n");
        form_open(sb, w, form_id, "open");
        hidden(sb, "reference", str(st->view, "reference"));
        hidden(sb, "token", st->token);
        hidden(sb, "action", id);
        char button_id[32];
        snprintf(button_id, sizeof button_id, "join-action-%zu", shown);
        button(sb, w, button_id, "secondary", "myform.join_action",
               (const char *[]){"association", str(x, "association") != NULL ? str(x, "association")
                                                                            : "",
                                NULL});
        strbuf_puts(sb, "</li>\n");
    }
    if (shown > 0)
        strbuf_puts(sb, "</ul>\n");
}

/* The action the claim is in: its association, its status, its page. Nothing once withdrawn. */
static void
action_part(struct strbuf *sb, const struct web_ctx *w, const struct my_claim_state *st,
            bool withdrawn)
{
    const struct claim_page_data *d = st->data;
    char key[64];

    if (withdrawn)
        return;
    web_section_begin(sb, w, "action-part", NULL, "action-h2", "my.mandate");
    if (d->has_member) {
        strbuf_puts(sb, "<p id=\"member-of\">");
        web_tf_isolated(sb, w->cat, w->lang, "myform.member_of",
                        (const char *[]){"association", d->member_association.name, "title",
                                         d->member.title, NULL});
        strbuf_puts(sb, "</p>\n<p>");
        snprintf(key, sizeof key, "myform.action_status.%s", d->member.status);
        web_te(sb, w->cat, w->lang, WEB_TEXT, key);
        strbuf_puts(sb, " <a href=\"/a/");
        url_component(sb, d->member.id);
        strbuf_puts(sb, "\">");
        web_te(sb, w->cat, w->lang, WEB_TEXT, "myform.action_link");
        strbuf_puts(sb, "</a></p>\n");
        claim_form_open(sb, w, st, "revoke-form", "revoke");
        strbuf_puts(sb, "<p class=\"hint-plain\">");
        web_te(sb, w->cat, w->lang, WEB_TEXT, "my.mandate_revoke_hint");
        strbuf_puts(sb, "</p>\n");
        button(sb, w, "mandate-revoke", "secondary", "my.mandate_revoke", NULL);
    } else {
        strbuf_puts(sb, "<p>");
        web_te(sb, w->cat, w->lang, WEB_TEXT, "my.mandate_none");
        strbuf_puts(sb, "</p>\n");
    }
    if (!d->has_member && d->has_offer) {
        claim_form_open(sb, w, st, "join-form", "join");
        strbuf_puts(sb, "<h3>");
        web_te(sb, w->cat, w->lang, WEB_TEXT, "my.mandate_h3");
        strbuf_puts(sb, "</h3>\n");
        page_claim_mandate(sb, w, d);
        hidden(sb, "mandate_text_version", d->action.mandate_text_version);
        button(sb, w, "mandate-give", "primary", "my.mandate_give",
               (const char *[]){"association", d->association.name, NULL});
    }
    if (!d->has_member)
        open_actions(sb, w, st);
    strbuf_puts(sb, "</section>\n");
}

static void
claim_page(struct strbuf *sb, const struct web_ctx *w, const struct my_claim_state *st)
{
    bool withdrawn =
        str(st->view, "status") != NULL && strcmp(str(st->view, "status"), "withdrawn") == 0;
    bool correctable = !withdrawn && json_is_object(json_object_get(st->view, "claimant"));
    struct form kept;

    strbuf_puts(sb, "<section id=\"claim\" aria-labelledby=\"claim-h2\">\n<h2 id=\"claim-h2\">");
    /* the reference in its <bdi>, which the stylesheet keeps on one line: a phone broke it at
     * a hyphen ("RC-4NAT-" above "YYT5") */
    web_tf_isolated(sb, w->cat, w->lang, "my.claim_h2",
                    (const char *[]){"reference", str(st->view, "reference"), NULL});
    strbuf_puts(sb, "</h2>\n");
    /* what a person came to do, reached from the top: on a phone the correction form starts
     * some twenty screens of facts, actions and files below */
    if (correctable)
        web_markup(sb, w->cat, w->lang,
                   "<ul id=\"claim-jump\" class=\"jump-links\"><li><a href=\"#correct\">"
                   "{myform.correct_h2}</a></li><li><a href=\"#withdraw\">{my.withdraw_h2}</a>"
                   "</li></ul>\n");
    page_my_claim_facts(sb, w, st);
    strbuf_puts(sb, "</section>\n");
    action_part(sb, w, st, withdrawn);
    evidence_section(sb, w, st->evidence, str(st->view, "reference"), st->token,
                     st->evidence_dropped, st->evidence_refused, withdrawn);
    if (!correctable)
        return;
    /* the correction: the claim form's own questions, filled as the claim stands (or as the
     * refused correction was typed) */
    if (st->values == NULL)
        page_my_claim_values(st->view, w, st->data->incident.currency, st->arena, &kept);
    struct claim_form_state fs = {.data = st->data,
                                  .scheme = st->scheme,
                                  .values = st->values != NULL ? st->values : &kept,
                                  .errors = st->errors};
    web_section_begin(sb, w, "correct", NULL, "correct-h2", "myform.correct_h2");
    page_claim_error_summary(sb, w, &fs);
    claim_form_open(sb, w, st, "claim-form", "correct");
    if (st->values != NULL && st->errors != NULL && st->errors->n > 0)
        hidden(sb, CLAIM_FORM_SENT, "1"); /* its language switch shows the errors again */
    page_claim_fields(sb, w, &fs);
    button(sb, w, "correct-save", "primary", "my.correct_save", NULL);
    strbuf_puts(sb, "</section>\n");
    /* the first step of two: the button asks (withdraw_question), it does not withdraw */
    /* the heading speaks to the claimant as the page's others do ("votre"); the button is
     * the claimant's own words ("ma"), as every button of the site */
    web_section_begin(sb, w, "withdraw", NULL, "withdraw-h2", "my.withdraw_h2");
    strbuf_puts(sb, "<p>");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "my.withdraw_p");
    strbuf_puts(sb, "</p>\n");
    claim_form_open(sb, w, st, "withdraw-form", "withdraw");
    button(sb, w, "withdraw-ask", "warning", "my.withdraw", NULL);
    strbuf_puts(sb, "</section>\n");
}

/* The question before a withdrawal, which is not undone: the claim (reference, incident),
 * what withdrawing means, the button that withdraws, and the way back to the claim (its
 * reference and token posted again: the person keeps it open, no address holds the token). */
static void
withdraw_question(struct strbuf *sb, const struct web_ctx *w, const struct my_claim_state *st)
{
    strbuf_puts(sb, "<section id=\"withdraw-question\">\n<p>");
    /* the incident as incident_name says it, each part in its own <bdi> (the catalogue's
     * "{controller} — {title}"): the title alone did not say whose leak */
    web_tf_isolated(sb, w->cat, w->lang, "my.withdraw_which",
                    (const char *[]){"reference", str(st->view, "reference"), "controller",
                                     st->data->incident.controller, "title",
                                     st->data->incident.title, NULL});
    strbuf_puts(sb, "</p>\n<ul class=\"consequences\">\n<li>");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "my.withdraw_p");
    strbuf_puts(sb, "</li>\n<li>");
    /* when the personal data goes: "at the end of the retention period" left a person asking
     * how long that is (--withdrawn-retention-days) */
    page_withdrawn_days(sb, w, "my.withdraw_data");
    strbuf_puts(sb, "</li>\n</ul>\n");
    claim_form_open(sb, w, st, "withdraw-confirm-form", "withdraw_confirm");
    button(sb, w, "withdraw-yes", "warning", "my.withdraw_yes", NULL);
    claim_form_open(sb, w, st, "withdraw-back-form", "open");
    button(sb, w, "withdraw-no", "secondary", "my.withdraw_no", NULL);
    strbuf_puts(sb, "</section>\n");
}

void
page_my_claim_render(struct strbuf *sb, const struct web_ctx *w, const struct my_claim_state *st)
{
    /* a page holding the claim's token (the claim, a token shown, the question before a
     * withdrawal): the language switch posts it again, as "withdraw" for the question (asked
     * again, in the other language), "keep" when the token is on show, else "open" */
    const char *ref = st->view != NULL ? str(st->view, "reference") : st->new_reference;
    const char *token = st->new_token != NULL ? st->new_token : st->token;
    const char *offer = st->data != NULL && st->data->has_offer ? st->data->action.id : NULL;
    const char *again = st->confirm_withdraw  ? "withdraw"
                        : st->renewed         ? "renewed"
                        : st->new_token != NULL ? "keep"
                                              : "open";
    const char *const switch_fields[] = {"form",      again,
                                         "reference", ref,
                                         "token",     token,
                                         offer != NULL ? "action" : NULL, offer,
                                         NULL};
    bool holds_token = ref != NULL && token != NULL;
    /* the claim with its correction form, no token on show: the switch is a button of that
     * form, which holds reference and token and keeps what was typed in it */
    bool correctable =
        st->view != NULL && !st->confirm_withdraw && st->new_token == NULL &&
        json_is_object(json_object_get(st->view, "claimant")) &&
        strcmp(str(st->view, "status") != NULL ? str(st->view, "status") : "", "withdrawn") != 0;
    /* the access page: the switch is a button of its form (the access and the recovery
     * questions), which shows it again in that language with what was typed but the token
     * (handle_page_my_claim_post); a link lost the reference typed. A recovery link's page
     * keeps the link in the switch's address (it came in this page's) */
    bool access = st->view == NULL && !holds_token;
    const char *access_form = !access || st->recover_link != NULL ? NULL : "access-form";
    struct web_page p = {
        .title = web_t(w->cat, w->lang, st->confirm_withdraw ? "my.withdraw_h" : "my.h1"),
        .path = "/my-claim",
        .query_keep = access && st->recover_link != NULL
                          ? arena_printf(st->arena, "recover=%s", st->recover_link)
                          : NULL,
        .switch_post_path = holds_token && !correctable ? "/my-claim" : NULL,
        .switch_post = holds_token && !correctable ? switch_fields : NULL,
        .switch_form = correctable ? "claim-form" : access_form,
        .noindex = true,
        .nav_current = "/my-claim",
        .script = st->evidence != NULL  ? "/static/evidence.js"
                  : access_form != NULL ? "/static/my-claim.js" /* the token's show box */
                                        : NULL,
        .h1 = true,
        .error = (st->errors != NULL && st->errors->n > 0) ||
                 (st->notice_kind != NULL && strcmp(st->notice_kind, "error") == 0),
    };

    web_layout_begin(sb, w, &p);
    notice(sb, w, st);
    if (st->view != NULL && st->new_token != NULL)
        secrets_section(sb, w, st);
    if (st->view != NULL && st->confirm_withdraw)
        withdraw_question(sb, w, st);
    else if (st->view != NULL)
        claim_page(sb, w, st);
    else
        access_page(sb, w, st);
    web_layout_end(sb, w);
}
