/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Incidents: the operator's register of breaches. Updates run in one transaction that locks
 * the row, so two PATCHes never interleave their members. */
#include "service/incidents.h"

#include "db/errors.h"
#include "service/audited_write.h"
#include "service/conn.h"
#include "service/tx.h"

/* The write of svc_incidents_create: in, the new incident. */
static int
insert(PGconn *c, struct tx *t, const struct audited_write *w)
{
    int rc = db_incidents_insert(c, w->in, w->a, w->out);

    return rc == DB_CONFLICT ? tx_answer(t, OUTCOME_ALREADY_EXISTS) : rc;
}

enum outcome
svc_incidents_create(PGconn *c, const struct audit_note *note, const struct incident *in,
                     struct arena *a, struct incident *out)
{
    struct audited_write w = {.write = insert, .note = note, .event = "incident.create",
                              .object_type = "incident", .object_id = &out->slug, .in = in,
                              .a = a, .out = out, .stales_lookup_cache = true};

    return svc_audited_write(c, "incidents.create", &w);
}

enum outcome
svc_incidents_get(PGconn *c, const char *slug, struct arena *a, struct incident *out)
{
    return tx_read_outcome(c, db_incidents_get(c, slug, false, a, out));
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

/* The write of svc_incidents_update: target, the slug; in, the patch. */
static int
update(PGconn *c, struct tx *t, const struct audited_write *w)
{
    struct incident cur;
    int rc = db_incidents_get(c, w->target, true, w->a, &cur);

    if ((rc = tx_one_row(rc)) != 1)
        return rc == 0 ? tx_answer(t, OUTCOME_NOT_FOUND) : rc; /* no such incident */
    apply_patch(&cur, w->in);
    return db_incidents_update(c, &cur, w->a, w->out); /* the row is locked: it cannot have gone */
}

enum outcome
svc_incidents_update(PGconn *c, const struct audit_note *note, const char *slug,
                     const struct incident_patch *p, struct arena *a, struct incident *out)
{
    struct audited_write w = {.write = update, .note = note, .event = "incident.update",
                              .object_type = "incident", .object_id = &out->slug,
                              .target = slug, .in = p, .a = a, .out = out,
                              .stales_lookup_cache = true};

    return svc_audited_write(c, "incidents.update", &w);
}

enum outcome
svc_incidents_list_open(PGconn *c, const char *after, int limit, struct arena *a,
                        struct incident *out, int *n_out, bool *more_out)
{
    /* one row more than asked tells whether another page exists */
    int rc = db_incidents_list_open(c, after, limit + 1, a, out, n_out);
    return tx_page_outcome(c, rc, limit, n_out, more_out);
}

enum outcome
svc_incident_here(const char *slug, struct arena *a, PGconn **c_out, struct incident *out)
{
    enum outcome o = svc_conn(c_out);

    return o != OUTCOME_OK ? o : svc_incidents_get(*c_out, slug, a, out);
}

/* Entry points for handlers (service/conn.h). */

SVC_RQ_ON_CONN(svc_rq_incidents_create,
               (const struct audit_note *note, const struct incident *in, struct arena *a,
                struct incident *out),
               svc_incidents_create, note, in, a, out)

SVC_RQ_ON_CONN(svc_rq_incidents_get,
               (const char *slug, struct arena *a, struct incident *out),
               svc_incidents_get, slug, a, out)

SVC_RQ_ON_CONN(svc_rq_incidents_update,
               (const struct audit_note *note, const char *slug, const struct incident_patch *p,
                struct arena *a, struct incident *out),
               svc_incidents_update, note, slug, p, a, out)

SVC_RQ_ON_CONN(svc_rq_incidents_list_open,
               (const char *after, int limit, struct arena *a, struct incident *out, int *n_out,
                bool *more_out),
               svc_incidents_list_open, after, limit, a, out, n_out, more_out)
