/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The running servers and the newest data key each has loaded (server_nodes, migration 0029):
 * written by each server's secrets watcher, read by rotate-data-key before it re-encrypts. */
#ifndef RECOURS_DB_NODES_H
#define RECOURS_DB_NODES_H

#include <libpq-fe.h>

#include "db/pool.h"

struct arena;

/* A server seen alive. */
struct node_seen {
    const char *host; /* in the arena */
    int pid;
    int data_key_id; /* the newest key it has loaded */
    int seen_s_ago;  /* its last heartbeat, in whole seconds, by the database's clock */
};

extern const struct db_statement db_nodes_statements[];

/* Records that the server node_id (a UUID made at its start) on host, process pid, is alive
 * and has loaded up to data key key_id; seen_at is now(). 1 or DB_*. */
int db_nodes_report(PGconn *c, const char *node_id, const char *host, int pid, int key_id);

/* Deletes the rows of servers not seen for a day (killed without a clean stop). Count or DB_*. */
int db_nodes_forget_gone(PGconn *c);

/* Deletes node_id's row (its clean stop). Count or DB_*. */
int db_nodes_remove(PGconn *c, const char *node_id);

/* The servers whose heartbeat is younger than fresh_s seconds, those whose newest key is older
 * than key_id first, then by host and pid: up to max into out (strings in a). Their count
 * (all of them, beyond max too) or DB_*. */
int db_nodes_alive(PGconn *c, int key_id, int fresh_s, struct arena *a, struct node_seen *out,
                   int max);

#endif
