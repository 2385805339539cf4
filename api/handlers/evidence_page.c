/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See evidence_page.h. */
#include "handlers/evidence_page.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/arena.h"
#include "core/xalloc.h"
#include "handlers/evidence.h"
#include "handlers/form_origin.h"
#include "handlers/handlers.h"
#include "handlers/page_common.h"
#include "handlers/page_parts.h"
#include "http/multipart.h"
#include "web/catalogue.h"
#include "web/escape.h"
#include "web/format.h"
#include "web/section.h"

/* What the form adds to the file: its fields and the multipart framing */
#define FORM_OVERHEAD (64 * 1024)
#define FIELD_MAX 128

enum field { F_NONE, F_REFERENCE, F_TOKEN, F_LANG, F_REMOVE, F_FILE, F_OTHER };

struct form_post {
    const struct secrets *s;
    struct evidence_limits lim;
    struct multipart *mp;
    enum multipart_status status;
    enum field in; /* the part being read */
    char fields[F_REMOVE + 1][FIELD_MAX + 1];
    size_t lens[F_REMOVE + 1];
    bool too_long;
    bool has_file;       /* a file part with a file chosen */
    enum outcome begun;  /* the upload's admission (OUTCOME_OK: u is set) */
    struct evidence_upload *u;
};

int64_t
evidence_form_limit(const void *app)
{
    return evidence_limits_of(app).max_bytes + FORM_OVERHEAD;
}

static bool
part_begin(void *ctx, const char *name, const char *filename)
{
    struct form_post *p = ctx;
    static const char *const names[] = {[F_REFERENCE] = "reference", [F_TOKEN] = "token",
                                        [F_LANG] = "lang", [F_REMOVE] = "remove"};

    p->in = F_OTHER;
    for (int f = F_REFERENCE; f <= F_REMOVE; f++)
        if (strcmp(name, names[f]) == 0 && filename == NULL)
            p->in = (enum field)f;
    if (strcmp(name, "file") != 0 || filename == NULL)
        return true;
    /* no file chosen; or a second file part (a crafted post: the input takes one file):
     * ignored, its bytes with it, not appended to the first file's */
    if (filename[0] == '\0' || p->has_file)
        return true;
    p->in = F_FILE;
    p->has_file = true;
    /* admitted now, before its bytes: the claim's fields came first in the form */
    p->begun = svc_rq_evidence_begin(p->s, &p->lim, p->fields[F_REFERENCE],
                                     p->fields[F_TOKEN], filename, &p->u);
    return true;
}

static bool
part_data(void *ctx, const char *data, size_t n)
{
    struct form_post *p = ctx;

    if (p->in == F_FILE) {
        if (p->u != NULL)
            svc_rq_evidence_write(p->u, data, n);
    } else if (p->in != F_OTHER) {
        if (p->lens[p->in] + n > FIELD_MAX) {
            p->too_long = true;
            return false;
        }
        memcpy(p->fields[p->in] + p->lens[p->in], data, n);
        p->lens[p->in] += n;
        p->fields[p->in][p->lens[p->in]] = '\0';
    }
    return true;
}

static bool
part_end(void *ctx)
{
    ((struct form_post *)ctx)->in = F_NONE;
    return true;
}

static const struct multipart_handlers form_parts = {part_begin, part_data, part_end};

static void
form_write(void *ctx, const char *data, size_t n)
{
    struct form_post *p = ctx;

    if (p->status == MULTIPART_OK)
        p->status = multipart_feed(p->mp, data, n);
}

static void
form_end(void *ctx)
{
    struct form_post *p = ctx;

    svc_rq_evidence_end(p->u);
    multipart_free(p->mp);
    OPENSSL_cleanse(p->fields, sizeof p->fields);
    free(p);
}

bool
evidence_form_open(struct request *rq, struct body_sink *sink, struct reply *refusal)
{
    if (!form_origin_is_same_site(request_header(rq, "Sec-Fetch-Site"),
                                  request_header(rq, "Origin"), request_header(rq, "Host"))) {
        *refusal = page_error(rq, 403);
        return false;
    }
    struct form_post *p = xcalloc(1, sizeof *p);
    p->mp = multipart_new(request_header(rq, "Content-Type"), &form_parts, p);
    if (p->mp == NULL) {
        free(p);
        *refusal = page_error(rq, 415);
        return false;
    }
    p->s = app_secrets(rq->app);
    p->lim = evidence_limits_of(rq->app);
    p->begun = OUTCOME_OK;
    *sink = (struct body_sink){form_write, form_end, p};
    return true;
}

const struct evidence_list *
evidence_page_list(struct request *rq, const char *reference, const char *token)
{
    struct evidence_limits lim = evidence_limits_of(rq->app);
    struct evidence_list *l = arena_alloc(rq->arena, sizeof *l);

    if (reference == NULL || token == NULL ||
        svc_rq_evidence_list_own(app_secrets(rq->app), &lim, reference, token, rq->arena, l) !=
            OUTCOME_OK ||
        (!l->can_change && l->n == 0))
        return NULL;
    return l;
}

/* A form to /my-claim/evidence, the claim's fields first (the reader needs them before a
 * file's bytes). */
static void
form_open(struct strbuf *sb, const struct web_ctx *w, const char *id, const char *reference,
          const char *token)
{
    strbuf_printf(sb, "<form id=\"%s\" method=\"post\" action=\"/my-claim/evidence?lang=%s\""
                      " enctype=\"multipart/form-data\" novalidate>\n",
                  id, web_lang_code(w->lang));
    html_hidden(sb, "reference", reference);
    html_hidden(sb, "token", token);
    html_hidden(sb, "lang", web_lang_code(w->lang));
}

void
evidence_size_text(struct strbuf *sb, const struct web_ctx *w, int64_t bytes)
{
    bool fr = w->lang == WEB_LANG_FR;

    if (bytes >= 1024 * 1024) {
        int64_t tenths = bytes * 10 / (1024 * 1024);
        web_format_int(sb, w->lang, tenths / 10);
        if (tenths % 10 != 0)
            strbuf_printf(sb, "%c%d", fr ? ',' : '.', (int)(tenths % 10));
        strbuf_puts(sb, fr ? WEB_NBSP "Mo" : WEB_NBSP "MB");
    } else {
        web_format_int(sb, w->lang, (bytes + 1023) / 1024);
        strbuf_puts(sb, fr ? WEB_NBSP "Ko" : WEB_NBSP "KB");
    }
}

/* Beside the file input of a page answering a refused file: why, and that nothing was
 * attached and the file is to be chosen again (the page cannot keep it: browsers forbid
 * filling a file input), unless none was chosen. */
static void
file_refused(struct strbuf *sb, const struct web_ctx *w, const char *refused)
{
    strbuf_puts(sb, "<p class=\"error-msg\" id=\"evidence-file-error\">"
                    "<span class=\"error-line\"><span class=\"visually-hidden\">");
    web_te(sb, w->cat, w->lang, WEB_TEXT, "errors.prefix");
    strbuf_puts(sb, "</span>");
    web_te(sb, w->cat, w->lang, WEB_TEXT, refused);
    strbuf_puts(sb, "</span>");
    if (strcmp(refused, "ev.err.none") != 0)
        web_markup(sb, w->cat, w->lang, "<span class=\"error-line\">{ev.choose_again}</span>");
    strbuf_puts(sb, "</p>\n");
}

void
evidence_section(struct strbuf *sb, const struct web_ctx *w, const struct evidence_list *l,
                 const char *reference, const char *token, const char *dropped, const char *refused,
                 bool withdrawn)
{
    struct evidence_limits lim = {w->cfg->evidence_max_files, w->cfg->evidence_max_bytes};
    struct strbuf max = {0}, mb = {0};

    if (l == NULL)
        return;
    strbuf_printf(&max, "%d", lim.max_files);
    evidence_size_text(&mb, w, lim.max_bytes);
    web_section_begin(sb, w, "evidence", NULL, "evidence-h2", "ev.h2");
    if (l->can_change) { /* "you may attach…": not once nothing can be attached any more */
        strbuf_puts(sb, "<p>");
        web_tf(sb, w->cat, w->lang, WEB_TEXT, "ev.p",
               (const char *[]){"max", max.data, "size", mb.data, NULL});
        strbuf_puts(sb, "</p>\n");
    }
    strbuf_free(&max);
    strbuf_free(&mb);
    if (l->n == 0) {
        web_markup(sb, w->cat, w->lang, "<p id=\"evidence-none\">{ev.none}</p>\n");
    } else {
        strbuf_puts(sb, "<ul id=\"evidence-list\" class=\"evidence-list\">\n");
    }
    for (int i = 0; i < l->n; i++) {
        const struct evidence_file *f = &l->files[i];
        strbuf_puts(sb, "<li><bdi class=\"evidence-name\">");
        html_text(sb, f->name);
        strbuf_puts(sb, "</bdi> <span class=\"hint-plain\">(");
        evidence_size_text(sb, w, f->size);
        strbuf_puts(sb, ")</span>\n");
        if (l->can_change) {
            char id[32];
            snprintf(id, sizeof id, "evidence-remove-%d", i);
            form_open(sb, w, id, reference, token);
            html_hidden(sb, "remove", f->id);
            /* in one <span> (a button is a flex box: "Remove" stood one letter a line beside
             * a long name) */
            strbuf_puts(sb, "<button type=\"submit\" class=\"button secondary\"><span>");
            web_tf_isolated(sb, w->cat, w->lang, "ev.remove", /* the file's name */
                            (const char *[]){"name", f->name, NULL});
            strbuf_puts(sb, "</span></button>\n</form>\n");
        }
        strbuf_puts(sb, "</li>\n");
    }
    if (l->n > 0)
        strbuf_puts(sb, "</ul>\n");
    if (!l->can_change) {
        /* a withdrawn claim was not reviewed: it says why its files are fixed, and when they
         * go (--withdrawn-retention-days: "at the end of the retention period" said nothing) */
        strbuf_puts(sb, "<p>");
        if (withdrawn)
            page_withdrawn_days(sb, w, "ev.final_withdrawn");
        else
            web_te(sb, w->cat, w->lang, WEB_TEXT, "ev.final");
        strbuf_puts(sb, "</p>\n</section>\n");
        return;
    }
    if (!l->can_add) {
        web_markup(sb, w->cat, w->lang, "<p id=\"evidence-full\">{ev.full}</p>\n</section>\n");
        return;
    }
    if (dropped != NULL && dropped[0] != '\0') {
        /* a file chosen, then the language switched (a file input cannot be filled again);
         * one alert per page: beside a refused file's, said at the top, this one is plain */
        strbuf_printf(sb, "<p id=\"evidence-dropped\" class=\"status status-error\"%s>",
                      refused != NULL ? "" : " role=\"alert\"");
        web_tf_isolated(sb, w->cat, w->lang, "ev.dropped", (const char *[]){"name", dropped, NULL});
        strbuf_puts(sb, "</p>\n");
    }
    form_open(sb, w, "evidence-form", reference, token);
    /* what web/static/evidence.js needs: the limit, and its messages in the page's language */
    strbuf_printf(sb, "<div class=\"field%s\" id=\"evidence-field\" data-max-bytes=\"%lld\"",
                  refused != NULL ? " has-error" : "", (long long)lim.max_bytes);
    web_markup(sb, w->cat, w->lang,
               " data-msg-size=\"{=ev.err.size}\" data-msg-type=\"{=ev.err.type}\""
               " data-msg-none=\"{=ev.err.none}\" data-msg-failed=\"{=ev.err.failed}\""
               " data-msg-sending=\"{=ev.sending}\">\n"
               "<label for=\"evidence-file\">{ev.file_label}</label>\n"
               "<p class=\"hint\" id=\"evidence-file-hint\">{ev.file_hint}</p>\n");
    if (refused != NULL)
        file_refused(sb, w, refused);
    strbuf_puts(sb, "<input id=\"evidence-file\" type=\"file\" name=\"file\""
                    " accept=\"application/pdf,image/jpeg,image/png\"");
    strbuf_puts(sb, refused != NULL ? " aria-describedby=\"evidence-file-hint evidence-file-error\""
                                      " aria-invalid=\"true\">\n</div>\n"
                                    : " aria-describedby=\"evidence-file-hint\">\n</div>\n");
    web_markup(sb, w->cat, w->lang,
               /* named by the status's "Sending the file…" while it shows (evidence.js) */
               "<progress id=\"evidence-progress\" max=\"100\" value=\"0\""
               " aria-labelledby=\"evidence-status\" hidden></progress>\n"
               "<p id=\"evidence-status\" role=\"status\"></p>\n"
               "<p class=\"actions\"><button id=\"evidence-add\" type=\"submit\""
               " class=\"button primary\">{ev.add}</button></p>\n</form>\n</section>\n");
}

static const struct evidence_said results[] = {
    {"evidence_added", "ev.added", 200, false},
    {"evidence_removed", "ev.removed", 200, false},
    {"evidence_none", "ev.err.none", 422, true},
    {"evidence_type", "ev.err.type", 415, true},
    {"evidence_size", "ev.err.size", 413, true},
    {"evidence_full", "ev.full", 409, true},
    {"evidence_final", "ev.final", 409, true},
};

const struct evidence_said *
evidence_said_named(const char *done)
{
    for (size_t i = 0; done != NULL && i < sizeof results / sizeof results[0]; i++)
        if (strcmp(results[i].done, done) == 0)
            return &results[i];
    return NULL;
}

/* What the page says of a refusal, or NULL: an error page. */
static const struct evidence_said *
refusal_said(enum outcome o)
{
    switch (o) {
    case OUTCOME_UNSUPPORTED_TYPE:
        return evidence_said_named("evidence_type");
    case OUTCOME_TOO_LARGE:
        return evidence_said_named("evidence_size");
    case OUTCOME_EVIDENCE_LIMIT:
        return evidence_said_named("evidence_full");
    case OUTCOME_CLAIM_REVIEWED:
    case OUTCOME_CLAIM_WITHDRAWN:
    case OUTCOME_EVIDENCE_NOT_APPLICABLE:
        return evidence_said_named("evidence_final");
    default:
        return NULL;
    }
}

static struct reply
result_page(struct request *rq, const struct web_ctx *w, const struct form_post *p,
            const struct evidence_said *said)
{
    struct strbuf sb = {0};
    const char *ref = p->fields[F_REFERENCE], *token = p->fields[F_TOKEN];
    bool refused = said->refused;
    const char *kind = refused ? "error" : "success", *key = said->key;
    /* the language switch opens the claim (a link would lose it: the token is in no address),
     * which says again what this page says (evidence_said_named) */
    const char *const again[] = {"form", "open", "reference", ref,
                                 "token", token, "done", said->done, NULL};
    struct web_page page = {
        .title = web_t(w->cat, w->lang, "my.h1"),
        .path = "/my-claim",
        .switch_post_path = "/my-claim",
        .switch_post = again,
        .noindex = true,
        .nav_current = "/my-claim",
        .script = "/static/evidence.js",
        .error = refused,
    };

    web_layout_begin(&sb, w, &page);
    strbuf_puts(&sb, "<h1>");
    web_te(&sb, w->cat, w->lang, WEB_TEXT, "my.h1");
    strbuf_printf(&sb, "</h1>\n<div id=\"claim-status\" class=\"status status-%s\" role=\"%s\"><p>",
                  kind, refused ? "alert" : "status");
    web_te(&sb, w->cat, w->lang, WEB_TEXT, key);
    strbuf_puts(&sb, "</p></div>\n");
    evidence_section(&sb, w, evidence_page_list(rq, ref, token), ref, token, NULL,
                     refused ? key : NULL, false);
    /* back to the claim: its page opens with the same credentials, in a body (never a URL) */
    strbuf_printf(&sb, "<form id=\"evidence-back\" method=\"post\" action=\"/my-claim?lang=%s\">\n",
                  web_lang_code(w->lang));
    html_hidden(&sb, "form", "open");
    html_hidden(&sb, "lang", web_lang_code(w->lang));
    html_hidden(&sb, "reference", ref);
    html_hidden(&sb, "token", token);
    strbuf_puts(&sb, "<p class=\"actions\"><button type=\"submit\" class=\"button secondary\">");
    web_te(&sb, w->cat, w->lang, WEB_TEXT, "ev.back");
    strbuf_puts(&sb, "</button></p>\n</form>\n");
    web_layout_end(&sb, w);
    struct reply r = page_reply(rq, w, said->status, &sb, NULL);
    r.cache_control = "no-store"; /* a token: never kept by a cache */
    return r;
}

/* Whether the form's reference and token open their claim (its evidence list is read). */
static bool
claim_opens(struct request *rq, const struct form_post *p)
{
    struct evidence_limits lim = evidence_limits_of(rq->app);
    struct evidence_list l;

    return svc_rq_evidence_list_own(p->s, &lim, p->fields[F_REFERENCE], p->fields[F_TOKEN],
                                    rq->arena, &l) == OUTCOME_OK;
}

/* POST /my-claim/evidence: a page saying what became of the file or the removal, with the
 * section again and the way back to the claim. */
struct reply
handle_evidence_form_post(struct request *rq)
{
    struct web_ctx w = page_ctx(rq);
    struct evidence_file f;
    struct reply deny;
    enum outcome o;
    const char *done;

    if (!page_query_ok(rq, &deny))
        return deny;
    if (rq->streamed.sink.write != form_write)
        return page_error(rq, 500); /* routes.c streams this route */
    struct form_post *p = rq->streamed.sink.ctx;
    web_lang_parse(p->fields[F_LANG], &w.lang);
    if (p->too_long || p->status != MULTIPART_OK || !multipart_complete(p->mp) ||
        p->fields[F_REFERENCE][0] == '\0' || p->fields[F_TOKEN][0] == '\0')
        return page_error(rq, 400);
    if (p->fields[F_REMOVE][0] != '\0') {
        o = svc_rq_evidence_remove(p->s, p->fields[F_REFERENCE], p->fields[F_TOKEN],
                                   p->fields[F_REMOVE]);
        done = "evidence_removed";
        /* a second press of the same remove button (a double click, the back button): the
         * file is gone, which is what was asked, so the claim's own page says so rather than
         * "page not found"; a claim the credentials do not open stays a 404 */
        if (o == OUTCOME_NOT_FOUND && claim_opens(rq, p))
            o = OUTCOME_OK;
    } else if (!p->has_file) {
        return result_page(rq, &w, p, evidence_said_named("evidence_none"));
    } else {
        o = p->begun != OUTCOME_OK ? p->begun : svc_rq_evidence_finish(p->u, rq->arena, &f);
        done = "evidence_added";
    }
    if (o == OUTCOME_OK)
        return result_page(rq, &w, p, evidence_said_named(done));
    const struct evidence_said *refused = refusal_said(o);
    if (refused == NULL)
        return page_error(rq, o == OUTCOME_NOT_FOUND     ? 404
                              : o == OUTCOME_UNAVAILABLE ? 503
                                                         : 500);
    return result_page(rq, &w, p, refused);
}
