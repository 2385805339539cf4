/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The renderer: the same paragraphs written twice, as plain text and as HTML. Each value is
 * escaped for HTML where it is put; links are written in full so that a reader sees where
 * they lead before following them (phishing-wary claimants, issue 12). */
#include "mail/render.h"

#include <stdio.h>
#include <string.h>

#include "core/incident_name.h"
#include "mail/compose.h"
#include "mail/words.h"

void
mail_html_escape(const char *s, struct strbuf *out)
{
    for (const char *p = s; *p != '\0'; p++) {
        switch (*p) {
        case '&': strbuf_puts(out, "&amp;"); break;
        case '<': strbuf_puts(out, "&lt;"); break;
        case '>': strbuf_puts(out, "&gt;"); break;
        case '"': strbuf_puts(out, "&quot;"); break;
        case '\'': strbuf_puts(out, "&#39;"); break;
        default: strbuf_append(out, p, 1); break;
        }
    }
}

bool
mail_kind_parse(const char *name, enum mail_kind *out)
{
    static const char *const names[] = {"claim-accepted", "claim-corrected", "claim-withdrawn",
                                        "recovery",       "claim-rejected",  "member-removed",
                                        "address-changed"};

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(name, names[i]) == 0) {
            *out = (enum mail_kind)i;
            return true;
        }
    }
    return false;
}

void
mail_html_start(const char *lang, const char *title, struct strbuf *out)
{
    /* the viewport: without it a phone lays the message out 980 px wide and shrinks it to a
     * third; the style breaks a long link (a token's 43 characters) rather than the page's
     * width, and keeps lines short enough to read on a wide screen. A style element, not a
     * remote sheet: nothing is fetched when the message is opened. */
    strbuf_printf(out,
                  "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<title>",
                  lang);
    mail_html_escape(title, out);
    strbuf_puts(out, "</title>\n"
                     "<style>body{max-width:40em;line-height:1.4}"
                     "a{overflow-wrap:anywhere;word-break:break-all}</style>\n"
                     "</head>\n<body>\n");
}

void
mail_signature(struct mail_rendered *r, enum mail_lang l, const char *sender_name)
{
    struct strbuf line = {0};

    strbuf_puts(&line, mail_words.signature_by[l]);
    mail_sender_name(sender_name, &line);
    strbuf_puts(&line, mail_words.signature_end[l]);
    strbuf_printf(&r->text, "%s\n", line.data);
    strbuf_puts(&r->html, "<p><small>");
    mail_html_escape(line.data, &r->html);
    strbuf_puts(&r->html, "</small></p>\n");
    strbuf_free(&line);
}

void
mail_para(struct mail_rendered *r, const char *text)
{
    strbuf_printf(&r->text, "%s\n\n", text);
    strbuf_puts(&r->html, "<p>");
    mail_html_escape(text, &r->html);
    strbuf_puts(&r->html, "</p>\n");
}

void
mail_html_link(const char *url, struct strbuf *out)
{
    strbuf_puts(out, "<a href=\"");
    mail_html_escape(url, out);
    strbuf_puts(out, "\">");
    mail_html_escape(url, out);
    strbuf_puts(out, "</a>");
}

/* A paragraph of a lead and what it leads to: a value, in bold after the lead ("Label: value"),
 * or a link, on a line of its own. */
static void
lead_para(struct mail_rendered *r, const char *lead, const char *what, bool is_link)
{
    size_t n = strlen(lead);

    /* the lead of a link ends its line: without the space it ends with ("…: ") */
    while (is_link && n > 0 && lead[n - 1] == ' ')
        n--;
    strbuf_printf(&r->text, is_link ? "%.*s\n%s\n\n" : "%.*s%s\n", (int)n, lead, what);
    strbuf_puts(&r->html, "<p>");
    mail_html_escape(lead, &r->html);
    strbuf_puts(&r->html, is_link ? "<br>" : "<strong>");
    if (is_link)
        mail_html_link(what, &r->html);
    else
        mail_html_escape(what, &r->html);
    strbuf_puts(&r->html, is_link ? "</p>\n" : "</strong></p>\n");
}

/* A labelled value: "Label: value". */
static void
field(struct mail_rendered *r, const char *label, const char *value)
{
    lead_para(r, label, value, false);
}

void
mail_link(struct mail_rendered *r, const char *intro, const char *url)
{
    lead_para(r, intro, url, true);
}

void
mail_page_link(struct mail_rendered *r, const char *intro, const char *url, const char *lang)
{
    struct strbuf with_lang = {0};

    strbuf_printf(&with_lang, "%s%clang=%s", url, strchr(url, '?') != NULL ? '&' : '?', lang);
    mail_link(r, intro, with_lang.data != NULL ? with_lang.data : url);
    strbuf_free(&with_lang);
}

/* A link to a page of the site in the message's language. */
static void
page_link(struct mail_rendered *r, enum mail_lang l, const char *intro, const char *url)
{
    mail_page_link(r, intro, url, mail_lang_code(l));
}

/* "Incident: ACME SA — Customer database leak", as the site's pages name an incident
 * (core/incident_name.h). */
static void
incident_field(struct mail_rendered *r, enum mail_lang l, const char *controller, const char *title)
{
    struct strbuf both = {0};

    incident_name(&both, controller, title);
    field(r, mail_words.incident_label[l], both.data != NULL ? both.data : "");
    strbuf_free(&both);
}

static void
claim_facts(struct mail_rendered *r, enum mail_lang l, const struct mail_facts *f)
{
    field(r, mail_words.reference_label[l], f->reference);
    if (f->incident_title != NULL)
        incident_field(r, l, f->incident_controller, f->incident_title);
    if (f->action_title != NULL)
        field(r, mail_words.action_label[l], f->action_title);
    /* whom the mandate was given to: the association that will act in the claimant's name */
    if (f->action_title != NULL && f->action_association != NULL)
        field(r, mail_words.association_label[l], f->action_association);
    strbuf_puts(&r->text, "\n");
}

/* Appends the day of date ("YYYY-MM-DD", UTC) in words: "20 December 2026", "1er mars 2027";
 * false (nothing appended) when date is not one. */
static bool
day_in_words(struct strbuf *out, enum mail_lang l, const char *date)
{
    int y = 0, m = 0, d = 0;

    if (date == NULL || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12)
        return false;
    if (d == 1)
        strbuf_puts(out, mail_words.first_of_month[l]);
    else
        strbuf_printf(out, "%d", d);
    strbuf_printf(out, " %s %d", mail_words.month[m - 1][l], y);
    return true;
}

/* The link of a rejection: until when it may be corrected (the day of correctable_until),
 * or, with no window, only where to see it. */
static void
correct_until(struct mail_rendered *r, enum mail_lang l, const struct mail_facts *f)
{
    struct strbuf intro = {0};

    strbuf_puts(&intro, mail_words.rejected_correct_before[l]);
    if (!day_in_words(&intro, l, f->correctable_until)) {
        strbuf_free(&intro);
        page_link(r, l, mail_words.rejected_final_intro[l], f->my_claim_url);
        return;
    }
    strbuf_puts(&intro, mail_words.rejected_correct_after[l]);
    page_link(r, l, intro.data, f->my_claim_url);
    strbuf_free(&intro);
}

/* If the claimant did not do it (a change of address, a withdrawal, both made with the claim's
 * token), someone else holds the token: whom to write to, the operator (the legal page, which
 * names them, when no address is set); nothing when the facts name neither. */
static void
not_you_write(struct mail_rendered *r, enum mail_lang l, const struct mail_facts *f)
{
    if (f->operator_email != NULL && f->operator_email[0] != '\0') {
        field(r, mail_words.not_you_operator[l], f->operator_email);
        strbuf_puts(&r->text, "\n"); /* a paragraph of its own, as in the HTML part */
    } else if (f->legal_url != NULL) {
        page_link(r, l, mail_words.not_you_operator_page[l], f->legal_url);
    }
}

/* To the old address: when the address changed and to what (masked), and, if this was not its
 * owner, whom to write to: the operator (a recovery by email would go to the new address). */
static void
address_changed(struct mail_rendered *r, enum mail_lang l, const struct mail_facts *f)
{
    struct strbuf what = {0};

    strbuf_puts(&what, mail_words.address_changed_before[l]);
    if (!day_in_words(&what, l, f->changed_on))
        strbuf_puts(&what, mail_words.address_changed_recently[l]);
    strbuf_puts(&what, mail_words.address_changed_between[l]);
    strbuf_puts(&what, f->masked_new_address != NULL ? f->masked_new_address : "***");
    strbuf_puts(&what, mail_words.address_changed_after[l]);
    mail_para(r, what.data);
    strbuf_free(&what);
    claim_facts(r, l, f);
    not_you_write(r, l, f);
    mail_para(r, mail_words.address_changed_last[l]);
}

/* The withdrawal and when its personal data is erased: days after it, singular for one day
 * and, in French, for none (web_key_counted's rule on the pages). */
static void
withdrawn_erasure(struct mail_rendered *r, enum mail_lang l, int days)
{
    struct strbuf what = {0};
    bool one = days == 1 || (days == 0 && l == MAIL_FR);

    strbuf_printf(&what, "%s%d%s", mail_words.withdrawn_intro[l], days,
                  one ? mail_words.withdrawn_day[l] : mail_words.withdrawn_days[l]);
    mail_para(r, what.data);
    strbuf_free(&what);
}

static void
body(struct mail_rendered *r, enum mail_lang l, const struct mail_facts *f)
{
    switch (f->kind) {
    case MAIL_CLAIM_ACCEPTED:
        mail_para(r, mail_words.accepted_intro[l]);
        claim_facts(r, l, f);
        page_link(r, l, mail_words.my_claim_intro[l], f->my_claim_url);
        if (f->confirm_url != NULL) {
            mail_link(r, mail_words.confirm_intro[l], f->confirm_url);
            mail_para(r, mail_words.confirm_expiry[l]);
            mail_para(r, mail_words.confirm_not_you[l]);
        }
        break;
    case MAIL_CLAIM_CORRECTED:
        claim_facts(r, l, f);
        page_link(r, l, mail_words.corrected_intro[l], f->my_claim_url);
        if (f->confirm_url != NULL) {
            mail_link(r, mail_words.confirm_intro[l], f->confirm_url);
            mail_para(r, mail_words.confirm_expiry[l]);
        }
        break;
    case MAIL_CLAIM_WITHDRAWN:
        claim_facts(r, l, f);
        withdrawn_erasure(r, l, f->withdrawn_retention_days);
        not_you_write(r, l, f);
        break;
    case MAIL_CLAIM_REJECTED:
    case MAIL_MEMBER_REMOVED: {
        /* the same letter: why, then where to correct (rejected) or see (removed) the claim */
        bool rejected = f->kind == MAIL_CLAIM_REJECTED;
        claim_facts(r, l, f);
        mail_para(r, rejected ? mail_words.rejected_intro[l] : mail_words.removed_intro[l]);
        field(r, mail_words.reason_label[l], f->reason != NULL ? f->reason : "");
        strbuf_puts(&r->text, "\n");
        if (rejected)
            correct_until(r, l, f);
        else
            page_link(r, l, mail_words.my_claim_intro[l], f->my_claim_url);
        break;
    }
    case MAIL_ADDRESS_CHANGED:
        address_changed(r, l, f);
        break;
    case MAIL_RECOVERY:
        mail_para(r, mail_words.recovery_intro[l]);
        for (int i = 0; i < f->n_items; i++) {
            field(r, mail_words.reference_label[l], f->items[i].reference);
            incident_field(r, l, f->items[i].incident_controller, f->items[i].incident_title);
            page_link(r, l, mail_words.recovery_link_label[l], f->items[i].link);
        }
        mail_para(r, mail_words.recovery_expiry[l]);
        mail_para(r, mail_words.not_you_note[l]);
        break;
    }
}

static void
subject(struct mail_rendered *r, enum mail_lang l, const struct mail_facts *f)
{
    const char *prefix = f->kind == MAIL_CLAIM_ACCEPTED    ? mail_words.accepted_subject[l]
                         : f->kind == MAIL_CLAIM_CORRECTED ? mail_words.corrected_subject[l]
                         : f->kind == MAIL_CLAIM_WITHDRAWN ? mail_words.withdrawn_subject[l]
                         : f->kind == MAIL_CLAIM_REJECTED  ? mail_words.rejected_subject[l]
                         : f->kind == MAIL_MEMBER_REMOVED  ? mail_words.removed_subject[l]
                         : f->kind == MAIL_ADDRESS_CHANGED ? mail_words.address_changed_subject[l]
                                                           : mail_words.recovery_subject[l];

    strbuf_puts(&r->subject, prefix);
    if (f->kind != MAIL_RECOVERY)
        strbuf_puts(&r->subject, f->reference);
}

void
mail_render(const struct mail_facts *f, struct mail_rendered *out)
{
    enum mail_lang l = mail_lang_of(f->lang);

    subject(out, l, f);
    mail_html_start(mail_lang_code(l), out->subject.data, &out->html);
    mail_para(out, mail_words.greeting[l]);
    body(out, l, f);
    mail_para(out, mail_words.no_token_note[l]);
    strbuf_puts(&out->text, "-- \n");
    strbuf_puts(&out->html, "<hr>\n");
    mail_signature(out, l, f->sender_name);
    strbuf_puts(&out->html, "</body>\n</html>\n");
}

void
mail_rendered_free(struct mail_rendered *r)
{
    strbuf_free(&r->subject);
    strbuf_free(&r->text);
    strbuf_free(&r->html);
}
