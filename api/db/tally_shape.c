/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Reads of the summary's derived tallies (0013_summary_shape.sql). */
#include "db/tally_shape.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"
#include "db/errors.h"
#include "db/pg_array.h"

#define ELIGIBLE(verified_only) ((verified_only) ? "{verified}" : "{received,verified}")
#define LOSS_LEVELS 9  /* 16^9 > 10^10 + 1 */
#define HOURS_LEVELS 3 /* 16^3 > 1001 */

const struct db_statement db_tally_shape_statements[] = {
    {"db_shape_tally_rows",
     "SELECT count(*) FROM (SELECT 1 FROM claim_tallies WHERE incident_id = $1::bigint"
     "                      LIMIT $2::bigint) x",
     2},
    /* one row even when the log has none of the incident's rows (its columns NULL) */
    {"db_shape_state",
     "SELECT s.version, s.dups, l.status, l.payment_preference = 'cash', l.country,"
     "       l.categories, l.documented_loss, l.hours_spent, l.n"
     " FROM (SELECT coalesce((SELECT version FROM claim_shape_folds"
     "                         WHERE incident_id = $1::bigint), 0) AS version,"
     "              (SELECT coalesce(sum(n), 0) FROM duplicate_tallies"
     "                WHERE incident_id = $1::bigint) AS dups) s"
     " LEFT JOIN LATERAL (SELECT * FROM claim_shape_log WHERE incident_id = $1::bigint"
     "                    LIMIT $2::int) l ON true",
     2},
    {"db_shape_fold", "SELECT summary_shape_fold($1::int)", 1},
    {"db_shape_counts",
     "SELECT status, payment_preference = 'cash', country, categories, 0, 0, sum(n)"
     " FROM claim_count_tallies WHERE incident_id = $1::bigint"
     " GROUP BY status, payment_preference, country, categories HAVING sum(n) > 0",
     1},
    {"db_shape_cells",
     "SELECT cash, categories, sum(n), min(loss_min), max(loss_max), min(hours_min),"
     "       max(hours_max)"
     " FROM claim_shape_cells WHERE incident_id = $1::bigint AND status = ANY ($2::text[])"
     " GROUP BY cash, categories, loss_bucket, hours_bucket HAVING sum(n) > 0",
     2},
    /* one range of sibling prefixes per (dimension, level): an index range scan each */
    {"db_shape_sums",
     "SELECT q.i, coalesce(sum(t.n), 0), coalesce(sum(t.s), 0)"
     " FROM unnest($2::\"char\"[], $3::int[], $4::bigint[], $5::bigint[])"
     "      WITH ORDINALITY AS q(dim, level, lo, hi, i)"
     " LEFT JOIN claim_value_tallies t"
     "   ON t.incident_id = $1::bigint AND t.dim = q.dim AND t.level = q.level"
     "  AND t.prefix BETWEEN q.lo AND q.hi AND t.status = ANY ($6::text[])"
     " GROUP BY q.i ORDER BY q.i",
     6},
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

int
db_shape_tally_rows(PGconn *c, int64_t incident_id, int64_t limit, int64_t *n_out)
{
    char inc[24], lim[24];
    int rc = 1;

    snprintf(inc, sizeof inc, "%lld", (long long)incident_id);
    snprintf(lim, sizeof lim, "%lld", (long long)limit);
    const char *params[2] = {inc, lim};
    PGresult *res = PQexecPrepared(c, "db_shape_tally_rows", 2, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        rc = db_status_of(res, "db_shape_tally_rows");
    else
        *n_out = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return rc;
}

/* Rows [0, n) of res as tally groups, their 7 columns from col on: status, cash, country,
 * categories, documented_loss, hours_spent, n (no source). */
static struct tally_group *
groups_of(const PGresult *res, int n, int col, struct arena *a)
{
    struct tally_group *out = arena_alloc(a, sizeof *out * (size_t)(n > 0 ? n : 1));

    for (int i = 0; i < n; i++) {
        struct tally_group *g = &out[i];
        memset(g, 0, sizeof *g);
        g->status = arena_strdup(a, PQgetvalue(res, i, col));
        g->cash = PQgetvalue(res, i, col + 1)[0] == 't';
        snprintf(g->country, sizeof g->country, "%s", PQgetvalue(res, i, col + 2));
        g->categories = (unsigned int)strtoul(PQgetvalue(res, i, col + 3), NULL, 10);
        g->documented_loss = strtoll(PQgetvalue(res, i, col + 4), NULL, 10);
        g->hours_spent = strtoll(PQgetvalue(res, i, col + 5), NULL, 10);
        g->n = strtoll(PQgetvalue(res, i, col + 6), NULL, 10);
    }
    return out;
}

int
db_shape_state(PGconn *c, int64_t incident_id, int limit, struct arena *a, int64_t *version_out,
               int64_t *duplicates_out, struct tally_group **out)
{
    char inc[24], lim[16];
    int rc;

    snprintf(inc, sizeof inc, "%lld", (long long)incident_id);
    snprintf(lim, sizeof lim, "%d", limit);
    const char *params[2] = {inc, lim};
    PGresult *res = PQexecPrepared(c, "db_shape_state", 2, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) < 1) {
        rc = db_status_of(res, "db_shape_state");
        goto cleanup;
    }
    *version_out = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    *duplicates_out = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
    rc = PQgetisnull(res, 0, 2) ? 0 : PQntuples(res);
    *out = groups_of(res, rc, 2, a);
cleanup:
    PQclear(res);
    return rc;
}

int
db_shape_fold(PGconn *c, int limit, int64_t *n_out)
{
    char lim[16];
    int rc = 1;

    snprintf(lim, sizeof lim, "%d", limit);
    const char *params[1] = {lim};
    PGresult *res = PQexecPrepared(c, "db_shape_fold", 1, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
        rc = db_status_of(res, "db_shape_fold");
    else
        *n_out = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return rc;
}

int
db_shape_counts(PGconn *c, int64_t incident_id, struct arena *a, struct tally_group **out,
                int *n_out)
{
    char inc[24];
    int rc;

    snprintf(inc, sizeof inc, "%lld", (long long)incident_id);
    const char *params[1] = {inc};
    PGresult *res = PQexecPrepared(c, "db_shape_counts", 1, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = db_status_of(res, "db_shape_counts");
        goto cleanup;
    }
    rc = PQntuples(res);
    *out = groups_of(res, rc, 0, a);
    *n_out = rc;
cleanup:
    PQclear(res);
    return rc;
}

int
db_shape_cells(PGconn *c, int64_t incident_id, bool verified_only, struct arena *a,
               struct shape_cell **out, size_t *n_out)
{
    char inc[24];
    int rc;

    snprintf(inc, sizeof inc, "%lld", (long long)incident_id);
    const char *params[2] = {inc, ELIGIBLE(verified_only)};
    PGresult *res = PQexecPrepared(c, "db_shape_cells", 2, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = db_status_of(res, "db_shape_cells");
        goto cleanup;
    }
    rc = PQntuples(res);
    *out = arena_alloc(a, sizeof **out * (size_t)(rc > 0 ? rc : 1));
    for (int i = 0; i < rc; i++) {
        struct shape_cell *x = &(*out)[i];
        x->cash = PQgetvalue(res, i, 0)[0] == 't';
        x->categories = (category_set)strtoul(PQgetvalue(res, i, 1), NULL, 10);
        x->n = strtoll(PQgetvalue(res, i, 2), NULL, 10);
        x->loss_min = strtoll(PQgetvalue(res, i, 3), NULL, 10);
        x->loss_max = strtoll(PQgetvalue(res, i, 4), NULL, 10);
        x->hours_min = strtoll(PQgetvalue(res, i, 5), NULL, 10);
        x->hours_max = strtoll(PQgetvalue(res, i, 6), NULL, 10);
    }
    *n_out = (size_t)rc;
cleanup:
    PQclear(res);
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

/* Row i of the answer (ordered as dim_ranges wrote them) into its dimension's sums. */
static bool
add_row(const PGresult *res, int i, struct shape_sums *loss, struct shape_sums *hours)
{
    bool is_loss = i < LOSS_LEVELS + 1;
    int k = is_loss ? i : i - (LOSS_LEVELS + 1);
    int levels = is_loss ? LOSS_LEVELS : HOURS_LEVELS;
    struct shape_sums *d = is_loss ? loss : hours;
    int64_t n = strtoll(PQgetvalue(res, i, 1), NULL, 10);
    money_wide s;

    if (!parse_wide(PQgetvalue(res, i, 2), &s))
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

int
db_shape_sums(PGconn *c, int64_t incident_id, bool verified_only, int64_t loss_cap,
              int64_t hours_cap, struct shape_sums *loss, struct shape_sums *hours)
{
    struct pg_array cols[4];
    char inc[24];
    int rc = 1;

    memset(cols, 0, sizeof cols);
    memset(loss, 0, sizeof *loss);
    memset(hours, 0, sizeof *hours);
    dim_ranges(cols, "l", LOSS_LEVELS, loss_cap);
    dim_ranges(cols, "h", HOURS_LEVELS, hours_cap);
    snprintf(inc, sizeof inc, "%lld", (long long)incident_id);
    const char *params[6] = {inc,
                             pg_array_finish(&cols[0]),
                             pg_array_finish(&cols[1]),
                             pg_array_finish(&cols[2]),
                             pg_array_finish(&cols[3]),
                             ELIGIBLE(verified_only)};
    PGresult *res = PQexecPrepared(c, "db_shape_sums", 6, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = db_status_of(res, "db_shape_sums");
    } else if (PQntuples(res) != LOSS_LEVELS + HOURS_LEVELS + 2) {
        log_bug("db_shape_sums: %d rows", PQntuples(res));
        rc = DB_HARD;
    } else {
        for (int i = 0; i < PQntuples(res) && rc == 1; i++)
            if (!add_row(res, i, loss, hours)) {
                log_bug("db_shape_sums: a sum is not an integer");
                rc = DB_HARD;
            }
    }
    PQclear(res);
    for (int i = 0; i < 4; i++)
        pg_array_free(&cols[i]);
    return rc;
}
