/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Schema migrations: the loader of db-migrations/ and the runner that applies it under an
 * advisory lock. Invariants: a schema_migrations row is written in the same transaction as its
 * file's SQL, so a row exists iff the file's effects are committed; nothing is applied while
 * any applied row disagrees with its file. */
#include "db/migrate.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/xalloc.h"
#include "crypto/sha256.h"

static const char SELECT_APPLIED[] = "SELECT version, name, checksum\n"
                                     "FROM schema_migrations\n"
                                     "ORDER BY version";

static const char CREATE_TABLE[] =
    "CREATE TABLE schema_migrations (\n"
    "    version integer NOT NULL,\n"
    "    name text NOT NULL,\n"
    "    checksum char(64) NOT NULL,\n"
    "    applied_at timestamptz NOT NULL DEFAULT now(),\n"
    "    CONSTRAINT schema_migrations_pkey PRIMARY KEY (version),\n"
    "    CONSTRAINT schema_migrations_checksum_hex CHECK (checksum ~ '^[0-9a-f]{64}$')\n"
    ");\n"
    "COMMENT ON TABLE schema_migrations IS 'db-migrations/ files applied by recours migrate, "
    "one row per file, written in the transaction that ran the file';\n"
    "COMMENT ON COLUMN schema_migrations.version IS 'the NNNN prefix of the file name';\n"
    "COMMENT ON COLUMN schema_migrations.name IS 'the file name when it was applied';\n"
    "COMMENT ON COLUMN schema_migrations.checksum IS 'SHA-256 (hex) of the file bytes when "
    "applied; a file that no longer matches stops migrate and serve'";

static const char INSERT_APPLIED[] = "INSERT INTO schema_migrations (version, name, checksum)\n"
                                     "VALUES ($1, $2, $3)";

/* ^[0-9]{4}_[a-z0-9_]+\.sql$ */
static bool
parse_name(const char *name, int *version_out)
{
    size_t len = strlen(name);

    if (len < sizeof "0000_x.sql" - 1 || name[4] != '_' || strcmp(name + len - 4, ".sql") != 0)
        return false;
    for (size_t i = 0; i < 4; i++)
        if (name[i] < '0' || name[i] > '9')
            return false;
    for (size_t i = 5; i < len - 4; i++)
        if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
              name[i] == '_'))
            return false;
    *version_out = (name[0] - '0') * 1000 + (name[1] - '0') * 100 + (name[2] - '0') * 10 +
                   (name[3] - '0');
    return true;
}

/* The whole file as a NUL-terminated string; PQexec stops at a NUL, so a file holding one
 * would run other SQL than its checksum covers. */
static bool
read_sql_file(const char *path, struct migration *m)
{
    FILE *f = NULL;
    struct stat st;
    char *buf = NULL;
    size_t len;
    bool ok = false;

    f = fopen(path, "rb");
    if (f == NULL || fstat(fileno(f), &st) != 0) {
        fprintf(stderr, "migrate: could not read %s: %s\n", path, strerror(errno));
        goto cleanup;
    }
    if (!S_ISREG(st.st_mode)) {
        fprintf(stderr, "migrate: %s is not a regular file\n", path);
        goto cleanup;
    }
    len = (size_t)st.st_size;
    buf = xmalloc(len + 1);
    if (fread(buf, 1, len, f) != len || fgetc(f) != EOF) {
        fprintf(stderr, "migrate: could not read %s: %s\n", path,
                ferror(f) ? strerror(errno) : "file changed while being read");
        goto cleanup;
    }
    buf[len] = '\0';
    if (strlen(buf) != len) {
        fprintf(stderr, "migrate: %s contains a NUL byte\n", path);
        goto cleanup;
    }
    if (!sha256_hex(buf, len, m->checksum)) {
        fprintf(stderr, "migrate: could not hash %s\n", path);
        goto cleanup;
    }
    m->sql = buf;
    buf = NULL;
    ok = true;
cleanup:
    free(buf);
    if (f != NULL)
        fclose(f);
    return ok;
}

static int
by_version(const void *a, const void *b)
{
    const struct migration *x = a, *y = b;

    return (x->version > y->version) - (x->version < y->version);
}

/* Reads the matching entries of d into set; false after saying why. */
static bool
load_entries(const char *dir, DIR *d, struct migration_set *set)
{
    size_t cap = 0;
    struct dirent *e;
    int version;

    for (errno = 0; (e = readdir(d)) != NULL; errno = 0) {
        if (!parse_name(e->d_name, &version))
            continue;
        if (set->n == cap) {
            cap = cap ? 2 * cap : 16;
            set->items = xrealloc(set->items, cap * sizeof *set->items);
        }
        struct migration *m = &set->items[set->n++];
        *m = (struct migration){.version = version, .name = xstrdup(e->d_name)};
        char *path = NULL;
        if (asprintf(&path, "%s/%s", dir, e->d_name) < 0)
            abort(); /* allocation failure, as xmalloc */
        bool ok = read_sql_file(path, m);
        free(path);
        if (!ok)
            return false;
    }
    if (errno != 0) {
        fprintf(stderr, "migrate: could not list %s: %s\n", dir, strerror(errno));
        return false;
    }
    return true;
}

bool
migration_set_load(const char *dir, struct migration_set *out)
{
    struct migration_set set = {0};
    DIR *d = NULL;
    bool ok = false;

    *out = (struct migration_set){0};
    d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "migrate: could not open migrations directory %s: %s\n", dir,
                strerror(errno));
        goto cleanup;
    }
    if (!load_entries(dir, d, &set))
        goto cleanup;
    if (set.n > 1)
        qsort(set.items, set.n, sizeof *set.items, by_version);
    for (size_t i = 1; i < set.n; i++) {
        if (set.items[i].version == set.items[i - 1].version) {
            fprintf(stderr, "migrate: %s and %s have the same version %04d in %s\n",
                    set.items[i - 1].name, set.items[i].name, set.items[i].version, dir);
            goto cleanup;
        }
    }
    *out = set;
    set = (struct migration_set){0};
    ok = true;
cleanup:
    if (d != NULL)
        closedir(d);
    migration_set_free(&set);
    return ok;
}

void
migration_set_free(struct migration_set *set)
{
    if (set == NULL)
        return;
    for (size_t i = 0; i < set->n; i++) {
        free(set->items[i].name);
        free(set->items[i].sql);
    }
    free(set->items);
    *set = (struct migration_set){0};
}

/* "migrate: <what>: <server message>", the message carrying severity, SQLSTATE and position. */
static void
report_pg_error(PGconn *c, const PGresult *res, const char *what)
{
    const char *msg = res != NULL ? PQresultErrorMessage(res) : "";
    const char *sqlstate = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

    if (msg[0] == '\0')
        msg = PQerrorMessage(c);
    if (msg[0] == '\0')
        msg = PQresStatus(PQresultStatus(res)); /* e.g. a COPY from the client */
    fprintf(stderr, "migrate: %s (SQLSTATE %s): %s%s", what, sqlstate ? sqlstate : "none", msg,
            msg[strlen(msg) - 1] == '\n' ? "" : "\n");
}

static int
row_version(const PGresult *res, int row)
{
    return (int)strtol(PQgetvalue(res, row, 0), NULL, 10);
}

/* Counts the rows of SELECT_APPLIED that do not match a file of set, describing each on why
 * (NULL: silently). */
static size_t
count_mismatches(const PGresult *res, const struct migration_set *set, FILE *why)
{
    size_t bad = 0;

    for (int row = 0; row < PQntuples(res); row++) {
        struct migration key = {.version = row_version(res, row)};
        const struct migration *m = set->n == 0 ? NULL
                                                : bsearch(&key, set->items, set->n,
                                                          sizeof *set->items, by_version);
        const char *name = PQgetvalue(res, row, 1), *sum = PQgetvalue(res, row, 2);

        if (m != NULL && strcmp(m->name, name) == 0 && strcmp(m->checksum, sum) == 0)
            continue;
        bad++;
        if (why == NULL)
            continue;
        if (m == NULL)
            fprintf(why, "migrate: %s was applied but its file is gone (applied checksum %.12s)\n",
                    name, sum);
        else if (strcmp(m->name, name) != 0)
            fprintf(why, "migrate: %s changed: version %04d was applied as %s (applied checksum "
                         "%.12s, file now %.12s)\n",
                    m->name, m->version, name, sum, m->checksum);
        else
            fprintf(why, "migrate: %s changed since it was applied (applied checksum %.12s, "
                         "file now %.12s)\n",
                    m->name, sum, m->checksum);
    }
    return bad;
}

enum migrate_state
db_migrate_check(PGconn *c, const struct migration_set *set)
{
    PGresult *res = PQexec(c, SELECT_APPLIED);
    enum migrate_state state = MIGRATE_ERROR;

    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        const char *sqlstate = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        if (sqlstate != NULL && strcmp(sqlstate, "42P01") == 0)
            state = MIGRATE_PENDING; /* undefined_table: never migrated */
        goto cleanup;
    }
    if (PQnfields(res) != 3)
        goto cleanup;
    if (count_mismatches(res, set, NULL) > 0)
        state = MIGRATE_CHANGED;
    else /* every row matches a distinct file */
        state = (size_t)PQntuples(res) < set->n ? MIGRATE_PENDING : MIGRATE_CURRENT;
cleanup:
    PQclear(res);
    return state;
}

/* Runs a one-row, one-column boolean query into *value_out; false, reported as what, when it
 * does not answer one. */
static bool
bool_query(PGconn *c, const char *sql, int n, const char *const *params, const char *what,
           bool *value_out)
{
    PGresult *res = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
    bool ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
              PQnfields(res) == 1;

    if (ok)
        *value_out = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    else
        report_pg_error(c, res, what);
    PQclear(res);
    return ok;
}

/* A boolean query about the advisory lock into *value_out. */
static bool
lock_query(PGconn *c, const char *sql, bool *value_out)
{
    char key[24];
    const char *params[] = {key};

    snprintf(key, sizeof key, "%" PRId64, MIGRATE_ADVISORY_LOCK_KEY);
    return bool_query(c, sql, 1, params, "could not use the migration lock", value_out);
}

static bool
lock_migrations(PGconn *c, FILE *report)
{
    bool got = false;

    if (!lock_query(c, "SELECT pg_try_advisory_lock($1::bigint)", &got))
        return false;
    if (got)
        return true;
    fprintf(report, "waiting for another migrate to finish\n");
    fflush(report);
    return lock_query(c, "SELECT pg_advisory_lock($1::bigint) IS NOT NULL", &got);
}

static bool
unlock_migrations(PGconn *c)
{
    bool held = false;

    if (PQstatus(c) != CONNECTION_OK)
        return false; /* the session, and its lock, are gone */
    if (!lock_query(c, "SELECT pg_advisory_unlock($1::bigint)", &held))
        return false;
    if (!held)
        fprintf(stderr, "migrate: the migration lock was not held\n");
    return held;
}

/* Creates schema_migrations unless it exists; the lock makes check-then-create safe, and
 * checking first avoids the server's "already exists" notice on every run. */
static bool
ensure_table(PGconn *c)
{
    bool exists = false;

    if (!bool_query(c, "SELECT to_regclass('schema_migrations') IS NOT NULL", 0, NULL,
                    "could not look for schema_migrations", &exists))
        return false;
    if (exists)
        return true;
    /* several statements in one PQexec run as one implicit transaction */
    PGresult *res = PQexec(c, CREATE_TABLE);
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;

    if (!ok)
        report_pg_error(c, res, "could not create schema_migrations");
    PQclear(res);
    return ok;
}

/* After a failed step: leaves COPY mode if a file started one, then rolls back. */
static void
abandon_transaction(PGconn *c, ExecStatusType st)
{
    PGresult *res;
    char *buf;

    if (st == PGRES_COPY_IN)
        (void)PQputCopyEnd(c, "COPY from the client is not supported in migrations");
    else if (st == PGRES_COPY_OUT)
        while (PQgetCopyData(c, &buf, 0) > 0)
            PQfreemem(buf);
    while ((res = PQgetResult(c)) != NULL)
        PQclear(res);
    if (PQstatus(c) != CONNECTION_OK || PQtransactionStatus(c) == PQTRANS_IDLE)
        return;
    res = PQexec(c, "ROLLBACK");
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        report_pg_error(c, res, "could not roll back");
    PQclear(res);
}

static bool
is_script_ok(ExecStatusType st)
{
    /* the status of the file's last statement; an earlier failure stops the file there */
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY;
}

/* BEGIN; the hook of the file, if any; the file; its schema_migrations row; COMMIT. On
 * failure nothing of it remains. */
static bool
apply_one(PGconn *c, const struct migration *m, const struct migrate_hook *hook)
{
    char version[16], failed[300];
    const char *params[] = {version, m->name, m->checksum};
    PGresult *res = NULL;
    ExecStatusType st = PGRES_COMMAND_OK;
    bool ok = false;

    snprintf(version, sizeof version, "%d", m->version);
    snprintf(failed, sizeof failed, "%s failed and was rolled back", m->name);
    res = PQexec(c, "BEGIN");
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        report_pg_error(c, res, "could not begin a transaction");
        goto cleanup;
    }
    PQclear(res);
    res = NULL;
    if (hook != NULL && hook->version == m->version && !hook->run(c, hook->ctx)) {
        fprintf(stderr, "migrate: %s\n", failed);
        goto cleanup;
    }
    res = PQexec(c, m->sql);
    st = PQresultStatus(res);
    if (!is_script_ok(st)) {
        report_pg_error(c, res, failed);
        goto cleanup;
    }
    if (PQtransactionStatus(c) != PQTRANS_INTRANS) {
        fprintf(stderr, "migrate: %s ended the runner's transaction: migrations must not "
                        "contain BEGIN, COMMIT or ROLLBACK (what it committed stays)\n",
                m->name);
        goto cleanup;
    }
    PQclear(res);
    res = PQexecParams(c, INSERT_APPLIED, 3, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK || strcmp(PQcmdTuples(res), "1") != 0) {
        report_pg_error(c, res, "could not record the migration in schema_migrations");
        goto cleanup;
    }
    PQclear(res);
    res = PQexec(c, "COMMIT");
    /* COMMIT of an aborted transaction answers COMMAND_OK with the tag ROLLBACK */
    if (PQresultStatus(res) != PGRES_COMMAND_OK || strcmp(PQcmdStatus(res), "COMMIT") != 0) {
        report_pg_error(c, res, failed);
        goto cleanup;
    }
    ok = true;
cleanup:
    PQclear(res);
    if (!ok)
        abandon_transaction(c, st);
    return ok;
}

/* Under the lock: verifies the applied rows, then applies what is pending. */
static int
migrate_locked(PGconn *c, const struct migration_set *set, const struct migrate_hook *hook,
               FILE *report)
{
    PGresult *res = NULL;
    int n_applied = 0, rc = -1;
    size_t bad, row = 0;

    if (!ensure_table(c))
        goto cleanup;
    res = PQexec(c, SELECT_APPLIED);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQnfields(res) != 3) {
        report_pg_error(c, res, "could not read schema_migrations");
        goto cleanup;
    }
    bad = count_mismatches(res, set, stderr);
    if (bad > 0) {
        fprintf(stderr, "migrate: %zu applied migration(s) do not match their files; nothing "
                        "applied (applied files are never edited: restore them and add a new "
                        "migration)\n",
                bad);
        goto cleanup;
    }
    /* both sorted by version, and every row matches a file: a merge walk finds the pending */
    for (size_t i = 0; i < set->n; i++) {
        const struct migration *m = &set->items[i];
        if (row < (size_t)PQntuples(res) && row_version(res, (int)row) == m->version) {
            row++;
            continue;
        }
        if (!apply_one(c, m, hook)) {
            fprintf(stderr, "migrate: stopped at %s; %d applied before it\n", m->name, n_applied);
            goto cleanup;
        }
        n_applied++;
        fprintf(report, "applied %s\n", m->name);
        fflush(report);
    }
    fprintf(report, "migrations: %d applied, %zu already current\n", n_applied, row);
    rc = n_applied;
cleanup:
    PQclear(res);
    return rc;
}

int
db_migrate_apply(PGconn *c, const struct migration_set *set, const struct migrate_hook *hook,
                 FILE *report)
{
    int rc;

    if (!lock_migrations(c, report))
        return -1;
    rc = migrate_locked(c, set, hook, report);
    if (!unlock_migrations(c))
        rc = -1;
    return rc;
}
