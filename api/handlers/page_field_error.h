/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The words of a field error of the API (core/errors.h) on a page: the claim form's and
 * /my-claim's, beside the field and in the error summary. */
#ifndef RECOURS_HANDLERS_PAGE_FIELD_ERROR_H
#define RECOURS_HANDLERS_PAGE_FIELD_ERROR_H

#include "core/errors.h"
#include "core/strbuf.h"
#include "web/layout.h"

/* The message of e in the page's language, into sb: the catalogue's err.<field without
 * [i]>.<code>, else err.code.<code>, else the server's English message. {field} is the
 * field's name as posted (an unknown-field names the control a forged form added), cut at 40
 * characters and isolated in its own <bdi>; {example}, an amount as the field wants it in
 * currency (ISO 4217; 120,50 in French for the euro), as web/static/common.js's
 * exampleAmount writes it; {digits} and {postcode}, the form of the postal codes of
 * country (the address's, as posted; domain/postal_codes.h), which the postal code's
 * invalid-format names ("5 digits, like 75001"); {item}, the value posted for a list's
 * element the error names ("data_categories[1]"), cut as {field} ("" when none). */
void page_field_error_message(struct strbuf *sb, const struct web_ctx *w,
                              const struct field_error *e, const char *currency,
                              const char *country, const char *item);

#endif
