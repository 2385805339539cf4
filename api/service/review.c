/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A review decision and what goes with it, in the caller's transaction (service/review.h). */
#include "service/review.h"

#include "db/errors.h"
#include "db/tallies.h"

/* Moves n claims of group `before` to the decision's status in the summary tallies. */
static int
move_tallies(PGconn *c, const struct ws_moved *moved, int n, const char *status)
{
    for (int i = 0; i < n; i++) {
        struct tally_key after = moved[i].before;
        after.status = status;
        int delta = (int)moved[i].n;
        int rc = db_tally_add(c, &moved[i].before, -delta);
        if (rc == 1)
            rc = db_tally_add(c, &after, delta);
        if (rc != 1)
            return rc < 0 ? rc : DB_HARD;
    }
    return 1;
}

int
svc_review_apply(PGconn *c, const struct ws_decision *d, int64_t expected, struct arena *a,
                 int64_t *count)
{
    struct ws_moved *moved = NULL;
    int n = 0;
    int rc = db_ws_review_apply(c, d, a, &moved, &n, count);

    if (rc != 1)
        return rc < 0 ? rc : DB_HARD;
    /* checked before the tallies move: the caller rolls back a count that changed, and the
     * tallies' rows (one per incident group) are the contended ones */
    if (expected >= 0 && *count != expected)
        return 0;
    return move_tallies(c, moved, n, d->decision);
}
