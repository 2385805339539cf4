/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Membership use cases. The action row is locked for the change so that a status change
 * (filed, closed) and an addition cannot cross. */
#include "service/members.h"

#include <string.h>

#include "db/errors.h"
#include "service/tx.h"

static enum outcome
fail(PGconn *c, int rc)
{
    enum outcome o = tx_outcome_of(c, rc);

    tx_rollback(c);
    return o;
}

/* BEGIN and lock the action; OK only while it is open. */
static enum outcome
begin_on_open_action(PGconn *c, const struct action *x)
{
    char status[16];
    int rc = tx_begin(c, NULL);

    if (rc != 0)
        return tx_outcome_of(c, rc);
    rc = db_actions_lock_status(c, x->id, status);
    if (rc != 1)
        return fail(c, rc == 0 ? DB_HARD : rc);
    if (strcmp(status, "open") != 0) {
        tx_rollback(c);
        return OUTCOME_ACTION_NOT_OPEN;
    }
    return OUTCOME_OK;
}

enum outcome
svc_members_add(PGconn *c, const struct audit_note *note, const struct action *x,
                const char *refs_array, const struct member_filter *f,
                struct member_counts *out)
{
    enum outcome o = begin_on_open_action(c, x);

    if (o != OUTCOME_OK)
        return o;
    int rc = refs_array != NULL
                 ? db_members_add_refs(c, x->id, x->incident_id, x->association_id, refs_array, out)
                 : db_members_add_filter(c, x->id, x->incident_id, x->association_id, f, out);
    if (rc == 1)
        rc = svc_audit(c, note, "action.members.add", "action", x->id);
    if (rc == 0)
        rc = tx_commit(c);
    return rc == 0 ? OUTCOME_OK : fail(c, rc);
}

enum outcome
svc_members_remove(PGconn *c, const struct audit_note *note, const struct action *x,
                   const char *reference)
{
    int rc = tx_begin(c, NULL);

    if (rc != 0)
        return tx_outcome_of(c, rc);
    rc = db_members_remove(c, x->id, reference);
    if (rc == 0) {
        tx_rollback(c);
        return OUTCOME_NOT_FOUND;
    }
    if (rc == 1)
        rc = svc_audit(c, note, "action.members.remove", "claim", reference);
    if (rc == 0)
        rc = tx_commit(c);
    return rc == 0 ? OUTCOME_OK : fail(c, rc);
}

enum outcome
svc_members_list(PGconn *c, const char *action_id, const char *after, int limit, struct arena *a,
                 struct member_row *out, int *n_out, bool *more_out)
{
    int rc = db_members_list(c, action_id, after, limit + 1, a, out, n_out);

    if (rc < 0)
        return tx_outcome_of(c, rc);
    *more_out = *n_out > limit;
    if (*more_out)
        *n_out = limit;
    return OUTCOME_OK;
}
