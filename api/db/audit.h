/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The audit chain: append inside the caller's transaction, walk to verify, read the head,
 * and re-seal a chain of the old unkeyed format (once, when migration 0009 is applied). Every
 * link is an HMAC under the audit key (crypto/audit_mac.h), which the database never sees. */
#ifndef RECOURS_DB_AUDIT_H
#define RECOURS_DB_AUDIT_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "crypto/audit_mac.h"
#include "db/exec.h"
#include "db/pool.h"

/* An event's columns as the chain's link is computed over them (db_audit_link_holds): seq, the
 * time (DB_TS: the digits the link was made with), actor, action, object_type, object_id, then
 * digest, prev_hash and hash in lower-case hex. The walk and serve's start-up check
 * (db/secrets_match.c) read them through this one list: a format that differed between them
 * would fail a link that holds. */
#define DB_AUDIT_EVENT_COLUMNS                                     \
    "seq, " DB_TS("at") ", actor, action, object_type, object_id," \
                        " encode(digest, 'hex'), encode(prev_hash, 'hex'), encode(hash, 'hex')"

struct audit_entry {
    const char *actor;       /* "operator" or "association:<uuid>" */
    const char *action;      /* "incident.create", "claim.review", "export", ... */
    const char *object_type; /* "incident", "claim", "action", ... */
    const char *object_id;   /* slug, reference, uuid */
    uint8_t digest[32];      /* SHA-256 of the change as JSON */
};

/* A head as an operator keeps it: the last event's seq and hash (64 lower-case hex). */
struct audit_head {
    int64_t seq; /* 0: the chain is empty */
    char hash[65];
};

extern const struct db_statement db_audit_statements[];

/* Appends e to the chain, its link computed here under key. Must run inside the transaction
 * of the change, as its last statement before COMMIT: it takes the chain's transaction-level
 * advisory lock, which is then held only for the insert and the commit. 1 or DB_*. */
int db_audit_append(PGconn *c, const uint8_t key[AUDIT_MAC_KEY_LEN], const struct audit_entry *e);

/* Whether hash_hex is the chain's link of one event under key: HMAC(key, prev ||
 * "seq|at|actor|action|object_type|object_id|" || digest), fields in that order, as appended
 * and verified here; false too when a field is not hex or OpenSSL fails. For a check of one
 * event outside a walk of the chain (service/secrets_match.c). */
bool db_audit_link_holds(const uint8_t key[AUDIT_MAC_KEY_LEN], const char *prev_hex,
                         const char *const fields[6], const char *digest_hex, const char *hash_hex);

struct audit_verdict {
    bool ok;
    int64_t events;
    char head[65];        /* hex of the last hash, "" when empty */
    int64_t broken_seq;   /* first broken link when !ok */
    const char *reason;   /* static */
};

/* Walks the whole chain in seq order (fetched in batches, inside the caller's transaction:
 * a read-only REPEATABLE READ one, so that every batch sees one snapshot) and recomputes every link under key. With kept (else NULL), the chain must also
 * still hold kept->hash at kept->seq: a cut tail or a rewritten stretch then shows. 1 or
 * DB_*. */
int db_audit_verify(PGconn *c, const uint8_t key[AUDIT_MAC_KEY_LEN],
                    const struct audit_head *kept, struct audit_verdict *out);

/* The last event's seq and hash (seq 0 and "" when the chain is empty). 1 or DB_*. */
int db_audit_head(PGconn *c, struct audit_head *out);

/* Inside the caller's transaction (not prepared: the migration's connection): checks every
 * link under the old unkeyed formula (or already under key) and rewrites prev_hash and hash
 * as HMAC links under key. When a link is broken, nothing is rewritten past it and out says
 * where (out->ok false): the caller rolls back rather than seal a tampered chain. 1 or
 * DB_*. */
int db_audit_reseal(PGconn *c, const uint8_t key[AUDIT_MAC_KEY_LEN], struct audit_verdict *out);

#endif
