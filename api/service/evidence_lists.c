/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See evidence.h: the lists of a claim's files (the claimant's, the mandated association's)
 * and the claimant's removal of one. */
#include "service/evidence.h"

#include <string.h>

#include "core/arena.h"
#include "db/evidence.h"
#include "domain/uuid.h"
#include "service/claims.h"
#include "service/conn.h"
#include "service/evidence_parts.h"
#include "service/tx.h"

struct listing {
    const struct secrets *s;
    const struct evidence_limits *lim; /* the claimant's list: what may change */
    int64_t claim_id;
    struct arena *a;
    struct evidence_list *out;
};

#define LIST_MAX 100 /* beyond any --evidence-max-files */

static int
list_body(PGconn *c, struct tx *t, void *ctx)
{
    struct listing *l = ctx;
    struct evidence_row *rows = arena_alloc(l->a, sizeof *rows * LIST_MAX);
    int n = db_evidence_list(c, l->claim_id, LIST_MAX, l->a, rows);

    if (n < 0)
        return n;
    l->out->files = arena_alloc(l->a, sizeof *l->out->files * (size_t)(n > 0 ? n : 1));
    l->out->n = n;
    for (int i = 0; i < n; i++)
        if (!evidence_file_view(l->s, l->a, &rows[i], &l->out->files[i]))
            return tx_answer(t, OUTCOME_INTERNAL);
    if (l->lim != NULL) {
        struct evidence_claim cl;
        int rc = db_evidence_claim_lock(c, l->claim_id, l->a, &cl);
        if (rc != 1)
            return rc;
        l->out->can_change = evidence_claim_refusal(&cl) == OUTCOME_OK && cl.applicable;
        l->out->can_add = l->out->can_change && cl.n_files < l->lim->max_files;
    }
    return tx_answer(t, OUTCOME_OK); /* nothing to commit */
}

enum outcome
svc_rq_evidence_list_own(const struct secrets *s, const struct evidence_limits *lim,
                         const char *reference, const char *token, struct arena *a,
                         struct evidence_list *out)
{
    struct claim_record rec;
    PGconn *c;
    enum outcome o = svc_conn(&c);

    memset(out, 0, sizeof *out);
    if (o == OUTCOME_OK)
        o = svc_claims_find(c, s, reference, token, a, &rec);
    if (o != OUTCOME_OK)
        return o;
    struct listing l = {s, lim, rec.id, a, out};
    return svc_tx_run(c, "evidence.list", TX_READ_WRITE, list_body, &l);
}

struct removal {
    int64_t claim_id;
    const char *file_id;
};

static int
remove_body(PGconn *c, struct tx *t, void *ctx)
{
    struct removal *r = ctx;
    struct evidence_claim cl;
    int rc = evidence_claim_lock(c, t, r->claim_id, NULL, &cl);

    return rc == 1 ? db_evidence_delete(c, r->claim_id, r->file_id) : rc;
}

enum outcome
svc_rq_evidence_remove(const struct secrets *s, const char *reference, const char *token,
                       const char *file_id)
{
    struct claim_record rec;
    PGconn *c;
    struct arena *a = arena_new();
    enum outcome o = svc_conn(&c);

    if (o == OUTCOME_OK)
        o = svc_claims_find(c, s, reference, token, a, &rec);
    if (o == OUTCOME_OK && !uuid_is_valid(file_id))
        o = OUTCOME_NOT_FOUND;
    if (o == OUTCOME_OK) {
        struct removal r = {rec.id, file_id};
        o = svc_tx_run(c, "evidence.remove", TX_READ_WRITE, remove_body, &r);
    }
    arena_free(a);
    return o;
}

struct member_listing {
    const char *association_id, *action_id, *reference;
    struct listing l;
};

static int
member_list_body(PGconn *c, struct tx *t, void *ctx)
{
    struct member_listing *m = ctx;
    int rc = evidence_member_claim(c, m->association_id, m->action_id, m->reference,
                                   &m->l.claim_id);

    return rc != 1 ? rc : list_body(c, t, &m->l);
}

enum outcome
svc_rq_evidence_member_list(const struct secrets *s, const char *association_id,
                            const char *action_id, const char *reference, struct arena *a,
                            struct evidence_list *out)
{
    PGconn *c;
    enum outcome o = svc_conn(&c);
    struct member_listing m = {association_id, action_id, reference, {s, NULL, 0, a, out}};

    memset(out, 0, sizeof *out);
    if (o != OUTCOME_OK)
        return o;
    return svc_tx_run(c, "evidence.member_list", TX_READ_ONLY, member_list_body, &m);
}
