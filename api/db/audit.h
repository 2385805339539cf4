/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The audit chain: append inside the caller's transaction, walk to verify. */
#ifndef RECOURS_DB_AUDIT_H
#define RECOURS_DB_AUDIT_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/pool.h"

struct audit_entry {
    const char *actor;       /* "operator" or "association:<uuid>" */
    const char *action;      /* "incident.create", "claim.review", "export", ... */
    const char *object_type; /* "incident", "claim", "action", ... */
    const char *object_id;   /* slug, reference, uuid */
    uint8_t digest[32];      /* SHA-256 of the change as JSON */
};

extern const struct db_statement db_audit_statements[];

/* Appends e to the chain. Must run inside the transaction of the change, as its last
 * statement before COMMIT: it takes the chain's transaction-level advisory lock, which is
 * then held only for the insert and the commit. 1 or DB_*. */
int db_audit_append(PGconn *c, const struct audit_entry *e);

struct audit_verdict {
    bool ok;
    int64_t events;
    char head[65];        /* hex of the last hash, "" when empty */
    int64_t broken_seq;   /* first broken link when !ok */
    const char *reason;   /* static */
};

/* Walks the whole chain in seq order (a read-only REPEATABLE READ snapshot, fetched in
 * batches) and recomputes every hash. 1 or DB_*. */
int db_audit_verify(PGconn *c, struct audit_verdict *out);

#endif
