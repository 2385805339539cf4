/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Reads and rewrites of sealed columns for data-key rotation, table by table. */
#ifndef RECOURS_DB_ROTATE_H
#define RECOURS_DB_ROTATE_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>

#include "db/pool.h"

struct arena;

/* The tables holding sealed data and how their rows name their associated data. */
enum sealed_table {
    SEALED_CLAIMS,
    SEALED_DUPLICATES,
    SEALED_IDEMPOTENCY,
    SEALED_EVIDENCE_FILES,  /* file names (docs/evidence.md) */
    SEALED_EVIDENCE_CHUNKS, /* file bytes, 256 KiB a row: a batch holds at most 16 */
    SEALED_OUTBOX,          /* a queued address-changed notice's old address (0027) */
    SEALED_TABLE_COUNT
};

struct sealed_row {
    const char *id;     /* row key as text (hex for idempotency_keys) */
    uint8_t *aad;       /* the associated data the box was sealed with */
    size_t aad_len;
    int data_key_id;
    uint8_t *box;
    size_t box_len;
};

extern const struct db_statement db_rotate_statements[];

/* Up to limit rows of table sealed under another key than key_id, locked (SKIP LOCKED, so a
 * claimant's correction is never blocked). Inside a transaction. Count or DB_*. */
int db_rotate_fetch(PGconn *c, enum sealed_table t, int key_id, int limit, struct arena *a,
                    struct sealed_row *out);

/* Stores the box resealed under key_id. 1 or DB_*. */
int db_rotate_store(PGconn *c, enum sealed_table t, const char *id, const uint8_t *box,
                    size_t box_len, int key_id);

/* Rows of table still sealed under another key than key_id. */
int db_rotate_remaining(PGconn *c, enum sealed_table t, int key_id, int64_t *n_out);

const char *db_rotate_table_name(enum sealed_table t);

#endif
