/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Association and key use cases. */
#include "service/associations.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "crypto/keyed_hash.h"
#include "crypto/random.h"
#include "db/errors.h"
#include "service/lookup_cache.h"
#include "service/tx.h"

/* Runs the audit, then COMMIT; rolls back and maps the failure otherwise. */
static enum outcome
finish(PGconn *c, int rc, const struct audit_note *note, const char *action, const char *type,
       const char *id)
{
    if (rc == 0)
        rc = svc_audit(c, note, action, type, id);
    if (rc == 0)
        rc = tx_commit(c);
    if (rc == 0)
        return OUTCOME_OK;
    enum outcome o = tx_outcome_of(c, rc);
    tx_rollback(c);
    return o;
}

enum outcome
svc_associations_create(PGconn *c, const struct audit_note *note, const struct association *in,
                        struct arena *a, struct association *out)
{
    int rc = tx_begin(c, NULL);

    if (rc != 0)
        return tx_outcome_of(c, rc);
    rc = db_associations_insert(c, in, a, out);
    enum outcome o = finish(c, rc == 1 ? 0 : (rc == 0 ? DB_HARD : rc), note,
                            "association.create", "association", out->id);
    svc_lookup_cache_invalidate(); /* whatever COMMIT said: a lost answer may hide a commit */
    return o;
}

enum outcome
svc_associations_get(PGconn *c, const char *id, struct arena *a, struct association *out)
{
    int rc = db_associations_get(c, id, false, a, out);

    if (rc == 1)
        return OUTCOME_OK;
    return rc == 0 ? OUTCOME_NOT_FOUND : tx_outcome_of(c, rc);
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

enum outcome
svc_associations_update(PGconn *c, const struct audit_note *note, const char *id,
                        const struct association_patch *p, struct arena *a,
                        struct association *out, const char **error_field)
{
    struct association cur;
    int rc = tx_begin(c, NULL);

    *error_field = NULL;
    if (rc != 0)
        return tx_outcome_of(c, rc);
    rc = db_associations_get(c, id, true, a, &cur);
    if (rc == 0) {
        tx_rollback(c);
        return OUTCOME_NOT_FOUND;
    }
    if (rc == 1) {
        /* the stored status, not the reported one ("lapsed" is computed) */
        if (strcmp(cur.status, "lapsed") == 0)
            cur.status = "approved";
        apply(&cur, p);
        if (cur.approved_until != NULL && strcmp(cur.approved_until, cur.approved_from) < 0) {
            tx_rollback(c);
            *error_field = "approved_until";
            return OUTCOME_INVALID;
        }
        rc = db_associations_update(c, &cur, a, out);
    }
    enum outcome o = finish(c, rc == 1 ? 0 : (rc == 0 ? DB_HARD : rc), note,
                            "association.update", "association", id);
    svc_lookup_cache_invalidate(); /* whatever COMMIT said: a lost answer may hide a commit */
    return o;
}

enum outcome
svc_associations_list(PGconn *c, const char *after, int limit, struct arena *a,
                      struct association *out, int *n_out, bool *more_out)
{
    int rc = db_associations_list_approved(c, after, limit + 1, a, out, n_out);

    if (rc < 0)
        return tx_outcome_of(c, rc);
    *more_out = *n_out > limit;
    if (*more_out)
        *n_out = limit;
    return OUTCOME_OK;
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

enum outcome
svc_keys_issue(PGconn *c, const struct secrets *s, const struct audit_note *note,
               const char *association_id, const char *label, struct arena *a,
               struct api_key *out, char *secret_out)
{
    char prefix[12];
    char secret[44];
    uint8_t hash[32];
    struct association owner;

    if (!make_prefix(prefix) || !random_token(32, secret))
        return OUTCOME_INTERNAL;
    snprintf(secret_out, API_KEY_LEN + 1, "%s_%s", prefix, secret);
    OPENSSL_cleanse(secret, sizeof secret);
    if (!keyed_hash(s->hmac_key, "api-key", secret_out, hash))
        return OUTCOME_INTERNAL;
    int rc = tx_begin(c, NULL);
    if (rc != 0)
        return tx_outcome_of(c, rc);
    if (association_id != NULL) {
        rc = db_associations_get(c, association_id, true, a, &owner);
        if (rc == 0) {
            tx_rollback(c);
            return OUTCOME_NOT_FOUND;
        }
        if (rc < 0)
            return finish(c, rc, note, NULL, NULL, NULL);
    }
    rc = db_keys_insert(c, association_id, label, prefix, hash, a, out);
    return finish(c, rc == 1 ? 0 : (rc == 0 ? DB_HARD : rc), note, "key.issue", "api_key",
                  out->id);
}

enum outcome
svc_keys_revoke(PGconn *c, const struct audit_note *note, const char *id)
{
    int rc = tx_begin(c, NULL);

    if (rc != 0)
        return tx_outcome_of(c, rc);
    rc = db_keys_revoke(c, id);
    if (rc == 0) {
        tx_rollback(c);
        return OUTCOME_NOT_FOUND;
    }
    return finish(c, rc == 1 ? 0 : rc, note, "key.revoke", "api_key", id);
}
