/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The outgoing mail rate shared by every server on one database (migration 0016,
 * docs/mail.md "Rate"): a token bucket in one row. A sender locks it, reads what it holds
 * (the caller adds what the time since the last refill brings), takes rows to send, and writes
 * back what is left, all in one transaction: two servers never spend the same tokens. */
#ifndef RECOURS_DB_MAIL_THROTTLE_H
#define RECOURS_DB_MAIL_THROTTLE_H

#include <libpq-fe.h>

#include "db/pool.h"

extern const struct db_statement db_mail_throttle_statements[];

/* Locks the bucket for the caller's transaction: its tokens, the seconds since its last
 * refill, and the database clock now (text, to write back as the refill time). 1, or DB_*. */
int db_throttle_lock(PGconn *c, double *tokens_out, double *elapsed_s_out, char now_out[64]);

/* The same reading without the lock: what the bucket holds as of its last writer, for a
 * sender deciding whether to wait (a read writes nothing, so its commit waits for no flush).
 * 1, or DB_*. */
int db_throttle_peek(PGconn *c, double *tokens_out, double *elapsed_s_out);

/* Writes back the tokens left, refilled at now (as db_throttle_lock gave it). 1, or DB_*. */
int db_throttle_store(PGconn *c, double tokens, const char *now);

#endif
