/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* associations and api_keys. The reported status folds the approval period in: an approved
 * association outside approved_from..approved_until reads as lapsed (docs/api.md §8.6). */
#include "db/associations.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "crypto/hex.h"
#include "crypto/sha256.h"
#include "db/errors.h"
#include "db/exec.h"

#define REPORTED_STATUS(t)                                                                     \
    "CASE WHEN " t ".status = 'approved' AND NOT (current_date BETWEEN " t ".approved_from"   \
    " AND coalesce(" t ".approved_until, 'infinity'::date)) THEN 'lapsed' ELSE " t ".status END"
#define ASSOCIATION_COLUMNS                                                                    \
    "a.id, a.name, a.approval_reference, a.approved_from::text, a.approved_until::text,"      \
    " a.country, a.contact_email, " REPORTED_STATUS("a") ", " DB_TS("a.created_at") ","       \
    " " DB_TS("a.updated_at")
#define KEY_COLUMNS                                                                            \
    "k.id, k.association_id, k.label, k.prefix, encode(k.secret_hash, 'hex'),"               \
    " " DB_TS("k.created_at") ", " DB_TS("k.last_used_at") ", " DB_TS("k.revoked_at") ","    \
    " (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute')"

static bool
read_association(const PGresult *res, int row, struct arena *a, void *dest)
{
    struct association *out = dest;
    const char **const text[] = {&out->id, &out->name, &out->approval_reference,
                                 &out->approved_from, &out->approved_until, &out->country,
                                 &out->contact_email, &out->status, &out->created_at,
                                 &out->updated_at};

    db_texts_at(a, res, row, 0, text, sizeof text / sizeof text[0]);
    return true;
}

static bool
read_key(const PGresult *res, int row, struct arena *a, void *dest)
{
    struct api_key *out = dest;

    const char *hash = PQgetvalue(res, row, 4);

    out->id = db_text_at(a, res, row, 0);
    out->association_id = db_text_at(a, res, row, 1);
    out->label = db_text_at(a, res, row, 2);
    out->prefix = db_text_at(a, res, row, 3);
    out->created_at = db_text_at(a, res, row, 5);
    out->last_used_at = db_text_at(a, res, row, 6);
    out->revoked_at = db_text_at(a, res, row, 7);
    out->stale_use = db_bool_at(res, row, 8);
    out->association_status = db_text_at(a, res, row, 9);
    return hex_decode(hash, strlen(hash), out->secret_hash, sizeof out->secret_hash);
}

const struct db_statement db_associations_statements[] = {
    {"db_associations_insert",
     "WITH a AS (INSERT INTO associations"
     " (name, approval_reference, approved_from, approved_until, country, contact_email)"
     " VALUES ($1, $2, $3::date, $4::date, $5, $6) RETURNING *)"
     " SELECT " ASSOCIATION_COLUMNS " FROM a",
     6},
    {"db_associations_get", "SELECT " ASSOCIATION_COLUMNS " FROM associations a WHERE a.id = $1::uuid", 1},
    {"db_associations_get_for_update",
     "SELECT " ASSOCIATION_COLUMNS " FROM associations a WHERE a.id = $1::uuid FOR UPDATE", 1},
    {"db_associations_update",
     "WITH a AS (UPDATE associations SET name = $2, approval_reference = $3,"
     " approved_from = $4::date, approved_until = $5::date, country = $6, contact_email = $7,"
     " status = $8, updated_at = now() WHERE id = $1::uuid RETURNING *)"
     " SELECT " ASSOCIATION_COLUMNS " FROM a",
     8},
    {"db_associations_list_approved",
     "SELECT " ASSOCIATION_COLUMNS " FROM associations a"
     " WHERE a.status = 'approved'"
     "   AND current_date BETWEEN a.approved_from AND coalesce(a.approved_until, 'infinity'::date)"
     "   AND ($1::uuid IS NULL OR a.id > $1::uuid)"
     " ORDER BY a.id LIMIT $2::int",
     2},
    {"db_keys_insert",
     "WITH k AS (INSERT INTO api_keys (association_id, label, prefix, secret_hash)"
     " VALUES ($1::uuid, $2, $3, decode($4, 'hex')) RETURNING *)"
     " SELECT " KEY_COLUMNS ", NULL FROM k",
     4},
    {"db_keys_find",
     "SELECT " KEY_COLUMNS ", " REPORTED_STATUS("a")
     " FROM api_keys k LEFT JOIN associations a ON a.id = k.association_id"
     " WHERE k.prefix = $1",
     1},
    {"db_keys_revoke",
     "UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1::uuid", 1},
    {"db_keys_touch", "UPDATE api_keys SET last_used_at = now() WHERE id = $1::uuid", 1},
    {NULL, NULL, 0},
};

int
db_associations_insert(PGconn *c, const struct association *in, struct arena *a,
                       struct association *out)
{
    const char *params[6] = {in->name,    in->approval_reference, in->approved_from,
                             in->approved_until, in->country, in->contact_email};

    return db_exec_one(c, "db_associations_insert", 6, params, read_association, a, out);
}

int
db_associations_get(PGconn *c, const char *id, bool for_update, struct arena *a,
                    struct association *out)
{
    const char *params[1] = {id};

    return db_exec_one(c, for_update ? "db_associations_get_for_update" : "db_associations_get",
                       1, params, read_association, a, out);
}

int
db_associations_update(PGconn *c, const struct association *in, struct arena *a,
                       struct association *out)
{
    const char *params[8] = {in->id,      in->name,    in->approval_reference,
                             in->approved_from, in->approved_until, in->country,
                             in->contact_email, in->status};

    return db_exec_one(c, "db_associations_update", 8, params, read_association, a, out);
}

int
db_associations_list_approved(PGconn *c, const char *after_id, int limit, struct arena *a,
                              struct association *out, int *n_out)
{
    const char *params[1] = {after_id};

    return db_exec_page(c, "db_associations_list_approved", 1, params, read_association, a, out,
                        sizeof *out, limit, n_out);
}

static int
one_key(PGconn *c, const char *stmt, int n, const char *const *params, struct arena *a,
        struct api_key *out)
{
    return db_exec_one(c, stmt, n, params, read_key, a, out);
}

int
db_keys_insert(PGconn *c, const char *association_id, const char *label, const char *prefix,
               const uint8_t secret_hash[32], struct arena *a, struct api_key *out)
{
    char hex[65];

    hex_encode(secret_hash, 32, hex);
    const char *params[4] = {association_id, label, prefix, hex};
    return one_key(c, "db_keys_insert", 4, params, a, out);
}

int
db_keys_find(PGconn *c, const char *prefix, struct arena *a, struct api_key *out)
{
    const char *params[1] = {prefix};

    return one_key(c, "db_keys_find", 1, params, a, out);
}

static int
command(PGconn *c, const char *stmt, const char *id)
{
    const char *params[1] = {id};

    return db_exec_command(c, stmt, 1, params);
}

int
db_keys_revoke(PGconn *c, const char *id)
{
    return command(c, "db_keys_revoke", id);
}

int
db_keys_touch(PGconn *c, const char *id)
{
    return command(c, "db_keys_touch", id);
}
