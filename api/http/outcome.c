/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Outcome → problem document (docs/api.md §5). */
#include "http/outcome.h"

#include "core/log.h"
#include "http/json_body.h"
#include "http/problem.h"

struct reply
reply_outcome(enum outcome o, const struct errors *errors)
{
    struct reply r;

    switch (o) {
    case OUTCOME_NOT_FOUND:
        return problem_reply("not-found", "no such resource");
    case OUTCOME_ALREADY_EXISTS:
        return problem_reply("already-exists", "a resource with this identifier exists");
    case OUTCOME_DUPLICATE_CLAIM:
        return problem_reply("duplicate-claim",
                             "another active claim on this incident has this email, phone or "
                             "identity");
    case OUTCOME_CLAIM_WITHDRAWN:
        return problem_reply("claim-withdrawn", "this claim was withdrawn");
    case OUTCOME_INCIDENT_CLOSED:
        return problem_reply("incident-closed", "this incident no longer accepts claims");
    case OUTCOME_INVALID_TRANSITION:
        return problem_reply("invalid-transition", "this status change is not allowed");
    case OUTCOME_ACTION_NOT_OPEN:
        return problem_reply("action-not-open", "the action no longer takes members");
    case OUTCOME_ALREADY_IN_ACTION:
        return problem_reply("already-in-action",
                             "the claim is in another action; leave it first");
    case OUTCOME_APPROVAL_LAPSED:
        return problem_reply("approval-lapsed",
                             "the association's approval is not in force: it may read but not "
                             "write");
    case OUTCOME_CLAIM_REVIEWED:
        return problem_reply("claim-reviewed",
                             "the claim was reviewed: its evidence can no longer change");
    case OUTCOME_EVIDENCE_NOT_APPLICABLE:
        return problem_reply("evidence-not-applicable",
                             "evidence is attached to a documented loss or an identity theft; "
                             "the claim declares neither");
    case OUTCOME_EVIDENCE_LIMIT:
        return problem_reply("evidence-limit-reached",
                             "the claim has its maximum number of evidence files");
    case OUTCOME_UNSUPPORTED_TYPE:
        return problem_reply("unsupported-media-type",
                             "the file is not a PDF, JPEG or PNG (told from its content)");
    case OUTCOME_TOO_LARGE:
        return problem_reply("payload-too-large", "the file exceeds the limit");
    case OUTCOME_INVALID:
        return json_body_invalid(errors);
    case OUTCOME_UNAVAILABLE:
        r = problem_reply("service-unavailable", "the database cannot be reached; retry");
        reply_add_header(&r, "Retry-After", "1");
        return r;
    case OUTCOME_UNCOMPUTABLE:
        return problem_reply("internal-error",
                             "a figure of this resource could not be computed; the database is "
                             "fine");
    case OUTCOME_OK:
        log_bug("reply_outcome called with OUTCOME_OK");
        break;
    case OUTCOME_INTERNAL:
        break;
    }
    return problem_reply("internal-error", "the server could not complete the request");
}
