/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Inside the intake (service/intake.c): what a submission's answers are made of, once its
 * outcome is known; intake_prepare (intake.h) makes the receipt ahead, on the request thread. */
#ifndef RECOURS_SERVICE_INTAKE_ANSWERS_H
#define RECOURS_SERVICE_INTAKE_ANSWERS_H

#include <stdbool.h>

#include "service/intake.h"

/* The receipt of an accepted claim (docs/api.md §9.1) and its Location, in s's arena; false
 * when jansson fails. Made again only after a new reference was drawn (s->receipt NULL). */
bool intake_make_receipt(struct intake_submission *s);

/* Seals the Idempotency-Key answer of s's outcome (accepted or duplicate) into s->answer,
 * unless it is sealed already for that outcome; false when sealing fails. */
bool intake_seal_answer(struct intake_submission *s);

#endif
