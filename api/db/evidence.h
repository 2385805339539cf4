/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Evidence files and their sealed chunks (migration 0017, docs/evidence.md). Sealed bytes
 * travel in binary both ways (a chunk is 256 KiB: no hex copy of it is ever made). */
#ifndef RECOURS_DB_EVIDENCE_H
#define RECOURS_DB_EVIDENCE_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/pool.h"

struct arena;

extern const struct db_statement db_evidence_statements[];

/* A claim as an upload sees it. */
struct evidence_claim {
    int64_t id, incident_id;
    const char *status;
    bool applicable; /* a documented loss or an identity theft is declared */
    int n_files;     /* stored and uploading: the slots taken */
};

/* The claim, locked (FOR UPDATE: two uploads to one claim count its slots one after the
 * other). 1, 0 or DB_*. */
int db_evidence_claim_lock(PGconn *c, int64_t claim_id, struct arena *a,
                           struct evidence_claim *out);

/* A new file in state uploading; *id_out its row id. 1 or DB_*. */
int db_evidence_insert(PGconn *c, int64_t incident_id, int64_t claim_id, const char *public_id,
                       int key_id, const uint8_t *name_box, size_t name_box_len, int64_t *id_out);

/* One sealed chunk of an uploading file. 1 or DB_*. */
int db_evidence_chunk_insert(PGconn *c, int64_t file_id, int seq, int key_id, const uint8_t *box,
                             size_t box_len);

/* Makes an uploading file stored, with what its content told. 1, 0 (not uploading any more)
 * or DB_*. */
int db_evidence_store(PGconn *c, int64_t file_id, const char *media_type, int64_t size,
                      int n_chunks, const uint8_t sha256[32]);

/* Deletes a file still uploading, with its chunks. Its count or DB_*. */
int db_evidence_discard(PGconn *c, int64_t file_id);

struct evidence_row {
    int64_t id;
    const char *public_id;
    int data_key_id;
    uint8_t *name_box;
    size_t name_box_len;
    const char *media_type;
    int64_t size;
    int n_chunks;
    char sha256[65];
    const char *stored_at;
};

/* The claim's stored files in upload order, at most max. Their count or DB_*. */
int db_evidence_list(PGconn *c, int64_t claim_id, int max, struct arena *a,
                     struct evidence_row *out);

/* One stored file of the claim. 1, 0 or DB_*. */
int db_evidence_get(PGconn *c, int64_t claim_id, const char *public_id, struct arena *a,
                    struct evidence_row *out);

/* Deletes one stored file of the claim with its chunks. 1, 0 or DB_*. */
int db_evidence_delete(PGconn *c, int64_t claim_id, const char *public_id);

/* The id of the claim of reference that is a member of the action, the action being the
 * association's. 1, 0 or DB_*. */
int db_evidence_member_claim(PGconn *c, const char *action_id, const char *association_id,
                             const char *reference, int64_t *claim_id_out);

/* Chunk seq of a file into box_out (max bytes). 1, 0 (no such chunk) or DB_*. */
int db_evidence_chunk(PGconn *c, int64_t file_id, int seq, uint8_t *box_out, size_t max,
                      size_t *len_out, int *key_id_out);

/* Deletes up to limit uploads begun more than max_age_s seconds ago and never finished (a
 * server stopped in the middle). Their count or DB_*. */
int db_evidence_sweep(PGconn *c, int max_age_s, int limit);

#endif
