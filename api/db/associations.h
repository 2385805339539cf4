/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* associations and api_keys tables. */
#ifndef RECOURS_DB_ASSOCIATIONS_H
#define RECOURS_DB_ASSOCIATIONS_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/pool.h"

struct arena;

struct association {
    const char *id;
    const char *name;
    const char *approval_reference;
    const char *approved_from;
    const char *approved_until; /* NULL: open-ended */
    const char *country;
    const char *contact_email;  /* NULL when none */
    const char *status;         /* pending | approved | suspended | lapsed (reported) */
    const char *created_at;
    const char *updated_at;
};

struct api_key {
    const char *id;
    const char *association_id; /* NULL: an operator key */
    const char *label;
    const char *prefix;
    uint8_t secret_hash[32];
    const char *created_at;
    const char *last_used_at;
    const char *revoked_at;
    bool stale_use;             /* last_used_at older than a minute (or never) */
    const char *association_status; /* reported status of the owner, NULL for operator keys */
};

extern const struct db_statement db_associations_statements[];

int db_associations_insert(PGconn *c, const struct association *in, struct arena *a,
                           struct association *out);
int db_associations_get(PGconn *c, const char *id, bool for_update, struct arena *a,
                        struct association *out);
int db_associations_update(PGconn *c, const struct association *in, struct arena *a,
                           struct association *out);
/* Associations reported approved (not lapsed), by name. */
int db_associations_list_approved(PGconn *c, const char *after_id, int limit, struct arena *a,
                                  struct association *out, int *n_out);

int db_keys_insert(PGconn *c, const char *association_id, const char *label, const char *prefix,
                   const uint8_t secret_hash[32], struct arena *a, struct api_key *out);
/* The key of prefix with its owner's reported status; 1 or 0. */
int db_keys_find(PGconn *c, const char *prefix, struct arena *a, struct api_key *out);
/* Revokes (idempotent); 1 when the key exists, 0 otherwise. */
int db_keys_revoke(PGconn *c, const char *id);
int db_keys_touch(PGconn *c, const char *id);

#endif
