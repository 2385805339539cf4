/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* PostgreSQL notices and warnings (RAISE NOTICE, "… does not exist, skipping", …) as JSON log
 * lines: libpq's default prints them raw on stderr, among the JSON lines of core/log. */
#ifndef RECOURS_DB_NOTICE_H
#define RECOURS_DB_NOTICE_H

#include <libpq-fe.h>

/* Routes c's notices through core/log: WARNING at warn, anything milder at info, with the
 * severity and the SQLSTATE only. The message text is left out: a notice raised by a
 * function or trigger may quote a row, and a log line never carries personal data. Call on
 * every connection the binary opens, right after connecting; c may be NULL. */
void db_notice_route(PGconn *c);

#endif
