/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Keeps a running server's secrets in step with the files: when `data-keys` changes (a
 * rotation appended a key), the whole secrets set is reloaded and swapped in atomically, so
 * new claims are sealed with the new key and rows re-encrypted under it can be opened. The
 * server's row of server_nodes (db/nodes.h) tells rotate-data-key which key it has loaded. */
#ifndef RECOURS_CLI_SECRETS_WATCH_H
#define RECOURS_CLI_SECRETS_WATCH_H

#include <stdbool.h>

#include "app.h"

/* Loads the secrets of dir into app; false with a message if that fails. A change of the
 * files from here on is seen once secrets_watch_run started the watch. */
bool secrets_watch_start(struct app *app, const char *dir);

/* Starts the watcher thread (after db_pool_init): it reloads the secrets when data-keys
 * changes, and writes this server (a random id made here, the host's name, the pid) and the
 * newest data key it has loaded into server_nodes, at once and after each reload, else every
 * SECRETS_WATCH_HEARTBEAT_S. A thread that cannot start is logged; the server still serves. */
void secrets_watch_run(struct app *app);

/* Stops the watcher thread and deletes this server's row (before db_pool_shutdown, once the
 * server seals nothing any more). No-op when it does not run. */
void secrets_watch_leave(void);

/* Stops the watcher if it still runs and frees every secrets set ever loaded (after the server
 * stopped). */
void secrets_watch_stop(struct app *app);

/* Seconds between two looks at the files. */
#define SECRETS_WATCH_INTERVAL_S 1
/* Seconds between two writes of a server's row when its key did not change. */
#define SECRETS_WATCH_HEARTBEAT_S 5
/* A row whose last write is older than this is a server gone (killed, or cut off from the
 * database): rotate-data-key does not wait for it. */
#define SECRETS_WATCH_STALE_S (3 * SECRETS_WATCH_HEARTBEAT_S)

#endif
