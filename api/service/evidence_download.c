/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See evidence.h: the mandated association's audited download of a file, one sealed chunk
 * at a time, each read on the worker's connection between two of MHD's calls. */
#include "service/evidence.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "crypto/pii_box.h"
#include "db/evidence.h"
#include "domain/uuid.h"
#include "service/conn.h"
#include "service/evidence_parts.h"
#include "service/tx.h"

struct evidence_download {
    const struct secrets *s;
    int64_t file_id;
    char public_id[37];
    int n_chunks, seq;
    int64_t size, sent;
    uint8_t *box, *plain;
    size_t plain_len, plain_at;
};

struct download_open {
    const struct secrets *s;
    const struct audit_note *note;
    const char *association_id, *action_id, *reference, *file_id;
    struct arena *a;
    struct evidence_row row;
};

static int
download_body(PGconn *c, struct tx *t, void *ctx)
{
    struct download_open *d = ctx;
    int64_t claim_id = 0;
    int rc = evidence_member_claim(c, d->association_id, d->action_id, d->reference, &claim_id);

    (void)t;
    if (rc == 1)
        rc = uuid_is_valid(d->file_id) ? db_evidence_get(c, claim_id, d->file_id, d->a, &d->row)
                                       : 0;
    if (rc == 1)
        rc = tx_audited(svc_audit(c, d->note, "evidence.download", "evidence", d->row.public_id));
    return rc;
}

enum outcome
svc_rq_evidence_download_open(const struct secrets *s, const struct audit_note *note,
                              const char *association_id, const char *action_id,
                              const char *reference, const char *file_id, struct arena *a,
                              struct evidence_file *meta, struct evidence_download **out)
{
    PGconn *c;
    struct download_open d = {s, note, association_id, action_id, reference, file_id, a, {0}};
    enum outcome o = svc_conn(&c);

    *out = NULL;
    if (o == OUTCOME_OK)
        o = svc_tx_run(c, "evidence.download", TX_READ_WRITE, download_body, &d);
    if (o != OUTCOME_OK)
        return o;
    if (!evidence_file_view(s, a, &d.row, meta))
        return OUTCOME_INTERNAL;
    struct evidence_download *dl = xcalloc(1, sizeof *dl);
    dl->s = s;
    dl->file_id = d.row.id;
    memcpy(dl->public_id, d.row.public_id, sizeof dl->public_id - 1);
    dl->n_chunks = d.row.n_chunks;
    dl->size = d.row.size;
    dl->box = xmalloc(EVIDENCE_CHUNK + PII_BOX_OVERHEAD);
    dl->plain = xmalloc(EVIDENCE_CHUNK);
    *out = dl;
    return OUTCOME_OK;
}

/* Reads and opens chunk d->seq into d->plain; false (logged) when it cannot. */
static bool
next_chunk(struct evidence_download *d)
{
    PGconn *c;
    size_t box_len = 0;
    int key_id = 0;
    char aad[80];

    if (svc_conn(&c) != OUTCOME_OK)
        return false;
    int rc = db_evidence_chunk(c, d->file_id, d->seq, d->box, EVIDENCE_CHUNK + PII_BOX_OVERHEAD,
                               &box_len, &key_id);
    svc_conn_release();
    if (rc != 1) {
        log_error("evidence %s: chunk %d could not be read (status %d)", d->public_id, d->seq, rc);
        return false;
    }
    const struct data_key *k = evidence_key_by_id(d->s, key_id);
    evidence_chunk_aad(d->public_id, d->seq, aad);
    if (k == NULL || box_len < PII_BOX_OVERHEAD ||
        !pii_box_open(k->key, aad, strlen(aad), d->box, box_len, d->plain)) {
        log_error("evidence %s: chunk %d cannot be opened (unknown key or damaged)", d->public_id,
                  d->seq);
        return false;
    }
    d->plain_len = box_len - PII_BOX_OVERHEAD;
    d->plain_at = 0;
    d->seq++;
    return true;
}

ssize_t
svc_rq_evidence_download_next(struct evidence_download *d, char *buf, size_t max)
{
    if (d->plain_at == d->plain_len) {
        if (d->seq == d->n_chunks) {
            if (d->sent != d->size) {
                log_error("evidence %s: %lld bytes read, %lld recorded", d->public_id,
                          (long long)d->sent, (long long)d->size);
                return -1;
            }
            return 0;
        }
        if (!next_chunk(d))
            return -1;
    }
    size_t n = d->plain_len - d->plain_at < max ? d->plain_len - d->plain_at : max;
    memcpy(buf, d->plain + d->plain_at, n);
    d->plain_at += n;
    d->sent += (int64_t)n;
    return (ssize_t)n;
}

void
svc_rq_evidence_download_end(struct evidence_download *d)
{
    if (d == NULL)
        return;
    OPENSSL_cleanse(d->plain, EVIDENCE_CHUNK);
    free(d->plain);
    free(d->box);
    free(d);
}
