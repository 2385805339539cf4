/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Workspace use cases: each write and each read of personal data is one transaction that
 * ends with its audit event (docs/workspace.md "Audit"). */
#include "service/workspace.h"

#include <string.h>

#include "crypto/random.h"
#include "service/actions.h"
#include "service/audited_write.h"
#include "service/conn.h"
#include "service/review.h"
#include "service/tx.h"

enum outcome
svc_rq_ws_members_page(const struct ws_page_query *q, struct arena *a, struct ws_member_row *out,
                       int *n_out, bool *more_out, struct read_source *src)
{
    struct ws_page_query ask = *q;
    PGconn *c = svc_read_connection(src); /* a page may be a little behind: docs/api.md §16 */

    if (c == NULL)
        return OUTCOME_UNAVAILABLE;
    ask.limit = q->limit + 1; /* one more tells whether another page follows */
    enum outcome o = tx_page_outcome(c, db_ws_members_page(c, &ask, a, out, n_out), q->limit,
                                     n_out, more_out);
    if (o != OUTCOME_OK || *n_out > 0 || q->association_id == NULL)
        return o;
    /* the page's statement checked the owner: only an empty page asks whether the action is
     * the caller's (404) or has no member to show (an empty page), on the primary */
    struct action x;
    return svc_rq_action_own(q->action_id, q->association_id, true, a, &x);
}

/* The reads of svc_rq_ws_member_read, audited as a write is (its one write is the audit
 * event): target, the claim's reference; in, the action's id; out, the view. */
static int
member_read(PGconn *c, struct tx *t, const struct audited_write *w)
{
    const char *action_id = w->in;
    struct ws_member_view *v = w->out;
    int rc = db_claims_get(c, w->target, false, w->a, &v->claim);

    if (rc != 1)
        return rc < 0 ? rc : tx_answer(t, OUTCOME_NOT_FOUND);
    if (v->claim.member_of == NULL || strcmp(v->claim.member_of, action_id) != 0)
        return tx_answer(t, OUTCOME_NOT_FOUND);
    rc = db_ws_member_extra(c, v->claim.id, w->a, &v->review, &v->duplicate_dates,
                            WS_DUPLICATE_DATES_MAX, &v->n_duplicate_dates);
    if (rc == 1)
        rc = db_ws_member_history(c, v->claim.id, WS_HISTORY_MAX, w->a, &v->history, &v->n_history);
    if (rc == 1 && (rc = db_risk_claim(c, v->claim.id, w->a, &v->risk)) >= 0)
        rc = 1;
    return rc;
}

enum outcome
svc_rq_ws_member_read(const struct audit_note *note, const char *action_id,
                      const char *reference, struct arena *a, struct ws_member_view *out)
{
    struct audited_write w = {.write = member_read, .note = note, .event = "claim.read",
                              .object_type = "claim", .object_id = &reference,
                              .target = reference, .in = action_id, .a = a, .out = out};
    PGconn *c;

    memset(out, 0, sizeof *out);
    if (svc_conn(&c) != OUTCOME_OK)
        return OUTCOME_UNAVAILABLE;
    return svc_audited_write(c, "workspace.member_read", &w);
}

struct review {
    const struct audit_note *note;
    struct ws_review_request *rq;
    struct arena *a;
    struct ws_review_result *out;
};

static int
review_body(PGconn *c, struct tx *t, void *ctx)
{
    struct review *r = ctx;
    struct ws_review_request *rq = r->rq;

    r->out->count = 0;
    r->out->count_changed = false;
    if (rq->dry_run) {
        int rc = db_ws_members_count(c, rq->d.action_id, rq->d.f, rq->d.decision,
                                     &r->out->count);
        return rc == 1 ? tx_answer(t, OUTCOME_OK) : rc; /* nothing to commit */
    }
    int rc = svc_review_apply(c, &rq->d, rq->expected, r->a, &r->out->count);
    if (rc < 0)
        return rc;
    if (rc == 0) {
        r->out->count_changed = true;
        return tx_answer(t, OUTCOME_OK); /* rolled back: the client confirms the new count */
    }
    return tx_audited(svc_audit(c, r->note, "action.members.review", "review", rq->d.batch_id));
}

enum outcome
svc_rq_ws_review(const struct audit_note *note, struct ws_review_request *rq, struct arena *a,
                 struct ws_review_result *out)
{
    struct review r = {note, rq, a, out};

    memset(out, 0, sizeof *out);
    if (!rq->dry_run) {
        if (!random_uuid(out->batch_id))
            return OUTCOME_INTERNAL;
        rq->d.batch_id = out->batch_id;
    }
    rq->d.actor = note->actor;
    enum outcome o = svc_tx_run_here("workspace.review", TX_READ_WRITE, review_body, &r);
    if (o == OUTCOME_OK && (rq->dry_run || out->count_changed))
        out->batch_id[0] = '\0';
    return o;
}

struct removal {
    const struct audit_note *note;
    const char *action_id;
    const char *reference;
    const char *reason;
    char batch_id[37];
};

static int
remove_body(PGconn *c, struct tx *t, void *ctx)
{
    struct removal *m = ctx;
    int rc = db_ws_member_remove(c, m->action_id, m->reference, m->reason, m->batch_id,
                                 m->note->actor);

    if (rc == 0)
        return tx_answer(t, OUTCOME_NOT_FOUND);
    return svc_audit_after(c, rc, m->note, "action.members.remove", "claim", m->reference);
}

enum outcome
svc_rq_ws_member_remove(const struct audit_note *note, const char *action_id,
                        const char *reference, const char *reason)
{
    struct removal m = {note, action_id, reference, reason, {0}};

    if (!random_uuid(m.batch_id))
        return OUTCOME_INTERNAL;
    return svc_tx_run_here("workspace.remove", TX_READ_WRITE, remove_body, &m);
}

enum outcome
svc_rq_ws_members_per_day(const char *action_id, struct arena *a, struct ws_day **out,
                          int *n_out)
{
    PGconn *c;

    if (svc_conn(&c) != OUTCOME_OK)
        return OUTCOME_UNAVAILABLE;
    int rc = db_ws_members_per_day(c, action_id, a, out, n_out);
    return rc < 0 ? tx_outcome_of(c, rc) : OUTCOME_OK;
}
