/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Role checks shared by handlers (SPEC "Roles", API.md §1). */
#ifndef RECOURS_HANDLERS_GUARD_H
#define RECOURS_HANDLERS_GUARD_H

#include <stdbool.h>
#include <libpq-fe.h>

#include "http/reply.h"
#include "http/request.h"

/* True when the bearer credential is the operator key; else *deny is 401 (missing or
 * unrecognised credential). */
bool guard_operator(struct request *rq, struct reply *deny);

/* This thread's database connection, or false with *deny = 503 + Retry-After. */
bool guard_db(PGconn **c_out, struct reply *deny);

/* Reads ?limit (1..1000, default 100) and ?cursor for list kind; false with *deny = 400
 * invalid-parameter / invalid-cursor. *position_out is NULL without a cursor. */
bool guard_page(struct request *rq, const char *kind, int *limit_out, const char **position_out,
                struct reply *deny);

/* The "next" cursor for a list page ending at position, as an arena string. */
const char *guard_next_cursor(struct request *rq, const char *kind, const char *position);

#endif
