/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* GET and POST /claim (page_claim.h). The post runs the JSON API's handler on the form's
 * fields (request.h header overrides), and the presenter set here turns whatever it answers,
 * on the worker thread once the intake committed, into the page. */
#include "handlers/page_claim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app.h"
#include "core/arena.h"
#include "core/urlencoded.h"
#include "crypto/random.h"
#include "crypto/sha256.h"
#include "domain/currency.h"
#include "handlers/claim_form.h"
#include "handlers/claims.h"
#include "handlers/form_origin.h"
#include "handlers/guard.h"
#include "handlers/page_claim_form.h"
#include "handlers/page_common.h"
#include "handlers/scheme_json.h"
#include "domain/uuid.h"
#include "web/escape.h"

#define FORM_MAX_PAIRS 64

/* What a posted form keeps until its answer is presented. Lives in the request arena. */
struct posted {
    struct web_ctx w;
    struct claim_page_data data;
    struct scheme scheme;
    bool has_scheme;
    struct form form;
};

bool
page_form_key(char out[CLAIM_FORM_KEY_LEN + 1])
{
    uint8_t bytes[CLAIM_FORM_KEY_LEN / 2];

    if (!random_bytes(bytes, sizeof bytes))
        return false;
    hex_encode(bytes, sizeof bytes, out);
    out[CLAIM_FORM_KEY_LEN] = '\0';
    return true;
}

static bool
is_urlencoded(const char *ct)
{
    static const char want[] = "application/x-www-form-urlencoded";

    if (ct == NULL || strncasecmp(ct, want, sizeof want - 1) != 0)
        return false;
    return ct[sizeof want - 1] == '\0' || ct[sizeof want - 1] == ';';
}

bool
page_form_read(struct request *rq, struct form *out, struct reply *deny)
{
    if (!form_origin_is_same_site(request_header(rq, "Sec-Fetch-Site"),
                                  request_header(rq, "Origin"), request_header(rq, "Host"))) {
        *deny = page_error(rq, 403);
        return false;
    }
    if (!is_urlencoded(request_header(rq, "Content-Type"))) {
        *deny = page_error(rq, 415);
        return false;
    }
    if (!urlencoded_parse(rq->body.data != NULL ? rq->body.data : "", rq->body.len, FORM_MAX_PAIRS,
                          rq->arena, out)) {
        *deny = page_error(rq, 400);
        return false;
    }
    return true;
}

/* The scheme in force as a struct (NULL when none or unreadable: the page says nothing then). */
static const struct scheme *
scheme_of(struct request *rq, const struct claim_page_data *d, struct scheme *s)
{
    struct errors e = {0};

    (void)rq;
    if (!d->has_scheme)
        return NULL;
    json_t *j = json_loads(d->scheme.json, JSON_REJECT_DUPLICATES, NULL);
    bool ok = j != NULL && scheme_from_json(j, "", s, &e) && !errors_any(&e);
    json_decref(j);
    return ok ? s : NULL;
}

static struct reply
render_form(struct request *rq, const struct web_ctx *w, int status, struct claim_form_state *st)
{
    struct strbuf sb = {0};

    if (!page_form_key(st->idem_key))
        return page_error(rq, 500);
    st->privacy_version = ((const struct app *)rq->app)->cfg->privacy_notice_version;
    page_claim_form_render(&sb, w, st);
    struct reply r = page_reply(rq, w, status, &sb, NULL);
    r.cache_control = "no-store"; /* each render carries its own Idempotency-Key */
    return r;
}

/* A slug as docs/api.md §5 writes them: ^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$. */
static bool
slug_is_valid(const char *s)
{
    size_t n = strlen(s);

    if (n < 3 || n > 64 || s[0] == '-' || s[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

/* /claim without an incident: where claims start (the home page lists the open incidents). */
static struct reply
no_incident(struct request *rq, const struct web_ctx *w)
{
    struct strbuf sb = {0};
    struct web_page page = {
        .title = web_t(w->cat, w->lang, "claim.h1"), .path = "/claim", .noindex = true};

    web_layout_begin(&sb, w, &page);
    strbuf_puts(&sb, "<h1>");
    web_te(&sb, w->cat, w->lang, WEB_TEXT, "claim.h1");
    strbuf_puts(&sb, "</h1>\n<p>");
    web_te(&sb, w->cat, w->lang, WEB_TEXT, "claim.no_incident");
    strbuf_puts(&sb, "</p>\n<p><a class=\"button primary\" href=\"/\">");
    web_te(&sb, w->cat, w->lang, WEB_TEXT, "claim.back_to_list");
    strbuf_puts(&sb, "</a></p>\n");
    web_layout_end(&sb, w);
    return page_reply(rq, w, 200, &sb, PAGE_CACHE_TEXT);
}

struct reply
handle_page_claim(struct request *rq)
{
    struct web_ctx w = page_ctx(rq);
    struct claim_page_data d;
    struct scheme scheme;
    struct reply deny;

    const char *slug = request_query(rq, "incident");
    const char *action = request_query(rq, "action");
    /* the declared parameters (api/openapi.json): a value outside them is 400, as everywhere */
    if (!page_query_ok(rq, &deny))
        return deny;
    if (slug != NULL && !slug_is_valid(slug))
        return guard_bad_parameter("incident", "incident must be an incident's slug");
    if (action != NULL && !uuid_is_valid(action))
        return guard_bad_parameter("action", "action must be an action's id (a UUID)");
    if ((slug == NULL || slug[0] == '\0') && (action == NULL || action[0] == '\0'))
        return no_incident(rq, &w);
    enum outcome o = svc_rq_claim_page_load(slug != NULL && slug[0] != '\0' ? slug : NULL,
                                            action, web_lang_code(w.lang), rq->arena, &d);
    if (o != OUTCOME_OK)
        return page_error(rq, o == OUTCOME_NOT_FOUND ? 404 : 503);
    struct claim_form_state st = {.data = &d, .scheme = scheme_of(rq, &d, &scheme)};
    return render_form(rq, &w, 200, &st);
}

/* --- the answer of the API, as a page ---------------------------------------------------- */

static void
receipt_line(struct strbuf *sb, const struct web_ctx *w, const char *key, const char *const *params)
{
    strbuf_puts(sb, "<li>");
    web_tf(sb, w->cat, w->lang, WEB_TEXT, key, params);
    strbuf_puts(sb, "</li>\n");
}

/* The receipt: reference, token once (with the advice to keep it), what happens next, and the
 * site's address to come back to. */
static struct reply
receipt(struct request *rq, const struct posted *p, const char *reference, const char *token,
        const char *action_id)
{
    const struct web_ctx *w = &p->w;
    const struct claim_page_data *d = &p->data;
    bool joined = action_id != NULL && d->has_offer && strcmp(action_id, d->action.id) == 0;
    struct strbuf sb = {0}, url = {0};
    struct web_page page = {.title = web_t(w->cat, w->lang, "receipt.h2"),
                            .path = "/claim",
                            .noindex = true,
                            .script = "/static/claim.js"};

    web_layout_begin(&sb, w, &page);
    strbuf_puts(&sb, "<section id=\"receipt\" class=\"receipt\" aria-labelledby=\"receipt-h2\">\n"
                     "<h1 id=\"receipt-h2\" tabindex=\"-1\">");
    web_te(&sb, w->cat, w->lang, WEB_TEXT, "receipt.h2");
    strbuf_puts(&sb, "</h1>\n<dl class=\"secrets\">\n<div><dt>");
    web_te(&sb, w->cat, w->lang, WEB_TEXT, "receipt.reference");
    strbuf_puts(&sb, "</dt><dd><code id=\"receipt-reference\">");
    html_text(&sb, reference);
    strbuf_puts(&sb, "</code></dd></div>\n<div><dt>");
    web_te(&sb, w->cat, w->lang, WEB_TEXT, "receipt.token");
    strbuf_puts(&sb, "</dt><dd><code id=\"receipt-token\" class=\"token\">");
    html_text(&sb, token);
    strbuf_puts(&sb, "</code></dd></div>\n</dl>\n<p class=\"warning\">");
    web_te(&sb, w->cat, w->lang, WEB_TEXT, "receipt.keep");
    strbuf_puts(&sb, "</p>\n<h2>");
    web_te(&sb, w->cat, w->lang, WEB_TEXT, "claimform.next_h2");
    strbuf_puts(&sb, "</h2>\n<ol class=\"next-steps\">\n");
    receipt_line(&sb, w, "claimform.next_email", NULL);
    receipt_line(&sb, w, "claimform.next_verify", NULL);
    if (joined) {
        receipt_line(
            &sb, w, "claimform.next_action",
            (const char *[]){"association", d->association.name, "title", d->action.title, NULL});
        strbuf_puts(&sb, "<li><a href=\"/a/");
        url_component(&sb, d->action.id);
        strbuf_puts(&sb, "\">");
        web_te(&sb, w->cat, w->lang, WEB_TEXT, "claimform.next_action_link");
        strbuf_puts(&sb, "</a></li>\n");
    } else {
        receipt_line(&sb, w, "claimform.next_no_action", NULL);
        strbuf_puts(&sb, "<li><a href=\"/i/");
        url_component(&sb, d->incident.slug);
        strbuf_puts(&sb, "\">");
        web_te(&sb, w->cat, w->lang, WEB_TEXT, "claimform.next_actions_link");
        strbuf_puts(&sb, "</a></li>\n");
    }
    strbuf_puts(&sb, "</ol>\n<p>");
    web_absolute_url(&url, w, "/my-claim", w->lang);
    web_tf(&sb, w->cat, w->lang, WEB_TEXT, "claimform.come_back",
           (const char *[]){"url", url.data != NULL ? url.data : "/my-claim", NULL});
    strbuf_puts(&sb, "</p>\n<p class=\"actions\"><a href=\"/my-claim\" class=\"button primary\">");
    web_te(&sb, w->cat, w->lang, WEB_TEXT, "receipt.my_claim");
    strbuf_puts(&sb, "</a></p>\n</section>\n");
    web_layout_end(&sb, w);
    strbuf_free(&url);
    struct reply r = page_reply(rq, w, 200, &sb, NULL);
    r.cache_control = "no-store"; /* the token: never kept by a cache */
    return r;
}

/* The errors[] of a 422 problem into *e (fields and codes copied into the arena). */
static bool
errors_of(struct request *rq, json_t *doc, struct errors *e)
{
    json_t *list = json_object_get(doc, "errors");
    size_t i;
    json_t *item;

    if (!json_is_array(list))
        return false;
    json_array_foreach(list, i, item)
    {
        const char *field = json_string_value(json_object_get(item, "field"));
        const char *code = json_string_value(json_object_get(item, "code"));
        const char *msg = json_string_value(json_object_get(item, "message"));
        if (field == NULL || code == NULL)
            continue;
        errors_add(e, field, arena_strdup(rq->arena, code),
                   msg != NULL ? arena_strdup(rq->arena, msg) : NULL);
    }
    return true;
}

/* The problem's name: the last segment of its type URI. */
static const char *
problem_name(json_t *doc)
{
    const char *type = json_string_value(json_object_get(doc, "type"));
    const char *slash = type != NULL ? strrchr(type, '/') : NULL;

    return slash != NULL ? slash + 1 : "";
}

static const char *
header_of(const struct reply *r, const char *name)
{
    for (int i = 0; i < r->n_headers; i++)
        if (strcasecmp(r->headers[i].name, name) == 0)
            return r->headers[i].value;
    return NULL;
}

static struct reply
present_claim(struct request *rq, struct reply api)
{
    struct posted *p = rq->present_ctx;
    json_t *doc = api.body != NULL ? json_loadb(api.body, api.body_len, 0, NULL) : NULL;
    struct claim_form_state st = {
        .data = &p->data, .scheme = p->has_scheme ? &p->scheme : NULL, .values = &p->form};
    struct errors *errs = arena_alloc(rq->arena, sizeof *errs);
    const char *retry = header_of(&api, "Retry-After");
    const char *name = doc != NULL ? problem_name(doc) : "";
    struct reply r;

    memset(errs, 0, sizeof *errs);
    if (api.status == 201 && doc != NULL) {
        r = receipt(rq, p, json_string_value(json_object_get(doc, "reference")),
                    json_string_value(json_object_get(doc, "token")),
                    json_string_value(json_object_get(doc, "action_id")));
        goto done;
    }
    if (api.status == 422 && strcmp(name, "validation-error") == 0 && errors_of(rq, doc, errs)) {
        st.errors = errs;
    } else if (api.status == 409 && strcmp(name, "duplicate-claim") == 0) {
        st.notice_key = "claim.err.duplicate";
        st.notice_link = "/my-claim";
        st.notice_link_key = "claim.err.duplicate_link";
    } else if (api.status == 409 && strcmp(name, "incident-closed") == 0) {
        st.notice_key = "claim.err.closed";
    } else if (api.status == 409 ||
               (api.status == 422 && strcmp(name, "idempotency-key-reuse") == 0)) {
        st.notice_key = "claimform.err.resend"; /* a form sent twice at once, or changed after */
    } else if (api.status == 429) {
        st.notice_key = "claim.err.rate_limited";
        st.notice_param = retry;
    } else if (api.status == 503) {
        st.notice_key = "claim.err.unavailable";
        st.notice_param = retry;
    } else {
        r = page_error(rq, api.status >= 400 ? api.status : 500);
        goto done;
    }
    r = render_form(rq, &p->w, api.status, &st);
    if (retry != NULL)
        reply_add_header(&r, "Retry-After", retry);
done:
    json_decref(doc);
    reply_discard(&api);
    return r;
}

/* --- the post ---------------------------------------------------------------------------- */

/* Makes rq the API's request for the body built from the form: JSON body, Content-Type, the
 * form's Idempotency-Key, the incident as the route's parameter. */
static bool
become_api_request(struct request *rq, const struct posted *p)
{
    int exponent = currency_exponent(p->data.incident.currency);
    json_t *body = claim_form_to_json(&p->form, exponent < 0 ? 2 : exponent, false);
    /* the language of the page is the claimant's: the messages are written in it */
    if (body != NULL &&
        json_object_set_new(body, "lang", json_string(web_lang_code(p->w.lang))) != 0) {
        json_decref(body);
        body = NULL;
    }
    char *text = body != NULL ? claim_form_dump(body) : NULL;

    json_decref(body);
    if (text == NULL)
        return false;
    strbuf_free(&rq->body);
    strbuf_puts(&rq->body, text);
    free(text);
    const char *key = form_get(&p->form, "idempotency_key", NULL);
    if (!request_override_header(rq, "Content-Type", "application/json") ||
        (key != NULL && key[0] != '\0' && !request_override_header(rq, "Idempotency-Key", key)))
        return false;
    rq->match.params[0] = p->data.incident.slug;
    rq->match.n_params = 1;
    return true;
}

struct reply
handle_page_claim_post(struct request *rq)
{
    struct posted *p = arena_alloc(rq->arena, sizeof *p);
    struct reply deny;

    memset(p, 0, sizeof *p);
    if (!page_query_ok(rq, &deny) || !page_form_read(rq, &p->form, &deny))
        return deny;
    const char *lang = form_get(&p->form, "lang", NULL);
    p->w = page_ctx(rq);
    if (lang != NULL)
        web_lang_parse(lang, &p->w.lang);
    const char *slug = form_get(&p->form, "incident", NULL);
    if (slug == NULL || slug[0] == '\0')
        return page_error(rq, 400);
    enum outcome o = svc_rq_claim_page_load(slug, form_get(&p->form, "action", NULL),
                                            web_lang_code(p->w.lang), rq->arena, &p->data);
    if (o != OUTCOME_OK)
        return page_error(rq, o == OUTCOME_NOT_FOUND ? 404 : 503);
    p->has_scheme = scheme_of(rq, &p->data, &p->scheme) != NULL;
    if (!become_api_request(rq, p))
        return page_error(rq, 400);
    rq->present = present_claim;
    rq->present_ctx = p;
    return handle_claims_submit(rq);
}
