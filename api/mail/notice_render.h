/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Renders an association's notice to one member (docs/workspace.md "Notices"): the
 * association's subject and body as written (plain text; in HTML its paragraphs, line breaks
 * and http(s) links, everything else escaped), then what recours adds in the member's
 * language: who sends it and about which action, the member's reference, the link to the
 * claim, and, for a notice that is not essential, the link that stops such notices. The
 * preview of the API renders with the same function, so what the association sees is what
 * the member gets. */
#ifndef RECOURS_MAIL_NOTICE_RENDER_H
#define RECOURS_MAIL_NOTICE_RENDER_H

#include "mail/render.h"

struct notice_mail {
    const char *lang;             /* "fr" or "en" */
    const char *subject;          /* the association's, in lang */
    const char *body;             /* the association's, in lang */
    const char *association_name;
    const char *action_title;
    const char *reference;        /* the member's claim */
    const char *my_claim_url;
    const char *stop_url;         /* NULL for an essential notice */
    const char *sender_name;      /* the operator's name, who signs; NULL: "recours" */
};

/* Fills out (zeroed by the caller; free with mail_rendered_free). */
void mail_render_notice(const struct notice_mail *n, struct mail_rendered *out);

#endif
