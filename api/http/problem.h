/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* RFC 9457 problem documents with the type URIs of docs/api.md §5. The one table of problem names,
 * statuses and titles lives in problem.c. */
#ifndef RECOURS_HTTP_PROBLEM_H
#define RECOURS_HTTP_PROBLEM_H

#include "core/errors.h"
#include "http/reply.h"

#define PROBLEM_BASE "https://recours.dev/problems/"

/* application/problem+json for a catalogued name ("not-found", "payload-too-large", ...);
 * status and title come from the table. detail must carry no personal data. An unknown name
 * is a bug and yields internal-error. */
struct reply problem_reply(const char *name, const char *detail);

/* The same document with the errors[] member of docs/api.md §5.2 ({field, code, message} per
 * error), built once. */
struct reply problem_reply_errors(const char *name, const char *detail,
                                  const struct errors *errors);

/* Status of a catalogued name, 500 if unknown. */
int problem_status(const char *name);

#endif
