/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Export statements (see exports.h). The member page is a keyset read on the index
 * claims_members_submitted (member_action_id, created_at, id): each page is one short statement, so
 * an export never holds a transaction, a snapshot or a cursor between pages, and the worker's
 * connection serves other requests in between. */
#include "db/exports.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/log.h"
#include "db/errors.h"
#include "db/exec.h"
#include "db/pg_array.h"
#include "db/prepared.h"

/* 2000-01-01T00:00:00Z, PostgreSQL's epoch, in microseconds since 1970 */
#define PG_EPOCH_UNIX_US INT64_C(946684800000000)

#define TS(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

/* A streaming export whose lease ran out (its node died) reads as interrupted (0019) */
#define RECORD_COLUMNS                                                                      \
    "id, action_id, association_id, format, separator, rows, bytes, encode(sha256, 'hex')," \
    " CASE WHEN status = 'streaming' AND claimed_until < now() THEN 'interrupted'"          \
    "      ELSE status END, " TS("created_at") ", " TS("completed_at")

/* The lease still runs: a record read as interrupted is never ended nor renewed */
#define LEASE_HELD "status = 'streaming' AND claimed_until >= now()"

const struct db_statement db_exports_statements[] = {
    {"db_exports_insert",
     "INSERT INTO exports (action_id, association_id, format, separator, claimed_until)"
     " VALUES ($1::uuid, $2::uuid, $3, $4, now() + make_interval(secs => $5::int))"
     " RETURNING " RECORD_COLUMNS,
     5},
    {"db_exports_get", "SELECT " RECORD_COLUMNS " FROM exports WHERE id = $1::uuid", 1},
    {"db_exports_finish",
     "UPDATE exports"
     " SET status = $2, rows = $3::bigint, bytes = $4::bigint, sha256 = decode($5, 'hex'),"
     "     completed_at = now()"
     " WHERE id = $1::uuid AND " LEASE_HELD,
     5},
    {"db_exports_beat",
     "UPDATE exports"
     " SET rows = $2::bigint, bytes = $3::bigint,"
     "     claimed_until = now() + make_interval(secs => $4::int)"
     " WHERE id = $1::uuid AND " LEASE_HELD,
     4},
    /* read in binary (db_exports_members_send): the sealed pii as its bytes, numbers and
     * times as such, so that neither side encodes and decodes text for a million rows */
    {"db_exports_members",
     /* in submission order, the heap's (0022_export_order.sql): a page's claims share heap
      * pages and its eligibility probes walk forward, where by reference each member cost a
      * scattered heap page of each table */
     "(SELECT c.reference, c.data_key_id::int4, c.pii, c.country::text, c.categories::int4,"
     "        c.phishing, c.identity_theft, c.distress, c.documented_loss::int8,"
     "        c.hours_spent::int8, c.payment_preference, c.status, c.mandated_at,"
     "        c.mandate_text_version, c.mandate_channel, c.created_at,"
     "        coalesce(ce.state, 'unknown'), array_to_string(ce.matched, '|'), NULL, c.id"
     "  FROM claims c LEFT JOIN claim_eligibility ce ON ce.claim_id = c.id"
     "  WHERE c.member_action_id = $1::uuid"
     "    AND (c.created_at, c.id) > ($2::timestamptz, $3::bigint)"
     /* always true (a read in autocommit has no transaction id), and parallel-unsafe: so
      * PostgreSQL never plans a page in parallel (for pages of 1,024 with 50,000 members
      * left it chose a Gather Merge, two workers started for every page: 3-5 times the CPU
      * per member) */
     "    AND pg_current_xact_id_if_assigned() IS NULL"
     "  ORDER BY c.created_at, c.id"
     "  LIMIT $4::int)"
     /* then the evidence files of the same claims, with their SHA-256 (so counsel can match
      * the files handed over): a row per claim that has some (by claim id, its reference
      * NULL), in the same statement, hence the same snapshot and the same claims. The page
      * itself stays a plain index scan in order: as a subquery per member (an aggregate and
      * its sort set up for every row) or a CTE joined back (the page's wide rows stored,
      * hashed and sorted again) the evidence cost PostgreSQL about as much as the rest of
      * the page (docs/decisions.md "Issue 15 — export: the page statement") */
     " UNION ALL"
     "(SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
     "        NULL, NULL, NULL, NULL, NULL,"
     "        string_agg(f.public_id::text || ':' || encode(f.sha256, 'hex'), '|'"
     "                   ORDER BY f.created_at, f.id), f.claim_id"
     "  FROM evidence_files f"
     "  WHERE f.claim_id IN (SELECT k.id FROM claims k"
     "                       WHERE k.member_action_id = $1::uuid"
     "                         AND (k.created_at, k.id) > ($2::timestamptz, $3::bigint)"
     "                       ORDER BY k.created_at, k.id"
     "                       LIMIT $4::int)"
     "    AND f.state = 'stored'"
     "  GROUP BY f.claim_id"
     "  ORDER BY f.claim_id)",
     4},
    {"db_exports_class_cutoff",
     "SELECT c.reference"
     " FROM claims c"
     " JOIN (SELECT DISTINCT *"
     "       FROM unnest($2::int[], $3::bigint[], $4::int[], $5::bool[])"
     "            AS u(categories, documented_loss, hours_spent, cash)) k"
     "   ON c.categories = k.categories"
     "  AND c.documented_loss = k.documented_loss"
     "  AND c.hours_spent = k.hours_spent"
     "  AND (c.payment_preference = 'cash') = k.cash"
     " WHERE c.incident_id = $1::bigint"
     "   AND c.status IN ('received', 'verified')"
     " ORDER BY c.reference"
     " OFFSET $6::bigint - 1"
     " LIMIT 1",
     6},
    {NULL, NULL, 0},
};

static void
read_record(const PGresult *res, struct arena *a, struct export_record *out)
{
    out->id = db_text_at(a, res, 0, 0);
    out->action_id = db_text_at(a, res, 0, 1);
    out->association_id = db_text_at(a, res, 0, 2);
    out->format = db_text_at(a, res, 0, 3);
    out->separator = db_text_at(a, res, 0, 4);
    out->rows = db_int64_at(res, 0, 5);
    out->bytes = db_int64_at(res, 0, 6);
    out->sha256 = db_text_at(a, res, 0, 7);
    out->status = db_text_at(a, res, 0, 8);
    out->created_at = db_text_at(a, res, 0, 9);
    out->completed_at = db_text_at(a, res, 0, 10);
}

/* Runs a statement that returns at most one record. */
static int
one_record(PGconn *c, const char *stmt, int n, const char *const *params, struct arena *a,
           struct export_record *out)
{
    PGresult *res = db_exec_prepared(c, stmt, n, params, NULL, NULL, 0);
    int rc;

    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = db_status_of(res, stmt);
    } else {
        rc = PQntuples(res);
        if (rc == 1)
            read_record(res, a, out);
    }
    PQclear(res);
    return rc;
}

int
db_exports_insert(PGconn *c, const char *action_id, const char *association_id, const char *format,
                  const char *separator, int lease_s, struct arena *a, struct export_record *out)
{
    char lease[16];
    const char *params[5] = {action_id, association_id, format, separator, lease};

    snprintf(lease, sizeof lease, "%d", lease_s);
    int rc = one_record(c, "db_exports_insert", 5, params, a, out);

    return rc == 0 ? DB_HARD : rc;
}

int
db_exports_get(PGconn *c, const char *id, struct arena *a, struct export_record *out)
{
    const char *params[1] = {id};

    return one_record(c, "db_exports_get", 1, params, a, out);
}

int
db_exports_finish(PGconn *c, const char *id, const char *status, int64_t rows, int64_t bytes,
                  const char *sha256_hex)
{
    char r[24], b[24];
    const char *params[5] = {id, status, r, b, sha256_hex};

    snprintf(r, sizeof r, "%lld", (long long)rows);
    snprintf(b, sizeof b, "%lld", (long long)bytes);
    return db_exec_command(c, "db_exports_finish", 5, params);
}

int
db_exports_beat(PGconn *c, const char *id, int64_t rows, int64_t bytes, int lease_s)
{
    char r[24], b[24], lease[16];
    const char *params[4] = {id, r, b, lease};

    snprintf(r, sizeof r, "%lld", (long long)rows);
    snprintf(b, sizeof b, "%lld", (long long)bytes);
    snprintf(lease, sizeof lease, "%d", lease_s);
    return db_exec_command(c, "db_exports_beat", 4, params);
}

/* Binary columns (PostgreSQL's send functions): big-endian integers of 1, 2, 4 or 8 bytes. */
static bool
bin_int(const PGresult *res, int row, int col, int64_t *out)
{
    const unsigned char *v = (const unsigned char *)PQgetvalue(res, row, col);
    int len = PQgetlength(res, row, col);
    uint64_t u = 0;

    if (PQgetisnull(res, row, col) || (len != 1 && len != 2 && len != 4 && len != 8))
        return false;
    for (int i = 0; i < len; i++)
        u = u << 8 | v[i];
    int shift = 64 - 8 * len; /* sign extension of the narrower ones */
    *out = (int64_t)(u << shift) >> shift;
    return true;
}

static const char *
bin_text(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

/* A timestamptz (microseconds since 2000-01-01 UTC) as RFC 3339 text into out; NULL stays
 * NULL. False when it is not one or is out of the years 0-9999. */
static bool
bin_time(const PGresult *res, int row, int col, char *out, const char **text_out)
{
    int64_t pg_us;

    *text_out = NULL;
    if (PQgetisnull(res, row, col))
        return true;
    if (PQgetlength(res, row, col) != 8 || !bin_int(res, row, col, &pg_us) ||
        pg_us > INT64_MAX - PG_EPOCH_UNIX_US)
        return false;
    *text_out = out;
    return clock_format_rfc3339_us(pg_us + PG_EPOCH_UNIX_US, out);
}

/* The evidence of claim id: the page's rows after its members, one per claim that has
 * some, by claim id (binary search); "" when none. */
static const char *
evidence_of(const struct db_exports_page *page, int64_t id)
{
    int lo = page->members, hi = PQntuples(page->res);

    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        int64_t at;

        if (!bin_int(page->res, mid, 19, &at))
            return NULL;
        if (at == id)
            return PQgetisnull(page->res, mid, 18) ? NULL : PQgetvalue(page->res, mid, 18);
        if (at < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return "";
}

bool
db_exports_member_read(const struct db_exports_page *page, int i, struct export_member *m)
{
    const PGresult *res = page->res;
    const char *ref = PQgetvalue(res, i, 0);
    const char *country = bin_text(res, i, 3);
    struct claim_facts *f = &m->facts;
    int64_t key, categories, flags[3];

    if (PQnfields(res) != 20 || i >= page->members || PQgetisnull(res, i, 0) ||
        strlen(ref) >= sizeof m->reference || country == NULL ||
        strlen(country) >= sizeof f->country)
        return false;
    memcpy(m->reference, ref, strlen(ref) + 1);
    memcpy(f->country, country, strlen(country) + 1);
    if (!bin_int(res, i, 19, &m->id) || !bin_int(res, i, 1, &key) ||
        !bin_int(res, i, 4, &categories) || !bin_int(res, i, 5, &flags[0]) ||
        !bin_int(res, i, 6, &flags[1]) || !bin_int(res, i, 7, &flags[2]) ||
        !bin_int(res, i, 8, &f->documented_loss) || !bin_int(res, i, 9, &f->hours_spent) ||
        key < 0 || key > INT32_MAX || categories < 0 || categories > UINT32_MAX)
        return false;
    m->data_key_id = (int)key;
    m->pii = PQgetisnull(res, i, 2) ? NULL : (const uint8_t *)PQgetvalue(res, i, 2);
    m->pii_len = m->pii != NULL ? (size_t)PQgetlength(res, i, 2) : 0;
    f->categories = (unsigned int)categories;
    f->phishing = flags[0] != 0;
    f->identity_theft = flags[1] != 0;
    f->distress = flags[2] != 0;
    f->payment_preference = bin_text(res, i, 10);
    m->status = bin_text(res, i, 11);
    m->mandate_text_version = bin_text(res, i, 13);
    m->mandate_channel = bin_text(res, i, 14);
    m->eligibility = bin_text(res, i, 16);
    m->eligibility_matched = PQgetisnull(res, i, 17) ? "" : PQgetvalue(res, i, 17);
    m->evidence = evidence_of(page, m->id);
    return m->evidence != NULL && f->payment_preference != NULL && m->status != NULL &&
           m->eligibility != NULL && bin_time(res, i, 12, m->time_text[0], &m->mandated_at) &&
           bin_time(res, i, 15, m->time_text[1], &m->created_at) && m->created_at != NULL;
}

int
db_exports_members_send(PGconn *c, const char *action_id, const struct export_after *after,
                        int limit)
{
    char lim[16], id[24];
    /* from the start: before every claim (-infinity sorts before any time) */
    const char *params[4] = {
        action_id, after->created_at[0] != '\0' ? after->created_at : "-infinity", id, lim};

    snprintf(id, sizeof id, "%lld", (long long)after->id);
    snprintf(lim, sizeof lim, "%d", limit);
    int sent = db_send_prepared(c, "db_exports_members", 4, params, NULL, NULL, 1, NULL);
    if (sent != 0)
        return sent; /* 1, or the prepare's DB_* status (logged) */
    log_error("db_exports_members: could not send: %s", PQerrorMessage(c));
    return PQstatus(c) == CONNECTION_OK ? DB_HARD : DB_UNAVAILABLE;
}

int
db_exports_members_recv(PGconn *c, struct db_exports_page *out)
{
    int rc = DB_HARD;
    bool first = true;
    PGresult *res;

    out->res = NULL;
    out->members = 0;
    /* one result, then NULL: read them all, whatever happens, to leave the connection idle */
    while ((res = PQgetResult(c)) != NULL) {
        if (first && PQresultStatus(res) == PGRES_TUPLES_OK) {
            out->res = res; /* the page's: its rows are read in place */
            /* the members first, then the evidence rows, whose reference is NULL */
            while (out->members < PQntuples(res) && !PQgetisnull(res, out->members, 0))
                out->members++;
            rc = out->members;
        } else {
            if (first)
                rc = db_status_of(res, "db_exports_members");
            PQclear(res);
        }
        first = false;
    }
    if (first && PQstatus(c) != CONNECTION_OK)
        rc = DB_UNAVAILABLE;
    return rc;
}

void
db_exports_page_clear(struct db_exports_page *page)
{
    PQclear(page->res);
    page->res = NULL;
    page->members = 0;
}

int
db_exports_class_cutoff(PGconn *c, int64_t incident_id, const struct tally_boundary_key *keys,
                        size_t n_keys, int64_t rank, char *ref_out)
{
    struct pg_array cols[4];
    char inc[24], r[24];
    PGresult *res = NULL;
    int rc = DB_HARD;

    memset(cols, 0, sizeof cols);
    for (size_t i = 0; i < n_keys; i++) {
        pg_array_int(&cols[0], keys[i].categories);
        pg_array_int(&cols[1], keys[i].documented_loss);
        pg_array_int(&cols[2], keys[i].hours_spent);
        pg_array_bool(&cols[3], keys[i].cash);
    }
    snprintf(inc, sizeof inc, "%lld", (long long)incident_id);
    snprintf(r, sizeof r, "%lld", (long long)rank);
    const char *params[6] = {inc,
                             pg_array_finish(&cols[0]),
                             pg_array_finish(&cols[1]),
                             pg_array_finish(&cols[2]),
                             pg_array_finish(&cols[3]),
                             r};
    res = db_exec_prepared(c, "db_exports_class_cutoff", 6, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = db_status_of(res, "db_exports_class_cutoff");
        goto cleanup;
    }
    rc = PQntuples(res);
    if (rc == 1)
        snprintf(ref_out, 16, "%s", PQgetvalue(res, 0, 0));
cleanup:
    for (int i = 0; i < 4; i++)
        pg_array_free(&cols[i]);
    PQclear(res);
    return rc;
}
