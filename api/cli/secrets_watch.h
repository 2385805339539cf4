/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Keeps a running server's secrets in step with the files: when `data-keys` changes (a
 * rotation appended a key), the whole secrets set is reloaded and swapped in atomically, so
 * new claims are sealed with the new key and rows re-encrypted under it can be opened. */
#ifndef RECOURS_CLI_SECRETS_WATCH_H
#define RECOURS_CLI_SECRETS_WATCH_H

#include <stdbool.h>

#include "app.h"

/* Loads the secrets of dir into app and starts watching; false with a message if the
 * first load fails. */
bool secrets_watch_start(struct app *app, const char *dir);

/* Stops watching and frees every secrets set ever loaded (after the server stopped). */
void secrets_watch_stop(struct app *app);

/* Seconds between two looks at the files; a rotation waits longer than this. */
#define SECRETS_WATCH_INTERVAL_S 1

#endif
