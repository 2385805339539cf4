/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Renders a message's subject, text and HTML from the catalogue of its language and the
 * facts it is about. What goes in is what the message needs and no more (issue 12): the
 * reference, the incident's and action's titles, links; never the claim token, never a name
 * or an address (but a masked one: the notice of a changed address). No images, no remote
 * resources, no tracking parameters. */
#ifndef RECOURS_MAIL_RENDER_H
#define RECOURS_MAIL_RENDER_H

#include <stdbool.h>

#include "core/strbuf.h"
#include "mail/words.h"

enum mail_kind {
    MAIL_CLAIM_ACCEPTED,
    MAIL_CLAIM_CORRECTED,
    MAIL_CLAIM_WITHDRAWN,
    MAIL_RECOVERY,
    MAIL_CLAIM_REJECTED, /* the workspace's review (docs/workspace.md) */
    MAIL_MEMBER_REMOVED,
    MAIL_ADDRESS_CHANGED, /* to the address a correction replaced (docs/mail.md) */
};

/* One claim of a recovery message: its reference, incident and single-use link. */
struct mail_recovery_item {
    const char *reference;
    const char *incident_title;
    const char *incident_controller;
    const char *link;
};

struct mail_facts {
    enum mail_kind kind;
    const char *lang;
    const char *reference;      /* claim messages */
    const char *incident_title; /* claim messages */
    /* claim messages: the company whose leak it is, said before the incident's title (NULL:
     * the title alone) */
    const char *incident_controller;
    const char *action_title;   /* accepted: NULL without a mandate */
    const char *action_association; /* accepted: who brings that action, NULL without one */
    const char *my_claim_url;   /* every message */
    const char *confirm_url;    /* accepted, corrected: NULL when the address is confirmed */
    const char *reason;         /* rejected, removed: the reason in words */
    const char *correctable_until; /* rejected: "YYYY-MM-DD", NULL without a window */
    /* address-changed: the day of the correction ("YYYY-MM-DD", UTC), the new address masked
     * (mail/mask.h); address-changed and withdrawn: the operator's address to write to if the
     * claimant did not do it ("" or NULL: the legal page's URL; both NULL: neither said) */
    const char *changed_on;
    const char *masked_new_address;
    const char *operator_email;
    const char *legal_url;
    int withdrawn_retention_days; /* withdrawn: the days until its personal data is erased */
    const struct mail_recovery_item *items; /* recovery */
    int n_items;
    /* every message: who signs it, the operator's name (--operator-name), as From names the
     * sender; NULL or "": "recours" */
    const char *sender_name;
};

struct mail_rendered {
    struct strbuf subject;
    struct strbuf text;
    struct strbuf html;
};

/* Fills out (zeroed by the caller); free it with mail_rendered_free. */
void mail_render(const struct mail_facts *f, struct mail_rendered *out);

void mail_rendered_free(struct mail_rendered *r);

/* Appends the start of a message's HTML document, up to <body>: its language, charset, a
 * viewport for phones, title (escaped) and a small inline style. */
void mail_html_start(const char *lang, const char *title, struct strbuf *out);

/* Appends the signature's sentence ("This message was sent automatically by <sender_name>;
 * there is no need to reply.") to both parts of r: a line of the text part, an escaped small
 * paragraph of the HTML part. */
void mail_signature(struct mail_rendered *r, enum mail_lang l, const char *sender_name);

/* Appends the paragraph text to both parts of r: a line and a blank one in the text part, an
 * escaped <p> in the HTML part. */
void mail_para(struct mail_rendered *r, const char *text);

/* Appends a sentence and, on the next line, an address to both parts of r: in the HTML part
 * the address is a link showing itself (mail_html_link). */
void mail_link(struct mail_rendered *r, const char *intro, const char *url);

/* mail_link to a page of the site with ?lang= (or &lang=) set to the message's language, so
 * that the page opens in it whatever the browser the message is read beside. */
void mail_page_link(struct mail_rendered *r, const char *intro, const char *url,
                    const char *lang);

/* Appends <a href="url">url</a>, escaped: an address shown as its own text. */
void mail_html_link(const char *url, struct strbuf *out);

/* Appends s escaped for HTML text and double-quoted attribute values. */
void mail_html_escape(const char *s, struct strbuf *out);

/* Parses the outbox kind name ("claim-accepted", …); false when unknown. */
bool mail_kind_parse(const char *name, enum mail_kind *out);

#endif
