/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Sealing and hashing of claims. Plaintext lives only in the request arena, which is wiped
 * when the request ends. */
#include "service/claims_seal.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/xalloc.h"
#include "crypto/keyed_hash.h"
#include "crypto/pii_box.h"
#include "crypto/random.h"
#include "domain/normalize.h"
#include "domain/reference.h"

bool
claims_dedup_keys(const struct secrets *s, const struct claimant *c, struct claim_row *row)
{
    char normal[16384]; /* NFKD may expand a 100-character name about 18 times */
    bool ok = false;

    if (!normalize_email(c->email, normal, sizeof normal) ||
        !keyed_hash(s->hmac_key, "email", normal, row->email_key))
        goto cleanup;
    row->has_phone_key = c->phone != NULL;
    if (row->has_phone_key && !keyed_hash(s->hmac_key, "phone", c->phone, row->phone_key))
        goto cleanup;
    /* identity needs a birth date (docs/product.md §3.1): names alone match too many people */
    row->has_identity_key = c->birth_date != NULL;
    if (row->has_identity_key &&
        (!normalize_identity(c->family_name, c->given_name, c->birth_date, normal,
                             sizeof normal) ||
         !keyed_hash(s->hmac_key, "identity", normal, row->identity_key)))
        goto cleanup;
    ok = true;
cleanup:
    /* the address, or the names and birth date, normalised: on every path, as on success */
    explicit_bzero(normal, sizeof normal);
    return ok;
}

const uint8_t *
claims_seal(const struct secrets *s, struct arena *a, const char *aad, size_t aad_len,
            const void *plain, size_t n, size_t *len_out, int *key_id_out)
{
    const struct data_key *k = &s->data_keys[s->current_data_key];
    uint8_t *box = arena_alloc(a, n + PII_BOX_OVERHEAD);

    if (!pii_box_seal(k->key, aad, aad_len, plain, n, box))
        return NULL;
    *len_out = n + PII_BOX_OVERHEAD;
    *key_id_out = k->id;
    return box;
}

char *
claims_open(const struct secrets *s, struct arena *a, int key_id, const char *aad,
            size_t aad_len, const uint8_t *box, size_t box_len)
{
    for (int i = 0; i < s->n_data_keys; i++) {
        if (s->data_keys[i].id != key_id)
            continue;
        if (box_len < PII_BOX_OVERHEAD)
            return NULL;
        char *plain = arena_alloc(a, box_len - PII_BOX_OVERHEAD + 1);
        if (!pii_box_open(s->data_keys[i].key, aad, aad_len, box, box_len, (uint8_t *)plain))
            return NULL;
        plain[box_len - PII_BOX_OVERHEAD] = '\0';
        return plain;
    }
    return NULL;
}

const char *
claims_moved_address_aad(struct arena *a, int64_t outbox_id, const char *reference)
{
    return arena_printf(a, "address-changed:%lld:%s", (long long)outbox_id, reference);
}

struct claims_opener {
    const struct secrets *s;
    struct pii_box_opener *by_key[SECRETS_MAX_DATA_KEYS]; /* index as s->data_keys */
};

struct claims_opener *
claims_opener_new(const struct secrets *s)
{
    struct claims_opener *o = xcalloc(1, sizeof *o);

    o->s = s;
    return o;
}

bool
claims_opener_open(struct claims_opener *o, int key_id, const char *aad, size_t aad_len,
                   const uint8_t *box, size_t box_len, char *plain_out)
{
    for (int i = 0; i < o->s->n_data_keys; i++) {
        if (o->s->data_keys[i].id != key_id)
            continue;
        if (box_len < PII_BOX_OVERHEAD)
            return false;
        if (o->by_key[i] == NULL)
            o->by_key[i] = pii_box_opener_new(o->s->data_keys[i].key);
        if (o->by_key[i] == NULL)
            return false;
        if (!pii_box_opener_open(o->by_key[i], aad, aad_len, box, box_len, (uint8_t *)plain_out))
            return false;
        plain_out[box_len - PII_BOX_OVERHEAD] = '\0';
        return true;
    }
    return false;
}

void
claims_opener_free(struct claims_opener *o)
{
    if (o == NULL)
        return;
    for (int i = 0; i < SECRETS_MAX_DATA_KEYS; i++)
        pii_box_opener_free(o->by_key[i]);
    free(o);
}

bool
claims_reseal_reference(const struct secrets *s, struct arena *a, const char *pii_json,
                        struct claim_row *row)
{
    if (!reference_generate(row->reference))
        return false;
    row->pii = claims_seal(s, a, row->reference, strlen(row->reference), pii_json,
                           strlen(pii_json), &row->pii_len, &row->data_key_id);
    return row->pii != NULL;
}

/* The columns of a claim's row kept in clear, from its input (the country copied: the row
 * outlives the handler's input, docs/architecture.md §5). */
static struct claim_facts
facts_of(const struct claim_input *in)
{
    struct claim_facts f = {.categories = in->categories,
                            .phishing = in->harms.phishing,
                            .identity_theft = in->harms.identity_theft,
                            .distress = in->harms.distress,
                            .documented_loss = in->harms.documented_loss,
                            .hours_spent = in->harms.hours_spent,
                            .payment_preference = in->payment_preference};

    memcpy(f.country, in->claimant.address.country, sizeof f.country);
    return f;
}

bool
claims_seal_correction(const struct secrets *s, struct arena *a, const char *reference,
                       const struct claim_input *in, const char *pii_json, struct claim_row *row)
{
    memset(row, 0, sizeof *row);
    if (pii_json == NULL || !claims_dedup_keys(s, &in->claimant, row))
        return false;
    row->pii = claims_seal(s, a, reference, strlen(reference), pii_json, strlen(pii_json),
                           &row->pii_len, &row->data_key_id);
    row->facts = facts_of(in);
    return row->pii != NULL;
}

bool
claims_seal_new(const struct secrets *s, struct arena *a, int64_t incident_id,
                const struct claim_input *in, const char *pii_json, const char *created_at,
                struct claim_row *row, char *token_out)
{
    memset(row, 0, sizeof *row);
    row->incident_id = incident_id;
    if (!claims_dedup_keys(s, &in->claimant, row))
        return false;
    if (!random_token(32, token_out) ||
        !keyed_hash(s->hmac_key, "claim-token", token_out, row->token_hash))
        return false;
    if (!claims_reseal_reference(s, a, pii_json, row))
        return false;
    row->facts = facts_of(in);
    row->privacy_notice_version = in->privacy_notice_version;
    row->created_at = created_at;
    row->lang = in->lang;
    return true;
}
