/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See evidence.h: the claimant's upload and the sweep of abandoned ones (evidence_lists.c has
 * the lists and the removal, evidence_download.c the association's download). Each chunk is
 * written in a transaction of its own while the body arrives: a worker's connection serves
 * its other connections between two body calls, so nothing may stay open across them. The file row holds the claim's slot from the first byte; it becomes
 * stored in one transaction that re-checks the claim, or is deleted at the request's end. */
#include "service/evidence.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "crypto/hex.h"
#include "crypto/pii_box.h"
#include "crypto/random.h"
#include "crypto/sha256.h"
#include "db/errors.h"
#include "db/evidence.h"
#include "domain/file_type.h"
#include "service/claims.h"
#include "service/conn.h"
#include "service/evidence_parts.h"
#include "service/tx.h"

#define SWEEP_BATCH 100

struct evidence_upload {
    const struct secrets *s; /* the snapshot of the request: one key seals the whole file */
    struct evidence_limits lim;
    int64_t claim_id, file_id;
    char public_id[37];
    enum outcome refusal; /* OUTCOME_OK while the upload may go on */
    bool stored;
    uint8_t *plain;       /* the chunk being filled: EVIDENCE_CHUNK bytes */
    size_t plain_len;
    uint8_t *box;         /* its sealed form */
    int seq;              /* chunks written */
    int64_t size;
    uint8_t head[FILE_TYPE_HEAD];
    size_t head_len;
    struct file_type_tail tail;
    struct sha256_stream *digest;
};

/* Length of the UTF-8 sequence starting at p (at most n bytes), 0 when it is not one. */
static size_t
utf8_char(const unsigned char *p, size_t n)
{
    size_t len = p[0] < 0x80 ? 1 : (p[0] & 0xe0) == 0xc0 ? 2 : (p[0] & 0xf0) == 0xe0 ? 3
                 : (p[0] & 0xf8) == 0xf0                  ? 4
                                                           : 0;
    if (len == 0 || len > n || (len == 2 && p[0] < 0xc2))
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    return len;
}

/* The name kept: its last path component, without control characters, quotes or invalid
 * UTF-8, cut at EVIDENCE_NAME_MAX bytes on a character; "evidence" when nothing is left. */
static void
clean_name(const char *name, char out[EVIDENCE_NAME_MAX + 1])
{
    const char *base = name != NULL ? name : "";
    size_t o = 0;

    for (const char *p = base; *p != '\0'; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    const unsigned char *p = (const unsigned char *)base;
    size_t n = strlen(base);
    while (n > 0) {
        size_t len = utf8_char(p, n);
        if (len == 0 || p[0] < 0x20 || p[0] == 0x7f || p[0] == '"') {
            p += len == 0 ? 1 : len;
            n -= len == 0 ? 1 : len;
            continue;
        }
        if (o + len > EVIDENCE_NAME_MAX)
            break;
        memcpy(out + o, p, len);
        o += len;
        p += len;
        n -= len;
    }
    out[o] = '\0';
    if (o == 0)
        strcpy(out, "evidence");
}

/* ---- the claimant's upload ---- */

/* A sealed part of the upload u, written in a transaction of its own: its name (begin_body)
 * or the chunk being filled (chunk_body), sealed under the data key key_id. */
struct sealed_part {
    struct evidence_upload *u;
    int key_id;
    const uint8_t *box;
    size_t box_len;
};

static int
begin_body(PGconn *c, struct tx *t, void *ctx)
{
    const struct sealed_part *name = ctx;
    struct evidence_upload *u = name->u;
    struct evidence_claim cl;
    int rc = evidence_claim_lock(c, t, u->claim_id, &u->lim, &cl);

    if (rc != 1)
        return rc;
    return db_evidence_insert(c, cl.incident_id, cl.id, u->public_id, name->key_id, name->box,
                              name->box_len, &u->file_id);
}

static void
upload_free(struct evidence_upload *u)
{
    if (u->plain != NULL)
        OPENSSL_cleanse(u->plain, EVIDENCE_CHUNK);
    free(u->plain);
    free(u->box);
    sha256_stream_free(u->digest);
    OPENSSL_cleanse(u->head, sizeof u->head);
    OPENSSL_cleanse(&u->tail, sizeof u->tail);
    free(u);
}

enum outcome
svc_rq_evidence_begin(const struct secrets *s, const struct evidence_limits *lim,
                      const char *reference, const char *token, const char *name,
                      struct evidence_upload **out)
{
    struct claim_record rec;
    PGconn *c;
    char clean[EVIDENCE_NAME_MAX + 1], aad[64];
    uint8_t name_box[EVIDENCE_NAME_MAX + PII_BOX_OVERHEAD];
    struct arena *a = arena_new();
    enum outcome o = svc_conn(&c);

    *out = NULL;
    if (o == OUTCOME_OK)
        o = svc_claims_find(c, s, reference, token, a, &rec);
    if (o != OUTCOME_OK) {
        arena_free(a);
        return o;
    }
    struct evidence_upload *u = xcalloc(1, sizeof *u);
    u->s = s;
    u->lim = *lim;
    u->claim_id = rec.id;
    arena_free(a);
    const struct data_key *k = &s->data_keys[s->current_data_key];
    clean_name(name, clean);
    if (!random_uuid(u->public_id) || (u->digest = sha256_stream_new()) == NULL) {
        upload_free(u);
        return OUTCOME_INTERNAL;
    }
    evidence_name_aad(u->public_id, aad);
    if (!pii_box_seal(k->key, aad, strlen(aad), clean, strlen(clean), name_box)) {
        upload_free(u);
        return OUTCOME_INTERNAL;
    }
    struct sealed_part sealed_name = {u, k->id, name_box, strlen(clean) + PII_BOX_OVERHEAD};
    o = svc_tx_run(c, "evidence.begin", TX_READ_WRITE, begin_body, &sealed_name);
    if (o != OUTCOME_OK) {
        upload_free(u);
        return o;
    }
    u->plain = xmalloc(EVIDENCE_CHUNK);
    u->box = xmalloc(EVIDENCE_CHUNK + PII_BOX_OVERHEAD);
    *out = u;
    return OUTCOME_OK;
}

static int
chunk_body(PGconn *c, struct tx *t, void *ctx)
{
    const struct sealed_part *chunk = ctx;

    (void)t;
    return db_evidence_chunk_insert(c, chunk->u->file_id, chunk->u->seq, chunk->key_id,
                                    chunk->box, chunk->box_len);
}

/* Seals and writes the chunk being filled; a failure becomes the upload's refusal. */
static void
flush_chunk(struct evidence_upload *u)
{
    const struct data_key *k = &u->s->data_keys[u->s->current_data_key];
    char aad[80];
    PGconn *c;

    if (u->plain_len == 0)
        return;
    evidence_chunk_aad(u->public_id, u->seq, aad);
    if (!pii_box_seal(k->key, aad, strlen(aad), u->plain, u->plain_len, u->box)) {
        u->refusal = OUTCOME_INTERNAL;
        return;
    }
    struct sealed_part chunk = {u, k->id, u->box, u->plain_len + PII_BOX_OVERHEAD};
    enum outcome o = svc_conn(&c);
    if (o == OUTCOME_OK)
        o = svc_tx_run(c, "evidence.chunk", TX_READ_WRITE, chunk_body, &chunk);
    if (o != OUTCOME_OK) {
        u->refusal = o;
        return;
    }
    u->seq++;
    u->plain_len = 0;
}

void
svc_rq_evidence_write(struct evidence_upload *u, const char *data, size_t n)
{
    const uint8_t *p = (const uint8_t *)data;

    if (u->refusal != OUTCOME_OK || n == 0)
        return;
    if (u->size + (int64_t)n > u->lim.max_bytes) {
        u->refusal = OUTCOME_TOO_LARGE;
        return;
    }
    if (u->head_len < FILE_TYPE_HEAD) {
        size_t take = n < FILE_TYPE_HEAD - u->head_len ? n : FILE_TYPE_HEAD - u->head_len;
        memcpy(u->head + u->head_len, p, take);
        u->head_len += take;
        /* refused as soon as the head tells: the rest of the file is not stored */
        if (u->head_len == FILE_TYPE_HEAD &&
            file_type_sniff(u->head, u->head_len) == FILE_TYPE_NONE) {
            u->refusal = OUTCOME_UNSUPPORTED_TYPE;
            return;
        }
    }
    u->size += (int64_t)n;
    if (!sha256_stream_update(u->digest, p, n)) {
        u->refusal = OUTCOME_INTERNAL;
        return;
    }
    file_type_tail_add(&u->tail, p, n);
    while (n > 0 && u->refusal == OUTCOME_OK) {
        size_t take = EVIDENCE_CHUNK - u->plain_len < n ? EVIDENCE_CHUNK - u->plain_len : n;
        memcpy(u->plain + u->plain_len, p, take);
        u->plain_len += take;
        p += take;
        n -= take;
        if (u->plain_len == EVIDENCE_CHUNK)
            flush_chunk(u);
    }
}

struct store {
    struct evidence_upload *u;
    const char *media;
    uint8_t sha[SHA256_LEN];
    struct arena *a;
    struct evidence_row row; /* as stored */
};

static int
store_body(PGconn *c, struct tx *t, void *ctx)
{
    struct store *st = ctx;
    struct evidence_claim cl;
    int rc = evidence_claim_lock(c, t, st->u->claim_id, NULL, &cl);

    /* reviewed or withdrawn while the file was on its way: it is not kept */
    if (rc == 1)
        rc = db_evidence_store(c, st->u->file_id, st->media, st->u->size, st->u->seq, st->sha);
    if (rc == 1)
        rc = db_evidence_get(c, st->u->claim_id, st->u->public_id, st->a, &st->row);
    return rc;
}

enum outcome
svc_rq_evidence_finish(struct evidence_upload *u, struct arena *a, struct evidence_file *out)
{
    char hex[SHA256_HEX_LEN + 1];
    struct store st = {.u = u, .a = a};
    PGconn *c;

    if (u->refusal == OUTCOME_OK) {
        enum file_type t = file_type_sniff(u->head, u->head_len);
        if (t == FILE_TYPE_NONE ||
            !file_type_check(t, u->head, u->head_len, u->tail.buf, u->tail.len))
            u->refusal = OUTCOME_UNSUPPORTED_TYPE;
        st.media = file_type_media(t);
    }
    if (u->refusal == OUTCOME_OK)
        flush_chunk(u);
    if (u->refusal != OUTCOME_OK)
        return u->refusal;
    if (!sha256_stream_peek_hex(u->digest, hex) ||
        !hex_decode(hex, SHA256_HEX_LEN, st.sha, sizeof st.sha))
        return OUTCOME_INTERNAL;
    enum outcome o = svc_conn(&c);
    if (o == OUTCOME_OK)
        o = svc_tx_run(c, "evidence.store", TX_READ_WRITE, store_body, &st);
    if (o != OUTCOME_OK)
        return o;
    u->stored = true;
    return evidence_file_view(u->s, a, &st.row, out) ? OUTCOME_OK : OUTCOME_INTERNAL;
}

static int
discard_body(PGconn *c, struct tx *t, void *ctx)
{
    int rc = db_evidence_discard(c, *(const int64_t *)ctx);

    return rc == 0 ? tx_answer(t, OUTCOME_OK) : rc;
}

void
svc_rq_evidence_end(struct evidence_upload *u)
{
    PGconn *c;

    if (u == NULL)
        return;
    if (!u->stored && u->file_id != 0 &&
        (svc_conn(&c) != OUTCOME_OK ||
         svc_tx_run(c, "evidence.discard", TX_READ_WRITE, discard_body, &u->file_id) !=
             OUTCOME_OK))
        log_warn("evidence: an unfinished upload could not be deleted now; the erasure job "
                 "will");
    upload_free(u);
}

enum outcome
svc_evidence_sweep(PGconn *c, int max_age_s, int64_t *deleted_out)
{
    *deleted_out = 0;
    for (;;) {
        int rc = db_evidence_sweep(c, max_age_s, SWEEP_BATCH);
        if (rc < 0)
            return tx_outcome_of(c, rc);
        *deleted_out += rc;
        if (rc < SWEEP_BATCH)
            return OUTCOME_OK;
    }
}
