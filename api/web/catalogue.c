/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The string catalogue (catalogue.h), kept as jansson objects: lookups are hash reads of
 * objects nobody modifies after start, which jansson allows from any thread. */
#include "web/catalogue.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "web/etag.h"
#include "web/text_file.h"

#define CATALOGUE_FILE_MAX (1024 * 1024)

struct web_catalogue {
    json_t *strings[WEB_LANG_COUNT];
    char *bytes[WEB_LANG_COUNT];
    size_t len[WEB_LANG_COUNT];
    char etag[WEB_LANG_COUNT][WEB_ETAG_LEN];
};

static bool
load_one(struct web_catalogue *c, const char *dir, enum web_lang lang, char *why,
         size_t why_size)
{
    char path[4096];
    json_error_t err;
    const char *key;
    json_t *value;

    snprintf(path, sizeof path, "%s/%s.json", dir, web_lang_code(lang));
    c->bytes[lang] = web_read_text_file(path, CATALOGUE_FILE_MAX, &c->len[lang]);
    if (c->bytes[lang] == NULL) {
        snprintf(why, why_size, "%s: %s", path, strerror(errno));
        return false;
    }
    c->strings[lang] = json_loadb(c->bytes[lang], c->len[lang], JSON_REJECT_DUPLICATES, &err);
    if (c->strings[lang] == NULL || !json_is_object(c->strings[lang])) {
        snprintf(why, why_size, "%s:%d: %s", path, err.line,
                 c->strings[lang] == NULL ? err.text : "not a JSON object");
        return false;
    }
    json_object_foreach(c->strings[lang], key, value) {
        if (!json_is_string(value)) {
            snprintf(why, why_size, "%s: %s is not a string", path, key);
            return false;
        }
    }
    web_etag(c->bytes[lang], c->len[lang], c->etag[lang]);
    return true;
}

/* Every language has exactly French's keys. */
static bool
same_keys(const struct web_catalogue *c, char *why, size_t why_size)
{
    const char *key;
    json_t *value;

    for (int l = 1; l < WEB_LANG_COUNT; l++) {
        json_object_foreach(c->strings[WEB_LANG_FR], key, value) {
            if (json_object_get(c->strings[l], key) == NULL) {
                snprintf(why, why_size, "i18n/%s.json lacks %s", web_lang_code((enum web_lang)l), key);
                return false;
            }
        }
        json_object_foreach(c->strings[l], key, value) {
            if (json_object_get(c->strings[WEB_LANG_FR], key) == NULL) {
                snprintf(why, why_size, "i18n/fr.json lacks %s", key);
                return false;
            }
        }
    }
    return true;
}

struct web_catalogue *
web_catalogue_load(const char *dir, char *why, size_t why_size)
{
    struct web_catalogue *c = xcalloc(1, sizeof *c);

    for (int l = 0; l < WEB_LANG_COUNT; l++) {
        if (!load_one(c, dir, (enum web_lang)l, why, why_size)) {
            web_catalogue_free(c);
            return NULL;
        }
    }
    if (!same_keys(c, why, why_size)) {
        web_catalogue_free(c);
        return NULL;
    }
    return c;
}

void
web_catalogue_free(struct web_catalogue *c)
{
    if (c == NULL)
        return;
    for (int l = 0; l < WEB_LANG_COUNT; l++) {
        json_decref(c->strings[l]);
        free(c->bytes[l]);
    }
    free(c);
}

const char *
web_t(const struct web_catalogue *c, enum web_lang lang, const char *key)
{
    if ((unsigned)lang >= WEB_LANG_COUNT)
        lang = WEB_LANG_FR;
    const char *s = json_string_value(json_object_get(c->strings[lang], key));
    return s != NULL ? s : key;
}

const char *
web_key_counted(const struct web_catalogue *c, enum web_lang lang, const char *key,
                const char *count, char *buf, size_t size)
{
    bool one = count != NULL &&
               (strcmp(count, "1") == 0 || (lang == WEB_LANG_FR && strcmp(count, "0") == 0));
    int n = one ? snprintf(buf, size, "%s_one", key) : -1;

    if (n < 0 || (size_t)n >= size || strcmp(web_t(c, lang, buf), buf) == 0)
        return key;
    return buf;
}

const char *
web_catalogue_bytes(const struct web_catalogue *c, enum web_lang lang, size_t *len,
                    const char **etag)
{
    *len = c->len[lang];
    *etag = c->etag[lang];
    return c->bytes[lang];
}

/* Whether sb ends with a full stop, one an isolated value (web_tf_isolated) closes included. */
static bool
ends_with_stop(const struct strbuf *sb)
{
    static const char close[] = ".</bdi>";
    size_t n = sizeof close - 1;

    if (sb->len >= n && memcmp(sb->data + sb->len - n, close, n) == 0)
        return true;
    return sb->len > 0 && sb->data[sb->len - 1] == '.';
}

void
web_template(struct strbuf *sb, const char *tmpl, web_template_put put, const void *ctx)
{
    const char *p = tmpl;

    while (*p != '\0') {
        const char *open = strchr(p, '{');
        const char *close = open != NULL ? strchr(open, '}') : NULL;
        if (close == NULL) {
            strbuf_puts(sb, p);
            return;
        }
        strbuf_append(sb, p, (size_t)(open - p));
        if (put(sb, open + 1, (size_t)(close - open - 1), ctx)) {
            p = close + 1;
            /* a value that ends its own sentence ("Coupang Corp.") takes the template's full
             * stop; an ellipsis ("{x}...") is left whole */
            if (p[0] == '.' && p[1] != '.' && ends_with_stop(sb))
                p++;
        } else {
            strbuf_append(sb, open, 1);
            p = open + 1;
        }
    }
}

/* The value paired with the n bytes of name in params (name, value, ..., NULL), or NULL. */
static const char *
param_value(const char *const *params, const char *name, size_t n)
{
    for (size_t i = 0; params != NULL && params[i] != NULL && params[i + 1] != NULL; i += 2)
        if (strlen(params[i]) == n && strncmp(params[i], name, n) == 0)
            return params[i + 1];
    return NULL;
}

/* The value of name, as it is. */
static bool
put_param(struct strbuf *sb, const char *name, size_t n, const void *ctx)
{
    const char *value = param_value(ctx, name, n);

    if (value != NULL)
        strbuf_puts(sb, value);
    return value != NULL;
}

void
web_expand(struct strbuf *plain, const char *tmpl, const char *const *params)
{
    web_template(plain, tmpl, put_param, params);
}

void
web_format(struct strbuf *sb, enum web_context ctx, const char *tmpl, const char *const *params)
{
    struct strbuf plain = {0};

    /* expanded first, escaped once: a value cannot smuggle a "{name}" into a second pass,
     * and template and values meet the same escaper */
    web_expand(&plain, tmpl, params);
    web_escape(sb, ctx, plain.data != NULL ? plain.data : "");
    strbuf_free(&plain);
}

void
web_tf(struct strbuf *sb, const struct web_catalogue *c, enum web_lang lang,
       enum web_context ctx, const char *key, const char *const *params)
{
    web_format(sb, ctx, web_t(c, lang, key), params);
}

/* Each value escaped as text inside its own <bdi> (web_tf_isolated). */
static bool
put_isolated(struct strbuf *sb, const char *name, size_t n, const void *ctx)
{
    const char *value = param_value(ctx, name, n);

    if (value != NULL)
        html_isolated(sb, value);
    return value != NULL;
}

void
web_tf_isolated(struct strbuf *sb, const struct web_catalogue *c, enum web_lang lang,
                const char *key, const char *const *params)
{
    struct strbuf sentence = {0};

    /* the sentence escaped first (its "{name}" untouched by the escaper), then each value
     * escaped on its own: a value cannot bring a "{name}" of its own into the sentence */
    web_escape(&sentence, WEB_TEXT, web_t(c, lang, key));
    web_template(sb, sentence.data != NULL ? sentence.data : "", put_isolated, params);
    strbuf_free(&sentence);
}

void
web_te(struct strbuf *sb, const struct web_catalogue *c, enum web_lang lang,
       enum web_context ctx, const char *key)
{
    web_escape(sb, ctx, web_t(c, lang, key));
}

/* The catalogue's text of key ("=key": for an attribute) escaped, for web_markup. */
struct markup_ctx {
    const struct web_catalogue *c;
    enum web_lang lang;
};

static bool
put_text(struct strbuf *sb, const char *name, size_t n, const void *ctx)
{
    const struct markup_ctx *m = ctx;
    bool attr = n > 0 && name[0] == '=';
    char key[128];

    snprintf(key, sizeof key, "%.*s", (int)(n - attr), name + attr);
    web_te(sb, m->c, m->lang, attr ? WEB_ATTR : WEB_TEXT, key);
    return true;
}

void
web_markup(struct strbuf *sb, const struct web_catalogue *c, enum web_lang lang,
           const char *markup)
{
    const struct markup_ctx m = {c, lang};

    web_template(sb, markup, put_text, &m);
}
