/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A page of web/ written as a file (the dashboard), served in the reader's language: its
 * script fills the elements marked data-i18n="key" (text) and data-i18n-attr="attr:key;…"
 * (attributes) from the catalogue, but only once it has run; until then (and for a reader
 * without JavaScript, and for a screen reader reading the page as it arrives) the file's own
 * words and its <html lang> stood, English whatever the reader's language. The server fills
 * the same marks from the same catalogue before sending the page, so that it arrives in the
 * language the rendered pages would choose (web/lang.h). */
#ifndef RECOURS_WEB_STATIC_PAGE_H
#define RECOURS_WEB_STATIC_PAGE_H

#include <stddef.h>

#include "core/strbuf.h"
#include "web/catalogue.h"
#include "web/lang.h"

/* Appends html[0..len) to out with: the value of <html lang="…"> set to lang's code; the text
 * of each element marked data-i18n="key" (up to its next tag: a marked element holds text
 * only) replaced by the string of key, escaped as text; after each data-i18n-attr="a:k;b:k",
 * the attributes a="…" and b="…" with the strings of k, escaped as attribute values (the page
 * must not carry those attributes itself). Comments are copied as they are. The page is this
 * repository's own file, never input from outside; the strings are escaped all the same. */
void web_static_page_fill(struct strbuf *out, const struct web_catalogue *c, enum web_lang lang,
                          const char *html, size_t len);

#endif
