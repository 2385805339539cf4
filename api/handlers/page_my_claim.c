/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* GET and POST /my-claim, rendered by the server (docs/web-forms.md): the claimant gives
 * reference and token in a form (POST, never in the address), sees the claim as given,
 * corrects any field the API allows, gives a mandate to an open action, withdraws; "I lost my
 * token" asks for a recovery link by email, and the link's page sets a new token. Works
 * without JavaScript; the token travels only in the bodies of these posts. A post names what
 * it does in its `form` field; the claimant's reference and token become the API's path
 * parameter and Bearer credential, the route role the API's route has (ROLE_CLAIMANT) is
 * checked as routes.c would, then the API's handler runs and its answer, always synchronous
 * here, is made into the page. */

#include <string.h>

#include "app.h"
#include "core/arena.h"
#include "core/urlencoded.h"
#include "domain/scheme.h"
#include "domain/uuid.h"
#include "handlers/claim_form.h"
#include "handlers/claims.h"
#include "handlers/guard.h"
#include "handlers/page_api.h"
#include "handlers/page_claim.h"
#include "handlers/page_common.h"
#include "handlers/page_credentials.h"
#include "handlers/evidence_page.h"
#include "handlers/page_my_claim_view.h"
#include "handlers/handlers.h"
#include "http/accept.h"

static struct reply
render(struct request *rq, const struct web_ctx *w, int status, struct my_claim_state *st)
{
    struct strbuf sb = {0};

    st->arena = rq->arena;
    page_my_claim_render(&sb, w, st);
    struct reply r = page_reply(rq, w, status, &sb, NULL);
    r.cache_control = "no-store"; /* a claim, a token: never kept by a cache */
    return r;
}

struct reply
handle_page_my_claim(struct request *rq)
{
    struct web_ctx w = page_ctx(rq);
    struct my_claim_state st = {0};
    struct reply deny;

    st.offer_action = request_query(rq, "action");
    st.recover_link = request_query(rq, "recover");
    /* the declared parameters (api/openapi.json): a value outside them is 400, as everywhere */
    if (!page_query_ok(rq, &deny))
        return deny;
    if (st.offer_action != NULL && !uuid_is_valid(st.offer_action))
        return guard_bad_parameter("action", "action must be an action's id (a UUID)");
    if (st.recover_link != NULL && !page_recovery_link_is_valid(st.recover_link)) {
        /* a link a mail program cut or wrapped: still 400, but a person reads that the link
         * no longer works beside the form that asks for another, as for a used one */
        if (!accept_prefers_html(request_header(rq, "Accept")))
            return guard_bad_parameter("recover", "recover must be the link's secret");
        st.recover_link = NULL;
        st.notice_key = "myform.link_dead";
        st.notice_kind = "error";
        return render(rq, &w, 400, &st);
    }
    if (st.recover_link != NULL && st.recover_link[0] == '\0')
        st.recover_link = NULL;
    return render(rq, &w, 200, &st);
}

/* The errors a correction typed as f would meet, found without saving it (the language
 * switch of a correction that came back refused): the form read as the whole claim, as
 * PATCH merges it (no category ticked is an empty list, the notice is the one it accepted),
 * by the API's rules. NULL: none. */
static struct errors *
correction_errors(struct request *rq, const struct web_ctx *w, const struct form *f,
                  const struct claim_page_data *d)
{
    const struct claim_form_money money = page_claim_money(d->incident.currency, w);
    json_t *body = claim_form_to_json(f, &money, false);
    const char *notice = ((const struct app *)rq->app)->cfg->privacy_notice_version;

    if (body != NULL &&
        ((json_object_get(body, "data_categories") == NULL &&
          json_object_set_new(body, "data_categories", json_array()) != 0) ||
         json_object_set_new(body, "privacy_notice_version", json_string(notice)) != 0)) {
        json_decref(body);
        body = NULL; /* out of memory: the form without its errors */
    }
    return page_claim_check(rq, body, &d->incident, notice);
}

/* The claim page from a claim view, with its incident, scheme and actions. */
static struct reply
claim_page(struct request *rq, const struct web_ctx *w, const struct form *f, json_t *view,
           struct my_claim_state *st, int status)
{
    struct claim_page_data *d = arena_alloc(rq->arena, sizeof *d);
    struct scheme *scheme = arena_alloc(rq->arena, sizeof *scheme);

    enum outcome o =
        svc_rq_my_claim_load(json_string_value(json_object_get(view, "incident")),
                             json_string_value(json_object_get(view, "action_id")),
                             form_get(f, "action", NULL), web_lang_code(w->lang), rq->arena, d);
    if (o != OUTCOME_OK)
        return page_error(rq, o == OUTCOME_NOT_FOUND ? 404 : 503);
    json_t *incident = json_loads(d->incident_doc, 0, NULL);
    if (incident == NULL)
        return page_error(rq, 500);
    arena_defer(rq->arena, (void (*)(void *))json_decref, incident);
    st->open_actions = json_object_get(incident, "actions");
    st->data = d;
    st->view = view;
    st->token = form_get(f, "token", NULL);
    st->evidence = evidence_page_list(rq, json_string_value(json_object_get(view, "reference")),
                                      st->token);
    st->scheme = page_claim_scheme(d, scheme);
    const struct claim_form_money money = page_claim_money(d->incident.currency, w);
    st->errors = claim_form_currency_errors(rq->arena, st->values, &money, st->errors);
    if (st->recheck && (st->errors = correction_errors(rq, w, f, d)) != NULL) {
        st->notice_key = "my.correct_refused";
        st->notice_kind = "error";
        status = 422; /* the switch of a refused correction: as the refused post answered */
    }
    return render(rq, w, status, st);
}

/* The page that says the reference and token open no claim (the API's 401 and 404 alike). */
static struct reply
not_found(struct request *rq, const struct web_ctx *w, struct my_claim_state *st)
{
    st->notice_key = "my.not_found";
    st->notice_kind = "error";
    st->sent = "not_found";
    return render(rq, w, 404, st);
}

/* The form's reference and token as the API's claimant request: the reference as the route's
 * parameter, the token as its Bearer credential, checked as routes.c checks ROLE_CLAIMANT. */
static bool
become_claimant(struct request *rq, const char *reference, const char *token)
{
    struct reply deny;

    if (reference == NULL || token == NULL || reference[0] == '\0' || token[0] == '\0' ||
        !request_override_header(rq, "Authorization",
                                 arena_printf(rq->arena, "Bearer %s", token)))
        return false;
    page_api_param(rq, reference);
    if (guard_route(rq, ROLE_CLAIMANT, &deny))
        return true;
    reply_discard(&deny);
    return false;
}

/* How the page w reads the amounts of a correction: in the claim's incident currency. */
static struct claim_form_money
claim_money(struct request *rq, const struct web_ctx *w)
{
    struct page_answer before;
    struct claim_page_data d;

    page_api_answer(rq, handle_claims_get(rq), &before);
    const char *currency = NULL;
    if (before.status == 200 &&
        svc_rq_claim_page_load(json_string_value(json_object_get(before.doc, "incident")), NULL,
                               "fr", rq->arena, &d) == OUTCOME_OK)
        currency = arena_strdup(rq->arena, d.incident.currency);
    return page_claim_money(currency, w);
}

/* The merge patch of correct, join and revoke; NULL for the others (and when join's cannot
 * be built: the claim is shown). *bad: the form cannot be a correction, or a join names no
 * action (400). */
static json_t *
patch_of(struct request *rq, const struct web_ctx *w, const struct form *f, const char *what,
         bool *bad)
{
    json_t *patch = NULL;

    *bad = false;
    if (strcmp(what, "correct") == 0) {
        const struct claim_form_money money = claim_money(rq, w);
        patch = claim_form_to_json(f, &money, true);
        *bad = patch == NULL;
    } else if (strcmp(what, "join") == 0) {
        const char *action = form_get(f, "action", NULL);
        /* without one, the patch was {"action_id": null}: a revocation of the mandate in
         * force, which the page then called a mandate given */
        if (action == NULL || action[0] == '\0') {
            *bad = true;
            return NULL;
        }
        patch = json_pack("{s:s, s:s?}", "action_id", action, "mandate_text_version",
                          form_get(f, "mandate_text_version", NULL));
    } else if (strcmp(what, "revoke") == 0) {
        patch = json_pack("{s:n}", "action_id");
    }
    return patch;
}

/* What a refused change says (st->errors and st->values for the fields). */
static void
refused(struct request *rq, const struct page_answer *a, const struct form *f, const char *what,
        struct my_claim_state *st)
{
    st->notice_kind = "error";
    if ((st->errors = page_api_errors(rq, a)) != NULL) {
        st->values = strcmp(what, "correct") == 0 ? f : NULL;
        /* said at the top: the correction's errors are below the claim, out of sight */
        st->notice_key = strcmp(what, "join") == 0 ? "mandate.unavailable"
                         : st->values != NULL      ? "my.correct_refused"
                                                   : NULL;
    } else if (strcmp(a->problem, "duplicate-claim") == 0) {
        st->notice_key = "my.correct_duplicate";
    } else if (strcmp(a->problem, "claim-withdrawn") == 0) {
        st->notice_key = "my.claim_withdrawn";
    } else if (strcmp(a->problem, "already-in-action") == 0) {
        st->notice_key = "my.mandate_in_other";
    } else {
        st->notice_key = "my.err.unavailable";
        st->notice_param = "30";
    }
}

/* What f's claim opens saying of a file (docs/web-forms.md): after evidence.js attached one,
 * or from the language switch of the page that answered a file's post without JavaScript,
 * what that page said (evidence_page.h); NULL: nothing. */
static const struct evidence_said *
evidence_said(const struct form *f)
{
    const char *what = form_get(f, "form", NULL);

    return what != NULL && strcmp(what, "open") == 0
               ? evidence_said_named(form_get(f, "done", NULL))
               : NULL;
}

/* The seconds until the rate limit of public posts takes a post again (http/server.c). */
static const char *
limit_seconds(struct request *rq)
{
    return arena_printf(rq->arena, "%d", rq->rate_reset_s > 0 ? rq->rate_reset_s : 1);
}

/* open, correct, withdraw, withdraw_confirm, join, revoke: the claimant's routes of the API;
 * "reshow" (the language switch of the correction form) is "open" with the values posted.
 * "withdraw" only asks: the page that says what withdrawing means, whose button posts
 * "withdraw_confirm" (a withdrawal is not undone; docs/web-forms.md). */
static struct reply
claimant_action(struct request *rq, const struct web_ctx *w, const struct form *f, const char *what)
{
    struct my_claim_state st = {0};
    struct page_answer a;
    bool bad;

    st.reference = form_get(f, "reference", NULL);
    st.offer_action = form_get(f, "action", NULL);
    st.evidence_dropped = form_get(f, CLAIM_FORM_EVIDENCE_DROPPED, NULL);
    const char *token = form_get(f, "token", NULL);
    if (st.reference == NULL || st.reference[0] == '\0' || token == NULL || token[0] == '\0') {
        /* nothing to look up: say what is missing, not that it was not recognised */
        st.notice_key = "my.missing";
        st.notice_kind = "error";
        st.sent = "missing";
        return render(rq, w, 422, &st);
    }
    if (!become_claimant(rq, st.reference, token))
        return not_found(rq, w, &st);
    json_t *patch = patch_of(rq, w, f, what, &bad);
    if (bad)
        return page_error(rq, 400);
    if (patch != NULL) {
        if (!page_api_body(rq, patch, "application/merge-patch+json"))
            return page_error(rq, 500);
        page_api_answer(rq, handle_claims_correct(rq), &a);
    } else if (strcmp(what, "withdraw_confirm") == 0) {
        page_api_answer(rq, handle_claims_withdraw(rq), &a);
    } else {
        page_api_answer(rq, handle_claims_get(rq), &a);
    }
    if (a.status == 200) {
        if (strcmp(what, "reshow") == 0) {
            st.values = f; /* the correction as typed, in the switch's language */
            /* with its errors again when it came back refused (page_claim.h) */
            st.recheck = form_get(f, CLAIM_FORM_SENT, NULL) != NULL;
        }
        if (strcmp(what, "keep") == 0 || strcmp(what, "renewed") == 0) {
            /* the claim with its reference and token on show: a page that showed them (the
             * receipt, a new token) in another language; "renewed": the token just set by a
             * recovery link (redeem) */
            st.new_reference = json_string_value(json_object_get(a.doc, "reference"));
            st.new_token = token;
            st.renewed = strcmp(what, "renewed") == 0;
        }
        const char *status = json_string_value(json_object_get(a.doc, "status"));
        bool withdrawn = status != NULL && strcmp(status, "withdrawn") == 0;
        const struct evidence_said *file = evidence_said(f);
        st.notice_key = strcmp(what, "correct") == 0            ? "my.corrected"
                        : strcmp(what, "join") == 0             ? "myform.joined"
                        : strcmp(what, "revoke") == 0           ? "my.mandate_revoked"
                        : strcmp(what, "withdraw_confirm") == 0 ? "my.withdrawn_done"
                        : file != NULL                          ? file->key
                                                                : NULL;
        st.notice_kind = st.notice_key == NULL           ? NULL
                         : file != NULL && file->refused ? "error"
                                                         : "success";
        st.evidence_refused = file != NULL && file->refused ? file->key : NULL;
        if (strcmp(what, "withdraw_confirm") == 0) /* its {days}: when the data goes */
            st.notice_param = arena_printf(rq->arena, "%d", w->cfg->withdrawn_retention_days);
        if (strcmp(what, "withdraw") == 0) {
            /* the question; once withdrawn (a second tab, the back button), nothing to ask */
            st.confirm_withdraw = !withdrawn;
            st.notice_key = withdrawn ? "my.claim_withdrawn" : NULL;
            st.notice_kind = withdrawn ? "info" : NULL;
        }
        return claim_page(rq, w, f, a.doc, &st, file != NULL ? file->status : 200);
    }
    if (a.status == 401 || a.status == 404)
        return not_found(rq, w, &st);
    /* a refused change: the claim as it stands, the reason, the values typed kept */
    struct page_answer now;
    page_api_answer(rq, handle_claims_get(rq), &now);
    if (now.doc == NULL)
        return page_error(rq, 503);
    refused(rq, &a, f, what, &st);
    return claim_page(rq, w, f, now.doc, &st, a.status >= 400 && a.status < 600 ? a.status : 500);
}

/* The refusals of the access and recovery forms that their language switch says again
 * (their `sent`), besides the waits (page_wait_kept). */
static const struct {
    const char *sent, *key;
    int status;
} access_refusals[] = {
    {"not_found", "my.not_found", 404},
    {"missing", "my.missing", 422},
    {"bad_email", "myform.lost_bad_email", 422},
};

/* What was typed in the access page's one form (page_my_claim_view.c), into st, to be shown
 * again: the access question's reference and the action a join link offered, the recovery
 * question's address and reference; never the token, which a page never writes back. */
static void
keep_typed(const struct form *f, struct my_claim_state *st)
{
    st->reference = form_get(f, "reference", NULL);
    st->offer_action = form_get(f, "action", NULL);
    if (st->offer_action != NULL && !uuid_is_valid(st->offer_action))
        st->offer_action = NULL;
    st->recover_email = form_get(f, "email", NULL);
    st->recover_reference = form_get(f, MY_CLAIM_RECOVER_REFERENCE, NULL);
}

/* The recovery's reference: its own control of the access page's form, or "reference" in a
 * post that has no such control (the recovery form alone, as before the two were one). */
static const char *
recover_reference(const struct form *f)
{
    const char *own = form_get(f, MY_CLAIM_RECOVER_REFERENCE, NULL);

    return own != NULL ? own : form_get(f, "reference", NULL);
}

/* What a post of the access page's form without a `form` sends: Enter pressed in a field
 * (the layout's default button, which names nothing) or its language switch. The token
 * typed opens the claim; without it, an address typed asks for a link; else the claim is
 * asked for, and the page says what is missing. */
static const char *
access_intent(const struct form *f)
{
    const char *token = form_get(f, "token", NULL), *email = form_get(f, "email", NULL);

    if ((token == NULL || token[0] == '\0') && email != NULL && email[0] != '\0')
        return "recover";
    return "open";
}

/* The language switch of the access page (a button of its form): the access page again in
 * that language with what was typed in either question but the token, which is never
 * written back; nothing is looked up. A refusal the form came back with is said again (a
 * wait with what is left of it, nothing once it is over), with its status. */
static struct reply
reshow_access(struct request *rq, const struct web_ctx *w, const struct form *f)
{
    struct my_claim_state st = {0};
    const char *sent = form_get(f, CLAIM_FORM_SENT, NULL), *left = NULL;
    int status = 200;

    keep_typed(f, &st);
    for (size_t i = 0; sent != NULL && i < sizeof access_refusals / sizeof access_refusals[0]; i++)
        if (strcmp(sent, access_refusals[i].sent) == 0) {
            st.notice_key = access_refusals[i].key;
            status = access_refusals[i].status;
        }
    /* a wait: said while it holds, in this page's words (the claim form's speak of a claim
     * not registered); once over, nothing */
    const char *claim_key;
    if (st.notice_key == NULL && sent != NULL && page_wait_again(rq, sent, &claim_key, &left) &&
        left != NULL) {
        bool limited = strncmp(sent, "rate_limited", 12) == 0;
        st.notice_key = limited ? "my.err.rate_limited" : "my.err.unavailable";
        status = limited ? 429 : 503;
    }
    if (st.notice_key == NULL)
        return render(rq, w, 200, &st);
    st.notice_kind = "error";
    st.notice_param = left;
    st.sent = sent;
    struct reply page = render(rq, w, status, &st);
    if (left != NULL)
        reply_add_header(&page, "Retry-After", left);
    return page;
}

/* "I lost my token": the same answer whether a claim matches or not (recovery.c). */
static struct reply
recover(struct request *rq, const struct web_ctx *w, const struct form *f)
{
    struct my_claim_state st = {0};
    struct page_answer a;
    const char *email = form_get(f, "email", NULL);
    const char *reference = recover_reference(f);
    json_t *body = json_pack("{s:s, s:s?, s:s}", "email", email != NULL ? email : "", "reference",
                             reference != NULL && reference[0] != '\0' ? reference : NULL, "lang",
                             web_lang_code(w->lang));

    if (!page_api_body(rq, body, "application/json"))
        return page_error(rq, 500);
    page_api_answer(rq, handle_recovery_request(rq), &a);
    if (a.status == 202) {
        st.notice_key = "myform.lost_sent";
        st.notice_kind = "success";
        return render(rq, w, 200, &st);
    }
    st.notice_kind = "error";
    keep_typed(f, &st); /* to mend, not to type again; the access question's too */
    st.recover_reference = reference;
    st.notice_key = a.status == 429   ? "my.err.rate_limited"
                    : a.status == 422 ? "myform.lost_bad_email"
                                      : "my.err.unavailable";
    st.notice_param = a.retry_after != NULL ? a.retry_after : "30";
    st.sent = a.status == 422 ? "bad_email"
                              : page_wait_kept(rq, a.status == 429 ? "rate_limited" : "unavailable",
                                               st.notice_param);
    struct reply page = render(rq, w, a.status == 422 ? 422 : a.status == 429 ? 429 : 503, &st);
    if (a.retry_after != NULL)
        reply_add_header(&page, "Retry-After", a.retry_after);
    return page;
}

/* The recovery link's button: a new token, shown once; the old one stops working. */
static struct reply
redeem(struct request *rq, const struct web_ctx *w, const struct form *f)
{
    struct my_claim_state st = {0};
    struct page_answer a;
    const char *link = form_get(f, "link", NULL);

    if (link == NULL || link[0] == '\0' || !page_api_body(rq, json_object(), "application/json"))
        return page_error(rq, 400);
    page_api_param(rq, link);
    page_api_answer(rq, handle_recovery_redeem(rq), &a);
    const char *reference = json_string_value(json_object_get(a.doc, "reference"));
    const char *token = json_string_value(json_object_get(a.doc, "token"));
    if (a.status == 200 && reference != NULL && token != NULL) {
        /* the claim itself with the new token on show, as the receipt's "See my claim" opens
         * it: the person came to see the claim, and typing back the 43 characters just shown
         * is where a token gets mistyped */
        struct form_pair *pairs = arena_alloc(rq->arena, 3 * sizeof *pairs);
        pairs[0] = (struct form_pair){"form", "renewed"};
        pairs[1] = (struct form_pair){"reference", reference};
        pairs[2] = (struct form_pair){"token", token};
        return claimant_action(rq, w, &(struct form){.pairs = pairs, .n = 3}, "renewed");
    }
    st.notice_key = a.status == 404 ? "myform.link_dead" : "my.err.unavailable";
    st.notice_param = "30";
    st.notice_kind = "error";
    return render(rq, w, a.status == 404 ? 404 : 503, &st);
}

struct reply
handle_page_my_claim_post(struct request *rq)
{
    struct form f;
    struct reply deny;

    if (!page_query_ok(rq, &deny) || !page_form_read(rq, &f, &deny))
        return deny;
    if (!claim_form_names_once(&f))
        return page_error(rq, 400); /* as POST /claim: a name meant once, sent twice */
    page_ease_credentials(rq->arena, &f);
    struct web_ctx w = page_ctx(rq);
    bool switched;
    if (!page_form_lang(&f, &w.lang, &switched))
        return page_error(rq, 400);
    w.switched = switched;
    const char *what = form_get(&f, "form", NULL);
    if (what == NULL)
        what = access_intent(&f); /* the access page's form, by Enter or its switch */
    /* the language switch is a button of the correction form (page_my_claim_view.c): the
     * claim again in that language, the correction as typed, nothing saved */
    if (switched && strcmp(what, "correct") == 0)
        return claimant_action(rq, &w, &f, "reshow");
    if (switched && (strcmp(what, "open") == 0 || strcmp(what, "recover") == 0))
        return reshow_access(rq, &w, &f);
    if (strcmp(what, "recover") == 0)
        return recover(rq, &w, &f);
    if (strcmp(what, "redeem") == 0)
        return redeem(rq, &w, &f);
    static const char *const claimant[] = {
        "open", "keep", "renewed", "correct", "withdraw", "withdraw_confirm", "join", "revoke",
        NULL};
    for (int i = 0; claimant[i] != NULL; i++)
        if (strcmp(what, claimant[i]) == 0)
            return claimant_action(rq, &w, &f, what);
    return page_error(rq, 400);
}

/* A correction refused by the rate limit before its handler. Nothing is looked up under the
 * limit: it sheds a flood's load and bounds the guesses of a token, so the claim is neither
 * read nor its token checked. What was typed comes back whole, as the hidden fields of a form
 * that sends it again once the time said has passed (the token among them: it came in this
 * post, and this page is no-store like every claim's). */
static struct reply
resend_page(struct request *rq, const struct web_ctx *w, const struct form *f)
{
    struct strbuf sb = {0};
    const char *seconds = limit_seconds(rq);
    char one[96];
    /* the language switch is a button of the form below, as on the claim's page: it posts
     * the correction with switch_lang, which shows it again in that language, nothing saved
     * (handle_page_my_claim_post); a link would lose it */
    struct web_page page = {.title = web_t(w->cat, w->lang, "my.limited.title"),
                            .path = "/my-claim",
                            .noindex = true,
                            .h1 = true,
                            .switch_form = "resend",
                            .error = true};

    web_layout_begin(&sb, w, &page);
    strbuf_puts(&sb, "<div id=\"claim-status\" class=\"status status-error\" role=\"alert\"><p>");
    web_tf(&sb, w->cat, w->lang, WEB_TEXT,
           web_key_counted(w->cat, w->lang, "my.limited.body", seconds, one, sizeof one),
           (const char *[]){"seconds", seconds, NULL});
    strbuf_puts(&sb, "</p></div>\n<form id=\"resend\" method=\"post\" action=\"/my-claim\">\n");
    for (size_t i = 0; i < f->n; i++)
        html_hidden(&sb, f->pairs[i].name, f->pairs[i].value);
    strbuf_puts(&sb, "<p class=\"actions\"><button type=\"submit\" class=\"button primary\">");
    web_te(&sb, w->cat, w->lang, WEB_TEXT, "my.limited.resend");
    strbuf_puts(&sb, "</button></p>\n</form>\n");
    web_layout_end(&sb, w);
    struct reply r = page_reply(rq, w, 429, &sb, NULL);
    r.cache_control = "no-store";
    return r;
}

bool
page_my_claim_rate_limited(struct request *rq, struct reply *out)
{
    struct form f;
    struct reply deny;
    bool switched;

    if (!page_query_ok(rq, &deny) || !page_form_read(rq, &f, &deny)) {
        reply_discard(&deny);
        return false;
    }
    page_ease_credentials(rq->arena, &f);
    struct web_ctx w = page_ctx(rq);
    const char *what = form_get(&f, "form", NULL);
    if (!page_form_lang(&f, &w.lang, &switched))
        return false;
    w.switched = switched;
    if (what == NULL)
        what = access_intent(&f);
    if (strcmp(what, "correct") == 0) {
        *out = resend_page(rq, &w, &f);
        return true;
    }
    if (strcmp(what, "open") != 0 && strcmp(what, "recover") != 0)
        return false; /* a button's post: nothing typed to lose */
    /* the access or recovery form with what was typed (not the token: never written back) */
    struct my_claim_state st = {.notice_key = "my.err.rate_limited", .notice_kind = "error"};
    st.notice_param = limit_seconds(rq);
    keep_typed(&f, &st);
    st.sent = page_wait_kept(rq, "rate_limited", st.notice_param); /* said again at its switch */
    *out = render(rq, &w, 429, &st);
    return true;
}
