/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The renderer: the same paragraphs written twice, as plain text and as HTML. Each value is
 * escaped for HTML where it is put; links are written in full so that a reader sees where
 * they lead before following them (phishing-wary claimants, issue 12). */
#include "mail/render.h"

#include <string.h>

#include "mail/templates.h"

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
                                        "recovery",       "claim-rejected",  "member-removed"};

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(name, names[i]) == 0) {
            *out = (enum mail_kind)i;
            return true;
        }
    }
    return false;
}

/* A paragraph: text, and the HTML <p> with the text escaped. */
static void
para(struct mail_rendered *r, const char *text)
{
    strbuf_printf(&r->text, "%s\n\n", text);
    strbuf_puts(&r->html, "<p>");
    mail_html_escape(text, &r->html);
    strbuf_puts(&r->html, "</p>\n");
}

/* A labelled value: "Label: value". */
static void
field(struct mail_rendered *r, const char *label, const char *value)
{
    strbuf_printf(&r->text, "%s%s\n", label, value);
    strbuf_puts(&r->html, "<p>");
    mail_html_escape(label, &r->html);
    strbuf_puts(&r->html, "<strong>");
    mail_html_escape(value, &r->html);
    strbuf_puts(&r->html, "</strong></p>\n");
}

/* A sentence followed by its link, the link shown as its own text. */
static void
link(struct mail_rendered *r, const char *intro, const char *url)
{
    strbuf_printf(&r->text, "%s\n%s\n\n", intro, url);
    strbuf_puts(&r->html, "<p>");
    mail_html_escape(intro, &r->html);
    strbuf_puts(&r->html, "<br><a href=\"");
    mail_html_escape(url, &r->html);
    strbuf_puts(&r->html, "\">");
    mail_html_escape(url, &r->html);
    strbuf_puts(&r->html, "</a></p>\n");
}

static void
claim_facts(struct mail_rendered *r, const struct mail_catalogue *t, const struct mail_facts *f)
{
    field(r, t->reference_label, f->reference);
    if (f->incident_title != NULL)
        field(r, t->incident_label, f->incident_title);
    if (f->action_title != NULL)
        field(r, t->action_label, f->action_title);
    strbuf_puts(&r->text, "\n");
}

static void
body(struct mail_rendered *r, const struct mail_catalogue *t, const struct mail_facts *f)
{
    switch (f->kind) {
    case MAIL_CLAIM_ACCEPTED:
        para(r, t->accepted_intro);
        claim_facts(r, t, f);
        link(r, t->my_claim_intro, f->my_claim_url);
        if (f->confirm_url != NULL)
            link(r, t->confirm_intro, f->confirm_url);
        break;
    case MAIL_CLAIM_CORRECTED:
        claim_facts(r, t, f);
        link(r, t->corrected_intro, f->my_claim_url);
        break;
    case MAIL_CLAIM_WITHDRAWN:
        claim_facts(r, t, f);
        para(r, t->withdrawn_intro);
        break;
    case MAIL_CLAIM_REJECTED:
        claim_facts(r, t, f);
        para(r, t->rejected_intro);
        field(r, t->reason_label, f->reason != NULL ? f->reason : "");
        link(r, t->rejected_correct_intro, f->my_claim_url);
        break;
    case MAIL_MEMBER_REMOVED:
        claim_facts(r, t, f);
        para(r, t->removed_intro);
        field(r, t->reason_label, f->reason != NULL ? f->reason : "");
        link(r, t->my_claim_intro, f->my_claim_url);
        break;
    case MAIL_RECOVERY:
        para(r, t->recovery_intro);
        for (int i = 0; i < f->n_items; i++) {
            field(r, t->reference_label, f->items[i].reference);
            field(r, t->incident_label, f->items[i].incident_title);
            link(r, t->recovery_link_label, f->items[i].link);
        }
        para(r, t->recovery_expiry);
        para(r, t->not_you_note);
        break;
    }
}

static void
subject(struct mail_rendered *r, const struct mail_catalogue *t, const struct mail_facts *f)
{
    const char *prefix = f->kind == MAIL_CLAIM_ACCEPTED    ? t->accepted_subject
                         : f->kind == MAIL_CLAIM_CORRECTED ? t->corrected_subject
                         : f->kind == MAIL_CLAIM_WITHDRAWN ? t->withdrawn_subject
                         : f->kind == MAIL_CLAIM_REJECTED  ? t->rejected_subject
                         : f->kind == MAIL_MEMBER_REMOVED  ? t->removed_subject
                                                           : t->recovery_subject;

    strbuf_puts(&r->subject, prefix);
    if (f->kind != MAIL_RECOVERY)
        strbuf_puts(&r->subject, f->reference);
}

void
mail_render(const struct mail_facts *f, struct mail_rendered *out)
{
    const struct mail_catalogue *t = mail_catalogue_of(f->lang);

    subject(out, t, f);
    strbuf_printf(&out->html,
                  "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<title>",
                  t->lang);
    mail_html_escape(out->subject.data, &out->html);
    strbuf_puts(&out->html, "</title>\n</head>\n<body>\n");
    para(out, t->greeting);
    body(out, t, f);
    para(out, t->no_token_note);
    strbuf_printf(&out->text, "-- \n%s\n", t->signature);
    strbuf_puts(&out->html, "<hr>\n<p><small>");
    mail_html_escape(t->signature, &out->html);
    strbuf_puts(&out->html, "</small></p>\n</body>\n</html>\n");
}

void
mail_rendered_free(struct mail_rendered *r)
{
    strbuf_free(&r->subject);
    strbuf_free(&r->text);
    strbuf_free(&r->html);
}
