/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Action use cases; writes are audited in their transaction. */
#include "service/actions.h"

#include <string.h>

#include "db/errors.h"
#include "db/public_pages.h"
#include "domain/action_rules.h"
#include "service/associations.h"
#include "service/claim_page.h"
#include "service/conn.h"
#include "service/lookup_cache.h"
#include "service/tx.h"

/* The public record's part of a POST or PATCH (rec NULL: none), in the caller's
 * transaction, after the action's own members: mandate_text_en is the English text of the
 * version then in force. */
static int
record_part(PGconn *c, const struct audit_note *note, const char *id,
            const struct action_record_patch *rec)
{
    if (rec == NULL)
        return 1;
    int rc = db_action_record_update(c, id, rec);
    if ((rc = tx_held_row_written(rc)) != 1)
        return rc; /* the action is there: this transaction has it */
    return tx_audited(svc_audit(c, note, "action.record.update", "action", id));
}

/* A POST or PATCH of an action, in one transaction run by write_body: the action's own part
 * (create or update: 1 when done, *out the action as it then is), then its public record's
 * (rec, NULL: none). */
struct write;
typedef int (*action_part_fn)(PGconn *c, struct tx *t, const struct write *x);

struct write {
    action_part_fn action_part;
    const struct audit_note *note;
    const struct action_record_patch *rec;
    struct arena *a;
    struct action *out;
    const struct action *in; /* a create's: the new action */
    /* an update's: the action, the association that must own it, the patch */
    const char *id;
    const char *association_id;
    const struct action_patch *p;
};

static int
write_body(PGconn *c, struct tx *t, void *ctx)
{
    const struct write *x = ctx;
    int rc = x->action_part(c, t, x);

    return rc == 1 ? record_part(c, x->note, x->out->id, x->rec) : rc;
}

static int
create(PGconn *c, struct tx *t, const struct write *x)
{
    int rc = db_actions_insert(c, x->in, x->a, x->out);

    if (rc == 0)
        return tx_answer(t, OUTCOME_INVALID); /* no open incident of that slug */
    if (rc != 1)
        return rc;
    return tx_audited(svc_audit(c, x->note, "action.create", "action", x->out->id));
}

enum outcome
svc_actions_create(PGconn *c, const struct audit_note *note, const struct action *in,
                   const struct action_record_patch *rec, struct arena *a, struct action *out)
{
    struct write x = {.action_part = create, .note = note, .rec = rec, .a = a, .out = out,
                      .in = in};

    return svc_tx_run_cached_write(c, "actions.create", write_body, &x);
}

enum outcome
svc_actions_get(PGconn *c, const char *id, const char *association_id, struct arena *a,
                struct action *out)
{
    int rc = db_actions_get(c, id, false, a, out);

    return tx_owned_outcome(c, rc, &out->association_id, association_id);
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

/* Whether p changes a member of the action itself (not only its public record). */
static bool
changes_action(const struct action_patch *p)
{
    return p->has_title || p->has_legal_basis || p->has_opt_in_deadline ||
           p->has_counsel_name || p->has_counsel_email || p->has_mandate_text ||
           p->has_mandate_text_version || p->has_status;
}

static int
update(PGconn *c, struct tx *t, const struct write *x)
{
    struct action cur;
    int rc = db_actions_get(c, x->id, true, x->a, &cur);

    if ((rc = tx_one_row(rc)) != 1)
        return rc; /* 0: no such action */
    if (strcmp(cur.association_id, x->association_id) != 0)
        return tx_answer(t, OUTCOME_NOT_FOUND);
    *x->out = cur; /* a refused move is said from the status found here, the row locked */
    if (x->p->has_status && !action_transition_ok(cur.status, x->p->value.status))
        return tx_answer(t, OUTCOME_INVALID_TRANSITION);
    /* a PATCH of the record alone leaves the action's row (and updated_at) as it is */
    if (x->rec != NULL && !changes_action(x->p))
        return 1;
    apply(&cur, x->p);
    rc = db_actions_update(c, &cur, x->a, x->out);
    if ((rc = tx_held_row_written(rc)) != 1)
        return rc; /* the row is locked: it cannot have gone */
    return tx_audited(svc_audit(c, x->note, "action.update", "action", x->id));
}

enum outcome
svc_actions_update(PGconn *c, const struct audit_note *note, const char *id,
                   const char *association_id, const struct action_patch *p,
                   const struct action_record_patch *rec, struct arena *a, struct action *out)
{
    struct write x = {.action_part = update, .note = note, .rec = rec, .a = a, .out = out,
                      .id = id, .association_id = association_id, .p = p};

    return svc_tx_run_cached_write(c, "actions.update", write_body, &x);
}

enum outcome
svc_actions_list(PGconn *c, const char *association_id, const char *incident, const char *status,
                 const char *after, int limit, struct arena *a, struct action *out, int *n_out,
                 bool *more_out)
{
    int rc = db_actions_list(c, association_id, incident, status, after, limit + 1, a, out,
                             n_out);
    return tx_page_outcome(c, rc, limit, n_out, more_out);
}

/* Entry points for handlers (service/conn.h). */

/* The record of the action x into out->record. */
static enum outcome
with_record(PGconn *c, const char *association_id, struct arena *a, struct action_doc *out)
{
    return svc_action_record_get(c, out->action.id, association_id, a, &out->record);
}

enum outcome
svc_rq_actions_create(const struct audit_note *note, const struct action *in,
                      const struct action_record_patch *rec, struct arena *a,
                      struct action_doc *out)
{
    PGconn *c;

    if (svc_conn(&c) != OUTCOME_OK)
        return OUTCOME_UNAVAILABLE;
    enum outcome o = svc_actions_create(c, note, in, rec, a, &out->action);
    return o != OUTCOME_OK ? o : with_record(c, in->association_id, a, out);
}

enum outcome
svc_rq_action_doc(const char *id, const char *association_id, struct arena *a,
                  struct action_doc *out)
{
    PGconn *c;

    if (svc_conn(&c) != OUTCOME_OK)
        return OUTCOME_UNAVAILABLE;
    enum outcome o = svc_actions_get(c, id, association_id, a, &out->action);
    return o != OUTCOME_OK ? o : with_record(c, association_id, a, out);
}

SVC_RQ_ON_CONN(svc_rq_actions_get,
               (const char *id, const char *association_id, struct arena *a, struct action *out),
               svc_actions_get, id, association_id, a, out)

enum outcome
svc_rq_actions_update(const struct audit_note *note, const char *id, const char *association_id,
                      const struct action_patch *p, const struct action_record_patch *rec,
                      struct arena *a, struct action_doc *out)
{
    PGconn *c;

    if (svc_conn(&c) != OUTCOME_OK)
        return OUTCOME_UNAVAILABLE;
    /* the action and its record in one transaction: both or neither */
    enum outcome o = svc_actions_update(c, note, id, association_id, p, rec, a, &out->action);
    return o != OUTCOME_OK ? o : with_record(c, association_id, a, out);
}

SVC_RQ_ON_CONN(svc_rq_actions_list,
               (const char *association_id, const char *incident, const char *status,
                const char *after, int limit, struct arena *a, struct action *out, int *n_out,
                bool *more_out),
               svc_actions_list, association_id, incident, status, after, limit, a, out, n_out, more_out)

enum outcome
svc_rq_action_mandate_page(const char *id, const char *lang, struct arena *a,
                           struct mandate_page *out)
{
    PGconn *c;
    enum outcome o = svc_rq_action_for_mandate(id, a, &out->action);

    if (o == OUTCOME_OK && !svc_action_takes_mandates(&out->action))
        o = OUTCOME_NOT_FOUND;
    if (o != OUTCOME_OK || (o = svc_conn(&c)) != OUTCOME_OK)
        return o;
    o = svc_associations_get(c, out->action.association_id, a, &out->association);
    if (o != OUTCOME_OK)
        return o == OUTCOME_NOT_FOUND ? OUTCOME_INTERNAL : o; /* an action has its association */
    if (lang == NULL)
        return OUTCOME_OK;
    return svc_action_mandate_text(c, id, lang, a, &out->text, &out->text_lang, &out->version);
}

enum outcome
svc_rq_action_own(const char *id, const char *association_id, bool may_write, struct arena *a,
                  struct action *out)
{
    PGconn *c;

    if (association_id == NULL) /* the workspace's routes are an association's */
        return OUTCOME_NOT_FOUND;
    if (svc_conn(&c) != OUTCOME_OK)
        return OUTCOME_UNAVAILABLE;
    int rc = db_actions_get_uncounted(c, id, a, out);
    enum outcome o = tx_owned_outcome(c, rc, &out->association_id, association_id);
    return o == OUTCOME_OK && !may_write ? OUTCOME_APPROVAL_LAPSED : o;
}
