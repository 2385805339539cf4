/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* POST /v1/incidents/{slug}/claims: validate every rule at once, settle a replayed
 * Idempotency-Key, seal and hash, then hand the claim to the intake writers and suspend the
 * connection; the writer's `done` answers after COMMIT (docs/product.md §10). */
#include "handlers/claims.h"

#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include "app.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/log.h"
#include "handlers/claim_json.h"
#include "handlers/guard.h"
#include "handlers/idempotency.h"
#include "http/json_body.h"
#include "http/outcome.h"
#include "http/problem.h"
#include "db/actions.h"
#include "db/errors.h"
#include "db/pool.h"
#include "service/claims_seal.h"
#include "service/tx.h"
#include "service/lookup_cache.h"
#include "service/intake.h"

/* What a suspended submission keeps until its writer reports. Lives in the request arena. */
struct submission {
    struct request *rq;
    struct intake_job job;
    struct idem_request idem;
    const char *slug;
    const char *pii_json;
    const char *body_json; /* the whole submission, sealed again for a duplicate record */
    const char *action_id; /* the action joined at once, or NULL */
    char token[CLAIM_TOKEN_LEN + 1];
    char created_at[40];
};

static const char duplicate_detail[] =
    "a claim for this person already exists on this incident; use its reference and token to "
    "read or correct it";

static char *
receipt_body(const struct submission *s)
{
    json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s}", "reference",
                            s->job.row.reference, "token", s->token, "status", "received",
                            "incident", s->slug, "action_id", s->action_id, "created_at",
                            s->created_at);
    char *text = doc != NULL ? json_dumps(doc, JSON_COMPACT) : NULL;

    json_decref(doc);
    return text;
}

/* The job's sealed pieces: the whole submission and, with an Idempotency-Key, both answers
 * it may end with (201 receipt, 409 duplicate) sealed for storage in the same transaction. */
static bool
seal_extras(struct submission *s)
{
    const struct app *app = s->rq->app;
    struct arena *a = s->rq->arena;
    const char *ref = s->job.row.reference;

    int key_id = 0;
    s->job.submission = claims_seal(app_secrets(app), a, ref, strlen(ref), s->body_json,
                                    strlen(s->body_json), &s->job.submission_len, &key_id);
    /* claim_duplicates has one key id per row: the submission must be sealed like the pii */
    if (s->job.submission != NULL && key_id != s->job.row.data_key_id &&
        !claims_reseal_reference(app_secrets(app), a, s->pii_json, &s->job.row))
        return false;
    if (s->job.submission == NULL)
        return false;
    s->job.has_idem = s->idem.present;
    if (!s->idem.present)
        return true;
    char *receipt = receipt_body(s);
    struct reply dup = problem_reply("duplicate-claim", duplicate_detail);
    struct idem_row dup_row;
    bool ok = receipt != NULL &&
              idem_prepare(s->rq, &s->idem, 201, receipt,
                           arena_printf(a, "/v1/claims/%s", ref), &s->job.idem) &&
              idem_prepare(s->rq, &s->idem, 409, dup.body, NULL, &dup_row);
    if (ok) {
        s->job.idem_dup_response = dup_row.response;
        s->job.idem_dup_response_len = dup_row.response_len;
    }
    if (receipt != NULL) {
        explicit_bzero(receipt, strlen(receipt));
        free(receipt);
    }
    reply_discard(&dup);
    return ok;
}

static struct reply
created_reply(struct submission *s)
{
    char *body = receipt_body(s);

    if (body == NULL)
        return reply_outcome(OUTCOME_INTERNAL, NULL);
    struct reply r = reply_bytes(201, "application/json; charset=utf-8", body, strlen(body));
    explicit_bzero(body, strlen(body));
    free(body);
    reply_add_header(&r, "Location",
                     arena_printf(s->rq->arena, "/v1/claims/%s", s->job.row.reference));
    return r;
}

/* The intake writers have drained and left (the server is stopping): nothing was stored, a
 * retry reaches the next instance (decisions.md, "Hardening: HTTP"). */
static struct reply
shutting_down_reply(void)
{
    struct reply r = problem_reply("service-unavailable", "the server is shutting down; retry");

    reply_add_header(&r, "Retry-After", "1");
    return r;
}

/* Runs on an intake writer thread once the batch committed (or failed). */
static void
on_written(struct intake_job *job)
{
    struct submission *s = job->ctx;
    const struct app *app = s->rq->app;
    struct reply r;

    switch (job->result) {
    case INTAKE_CREATED:
        r = created_reply(s);
        break;
    case INTAKE_DUPLICATE:
        r = problem_reply("duplicate-claim", duplicate_detail);
        break;
    case INTAKE_IDEM_IN_USE:
        r = problem_reply("idempotency-key-in-use",
                          "a request with this Idempotency-Key is being processed");
        break;
    case INTAKE_RETRY:
        /* the reference collided with an existing one: draw another, nothing was stored */
        if (claims_reseal_reference(app_secrets(app), s->rq->arena, s->pii_json, &s->job.row) &&
            seal_extras(s)) {
            if (intake_submit(&s->job))
                return;
            r = shutting_down_reply();
            break;
        }
        r = reply_outcome(OUTCOME_INTERNAL, NULL);
        break;
    case INTAKE_UNAVAILABLE:
        r = reply_outcome(OUTCOME_UNAVAILABLE, NULL);
        break;
    case INTAKE_INTERNAL:
    default:
        r = reply_outcome(OUTCOME_INTERNAL, NULL);
        break;
    }
    request_complete(s->rq, r);
}

static void
stamp_now(char *out, size_t n)
{
    struct timeval tv;

    gettimeofday(&tv, NULL);
    clock_format_rfc3339(tv.tv_sec, (int)tv.tv_usec, out, n);
}

/* Validates against the incident and the mandated action; *deny set when the request ends
 * here. */
static bool
validate(struct request *rq, PGconn *c, json_t *body, const struct incident *inc,
         struct claim_input *in, struct action *mandate, struct reply *deny)
{
    const struct app *app = rq->app;
    struct errors errors = {0};
    struct json_fields jf = {.obj = body, .prefix = "", .errors = &errors, .arena = rq->arena};

    if (strcmp(inc->status, "open") != 0) {
        *deny = problem_reply("incident-closed", "this incident no longer accepts claims");
        return false;
    }
    claims_parse_submission(&jf, inc->data_categories, app->cfg->privacy_notice_version, in);
    bool db_down = false;
    if (in->action_id != NULL && !errors_any(&errors) &&
        !claims_check_mandate(c, rq->arena, inc->id, in->action_id, in->mandate_text_version,
                              &errors, mandate, &db_down) &&
        db_down) {
        *deny = reply_outcome(tx_outcome_of(c, DB_UNAVAILABLE), NULL);
        return false;
    }
    if (errors_any(&errors)) {
        *deny = json_body_invalid(&errors);
        return false;
    }
    return true;
}

/* docs/api.md §4.6: every answer but 5xx and 429 is kept for its Idempotency-Key, refusals too, so
 * that a retry gets the same answer. Best effort: a failure to store only loses the replay. */
static struct reply
remember(struct request *rq, PGconn *c, const struct idem_request *idem, struct reply r)
{
    struct idem_row row;
    const char *location = NULL;

    if (!idem->present || r.status < 400 || r.status >= 500 || r.status == 429 || c == NULL)
        return r;
    for (int i = 0; i < r.n_headers; i++)
        if (strcmp(r.headers[i].name, "Location") == 0)
            location = r.headers[i].value;
    const char *body = r.body != NULL ? arena_strndup(rq->arena, r.body, r.body_len) : "";
    if (idem_prepare(rq, idem, r.status, body, location, &row) &&
        db_idem_insert_batch(c, &row, 1) < 0)
        db_pool_check(c);
    return r;
}

static struct reply submit(struct request *rq, struct submission *s, PGconn **c_out);

struct reply
handle_claims_submit(struct request *rq)
{
    struct submission *s = arena_alloc(rq->arena, sizeof *s);
    PGconn *c = NULL;
    struct reply r = submit(rq, s, &c);

    return r.status == REPLY_ASYNC ? r : remember(rq, c, &s->idem, r);
}

static struct reply
submit(struct request *rq, struct submission *s, PGconn **c_out)
{
    const struct app *app = rq->app;
    struct claim_input in;
    struct incident inc;
    struct reply deny;
    PGconn *c;

    json_t *body = json_body_object(rq, false, &deny);
    if (body == NULL)
        return deny;
    if (!idem_read(rq, "public", &s->idem, &deny) || !guard_db(&c, &deny))
        return deny;
    *c_out = c;
    enum outcome o = svc_incident_for_intake(c, request_param(rq, 0), rq->arena, &inc);
    if (o != OUTCOME_OK)
        return reply_outcome(o, NULL);
    if (idem_settle(rq, c, &s->idem, &deny))
        return deny;
    struct action mandate;
    if (!validate(rq, c, body, &inc, &in, &mandate, &deny))
        return deny;
    s->rq = rq;
    s->slug = inc.slug;
    stamp_now(s->created_at, sizeof s->created_at);
    s->pii_json = claim_pii_json(rq->arena, &in.claimant, in.harms.description);
    s->body_json = arena_strndup(rq->arena, rq->body.data, rq->body.len);
    if (s->pii_json == NULL ||
        !claims_seal_new(app_secrets(app), rq->arena, inc.id, &in, s->pii_json, s->created_at,
                         &s->job.row, s->token)) {
        log_error("could not seal a claim");
        return reply_outcome(OUTCOME_INTERNAL, NULL);
    }
    if (in.action_id != NULL) {
        /* the mandate (Art. 80(1)) given with the form: the claim joins the action at once */
        s->job.row.mandate_action_id = mandate.id;
        s->job.row.mandate_association_id = mandate.association_id;
        s->job.row.mandate_text_version = mandate.mandate_text_version;
        s->action_id = mandate.id;
    }
    if (!seal_extras(s)) { /* after the mandate: the stored receipt names the action */
        log_error("could not seal a claim");
        return reply_outcome(OUTCOME_INTERNAL, NULL);
    }
    s->job.done = on_written;
    s->job.ctx = s;
    if (!intake_submit(&s->job))
        return shutting_down_reply();
    return reply_async();
}
