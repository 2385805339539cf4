/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Static files from --web-dir. Pages are named by route (/ → index.html, /claim →
 * claim.html); assets live in web/static/ with a strict file-name alphabet, so no path can
 * leave the directory. */
#include "handlers/handlers.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "core/arena.h"
#include "core/fd_io.h"
#include "handlers/page_common.h"
#include "http/gzip.h"
#include "http/problem.h"
#include "web/etag.h"
#include "web/static_page.h"

#define WEB_FILE_MAX (1024 * 1024)

struct media {
    const char *ext;
    const char *type;
};

static const struct media media[] = {
    {".html", "text/html; charset=utf-8"},  {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"}, {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},              {".png", "image/png"},
    {".ico", "image/x-icon"},               {".txt", "text/plain; charset=utf-8"},
};

static const char *
media_type(const char *name)
{
    const char *dot = strrchr(name, '.');

    for (size_t i = 0; dot != NULL && i < sizeof media / sizeof media[0]; i++)
        if (strcmp(dot, media[i].ext) == 0)
            return media[i].type;
    return NULL;
}

static bool
safe_name(const char *name)
{
    size_t n = strlen(name);

    if (n == 0 || n > 100 || name[0] == '.')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_'))
            return false;
    }
    return strstr(name, "..") == NULL;
}

/* The bytes of web/<relative> (a page or an asset, up to WEB_FILE_MAX) in *body (the
 * request's arena), NUL-terminated; false with the refusal in *deny (404 when there is no such
 * file). */
static bool
read_web_file(struct request *rq, const char *relative, const char **body, size_t *len,
              struct reply *deny)
{
    const struct app *app = rq->app;
    const char *path = arena_printf(rq->arena, "%s/%s", app->cfg->web_dir, relative);
    struct stat st;
    bool ok = false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > WEB_FILE_MAX) {
        *deny = problem_reply("not-found", "no such page");
        goto cleanup;
    }
    char *buf = arena_alloc(rq->arena, (size_t)st.st_size + 1);
    size_t got = 0;
    if (!fd_read_all(fd, buf, (size_t)st.st_size, &got) || got != (size_t)st.st_size) {
        *deny = problem_reply("internal-error", "the page could not be read");
        goto cleanup;
    }
    buf[got] = '\0';
    *body = buf;
    *len = got;
    ok = true;
cleanup:
    if (fd >= 0)
        close(fd);
    return ok;
}

/* The answer of a file of web/ whose bytes are body[0..len). */
static struct reply
web_file_reply(struct request *rq, const char *type, const char *body, size_t len)
{
    struct reply r = reply_bytes(200, type, body, len);

    page_security_headers(&r); /* docs/api.md §1.7, as the rendered pages */
    /* the files of web/ hold no secret: compressing them is safe (http/gzip.h) */
    if (http_accepts_gzip(request_header(rq, "Accept-Encoding")))
        reply_gzip(&r);
    else
        reply_add_header(&r, "Vary", "Accept-Encoding");
    return r;
}

static struct reply
serve_file(struct request *rq, const char *relative)
{
    const char *type = media_type(relative);
    const char *body = NULL;
    size_t len = 0;
    struct reply deny;

    if (type == NULL)
        return problem_reply("not-found", "no such page");
    if (!read_web_file(rq, relative, &body, &len, &deny))
        return deny;
    return web_file_reply(rq, type, body, len);
}

/* A static page (the dashboard) arrives in the reader's language, chosen as for the rendered
 * pages (?lang=, the language cookie, Accept-Language: page_ctx): its <html lang> and the
 * texts its script would fill (web/static_page.h), so that a French reader sees no English
 * before the script runs, and a reader without JavaScript, or a screen reader, gets the right
 * language. The answer varies with those headers (never stored: it is no-store as before).
 * ?lang= takes fr or en, else 400, and is remembered in the language cookie, so that the next
 * page the server renders is in the language chosen here. */
struct reply
handle_web_page(struct request *rq)
{
    const char *path = rq->match.route->path; /* the template: "/", "/claim", ... */
    const char *page = strcmp(path, "/") == 0 ? "index" : path + 1;
    const char *body = NULL;
    size_t len = 0;
    struct reply deny;

    if (!page_query_ok(rq, &deny))
        return deny;
    if (!read_web_file(rq, arena_printf(rq->arena, "%s.html", page), &body, &len, &deny))
        return deny;
    struct web_ctx w = page_ctx(rq);
    struct strbuf filled = {0};
    web_static_page_fill(&filled, w.cat, w.lang, body, len);
    struct reply r = web_file_reply(rq, "text/html; charset=utf-8",
                                    filled.data != NULL ? filled.data : "", filled.len);
    strbuf_free(&filled);
    reply_add_header(&r, "Vary", "Accept-Language, Cookie");
    reply_add_header(&r, "Content-Language", web_lang_code(w.lang));
    page_remember_lang(rq, &r);
    return r;
}

/* An asset is revalidated, never kept blind: its bytes change with a deploy and the pages name
 * it without a version, so a cache asks again each time (no-cache), and its ETag (of the bytes
 * sent: the gzip and the plain representation each have their own) lets the cache keep its
 * copy on a 304 without a body. It was no-store: every page view downloaded every script and
 * the stylesheet again, on a phone too. */
static struct reply
revalidated(struct request *rq, struct reply r)
{
    char etag[WEB_ETAG_LEN];

    if (r.status != 200)
        return r;
    web_etag(r.body != NULL ? r.body : "", r.body_len, etag);
    const char *tag = arena_strdup(rq->arena, etag);
    if (web_etag_matches(request_header(rq, "If-None-Match"), tag)) {
        reply_discard(&r);
        r = reply_empty(304);
        reply_add_header(&r, "Vary", "Accept-Encoding");
    }
    reply_add_header(&r, "ETag", tag);
    r.cache_control = "no-cache";
    return r;
}

struct reply
handle_web_asset(struct request *rq)
{
    const char *name = request_param(rq, 0);

    if (!safe_name(name))
        return problem_reply("not-found", "no such file");
    return revalidated(rq, serve_file(rq, arena_printf(rq->arena, "static/%s", name)));
}
