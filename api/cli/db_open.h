/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The database connection of an operator command, and its one line when there is none. */
#ifndef RECOURS_CLI_DB_OPEN_H
#define RECOURS_CLI_DB_OPEN_H

#include <libpq-fe.h>

#include "core/config.h"

/* A connection to cfg->database_url (waiting at most --db-connect-timeout) whose schema has the
 * binary's last migration, its statements prepared as they are first run (db/prepared.h); NULL
 * after one line on stderr, prefixed with cmd, saying why and what to do: no URL, a malformed
 * one, a server that cannot be reached or refuses the login, a schema behind the binary. */
PGconn *cli_db_open(const struct config *cfg, const char *cmd, int statement_timeout_ms);

#endif
