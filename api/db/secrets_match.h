/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The two reads of serve's start-up check that its secrets belong to the database
 * (service/secrets_match.h): the newest audit events and the newest sealed claim, each a
 * backward walk of a primary key that stops at once. Rows as stored; nothing computed here. */
#ifndef RECOURS_DB_SECRETS_MATCH_H
#define RECOURS_DB_SECRETS_MATCH_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>

#include "db/pool.h"

struct arena;

/* An audit event as its link covers it (db/audit.c): the canonical fields as text (seq, at
 * in RFC 3339 with microseconds, actor, action, object_type, object_id) and the digest, the
 * previous hash and the hash as hex; strings in the arena. */
struct audit_link_row {
    const char *fields[6];
    const char *digest_hex, *prev_hex, *hash_hex;
};

/* A claim's sealed personal data: the reference it is sealed with (its associated data) and
 * the data key's id; box in the arena. */
struct sealed_claim {
    const char *reference;
    int data_key_id;
    uint8_t *box;
    size_t box_len;
};

extern const struct db_statement db_secrets_match_statements[];

/* The newest events of the audit chain read, at most */
#define DB_AUDIT_TAIL_MAX 2

/* The newest DB_AUDIT_TAIL_MAX events of the audit chain, newest first, into out: their count
 * (0 for an empty chain) or DB_*. */
int db_secrets_match_audit_tail(PGconn *c, struct arena *a,
                                struct audit_link_row out[DB_AUDIT_TAIL_MAX]);

/* The newest claim whose personal data is not erased: 1 with *out set, 0 when there is none,
 * or DB_*. */
int db_secrets_match_newest_claim(PGconn *c, struct arena *a, struct sealed_claim *out);

#endif
