/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* recours rotate-data-key: appends a new data key, waits until every running server has
 * loaded it (each watches data-keys and records the newest key it has in server_nodes:
 * cli/secrets_watch.c), then re-encrypts every sealed row under it in small locked batches,
 * while the servers keep serving. Passes repeat until no row is left under an older key (a
 * request that took the old keys before its server reloaded may still seal with them, and a
 * row a claimant's change holds is skipped). */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/db_open.h"
#include "cli/secrets_watch.h"
#include "core/arena.h"
#include "core/clock.h"
#include "crypto/data_keys.h"
#include "crypto/pii_box.h"
#include "crypto/secrets.h"
#include "db/errors.h"
#include "db/nodes.h"
#include "db/pool.h"
#include "db/rotate.h"
#include "service/claims_seal.h"
#include "service/tx.h"

#define BATCH 500
#define MAX_PASSES 10
#define POLL_NS 100000000L /* 100 ms between two looks at server_nodes */
#define MAX_NAMED 32       /* servers named in a message; the count says the rest */
#define SETTLE_NS 1000000000L /* see reencrypt */

struct batch {
    const struct secrets *s;
    enum sealed_table t;
    int key_id;
    struct arena *a;
    struct sealed_row rows[BATCH];
    int moved;
};

/* Reseals one batch of the table; commits when it moved rows. */
static int
move_body(PGconn *c, struct tx *t, void *ctx)
{
    struct batch *b = ctx;
    int n = db_rotate_fetch(c, b->t, b->key_id, BATCH, b->a, b->rows);

    if (n < 0)
        return n;
    for (int i = 0; i < n; i++) {
        const struct sealed_row *r = &b->rows[i];
        size_t len = 0;
        int used = 0;
        char *plain = claims_open(b->s, b->a, r->data_key_id, (const char *)r->aad, r->aad_len,
                                  r->box, r->box_len);
        if (plain == NULL) {
            fprintf(stderr, "rotate: a row of %s cannot be opened with key %d (unknown key or "
                            "damaged data); stopping\n",
                    db_rotate_table_name(b->t), r->data_key_id);
            return DB_HARD;
        }
        const uint8_t *box = claims_seal(b->s, b->a, (const char *)r->aad, r->aad_len, plain,
                                         r->box_len - PII_BOX_OVERHEAD, &len, &used);
        if (box == NULL || used != b->key_id)
            return DB_HARD;
        int rc = db_rotate_store(c, b->t, r->id, box, len, b->key_id);
        if (rc != 1)
            return rc < 0 ? rc : DB_HARD;
    }
    b->moved = n;
    return n > 0 ? n : tx_answer(t, OUTCOME_OK); /* nothing left: nothing to commit */
}

/* Reseals one batch of table in its own transaction; rows moved, or -1. */
static int
move_batch(PGconn *c, const struct secrets *s, enum sealed_table t, int key_id)
{
    struct batch b = {.s = s, .t = t, .key_id = key_id, .a = arena_new()};
    int moved = svc_tx_run(c, "rotate", TX_READ_WRITE, move_body, &b) == OUTCOME_OK ? b.moved : -1;

    arena_free(b.a);
    return moved;
}

/* One pass over every table; total rows moved, or -1. */
static int64_t
pass(PGconn *c, const struct secrets *s, int key_id, int64_t moved[SEALED_TABLE_COUNT])
{
    int64_t total = 0;

    for (int t = 0; t < SEALED_TABLE_COUNT; t++) {
        int n;
        while ((n = move_batch(c, s, (enum sealed_table)t, key_id)) > 0) {
            moved[t] += n;
            total += n;
        }
        if (n < 0)
            return -1;
    }
    return total;
}

static int64_t
remaining(PGconn *c, int key_id)
{
    int64_t sum = 0;

    for (int t = 0; t < SEALED_TABLE_COUNT; t++) {
        int64_t n = 0;
        if (db_rotate_remaining(c, (enum sealed_table)t, key_id, &n) != 1)
            return -1;
        sum += n;
    }
    return sum;
}

/* Re-encrypts until a pass ends with no row under an older key, SETTLE_NS at least after every
 * server reported key_id: a request that took the old keys before its server reloaded (a
 * claim sealed, waiting for its intake writer's commit) may still write a row under them. */
static int
reencrypt(PGconn *c, const struct secrets *s, int key_id)
{
    int64_t moved[SEALED_TABLE_COUNT] = {0};
    int rc = 1;
    int64_t settled = clock_monotonic_ns() + SETTLE_NS;

    for (int p = 0; p < MAX_PASSES; p++) {
        if (pass(c, s, key_id, moved) < 0)
            goto cleanup;
        int64_t left = remaining(c, key_id);
        int64_t early = settled - clock_monotonic_ns(); /* ns */
        if (left == 0 && early <= 0) {
            rc = 0;
            break;
        }
        if (left < 0)
            goto cleanup;
        if (left > 0)
            sleep(1); /* rows skipped (a claimant's change held them) or sealed meanwhile */
        else
            nanosleep(&(struct timespec){.tv_sec = (time_t)(early / 1000000000),
                                         .tv_nsec = (long)(early % 1000000000)},
                      NULL);
    }
    for (int t = 0; t < SEALED_TABLE_COUNT; t++)
        printf("rotate: %s: %lld rows re-encrypted\n", db_rotate_table_name((enum sealed_table)t),
               (long long)moved[t]);
    if (rc == 0)
        printf("rotate: every sealed row uses key %d; older keys only open backups now: keep "
               "data-keys whole, and back up the secrets directory again (docs/operating.md)\n",
               key_id);
    else
        fprintf(stderr, "rotate: rows under older keys remain; run the command again\n");
cleanup:
    return rc;
}

/* The servers of seen[0..n_read) (of n alive, laggards first) that have not loaded key_id,
 * one line each, after a line that says how many. */
static void
name_laggards(const struct node_seen *seen, int n_read, int n, int key_id, int wait_s)
{
    int behind = 0;

    while (behind < n_read && seen[behind].data_key_id < key_id)
        behind++;
    fprintf(stderr,
            "rotate: after %d s, %d%s of %d running servers had not loaded data key %d; nothing "
            "was re-encrypted:\n",
            wait_s, behind, behind == n_read && n > n_read ? " or more" : "", n, key_id);
    for (int i = 0; i < behind; i++)
        fprintf(stderr, "rotate:   %s pid %d has key %d (seen %d s ago)\n", seen[i].host,
                seen[i].pid, seen[i].data_key_id, seen[i].seen_s_ago);
    fprintf(stderr,
            "rotate: a server reads the data-keys of its --secrets-dir every %d s: each named "
            "needs this file there (a copy of the directory must be updated); one stopped "
            "without a clean shutdown stops counting %d s after its last heartbeat. Key %d stays "
            "in data-keys; run rotate-data-key again then (it adds a key and re-encrypts under "
            "that one)\n",
            SECRETS_WATCH_INTERVAL_S, SECRETS_WATCH_STALE_S, key_id);
}

/* Waits until every server seen alive lately (server_nodes, heartbeat younger than
 * SECRETS_WATCH_STALE_S) has loaded key_id, looking every 100 ms; true at once when none runs.
 * False, with a message, after wait_s seconds or when the table cannot be read. */
static bool
servers_loaded(PGconn *c, int key_id, int wait_s)
{
    int64_t until = clock_monotonic_ns() + (int64_t)wait_s * 1000000000;

    for (;;) {
        struct arena *a = arena_new();
        struct node_seen seen[MAX_NAMED];
        int n = db_nodes_alive(c, key_id, SECRETS_WATCH_STALE_S, a, seen, MAX_NAMED);
        bool done = n == 0 || (n > 0 && seen[0].data_key_id >= key_id); /* laggards first */
        bool late = !done && n > 0 && clock_monotonic_ns() >= until;
        if (n == 0)
            printf("rotate: no running server has recorded itself; re-encrypting at once\n");
        else if (done)
            printf("rotate: the %d running server%s loaded data key %d\n", n,
                   n == 1 ? " has" : "s have", key_id);
        else if (n < 0)
            fprintf(stderr,
                    "rotate: could not read which servers have loaded data key %d; "
                    "nothing was re-encrypted\n",
                    key_id);
        else if (late)
            name_laggards(seen, n < MAX_NAMED ? n : MAX_NAMED, n, key_id, wait_s);
        arena_free(a);
        if (done || n < 0 || late)
            return done;
        nanosleep(&(struct timespec){.tv_nsec = POLL_NS}, NULL);
    }
}

int
cli_rotate_data_key(const struct config *cfg)
{
    struct secrets s;
    int key_id = 0;

    if (cfg->database_url == NULL) {
        fprintf(stderr, "rotate: set DATABASE_URL (or --database-url) to the database's URL\n");
        return 2;
    }
    /* the database first: a key appended for a database out of reach re-encrypts nothing, and
     * each attempt would add another */
    PGconn *c = cli_db_open(cfg, "rotate", cfg->db_statement_timeout_ms);
    if (c == NULL)
        return 1;
    if (!data_keys_append(cfg->secrets_dir, &key_id)) {
        PQfinish(c);
        return 1;
    }
    printf("rotate: added data key %d to %s/data-keys\n", key_id, cfg->secrets_dir);
    /* the key is in the file whatever stdout does: the rows are re-encrypted all the same,
     * and the run fails at its end so that nobody takes it for a quiet success */
    bool told =
        cli_stdout_flushed("rotate", "data key %d was added; re-encrypting under it", key_id);
    int rc = 1;
    if (servers_loaded(c, key_id, cfg->rotate_wait_s) && secrets_load(cfg->secrets_dir, &s)) {
        rc = reencrypt(c, &s, key_id);
        secrets_wipe(&s);
    }
    PQfinish(c);
    if (!cli_stdout_flushed("rotate", "the report of the re-encryption is lost") || !told)
        rc = 1;
    return rc;
}
