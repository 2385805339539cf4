/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See evidence.h. Each chunk is written in a transaction of its own while the body arrives:
 * a worker's connection serves its other connections between two body calls, so nothing may
 * stay open across them. The file row holds the claim's slot from the first byte; it becomes
 * stored in one transaction that re-checks the claim, or is deleted at the request's end. */
#include "service/evidence.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "crypto/pii_box.h"
#include "crypto/random.h"
#include "crypto/sha256.h"
#include "db/errors.h"
#include "db/evidence.h"
#include "domain/file_type.h"
#include "domain/reference.h"
#include "domain/uuid.h"
#include "service/claims.h"
#include "service/conn.h"
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

struct evidence_download {
    const struct secrets *s;
    int64_t file_id;
    char public_id[37];
    int n_chunks, seq;
    int64_t size, sent;
    uint8_t *box, *plain;
    size_t plain_len, plain_at;
};

static const struct data_key *
key_by_id(const struct secrets *s, int id)
{
    for (int i = 0; i < s->n_data_keys; i++)
        if (s->data_keys[i].id == id)
            return &s->data_keys[i];
    return NULL;
}

static void
chunk_aad(const char *public_id, int seq, char out[80])
{
    snprintf(out, 80, "evidence-chunk/%s/%d", public_id, seq);
}

static void
name_aad(const char *public_id, char out[64])
{
    snprintf(out, 64, "evidence-name/%s", public_id);
}

/* A random (version 4) UUID. */
static bool
new_public_id(char out[37])
{
    uint8_t b[16];

    if (!random_bytes(b, sizeof b))
        return false;
    b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
    b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
             b[13], b[14], b[15]);
    return true;
}

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

static char *
open_name(const struct secrets *s, struct arena *a, const struct evidence_row *r)
{
    const struct data_key *k = key_by_id(s, r->data_key_id);
    char aad[64];

    if (k == NULL || r->name_box_len < PII_BOX_OVERHEAD)
        return NULL;
    name_aad(r->public_id, aad);
    size_t n = r->name_box_len - PII_BOX_OVERHEAD;
    char *out = arena_alloc(a, n + 1);
    if (!pii_box_open(k->key, aad, strlen(aad), r->name_box, r->name_box_len, (uint8_t *)out))
        return NULL;
    out[n] = '\0';
    return out;
}

static bool
file_view(const struct secrets *s, struct arena *a, const struct evidence_row *r,
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

/* ---- the claimant's upload ---- */

struct begin {
    struct evidence_upload *u;
    int64_t incident_id;
    const uint8_t *name_box;
    size_t name_box_len;
    int key_id;
};

/* Why a claim takes no change of its evidence now, or OUTCOME_OK. */
static enum outcome
claim_refusal(const struct evidence_claim *cl)
{
    if (strcmp(cl->status, "withdrawn") == 0)
        return OUTCOME_CLAIM_WITHDRAWN;
    if (strcmp(cl->status, "received") != 0)
        return OUTCOME_CLAIM_REVIEWED;
    return OUTCOME_OK;
}

static int
begin_body(PGconn *c, struct tx *t, void *ctx)
{
    struct begin *b = ctx;
    struct evidence_claim cl;
    struct arena *a = arena_new();
    int rc = db_evidence_claim_lock(c, b->u->claim_id, a, &cl);

    if (rc == 1) {
        enum outcome o = claim_refusal(&cl);
        if (o == OUTCOME_OK && !cl.applicable)
            o = OUTCOME_EVIDENCE_NOT_APPLICABLE;
        if (o == OUTCOME_OK && cl.n_files >= b->u->lim.max_files)
            o = OUTCOME_EVIDENCE_LIMIT;
        rc = o != OUTCOME_OK ? tx_answer(t, o)
                             : db_evidence_insert(c, cl.incident_id, cl.id, b->u->public_id,
                                                  b->key_id, b->name_box, b->name_box_len,
                                                  &b->u->file_id);
    }
    arena_free(a);
    return rc;
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
    if (!new_public_id(u->public_id) || (u->digest = sha256_stream_new()) == NULL) {
        upload_free(u);
        return OUTCOME_INTERNAL;
    }
    name_aad(u->public_id, aad);
    if (!pii_box_seal(k->key, aad, strlen(aad), clean, strlen(clean), name_box)) {
        upload_free(u);
        return OUTCOME_INTERNAL;
    }
    struct begin b = {u, 0, name_box, strlen(clean) + PII_BOX_OVERHEAD, k->id};
    o = svc_tx_run(c, "evidence.begin", TX_READ_WRITE, begin_body, &b);
    if (o != OUTCOME_OK) {
        upload_free(u);
        return o;
    }
    u->plain = xmalloc(EVIDENCE_CHUNK);
    u->box = xmalloc(EVIDENCE_CHUNK + PII_BOX_OVERHEAD);
    *out = u;
    return OUTCOME_OK;
}

struct chunk_write {
    struct evidence_upload *u;
    int key_id;
    size_t box_len;
};

static int
chunk_body(PGconn *c, struct tx *t, void *ctx)
{
    struct chunk_write *w = ctx;

    (void)t;
    return db_evidence_chunk_insert(c, w->u->file_id, w->u->seq, w->key_id, w->u->box,
                                    w->box_len);
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
    chunk_aad(u->public_id, u->seq, aad);
    if (!pii_box_seal(k->key, aad, strlen(aad), u->plain, u->plain_len, u->box)) {
        u->refusal = OUTCOME_INTERNAL;
        return;
    }
    struct chunk_write w = {u, k->id, u->plain_len + PII_BOX_OVERHEAD};
    enum outcome o = svc_conn(&c);
    if (o == OUTCOME_OK)
        o = svc_tx_run(c, "evidence.chunk", TX_READ_WRITE, chunk_body, &w);
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
    struct arena *a = arena_new();
    int rc = db_evidence_claim_lock(c, st->u->claim_id, a, &cl);

    if (rc == 1) {
        /* reviewed or withdrawn while the file was on its way: it is not kept */
        enum outcome o = claim_refusal(&cl);
        rc = o != OUTCOME_OK ? tx_answer(t, o)
                             : db_evidence_store(c, st->u->file_id, st->media, st->u->size,
                                                 st->u->seq, st->sha);
        if (rc == 1)
            rc = db_evidence_get(c, st->u->claim_id, st->u->public_id, st->a, &st->row);
    }
    arena_free(a);
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
    if (!sha256_stream_peek_hex(u->digest, hex))
        return OUTCOME_INTERNAL;
    for (int i = 0; i < SHA256_LEN; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        st.sha[i] = (uint8_t)v;
    }
    enum outcome o = svc_conn(&c);
    if (o == OUTCOME_OK)
        o = svc_tx_run(c, "evidence.store", TX_READ_WRITE, store_body, &st);
    if (o != OUTCOME_OK)
        return o;
    u->stored = true;
    return file_view(u->s, a, &st.row, out) ? OUTCOME_OK : OUTCOME_INTERNAL;
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

/* ---- lists, removal ---- */

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
        if (!file_view(l->s, l->a, &rows[i], &l->out->files[i]))
            return tx_answer(t, OUTCOME_INTERNAL);
    if (l->lim != NULL) {
        struct evidence_claim cl;
        int rc = db_evidence_claim_lock(c, l->claim_id, l->a, &cl);
        if (rc != 1)
            return rc;
        l->out->can_change = claim_refusal(&cl) == OUTCOME_OK && cl.applicable;
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
    struct arena *a = arena_new();
    int rc = db_evidence_claim_lock(c, r->claim_id, a, &cl);

    if (rc == 1) {
        enum outcome o = claim_refusal(&cl);
        rc = o != OUTCOME_OK ? tx_answer(t, o) : db_evidence_delete(c, r->claim_id, r->file_id);
    }
    arena_free(a);
    return rc;
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

/* The member claim in the association's reach: 1, 0 (NOT_FOUND) or DB_*. */
static int
member_claim(PGconn *c, const char *association_id, const char *action_id,
             const char *reference, int64_t *claim_id)
{
    char canonical[REFERENCE_LEN + 1];

    if (association_id == NULL || !uuid_is_valid(action_id) ||
        !reference_parse(reference, canonical))
        return 0;
    return db_evidence_member_claim(c, action_id, association_id, canonical, claim_id);
}

struct member_listing {
    const char *association_id, *action_id, *reference;
    struct listing l;
};

static int
member_list_body(PGconn *c, struct tx *t, void *ctx)
{
    struct member_listing *m = ctx;
    int rc = member_claim(c, m->association_id, m->action_id, m->reference, &m->l.claim_id);

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

/* ---- the association's download ---- */

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
    int rc = member_claim(c, d->association_id, d->action_id, d->reference, &claim_id);

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
    if (!file_view(s, a, &d.row, meta))
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
    const struct data_key *k = key_by_id(d->s, key_id);
    chunk_aad(d->public_id, d->seq, aad);
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
