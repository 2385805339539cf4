/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Incidents: the operator's register of breaches. Updates run in one transaction that locks
 * the row, so two PATCHes never interleave their members. */
#include "service/incidents.h"

#include "db/errors.h"
#include "service/lookup_cache.h"
#include "service/tx.h"

enum outcome
svc_incidents_create(PGconn *c, const struct audit_note *note, const struct incident *in,
                     struct arena *a, struct incident *out)
{
    enum outcome o = OUTCOME_ALREADY_EXISTS;
    int rc = tx_begin(c, NULL);

    if (rc != 0)
        return tx_outcome_of(c, rc);
    rc = db_incidents_insert(c, in, a, out);
    if (rc == DB_CONFLICT)
        goto cleanup;
    if (rc == 1)
        rc = svc_audit(c, note, "incident.create", "incident", out->slug);
    if (rc == 0)
        rc = tx_commit(c);
    svc_lookup_cache_invalidate(); /* whatever COMMIT said: a lost answer may hide a commit */
    if (rc == 0)
        return OUTCOME_OK;
    o = tx_outcome_of(c, rc);
cleanup:
    tx_rollback(c);
    return o;
}

enum outcome
svc_incidents_get(PGconn *c, const char *slug, struct arena *a, struct incident *out)
{
    int rc = db_incidents_get(c, slug, false, a, out);

    if (rc == 1)
        return OUTCOME_OK;
    if (rc == 0)
        return OUTCOME_NOT_FOUND;
    return tx_outcome_of(c, rc);
}

static void
apply_patch(struct incident *cur, const struct incident_patch *p)
{
    if (p->has_controller)
        cur->controller = p->value.controller;
    if (p->has_title)
        cur->title = p->value.title;
    if (p->has_disclosed_on)
        cur->disclosed_on = p->value.disclosed_on;
    if (p->has_affected_count)
        cur->affected_count = p->value.affected_count;
    if (p->has_data_categories)
        cur->data_categories = p->value.data_categories;
    if (p->has_authority_reference)
        cur->authority_reference = p->value.authority_reference;
    if (p->has_status)
        cur->status = p->value.status;
}

enum outcome
svc_incidents_update(PGconn *c, const struct audit_note *note, const char *slug,
                     const struct incident_patch *p, struct arena *a, struct incident *out)
{
    struct incident cur;
    enum outcome o = OUTCOME_INTERNAL;
    int rc = tx_begin(c, NULL);

    if (rc != 0)
        return tx_outcome_of(c, rc);
    rc = db_incidents_get(c, slug, true, a, &cur);
    if (rc == 0) {
        o = OUTCOME_NOT_FOUND;
        goto cleanup;
    }
    if (rc != 1)
        goto failed;
    apply_patch(&cur, p);
    rc = db_incidents_update(c, &cur, a, out);
    if (rc != 1)
        goto failed;
    rc = svc_audit(c, note, "incident.update", "incident", out->slug);
    if (rc != 0)
        goto failed;
    rc = tx_commit(c);
    svc_lookup_cache_invalidate(); /* whatever COMMIT said: a lost answer may hide a commit */
    if (rc != 0)
        goto failed;
    return OUTCOME_OK;
failed:
    o = tx_outcome_of(c, rc);
cleanup:
    tx_rollback(c);
    return o;
}

enum outcome
svc_incidents_list_open(PGconn *c, const char *after, int limit, struct arena *a,
                        struct incident *out, int *n_out, bool *more_out)
{
    /* one row more than asked tells whether another page exists */
    int rc = db_incidents_list_open(c, after, limit + 1, a, out, n_out);

    if (rc < 0)
        return tx_outcome_of(c, rc);
    *more_out = *n_out > limit;
    if (*more_out)
        *n_out = limit;
    return OUTCOME_OK;
}
