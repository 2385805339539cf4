/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The server_nodes statements (see nodes.h). Times by the database's clock on both sides, so
 * that the hosts' clocks never decide whether a server counts as alive. */
#include "db/nodes.h"

#include <stdio.h>

#include "db/errors.h"
#include "db/exec.h"

const struct db_statement db_nodes_statements[] = {
    {"db_nodes_report",
     "INSERT INTO server_nodes (node_id, host, pid, data_key_id)"
     " VALUES ($1::uuid, $2, $3::int, $4::smallint)"
     " ON CONFLICT (node_id) DO UPDATE SET data_key_id = EXCLUDED.data_key_id, seen_at = now()",
     4},
    {"db_nodes_forget_gone", "DELETE FROM server_nodes WHERE seen_at < now() - interval '1 day'",
     0},
    {"db_nodes_remove", "DELETE FROM server_nodes WHERE node_id = $1::uuid", 1},
    {"db_nodes_alive",
     "SELECT host, pid, data_key_id, floor(extract(epoch FROM now() - seen_at))::int"
     " FROM server_nodes"
     " WHERE seen_at > now() - make_interval(secs => $2::int)"
     " ORDER BY data_key_id < $1::smallint DESC, host, pid",
     2},
    {NULL, NULL, 0},
};

int
db_nodes_report(PGconn *c, const char *node_id, const char *host, int pid, int key_id)
{
    char p[16], k[16];

    snprintf(p, sizeof p, "%d", pid);
    snprintf(k, sizeof k, "%d", key_id);
    return db_exec_command(c, "db_nodes_report", 4, (const char *[]){node_id, host, p, k});
}

int
db_nodes_forget_gone(PGconn *c)
{
    return db_exec_command(c, "db_nodes_forget_gone", 0, NULL);
}

int
db_nodes_remove(PGconn *c, const char *node_id)
{
    return db_exec_command(c, "db_nodes_remove", 1, (const char *[]){node_id});
}

static bool
read_seen(const PGresult *res, int row, struct arena *a, void *out)
{
    struct node_seen *n = out;

    n->host = db_text_at(a, res, row, 0);
    n->pid = (int)db_int64_at(res, row, 1);
    n->data_key_id = (int)db_int64_at(res, row, 2);
    n->seen_s_ago = (int)db_int64_at(res, row, 3);
    return n->host != NULL;
}

int
db_nodes_alive(PGconn *c, int key_id, int fresh_s, struct arena *a, struct node_seen *out, int max)
{
    char k[16], f[16];

    snprintf(k, sizeof k, "%d", key_id);
    snprintf(f, sizeof f, "%d", fresh_s);
    return db_exec_rows(c, "db_nodes_alive", 2, (const char *[]){k, f}, read_seen, a, out,
                        sizeof *out, max);
}
