/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Notices of an association to the members of its action (docs/workspace.md "Notices"):
 * POST/GET /v1/actions/{id}/notices, GET …/notices/{notice}, GET …/{notice}/preview,
 * POST …/{notice}/send, POST …/{notice}/cancel, DELETE …/{notice}. Bodies read and checked
 * here, one service entry point each (service/notices.h), which checks the action is the
 * caller's: another association's action, or a notice of another action, answers 404 on every
 * route. */
#include "handlers/handlers.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/arena.h"
#include "core/config.h"
#include "domain/notice.h"
#include "domain/uuid.h"
#include "handlers/guard.h"
#include "handlers/workspace_members.h"
#include "http/json_body.h"
#include "http/json_build.h"
#include "http/json_fields.h"
#include "http/outcome.h"
#include "http/problem.h"
#include "service/notices.h"

/* The path's action and notice ids, 404 unless both are uuids. */
static bool
path_ids(struct request *rq, bool with_notice, struct reply *deny)
{
    bool ok = uuid_is_valid(request_param(rq, 0)) &&
              (!with_notice || uuid_is_valid(request_param(rq, 1)));

    if (!ok)
        *deny = reply_outcome(OUTCOME_NOT_FOUND, NULL);
    return ok;
}

/* Before a write reads its body: the action (and notice) must be the caller's (else 404),
 * then the association approved (else 409 approval-lapsed). */
static bool
may_write(struct request *rq, const struct caller *who, bool with_notice, struct reply *deny)
{
    struct reply lapsed;

    if (!path_ids(rq, with_notice, deny))
        return false;
    bool approved = guard_approved(who, &lapsed);
    enum outcome o = svc_rq_notice_check(who->association_id, request_param(rq, 0),
                                         with_notice ? request_param(rq, 1) : NULL, true,
                                         approved, rq->arena);
    if (o == OUTCOME_APPROVAL_LAPSED) {
        *deny = lapsed;
        return false;
    }
    if (!approved)
        reply_discard(&lapsed);
    if (o != OUTCOME_OK)
        *deny = reply_outcome(o, NULL);
    return o == OUTCOME_OK;
}

static json_t *
texts_json(const struct notice_texts *t)
{
    struct json_build b = {0};
    json_t *out = json_object();

    for (int i = 0; i < NOTICE_N_LANGS; i++) {
        json_t *one = json_pack("{s:s}", "subject", t->subject[i]);
        if (t->body[i] != NULL) /* a list leaves the bodies out */
            jb_set(&b, one, "body", json_string(t->body[i]));
        jb_set(&b, out, notice_langs[i], one);
    }
    return jb_result(&b, out);
}

/* A notice as the API shows it: its texts (bodies left out of a list), its send record, its
 * stop if any, and its progress (queued, sent, failed, cancelled). */
static json_t *
notice_json(const struct notice_row *n)
{
    json_t *audience = n->audience != NULL ? json_loads(n->audience, 0, NULL) : json_null();
    int64_t queued = n->recipients - n->sent_count - n->failed_count - n->cancelled_count;
    const char *state = n->cancelled ? "cancelled" : n->sent ? "sent" : "draft";

    return json_pack(
        "{s:s, s:s, s:s, s:b, s:o, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:o, s:o, s:o}",
        "id", n->id, "action_id", n->action_id, "kind", n->kind, "essential", n->essential,
        "texts", texts_json(&n->texts), "texts_sha256", n->texts_sha256, "created_by",
        n->created_by, "created_at", n->created_at, "state", state, "sent_by", n->sent_by,
        "sent_at", n->sent_at, "cancelled_by", n->cancelled_by, "cancelled_at", n->cancelled_at,
        "audience", audience != NULL ? audience : json_null(), "counts",
        n->sent ? json_pack("{s:I, s:I, s:I}", "matching", (json_int_t)n->matching, "recipients",
                            (json_int_t)n->recipients, "skipped_opted_out",
                            (json_int_t)n->skipped_opted_out)
                : json_null(),
        "progress",
        json_pack("{s:I, s:I, s:I, s:I}", "queued", (json_int_t)(queued > 0 ? queued : 0),
                  "sent", (json_int_t)n->sent_count, "failed", (json_int_t)n->failed_count,
                  "cancelled", (json_int_t)n->cancelled_count));
}

/* A notice of a list page (reply_rows). */
static json_t *
notice_item(const void *row)
{
    return notice_json(row);
}

/* {"kind": "...", "texts": {"fr": {"subject", "body"}, "en": {...}}} */
static void
read_draft(struct request *rq, const struct json_fields *jf, const char **kind,
           struct notice_texts *t)
{
    static const char *const keys[] = {"kind", "texts", NULL};
    static const char *const text_keys[] = {"subject", "body", NULL};
    struct json_fields texts, one;

    (void)rq;
    jf_refuse_unknown(jf, keys);
    *kind = jf_enum(jf, "kind", true, notice_kinds);
    if (!jf_object(jf, "texts", true, &texts))
        return;
    jf_refuse_unknown(&texts, notice_langs);
    for (int i = 0; i < NOTICE_N_LANGS; i++) {
        if (!jf_object(&texts, notice_langs[i], true, &one))
            continue;
        jf_refuse_unknown(&one, text_keys);
        t->subject[i] = jf_text(&one, "subject", true, NOTICE_SUBJECT_MAX);
        t->body[i] = jf_long_text(&one, "body", true, NOTICE_BODY_MAX);
    }
}

struct reply
handle_notices_create(struct request *rq)
{
    struct errors errors = {0};
    struct notice_texts t = {0};
    struct notice_row out;
    struct caller who = guard_caller(rq);
    struct reply deny;
    const char *kind = NULL;

    if (!may_write(rq, &who, false, &deny))
        return deny;
    struct json_fields jf;
    if (!json_body_fields(rq, false, NULL, &errors, &jf, &deny))
        return deny;
    read_draft(rq, &jf, &kind, &t);
    if (errors_any(&errors))
        return json_body_invalid(&errors);
    struct audit_note note = {who.actor, rq->body.data, rq->body.len};
    enum outcome o = svc_rq_notice_create(&note, who.association_id, request_param(rq, 0), kind, &t,
                             rq->arena, &out);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    struct reply r = reply_json_take(201, notice_json(&out));
    reply_add_header(&r, "Location", arena_printf(rq->arena, "/v1/actions/%s/notices/%s",
                                                  out.action_id, out.id));
    return r;
}

struct reply
handle_notices_list(struct request *rq)
{
    struct caller who = guard_caller(rq);
    struct reply deny;
    const char *after;
    int limit, n = 0;
    bool more = false;

    if (!path_ids(rq, false, &deny))
        return deny;
    /* the cursor is tied to this action: it cannot walk another's notices */
    const char *kind = arena_printf(rq->arena, "notices:%s", request_param(rq, 0));
    if (!guard_page(rq, kind, NULL, NULL, &limit, &after, &deny))
        return deny;
    struct notice_row *rows = arena_alloc(rq->arena, sizeof *rows * (size_t)(limit + 1));
    enum outcome o = svc_rq_notice_list(who.association_id, request_param(rq, 0), after, limit,
                                        rq->arena, rows, &n, &more);
    if (o == OUTCOME_INVALID)
        return problem_reply("invalid-cursor", "the cursor was not issued for this list");
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    const char *next = more
                           ? guard_next_cursor(rq, kind, NULL, NULL,
                                               arena_printf(rq->arena, "%s|%s",
                                                            rows[n - 1].created_at, rows[n - 1].id))
                           : NULL;
    return reply_rows(rows, n, sizeof *rows, notice_item, next);
}

struct reply
handle_notices_get(struct request *rq)
{
    struct caller who = guard_caller(rq);
    struct notice_row n;
    struct reply deny;

    if (!path_ids(rq, true, &deny))
        return deny;
    enum outcome o = svc_rq_notice_get(who.association_id, request_param(rq, 0),
                                       request_param(rq, 1), rq->arena, &n);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    return reply_json_take(200, notice_json(&n));
}

struct reply
handle_notices_preview(struct request *rq)
{
    struct caller who = guard_caller(rq);
    struct mail_rendered m = {0};
    struct reply deny;
    const char *stop_url = NULL;
    const char *lang = request_query(rq, "lang");

    if (!path_ids(rq, true, &deny))
        return deny;
    if (lang == NULL)
        lang = "fr";
    if (strcmp(lang, "fr") != 0 && strcmp(lang, "en") != 0)
        return guard_bad_parameter("lang", "lang must be fr or en");
    const struct app *app = rq->app;
    enum outcome o = svc_rq_notice_preview(who.association_id, request_param(rq, 0),
                                           request_param(rq, 1), lang, app->cfg->public_url,
                                           config_mail_sender_name(app->cfg), rq->arena, &m,
                                           &stop_url);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:s?}", "lang", lang, "subject", m.subject.data,
                            "text", m.text.data, "html", m.html.data, "list_unsubscribe",
                            stop_url);
    mail_rendered_free(&m);
    return reply_json_take(200, doc);
}

/* The audience as kept with the notice: the filter's given fields, sorted, compact. */
static const char *
audience_json(struct request *rq, const struct ws_filter *f)
{
    static const char *const names[] = {"status", "country", "payment_preference",
                                        "mandated_from", "mandated_to", "risk", "eligibility"};
    const char *const values[] = {f->status, f->country, f->payment, f->mandated_from,
                                  f->mandated_to, f->risk, f->eligibility};
    struct json_build b = {0};
    json_t *o = json_object();

    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (values[k] != NULL)
            jb_set(&b, o, names[k], json_string(values[k]));
    if (f->email_confirmed >= 0)
        jb_set(&b, o, "email_confirmed", json_boolean(f->email_confirmed));
    o = jb_result(&b, o); /* NULL (out of memory): json_dumps fails in turn, "{}" below */
    char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    const char *out = text != NULL ? arena_strdup(rq->arena, text) : "{}";
    free(text);
    return out;
}

struct reply
handle_notices_send(struct request *rq)
{
    static const char *const keys[] = {"filter", "expected_count", "dry_run", NULL};
    struct errors errors = {0};
    struct ws_filter f = {.email_confirmed = -1};
    struct notice_send_request s = {.f = &f, .expected = -1};
    struct notice_send_result res;
    struct caller who = guard_caller(rq);
    struct reply deny;
    bool present = false;

    if (!may_write(rq, &who, true, &deny))
        return deny;
    struct json_fields jf;
    struct json_fields sub;
    if (!json_body_fields(rq, false, keys, &errors, &jf, &deny))
        return deny;
    if (jf_object(&jf, "filter", false, &sub))
        ws_filter_from_json(&sub, &f);
    jf_bool(&jf, "dry_run", &s.dry_run);
    jf_int64(&jf, "expected_count", false, 0, INT64_MAX, &s.expected, &present);
    /* a notice goes out only on a count the user saw */
    if (!s.dry_run && !present)
        errors_add(&errors, "expected_count", "required",
                   "confirm the recipients count a dry run gave");
    if (errors_any(&errors))
        return json_body_invalid(&errors);
    s.audience = audience_json(rq, &f);
    struct audit_note note = {who.actor, rq->body.data, rq->body.len};
    enum outcome o = svc_rq_notice_send(&note, who.association_id, request_param(rq, 0),
                           request_param(rq, 1), &s, rq->arena, &res);
    if (o == OUTCOME_INVALID_TRANSITION)
        return problem_reply("invalid-transition", "this notice was sent already");
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    if (res.no_recipients)
        return problem_reply("no-recipients",
                             res.matching == 0
                                 ? "no member matches the audience: nothing was sent, the "
                                   "notice stays a draft"
                                 : "every member matching the audience stopped non-essential "
                                   "notices: nothing was sent, the notice stays a draft");
    if (res.count_changed)
        return problem_reply(
            "count-changed",
            arena_printf(rq->arena, "%lld %s would receive it now, not %lld: nothing was sent",
                         (long long)res.recipients, res.recipients == 1 ? "member" : "members",
                         (long long)s.expected));
    return reply_json_take(
        s.dry_run ? 200 : 202,
        json_pack("{s:s, s:b, s:I, s:I, s:I, s:s}", "notice_id", request_param(rq, 1), "dry_run",
                  s.dry_run, "matching", (json_int_t)res.matching, "recipients",
                  (json_int_t)res.recipients, "skipped_opted_out",
                  (json_int_t)res.skipped_opted_out, "state", s.dry_run ? "draft" : "sent"));
}

/* Why a notice cannot be stopped, from the notice as the refusal read it. */
static const char *
not_stoppable(const struct notice_row *n)
{
    if (!n->sent)
        return "this notice was never sent: there is nothing to stop";
    if (n->cancelled)
        return "this notice's send was stopped already";
    return "every message of this notice was sent or failed already: nothing is left to stop";
}

struct reply
handle_notices_cancel(struct request *rq)
{
    struct caller who = guard_caller(rq);
    struct notice_row n = {0};
    struct reply deny;

    if (!may_write(rq, &who, true, &deny))
        return deny;
    /* no body: what is stopped is the path's notice (the event's digest is its record) */
    struct audit_note note = {who.actor, NULL, 0};
    enum outcome o = svc_rq_notice_cancel(&note, who.association_id, request_param(rq, 0),
                                          request_param(rq, 1), rq->arena, &n);
    if (o == OUTCOME_INVALID_TRANSITION)
        return problem_reply("invalid-transition", not_stoppable(&n));
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    return reply_json_take(200, notice_json(&n));
}

struct reply
handle_notices_delete(struct request *rq)
{
    struct caller who = guard_caller(rq);
    struct reply deny;

    if (!may_write(rq, &who, true, &deny))
        return deny;
    struct audit_note note = {who.actor, NULL, 0};
    enum outcome o = svc_rq_notice_delete(&note, who.association_id, request_param(rq, 0),
                                          request_param(rq, 1), rq->arena);
    if (o == OUTCOME_INVALID_TRANSITION)
        return problem_reply("invalid-transition",
                             "only a draft can be deleted: this notice was sent");
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    return reply_empty(204);
}
