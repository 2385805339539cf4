/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The database connection of an operator command, and its one line when there is none. */
#ifndef RECOURS_CLI_DB_OPEN_H
#define RECOURS_CLI_DB_OPEN_H

#include <stdbool.h>

#include <libpq-fe.h>

#include "core/config.h"

/* A connection to cfg->database_url (waiting at most --db-connect-timeout) whose schema has the
 * binary's last migration, its statements prepared as they are first run (db/prepared.h); NULL
 * after one line on stderr, prefixed with cmd, saying why and what to do: no URL, a malformed
 * one, a server that cannot be reached or refuses the login, a schema behind the binary. */
PGconn *cli_db_open(const struct config *cfg, const char *cmd, int statement_timeout_ms);

/* Whether DATABASE_URL is set; when not, false after "<cmd>: set DATABASE_URL ..." on stderr, a
 * usage error (exit 2). The operator commands ask once their arguments are checked: a wrong
 * or missing subcommand needs no database, and is said first. */
bool cli_db_url_given(const struct config *cfg, const char *cmd);

#endif
