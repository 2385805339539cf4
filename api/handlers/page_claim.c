/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* GET and POST /claim (docs/web-forms.md): GET /claim?incident=SLUG or ?action=ID renders the
 * form; POST /claim (application/x-www-form-urlencoded) is the JSON API's submission, its
 * validation, dedup, Idempotency-Key and group commit included: the answer becomes the receipt,
 * or the form again with the errors beside the fields and the values kept. A post from the
 * language switch (a button of the form, `switch_lang`) is only the form again in that
 * language with what was typed: no claim. What every page's form post shares is in
 * page_form.c. The post runs the JSON API's handler on the form's fields
 * (page_api.h), and the presenter set here turns whatever it answers, on the worker thread
 * once the intake committed, into the page. */
#include "handlers/page_claim.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

#include "app.h"
#include "core/arena.h"
#include "core/urlencoded.h"
#include "domain/currency.h"
#include "domain/dates.h"
#include "domain/uuid.h"
#include "handlers/claim_form.h"
#include "handlers/claims.h"
#include "handlers/claims_parse.h"
#include "handlers/guard.h"
#include "handlers/incidents.h"
#include "handlers/page_api.h"
#include "handlers/page_claim_form.h"
#include "handlers/page_common.h"
#include "handlers/handlers.h"
#include "handlers/scheme_json.h"
#include "http/accept.h"
#include "http/json_fields.h"
#include "web/escape.h"
#include "web/format.h"

/* What a posted form keeps until its answer is presented. Lives in the request arena. */
struct posted {
    struct web_ctx w;
    struct claim_page_data data;
    struct scheme scheme;
    bool has_scheme;
    struct form form;
};

const struct scheme *
page_claim_scheme(const struct claim_page_data *d, struct scheme *s)
{
    struct errors e = {0};

    if (!d->has_scheme)
        return NULL;
    json_t *j = json_loads(d->scheme.json, JSON_REJECT_DUPLICATES, NULL);
    bool ok = j != NULL && scheme_from_json(j, "", s, &e) && !errors_any(&e);
    json_decref(j);
    return ok ? s : NULL;
}

/* page_claim_check; without_reads: the fields' rules only, not the mandate's (which reads
 * the action ticked), for a post the rate limit refused */
static struct errors *
check_form(struct request *rq, json_t *body, const struct incident *inc, const char *notice_version,
           bool without_reads)
{
    struct errors *errors = arena_alloc(rq->arena, sizeof *errors); /* zeroed */
    struct claim_input in;
    struct action mandate;

    if (body == NULL)
        return NULL; /* not our form: a switch shows it again, without errors */
    arena_defer(rq->arena, (void (*)(void *))json_decref, body);
    struct json_fields jf = {.obj = body, .prefix = "", .errors = errors, .arena = rq->arena};
    if (without_reads)
        claims_parse_submission(&jf, inc->data_categories, notice_version, &in);
    else /* a database failure has no error to show: the form comes back as it was */
        (void)claims_check_submission(&jf, inc, notice_version, &in, &mandate);
    claims_check_postal_form(&jf, &in); /* the form's own rule, as its post meets it */
    return errors_any(errors) ? errors : NULL;
}

struct claim_form_money
page_claim_money(const char *currency, const struct web_ctx *w)
{
    return (struct claim_form_money){currency, w->lang == WEB_LANG_FR ? ',' : '.'};
}

struct errors *
page_claim_check(struct request *rq, json_t *body, const struct incident *inc,
                 const char *notice_version)
{
    return check_form(rq, body, inc, notice_version, false);
}

static struct reply
render_form(struct request *rq, const struct web_ctx *w, int status, struct claim_form_state *st)
{
    struct strbuf sb = {0};
    struct page_fund fund;

    if (!page_form_key(st->idem_key))
        return page_error(rq, 500);
    st->fund =
        page_fund_read(rq, st->data->incident.slug, st->scheme, st->data->scheme.version, &fund);
    const struct claim_form_money money = page_claim_money(st->data->incident.currency, w);
    st->errors = claim_form_currency_errors(rq->arena, st->values, &money, st->errors);
    st->privacy_version = ((const struct app *)rq->app)->cfg->privacy_notice_version;
    page_claim_form_render(&sb, w, st);
    struct reply r = page_reply(rq, w, status, &sb, NULL);
    r.cache_control = "no-store"; /* each render carries its own Idempotency-Key */
    return r;
}

/* /claim without an incident: where claims start (the home page lists the open incidents). */
static struct reply
no_incident(struct request *rq, const struct web_ctx *w)
{
    struct strbuf sb = {0};
    struct web_page page = {.title = web_t(w->cat, w->lang, "claim.h1"),
                            .path = "/claim",
                            .noindex = true,
                            .h1 = true};

    web_layout_begin(&sb, w, &page);
    strbuf_puts(&sb, "<p>");
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
    if (slug != NULL && !incident_slug_is_valid(slug))
        return guard_bad_parameter("incident", "incident must be an incident's slug");
    /* a link whose action id lost its end (copied from a letter, cut in a message): 400 as
     * any bad parameter, but a person reads the incident's form, told the action is not
     * offered, rather than a bare error page; an API client gets the problem */
    bool cut = action != NULL && !uuid_is_valid(action);
    if (cut && (slug == NULL || slug[0] == '\0' ||
                !accept_prefers_html(request_header(rq, "Accept"))))
        return guard_bad_parameter("action", "action must be an action's id (a UUID)");
    if ((slug == NULL || slug[0] == '\0') && (action == NULL || action[0] == '\0'))
        return no_incident(rq, &w);
    enum outcome o = svc_rq_claim_page_load(slug != NULL && slug[0] != '\0' ? slug : NULL,
                                            cut ? NULL : action, web_lang_code(w.lang),
                                            rq->arena, &d);
    if (o != OUTCOME_OK)
        return page_error(rq, o == OUTCOME_NOT_FOUND ? 404 : 503);
    struct claim_form_state st = {.data = &d, .scheme = page_claim_scheme(&d, &scheme),
                                  .offer_note_key = cut ? "mandate.link_incomplete" : NULL};
    return render_form(rq, &w, cut ? 400 : 200, &st);
}

/* --- the answer of the API, as a page ---------------------------------------------------- */

static void
receipt_line(struct strbuf *sb, const struct web_ctx *w, const char *key, const char *const *params)
{
    strbuf_puts(sb, "<li>");
    web_tf_isolated(sb, w->cat, w->lang, key, params); /* an association, an action's title */
    strbuf_puts(sb, "</li>\n");
}

/* The birth date as it was read, written out ("12 mars 1985"): "12/03/1985" is read day
 * first, and the person sees here what was understood (docs/web-forms.md). */
static void
receipt_birth_date(struct strbuf *sb, const struct web_ctx *w, const char *typed)
{
    char iso[11];
    struct strbuf date = {0};

    if (typed == NULL || !civil_date_typed(typed, iso) || !web_format_date(&date, w->lang, iso)) {
        strbuf_free(&date);
        return;
    }
    strbuf_puts(sb, "<p id=\"receipt-birth-date\">");
    web_tf(sb, w->cat, w->lang, WEB_TEXT, "receipt.birth_date",
           (const char *[]){"date", date.data, NULL});
    strbuf_puts(sb, "</p>\n");
    strbuf_free(&date);
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
    /* the token is on show once: the language switch keeps it (/my-claim's "keep") */
    const char *const keep[] = {"form", "keep", "reference", reference, "token", token, NULL};
    struct web_page page = {.title = web_t(w->cat, w->lang, "receipt.h2"),
                            .path = "/claim",
                            .switch_post_path = "/my-claim",
                            .switch_post = keep,
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
    /* beside it, what it is: "Token" alone left a person asking what it was for */
    web_markup(&sb, w->cat, w->lang,
               "</code></dd><dd id=\"receipt-token-hint\" class=\"hint\">{receipt.token_hint}</dd>"
               "</div>\n</dl>\n<p class=\"warning\">");
    web_te(&sb, w->cat, w->lang, WEB_TEXT, "receipt.keep");
    strbuf_puts(&sb, "</p>\n");
    receipt_birth_date(&sb, w, form_get(&p->form, "claimant.birth_date", NULL));
    /* the compensation chosen, in its option's words within a sentence ("Indemnisation
     * souhaitée : en argent."; the API took it: voucher or cash) */
    const char *pay = form_get(&p->form, "payment_preference", NULL);
    bool voucher = pay != NULL && strcmp(pay, "voucher") == 0;
    strbuf_puts(&sb, "<p id=\"receipt-payment\">");
    web_te(&sb, w->cat, w->lang, WEB_TEXT,
           voucher ? "receipt.payment_voucher" : "receipt.payment_cash");
    strbuf_puts(&sb, "</p>\n<h2>");
    web_te(&sb, w->cat, w->lang, WEB_TEXT, "claimform.next_h2");
    strbuf_puts(&sb, "</h2>\n<ol class=\"next-steps\">\n");
    /* the address the message goes to, as typed: a wrong one (a letter off) is seen here, not
     * after days of waiting for a message that went elsewhere */
    const char *email = form_get(&p->form, "claimant.email", NULL);
    receipt_line(&sb, w, "claimform.next_email",
                 (const char *[]){"email", email != NULL ? email : "", NULL});
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
    /* "See my claim" opens it with what this page holds (a post: the token stays out of the
     * address), rather than asking for the 43 characters just shown */
    strbuf_printf(&sb,
                  "</p>\n<form id=\"receipt-open\" method=\"post\" action=\"/my-claim?lang=%s\">\n",
                  web_lang_code(w->lang));
    html_hidden(&sb, "form", "open");
    html_hidden(&sb, "lang", web_lang_code(w->lang));
    html_hidden(&sb, "reference", reference);
    html_hidden(&sb, "token", token);
    strbuf_puts(&sb, "<p class=\"actions\"><button type=\"submit\" class=\"button primary\">");
    web_te(&sb, w->cat, w->lang, WEB_TEXT, "receipt.my_claim");
    strbuf_puts(&sb, "</button></p>\n</form>\n</section>\n");
    web_layout_end(&sb, w);
    strbuf_free(&url);
    struct reply r = page_reply(rq, w, 200, &sb, NULL);
    r.cache_control = "no-store"; /* the token: never kept by a cache */
    return r;
}

/* A refusal of a send that is no field's: the message above the form, the page's status,
 * and the word the form sent back keeps in its hidden `sent` (CLAIM_FORM_SENT), so that its
 * language switch says the same again with the same status. */
struct refusal {
    const char *sent;
    int status;
    const char *problem; /* the API's problem; NULL: any other of that status */
    const char *key;
    const char *link, *link_key;
    /* a refusal for a while ({seconds}: Retry-After): the key once the wait is over, or
     * NULL. `sent` keeps the moment the wait ends after a ':' (REFUSAL_WAIT_MAX) */
    const char *over_key;
};

static const struct refusal refusals[] = {
    {"duplicate", 409, "duplicate-claim", "claim.err.duplicate", "/my-claim",
     "claim.err.duplicate_link", NULL},
    /* where to go instead, as claim.js says it */
    {"closed", 409, "incident-closed", "claim.err.closed", "/", "claim.back_to_list", NULL},
    /* the same form sent twice at once (a double click): the first is still being made */
    {"in_use", 409, NULL, "claim.err.in_use", NULL, NULL, NULL},
    /* the same form sent again with other answers (a page kept from before) */
    {"reused", 422, "idempotency-key-reuse", "claimform.err.resend", NULL, NULL, NULL},
    {"rate_limited", 429, NULL, "claim.err.rate_limited", NULL, NULL,
     "claim.err.rate_limited_over"},
    {"unavailable", 503, NULL, "claim.err.unavailable", NULL, NULL, "claim.err.unavailable_over"},
};

/* The longest wait a page says (a day, Retry-After's five digits): a `sent` whose moment is
 * further away is not one the server wrote, and says nothing. */
#define REFUSAL_WAIT_MAX 86400

#define N_REFUSALS (sizeof refusals / sizeof refusals[0])

/* Retry-After's seconds as the page says them (digits, at most a day's), or NULL. */
static const char *
retry_seconds(const char *v)
{
    size_t n = v != NULL ? strspn(v, "0123456789") : 0;

    return n > 0 && n <= 5 && v[n] == '\0' ? v : NULL;
}

/* The refusal the API answered (status, problem), or NULL. */
static const struct refusal *
refusal_answered(const struct page_answer *a)
{
    for (size_t i = 0; i < N_REFUSALS; i++)
        if (refusals[i].status == a->status &&
            (refusals[i].problem == NULL || strcmp(refusals[i].problem, a->problem) == 0))
            return &refusals[i];
    return NULL;
}

/* The refusal whose word starts sent (up to a ':' or its end), or NULL. */
static const struct refusal *
refusal_named(const char *sent)
{
    size_t n = strcspn(sent, ":");

    for (size_t i = 0; i < N_REFUSALS; i++)
        if (strlen(refusals[i].sent) == n && strncmp(refusals[i].sent, sent, n) == 0)
            return &refusals[i];
    return NULL;
}

/* The refusal a form's `sent` names ("duplicate", "rate_limited:1796000000"), or NULL for
 * "1" (field errors) or a word that is none of ours; for a wait, *left: the seconds left
 * until its moment, by this server's clock, or NULL once it has passed. */
static const struct refusal *
refusal_sent(struct request *rq, const char *sent, const char **left)
{
    const struct refusal *r = sent != NULL ? refusal_named(sent) : NULL;
    const char *after = r != NULL ? sent + strlen(r->sent) : NULL;

    *left = NULL;
    if (r == NULL || r->over_key == NULL)
        return r != NULL && after[0] == '\0' ? r : NULL;
    size_t n = after[0] == ':' ? strspn(after + 1, "0123456789") : 0;
    if (n == 0 || n > 12 || after[1 + n] != '\0')
        return NULL;
    long long wait = strtoll(after + 1, NULL, 10) - (long long)time(NULL);
    if (wait > REFUSAL_WAIT_MAX)
        return NULL;
    if (wait > 0)
        *left = arena_printf(rq->arena, "%lld", wait);
    return r;
}

/* What st says of r: its message (the seconds left in it; for a wait that is over, the
 * message that says to send again), and the `sent` that says it again at the next switch. */
static void
refusal_notice(struct claim_form_state *st, const struct refusal *r, const char *left,
               const char *sent)
{
    st->notice_key = r->over_key != NULL && left == NULL ? r->over_key : r->key;
    st->notice_link = r->link;
    st->notice_link_key = r->link_key;
    st->notice_param = left;
    st->sent = sent;
}

/* r's message and the `sent` that keeps it, in st: for a wait, the moment it ends rather
 * than its length, so that a switch made later says what is left, not a stale count. */
static void
refused_state(struct request *rq, struct claim_form_state *st, const struct refusal *r,
              const char *seconds)
{
    refusal_notice(st, r, seconds,
                   r->over_key != NULL ? page_wait_kept(rq, r->sent, seconds) : r->sent);
}

const char *
page_wait_kept(struct request *rq, const char *name, const char *seconds)
{
    const struct refusal *r = refusal_named(name);

    return r != NULL && r->over_key != NULL
               ? arena_printf(rq->arena, "%s:%lld", r->sent,
                              (long long)time(NULL) + strtoll(seconds, NULL, 10))
               : NULL;
}

bool
page_wait_again(struct request *rq, const char *sent, const char **key, const char **left)
{
    const struct refusal *r = refusal_sent(rq, sent, left);

    if (r == NULL || r->over_key == NULL)
        return false;
    *key = *left != NULL ? r->key : r->over_key;
    return true;
}

/* The form again with r's message: status, Retry-After and the `sent` that keeps it. */
static struct reply
render_refused(struct request *rq, const struct web_ctx *w, struct claim_form_state *st,
               const struct refusal *r, const char *seconds)
{
    refused_state(rq, st, r, seconds);
    struct reply page = render_form(rq, w, r->status, st);
    if (r->over_key != NULL)
        reply_add_header(&page, "Retry-After", seconds);
    return page;
}

static struct reply
present_claim(struct request *rq, struct reply api)
{
    struct posted *p = rq->present_ctx;
    struct claim_form_state st = {
        .data = &p->data, .scheme = p->has_scheme ? &p->scheme : NULL, .values = &p->form};
    const struct refusal *refused;
    struct page_answer a;

    page_api_answer(rq, api, &a);
    if (a.status == 201 && a.doc != NULL)
        return receipt(rq, p, json_string_value(json_object_get(a.doc, "reference")),
                       json_string_value(json_object_get(a.doc, "token")),
                       json_string_value(json_object_get(a.doc, "action_id")));
    if ((st.errors = page_api_errors(rq, &a)) != NULL) {
        st.sent = "1"; /* beside the fields */
        return render_form(rq, &p->w, a.status, &st);
    }
    if ((refused = refusal_answered(&a)) == NULL)
        return page_error(rq, a.status >= 400 ? a.status : 500);
    const char *seconds = retry_seconds(a.retry_after);
    if (refused->over_key != NULL && seconds == NULL)
        seconds = "30"; /* an answer without its Retry-After: as claim.js says then */
    return render_refused(rq, &p->w, &st, refused, seconds);
}

/* --- the post ---------------------------------------------------------------------------- */

/* The API's claim body built from the posted form, in the page's language (the claimant's:
 * the messages are written in it); NULL when the form cannot be ours. */
static json_t *
body_of(const struct posted *p)
{
    const struct claim_form_money money = page_claim_money(p->data.incident.currency, &p->w);
    json_t *body = claim_form_to_json(&p->form, &money, false);

    if (body != NULL &&
        json_object_set_new(body, "lang", json_string(web_lang_code(p->w.lang))) != 0) {
        json_decref(body);
        body = NULL;
    }
    return body;
}

/* Makes rq the API's request for the body built from the form: JSON body, Content-Type, the
 * form's Idempotency-Key, the incident as the route's parameter. */
static bool
become_api_request(struct request *rq, const struct posted *p)
{
    json_t *body = body_of(p);
    const char *key = form_get(&p->form, "idempotency_key", NULL);
    if (!page_api_body(rq, body, "application/json") ||
        (key != NULL && key[0] != '\0' && !request_override_header(rq, "Idempotency-Key", key)))
        return false;
    page_api_param(rq, p->data.incident.slug);
    return true;
}

/* The post read into p: the form (same site, urlencoded), its language, its incident and
 * offer loaded. False with *deny (a page) otherwise. */
static bool
read_post(struct request *rq, struct posted *p, bool *switched, struct reply *deny)
{
    memset(p, 0, sizeof *p);
    if (!page_query_ok(rq, deny) || !page_form_read(rq, &p->form, deny))
        return false;
    p->w = page_ctx(rq);
    const char *slug = form_get(&p->form, "incident", NULL);
    if (!page_form_lang(&p->form, &p->w.lang, switched) || slug == NULL || slug[0] == '\0') {
        *deny = page_error(rq, 400);
        return false;
    }
    p->w.switched = *switched;
    /* the action the form offered; a post that ticks a mandate without naming the offer (a
     * script's, a form kept from an older page) gets its ticked action read, so that the
     * receipt says which action the claim joined rather than "none" */
    const char *offer = form_get(&p->form, "action", NULL);
    if (offer == NULL || offer[0] == '\0')
        offer = form_get(&p->form, "action_id", NULL);
    enum outcome o =
        svc_rq_claim_page_load(slug, offer, web_lang_code(p->w.lang), rq->arena, &p->data);
    if (o != OUTCOME_OK) {
        *deny = page_error(rq, o == OUTCOME_NOT_FOUND ? 404 : 503);
        return false;
    }
    p->has_scheme = page_claim_scheme(&p->data, &p->scheme) != NULL;
    return true;
}

bool
page_claim_rate_limited(struct request *rq, struct reply *out)
{
    struct posted *p = arena_alloc(rq->arena, sizeof *p);
    struct reply deny;
    bool switched;

    if (!read_post(rq, p, &switched, &deny)) {
        reply_discard(&deny);
        return false;
    }
    struct claim_form_state st = {
        .data = &p->data, .scheme = p->has_scheme ? &p->scheme : NULL, .values = &p->form};
    /* the fields wrong as typed, marked as its language switch marks them (both are to be
     * read before sending again): their rules cost no read; the mandate's, which reads the
     * action, waits for the send (docs/web-forms.md) */
    st.errors = check_form(rq, body_of(p), &p->data.incident,
                           ((const struct app *)rq->app)->cfg->privacy_notice_version, true);
    refused_state(rq, &st, refusal_named("rate_limited"),
                  arena_printf(rq->arena, "%d", rq->rate_reset_s > 0 ? rq->rate_reset_s : 1));
    *out = render_form(rq, &p->w, 429, &st); /* its Retry-After: the server's refusal's */
    return true;
}

struct reply
handle_page_claim_post(struct request *rq)
{
    struct posted *p = arena_alloc(rq->arena, sizeof *p);
    struct reply deny;
    bool switched;

    if (!read_post(rq, p, &switched, &deny))
        return deny;
    if (!claim_form_names_once(&p->form))
        return page_error(rq, 400); /* a name meant once, sent twice: its switch as its send */
    if (switched) {
        /* the language switch (a button of the form): the form again in that language, what
         * was typed kept; nothing is sent to the API, no claim is made. A form that came
         * back refused (`sent`) shows its errors again, in that language: those of what is
         * typed now, by the API's own rules; a fresh form shows none */
        struct claim_form_state st = {
            .data = &p->data, .scheme = p->has_scheme ? &p->scheme : NULL, .values = &p->form};
        const char *sent = form_get(&p->form, CLAIM_FORM_SENT, NULL), *left;
        if (sent != NULL)
            st.errors = page_claim_check(
                rq, body_of(p), &p->data.incident,
                ((const struct app *)rq->app)->cfg->privacy_notice_version);
        /* a send refused for no field (a duplicate, the rate limit): its message again, with
         * its status while it holds; a wait says what is left of it now. Fields wrong now are
         * marked as well: both are to be read before sending again */
        const struct refusal *refused = refusal_sent(rq, sent, &left);
        int status = 200;
        if (refused != NULL) {
            refusal_notice(&st, refused, left, sent);
            if (refused->over_key == NULL || left != NULL)
                status = refused->status;
        } else if (st.errors != NULL) {
            st.sent = "1";
        }
        if (st.errors != NULL && status == 200)
            status = 422; /* as the refused post answered */
        struct reply page = render_form(rq, &p->w, status, &st);
        if (left != NULL)
            reply_add_header(&page, "Retry-After", left);
        return page;
    }
    if (!become_api_request(rq, p))
        return page_error(rq, 400);
    rq->present = present_claim;
    rq->present_ctx = p;
    return handle_claims_submit(rq);
}
