/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Reads of idempotency_keys and the lock of a scope in flight (the rows are written by
 * db/claims_batch.c: with the claim for the intake, after the handler for other POSTs). */
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

/* Takes the session advisory lock of scope_hash without waiting: 1 taken, 0 held by another
 * session (a request with the same key in flight), or DB_*. Released by db_idem_unlock or
 * when the session ends. */
int db_idem_try_lock(PGconn *c, const uint8_t scope_hash[32]);

/* Releases it: 1, 0 when this session did not hold it, or DB_*. */
int db_idem_unlock(PGconn *c, const uint8_t scope_hash[32]);

/* Deletes up to limit answers older than 24 h (autocommit; rows another transaction holds
 * are skipped): the number deleted, or DB_*. */
int db_idem_expire_batch(PGconn *c, int limit);

#endif
