/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Schema migrations: loads db-migrations/NNNN_name.sql, applies the pending ones in version
 * order, each in its own transaction with its schema_migrations row, and refuses to go on when
 * an applied file changed or vanished. Applied files are identified by version and checked by
 * the SHA-256 of their bytes; the table is the only record of what ran. */
#ifndef RECOURS_DB_MIGRATE_H
#define RECOURS_DB_MIGRATE_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Key of the session-level advisory lock serialising `recours migrate` runs on one database:
 * "recoursM" in ASCII. Nothing else in recours may use it. */
#define MIGRATE_ADVISORY_LOCK_KEY INT64_C(0x7265636f7572734d)

struct migration {
    int version;       /* the NNNN prefix */
    char *name;        /* file name, e.g. "0001_incidents.sql" */
    char checksum[65]; /* lower-case SHA-256 hex of the file bytes */
    char *sql;         /* the file bytes, NUL-terminated (a file with a NUL byte is refused) */
};

struct migration_set {
    struct migration *items; /* sorted by version, versions unique */
    size_t n;
};

enum migrate_state {
    MIGRATE_CURRENT, /* every file applied, every applied row matches its file */
    MIGRATE_PENDING, /* some files not applied yet (or no schema_migrations table) */
    MIGRATE_CHANGED, /* an applied file was edited, renamed or removed: never serve */
    MIGRATE_ERROR,   /* the query failed: PQerrorMessage(c) says why */
};

/* Reads every file of dir whose name matches ^[0-9]{4}_[a-z0-9_]+\.sql$ (others are ignored)
 * into *out, sorted by version; gaps in the numbering are allowed, two files with one version
 * are not. On failure says why on stderr, naming the file, and leaves *out empty. The caller
 * owns *out and frees it with migration_set_free. */
bool migration_set_load(const char *dir, struct migration_set *out);

/* Frees what migration_set_load allocated and empties *set; accepts NULL and an empty set. */
void migration_set_free(struct migration_set *set);

/* Work a migration needs done in C, e.g. with a key the database never sees: run(c, ctx) is
 * called inside the transaction of the file numbered version, just before the file runs; false
 * rolls the file back and stops the run (run says why on stderr). Called only when that file
 * is applied, so at most once per database. */
struct migrate_hook {
    int version;
    bool (*run)(PGconn *c, void *ctx);
    void *ctx;
};

/* With hook (or NULL), applies the pending migrations of set on c, holding the advisory lock
 * MIGRATE_ADVISORY_LOCK_KEY for the whole run (a concurrent run waits, then finds nothing left to
 * do); creates schema_migrations if missing. Before applying anything, every applied row is
 * checked against the files: a changed, renamed or missing file stops the run with nothing
 * applied. Each pending file runs in its own transaction together with its schema_migrations
 * row; the first failing file is rolled back and stops the run (earlier files stay applied).
 * Writes "applied <file>" lines and a final count to report; errors go to stderr as
 * "migrate: ...". c must be idle (no transaction open). Returns the number of files applied, or
 * -1. The lock is released on every path. */
int db_migrate_apply(PGconn *c, const struct migration_set *set,
                     const struct migrate_hook *hook, FILE *report);

/* Compares schema_migrations with set in one read-only query, without the lock: cheap enough
 * for every /readyz. set is only read, so one loaded set can serve every worker thread. A
 * missing schema_migrations table is MIGRATE_PENDING. Prints nothing; on
 * MIGRATE_ERROR, PQerrorMessage(c) holds the reason. Call it outside a transaction block (a
 * missing table would abort the transaction). */
enum migrate_state db_migrate_check(PGconn *c, const struct migration_set *set);

#endif
