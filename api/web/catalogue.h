/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The strings of every page, one catalogue per language, loaded once at start from
 * <web-dir>/i18n/fr.json and en.json: a flat JSON object of key → string. The same files are
 * what the scripts load (web/static/i18n.js fetches /i18n/<lang>.json), so the server's pages
 * and the scripts share one source. Read-only once loaded: any thread may read it. */
#ifndef RECOURS_WEB_CATALOGUE_H
#define RECOURS_WEB_CATALOGUE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/strbuf.h"
#include "web/escape.h"
#include "web/lang.h"

struct web_catalogue;

/* Loads both languages from dir (".../i18n"). Every language must be a JSON object of
 * strings with the same keys as French (a key missing in one language is a bug found at
 * start, not on a page). NULL with the reason in why[0..why_size) on failure. */
struct web_catalogue *web_catalogue_load(const char *dir, char *why, size_t why_size);

/* Frees it; accepts NULL. */
void web_catalogue_free(struct web_catalogue *c);

/* The string of key in lang, or the key itself when absent (visible on the page, so that a
 * gap is noticed, as the scripts do). */
const char *web_t(const struct web_catalogue *c, enum web_lang lang, const char *key);

/* key, or its "_one" form when count (digits) is one (in French zero too) and the catalogue
 * has it: "1 second", not "1 seconds" (as web/static/i18n.js). buf holds the "_one" key. */
const char *web_key_counted(const struct web_catalogue *c, enum web_lang lang, const char *key,
                            const char *count, char *buf, size_t size);

/* The file as loaded, byte for byte, with its entity tag (web/etag.h), for
 * serving it to the scripts. */
const char *web_catalogue_bytes(const struct web_catalogue *c, enum web_lang lang, size_t *len,
                                const char **etag);

/* Appends the template `tmpl` with "{name}" replaced by the value paired with name in params
 * (name, value, name, value, ..., NULL), all of it through the escaper of ctx; a name without
 * a value is left as written. Example: web_format(sb, WEB_TEXT, "{n} claims", (const char
 * *[]){"n", "3", NULL}) → "3 claims". */
void web_format(struct strbuf *sb, enum web_context ctx, const char *tmpl,
                const char *const *params);

/* Writes tmpl to sb with each "{name}" replaced by what put writes for the n bytes of name;
 * put returns false (writing nothing) for a name it does not know, which then stays as
 * written; a value ending in '.' takes a '.' that follows "{name}" (no "Corp.." when a name
 * ends a sentence). The one walk of the pages' templates: the catalogue's (web_expand), the
 * markup's (web_markup), the privacy notice's (web/site.h web_fill_config). */
typedef bool (*web_template_put)(struct strbuf *sb, const char *name, size_t n, const void *ctx);
void web_template(struct strbuf *sb, const char *tmpl, web_template_put put, const void *ctx);

/* The expansion of web_format without escaping, for a value that will itself be a
 * parameter of an escaped template (a list item inside a sentence). */
void web_expand(struct strbuf *plain, const char *tmpl, const char *const *params);

/* web_format of the string of key. */
void web_tf(struct strbuf *sb, const struct web_catalogue *c, enum web_lang lang,
            enum web_context ctx, const char *key, const char *const *params);

/* web_tf as text, each value in its own <bdi>: a name or a title written right to left
 * (Arabic, Hebrew) keeps its order and leaves the sentence's words in theirs (Unicode's
 * bidirectional isolation). For the values people typed: names, titles, addresses. */
void web_tf_isolated(struct strbuf *sb, const struct web_catalogue *c, enum web_lang lang,
                     const char *key, const char *const *params);

/* The string of key through the escaper of ctx. */
void web_te(struct strbuf *sb, const struct web_catalogue *c, enum web_lang lang,
            enum web_context ctx, const char *key);

/* The page's own markup with catalogue texts in it, written as one piece: markup as it is,
 * but "{key}" becomes the string of key through the text escaper and "{=key}" through the
 * attribute's (web_te). Example: web_markup(sb, c, lang, "<h2>{index.open_h2}</h2>\n").
 * markup is this code's own, never a value from outside: values go through web/escape.h. */
void web_markup(struct strbuf *sb, const struct web_catalogue *c, enum web_lang lang,
                const char *markup);

#endif
