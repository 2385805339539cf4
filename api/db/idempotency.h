/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Reads of idempotency_keys (writes happen with the claim, in db/claims_batch.c). */
#ifndef RECOURS_DB_IDEMPOTENCY_H
#define RECOURS_DB_IDEMPOTENCY_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>

#include "db/pool.h"

struct arena;

struct idem_record {
    uint8_t request_hash[32];
    int status;
    int data_key_id;
    uint8_t *response; /* sealed, arena */
    size_t response_len;
    const char *location; /* NULL when none */
};

extern const struct db_statement db_idempotency_statements[];

/* The live (< 24 h) record of scope_hash: 1, or 0 when none. */
int db_idem_get(PGconn *c, const uint8_t scope_hash[32], struct arena *a,
                struct idem_record *out);

/* Deletes up to limit answers older than 24 h (autocommit; rows another transaction holds
 * are skipped): the number deleted, or DB_*. */
int db_idem_expire_batch(PGconn *c, int limit);

#endif
