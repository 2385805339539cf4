/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* GET and POST /my-claim (page_my_claim.h). A post names what it does in its `form` field; the
 * claimant's reference and token become the API's path parameter and Bearer credential, the
 * route role the API's route has (ROLE_CLAIMANT) is checked as routes.c would, then the API's
 * handler runs and its answer, always synchronous here, is made into the page. */
#include "handlers/page_my_claim.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/arena.h"
#include "core/urlencoded.h"
#include "domain/currency.h"
#include "handlers/claim_form.h"
#include "handlers/claims.h"
#include "handlers/guard.h"
#include "handlers/page_claim.h"
#include "handlers/page_common.h"
#include "handlers/page_my_claim_view.h"
#include "handlers/recovery.h"
#include "handlers/scheme_json.h"
#include "domain/uuid.h"

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

/* A recovery link's secret: base64url, 16 to 128 characters (the links of api/mail/). */
static bool
link_is_valid(const char *s)
{
    size_t n = strlen(s);

    if (n < 16 || n > 128)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'))
            return false;
    return true;
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
    if (st.recover_link != NULL && !link_is_valid(st.recover_link))
        return guard_bad_parameter("recover", "recover must be the link's secret");
    if (st.recover_link != NULL && st.recover_link[0] == '\0')
        st.recover_link = NULL;
    return render(rq, &w, 200, &st);
}

/* The body the API handler reads, as JSON of the given media type. */
static bool
set_body(struct request *rq, json_t *body, const char *media)
{
    char *text = body != NULL ? json_dumps(body, JSON_COMPACT) : NULL;

    json_decref(body);
    if (text == NULL)
        return false;
    strbuf_free(&rq->body);
    strbuf_puts(&rq->body, text);
    free(text);
    return request_override_header(rq, "Content-Type", media);
}

static void
param(struct request *rq, const char *value)
{
    rq->match.params[0] = value;
    rq->match.n_params = 1;
}

static json_t *
problem_doc(const struct reply *r)
{
    return r->body != NULL ? json_loadb(r->body, r->body_len, 0, NULL) : NULL;
}

static const char *
problem_name_of(json_t *doc)
{
    const char *type = json_string_value(json_object_get(doc, "type"));
    const char *slash = type != NULL ? strrchr(type, '/') : NULL;
    return slash != NULL ? slash + 1 : "";
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
    if (d->has_scheme) {
        struct errors e = {0};
        json_t *j = json_loads(d->scheme.json, JSON_REJECT_DUPLICATES, NULL);
        if (j != NULL && scheme_from_json(j, "", scheme, &e) && !errors_any(&e))
            st->scheme = scheme;
        json_decref(j);
    }
    return render(rq, w, status, st);
}

/* open, correct, withdraw, join, revoke: the claimant's routes of the API. */
static struct reply
claimant_action(struct request *rq, const struct web_ctx *w, const struct form *f, const char *what)
{
    struct my_claim_state st = {0};
    struct reply deny, r;
    const char *reference = form_get(f, "reference", NULL);
    const char *token = form_get(f, "token", NULL);

    st.reference = reference;
    st.offer_action = form_get(f, "action", NULL);
    if (reference == NULL || token == NULL || reference[0] == '\0' || token[0] == '\0' ||
        !request_override_header(rq, "Authorization",
                                 arena_printf(rq->arena, "Bearer %s", token))) {
        st.notice_key = "my.not_found";
        st.notice_kind = "error";
        return render(rq, w, 404, &st);
    }
    param(rq, reference);
    if (!guard_route(rq, ROLE_CLAIMANT, &deny)) {
        reply_discard(&deny);
        st.notice_key = "my.not_found";
        st.notice_kind = "error";
        return render(rq, w, 404, &st);
    }
    json_t *patch = NULL;
    if (strcmp(what, "correct") == 0) {
        /* the currency's decimals for the loss: the claim's incident, read first */
        r = handle_claims_get(rq);
        json_t *before = problem_doc(&r);
        reply_discard(&r);
        struct claim_page_data d;
        int exponent = 2;
        if (before != NULL &&
            svc_rq_claim_page_load(json_string_value(json_object_get(before, "incident")), NULL,
                                   "fr", rq->arena, &d) == OUTCOME_OK)
            exponent = currency_exponent(d.incident.currency);
        json_decref(before);
        patch = claim_form_to_json(f, exponent < 0 ? 2 : exponent, true);
        if (patch == NULL)
            return page_error(rq, 400);
    } else if (strcmp(what, "join") == 0) {
        patch = json_pack("{s:s?, s:s?}", "action_id", form_get(f, "action", NULL),
                          "mandate_text_version", form_get(f, "mandate_text_version", NULL));
    } else if (strcmp(what, "revoke") == 0) {
        patch = json_pack("{s:n}", "action_id");
    }
    if (patch != NULL) {
        if (!set_body(rq, patch, "application/merge-patch+json"))
            return page_error(rq, 500);
        r = handle_claims_correct(rq);
    } else if (strcmp(what, "withdraw") == 0) {
        r = handle_claims_withdraw(rq);
    } else {
        r = handle_claims_get(rq);
    }
    json_t *doc = problem_doc(&r);
    const char *name = doc != NULL ? problem_name_of(doc) : "";
    int status = r.status;
    reply_discard(&r);
    if (doc != NULL)
        arena_defer(rq->arena, (void (*)(void *))json_decref, doc);
    if (status == 200) {
        if (strcmp(what, "correct") == 0 || strcmp(what, "join") == 0 ||
            strcmp(what, "revoke") == 0) {
            st.notice_key = strcmp(what, "correct") == 0 ? "my.corrected"
                            : strcmp(what, "join") == 0  ? "myform.joined"
                                                         : "my.mandate_revoked";
            st.notice_kind = "success";
        } else if (strcmp(what, "withdraw") == 0) {
            st.notice_key = "my.withdrawn_done";
            st.notice_kind = "success";
        }
        return claim_page(rq, w, f, doc, &st, 200);
    }
    if (status == 401 || status == 404) {
        st.notice_key = "my.not_found";
        st.notice_kind = "error";
        return render(rq, w, 404, &st);
    }
    /* a refused change: the claim as it stands, the reason, the values typed kept */
    struct reply again = handle_claims_get(rq);
    json_t *view = problem_doc(&again);
    reply_discard(&again);
    if (view == NULL)
        return page_error(rq, 503);
    arena_defer(rq->arena, (void (*)(void *))json_decref, view);
    st.notice_kind = "error";
    if (status == 422 && strcmp(name, "validation-error") == 0) {
        struct errors *e = arena_alloc(rq->arena, sizeof *e);
        memset(e, 0, sizeof *e);
        json_t *list = json_object_get(doc, "errors");
        for (size_t i = 0; i < json_array_size(list); i++) {
            json_t *it = json_array_get(list, i);
            const char *field = json_string_value(json_object_get(it, "field"));
            const char *code = json_string_value(json_object_get(it, "code"));
            if (field != NULL && code != NULL)
                errors_add(e, field, code, json_string_value(json_object_get(it, "message")));
        }
        st.errors = e;
        st.values = strcmp(what, "correct") == 0 ? f : NULL;
        st.notice_key = strcmp(what, "join") == 0 ? "mandate.unavailable" : NULL;
    } else if (strcmp(name, "duplicate-claim") == 0) {
        st.notice_key = "my.correct_duplicate";
    } else if (strcmp(name, "claim-withdrawn") == 0) {
        st.notice_key = "my.claim_withdrawn";
    } else if (strcmp(name, "already-in-action") == 0) {
        st.notice_key = "my.mandate_in_other";
    } else {
        st.notice_key = "claim.err.unavailable";
        st.notice_param = "30";
    }
    return claim_page(rq, w, f, view, &st, status >= 400 && status < 600 ? status : 500);
}

/* "I lost my token": the same answer whether a claim matches or not (handlers/recovery.h). */
static struct reply
recover(struct request *rq, const struct web_ctx *w, const struct form *f)
{
    struct my_claim_state st = {0};
    const char *email = form_get(f, "email", NULL);
    const char *reference = form_get(f, "reference", NULL);
    json_t *body = json_pack("{s:s, s:s?, s:s}", "email", email != NULL ? email : "", "reference",
                             reference != NULL && reference[0] != '\0' ? reference : NULL, "lang",
                             web_lang_code(w->lang));

    if (!set_body(rq, body, "application/json"))
        return page_error(rq, 500);
    struct reply r = handle_recovery_request(rq);
    int status = r.status;
    const char *retry = NULL;
    for (int i = 0; i < r.n_headers; i++)
        if (strcmp(r.headers[i].name, "Retry-After") == 0)
            retry = r.headers[i].value;
    reply_discard(&r);
    if (status == 202) {
        st.notice_key = "myform.lost_sent";
        st.notice_kind = "success";
        return render(rq, w, 200, &st);
    }
    st.notice_kind = "error";
    st.notice_key = status == 429   ? "claim.err.rate_limited"
                    : status == 422 ? "myform.lost_bad_email"
                                    : "claim.err.unavailable";
    st.notice_param = retry != NULL ? retry : "30";
    struct reply page = render(rq, w, status == 422 ? 422 : status == 429 ? 429 : 503, &st);
    if (retry != NULL)
        reply_add_header(&page, "Retry-After", retry);
    return page;
}

/* The recovery link's button: a new token, shown once; the old one stops working. */
static struct reply
redeem(struct request *rq, const struct web_ctx *w, const struct form *f)
{
    struct my_claim_state st = {0};
    const char *link = form_get(f, "link", NULL);

    if (link == NULL || link[0] == '\0' || !set_body(rq, json_object(), "application/json"))
        return page_error(rq, 400);
    param(rq, link);
    struct reply r = handle_recovery_redeem(rq);
    json_t *doc = problem_doc(&r);
    int status = r.status;
    reply_discard(&r);
    if (doc != NULL)
        arena_defer(rq->arena, (void (*)(void *))json_decref, doc);
    if (status == 200 && doc != NULL) {
        st.new_reference = json_string_value(json_object_get(doc, "reference"));
        st.new_token = json_string_value(json_object_get(doc, "token"));
        st.reference = st.new_reference;
        return render(rq, w, 200, &st);
    }
    st.notice_key = status == 404 ? "myform.link_dead" : "claim.err.unavailable";
    st.notice_param = "30";
    st.notice_kind = "error";
    return render(rq, w, status == 404 ? 404 : 503, &st);
}

struct reply
handle_page_my_claim_post(struct request *rq)
{
    struct form f;
    struct reply deny;

    if (!page_query_ok(rq, &deny) || !page_form_read(rq, &f, &deny))
        return deny;
    struct web_ctx w = page_ctx(rq);
    const char *lang = form_get(&f, "lang", NULL);
    if (lang != NULL)
        web_lang_parse(lang, &w.lang);
    const char *what = form_get(&f, "form", NULL);
    if (what == NULL)
        return page_error(rq, 400);
    if (strcmp(what, "recover") == 0)
        return recover(rq, &w, &f);
    if (strcmp(what, "redeem") == 0)
        return redeem(rq, &w, &f);
    static const char *const claimant[] = {"open", "correct", "withdraw", "join", "revoke", NULL};
    for (int i = 0; claimant[i] != NULL; i++)
        if (strcmp(what, claimant[i]) == 0)
            return claimant_action(rq, &w, &f, what);
    return page_error(rq, 400);
}
