/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* An incident as the site and its messages name it: the company first, then the title
 * ("ACME SA — Customer database leak"), since a title alone does not say whose leak it is,
 * the first thing a reader wary of phishing checks. Plain text: the caller escapes it. */
#ifndef RECOURS_CORE_INCIDENT_NAME_H
#define RECOURS_CORE_INCIDENT_NAME_H

#include "core/strbuf.h"

/* Between the company and the title, for a page whose markup wraps each apart (a <bdi>
 * each, a link on the title alone). */
#define INCIDENT_NAME_SEP " — "

/* Appends "controller — title" to out; the title alone when controller is NULL or "". */
void incident_name(struct strbuf *out, const char *controller, const char *title);

#endif
