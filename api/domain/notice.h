/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Notices from an association to the members of its action (docs/workspace.md "Notices"): the
 * kinds of notice and which are essential (a rejection, a deadline, a payment: sent to every
 * member, even one who stopped the others), the limits of the texts, and the bytes their
 * digest is taken over (the audit events carry it). */
#ifndef RECOURS_DOMAIN_NOTICE_H
#define RECOURS_DOMAIN_NOTICE_H

#include <stdbool.h>

#include "core/strbuf.h"

#define NOTICE_SUBJECT_MAX 200
#define NOTICE_BODY_MAX 20000

/* information, rejection, deadline, payment (NULL-terminated). */
extern const char *const notice_kinds[];

/* The languages a notice is written in, in the order of its texts (NULL-terminated). */
extern const char *const notice_langs[];
#define NOTICE_N_LANGS 2

/* Whether a notice of kind goes to members who stopped non-essential notices. */
bool notice_kind_essential(const char *kind);

/* The texts of a notice, per language of notice_langs. */
struct notice_texts {
    const char *subject[NOTICE_N_LANGS];
    const char *body[NOTICE_N_LANGS];
};

/* Appends the bytes the texts' digest is taken over: for each language, its code, NUL, the
 * subject, NUL, the body, NUL (no text holds a NUL: the JSON reader refuses it), so that two
 * different sets of texts never give the same bytes. */
void notice_texts_digest_input(const struct notice_texts *t, struct strbuf *out);

#endif
