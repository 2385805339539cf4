/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Membership use cases. The action row is locked for the change so that a status change
 * (filed, closed) and an addition cannot cross. */
#include "service/members.h"

#include <string.h>

#include "db/errors.h"
#include "db/pg_array.h"
#include "service/conn.h"
#include "service/tx.h"

/* Locks the action: 1 while it is open, else the code that ends the body. */
static int
lock_open_action(PGconn *c, struct tx *t, const struct action *x)
{
    char status[16];
    int rc = db_actions_lock_status(c, x->id, status);

    if ((rc = tx_held_row_written(rc)) != 1)
        return rc; /* the caller read the action: it exists */
    return strcmp(status, "open") == 0 ? 1 : tx_answer(t, OUTCOME_ACTION_NOT_OPEN);
}

struct add {
    const struct audit_note *note;
    const struct action *x;
    const char *refs_array;
    const struct member_filter *f;
    struct member_counts *out;
};

static int
add_body(PGconn *c, struct tx *t, void *ctx)
{
    struct add *m = ctx;
    const struct action *x = m->x;
    int rc = lock_open_action(c, t, x);

    if (rc != 1)
        return rc;
    rc = m->refs_array != NULL
             ? db_members_add_refs(c, x->id, x->incident_id, x->association_id, m->refs_array,
                                   m->out)
             : db_members_add_filter(c, x->id, x->incident_id, x->association_id, m->f, m->out);
    return svc_audit_after(c, rc, m->note, "action.members.add", "action", x->id);
}

enum outcome
svc_members_add(PGconn *c, const struct audit_note *note, const struct action *x,
                const char *refs_array, const struct member_filter *f,
                struct member_counts *out)
{
    struct add m = {note, x, refs_array, f, out};

    return svc_tx_run(c, "members.add", TX_READ_WRITE, add_body, &m);
}

struct remove {
    const struct audit_note *note;
    const struct action *x;
    const char *reference;
};

static int
remove_body(PGconn *c, struct tx *t, void *ctx)
{
    struct remove *m = ctx;
    int rc = db_members_remove(c, m->x->id, m->reference);

    (void)t;
    if (rc == 0)
        return 0; /* not a member */
    return svc_audit_after(c, rc, m->note, "action.members.remove", "claim", m->reference);
}

enum outcome
svc_members_remove(PGconn *c, const struct audit_note *note, const struct action *x,
                   const char *reference)
{
    struct remove m = {note, x, reference};

    return svc_tx_run(c, "members.remove", TX_READ_WRITE, remove_body, &m);
}

/* Entry points for handlers (service/conn.h). */

SVC_RQ_ON_CONN(svc_rq_members_remove,
               (const struct audit_note *note, const struct action *x, const char *reference),
               svc_members_remove, note, x, reference)

enum outcome
svc_rq_members_add(const struct audit_note *note, const struct action *x,
                   const char *const *refs, size_t n_refs, const struct member_filter *f,
                   struct member_counts *out)
{
    struct pg_array arr = {0};
    PGconn *c;

    if (svc_conn(&c) != OUTCOME_OK)
        return OUTCOME_UNAVAILABLE;
    for (size_t i = 0; refs != NULL && i < n_refs; i++)
        pg_array_text(&arr, refs[i]);
    /* a text[] literal: duplicates are folded by the statement */
    enum outcome o = svc_members_add(c, note, x, refs != NULL ? pg_array_finish(&arr) : NULL, f,
                                     out);
    pg_array_free(&arr);
    return o;
}
