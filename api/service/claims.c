/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Claimant self-service use cases. */
#include "service/claims.h"

#include <openssl/crypto.h>
#include <string.h>

#include "crypto/keyed_hash.h"
#include "crypto/random.h"
#include "db/eligibility.h"
#include "db/errors.h"
#include "db/outbox.h"
#include "db/risk.h"
#include "db/tallies.h"
#include "db/ws_members.h"
#include "domain/reference.h"
#include "service/conn.h"
#include "service/eligibility.h"
#include "service/incidents.h"
#include "service/claims_seal.h"
#include "service/review.h"
#include "service/risk.h"
#include "service/tx.h"

/* The summary group of a claim of incident_id in status with facts f. */
static struct tally_key
key_of(int64_t incident_id, const char *status, const struct claim_facts *f)
{
    return (struct tally_key){incident_id, status, f->payment_preference, f->country,
                              f->categories, f->documented_loss, f->hours_spent};
}

/* Moves the claim from the summary group of `before` to that of `after` (same transaction). */
static int
move_tally(PGconn *c, const struct tally_key *before, const struct tally_key *after)
{
    int rc = db_tally_add(c, before, -1);

    return rc == 1 ? db_tally_add(c, after, +1) : rc;
}

enum outcome
svc_claims_find(PGconn *c, const struct secrets *s, const char *reference, const char *token,
                struct arena *a, struct claim_record *out)
{
    char canonical[13];
    uint8_t presented[KEY_LEN];

    if (!reference_parse(reference, canonical) ||
        !keyed_hash(s->hmac_key, "claim-token", token, presented))
        return OUTCOME_NOT_FOUND;
    int rc = db_claims_get(c, canonical, false, a, out);
    if (rc < 0)
        return tx_outcome_of(c, rc);
    if (rc == 0 || CRYPTO_memcmp(presented, out->token_hash, KEY_LEN) != 0)
        return OUTCOME_NOT_FOUND;
    return OUTCOME_OK;
}

/* Moves the claim from its summary group to the one of the same shape in status (same
 * transaction); 1 or DB_*. */
static int
move_status(PGconn *c, const struct claim_record *cur, const char *status)
{
    struct tally_key before = key_of(cur->incident_id, cur->status, &cur->facts);
    struct tally_key after = key_of(cur->incident_id, status, &cur->facts);

    return tx_one_row(move_tally(c, &before, &after));
}

/* The mandate part of a correction, inside its transaction. */
static int
change_mandate(PGconn *c, const struct claim_record *cur, const struct mandate_change *m)
{
    switch (m->kind) {
    case MANDATE_KEEP:
        return 1;
    case MANDATE_REVOKE:
        return cur->mandate_action_id == NULL ? 1 : db_claims_revoke_mandate(c, cur->id);
    case MANDATE_SET:
        if (cur->member_of != NULL && strcmp(cur->member_of, m->action_id) == 0) {
            /* the same action: confirmed as it stands, or, under the text now in force (the
             * association published a new version since), recorded so the export tells
             * counsel which text the claimant agreed to (docs/api.md §9.6) */
            if (cur->mandate_text_version != NULL &&
                strcmp(cur->mandate_text_version, m->version) == 0)
                return 1;
            return db_claims_renew_mandate(c, cur->id, m->version);
        }
        if (cur->member_of != NULL)
            return DB_CONFLICT;
        return db_claims_mandate(c, cur->id, m->action_id, m->association_id, m->version);
    }
    return DB_HARD;
}


/* The claim's row in a change's transaction: locked before the change (lock), read again
 * after it for the answer; 1, 0 when gone, or DB_*. */
static int
claim_row(PGconn *c, const struct claim_record *rec, bool lock, struct arena *a,
          struct claim_record *out)
{
    return tx_one_row(db_claims_get(c, rec->reference, lock, a, out));
}

/* A change of one claim by its claimant or a reviewer, run by change_body: apply is called
 * with the claim's row locked and read into out; out is read again for the answer after it. */
struct change;
typedef int (*change_fn)(PGconn *c, struct tx *t, const struct change *x);

struct change {
    change_fn apply;
    const struct claim_record *rec; /* the claim as the caller found it (id, reference) */
    struct arena *a;
    struct claim_record *out;
    /* a correction's: the new row, the mandate's change, the hashes made again */
    const struct claim_row *row;
    const struct mandate_change *m;
    const struct claim_hashes *again;
    const struct address_move *moved;
    /* a review's: who decided, and the decision on this one claim */
    const struct audit_note *note;
    const struct ws_decision *decision;
};

static int
change_body(PGconn *c, struct tx *t, void *ctx)
{
    const struct change *x = ctx;
    int rc = claim_row(c, x->rec, true, x->a, x->out);

    if (rc == 1)
        rc = x->apply(c, t, x);
    return rc == 1 ? claim_row(c, x->rec, false, x->a, x->out) : rc;
}

bool
svc_claims_hashes(const struct secrets *sec, int64_t incident_id, const struct claim_input *in,
                  struct claim_hashes *out)
{
    /* no client address: the network signal stays the submission's */
    return eligibility_prepare(sec, incident_id, in, &out->eligibility) &&
           risk_prepare(sec, incident_id, NULL, in, &out->risk);
}

/* The corrected claim's state against the controller's list and its address and email
 * flags, made again in the correction's transaction: a stale state would otherwise stay until
 * the next list import (issue 14). */
static int
rehash(PGconn *c, const struct claim_record *rec, const struct claim_hashes *again)
{
    const struct risk_limits lim = {risk_settings()->network_max, risk_settings()->address_max};
    int rc = db_eligibility_intake_lock(c, &rec->incident_id, 1);

    if (rc == 0)
        rc = db_eligibility_correct(c, rec->id, rec->incident_id, &again->eligibility);
    if (rc == 0)
        rc = db_risk_correct(c, rec->id, &again->risk, &lim);
    return rc == 0 ? 1 : rc;
}

/* The notice to the address a correction replaced, queued in the correction's transaction:
 * the claim holds only the new address now, so the row carries the old one sealed, bound to
 * the row and the claim (claims_moved_address_aad), until it is sent, failed or erased
 * (migration 0027). 1 or DB_*. */
static int
tell_old_address(PGconn *c, const struct change *x)
{
    const char *old = x->moved->old_email;
    int64_t id = 0;
    size_t len = 0;
    int key_id = 0;
    int rc = db_outbox_enqueue_address_changed(c, x->rec->id, &id);

    if (rc != 1)
        return rc;
    const char *aad = claims_moved_address_aad(x->a, id, x->rec->reference);
    const uint8_t *box = claims_seal(x->moved->s, x->a, aad, strlen(aad), old, strlen(old),
                                     &len, &key_id);
    if (box == NULL)
        return DB_HARD;
    return tx_one_row(db_outbox_seal_address(c, id, box, len, key_id));
}

static int
correct(PGconn *c, struct tx *t, const struct change *x)
{
    const struct claim_record *out = x->out;
    int rc;

    if (strcmp(out->status, "withdrawn") == 0)
        return tx_answer(t, OUTCOME_CLAIM_WITHDRAWN);
    rc = db_claims_correct(c, x->rec->id, x->row);
    if (rc == DB_CONFLICT) /* a refused correction is not a duplicate attempt */
        return tx_answer(t, OUTCOME_DUPLICATE_CLAIM);
    if ((rc = tx_one_row(rc)) != 1)
        return rc;
    /* a rejected claim corrected within its window goes back to review (docs/workspace.md) */
    const char *status_after = out->status;
    if (strcmp(out->status, "rejected") == 0 && (rc = db_ws_reopen_corrected(c, out->id)) != 0) {
        if ((rc = tx_held_row_written(rc)) != 1)
            return rc;
        status_after = "received";
    }
    struct tally_key before = key_of(out->incident_id, out->status, &out->facts);
    struct tally_key after = key_of(out->incident_id, status_after, &x->row->facts);
    if ((rc = tx_one_row(move_tally(c, &before, &after))) != 1)
        return rc;
    rc = change_mandate(c, out, x->m);
    if (rc == DB_CONFLICT) /* in another action, or the person is */
        return tx_answer(t, OUTCOME_ALREADY_IN_ACTION);
    if ((rc = tx_one_row(rc)) != 1)
        return rc;
    if ((rc = tx_one_row(rehash(c, out, x->again))) != 1)
        return rc;
    /* the messages commit with the correction (issue 12) */
    if (x->moved != NULL && x->moved->old_email != NULL && (rc = tell_old_address(c, x)) != 1)
        return rc;
    return tx_one_row(db_outbox_enqueue_claim(c, "claim-corrected", x->rec->id));
}

static int
withdraw(PGconn *c, struct tx *t, const struct change *x)
{
    const struct claim_record *cur = x->out;
    int rc;

    (void)t;
    if (strcmp(cur->status, "withdrawn") == 0)
        return 1; /* withdrawing a withdrawn claim answers it as it is */
    rc = tx_one_row(db_claims_withdraw(c, cur->id));
    if (rc == 1)
        rc = move_status(c, cur, "withdrawn");
    if (rc == 1)
        rc = tx_one_row(db_outbox_enqueue_claim(c, "claim-withdrawn", cur->id));
    return rc;
}

static bool
review_allowed(const char *from, const char *to)
{
    if (strcmp(from, "received") == 0)
        return true;
    return (strcmp(from, "verified") == 0 || strcmp(from, "rejected") == 0) &&
           strcmp(from, to) != 0;
}

/* The workspace's decision on this one claim, member of an action or not: the same window,
 * history row and message to a rejected claimant as a review in the workspace. */
static int
review(PGconn *c, struct tx *t, const struct change *x)
{
    const struct claim_record *cur = x->out;
    int64_t moved = 0;

    if (!review_allowed(cur->status, x->decision->decision))
        return tx_answer(t, OUTCOME_INVALID_TRANSITION);
    int rc = svc_review_apply(c, x->decision, 1, x->a, &moved);
    if (rc == 0) /* the row is locked and its status allows the move */
        rc = DB_HARD;
    if (rc == 1)
        rc = tx_audited(svc_audit(c, x->note, "claim.review", "claim", x->rec->reference));
    return rc;
}

/* Entry points for handlers (service/conn.h). */

SVC_RQ_ON_CONN(svc_rq_claims_find,
               (const struct secrets *s, const char *reference, const char *token, struct arena *a,
                struct claim_record *out),
               svc_claims_find, s, reference, token, a, out)

enum outcome
svc_rq_claims_for_review(const char *reference, const char *association_id, bool may_write,
                         struct arena *a, struct claim_record *out)
{
    PGconn *c;

    if (svc_conn(&c) != OUTCOME_OK)
        return OUTCOME_UNAVAILABLE;
    int rc = db_claims_get(c, reference, false, a, out);
    if (rc < 0)
        return tx_outcome_of(c, rc);
    /* only the association the claim mandated (or the operator) sees it at all */
    if (rc == 0 || (association_id != NULL && (out->mandate_association_id == NULL ||
                                               strcmp(out->mandate_association_id,
                                                      association_id) != 0)))
        return OUTCOME_NOT_FOUND;
    return may_write ? OUTCOME_OK : OUTCOME_APPROVAL_LAPSED;
}

enum outcome
svc_rq_claims_list_mandated(const char *slug, const char *association_id,
                            const struct claim_list_filter *f, int limit, struct arena *a,
                            struct claim_record *out, int *n_out, bool *more_out)
{
    struct incident inc;
    PGconn *c;
    enum outcome o = svc_incident_here(slug, a, &c, &inc);

    if (o != OUTCOME_OK)
        return o;
    int rc = db_claims_list_mandated(c, inc.slug, association_id, f, limit + 1, a, out, n_out);
    return tx_page_outcome(c, rc, limit, n_out, more_out);
}

enum outcome
svc_rq_claims_correct(const struct claim_record *rec, const struct claim_row *row,
                      const struct mandate_change *m, const struct claim_hashes *again,
                      const struct address_move *moved, struct arena *a,
                      struct claim_record *out)
{
    struct change x = {.apply = correct, .rec = rec, .a = a, .out = out, .row = row, .m = m,
                       .again = again, .moved = moved};

    return svc_tx_run_here("claims.correct", TX_READ_WRITE, change_body, &x);
}

enum outcome
svc_rq_claims_withdraw(const struct claim_record *rec, struct arena *a, struct claim_record *out)
{
    struct change x = {.apply = withdraw, .rec = rec, .a = a, .out = out};

    return svc_tx_run_here("claims.withdraw", TX_READ_WRITE, change_body, &x);
}

enum outcome
svc_rq_claims_review(const struct audit_note *note, const struct claim_record *rec,
                     struct ws_decision *d, struct arena *a, struct claim_record *out)
{
    struct change x = {
        .apply = review, .rec = rec, .a = a, .out = out, .note = note, .decision = d};
    char batch_id[37];

    if (!random_uuid(batch_id))
        return OUTCOME_INTERNAL;
    d->action_id = NULL;
    d->f = NULL;
    d->claim_id = rec->id;
    d->batch_id = batch_id;
    d->actor = note->actor;
    return svc_tx_run_here("claims.review", TX_READ_WRITE, change_body, &x);
}
