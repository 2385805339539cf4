/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Composes one email (RFC 5322 + MIME): a multipart/alternative of a text and an HTML part,
 * both UTF-8 in base64, the subject in RFC 2047 encoded words when it is not plain ASCII, and
 * the headers a well-behaved automatic sender gives (Date, Message-ID, Auto-Submitted:
 * auto-generated, Content-Language), From with the operator's name. Addresses are written as
 * given: a CR, LF or other control character in one refuses the message (no header
 * injection). */
#ifndef RECOURS_MAIL_COMPOSE_H
#define RECOURS_MAIL_COMPOSE_H

#include <stdbool.h>
#include <time.h>

#include "core/strbuf.h"

struct mail_message {
    const char *from;     /* an address, e.g. "recours@example.org" */
    const char *reply_to; /* NULL or "": no Reply-To */
    const char *to;       /* one address */
    const char *lang;     /* "fr" or "en" */
    const char *subject;  /* UTF-8 */
    const char *text;     /* UTF-8, lines ended by \n */
    const char *html;     /* UTF-8, a whole document */
    /* a notice that is not essential: the https URL that stops such notices, written as
     * List-Unsubscribe with List-Unsubscribe-Post (RFC 8058 one-click); NULL: none */
    const char *list_unsubscribe;
    /* the display name of From: the operator's name (--operator-name); NULL or "": "recours" */
    const char *from_name;
};

/* Appends the whole message (CRLF line ends) to out, dated now. False (out then holds a
 * partial message the caller frees) when an address is unfit or the random source fails. */
bool mail_compose(const struct mail_message *m, time_t now, struct strbuf *out);

/* Appends s as the value of a Subject header: as is when it is printable ASCII (folded before
 * spaces into lines of 78 characters), else as
 * =?UTF-8?B?…?= words of at most 75 characters, folded with CRLF SP, never splitting a
 * UTF-8 sequence. Exposed for the unit test. */
void mail_encode_subject(const char *s, struct strbuf *out);

/* At most this many bytes of a display name are kept. */
#define MAIL_DISPLAY_NAME_MAX 200

/* Appends name as the display name of a From header: as is when it is words of RFC 5322 atext,
 * a quoted-string (a quote or backslash escaped) when it is other printable ASCII of at most 60
 * characters, else RFC 2047 words as a subject's; a control character in it becomes a space,
 * so no CR or LF reaches the header. NULL, or nothing but spaces: "recours". Exposed for the
 * unit test. */
void mail_encode_display_name(const char *name, struct strbuf *out);

/* Appends the sender's name as the messages name it, From's display name before its encoding
 * and the signature's: name without control characters or spaces at either end, at most
 * MAIL_DISPLAY_NAME_MAX bytes; NULL, or nothing but spaces: "recours". */
void mail_sender_name(const char *name, struct strbuf *out);

/* Appends an RFC 5322 date ("Sat, 05 Dec 2026 14:19:09 +0000") of t in UTC. */
void mail_format_date(time_t t, struct strbuf *out);

#endif
