/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* One escaper per output context of a server-rendered page (cgit's html.c is the model):
 * every value that did not come from the page's own code goes through exactly one of these,
 * chosen by where it lands. Each appends to a core/strbuf. */
#ifndef RECOURS_WEB_ESCAPE_H
#define RECOURS_WEB_ESCAPE_H

#include "core/strbuf.h"

/* Text between tags: & < > become entities ("<script>" → "&lt;script&gt;"). Quotes are left
 * as they are: they mean nothing in text. NULL appends nothing. */
void html_text(struct strbuf *sb, const char *s);

/* html_text inside its own <bdi>: a value someone typed (a name, an address, a title) that may
 * be written right to left keeps its order and leaves the page's words in theirs (Unicode's
 * bidirectional isolation). */
void html_isolated(struct strbuf *sb, const char *s);

/* The value of an attribute written between double quotes (the only way this code writes
 * attributes): & < > " ' become entities, so the value can neither close the quote nor open
 * a tag. NULL appends nothing. */
void html_attr(struct strbuf *sb, const char *s);

/* <input type="hidden" name="…" value="…"> and a line break, both through html_attr (a NULL
 * value is ""): the forms' hidden fields. */
void html_hidden(struct strbuf *sb, const char *name, const char *value);

/* One component of a URL (a path segment or a query value): every byte outside RFC 3986's
 * unreserved set (A-Z a-z 0-9 - . _ ~) becomes %XX, so "a b/c?d" → "a%20b%2Fc%3Fd". The
 * result contains no character that HTML or an attribute gives a meaning to, so it may be
 * placed in an href as is. NULL appends nothing. */
void url_component(struct strbuf *sb, const char *s);

/* Which escaper a formatted value goes through (web/catalogue.h web_format). */
enum web_context { WEB_TEXT, WEB_ATTR, WEB_URL };

/* s through the escaper of ctx. */
void web_escape(struct strbuf *sb, enum web_context ctx, const char *s);

#endif
