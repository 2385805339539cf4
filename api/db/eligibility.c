/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* See db/eligibility.h. The intake's statement is prepared (hot path); the import's run once
 * per command and go through PQexecParams on the operator's connection. */
#include "db/eligibility.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/hex.h"
#include "crypto/sha256.h"
#include "db/errors.h"
#include "db/exec.h"
#include "db/pg_array.h"

/* The state of a claim from its list (NULL: none) and what matched. */
#define STATE_OF(list, matched)                                                           \
    "CASE WHEN " list " IS NULL THEN 'unknown' WHEN cardinality(" matched ") > 0"          \
    " THEN 'matched' ELSE 'unmatched' END"

/* What of a claim's hashes the list holds, in the order email, phone, code: the one
 * definition for the intake, the correction and the recompute. Written out in each statement
 * rather than called as an SQL function: a function with sub-selects is never inlined, and
 * its per-row call cost a third of the recompute (bench/RESULTS.md, "Issue 14: publishing at
 * 33.7 M"); written out, each EXISTS is one probe of the entries' primary key. */
#define ENTRY_IN(list, kind, mac)                                                          \
    "EXISTS (SELECT 1 FROM eligibility_entries e WHERE e.list_id = " list                  \
    " AND e.kind = " kind " AND e.mac = " mac ")"
#define MATCH_OF(list, email, phone, code)                                                 \
    "array_remove(ARRAY[CASE WHEN " ENTRY_IN(list, "1", email) " THEN 'email' END,"        \
    " CASE WHEN " phone " IS NOT NULL AND " ENTRY_IN(list, "2", phone) " THEN 'phone' END,"  \
    " CASE WHEN " code " IS NOT NULL AND " ENTRY_IN(list, "3", code) " THEN 'code' END],"    \
    " NULL)"

/* work_mem of the import's sort of the staged hashes (set in its transaction only): 33.7 M
 * lines are ≈ 2.7 GB to sort, so the sort spills to disk anyway; more memory, fewer runs */
#define ELIGIBILITY_SORT_MEM "256MB"

#define GROUP_KEY                                                                          \
    "c.status, c.payment_preference, c.country, c.categories, c.documented_loss, c.hours_spent"
#define GROUP_OF_CLAIMS                                                                    \
    "c.status, c.payment_preference = 'cash', c.country, c.categories, c.documented_loss," \
    " c.hours_spent, count(*)"

const struct db_statement db_eligibility_statements[] = {
    {"db_eligibility_insert_batch",
     "INSERT INTO claim_eligibility"
     " (claim_id, incident_id, email_mac, phone_mac, code_mac, list_id, state, matched)"
     " SELECT u.claim_id, u.incident_id, u.email_mac, u.phone_mac, u.code_mac, cur.list_id,"
     "        " STATE_OF("cur.list_id", "m.kinds") ", m.kinds"
     " FROM unnest($1::bigint[], $2::bigint[], $3::bytea[], $4::bytea[], $5::bytea[])"
     "      AS u(claim_id, incident_id, email_mac, phone_mac, code_mac)"
     " LEFT JOIN eligibility_current cur ON cur.incident_id = u.incident_id"
     " CROSS JOIN LATERAL (SELECT CASE WHEN cur.list_id IS NULL THEN '{}'::text[] ELSE"
     "   " MATCH_OF("cur.list_id", "u.email_mac", "u.phone_mac", "u.code_mac") " END AS kinds) m",
     5},
    /* the groups of db/tallies.h, of the matched claims only: from claim_eligibility's
     * incident index, each claim by its primary key */
    {"db_eligibility_groups",
     "SELECT " GROUP_OF_CLAIMS
     " FROM claim_eligibility e JOIN claims c ON c.id = e.claim_id"
     " WHERE e.incident_id = $1::bigint AND e.state = 'matched'"
     " GROUP BY " GROUP_KEY,
     1},
    {"db_eligibility_groups_of_action",
     "SELECT " GROUP_OF_CLAIMS
     " FROM claims c JOIN claim_eligibility e ON e.claim_id = c.id AND e.state = 'matched'"
     " WHERE c.member_action_id = $1::uuid"
     " GROUP BY " GROUP_KEY,
     1},
    {"db_eligibility_correct",
     "INSERT INTO claim_eligibility AS ce"
     " (claim_id, incident_id, email_mac, phone_mac, code_mac, list_id, state, matched)"
     " SELECT $1, $2, $3, $4, k.code, cur.list_id, " STATE_OF("cur.list_id", "m.kinds") ", m.kinds"
     " FROM (SELECT coalesce($5::bytea, (SELECT code_mac FROM claim_eligibility"
     "                                   WHERE claim_id = $1)) AS code) k"
     " LEFT JOIN eligibility_current cur ON cur.incident_id = $2"
     " CROSS JOIN LATERAL (SELECT CASE WHEN cur.list_id IS NULL THEN '{}'::text[] ELSE"
     "   " MATCH_OF("cur.list_id", "$3::bytea", "$4::bytea", "k.code") " END AS kinds) m"
     " ON CONFLICT (claim_id) DO UPDATE SET email_mac = excluded.email_mac,"
     "   phone_mac = excluded.phone_mac, code_mac = excluded.code_mac,"
     "   list_id = excluded.list_id, state = excluded.state, matched = excluded.matched,"
     "   evaluated_at = now()",
     5},
    /* its own statement, before the insert: the insert's snapshot is taken after any
     * switch this waited for (READ COMMITTED takes one per statement) */
    {"db_eligibility_intake_lock",
     "SELECT pg_advisory_xact_lock_shared(hashtext('recours-eligibility-switch'), i::int)"
     " FROM (SELECT DISTINCT unnest($1::bigint[]) AS i ORDER BY 1) u",
     1},
    {NULL, NULL, 0},
};

int
db_eligibility_intake_lock(PGconn *c, const int64_t *incident_ids, int n)
{
    struct pg_array col = {0};
    const char *params[1];

    for (int i = 0; i < n; i++)
        pg_array_int(&col, incident_ids[i]);
    params[0] = pg_array_finish(&col);
    /* or only sent, in the intake's pipeline */
    int rc = db_exec_command(c, "db_eligibility_intake_lock", 1, params);
    pg_array_free(&col);
    return rc < 0 ? rc : 0;
}

int
db_eligibility_insert_batch(PGconn *c, const int64_t *claim_ids, const int64_t *incident_ids,
                            const struct matching_macs *const *macs, int n)
{
    struct pg_array col[5];
    const char *params[5];

    memset(col, 0, sizeof col);
    for (int i = 0; i < n; i++) {
        pg_array_int(&col[0], claim_ids[i]);
        pg_array_int(&col[1], incident_ids[i]);
        pg_array_bytea(&col[2], macs[i]->email, KEYED_HASH_LEN);
        pg_array_bytea(&col[3], macs[i]->has_phone ? macs[i]->phone : NULL, KEYED_HASH_LEN);
        pg_array_bytea(&col[4], macs[i]->has_code ? macs[i]->code : NULL, KEYED_HASH_LEN);
    }
    pg_array_finish_all(col, 5, params);
    int rc = db_exec_command(c, "db_eligibility_insert_batch", 5, params);
    pg_array_free_all(col, 5);
    return rc < 0 ? rc : 0;
}

int
db_eligibility_groups(PGconn *c, int64_t incident_id, struct arena *a, struct tally_group **out,
                      int *n_out)
{
    char id[24];

    snprintf(id, sizeof id, "%" PRId64, incident_id);
    return db_tally_read_groups(c, "db_eligibility_groups", id, a, out, n_out);
}

int
db_eligibility_groups_of_action(PGconn *c, const char *action_id, struct arena *a,
                                struct tally_group **out, int *n_out)
{
    return db_tally_read_groups(c, "db_eligibility_groups_of_action", action_id, a, out, n_out);
}

int
db_eligibility_correct(PGconn *c, int64_t claim_id, int64_t incident_id,
                       const struct matching_macs *macs)
{
    char id[24], incident[24];
    char email[2 + 64 + 1], phone[2 + 64 + 1], code[2 + 64 + 1];
    const char *params[5] = {id, incident, email, macs->has_phone ? phone : NULL,
                             macs->has_code ? code : NULL};
    const uint8_t *bytes[3] = {macs->email, macs->phone, macs->code};
    char *text[3] = {email, phone, code};

    snprintf(id, sizeof id, "%" PRId64, claim_id);
    snprintf(incident, sizeof incident, "%" PRId64, incident_id);
    const bool present[3] = {true, macs->has_phone, macs->has_code};

    for (int i = 0; i < 3; i++) { /* bytea in its hex text form; an absent MAC is not set */
        if (!present[i])
            continue;
        memcpy(text[i], "\\x", 2);
        hex_encode(bytes[i], KEYED_HASH_LEN, text[i] + 2);
        text[i][2 + 64] = '\0';
    }
    int rc = db_exec_command(c, "db_eligibility_correct", 5, params);
    return rc < 0 ? rc : 0;
}

/* ---- the import ---- */

static PGresult *
run(PGconn *c, const char *sql, int n, const char *const *params)
{
    return PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
}

static int
command(PGconn *c, const char *sql, int n, const char *const *params, const char *what)
{
    PGresult *res = run(c, sql, n, params);
    ExecStatusType st = PQresultStatus(res);
    int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : db_status_of(res, what);

    PQclear(res);
    return rc;
}

/* The status of a statement that answers one row: 1, or DB_* (DB_HARD for another count). */
static int
one_row(const PGresult *res, const char *what)
{
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        return db_status_of(res, what);
    return PQntuples(res) == 1 ? 1 : DB_HARD;
}

int
db_eligibility_lock_current(PGconn *c, int64_t incident_id, struct eligibility_current *out)
{
    char id[24];
    const char *p[1] = {id};
    int rc;

    memset(out, 0, sizeof *out);
    snprintf(id, sizeof id, "%" PRId64, incident_id);
    /* one import per incident at a time; the lock ends with the transaction, as the
     * settings of the sort of the staged hashes (insert_entries) */
    rc = command(c,
                 "SELECT pg_advisory_xact_lock(hashtext('recours-eligibility'), $1::int),"
                 " set_config('work_mem', '" ELIGIBILITY_SORT_MEM "', true),"
                 " set_config('enable_hashagg', 'off', true)",
                 1, p, "eligibility lock");
    if (rc != 0)
        return rc;
    PGresult *res = run(c,
                        "SELECT l.id, l.version, encode(l.sha256, 'hex')"
                        " FROM eligibility_current cur JOIN eligibility_lists l ON l.id = cur.list_id"
                        " WHERE cur.incident_id = $1",
                        1, p);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = db_status_of(res, "eligibility current");
    } else if (PQntuples(res) == 1) {
        out->list_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        out->version = atoi(PQgetvalue(res, 0, 1));
        if (!hex_decode(PQgetvalue(res, 0, 2), 64, out->sha256, sizeof out->sha256))
            rc = DB_HARD;
    }
    PQclear(res);
    return rc;
}

int
db_eligibility_copy_begin(PGconn *c)
{
    int rc = command(c,
                     "CREATE TEMPORARY TABLE eligibility_staging (kind smallint, mac bytea)"
                     " ON COMMIT DROP",
                     0, NULL, "eligibility staging");
    if (rc != 0)
        return rc;
    PGresult *res = run(c, "COPY eligibility_staging (kind, mac) FROM STDIN", 0, NULL);
    rc = PQresultStatus(res) == PGRES_COPY_IN ? 0 : db_status_of(res, "eligibility copy");
    PQclear(res);
    return rc;
}

int
db_eligibility_copy_row(PGconn *c, int kind, const uint8_t mac[32])
{
    /* COPY text format: the bytea's own "\x" escaped once more for COPY */
    char line[2 + 3 + 64 + 2];

    line[0] = (char)('0' + kind);
    line[1] = '\t';
    memcpy(line + 2, "\\\\x", 3);
    hex_encode(mac, 32, line + 5);
    line[69] = '\n';
    return PQputCopyData(c, line, 70) == 1 ? 0 : DB_UNAVAILABLE;
}

int64_t
db_eligibility_copy_end(PGconn *c)
{
    int64_t n = DB_UNAVAILABLE;

    if (PQputCopyEnd(c, NULL) != 1)
        return DB_UNAVAILABLE;
    PGresult *res;
    while ((res = PQgetResult(c)) != NULL) {
        if (PQresultStatus(res) == PGRES_COMMAND_OK)
            n = strtoll(PQcmdTuples(res), NULL, 10);
        else
            n = db_status_of(res, "eligibility copy end");
        PQclear(res);
    }
    return n;
}

/* The staged hashes into the new version's entries, each once; *entries_out their count.
 * In key order (bench/RESULTS.md, "Issue 14: publishing at 33.7 M"): a hash aggregate
 * would feed the primary key in random order, every insert on a random leaf of an index
 * larger than shared_buffers; sorted, the duplicates go in the same pass and every insert
 * appends to the rightmost leaf. The sort's settings are set with the import's lock
 * (db_eligibility_lock_current), for its transaction only. */
static int
insert_entries(PGconn *c, const char *list_id, int64_t *entries_out)
{
    const char *q[1] = {list_id};
    int rc = 0;
    PGresult *res = run(c,
                        "INSERT INTO eligibility_entries (list_id, kind, mac)"
                        " SELECT $1::bigint, kind, mac FROM eligibility_staging"
                        " GROUP BY kind, mac ORDER BY kind, mac",
                        1, q);
    if (PQresultStatus(res) == PGRES_COMMAND_OK)
        *entries_out = strtoll(PQcmdTuples(res), NULL, 10);
    else
        rc = db_status_of(res, "eligibility entries");
    PQclear(res);
    return rc;
}

int
db_eligibility_publish(PGconn *c, int64_t incident_id, const uint8_t sha256[32], int64_t n_lines,
                       int64_t n_malformed, int *version_out, int64_t *entries_out)
{
    char id[24], lines[24], bad[24], digest[65];
    const char *p[4] = {id, digest, lines, bad};
    int rc = 0;

    snprintf(id, sizeof id, "%" PRId64, incident_id);
    snprintf(lines, sizeof lines, "%" PRId64, n_lines);
    snprintf(bad, sizeof bad, "%" PRId64, n_malformed);
    hex_encode(sha256, 32, digest);
    digest[64] = '\0';
    PGresult *res = run(c,
                        "INSERT INTO eligibility_lists"
                        " (incident_id, version, sha256, n_lines, n_entries, n_malformed)"
                        " SELECT $1, coalesce(max(version), 0) + 1, decode($2, 'hex'), $3, 0, $4"
                        " FROM eligibility_lists WHERE incident_id = $1 RETURNING id, version",
                        4, p);
    if ((rc = one_row(res, "eligibility publish")) != 1) {
        PQclear(res);
        return rc;
    }
    char list_id[24];
    snprintf(list_id, sizeof list_id, "%s", PQgetvalue(res, 0, 0));
    *version_out = atoi(PQgetvalue(res, 0, 1));
    PQclear(res);
    rc = insert_entries(c, list_id, entries_out);
    if (rc != 0)
        return rc;
    char count[24];
    const char *u[2] = {list_id, count};
    snprintf(count, sizeof count, "%" PRId64, *entries_out);
    rc = command(c, "UPDATE eligibility_lists SET n_entries = $2 WHERE id = $1", 2, u,
                 "eligibility count");
    /* The switch, last: it waits for the intake batches of this incident in flight (each
     * holds the switch lock shared, db_eligibility_intake_lock), so every claim evaluated
     * against the previous version has committed before the recompute's walk starts, and
     * batches coming after wait for this commit (milliseconds) and see the new version. */
    const char *r[2] = {id, list_id};
    if (rc == 0)
        rc = command(c, "SELECT pg_advisory_xact_lock(hashtext('recours-eligibility-switch'),"
                        " $1::int)", 1, r, "eligibility switch lock");
    if (rc == 0)
        rc = command(c, "INSERT INTO eligibility_current (incident_id, list_id) VALUES ($1, $2)"
                        " ON CONFLICT (incident_id) DO UPDATE SET list_id = excluded.list_id",
                     2, r, "eligibility switch");
    return rc;
}

int64_t
db_eligibility_drop_entries(PGconn *c, int64_t list_id)
{
    char id[24];
    const char *p[1] = {id};

    snprintf(id, sizeof id, "%" PRId64, list_id);
    PGresult *res = run(c, "DELETE FROM eligibility_entries WHERE list_id = $1", 1, p);
    int64_t n = PQresultStatus(res) == PGRES_COMMAND_OK ? strtoll(PQcmdTuples(res), NULL, 10)
                                                        : db_status_of(res, "eligibility drop");
    PQclear(res);
    return n;
}

int
db_eligibility_recompute_batch(PGconn *c, int64_t incident_id, int64_t *after_claim, int limit,
                               int64_t *updated_out)
{
    char id[24], after[24], lim[16];
    const char *p[3] = {id, after, lim};
    int rc;

    snprintf(id, sizeof id, "%" PRId64, incident_id);
    snprintf(after, sizeof after, "%" PRId64, *after_claim);
    snprintf(lim, sizeof lim, "%d", limit);
    /* the walk goes by claim id through the index; rows already computed against the list in
     * force are passed over but count as examined, so the walk always moves on */
    PGresult *res = run(
        c,
        "WITH cur AS (SELECT (SELECT list_id FROM eligibility_current WHERE incident_id = $1)"
        "   AS list_id),"
        " walk AS (SELECT claim_id FROM claim_eligibility WHERE incident_id = $1"
        "   AND claim_id > $2 ORDER BY claim_id LIMIT $3),"
        " todo AS (SELECT ce.claim_id, cur.list_id,"
        "   CASE WHEN cur.list_id IS NULL THEN '{}'::text[] ELSE"
        "   " MATCH_OF("cur.list_id", "ce.email_mac", "ce.phone_mac", "ce.code_mac") " END AS kinds"
        "   FROM claim_eligibility ce JOIN walk USING (claim_id), cur"
        "   WHERE ce.list_id IS DISTINCT FROM cur.list_id),"
        " upd AS (UPDATE claim_eligibility ce SET list_id = todo.list_id, matched = todo.kinds,"
        "   state = " STATE_OF("todo.list_id", "todo.kinds") ", evaluated_at = now()"
        "   FROM todo WHERE ce.claim_id = todo.claim_id RETURNING 1)"
        " SELECT count(*), coalesce(max(claim_id), $2), (SELECT count(*) FROM upd) FROM walk",
        3, p);
    if ((rc = one_row(res, "eligibility recompute")) == 1) {
        rc = atoi(PQgetvalue(res, 0, 0));
        *after_claim = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
        *updated_out = strtoll(PQgetvalue(res, 0, 2), NULL, 10);
    }
    PQclear(res);
    return rc;
}

int
db_eligibility_counts(PGconn *c, int64_t incident_id, int64_t counts[3])
{
    char id[24];
    const char *p[1] = {id};
    int rc = 0;

    counts[0] = counts[1] = counts[2] = 0;
    snprintf(id, sizeof id, "%" PRId64, incident_id);
    PGresult *res = run(c,
                        "SELECT state, count(*) FROM claim_eligibility WHERE incident_id = $1"
                        " GROUP BY state",
                        1, p);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = db_status_of(res, "eligibility counts");
    } else {
        for (int r = 0; r < PQntuples(res); r++) {
            const char *s = PQgetvalue(res, r, 0);
            int k = strcmp(s, "matched") == 0 ? 0 : strcmp(s, "unmatched") == 0 ? 1 : 2;
            counts[k] = strtoll(PQgetvalue(res, r, 1), NULL, 10);
        }
    }
    PQclear(res);
    return rc;
}
