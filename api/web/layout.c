/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The page frame (layout.h). Every value from outside this file goes through one escaper of
 * web/escape.h; the catalogue's strings too (they are text, never markup). */
#include "web/layout.h"

#include <string.h>

#include "web/escape.h"
#include "web/site.h"

static const char *const og_locale[WEB_LANG_COUNT] = {"fr_FR", "en_GB"};

void
web_path(struct strbuf *sb, const char *path)
{
    const char *p = path != NULL ? path : "/";

    while (*p != '\0') {
        if (*p == '/') {
            strbuf_puts(sb, "/");
            p++;
            continue;
        }
        size_t n = strcspn(p, "/");
        struct strbuf seg = {0};
        strbuf_append(&seg, p, n);
        url_component(sb, seg.data);
        strbuf_free(&seg);
        p += n;
    }
}

void
web_absolute_url(struct strbuf *sb, const struct web_ctx *w, const char *path,
                 enum web_lang lang)
{
    const char *base = w->cfg->public_url != NULL ? w->cfg->public_url : "";
    size_t n = strlen(base);

    while (n > 0 && base[n - 1] == '/')
        n--;
    strbuf_append(sb, base, n);
    web_path(sb, path);
    if (lang != WEB_LANG_FR)
        strbuf_printf(sb, "?lang=%s", web_lang_code(lang));
}

/* <meta name|property="key" content="value"> */
static void
meta(struct strbuf *sb, const char *attr, const char *key, const char *value)
{
    strbuf_printf(sb, "<meta %s=\"%s\" content=\"", attr, key);
    html_attr(sb, value);
    strbuf_puts(sb, "\">\n");
}

static void
head(struct strbuf *sb, const struct web_ctx *w, const struct web_page *p)
{
    const char *site = web_t(w->cat, w->lang, "site.name");
    struct strbuf url = {0};

    strbuf_printf(sb, "<!doctype html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<meta name=\"color-scheme\" content=\"light\">\n<title>",
                  web_lang_code(w->lang));
    if (p->error)
        web_te(sb, w->cat, w->lang, WEB_TEXT, "errors.prefix");
    html_text(sb, p->title);
    strbuf_puts(sb, " — ");
    html_text(sb, site);
    strbuf_puts(sb, "</title>\n");
    if (p->description != NULL)
        meta(sb, "name", "description", p->description);
    if (p->noindex)
        meta(sb, "name", "robots", "noindex");
    web_absolute_url(&url, w, p->path, w->lang);
    strbuf_puts(sb, "<link rel=\"canonical\" href=\"");
    html_attr(sb, url.data);
    strbuf_puts(sb, "\">\n");
    for (int l = 0; l < WEB_LANG_COUNT; l++) {
        struct strbuf alt = {0};
        web_absolute_url(&alt, w, p->path, (enum web_lang)l);
        strbuf_printf(sb, "<link rel=\"alternate\" hreflang=\"%s\" href=\"",
                      web_lang_code((enum web_lang)l));
        html_attr(sb, alt.data);
        strbuf_puts(sb, "\">\n");
        strbuf_free(&alt);
    }
    if (p->social) {
        meta(sb, "property", "og:type", p->og_type != NULL ? p->og_type : "website");
        meta(sb, "property", "og:site_name", site);
        meta(sb, "property", "og:title", p->title);
        if (p->description != NULL)
            meta(sb, "property", "og:description", p->description);
        meta(sb, "property", "og:url", url.data);
        meta(sb, "property", "og:locale", og_locale[w->lang]);
        meta(sb, "name", "twitter:card", "summary");
        meta(sb, "name", "twitter:title", p->title);
        if (p->description != NULL)
            meta(sb, "name", "twitter:description", p->description);
    }
    strbuf_free(&url);
    strbuf_puts(sb, "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">\n"
                    "<link rel=\"stylesheet\" href=\"/static/style.css\">\n");
    if (p->script != NULL) {
        strbuf_puts(sb, "<script type=\"module\" src=\"");
        html_attr(sb, p->script);
        strbuf_puts(sb, "\"></script>\n");
    }
    strbuf_puts(sb, "</head>\n");
}

static void
nav_item(struct strbuf *sb, const struct web_ctx *w, const struct web_page *p,
         const char *href, const char *key)
{
    strbuf_printf(sb, "<li><a href=\"%s\"%s>", href,
                  p->nav_current != NULL && strcmp(p->nav_current, href) == 0
                      ? " aria-current=\"page\""
                      : "");
    web_te(sb, w->cat, w->lang, WEB_TEXT, key);
    strbuf_puts(sb, "</a></li>");
}

/* The end of one language's control, whatever its kind: its lang, the current one marked,
 * the language's name in itself, then close (the element's end tag and the rest). */
static void
language_label(struct strbuf *sb, const struct web_ctx *w, enum web_lang l, const char *close)
{
    strbuf_printf(sb, " lang=\"%s\"%s%s>", web_lang_code(l),
                  l == w->lang ? " aria-current=\"true\"" : "",
                  l == w->lang && w->switched ? " autofocus" : "");
    web_te(sb, w->cat, l, WEB_TEXT, "lang.name");
    strbuf_puts(sb, close);
}

/* One language's control of the switch. A page answering a post: a form posting the page's
 * fields again (web_page's switch_post), a button in it. A page whose form holds what was
 * typed: a button of that form (switch_form). Otherwise a link to this very page (same path,
 * same kept query) with ?lang=, which the server answers in that language and remembers in a
 * cookie. */
static void
language_control(struct strbuf *sb, const struct web_ctx *w, const struct web_page *p,
                 enum web_lang l)
{
    const char *code = web_lang_code(l);

    if (p->switch_post != NULL && p->switch_post_path != NULL) {
        strbuf_puts(sb, "<li><form method=\"post\" action=\"");
        web_path(sb, p->switch_post_path);
        strbuf_printf(sb, "?lang=%s\">", code);
        for (int i = 0; p->switch_post[i] != NULL && p->switch_post[i + 1] != NULL; i += 2)
            html_hidden(sb, p->switch_post[i], p->switch_post[i + 1]);
        html_hidden(sb, "lang", code);
        strbuf_puts(sb, "<button type=\"submit\" class=\"lang-button\"");
        language_label(sb, w, l, "</button></form></li>");
    } else if (p->switch_form != NULL) {
        strbuf_puts(sb, "<li><button type=\"submit\" form=\"");
        html_attr(sb, p->switch_form);
        strbuf_puts(sb, "\" formaction=\"");
        web_path(sb, p->path);
        strbuf_printf(sb,
                      "?lang=%s\" formnovalidate name=\"switch_lang\" value=\"%s\" "
                      "class=\"lang-button\"",
                      code, code);
        language_label(sb, w, l, "</button></li>");
    } else {
        strbuf_puts(sb, "<li><a class=\"lang-button\" href=\"");
        web_path(sb, p->path);
        strbuf_puts(sb, "?");
        if (p->query_keep != NULL && p->query_keep[0] != '\0') {
            html_attr(sb, p->query_keep);
            strbuf_puts(sb, "&amp;");
        }
        strbuf_printf(sb, "lang=%s\" hreflang=\"%s\"", code, code);
        language_label(sb, w, l, "</a></li>");
    }
}

/* The switch: one control per language (language_control). */
static void
language_switch(struct strbuf *sb, const struct web_ctx *w, const struct web_page *p)
{
    strbuf_puts(sb, "<nav class=\"lang-switch\" aria-label=\"");
    web_te(sb, w->cat, w->lang, WEB_ATTR, "lang.group");
    strbuf_puts(sb, "\"><ul>");
    for (int l = 0; l < WEB_LANG_COUNT; l++)
        language_control(sb, w, p, (enum web_lang)l);
    strbuf_puts(sb, "</ul></nav>");
}

void
web_layout_begin(struct strbuf *sb, const struct web_ctx *w, const struct web_page *p)
{
    head(sb, w, p);
    strbuf_puts(sb, "<body>\n");
    if (p->switch_form != NULL) {
        /* the form's default button, before the switch's (web_page's switch_form): out of
         * sight, out of the tab order and of the accessibility tree, rendered (a browser
         * skips a button it does not render) */
        strbuf_puts(sb, "<button type=\"submit\" form=\"");
        html_attr(sb, p->switch_form);
        strbuf_puts(sb, "\" class=\"visually-hidden\" tabindex=\"-1\" aria-hidden=\"true\">"
                        "</button>\n");
    }
    web_markup(sb, w->cat, w->lang,
               "<a class=\"skip-link\" href=\"#main\">{common.skip}</a>\n"
               "<header class=\"site-header\">\n<div class=\"wrap header-inner\">\n"
               "<a class=\"brand\" href=\"/\">{site.name}</a>\n"
               "<nav class=\"site-nav\" aria-label=\"{=nav.label}\"><ul>");
    nav_item(sb, w, p, "/", "nav.incidents");
    nav_item(sb, w, p, "/my-claim", "nav.my_claim");
    nav_item(sb, w, p, "/dashboard", "nav.associations");
    strbuf_puts(sb, "</ul></nav>\n");
    language_switch(sb, w, p);
    strbuf_puts(sb, "\n</div>\n</header>\n<main id=\"main\" class=\"wrap\" tabindex=\"-1\">\n");
    if (p->h1) {
        strbuf_puts(sb, "<h1>");
        web_escape(sb, WEB_TEXT, p->title);
        strbuf_puts(sb, "</h1>\n");
    }
}

/* The value of the operator's setting flag, its default in the page's language
 * (web_setting_plain). */
static void
setting_text(struct strbuf *sb, const struct web_ctx *w, const char *flag, const char *value)
{
    struct strbuf said = {0};

    web_setting_plain(&said, w->cat, w->lang, w->cfg, flag, value);
    html_text(sb, said.data != NULL ? said.data : "");
    strbuf_free(&said);
}

/* A footer line "label: value" when the value is configured. */
static void
footer_fact(struct strbuf *sb, const struct web_ctx *w, const char *key, const char *flag,
            const char *value)
{
    if (value == NULL || value[0] == '\0')
        return;
    strbuf_puts(sb, "<li>");
    web_te(sb, w->cat, w->lang, WEB_TEXT, key);
    web_te(sb, w->cat, w->lang, WEB_TEXT, "common.label_sep");
    setting_text(sb, w, flag, value);
    strbuf_puts(sb, "</li>");
}

void
web_layout_end(struct strbuf *sb, const struct web_ctx *w)
{
    const struct config *cfg = w->cfg;

    strbuf_puts(sb, "</main>\n<footer class=\"site-footer\">\n<div class=\"wrap\">\n"
                    "<ul class=\"operator\">");
    footer_fact(sb, w, "footer.operator", "operator-name", cfg->operator_name);
    footer_fact(sb, w, "footer.address", "operator-address", cfg->operator_address);
    if (cfg->operator_email != NULL && cfg->operator_email[0] != '\0') {
        strbuf_puts(sb, "<li>");
        web_te(sb, w->cat, w->lang, WEB_TEXT, "footer.contact");
        web_te(sb, w->cat, w->lang, WEB_TEXT, "common.label_sep");
        if (strchr(cfg->operator_email, '@') != NULL) {
            strbuf_puts(sb, "<a href=\"mailto:");
            html_attr(sb, cfg->operator_email);
            strbuf_puts(sb, "\">");
            html_text(sb, cfg->operator_email);
            strbuf_puts(sb, "</a>");
        } else {
            setting_text(sb, w, "operator-email", cfg->operator_email); /* left unset */
        }
        strbuf_puts(sb, "</li>");
    }
    web_markup(sb, w->cat, w->lang,
               "</ul>\n<ul class=\"footer-links\">"
               "<li><a href=\"/legal\">{footer.legal}</a></li>"
               "<li><a href=\"/privacy\">{footer.privacy}</a></li>"
               "<li><a href=\"/accessibility\">{footer.accessibility}</a></li>"
               "</ul>\n<p>{footer.text}</p>\n</div>\n</footer>\n</body>\n</html>\n");
}
