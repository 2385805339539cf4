/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See evidence_parts.h. */
#include "service/evidence_parts.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "crypto/pii_box.h"
#include "domain/reference.h"
#include "domain/uuid.h"
#include "service/tx.h"

const struct data_key *
evidence_key_by_id(const struct secrets *s, int id)
{
    for (int i = 0; i < s->n_data_keys; i++)
        if (s->data_keys[i].id == id)
            return &s->data_keys[i];
    return NULL;
}

void
evidence_chunk_aad(const char *public_id, int seq, char out[80])
{
    snprintf(out, 80, "evidence-chunk/%s/%d", public_id, seq);
}

void
evidence_name_aad(const char *public_id, char out[64])
{
    snprintf(out, 64, "evidence-name/%s", public_id);
}

static char *
open_name(const struct secrets *s, struct arena *a, const struct evidence_row *r)
{
    const struct data_key *k = evidence_key_by_id(s, r->data_key_id);
    char aad[64];

    if (k == NULL || r->name_box_len < PII_BOX_OVERHEAD)
        return NULL;
    evidence_name_aad(r->public_id, aad);
    size_t n = r->name_box_len - PII_BOX_OVERHEAD;
    char *out = arena_alloc(a, n + 1);
    if (!pii_box_open(k->key, aad, strlen(aad), r->name_box, r->name_box_len, (uint8_t *)out))
        return NULL;
    out[n] = '\0';
    return out;
}

bool
evidence_file_view(const struct secrets *s, struct arena *a, const struct evidence_row *r,
          struct evidence_file *out)
{
    memset(out, 0, sizeof *out);
    out->name = open_name(s, a, r);
    if (out->name == NULL) {
        log_error("evidence %s: its name cannot be opened (unknown key or damaged)", r->public_id);
        return false;
    }
    out->id = r->public_id;
    out->media_type = r->media_type;
    out->size = r->size;
    memcpy(out->sha256, r->sha256, sizeof out->sha256);
    out->stored_at = r->stored_at;
    return true;
}

enum outcome
evidence_claim_refusal(const struct evidence_claim *cl)
{
    if (strcmp(cl->status, "withdrawn") == 0)
        return OUTCOME_CLAIM_WITHDRAWN;
    if (strcmp(cl->status, "received") != 0)
        return OUTCOME_CLAIM_REVIEWED;
    return OUTCOME_OK;
}

int
evidence_claim_lock(PGconn *c, struct tx *t, int64_t claim_id,
                    const struct evidence_limits *new_file, struct evidence_claim *cl)
{
    struct arena *a = arena_new();
    int rc = db_evidence_claim_lock(c, claim_id, a, cl);

    if (rc == 1) {
        enum outcome o = evidence_claim_refusal(cl);
        if (new_file != NULL && o == OUTCOME_OK && !cl->applicable)
            o = OUTCOME_EVIDENCE_NOT_APPLICABLE;
        if (new_file != NULL && o == OUTCOME_OK && cl->n_files >= new_file->max_files)
            o = OUTCOME_EVIDENCE_LIMIT;
        rc = o != OUTCOME_OK ? tx_answer(t, o) : 1;
    }
    cl->status = NULL;
    arena_free(a);
    return rc;
}

int
evidence_member_claim(PGconn *c, const char *association_id, const char *action_id,
             const char *reference, int64_t *claim_id)
{
    char canonical[REFERENCE_LEN + 1];

    if (association_id == NULL || !uuid_is_valid(action_id) ||
        !reference_parse(reference, canonical))
        return 0;
    return db_evidence_member_claim(c, action_id, association_id, canonical, claim_id);
}
