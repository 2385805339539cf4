/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Action use cases; writes are audited in their transaction. */
#include "service/actions.h"

#include <string.h>

#include "db/errors.h"
#include "domain/action_rules.h"
#include "service/lookup_cache.h"
#include "service/tx.h"

static enum outcome
fail(PGconn *c, int rc)
{
    enum outcome o = tx_outcome_of(c, rc);

    tx_rollback(c);
    return o;
}

enum outcome
svc_actions_create(PGconn *c, const struct audit_note *note, const struct action *in,
                   struct arena *a, struct action *out)
{
    int rc = tx_begin(c, NULL);

    if (rc != 0)
        return tx_outcome_of(c, rc);
    rc = db_actions_insert(c, in, a, out);
    if (rc == 0) {
        tx_rollback(c);
        return OUTCOME_INVALID;
    }
    if (rc == 1)
        rc = svc_audit(c, note, "action.create", "action", out->id);
    if (rc == 0)
        rc = tx_commit(c);
    svc_lookup_cache_invalidate(); /* whatever COMMIT said: a lost answer may hide a commit */
    return rc == 0 ? OUTCOME_OK : fail(c, rc);
}

enum outcome
svc_actions_get(PGconn *c, const char *id, const char *association_id, struct arena *a,
                struct action *out)
{
    int rc = db_actions_get(c, id, false, a, out);

    if (rc < 0)
        return tx_outcome_of(c, rc);
    if (rc == 0 || (association_id != NULL && strcmp(out->association_id, association_id) != 0))
        return OUTCOME_NOT_FOUND;
    return OUTCOME_OK;
}

static void
apply(struct action *cur, const struct action_patch *p)
{
    if (p->has_title)
        cur->title = p->value.title;
    if (p->has_legal_basis)
        cur->legal_basis = p->value.legal_basis;
    if (p->has_opt_in_deadline)
        cur->opt_in_deadline = p->value.opt_in_deadline;
    if (p->has_counsel_name)
        cur->counsel_name = p->value.counsel_name;
    if (p->has_counsel_email)
        cur->counsel_email = p->value.counsel_email;
    if (p->has_mandate_text)
        cur->mandate_text = p->value.mandate_text;
    if (p->has_mandate_text_version)
        cur->mandate_text_version = p->value.mandate_text_version;
    if (p->has_status)
        cur->status = p->value.status;
}

enum outcome
svc_actions_update(PGconn *c, const struct audit_note *note, const char *id,
                   const char *association_id, const struct action_patch *p, struct arena *a,
                   struct action *out)
{
    struct action cur;
    int rc = tx_begin(c, NULL);

    if (rc != 0)
        return tx_outcome_of(c, rc);
    rc = db_actions_get(c, id, true, a, &cur);
    if (rc < 0)
        return fail(c, rc);
    if (rc == 0 || strcmp(cur.association_id, association_id) != 0) {
        tx_rollback(c);
        return OUTCOME_NOT_FOUND;
    }
    if (p->has_status && !action_transition_ok(cur.status, p->value.status)) {
        tx_rollback(c);
        return OUTCOME_INVALID_TRANSITION;
    }
    apply(&cur, p);
    rc = db_actions_update(c, &cur, a, out);
    if (rc == 1)
        rc = svc_audit(c, note, "action.update", "action", id);
    if (rc == 0)
        rc = tx_commit(c);
    svc_lookup_cache_invalidate(); /* whatever COMMIT said: a lost answer may hide a commit */
    return rc == 0 ? OUTCOME_OK : fail(c, rc);
}

enum outcome
svc_actions_list(PGconn *c, const char *association_id, const char *incident, const char *status,
                 const char *after, int limit, struct arena *a, struct action *out, int *n_out,
                 bool *more_out)
{
    int rc = db_actions_list(c, association_id, incident, status, after, limit + 1, a, out,
                             n_out);

    if (rc < 0)
        return tx_outcome_of(c, rc);
    *more_out = *n_out > limit;
    if (*more_out)
        *n_out = limit;
    return OUTCOME_OK;
}
