/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Outcome → problem document (docs/api.md §5). */
#include "http/outcome.h"

#include "core/log.h"
#include "http/json_body.h"
#include "http/problem.h"

/* The problem of each outcome that is one: its type (http/problem.c) and detail. An outcome
 * missing here answers internal-error; tests/unit/test_outcome.c checks that none is. */
static const struct {
    const char *type, *detail;
} problems[] = {
    [OUTCOME_NOT_FOUND] = {"not-found", "no such resource"},
    [OUTCOME_ALREADY_EXISTS] = {"already-exists", "a resource with this identifier exists"},
    [OUTCOME_DUPLICATE_CLAIM] = {"duplicate-claim", "another active claim on this incident has "
                                                    "this email, phone or identity"},
    [OUTCOME_CLAIM_WITHDRAWN] = {"claim-withdrawn", "this claim was withdrawn"},
    [OUTCOME_INCIDENT_CLOSED] = {"incident-closed", "this incident no longer accepts claims"},
    [OUTCOME_INVALID_TRANSITION] = {"invalid-transition", "this status change is not allowed"},
    [OUTCOME_ACTION_NOT_OPEN] = {"action-not-open", "the action no longer takes members"},
    [OUTCOME_ALREADY_IN_ACTION] = {"already-in-action",
                                   "the claim is in another action; leave it first"},
    [OUTCOME_APPROVAL_LAPSED] = {"approval-lapsed", "the association's approval is not in "
                                                    "force: it may read but not write"},
    [OUTCOME_CLAIM_REVIEWED] = {"claim-reviewed",
                                "the claim was reviewed: its evidence can no longer change"},
    [OUTCOME_EVIDENCE_NOT_APPLICABLE] = {"evidence-not-applicable",
                                         "evidence is attached to a documented loss or an "
                                         "identity theft; the claim declares neither"},
    [OUTCOME_EVIDENCE_LIMIT] = {"evidence-limit-reached",
                                "the claim has its maximum number of evidence files"},
    [OUTCOME_UNSUPPORTED_TYPE] = {"unsupported-media-type",
                                  "the file is not a PDF, JPEG or PNG (told from its content)"},
    [OUTCOME_TOO_LARGE] = {"payload-too-large", "the file exceeds the limit"},
    [OUTCOME_UNAVAILABLE] = {"service-unavailable",
                             "the database cannot be reached or did not answer in time; retry"},
    [OUTCOME_INTERNAL] = {"internal-error", "the server could not complete the request"},
    [OUTCOME_UNCOMPUTABLE] = {"internal-error", "a figure of this resource could not be "
                                                "computed; the database is fine"},
};

struct reply
reply_outcome(enum outcome o, const struct errors *errors)
{
    if (o == OUTCOME_INVALID)
        return json_body_invalid(errors);
    if (o == OUTCOME_OK)
        log_bug("reply_outcome called with OUTCOME_OK");
    if ((size_t)o >= sizeof problems / sizeof problems[0] || problems[o].type == NULL)
        o = OUTCOME_INTERNAL;
    struct reply r = problem_reply(problems[o].type, problems[o].detail);
    if (o == OUTCOME_UNAVAILABLE)
        reply_add_header(&r, "Retry-After", "1");
    return r;
}
