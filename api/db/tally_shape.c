/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Reads of the summary's derived tallies (0013_summary_shape.sql). */
#include "db/tally_shape.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "db/errors.h"
#include "db/exec.h"
#include "db/pg_array.h"
#include "db/prepared.h"

#define ELIGIBLE(verified_only) ((verified_only) ? "{verified}" : "{received,verified}")
#define LOSS_LEVELS 9  /* 16^9 > 10^10 + 1 */
#define HOURS_LEVELS 3 /* 16^3 > 1001 */

const struct db_statement db_tally_shape_statements[] = {
    /* Everything a summary reads when the folded counts and cells are in the cache, in one
     * statement (one snapshot, one round trip): kind 0 the fold version, the refused
     * duplicates and the claim_tallies rows up to $8; kind 1 the tree sums, one row per
     * range (i as dim_ranges wrote them); kind 2 at most $7 unfolded changes. */
    {"db_shape_read",
     "WITH q AS ("
     "  SELECT q.i, coalesce(sum(t.n), 0) AS n, coalesce(sum(t.s), 0) AS s"
     "  FROM unnest($2::\"char\"[], $3::int[], $4::bigint[], $5::bigint[])"
     "       WITH ORDINALITY AS q(dim, level, lo, hi, i)"
     "  LEFT JOIN claim_value_tallies t"
     "    ON t.incident_id = $1::bigint AND t.dim = q.dim AND t.level = q.level"
     "   AND t.prefix BETWEEN q.lo AND q.hi AND t.status = ANY ($6::text[])"
     "  GROUP BY q.i)"
     " SELECT 0 AS kind,"
     "        (SELECT coalesce(max(version), 0) FROM claim_shape_folds"
     "          WHERE incident_id = $1::bigint)::numeric AS a,"
     "        (SELECT coalesce(sum(n), 0) FROM duplicate_tallies"
     "          WHERE incident_id = $1::bigint)::numeric,"
     "        (SELECT count(*) FROM (SELECT 1 FROM claim_tallies WHERE incident_id = $1::bigint"
     "                               LIMIT $8::bigint) x)::numeric,"
     "        NULL::text, NULL::bool, NULL::text, NULL::int, NULL::bigint, NULL::int, NULL::bigint"
     " UNION ALL SELECT 1, i, n, s, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM q"
     " UNION ALL (SELECT 2, NULL, NULL, NULL, status, payment_preference = 'cash', country,"
     "                   categories, documented_loss, hours_spent, n"
     "            FROM claim_shape_log WHERE incident_id = $1::bigint LIMIT $7::int)"
     " ORDER BY 1, 2",
     8},
    {"db_shape_version",
     "SELECT coalesce(max(version), 0) FROM claim_shape_folds WHERE incident_id = $1::bigint",
     1},
    {"db_shape_fold", "SELECT summary_shape_fold($1::int)", 1},
    /* The folded counts and cells keep a negative sum (HAVING <> 0, not > 0): a fold may take
     * a claim's −1 before its +1 (two folders skip each other's rows; the log's heap order is
     * not its time order once a fold has freed space), and the reader adds that −1 to the +1
     * still in the log. Dropping it would count the claim twice. */
    {"db_shape_counts",
     "SELECT status, payment_preference = 'cash', country, categories, 0, 0, sum(n)"
     " FROM claim_count_tallies WHERE incident_id = $1::bigint"
     " GROUP BY status, payment_preference, country, categories HAVING sum(n) <> 0",
     1},
    {"db_shape_cells",
     "SELECT cash, categories, sum(n), min(loss_min), max(loss_max), min(hours_min),"
     "       max(hours_max)"
     " FROM claim_shape_cells WHERE incident_id = $1::bigint AND status = ANY ($2::text[])"
     " GROUP BY cash, categories, loss_bucket, hours_bucket HAVING sum(n) <> 0",
     2},
    {NULL, NULL, 0},
};

/* A numeric with no fraction (sums of integers) into 128 bits; false on anything else. */
static bool
parse_wide(const char *s, money_wide *out)
{
    bool neg = *s == '-';
    money_wide v = 0;

    s += neg ? 1 : 0;
    if (*s == '\0')
        return false;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9' || v > ((money_wide)1 << 120))
            return false;
        v = v * 10 + (*s - '0');
    }
    *out = neg ? -v : v;
    return true;
}

/* Rows [first, first + n) of res as tally groups, their 7 columns from col on: status, cash,
 * country, categories, documented_loss, hours_spent, n (no source). */
static struct tally_group *
groups_of(const PGresult *res, int first, int n, int col, struct arena *a)
{
    struct tally_group *out = arena_alloc(a, sizeof *out * (size_t)(n > 0 ? n : 1));

    for (int j = 0; j < n; j++)
        db_tally_group_at(res, first + j, col, a, &out[j]);
    return out;
}

int
db_shape_version(PGconn *c, int64_t incident_id, int64_t *version_out)
{
    char inc[DB_INT64_TEXT];
    const char *params[1] = {db_int64_text(incident_id, inc)};

    return db_exec_int64(c, "db_shape_version", 1, params, version_out);
}

int
db_shape_fold(PGconn *c, int limit, int64_t *n_out)
{
    char lim[DB_INT64_TEXT];
    const char *params[1] = {db_int64_text(limit, lim)};

    return db_exec_int64(c, "db_shape_fold", 1, params, n_out);
}

int
db_shape_counts(PGconn *c, int64_t incident_id, struct arena *a, struct tally_group **out,
                int *n_out)
{
    char inc[DB_INT64_TEXT];

    return db_tally_read_groups(c, "db_shape_counts", db_int64_text(incident_id, inc), a, out,
                                n_out);
}

static bool
read_cell(const PGresult *res, int row, struct arena *a, void *out)
{
    struct shape_cell *x = out;

    (void)a;
    x->cash = db_bool_at(res, row, 0);
    x->categories = (category_set)strtoul(PQgetvalue(res, row, 1), NULL, 10);
    x->n = db_int64_at(res, row, 2);
    x->loss_min = db_int64_at(res, row, 3);
    x->loss_max = db_int64_at(res, row, 4);
    x->hours_min = db_int64_at(res, row, 5);
    x->hours_max = db_int64_at(res, row, 6);
    return true;
}

int
db_shape_cells(PGconn *c, int64_t incident_id, bool verified_only, struct arena *a,
               struct shape_cell **out, size_t *n_out)
{
    char inc[DB_INT64_TEXT];
    const char *params[2] = {db_int64_text(incident_id, inc), ELIGIBLE(verified_only)};
    void *rows;
    int rc = db_exec_all(c, "db_shape_cells", 2, params, read_cell, a, sizeof **out, &rows);

    *out = rows;
    if (rc >= 0)
        *n_out = (size_t)rc;
    return rc;
}

/* The ranges of one dimension into the arrays: the smaller siblings of cap's path at each
 * level (values in (0, cap)), then every node of the top level (every value above 0). */
static void
dim_ranges(struct pg_array *cols, const char *dim, int levels, int64_t cap)
{
    for (int k = 0; k < levels; k++) {
        int64_t lo = (cap >> (4 * (k + 1))) << 4, hi = (cap >> (4 * k)) - 1;
        pg_array_text(&cols[0], dim);
        pg_array_int(&cols[1], k);
        pg_array_int(&cols[2], lo);
        pg_array_int(&cols[3], hi); /* hi < lo: an empty range, the row counts 0 */
    }
    pg_array_text(&cols[0], dim);
    pg_array_int(&cols[1], levels - 1);
    pg_array_int(&cols[2], 0);
    pg_array_int(&cols[3], INT64_MAX);
}

/* Range i (0-based, as dim_ranges wrote them) of the answer's row r into its dimension's sums. */
static bool
add_range(const PGresult *res, int r, int i, struct shape_sums *loss, struct shape_sums *hours)
{
    bool is_loss = i < LOSS_LEVELS + 1;
    int k = is_loss ? i : i - (LOSS_LEVELS + 1);
    int levels = is_loss ? LOSS_LEVELS : HOURS_LEVELS;
    struct shape_sums *d = is_loss ? loss : hours;
    int64_t n = strtoll(PQgetvalue(res, r, 2), NULL, 10);
    money_wide s;

    if (i < 0 || i >= LOSS_LEVELS + HOURS_LEVELS + 2 || !parse_wide(PQgetvalue(res, r, 3), &s))
        return false;
    if (k == levels) {
        d->n_pos = n;
        d->sum_pos = s;
    } else {
        d->n_below += n;
        d->sum_below += s;
    }
    return true;
}

/* The answer of db_shape_read into *out; false when it is not what the statement gives. */
static bool
read_answer(const PGresult *res, struct arena *a, struct shape_snapshot *out)
{
    int n = PQntuples(res), first_change = n;

    if (n < 1 || strcmp(PQgetvalue(res, 0, 0), "0") != 0)
        return false;
    out->version = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
    out->duplicates = strtoll(PQgetvalue(res, 0, 2), NULL, 10);
    out->tally_rows = strtoll(PQgetvalue(res, 0, 3), NULL, 10);
    for (int r = 1; r < n; r++) {
        if (strcmp(PQgetvalue(res, r, 0), "2") == 0) {
            first_change = r;
            break;
        }
        if (!add_range(res, r, (int)strtol(PQgetvalue(res, r, 1), NULL, 10) - 1, &out->loss,
                       &out->hours))
            return false;
    }
    out->n_changes = n - first_change;
    out->changes = groups_of(res, first_change, out->n_changes, 4, a);
    return true;
}

int
db_shape_read(PGconn *c, const struct shape_read_query *q, struct arena *a,
              struct shape_snapshot *out)
{
    struct pg_array cols[4];
    char inc[24], log_limit[16], rows_limit[24];
    int rc = 1;

    memset(cols, 0, sizeof cols);
    memset(out, 0, sizeof *out);
    if (q->with_sums) {
        dim_ranges(cols, "l", LOSS_LEVELS, q->loss_cap);
        dim_ranges(cols, "h", HOURS_LEVELS, q->hours_cap);
    }
    db_int64_text(q->incident_id, inc);
    snprintf(log_limit, sizeof log_limit, "%d", q->changes_limit);
    db_int64_text(q->tally_rows_limit, rows_limit);
    const char *params[8] = {inc};
    pg_array_finish_all(cols, 4, params + 1); /* $2..$5: the ranges of the tree sums */
    params[5] = ELIGIBLE(q->verified_only);
    params[6] = log_limit;
    params[7] = rows_limit;
    PGresult *res = db_exec_prepared(c, "db_shape_read", 8, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = db_status_of(res, "db_shape_read");
    } else if (!read_answer(res, a, out)) {
        log_bug("db_shape_read: an answer of %d rows not as expected", PQntuples(res));
        rc = DB_HARD;
    }
    PQclear(res);
    pg_array_free_all(cols, 4);
    return rc;
}
