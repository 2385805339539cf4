/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* SQLSTATE classification. */
#include "db/errors.h"

#include <string.h>

#include "core/log.h"

int
db_status_of(const PGresult *res, const char *what)
{
    const char *state = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

    if (state == NULL)
        return DB_UNAVAILABLE; /* no server answer at all: the connection is gone */
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0) {
        log_warn("%s: sqlstate %s (serialization failure or deadlock)", what, state);
        return DB_RETRY;
    }
    if (strcmp(state, "23505") == 0)
        return DB_CONFLICT;
    /* statement_timeout or a cancel (57014), lock_timeout (55P03): the database could not
     * serve this request in time (another session held what it needed, or the machine was
     * overloaded), not our bug: 503 with Retry-After, the client may retry; a batch of
     * claims is not rerun claim by claim for it (service/intake.c) */
    if (strcmp(state, "57014") == 0 || strcmp(state, "55P03") == 0) {
        log_warn("%s: sqlstate %s (statement or lock timeout)", what, state);
        return DB_UNAVAILABLE;
    }
    if (strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
        strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0 ||
        strcmp(state, "53300") == 0 || strcmp(state, "53100") == 0)
        return DB_UNAVAILABLE;
    const char *constraint = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
    log_error("%s failed: sqlstate %s%s%s", what, state, constraint != NULL ? " constraint " : "",
              constraint != NULL ? constraint : "");
    return DB_HARD;
}
