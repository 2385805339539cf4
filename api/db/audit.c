/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Audit chain. The canonical text of an event is
 *   seq "|" at (RFC 3339, microseconds, UTC) "|" actor "|" action "|" object_type "|"
 *   object_id "|"
 * and hash = HMAC-SHA256(audit key, prev_hash || canonical || digest) (crypto/audit_mac.h).
 * The link is computed here, in C, both when appending and when verifying: the database
 * never sees the key, so a row changed through the database login, even with its hash
 * recomputed, no longer verifies. Until migration 0009 the link was an unkeyed SHA-256 of the
 * same bytes, computed in SQL; db_audit_reseal converts such a chain once. */
#include "db/audit.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "crypto/hex.h"
#include "crypto/sha256.h"
#include "db/errors.h"
#include "db/exec.h"
#include "db/prepared.h"

/* "recoursA": the audit chain's lock, distinct from the migrations' */
#define AUDIT_LOCK_KEY "7306924530211677505"

#define WALK_SQL                     \
    "SELECT " DB_AUDIT_EVENT_COLUMNS \
    " FROM audit_events WHERE seq > $1::bigint ORDER BY seq LIMIT 5000"

/* columns of WALK_SQL (DB_AUDIT_EVENT_COLUMNS) */
enum { COL_SEQ, COL_AT, COL_DIGEST = 6, COL_PREV, COL_HASH };

const struct db_statement db_audit_statements[] = {
    {"db_audit_lock", "SELECT pg_advisory_xact_lock(" AUDIT_LOCK_KEY ")", 0},
    /* the next seq, the previous hash and the time, read under the lock */
    {"db_audit_next",
     "SELECT coalesce(max(seq), 0) + 1,"
     "       encode(coalesce((SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1),"
     "                       '\\x0000000000000000000000000000000000000000000000000000000000000000'"
     "                       ::bytea), 'hex'),"
     "       " DB_TS("date_trunc('microseconds', clock_timestamp())") " FROM audit_events",
     0},
    {"db_audit_insert",
     "INSERT INTO audit_events"
     "   (seq, at, actor, action, object_type, object_id, digest, prev_hash, hash)"
     " VALUES ($1::bigint, $2::timestamptz, $3, $4, $5, $6, decode($7, 'hex'), decode($8, 'hex'),"
     "         decode($9, 'hex'))",
     9},
    {"db_audit_walk", WALK_SQL, 1},
    {"db_audit_head", "SELECT seq, encode(hash, 'hex') FROM audit_events ORDER BY seq DESC LIMIT 1",
     0},
    {NULL, NULL, 0},
};

/* "seq|at|actor|action|object_type|object_id|" into sb (emptied first). */
static void
canonical_of(const char *const fields[6], struct strbuf *sb)
{
    sb->len = 0;
    for (int i = 0; i < 6; i++) {
        strbuf_puts(sb, fields[i]);
        strbuf_puts(sb, "|");
    }
}

/* The HMAC link of one event as hex; false if a field is not hex or OpenSSL fails. */
static bool
link_hex(const uint8_t key[AUDIT_MAC_KEY_LEN], const char *prev_hex, const char *const fields[6],
         const char *digest_hex, struct strbuf *sb, char out[65])
{
    uint8_t prev[32], digest[32], mac[32];

    if (!hex_decode(prev_hex, strlen(prev_hex), prev, sizeof prev) ||
        !hex_decode(digest_hex, strlen(digest_hex), digest, sizeof digest))
        return false;
    canonical_of(fields, sb);
    if (!audit_mac_link(key, prev, sb->data, sb->len, digest, mac))
        return false;
    hex_encode(mac, sizeof mac, out);
    return true;
}

bool
db_audit_link_holds(const uint8_t key[AUDIT_MAC_KEY_LEN], const char *prev_hex,
                    const char *const fields[6], const char *digest_hex, const char *hash_hex)
{
    struct strbuf sb = {0};
    char computed[65];
    bool ok = link_hex(key, prev_hex, fields, digest_hex, &sb, computed);

    strbuf_free(&sb);
    return ok && strcmp(computed, hash_hex) == 0;
}

int
db_audit_append(PGconn *c, const uint8_t key[AUDIT_MAC_KEY_LEN], const struct audit_entry *e)
{
    char digest_hex[65], hash_hex[65];
    struct strbuf sb = {0};
    int rc = DB_HARD;

    PGresult *res = db_exec_prepared(c, "db_audit_lock", 0, NULL, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = db_status_of(res, "db_audit_lock");
        goto cleanup;
    }
    PQclear(res);
    res = db_exec_prepared(c, "db_audit_next", 0, NULL, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
        rc = db_status_of(res, "db_audit_next");
        goto cleanup;
    }
    hex_encode(e->digest, sizeof e->digest, digest_hex);
    const char *seq = PQgetvalue(res, 0, 0), *prev = PQgetvalue(res, 0, 1);
    const char *at = PQgetvalue(res, 0, 2);
    const char *fields[6] = {seq, at, e->actor, e->action, e->object_type, e->object_id};
    if (!link_hex(key, prev, fields, digest_hex, &sb, hash_hex))
        goto cleanup; /* DB_HARD */
    const char *params[9] = {seq, at, e->actor, e->action, e->object_type, e->object_id,
                             digest_hex, prev, hash_hex};
    PGresult *ins = db_exec_prepared(c, "db_audit_insert", 9, params, NULL, NULL, 0);
    rc = PQresultStatus(ins) == PGRES_COMMAND_OK ? 1 : db_status_of(ins, "db_audit_insert");
    PQclear(ins);
cleanup:
    PQclear(res);
    strbuf_free(&sb);
    return rc;
}

static void
broken(struct audit_verdict *out, int64_t seq, const char *reason)
{
    out->ok = false;
    out->broken_seq = seq;
    out->reason = reason;
}

/* The old, unkeyed link of a row: SHA-256(prev || canonical || digest), as hex. */
static bool
sha256_link_hex(const char *prev_hex, const struct strbuf *canonical, const char *digest_hex,
                char out[65])
{
    uint8_t prev[32], digest[32];
    struct sha256_stream *s = sha256_stream_new();
    bool ok = s != NULL && hex_decode(prev_hex, strlen(prev_hex), prev, sizeof prev) &&
              hex_decode(digest_hex, strlen(digest_hex), digest, sizeof digest) &&
              sha256_stream_update(s, prev, sizeof prev) &&
              sha256_stream_update(s, canonical->data, canonical->len) &&
              sha256_stream_update(s, digest, sizeof digest) && sha256_stream_peek_hex(s, out);
    sha256_stream_free(s);
    return ok;
}

/* What a walk does with each row after the common checks. */
struct walk {
    const uint8_t *key;
    const struct audit_head *kept; /* verify: NULL or the head to find */
    PGconn *reseal;                /* reseal: the connection to rewrite on, else NULL */
    char prev[65];                 /* verify: the stored previous hash; reseal: the new one */
    char stored_prev[65];          /* reseal: the stored previous hash */
    int64_t last_seq;
    struct strbuf sb;
};

/* Reseal: the row's stored link must hold (old or new formula); then rewritten. 1, 0 when
 * broken (recorded in out) or DB_*. */
static int
reseal_row(struct walk *w, const PGresult *res, int i, int64_t seq, struct audit_verdict *out)
{
    const char *fields[6];
    char old_link[65], new_link[65];

    for (int col = 0; col < 6; col++)
        fields[col] = PQgetvalue(res, i, col);
    const char *digest = PQgetvalue(res, i, COL_DIGEST), *hash = PQgetvalue(res, i, COL_HASH);
    if (strcmp(PQgetvalue(res, i, COL_PREV), w->stored_prev) != 0) {
        broken(out, seq, "prev_hash does not match the previous event's hash");
        return 0;
    }
    if (!link_hex(w->key, w->stored_prev, fields, digest, &w->sb, new_link) ||
        !sha256_link_hex(w->stored_prev, &w->sb, digest, old_link))
        return DB_HARD;
    if (strcmp(hash, old_link) != 0 && strcmp(hash, new_link) != 0) {
        broken(out, seq, "hash does not match the event's content");
        return 0;
    }
    memcpy(w->stored_prev, hash, 65);
    if (!link_hex(w->key, w->prev, fields, digest, &w->sb, new_link))
        return DB_HARD;
    const char *params[3] = {fields[COL_SEQ], w->prev, new_link};
    PGresult *up = PQexecParams(w->reseal,
                                "UPDATE audit_events SET prev_hash = decode($2, 'hex'),"
                                " hash = decode($3, 'hex') WHERE seq = $1::bigint",
                                3, NULL, params, NULL, NULL, 0);
    int rc = PQresultStatus(up) == PGRES_COMMAND_OK ? 1 : db_status_of(up, "db_audit_reseal");
    PQclear(up);
    memcpy(w->prev, new_link, 65);
    return rc;
}

/* Verify: the stored link must be the HMAC link, and the kept head where it was. */
static bool
verify_row(struct walk *w, const PGresult *res, int i, int64_t seq, struct audit_verdict *out)
{
    const char *fields[6];
    char computed[65];
    const char *hash = PQgetvalue(res, i, COL_HASH);

    for (int col = 0; col < 6; col++)
        fields[col] = PQgetvalue(res, i, col);
    if (strcmp(PQgetvalue(res, i, COL_PREV), w->prev) != 0) {
        broken(out, seq, "prev_hash does not match the previous event's hash");
        return false;
    }
    if (!link_hex(w->key, w->prev, fields, PQgetvalue(res, i, COL_DIGEST), &w->sb, computed) ||
        strcmp(computed, hash) != 0) {
        broken(out, seq, "hash does not match the event's content");
        return false;
    }
    if (w->kept != NULL && seq == w->kept->seq && strcmp(hash, w->kept->hash) != 0) {
        broken(out, seq, "hash differs from the kept head at its seq");
        return false;
    }
    memcpy(w->prev, hash, 65);
    return true;
}

/* Checks the rows of one batch; 1 when all hold, 0 when a broken link was found (recorded
 * in out), DB_* on failure. */
static int
walk_batch(struct walk *w, const PGresult *res, struct audit_verdict *out)
{
    for (int i = 0; i < PQntuples(res); i++) {
        int64_t seq = strtoll(PQgetvalue(res, i, COL_SEQ), NULL, 10);
        if (seq != w->last_seq + 1) {
            broken(out, w->last_seq + 1, "event missing: the sequence jumps");
            return 0;
        }
        int rc = w->reseal != NULL ? reseal_row(w, res, i, seq, out)
                                   : verify_row(w, res, i, seq, out);
        if (rc != 1)
            return rc;
        memcpy(out->head, w->prev, 65);
        w->last_seq = seq;
        out->events++;
    }
    return 1;
}

/* Walks every row in batches through w; 1 or DB_*. */
static int
walk_all(PGconn *c, struct walk *w, struct audit_verdict *out)
{
    memset(out, 0, sizeof *out);
    out->ok = true;
    memset(w->prev, '0', 64);
    w->prev[64] = '\0';
    memcpy(w->stored_prev, w->prev, 65);
    for (;;) {
        char after[24];
        db_int64_text(w->last_seq, after);
        const char *params[1] = {after};
        PGresult *res = w->reseal != NULL
                            ? PQexecParams(c, WALK_SQL, 1, NULL, params, NULL, NULL, 0)
                            : db_exec_prepared(c, "db_audit_walk", 1, params, NULL, NULL, 0);
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            int rc = db_status_of(res, "db_audit_walk");
            PQclear(res);
            return rc;
        }
        int n = PQntuples(res);
        int rc = walk_batch(w, res, out);
        PQclear(res);
        if (rc != 1)
            return rc == 0 ? 1 : rc;
        if (n == 0)
            return 1;
    }
}

int
db_audit_verify(PGconn *c, const uint8_t key[AUDIT_MAC_KEY_LEN],
                const struct audit_head *kept, struct audit_verdict *out)
{
    struct walk w = {.key = key, .kept = kept};
    int rc;

    memset(out, 0, sizeof *out);
    rc = walk_all(c, &w, out);
    /* a whole chain that ends before the kept head lost its tail */
    if (rc == 1 && out->ok && kept != NULL && w.last_seq < kept->seq)
        broken(out, w.last_seq + 1, "events missing: the chain ends before the kept head");
    strbuf_free(&w.sb);
    return rc;
}

int
db_audit_reseal(PGconn *c, const uint8_t key[AUDIT_MAC_KEY_LEN], struct audit_verdict *out)
{
    struct walk w = {.key = key, .reseal = c};

    PGresult *res = PQexec(c, "SELECT pg_advisory_xact_lock(" AUDIT_LOCK_KEY ")");
    int rc = PQresultStatus(res) == PGRES_TUPLES_OK ? 1 : db_status_of(res, "db_audit_lock");
    PQclear(res);
    if (rc == 1)
        rc = walk_all(c, &w, out);
    strbuf_free(&w.sb);
    return rc;
}

int
db_audit_head(PGconn *c, struct audit_head *out)
{
    PGresult *res = db_exec_prepared(c, "db_audit_head", 0, NULL, NULL, NULL, 0);
    int rc = 1;

    memset(out, 0, sizeof *out);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = db_status_of(res, "db_audit_head");
    } else if (PQntuples(res) == 1) {
        out->seq = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        snprintf(out->hash, sizeof out->hash, "%s", PQgetvalue(res, 0, 1));
    }
    PQclear(res);
    return rc;
}
