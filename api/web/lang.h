/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The page languages and how a request picks one: ?lang=, then the cookie the language
 * switch sets, then Accept-Language, else French (docs/decisions.md "Public pages"). */
#ifndef RECOURS_WEB_LANG_H
#define RECOURS_WEB_LANG_H

#include <stdbool.h>

enum web_lang { WEB_LANG_FR, WEB_LANG_EN, WEB_LANG_COUNT };

/* The name of the cookie the language switch sets ("lang=en"). */
#define WEB_LANG_COOKIE "lang"

/* "fr", "en". */
const char *web_lang_code(enum web_lang lang);

/* The language of a code ("fr", "en", case-insensitive); false for any other. */
bool web_lang_parse(const char *code, enum web_lang *out);

/* The language of a request from its ?lang= value, its Cookie header and its
 * Accept-Language header (each may be NULL). An unknown ?lang= or cookie value is ignored.
 * Accept-Language: the supported language with the highest q (first listed on a tie;
 * "en-GB" counts as "en", q=0 refuses). */
enum web_lang web_lang_choose(const char *query, const char *cookie, const char *accept_language);

/* The value of cookie `name` in a Cookie header ("a=1; lang=en" → "en") copied into
 * out[0..size), or false when absent or longer. */
bool web_cookie_value(const char *cookie, const char *name, char *out, unsigned size);

#endif
