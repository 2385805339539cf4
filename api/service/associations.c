/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Association and key use cases. */
#include "service/associations.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "crypto/keyed_hash.h"
#include "crypto/random.h"
#include "db/errors.h"
#include "service/audited_write.h"
#include "service/conn.h"
#include "service/tx.h"

/* The write of svc_associations_create: in, the new association. */
static int
insert(PGconn *c, struct tx *t, const struct audited_write *w)
{
    (void)t;
    return db_associations_insert(c, w->in, w->a, w->out);
}

enum outcome
svc_associations_create(PGconn *c, const struct audit_note *note, const struct association *in,
                        struct arena *a, struct association *out)
{
    struct audited_write w = {.write = insert, .note = note, .event = "association.create",
                              .object_type = "association", .object_id = &out->id, .in = in,
                              .a = a, .out = out, .stales_lookup_cache = true};

    return svc_audited_write(c, "associations.create", &w);
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

/* The write of svc_associations_update: target, the id; in, the patch. */
static int
update(PGconn *c, struct tx *t, const struct audited_write *w)
{
    struct association cur;
    int rc = db_associations_get(c, w->target, true, w->a, &cur);

    if ((rc = tx_one_row(rc)) != 1)
        return rc == 0 ? tx_answer(t, OUTCOME_NOT_FOUND) : rc; /* no such association */
    /* the stored status, not the reported one ("lapsed" is computed) */
    if (strcmp(cur.status, "lapsed") == 0)
        cur.status = "approved";
    apply(&cur, w->in);
    if (cur.approved_until != NULL && strcmp(cur.approved_until, cur.approved_from) < 0)
        return tx_answer(t, OUTCOME_INVALID); /* the one invalid patch: see the caller */
    return db_associations_update(c, &cur, w->a, w->out);
}

enum outcome
svc_associations_update(PGconn *c, const struct audit_note *note, const char *id,
                        const struct association_patch *p, struct arena *a,
                        struct association *out, const char **error_field)
{
    struct audited_write w = {.write = update, .note = note, .event = "association.update",
                              .object_type = "association", .object_id = &id, .target = id,
                              .in = p, .a = a, .out = out, .stales_lookup_cache = true};
    enum outcome o = svc_audited_write(c, "associations.update", &w);

    *error_field = o == OUTCOME_INVALID ? "approved_until" : NULL;
    return o;
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

/* What a new key is made of, but its owner. */
struct new_key {
    const char *label;
    const char *prefix;
    const uint8_t *hash;
};

/* The write of svc_keys_issue: target, the owner's id (NULL: an operator key); in, the
 * struct new_key. */
static int
issue(PGconn *c, struct tx *t, const struct audited_write *w)
{
    const char *owner_id = w->target;
    const struct new_key *k = w->in;
    struct association owner;

    if (owner_id != NULL) {
        /* locks the owner so that a key is never issued to a row being changed */
        int rc = tx_one_row(db_associations_get(c, owner_id, true, w->a, &owner));
        if (rc != 1)
            return rc == 0 ? tx_answer(t, OUTCOME_NOT_FOUND) : rc; /* no such association */
    }
    return db_keys_insert(c, owner_id, k->label, k->prefix, k->hash, w->a, w->out);
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
    struct new_key k = {label, prefix, hash};
    struct audited_write w = {.write = issue, .note = note, .event = "key.issue",
                              .object_type = "api_key", .object_id = &out->id,
                              .target = association_id, .in = &k, .a = a, .out = out};
    return svc_audited_write(c, "keys.issue", &w);
}

/* The write of svc_keys_revoke: target, the key's id. */
static int
revoke(PGconn *c, struct tx *t, const struct audited_write *w)
{
    int rc = db_keys_revoke(c, w->target);

    return rc == 0 ? tx_answer(t, OUTCOME_NOT_FOUND) : rc; /* no such key */
}

enum outcome
svc_keys_revoke(PGconn *c, const struct audit_note *note, const char *id)
{
    struct audited_write w = {.write = revoke, .note = note, .event = "key.revoke",
                              .object_type = "api_key", .object_id = &id, .target = id};

    return svc_audited_write(c, "keys.revoke", &w);
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

SVC_RQ_ON_CONN(svc_rq_associations_get, (const char *id, struct arena *a, struct association *out),
               svc_associations_get, id, a, out)

SVC_RQ_ON_CONN(svc_rq_associations_list,
               (const char *after, int limit, struct arena *a, struct association *out, int *n_out,
                bool *more_out),
               svc_associations_list, after, limit, a, out, n_out, more_out)

enum outcome
svc_rq_associations_get_public(const char *id, struct arena *a, struct association *out)
{
    PGconn *c;

    if (svc_conn(&c) != OUTCOME_OK)
        return OUTCOME_UNAVAILABLE;
    enum outcome o = svc_associations_get(c, id, a, out);
    /* the reported status is "approved" exactly for the rows db_associations_list_approved
     * reads: pending, suspended and lapsed ones are no more public here than in the list */
    if (o == OUTCOME_OK && strcmp(out->status, "approved") != 0)
        return OUTCOME_NOT_FOUND;
    return o;
}

SVC_RQ_ON_CONN(svc_rq_keys_issue,
               (const struct secrets *s, const struct audit_note *note, const char *association_id,
                const char *label, struct arena *a, struct api_key *out, char *secret_out),
               svc_keys_issue, s, note, association_id, label, a, out, secret_out)

SVC_RQ_ON_CONN(svc_rq_keys_revoke,
               (const struct audit_note *note, const char *id),
               svc_keys_revoke, note, id)
