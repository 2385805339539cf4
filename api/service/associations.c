/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Association and key use cases. */
#include "service/associations.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "crypto/keyed_hash.h"
#include "crypto/random.h"
#include "db/errors.h"
#include "service/conn.h"
#include "service/lookup_cache.h"
#include "service/tx.h"

struct create {
    const struct audit_note *note;
    const struct association *in;
    struct arena *a;
    struct association *out;
};

static int
create_body(PGconn *c, struct tx *t, void *ctx)
{
    struct create *x = ctx;
    int rc = db_associations_insert(c, x->in, x->a, x->out);

    (void)t;
    return svc_audit_after(c, rc, x->note, "association.create", "association", x->out->id);
}

enum outcome
svc_associations_create(PGconn *c, const struct audit_note *note, const struct association *in,
                        struct arena *a, struct association *out)
{
    struct create x = {note, in, a, out};
    return svc_tx_run_cached_write(c, "associations.create", create_body, &x);
}

enum outcome
svc_associations_get(PGconn *c, const char *id, struct arena *a, struct association *out)
{
    return tx_read_outcome(c, db_associations_get(c, id, false, a, out));
}

static void
apply(struct association *cur, const struct association_patch *p)
{
    if (p->has_name)
        cur->name = p->value.name;
    if (p->has_approval_reference)
        cur->approval_reference = p->value.approval_reference;
    if (p->has_approved_from)
        cur->approved_from = p->value.approved_from;
    if (p->has_approved_until)
        cur->approved_until = p->value.approved_until;
    if (p->has_country)
        cur->country = p->value.country;
    if (p->has_contact_email)
        cur->contact_email = p->value.contact_email;
    if (p->has_status)
        cur->status = p->value.status;
}

struct update {
    const struct audit_note *note;
    const char *id;
    const struct association_patch *p;
    struct arena *a;
    struct association *out;
    const char **error_field;
};

static int
update_body(PGconn *c, struct tx *t, void *ctx)
{
    struct update *x = ctx;
    struct association cur;
    int rc = db_associations_get(c, x->id, true, x->a, &cur);

    if ((rc = tx_one_row(rc)) != 1)
        return rc; /* 0: no such association */
    /* the stored status, not the reported one ("lapsed" is computed) */
    if (strcmp(cur.status, "lapsed") == 0)
        cur.status = "approved";
    apply(&cur, x->p);
    if (cur.approved_until != NULL && strcmp(cur.approved_until, cur.approved_from) < 0) {
        *x->error_field = "approved_until";
        return tx_answer(t, OUTCOME_INVALID);
    }
    rc = db_associations_update(c, &cur, x->a, x->out);
    return svc_audit_after(c, rc, x->note, "association.update", "association", x->id);
}

enum outcome
svc_associations_update(PGconn *c, const struct audit_note *note, const char *id,
                        const struct association_patch *p, struct arena *a,
                        struct association *out, const char **error_field)
{
    struct update x = {note, id, p, a, out, error_field};

    *error_field = NULL;
    return svc_tx_run_cached_write(c, "associations.update", update_body, &x);
}

enum outcome
svc_associations_list(PGconn *c, const char *after, int limit, struct arena *a,
                      struct association *out, int *n_out, bool *more_out)
{
    int rc = db_associations_list_approved(c, after, limit + 1, a, out, n_out);
    return tx_page_outcome(c, rc, limit, n_out, more_out);
}

/* "rk_" + 8 alphanumerics: base64url of random bytes with the two symbols out. */
static bool
make_prefix(char out[12])
{
    static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    uint8_t r[8];

    if (!random_bytes(r, sizeof r))
        return false;
    memcpy(out, "rk_", 3);
    for (int i = 0; i < 8; i++)
        out[3 + i] = alnum[r[i] % 62]; /* bias below 1 %: fine for an identifier */
    out[11] = '\0';
    return true;
}

struct issue {
    const struct audit_note *note;
    const char *association_id;
    const char *label;
    const char *prefix;
    const uint8_t *hash;
    struct arena *a;
    struct api_key *out;
};

static int
issue_body(PGconn *c, struct tx *t, void *ctx)
{
    struct issue *x = ctx;
    struct association owner;

    (void)t;
    if (x->association_id != NULL) {
        /* locks the owner so that a key is never issued to a row being changed */
        int rc = db_associations_get(c, x->association_id, true, x->a, &owner);
        if ((rc = tx_one_row(rc)) != 1)
            return rc; /* 0: no such association */
    }
    int rc = db_keys_insert(c, x->association_id, x->label, x->prefix, x->hash, x->a, x->out);
    return svc_audit_after(c, rc, x->note, "key.issue", "api_key", x->out->id);
}

enum outcome
svc_keys_issue(PGconn *c, const struct secrets *s, const struct audit_note *note,
               const char *association_id, const char *label, struct arena *a,
               struct api_key *out, char *secret_out)
{
    char prefix[12];
    char secret[44];
    uint8_t hash[32];

    if (!make_prefix(prefix) || !random_token(32, secret))
        return OUTCOME_INTERNAL;
    snprintf(secret_out, API_KEY_LEN + 1, "%s_%s", prefix, secret);
    OPENSSL_cleanse(secret, sizeof secret);
    if (!keyed_hash(s->hmac_key, "api-key", secret_out, hash))
        return OUTCOME_INTERNAL;
    struct issue x = {note, association_id, label, prefix, hash, a, out};
    return svc_tx_run(c, "keys.issue", TX_READ_WRITE, issue_body, &x);
}

struct revoke {
    const struct audit_note *note;
    const char *id;
};

static int
revoke_body(PGconn *c, struct tx *t, void *ctx)
{
    struct revoke *x = ctx;
    int rc = db_keys_revoke(c, x->id);

    (void)t;
    if (rc == 0)
        return 0; /* no such key */
    return svc_audit_after(c, rc, x->note, "key.revoke", "api_key", x->id);
}

enum outcome
svc_keys_revoke(PGconn *c, const struct audit_note *note, const char *id)
{
    struct revoke x = {note, id};

    return svc_tx_run(c, "keys.revoke", TX_READ_WRITE, revoke_body, &x);
}

/* Entry points for handlers (service/conn.h). */

SVC_RQ_ON_CONN(svc_rq_associations_create,
               (const struct audit_note *note, const struct association *in, struct arena *a,
                struct association *out),
               svc_associations_create, note, in, a, out)

SVC_RQ_ON_CONN(svc_rq_associations_update,
               (const struct audit_note *note, const char *id, const struct association_patch *p,
                struct arena *a, struct association *out, const char **error_field),
               svc_associations_update, note, id, p, a, out, error_field)

SVC_RQ_ON_CONN(svc_rq_associations_list,
               (const char *after, int limit, struct arena *a, struct association *out, int *n_out,
                bool *more_out),
               svc_associations_list, after, limit, a, out, n_out, more_out)

SVC_RQ_ON_CONN(svc_rq_keys_issue,
               (const struct secrets *s, const struct audit_note *note, const char *association_id,
                const char *label, struct arena *a, struct api_key *out, char *secret_out),
               svc_keys_issue, s, note, association_id, label, a, out, secret_out)

SVC_RQ_ON_CONN(svc_rq_keys_revoke,
               (const struct audit_note *note, const char *id),
               svc_keys_revoke, note, id)
