/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Shared answers of the rendered pages (page_common.h). */
#include "handlers/page_common.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/arena.h"
#include "domain/uuid.h"
#include "handlers/evidence_page.h"
#include "handlers/guard.h"
#include "handlers/incidents.h"
#include "handlers/public_cache.h"
#include "http/accept.h"
#include "http/outcome.h"
#include "http/problem.h"
#include "web/escape.h"
#include "web/etag.h"
#include "web/format.h"

bool
page_query_ok(const struct request *rq, struct reply *deny)
{
    const char *lang = request_query(rq, "lang");
    enum web_lang l;

    if (lang == NULL || (web_lang_parse(lang, &l) && strcmp(lang, web_lang_code(l)) == 0))
        return true;
    *deny = guard_bad_parameter("lang", "lang must be fr or en");
    return false;
}

struct web_ctx
page_ctx(const struct request *rq)
{
    const struct app *app = rq->app;
    struct web_ctx w = {
        .cat = app->site->catalogue,
        .cfg = app->cfg,
        .lang = web_lang_choose(request_query(rq, "lang"), request_header(rq, "Cookie"),
                                request_header(rq, "Accept-Language")),
    };
    return w;
}

bool
page_lang_chosen(const struct request *rq)
{
    enum web_lang l;
    char value[8];

    return web_lang_parse(request_query(rq, "lang"), &l) ||
           (web_cookie_value(request_header(rq, "Cookie"), WEB_LANG_COOKIE, value, sizeof value) &&
            web_lang_parse(value, &l));
}

void
page_security_headers(struct reply *r)
{
    reply_add_header(r, "Content-Security-Policy",
                     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' "
                     "data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                     "form-action 'self'; frame-ancestors 'none'");
    reply_add_header(r, "Referrer-Policy", "no-referrer");
    reply_add_header(r, "X-Frame-Options", "DENY");
}

bool
page_remember_lang(struct request *rq, struct reply *r)
{
    enum web_lang chosen;

    if (!web_lang_parse(request_query(rq, "lang"), &chosen))
        return false;
    reply_add_header(r, "Set-Cookie",
                     arena_printf(rq->arena, "%s=%s; Path=/; Max-Age=31536000; SameSite=Lax%s",
                                  WEB_LANG_COOKIE, web_lang_code(chosen),
                                  ((const struct app *)rq->app)->tls ? "; Secure" : ""));
    return true;
}

struct reply
page_reply(struct request *rq, const struct web_ctx *w, int status, struct strbuf *body,
           const char *cache_control)
{
    char etag[WEB_ETAG_LEN];
    struct reply r;

    web_etag(body->data != NULL ? body->data : "", body->len, etag);
    if (status == 200 && web_etag_matches(request_header(rq, "If-None-Match"), etag)) {
        strbuf_free(body);
        r = reply_empty(304);
    } else {
        r = reply_bytes(status, "text/html; charset=utf-8", body->data != NULL ? body->data : "",
                        body->len);
        strbuf_free(body);
        page_security_headers(&r);
    }
    bool set_cookie = page_remember_lang(rq, &r);
    if (status == 200) {
        reply_add_header(&r, "ETag", arena_strdup(rq->arena, etag));
        /* a reply that sets the cookie is this reader's: a shared cache must not keep it; a
         * page no cache may keep (NULL: no-store) stays so */
        r.cache_control =
            set_cookie && cache_control != NULL ? "private, max-age=0" : cache_control;
    }
    reply_add_header(&r, "Vary", "Accept-Language, Cookie");
    reply_add_header(&r, "Content-Language", web_lang_code(w->lang));
    return r;
}

/* Whether rq names a language the site does not have (?lang=de): page_query_ok's 400. */
static bool
asks_unknown_lang(const struct request *rq)
{
    struct reply deny = {0};

    if (page_query_ok(rq, &deny))
        return false;
    reply_discard(&deny);
    return true;
}

/* The page's own query but its language (the parameters the pages read: api/openapi.json),
 * URL-encoded, for the links of lang_page; "" when none. */
static const char *
query_without_lang(struct request *rq)
{
    static const char *const kept[] = {"incident", "action", "recover"};
    struct strbuf q = {0};

    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
        const char *v = request_query(rq, kept[i]);
        if (v == NULL)
            continue;
        strbuf_printf(&q, "%s%s=", q.len > 0 ? "&" : "", kept[i]);
        url_component(&q, v);
    }
    const char *out = arena_strdup(rq->arena, q.data != NULL ? q.data : "");
    strbuf_free(&q);
    return out;
}

/* ?lang= names a language the site does not have (a link edited by hand, a translation
 * tool's): the 400 says which languages there are and links to this very page in each, every
 * link in its own language, rather than "the request could not be processed" in a language
 * the reader may not read either. */
static struct reply
lang_page(struct request *rq)
{
    struct web_ctx w = page_ctx(rq);
    struct strbuf sb = {0};
    const char *query = query_without_lang(rq);
    struct web_page p = {
        .title = web_t(w.cat, w.lang, "page.error.lang.title"),
        .path = rq->path,
        .query_keep = query,
        .noindex = true,
        .h1 = true,
        .error = true,
    };

    web_layout_begin(&sb, &w, &p);
    web_markup(&sb, w.cat, w.lang,
               "<p>{page.error.lang.body}</p>\n<ul class=\"actions\" "
               "id=\"lang-choices\">\n");
    for (int l = 0; l < WEB_LANG_COUNT; l++) {
        const char *code = web_lang_code((enum web_lang)l);
        strbuf_printf(&sb, "<li><a class=\"button %s\" lang=\"%s\" hreflang=\"%s\" href=\"",
                      l == (int)w.lang ? "primary" : "secondary", code, code);
        web_path(&sb, rq->path);
        strbuf_puts(&sb, "?");
        if (query[0] != '\0') {
            html_attr(&sb, query);
            strbuf_puts(&sb, "&amp;");
        }
        strbuf_printf(&sb, "lang=%s\">", code);
        web_te(&sb, w.cat, (enum web_lang)l, WEB_TEXT, "page.error.lang.read");
        strbuf_puts(&sb, "</a></li>\n");
    }
    strbuf_puts(&sb, "</ul>\n");
    web_layout_end(&sb, &w);
    return page_reply(rq, &w, 400, &sb, NULL);
}

/* The problem document of a page's refusal of this status, for an API client; false where
 * there is none (403: a cross-site form post, refused to browsers only) */
static bool
status_problem(int status, struct reply *out)
{
    static const struct {
        int status;
        const char *name;
        const char *detail;
    } problems[] = {
        {400, "malformed-request", "the request is malformed"},
        {404, "not-found", "no such resource"},
        {405, "method-not-allowed", "this resource does not allow the method"},
        {413, "payload-too-large", "the request body exceeds the limit"},
        {415, "unsupported-media-type", "the body is not in the encoding of this form"},
        {503, "service-unavailable", "the service is unavailable, try again shortly"},
    };

    for (size_t i = 0; i < sizeof problems / sizeof problems[0]; i++)
        if (problems[i].status == status) {
            *out = problem_reply(problems[i].name, problems[i].detail);
            return true;
        }
    if (status < 500)
        return false;
    *out = problem_reply("internal-error", "the server could not answer");
    return true;
}

static bool
is_evidence_post(const struct request *rq)
{
    return strcmp(rq->path, "/my-claim/evidence") == 0;
}

/* The path an error page's language switch links to: its own, but the evidence form's
 * /my-claim/evidence is a post's address with no page (a GET there is 405): the switch of its
 * refusal (413, a file too large) leads to /my-claim, where the form is, not to a second
 * error page. */
static const char *
error_switch_path(const struct request *rq)
{
    return is_evidence_post(rq) ? "/my-claim" : rq->path;
}

struct reply
page_error(struct request *rq, int status)
{
    /* a page's handler refuses with its page, but only a browser reads it: every other
     * client, curl and fetch() included, keeps the problem document (docs/api.md §15.3) */
    struct reply problem;
    if (!accept_prefers_html(request_header(rq, "Accept")) && status_problem(status, &problem))
        return problem;
    if (status == 400 && strncmp(rq->path, "/v1/", 4) != 0 && asks_unknown_lang(rq))
        return lang_page(rq);
    struct web_ctx w = page_ctx(rq);
    struct strbuf sb = {0};
    char key[96];
    /* 413: a body refused unread (a file above --evidence-max-bytes without JavaScript),
     * where no page of the form can be shown again: say what to do about it */
    const char *which = status == 404   ? "not_found"
                        : status == 405 ? "not_allowed"
                        : status == 413 ? "too_large"
                        : status >= 500 ? "server"
                                        : "other";

    snprintf(key, sizeof key, "page.error.%s.title", which);
    struct web_page p = {
        .title = web_t(w.cat, w.lang, key),
        .path = error_switch_path(rq),
        .noindex = true,
        .h1 = true,
        .error = true,
    };
    web_layout_begin(&sb, &w, &p);
    strbuf_puts(&sb, "<p>");
    /* a file too large for the evidence form: the limit, as the form says it */
    struct strbuf size = {0};
    if (status == 413 && is_evidence_post(rq))
        evidence_size_text(&size, &w, w.cfg->evidence_max_bytes);
    snprintf(key, sizeof key, "page.error.%s.%s", which, size.data != NULL ? "file_body" : "body");
    web_tf(
        &sb, w.cat, w.lang, WEB_TEXT, key,
        (const char *[]){"status", arena_printf(rq->arena, "%d", status), "size", size.data, NULL});
    strbuf_free(&size);
    strbuf_puts(&sb, "</p>\n<p><a class=\"button primary\" href=\"/\">");
    web_te(&sb, w.cat, w.lang, WEB_TEXT, "page.error.home");
    strbuf_puts(&sb, "</a></p>\n");
    web_layout_end(&sb, &w);
    return page_reply(rq, &w, status, &sb, NULL);
}

/* The page of the document kind/key rendered into sb; false with *deny (its outcome's
 * problem) when the document cannot be read. */
static bool
render_doc(struct request *rq, const struct web_ctx *w, enum public_doc kind, const char *key,
           page_render_fn render, struct strbuf *sb, struct reply *deny)
{
    const char *text = NULL;
    enum outcome o = svc_rq_public_doc(kind, key, rq->arena, &text);
    json_t *doc = o == OUTCOME_OK ? json_loads(text, 0, NULL) : NULL;

    if (doc == NULL) {
        *deny = reply_outcome(o == OUTCOME_OK ? OUTCOME_INTERNAL : o, NULL);
        return false;
    }
    render(rq, w, doc, sb);
    json_decref(doc);
    return true;
}

/* The public documents' pages: the path before the key (the cache's scope), how a key is
 * checked so that nothing else reaches the database or the cache, and what a bad one is. */
static const struct {
    const char *path;
    bool (*key_ok)(const char *key); /* NULL: the page has no key */
    const char *unknown;
} doc_pages[] = {
    [PUBLIC_DOC_HOME] = {"/", NULL, NULL},
    [PUBLIC_DOC_INCIDENT] = {"/i/", incident_slug_is_valid, "no such incident"},
    [PUBLIC_DOC_ACTION] = {"/a/", uuid_is_valid, "no such action"},
};

struct reply
page_render_cached(struct request *rq, enum public_doc kind, page_render_fn render,
                   const char *cache_control)
{
    const char *key = doc_pages[kind].key_ok != NULL ? request_param(rq, 0) : NULL;
    struct web_ctx w = page_ctx(rq);
    struct public_cache_ticket ticket;
    struct strbuf sb = {0};
    struct reply deny;
    char *cached = NULL;
    size_t len = 0;

    if (key != NULL && !doc_pages[kind].key_ok(key))
        return problem_reply("not-found", doc_pages[kind].unknown);
    if (!page_query_ok(rq, &deny))
        return deny;
    const char *scope =
        arena_printf(rq->arena, "page:%s%s", doc_pages[kind].path, key != NULL ? key : "");
    enum public_cache_verdict v =
        public_cache_get(scope, web_lang_code(w.lang), &cached, &len, &ticket);
    if (v == PUBLIC_CACHE_HIT) {
        strbuf_append(&sb, cached, len);
        free(cached);
        return page_reply(rq, &w, 200, &sb, cache_control);
    }
    bool ok = render_doc(rq, &w, kind, key, render, &sb, &deny);
    if (v == PUBLIC_CACHE_LEAD)
        public_cache_put(&ticket, ok ? sb.data : NULL, ok ? sb.len : 0);
    if (!ok) {
        strbuf_free(&sb);
        return deny;
    }
    return page_reply(rq, &w, 200, &sb, cache_control);
}

const char *
pj_str(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

int64_t
pj_int(const json_t *obj, const char *key)
{
    return (int64_t)json_integer_value(json_object_get(obj, key));
}

void
page_fact_begin(struct strbuf *sb, const struct web_ctx *w, const char *label_key)
{
    strbuf_puts(sb, "<div><dt>");
    web_te(sb, w->cat, w->lang, WEB_TEXT, label_key);
    strbuf_puts(sb, "</dt><dd>");
}

void
page_fact_end(struct strbuf *sb)
{
    strbuf_puts(sb, "</dd></div>\n");
}

void
page_fact_text(struct strbuf *sb, const struct web_ctx *w, const char *label_key,
               const char *text)
{
    page_fact_begin(sb, w, label_key);
    html_text(sb, text);
    page_fact_end(sb);
}

void
page_fact_int(struct strbuf *sb, const struct web_ctx *w, const char *label_key, int64_t v)
{
    page_fact_begin(sb, w, label_key);
    web_format_int(sb, w->lang, v);
    page_fact_end(sb);
}

void
page_fact_word(struct strbuf *sb, const struct web_ctx *w, const char *label_key,
               const char *text_key)
{
    page_fact_begin(sb, w, label_key);
    web_te(sb, w->cat, w->lang, WEB_TEXT, text_key);
    page_fact_end(sb);
}
