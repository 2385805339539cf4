/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What a service call came to. http/outcome.c maps each to its problem document, once. */
#ifndef RECOURS_CORE_OUTCOME_H
#define RECOURS_CORE_OUTCOME_H

enum outcome {
    OUTCOME_OK,
    OUTCOME_NOT_FOUND,
    OUTCOME_ALREADY_EXISTS,
    OUTCOME_INVALID,        /* validation errors were appended */
    OUTCOME_DUPLICATE_CLAIM,
    OUTCOME_CLAIM_WITHDRAWN,
    OUTCOME_INCIDENT_CLOSED,
    OUTCOME_INVALID_TRANSITION,
    OUTCOME_ACTION_NOT_OPEN,
    OUTCOME_ALREADY_IN_ACTION,
    OUTCOME_APPROVAL_LAPSED,
    OUTCOME_CLAIM_REVIEWED,          /* evidence: the claim was reviewed, its files are final */
    OUTCOME_EVIDENCE_NOT_APPLICABLE, /* evidence: no documented loss nor identity theft */
    OUTCOME_EVIDENCE_LIMIT,          /* evidence: the claim has its maximum of files */
    OUTCOME_UNSUPPORTED_TYPE,        /* evidence: the content is no PDF, JPEG or PNG */
    OUTCOME_TOO_LARGE,               /* evidence: the file is over the limit */
    OUTCOME_UNAVAILABLE,    /* database unreachable: 503 + Retry-After */
    OUTCOME_INTERNAL,       /* our bug or an unexpected database error */
    OUTCOME_UNCOMPUTABLE,   /* a figure could not be computed from what is stored (our bug:
                             * validation should have refused the input): 500 for that
                             * resource alone, never 503, never another resource's status */
};

#endif
