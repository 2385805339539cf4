/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The one mapping from service outcomes to problem replies. */
#ifndef RECOURS_HTTP_OUTCOME_H
#define RECOURS_HTTP_OUTCOME_H

#include "core/errors.h"
#include "core/outcome.h"
#include "http/reply.h"

/* The problem reply of a failed outcome; OUTCOME_INVALID uses errors (422). */
struct reply reply_outcome(enum outcome o, const struct errors *errors);

#endif
