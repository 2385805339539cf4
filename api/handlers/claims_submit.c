/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* POST /v1/incidents/{slug}/claims (docs/architecture.md §5): settle a replayed
 * Idempotency-Key, validate every rule at once, hand the submission to the intake service
 * and suspend the connection; the service delivers one outcome to on_written, which only
 * replies. */
#include "handlers/claims.h"

#include <string.h>

#include "app.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/log.h"
#include "handlers/claim_json.h"
#include "handlers/guard.h"
#include "handlers/idempotency.h"
#include "http/client_ip.h"
#include "http/json_body.h"
#include "http/outcome.h"
#include "http/problem.h"
#include "service/intake.h"
#include "service/intake_metrics.h"
#include "service/lookup_cache.h"

static const char duplicate_detail[] =
    "a claim for this person already exists on this incident; use its reference and token to "
    "read or correct it";

static struct reply
duplicate_reply(void)
{
    return problem_reply("duplicate-claim", duplicate_detail);
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

static struct reply
accepted_reply(const struct intake_submission *s)
{
    if (s->receipt == NULL)
        return reply_outcome(OUTCOME_INTERNAL, NULL);
    struct reply r = reply_bytes(201, "application/json; charset=utf-8", s->receipt,
                                 strlen(s->receipt));
    reply_add_header(&r, "Location", s->location);
    return r;
}

/* The submission's one outcome, on an intake writer thread after COMMIT: the reply, and
 * nothing else (the answer for an Idempotency-Key is stored already, in the same
 * transaction). */
static void
on_written(struct intake_submission *s)
{
    struct request *rq = s->ctx;
    struct reply r;

    switch (s->outcome) {
    case INTAKE_ACCEPTED:
        r = accepted_reply(s);
        break;
    case INTAKE_DUPLICATE:
        r = duplicate_reply();
        break;
    case INTAKE_IDEM_IN_USE:
        r = idem_settled_reply(&(struct idem_lookup){.state = IDEM_IN_USE});
        break;
    case INTAKE_UNAVAILABLE:
        r = reply_outcome(OUTCOME_UNAVAILABLE, NULL);
        break;
    case INTAKE_INTERNAL:
    default:
        r = reply_outcome(OUTCOME_INTERNAL, NULL);
        break;
    }
    request_complete(rq, r);
}

/* Validates against the incident and the mandated action; *deny set when the request ends
 * here. */
static bool
validate(struct request *rq, json_t *body, const struct incident *inc,
         struct claim_input *in, struct action *mandate, struct reply *deny)
{
    const struct app *app = rq->app;
    struct errors errors = {0};
    struct json_fields jf = {.obj = body, .prefix = "", .errors = &errors, .arena = rq->arena};

    if (strcmp(inc->status, "open") != 0) {
        *deny = problem_reply("incident-closed", "this incident no longer accepts claims");
        return false;
    }
    if (!claims_check_submission(&jf, inc, app->cfg->privacy_notice_version, in, mandate)) {
        *deny = reply_outcome(OUTCOME_UNAVAILABLE, NULL);
        return false;
    }
    if (rq->from_page_form)
        claims_check_postal_form(&jf, in);
    if (errors_any(&errors)) {
        *deny = json_body_invalid(&errors);
        return false;
    }
    return true;
}

/* What the intake service needs of a validated request. */
static bool
make_input(struct request *rq, const struct incident *inc, const struct claim_input *in,
           const struct action *mandate, const struct idem_key *key, struct intake_input *out)
{
    char *ip = arena_alloc(rq->arena, CLIENT_IP_MAX); /* for the risk flags (docs/risk.md) */
    const struct app *app = rq->app;

    client_ip(rq, app->cfg->trusted_proxies, ip);
    *out = (struct intake_input){
        .claim = in,
        .incident_id = inc->id,
        .incident_slug = inc->slug,
        .pii_json = claim_pii_json(rq->arena, &in->claimant, in->harms.description),
        .body_json = arena_strndup(rq->arena, rq->body.data, rq->body.len),
        .key = *key,
        .client_ip = ip,
    };
    if (in->action_id != NULL) {
        out->mandate_action_id = mandate->id;
        out->mandate_association_id = mandate->association_id;
        out->mandate_text_version = mandate->mandate_text_version;
    }
    if (key->present) {
        struct reply dup = duplicate_reply();
        out->duplicate_answer =
            dup.body != NULL ? arena_strndup(rq->arena, dup.body, dup.body_len) : NULL;
        reply_discard(&dup);
        if (out->duplicate_answer == NULL)
            return false;
    }
    return out->pii_json != NULL;
}

/* The request up to the queue: a reply when it ends here (refusals, replays, failures), or
 * REPLY_ASYNC once the submission is queued. *fresh: the key (if any) has no answer yet, so
 * a refusal is to be kept for it. */
static struct reply
submit(struct request *rq, json_t *body, const struct idem_key *key, bool *fresh)
{
    struct claim_input in;
    struct incident inc;
    struct action mandate;
    struct intake_input input;
    struct reply deny;

    enum outcome o = svc_rq_incident_for_intake(request_param(rq, 0), rq->arena, &inc);
    if (o != OUTCOME_OK) {
        *fresh = true;
        return reply_outcome(o, NULL);
    }
    struct idem_lookup found = svc_rq_idem_lookup(app_secrets(rq->app), rq->arena, key);
    if (found.state != IDEM_NEW)
        return idem_settled_reply(&found);
    *fresh = true;
    if (!validate(rq, body, &inc, &in, &mandate, &deny))
        return deny;
    struct intake_submission *s = arena_alloc(rq->arena, sizeof *s);
    if (!make_input(rq, &inc, &in, &mandate, key, &input) ||
        !intake_prepare(app_secrets(rq->app), rq->arena, &input, s)) {
        log_error("could not seal a claim");
        return reply_outcome(OUTCOME_INTERNAL, NULL);
    }
    s->done = on_written;
    s->ctx = rq;
    intake_metrics_observe(INTAKE_PHASE_HANDLER, clock_monotonic_ns() - rq->started_ns);
    if (!intake_submit(s))
        return shutting_down_reply();
    return reply_async();
}

struct reply
handle_claims_submit(struct request *rq)
{
    struct idem_key key;
    struct reply r;
    bool fresh = false;

    json_t *body = json_body_object(rq, false, &r);
    if (body == NULL || !idem_read(rq, "public", &key, &r))
        return r;
    r = submit(rq, body, &key, &fresh);
    /* docs/api.md §4.6: a refusal is kept for the key too, so that a retry gets the same
     * answer (svc_idem_remember keeps no 5xx); best effort, it has no effect to keep: a
     * failure only loses the replay */
    if (key.present && fresh && r.status != REPLY_ASYNC)
        (void)svc_rq_idem_remember(
            app_secrets(rq->app), rq->arena, &key, r.status,
            r.body != NULL ? arena_strndup(rq->arena, r.body, r.body_len) : "",
            idem_location(&r));
    return r;
}
