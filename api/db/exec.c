/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Shared statement runners (see exec.h). */
#include "db/exec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "crypto/sha256.h" /* hex_encode */
#include "db/errors.h"
#include "db/pipeline.h"
#include "db/prepared.h"

bool
db_read_text(const PGresult *res, int row, struct arena *a, void *out)
{
    *(const char **)out = arena_strdup(a, PQgetvalue(res, row, 0));
    return true;
}

bool
db_read_int64(const PGresult *res, int row, struct arena *a, void *out)
{
    (void)a;
    *(int64_t *)out = db_int64_at(res, row, 0);
    return true;
}

const char *
db_text_at(struct arena *a, const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL : arena_strdup(a, PQgetvalue(res, row, col));
}

void
db_texts_at(struct arena *a, const PGresult *res, int row, int col, const char **const fields[],
            size_t n)
{
    for (size_t i = 0; i < n; i++)
        *fields[i] = db_text_at(a, res, row, col + (int)i);
}

int64_t
db_int64_at(const PGresult *res, int row, int col)
{
    return strtoll(PQgetvalue(res, row, col), NULL, 10);
}

bool
db_bool_at(const PGresult *res, int row, int col)
{
    return PQgetvalue(res, row, col)[0] == 't';
}

bool
db_bytea_at(struct arena *a, const PGresult *res, int row, int col, uint8_t **out, size_t *len)
{
    size_t n = 0;

    *out = NULL;
    *len = 0;
    if (PQgetisnull(res, row, col))
        return true;
    unsigned char *raw = PQunescapeBytea((const unsigned char *)PQgetvalue(res, row, col), &n);
    if (raw == NULL)
        return false;
    *out = arena_alloc(a, n);
    memcpy(*out, raw, n);
    *len = n;
    PQfreemem(raw);
    return true;
}

int
db_exec_query(PGconn *c, const char *stmt, int n, const char *const *params, const int *lengths,
              const int *formats, int result_format, PGresult **res_out)
{
    PGresult *res = db_exec_prepared(c, stmt, n, params, lengths, formats, result_format);

    *res_out = NULL;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        int rc = db_status_of(res, stmt);
        PQclear(res);
        return rc;
    }
    *res_out = res;
    return PQntuples(res);
}

/* db_exec_query with text parameters and results. */
static int
run_query(PGconn *c, const char *stmt, int n, const char *const *params, PGresult **res_out)
{
    return db_exec_query(c, stmt, n, params, NULL, NULL, 0, res_out);
}

int
db_exec_one(PGconn *c, const char *stmt, int n, const char *const *params, db_row_reader read,
            struct arena *a, void *out)
{
    PGresult *res;
    int rc = run_query(c, stmt, n, params, &res);

    if (rc == 1 && !read(res, 0, a, out))
        rc = DB_HARD;
    PQclear(res);
    return rc;
}

int
db_exec_rows(PGconn *c, const char *stmt, int n, const char *const *params, db_row_reader read,
             struct arena *a, void *out, size_t elem, int max)
{
    PGresult *res;
    int rc = run_query(c, stmt, n, params, &res);

    for (int i = 0; i < rc && i < max; i++)
        if (!read(res, i, a, (char *)out + (size_t)i * elem)) {
            rc = DB_HARD;
            break;
        }
    PQclear(res);
    return rc;
}

int
db_exec_page(PGconn *c, const char *stmt, int n, const char *const *params, db_row_reader read,
             struct arena *a, void *out, size_t elem, int max, int *n_out)
{
    const char *all[DB_PAGE_PARAMS_MAX + 1];
    char limit[16];
    int rc = DB_HARD;

    if (n >= 0 && n <= DB_PAGE_PARAMS_MAX) {
        memcpy(all, params, (size_t)n * sizeof *params);
        snprintf(limit, sizeof limit, "%d", max);
        all[n] = limit;
        rc = db_exec_rows(c, stmt, n + 1, all, read, a, out, elem, max);
    }
    *n_out = rc < 0 ? 0 : rc < max ? rc : max;
    return rc;
}

int
db_exec_all(PGconn *c, const char *stmt, int n, const char *const *params, db_row_reader read,
            struct arena *a, size_t elem, void **rows_out)
{
    PGresult *res;
    int rc = run_query(c, stmt, n, params, &res);

    *rows_out = arena_alloc(a, elem * (size_t)(rc > 0 ? rc : 1));
    for (int i = 0; i < rc; i++)
        if (!read(res, i, a, (char *)*rows_out + (size_t)i * elem)) {
            rc = DB_HARD;
            break;
        }
    PQclear(res);
    return rc;
}

int
db_exec_text_into(PGconn *c, const char *stmt, int n, const char *const *params, char *out,
                  size_t size)
{
    PGresult *res;
    int rc = run_query(c, stmt, n, params, &res);

    if (rc == 1)
        snprintf(out, size, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return rc;
}

int
db_exec_int64(PGconn *c, const char *stmt, int n, const char *const *params, int64_t *out)
{
    PGresult *res;
    int rc = run_query(c, stmt, n, params, &res);

    if (rc == 1)
        *out = db_int64_at(res, 0, 0);
    else if (rc >= 0)
        rc = DB_HARD;
    PQclear(res);
    return rc;
}

const char *
db_int64_text(int64_t v, char buf[DB_INT64_TEXT])
{
    snprintf(buf, DB_INT64_TEXT, "%lld", (long long)v);
    return buf;
}

int
db_command_result(PGresult *res, const char *stmt)
{
    int rc;

    ExecStatusType st = PQresultStatus(res);

    /* a SELECT run for its effect (an advisory lock) answers rows: its count, as a command's */
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        rc = db_status_of(res, stmt);
    else
        rc = atoi(PQcmdTuples(res));
    PQclear(res);
    return rc;
}

int
db_exec_command(PGconn *c, const char *stmt, int n, const char *const *params)
{
    if (db_pipeline_on(c))
        return db_pipeline_send(c, stmt, n, params); /* its answer read at db_pipeline_end */
    return db_command_result(db_exec_prepared(c, stmt, n, params, NULL, NULL, 0), stmt);
}

int
db_exec_store_sealed(PGconn *c, const char *stmt, const char *id, const uint8_t *box,
                     size_t len, int key_id)
{
    char key[16];
    char *hex = malloc(2 * len + 1);

    if (hex == NULL)
        return DB_HARD;
    hex_encode(box, len, hex);
    snprintf(key, sizeof key, "%d", key_id);
    const char *params[3] = {id, hex, key};
    int rc = db_exec_command(c, stmt, 3, params);
    free(hex);
    return rc;
}

int
db_exec_one_id(PGconn *c, const char *stmt, int64_t id, db_row_reader read, struct arena *a,
               void *out)
{
    char text[DB_INT64_TEXT];
    const char *params[1] = {db_int64_text(id, text)};

    return db_exec_one(c, stmt, 1, params, read, a, out);
}

int
db_exec_command_id(PGconn *c, const char *stmt, int64_t id)
{
    char text[DB_INT64_TEXT];
    const char *params[1] = {db_int64_text(id, text)};

    return db_exec_command(c, stmt, 1, params);
}
