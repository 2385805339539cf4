/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* idempotency_keys: the stored answers of Idempotency-Key requests (docs/api.md §4) and the
 * lock of a scope in flight. Only service/idempotency.c and the intake writer call these, always
 * inside the transaction of the request's effect (docs/architecture.md §5). */
#ifndef RECOURS_DB_IDEMPOTENCY_H
#define RECOURS_DB_IDEMPOTENCY_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/pool.h"

struct arena;

#define IDEM_HASH_LEN 32

/* A record to insert, its answer sealed already (service/idempotency.c). */
struct idem_row {
    uint8_t scope_hash[IDEM_HASH_LEN];
    uint8_t request_hash[IDEM_HASH_LEN];
    int status;
    int data_key_id;
    const uint8_t *response;
    size_t response_len;
    const char *location; /* NULL when none */
    bool inserted;        /* out */
};

/* A stored record as read back. */
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

/* Inserts rows[0..n) in one statement; a scope already held by a live (< 24 h) record is
 * left out (inserted = false: another request with the key committed first); an expired one
 * is replaced. The number inserted, or DB_*. */
int db_idem_insert_batch(PGconn *c, struct idem_row *rows, int n);

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
