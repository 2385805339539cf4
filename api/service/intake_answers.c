/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A submission's own work, apart from the writers' batches (intake_answers.h): prepared on the
 * request thread, and its answers made once its outcome is known. */
#include "service/intake_answers.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "core/arena.h"
#include "core/clock.h"
#include "service/eligibility.h"
#include "service/idempotency.h"
#include "service/intake_metrics.h"
#include "service/risk.h"

/* ---- preparation, on the request thread ---- */

static void
stamp_now(char *out, size_t n)
{
    struct timeval tv;

    gettimeofday(&tv, NULL);
    clock_format_rfc3339(tv.tv_sec, (int)tv.tv_usec, out, n);
}

bool
intake_prepare(const struct secrets *sec, struct arena *a, const struct intake_input *in,
               struct intake_submission *s)
{
    memset(s, 0, sizeof *s);
    s->secrets = sec;
    s->arena = a;
    s->pii_json = in->pii_json;
    s->body_json = in->body_json;
    s->incident_slug = in->incident_slug;
    s->action_id = in->mandate_action_id;
    s->key = in->key;
    s->duplicate_answer = in->duplicate_answer;
    s->answer_for = -1;
    int64_t start = clock_monotonic_ns();
    stamp_now(s->created_at, sizeof s->created_at);
    if (!claims_seal_new(sec, a, in->incident_id, in->claim, in->pii_json, s->created_at,
                         &s->row, s->token) ||
        !eligibility_prepare(sec, in->incident_id, in->claim, &s->eligibility) ||
        !risk_prepare(sec, in->incident_id, in->client_ip, in->claim, &s->risk))
        return false;
    /* the mandate (Art. 80(1)) given with the form: the claim joins the action at once */
    s->row.mandate_action_id = in->mandate_action_id;
    s->row.mandate_association_id = in->mandate_association_id;
    s->row.mandate_text_version = in->mandate_text_version;
    /* the receipt too, here on one of the request threads rather than on the writer, which
     * every claim of a batch waits for (issue 15): made again only if its reference is */
    if (!intake_make_receipt(s))
        return false;
    intake_metrics_observe(INTAKE_PHASE_PREPARE, clock_monotonic_ns() - start);
    return true;
}

/* ---- the answers, made once the outcome is known ---- */

/* The receipt of an accepted claim (docs/api.md §9.1) and its Location, in the arena; false
 * when jansson fails. Made again only after a new reference was drawn. */
bool
intake_make_receipt(struct intake_submission *s)
{
    if (s->receipt != NULL)
        return true;
    json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s}", "reference", s->row.reference,
                            "token", s->token, "status", "received", "incident",
                            s->incident_slug, "action_id", s->action_id, "created_at",
                            s->created_at);
    char *text = doc != NULL ? json_dumps(doc, JSON_COMPACT) : NULL;

    json_decref(doc);
    if (text == NULL)
        return false;
    s->receipt = arena_strdup(s->arena, text);
    s->location = arena_printf(s->arena, "/v1/claims/%s", s->row.reference);
    explicit_bzero(text, strlen(text)); /* it carries the claim token */
    free(text);
    return true;
}

/* Seals the Idempotency-Key answer of s's outcome (accepted or duplicate) into s->answer,
 * unless it is sealed already for that outcome. */
bool
intake_seal_answer(struct intake_submission *s)
{
    int status = s->outcome == INTAKE_ACCEPTED ? 201 : 409;

    if (s->answer_for == (int)s->outcome)
        return true;
    if (s->outcome == INTAKE_ACCEPTED && !intake_make_receipt(s))
        return false;
    const char *body = s->outcome == INTAKE_ACCEPTED ? s->receipt : s->duplicate_answer;
    const char *location = s->outcome == INTAKE_ACCEPTED ? s->location : NULL;
    if (body == NULL ||
        !svc_idem_seal(s->secrets, s->arena, &s->key, status, body, location, &s->answer))
        return false;
    s->answer_for = (int)s->outcome;
    return true;
}
